"""Writing an output folder safely: the folder check, the lock, the leftovers of a killed run, and
the atomic swap. Shared by ``fxfk publish`` and ``fxfk report``.

:func:`write_atomically` fills a temporary folder next to the output and swaps it in only once it
is complete, so a failure at any step leaves the previous output as it was; only one fxfk writes an
output folder at a time (:func:`output_lock`), and a folder fxfk did not make is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fxfk.errors import FxfkError

if TYPE_CHECKING:
    import re

T = TypeVar("T")

# Inside a temporary folder while fxfk fills it: a leftover of a killed run is recognised by it
# (or by the command's marker), so a user's own folder of a similar name is never deleted.
STAGING = ".fxfk-staging"
STAGING_TEXT = "fxfk 正在写入的临时目录；没有 fxfk 在运行时可以删除。\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output_folder(out: Path, root: Path, marker: str, what: str, command: str) -> None:
    if out.exists() and not out.is_dir():
        raise FxfkError(f"输出位置“{out}”是一个文件，不是目录")
    resolved = out.resolve()
    if resolved == root.resolve() or root.resolve().is_relative_to(resolved) or resolved.is_relative_to(root.resolve() / "data"):
        raise FxfkError(f"不能把{what}写到“{out}”：它是数据仓库本身或其中的 data/ 目录")
    # The whole folder is replaced on every run: never do that to a folder fxfk did not make.
    if out.is_dir() and any(out.iterdir()) and not (out / marker).is_file():
        raise FxfkError(
            f"输出目录“{out}”已存在且不是 {command} 生成的（缺少 {marker}）；"
            f"{command} 会整体替换输出目录，请换一个目录或先清空它"
        )


class OutputBusy(FxfkError):
    """Another fxfk is writing the same output folder."""


def lock_name(out: Path) -> str:
    return f".{out.name}.fxfk-lock"


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[bool]:
    """Hold ``.<out>.fxfk-lock`` in ``out``'s parent while writing ``out``; yields whether it is held.

    Non-blocking: a second run on the same output stops at once (exit 2) instead of racing the
    first one's swap. Where the file system cannot lock (some network shares), this yields False:
    the run goes on as before, but leaves other runs' temporary folders alone. The lock file is
    removed on release.
    """
    path = out.absolute().parent / lock_name(out)
    busy = OutputBusy(f"另一个 fxfk 正在写入“{out}”，请稍后再试（锁文件：{path}）")
    try:
        if os.name == "nt":
            fd = _lock_windows(path, busy)
        else:
            fd = _lock_posix(path, busy)
    except OSError as exc:
        raise FxfkError(f"无法在“{path.parent}”中创建锁文件：{exc.strerror or exc}") from None
    try:
        yield fd is not None
    finally:
        if fd is not None:
            if os.name == "nt":
                _unlock_windows(fd, path)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(path)  # before closing: a run waiting on this file sees it is gone
                os.close(fd)


def _lock_posix(path: Path, busy: FxfkError) -> int | None:
    import errno
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise busy from None
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                return None
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the previous holder removed the file after we opened it: lock the new one


def _lock_windows(path: Path, busy: FxfkError) -> int | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # never: only called there (and the type checker reads msvcrt as Windows')
        raise NotImplementedError("Windows only")
    import msvcrt

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except PermissionError:
        os.close(fd)
        raise busy from None
    except OSError as exc:
        os.close(fd)
        import errno

        if exc.errno in (errno.EACCES, errno.EDEADLK):
            raise busy from None
        return None
    return fd


def _unlock_windows(fd: int, path: Path) -> None:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # never: only called there (and the type checker reads msvcrt as Windows')
        raise NotImplementedError("Windows only")
    import msvcrt

    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)
    # Fails while another run has it open (Windows does not delete open files): then it stays.
    with contextlib.suppress(OSError):
        os.remove(path)


def _leftover_pattern(out: Path) -> re.Pattern[str]:
    import re

    # Exactly what tempfile.mkdtemp(prefix=".<out>.", suffix=".tmp"/".old") makes.
    return re.compile(rf"\.{re.escape(out.name)}\.[a-z0-9_]{{8}}\.(?:tmp|old)")


def remove_leftovers(out: Path, marker: str) -> list[Path]:
    """Temporary folders of an earlier run on ``out`` that was killed; only while holding the lock.

    Only folders named like fxfk's and holding its staging marker or ``marker`` are removed.
    """
    parent = out.absolute().parent
    pattern = _leftover_pattern(out)
    removed: list[Path] = []
    for path in sorted(parent.iterdir()):
        if not pattern.fullmatch(path.name) or path.is_symlink() or not path.is_dir():
            continue
        if (path / STAGING).is_file() or (path / marker).is_file():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def write_atomically(
    out: Path, root: Path, fill: Callable[[Path], T], marker: str, marker_text: str, what: str, command: str
) -> T:
    """Run ``fill(folder)`` on a temporary folder next to ``out``, then swap it in as ``out``.

    ``out`` must be empty, absent or made by the same command (``marker``). Any failure leaves the
    previous ``out`` as it was. Only one fxfk writes ``out`` at a time (``output_lock``); leftovers of
    a killed run are removed first. Returns what ``fill`` returns.
    """
    check_output_folder(out, root, marker, what, command)
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out) as locked:
        check_output_folder(out, root, marker, what, command)  # it may have changed while we waited
        if locked:
            remove_leftovers(out, marker)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
        try:
            (tmp / STAGING).write_text(STAGING_TEXT, encoding="utf-8")
            os.chmod(tmp, 0o777 & ~_umask())
            result = fill(tmp)
            (tmp / marker).write_text(marker_text, encoding="utf-8")
            (tmp / STAGING).unlink()
            _swap(tmp, out.absolute())
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return result


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` where ``out`` is; the old folder is only removed once the new one is in place."""
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    old.rmdir()
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
