"""The per-file cache under ``<data root>/.fxfk-cache/``.

Each data file's parsed and checked result (its model and its own diagnostics) is stored under
the SHA-256 of its bytes plus a fingerprint of the tool, so an unchanged file is not parsed again.
Cross-file checks are never cached: they always run on everything.

A cache entry is a pickle, and unpickling runs code — so an entry is only trusted when its HMAC,
made with a secret key kept outside the repository (``$XDG_CACHE_HOME/fxfk/cache-key``), verifies.
A committed, corrupt, truncated or foreign ``.fxfk-cache`` is therefore ignored, never trusted.
Anything that goes wrong with the cache only costs speed: every error falls back to parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
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
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class FileCache:
    def __init__(self, root: Path, flavour: str):
        self.folder = root / CACHE_DIR / tool_fingerprint()
        self.flavour = flavour  # what else decides the result: model kind, size limit, parser
        self.key = _key() if enabled() else None

    def _entry(self, content: bytes) -> Path:
        digest = hashlib.sha256(self.flavour.encode() + b"\0" + content).hexdigest()
        return self.folder / digest[:2] / f"{digest[2:]}.pickle"

    def get(self, content: bytes) -> Any | None:
        if self.key is None:
            return None
        try:
            blob = self._entry(content).read_bytes()
        except OSError:
            return None
        mac, payload = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
        if len(mac) != _MAC_SIZE or not hmac.compare_digest(mac, hmac.new(self.key, payload, "sha256").digest()):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a bad entry only costs a re-parse
            return None

    def put(self, content: bytes, value: Any) -> None:
        self.put_payload(content, dumps(value))

    def put_payload(self, content: bytes, payload: bytes) -> None:
        """Store an already pickled value (worker processes pickle once for the cache and the parent)."""
        if self.key is None:
            return
        try:
            entry = self._entry(content)
            if not entry.parent.is_dir():
                entry.parent.mkdir(parents=True, exist_ok=True)
                marker = self.folder.parent / ".gitignore"
                if not marker.exists():  # never committed by accident, whatever the repo's .gitignore says
                    marker.write_text("# made by fxfk: the cache is local to this machine\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(hmac.new(self.key, payload, "sha256").digest())
                fh.write(payload)
            os.replace(tmp, entry)
        except Exception:  # noqa: BLE001 - a read-only checkout still validates
            return
