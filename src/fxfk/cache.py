"""The per-file cache under ``<data root>/.fxfk-cache/``.

Each data file's parsed and checked result is stored under the SHA-256 of its bytes (plus what
else decides the result: the kind of file, the settings) in a folder named by a fingerprint of
the tool, so an unchanged file is not parsed again. A file has two parts, written by
:mod:`fxfk.repository`: ``s`` (its facts and its own diagnostics — all ``fxfk validate`` reads)
and ``d`` (its plain data, from which the other commands rebuild the full model). Cross-file
checks are never cached: they always run on everything.

Parts are :mod:`marshal` blobs, which are fast but must not be read from untrusted bytes — so a
part is only trusted when its HMAC, made with a secret key kept outside the repository
(``$XDG_CACHE_HOME/fxfk/cache-key``), verifies. A committed, corrupt, truncated or foreign
``.fxfk-cache`` is therefore ignored, never trusted. Anything that goes wrong with the cache only
costs speed: every error falls back to parsing. Folders of other tool fingerprints (an older fxfk,
an edited checkout) are deleted when a new one is made, so the cache does not grow without end.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import marshal
import shutil
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".fxfk-cache"
_MAC_SIZE = 32


def enabled() -> bool:
    return os.environ.get("FXFK_NO_CACHE") != "1"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool version plus the size and mtime of every source file of the package.

    A development checkout changes code without changing the version; this notices.
    """
    from fxfk import __version__

    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _key() -> bytes | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fxfk"
    path = base / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd, tmp = tempfile.mkstemp(dir=base)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return path.read_bytes()  # another process may have won the race: use what is there
    except OSError:
        return None  # no writable home: run without a cache


def dumps(value: Any) -> bytes:
    return marshal.dumps(value)


class FileCache:
    def __init__(self, root: Path, flavour: str):
        self.folder = root / CACHE_DIR / tool_fingerprint()
        self.flavour = flavour.encode()  # what else decides the result: file kind, size limit, settings
        self.key = _key() if enabled() else None

    def digest(self, content: bytes) -> str:
        digest = hashlib.sha256(self.flavour + b"\0")
        digest.update(content)  # not flavour + content: that would copy every file once more
        return digest.hexdigest()

    def _entry(self, digest: str, part: str) -> Path:
        return self.folder / digest[:2] / f"{digest[2:]}.{part}"

    def get(self, digest: str, part: str) -> Any | None:
        """The value stored for ``digest`` and ``part``, or None (absent, damaged, not ours)."""
        if self.key is None:
            return None
        try:
            blob = self._entry(digest, part).read_bytes()
        except OSError:
            return None
        mac, payload = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
        if len(mac) != _MAC_SIZE or not hmac.compare_digest(mac, hmac.new(self.key, payload, "sha256").digest()):
            return None
        try:
            return marshal.loads(payload)
        except Exception:  # noqa: BLE001 - a bad entry only costs a re-parse
            return None

    def put(self, digest: str, part: str, payload: bytes) -> None:
        """Store an already marshalled value (workers marshal once, for the cache and the parent)."""
        if self.key is None:
            return
        try:
            entry = self._entry(digest, part)
            if not entry.parent.is_dir():
                if not self.folder.is_dir():
                    self._new_folder()
                entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(hmac.new(self.key, payload, "sha256").digest())
                fh.write(payload)
            os.replace(tmp, entry)
        except Exception:  # noqa: BLE001 - a read-only checkout still validates
            return

    def _new_folder(self) -> None:
        top = self.folder.parent
        top.mkdir(parents=True, exist_ok=True)
        marker = top / ".gitignore"
        if not marker.exists():  # never committed by accident, whatever the repo's .gitignore says
            marker.write_text("# made by fxfk: the cache is local to this machine\n*\n", encoding="utf-8")
        for other in top.iterdir():  # entries of other tool versions can never be read again
            if other.is_dir() and other.name != self.folder.name:
                shutil.rmtree(other, ignore_errors=True)
        self.folder.mkdir(exist_ok=True)
