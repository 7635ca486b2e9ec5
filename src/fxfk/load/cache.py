"""The per-file cache under ``<data root>/.fxfk-cache/``.

Each data file's parsed and checked result is stored under the SHA-256 of its bytes (plus what
else decides the result: the kind of file, the settings) in a folder named by a fingerprint of
the tool, so an unchanged file is not parsed again. A file has up to three parts, written by
:mod:`fxfk.load.repository`: ``s`` (its facts and its own diagnostics — all ``fxfk validate`` reads)
and ``d`` (its plain data, from which the other commands rebuild the full model); and a register, once
``fxfk classify`` has read it, ``c`` (its classify view: :mod:`fxfk.load.views`). Cross-file checks
are never cached: they always run on everything.

Parts are :mod:`marshal` blobs, which are fast but must not be read from untrusted bytes — so a
part is only trusted when its HMAC, made with a secret key kept outside the repository
(``$XDG_CACHE_HOME/fxfk/cache-key``, the one environment variable the core reads: it says where
per-user caches live, as for every other tool), verifies. A committed, corrupt, truncated or foreign
``.fxfk-cache`` is therefore ignored, never trusted. Anything that goes wrong with the cache only
costs speed: every error falls back to parsing. Folders of other tool fingerprints (an older fxfk,
an edited checkout) are deleted when a new one is made, so the cache does not grow without end.
Whether the cache is used at all is the caller's choice (``fxfk.options.Options.cache``): without it,
no ``FileCache`` is made.

The cache folder sits in a checkout that may come from an untrusted pull request, so nothing in it is
followed: ``.fxfk-cache`` itself, the fingerprint folder and the two-letter shard folders must be real
folders (not symlinks, not Windows junctions) or the cache is not used there; entries are opened
without following a link and must be regular files; ``.gitignore`` is only ever created, never written
through an existing name; and only real folders named like a fingerprint are removed.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import re
import secrets
import shutil
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from fxfk.files import write_atomically

CACHE_DIR = ".fxfk-cache"
_MAC_SIZE = 32
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")  # how tool_fingerprint() names folders
# Open an entry without following a link (POSIX) and without blocking on a pipe.
_READ_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool version plus the size and mtime of every source file of the package.

    A development checkout changes code without changing the version; this notices.
    """
    from fxfk import __version__

    package = Path(__file__).parent.parent  # the whole fxfk package, not just load/
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
        # Mode given: a link planted at ``path`` is replaced, and does not pass its mode on.
        write_atomically(path, secrets.token_bytes(32), mode=0o600, durable=False)
        return path.read_bytes()  # another process may have won the race: use what is there
    except OSError:
        return None  # no writable home: run without a cache


def dumps(value: Any) -> bytes:
    return marshal.dumps(value)


def _plain(st: os.stat_result, kind: int) -> bool:
    # A Windows junction or symlink has a reparse tag; lstat already says "link" for POSIX symlinks.
    return stat.S_IFMT(st.st_mode) == kind and not getattr(st, "st_reparse_tag", 0)


def _plain_dir(path: Path) -> bool:
    """``path`` is a real folder: not a symlink or junction to one, not a file."""
    try:
        return _plain(os.lstat(path), stat.S_IFDIR)
    except OSError:
        return False


def _read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file reached without following a link, else None."""
    if not hasattr(os, "O_NOFOLLOW"):  # Windows: look at the name itself before opening it
        if not _plain(os.lstat(path), stat.S_IFREG):
            return None
    fd = os.open(path, _READ_FLAGS)  # POSIX: fails (ELOOP) on a symlink
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or a device: never read it
            return None
        return fh.read()


class FileCache:
    def __init__(self, root: Path, flavour: str):
        self.top = root / CACHE_DIR
        self.folder = self.top / tool_fingerprint()
        self.flavour = flavour.encode()  # what else decides the result: file kind, size limit, settings
        self.key = _key()
        self._checked: set[str] = set()  # shard folders seen to be real folders (with their parents)

    def digest(self, content: bytes) -> str:
        digest = hashlib.sha256(self.flavour + b"\0")
        digest.update(content)  # not flavour + content: that would copy every file once more
        return digest.hexdigest()

    def _entry(self, digest: str, part: str) -> Path:
        return self.folder / digest[:2] / f"{digest[2:]}.{part}"

    def _shard_ok(self, shard: str) -> bool:
        """The cache folder, the fingerprint folder and this shard folder are all real folders."""
        if shard in self._checked:
            return True
        if _plain_dir(self.top) and _plain_dir(self.folder) and _plain_dir(self.folder / shard):
            self._checked.add(shard)
            return True
        return False

    def get(self, digest: str, part: str) -> Any | None:
        """The value stored for ``digest`` and ``part``, or None (absent, damaged, not ours)."""
        if self.key is None:
            return None
        try:
            if not self._shard_ok(digest[:2]):
                return None
            blob = _read_regular(self._entry(digest, part))
        except OSError:
            return None
        if blob is None:
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
            shard = digest[:2]
            if not self._shard_ok(shard):
                if not os.path.lexists(self.folder):
                    self._new_folder()
                if not _plain_dir(self.top) or not _plain_dir(self.folder):
                    return  # a link or a file where the cache should be: run without it
                _mkdir(self.folder / shard)
                if not self._shard_ok(shard):
                    return
            # A new file renamed over the entry: a link named like it is replaced, never written through.
            mac = hmac.new(self.key, payload, "sha256").digest()
            write_atomically(self._entry(digest, part), mac + payload, mode=0o600, durable=False)
        except Exception:  # noqa: BLE001 - a read-only checkout still validates
            return

    def _new_folder(self) -> None:
        top = self.top
        _mkdir(top)
        if not _plain_dir(top):
            return  # a committed link or file: never write or delete through it
        marker = top / ".gitignore"
        try:  # never committed by accident, whatever the repo's .gitignore says
            with open(marker, "x", encoding="utf-8") as fh:  # "x": O_EXCL, fails on any existing name, even a link
                fh.write("# made by fxfk: the cache is local to this machine\n*\n")
        except FileExistsError:
            pass
        real_top = top.resolve()
        for name in os.listdir(top):  # entries of other tool versions can never be read again
            other = top / name
            if (name != self.folder.name and _FINGERPRINT.fullmatch(name) and _plain_dir(other)
                    and other.resolve().parent == real_top):
                shutil.rmtree(other, ignore_errors=True)
        _mkdir(self.folder)


def _mkdir(path: Path) -> None:
    """Make one folder; an existing name is left for the caller to check (it may be a link)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
