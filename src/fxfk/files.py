"""The one way fxfk replaces a file: readers, and a crash, see the old bytes or the new, never a part.

(``fxfk publish`` and ``fxfk report`` swap a whole output folder, a different idea: see ``publish``.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Write ``data`` to a new file next to ``path``, then rename it over ``path``.

    ``mode`` is the new file's permission bits; by default those of the file it replaces, else
    0o600 (a new temporary file's). ``durable`` flushes the data and the rename to the disk, so a
    power cut cannot leave an empty register; a cache, rebuilt when lost, skips that cost. A link
    named ``path`` is replaced, never written through. Errors propagate as ``OSError``, and the
    temporary file is removed.
    """
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            pass
    # Same folder: a rename within one file system is atomic; a hidden name keeps it out of globs.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename is an entry in the folder: flushed with the folder. Windows cannot open a folder
    # for this, and NTFS journals the rename itself.
    # Some file systems refuse it (EINVAL); the file is in place by then, so that is no error.
    if os.name == "nt":  # pragma: no cover - tested on POSIX
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
