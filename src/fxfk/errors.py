"""The one exception type for "the user asked for something that cannot be done", and the Chinese
wording of the machine's own refusals (a full disk, a read-only folder …), which are not bugs."""

from __future__ import annotations

import errno
from typing import Any, Sequence

# The causes a user can act on, in their words; other errno values keep the system's text.
_CAUSES = {
    errno.EACCES: "权限不足",
    errno.EPERM: "权限不足（操作不被允许）",
    errno.ENOSPC: "磁盘已满",
    errno.ENAMETOOLONG: "文件名过长（请换一个更短的名称或目录）",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有一部分是文件，不是目录",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.EEXIST: "已存在同名的文件或目录，无法在此新建",
    errno.ENOTEMPTY: "目录不为空",
    errno.EBUSY: "文件或目录正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EIO: "读写错误（磁盘或网络故障）",
    errno.EFBIG: "文件过大",
    errno.ELOOP: "符号链接层数过多（可能是循环链接）",
    errno.EXDEV: "不能跨磁盘移动",
}
for _name, _cause in (("EDQUOT", "磁盘配额已用完"), ("ESTALE", "网络文件已失效")):
    if hasattr(errno, _name):
        _CAUSES[getattr(errno, _name)] = _cause
# Windows: a file open in another program (typically Excel) cannot be replaced.
_WINDOWS_CAUSES = {32: "文件正被其他程序占用（例如在 Excel 或 Word 中打开着）；请关闭后重试", 33: "文件的一部分被其他程序锁定"}
_WRITE_ONLY = {errno.ENOSPC, errno.EROFS, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class FxfkError(Exception):
    """A user-facing error with a Chinese message; the CLI prints it and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class DataRefused(FxfkError):
    """The one way every command refuses to work on data with errors (or to publish what it must not).

    ``diagnostics`` are the located findings that forbid it (``fxfk.diagnostics.Diagnostic``). The CLI
    (``fxfk.cli.app``, the one place that shows a refusal) exits 1 after printing, on standard error,
    either

    - one line per diagnostic, then the message (``fxfk：…``), when ``files`` is None; or
    - the message as a heading, then the diagnostics as ``fxfk validate`` shows them (grouped by
      file, with the summary line counting ``files`` files checked), when ``files`` is given.
    """

    exit_code = 1

    def __init__(self, message: str, diagnostics: Sequence[Any] = (), files: int | None = None):
        super().__init__(message)
        self.diagnostics = list(diagnostics)
        self.files = files


def os_error_cause(exc: OSError) -> str:
    """Why the system refused, in Chinese when the reason is a common one."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_CAUSES:
        return _WINDOWS_CAUSES[winerror]
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc) or type(exc).__name__


def os_error_message(exc: OSError, target: object = None) -> str:
    """「无法访问/写入 <路径>：<原因>」; ``target`` names the path when the error itself has none
    (a write() on a full disk carries no file name)."""
    cause = os_error_cause(exc)
    verb = "无法写入" if exc.errno in _WRITE_ONLY else "无法访问"
    path = exc.filename if exc.filename is not None else target
    if path is None:
        return f"读写文件时出错：{cause}"
    where = f"“{_show(path)}”"
    if exc.filename2 is not None:
        where += f"或“{_show(exc.filename2)}”"
    return f"{verb}{where}：{cause}"


def _show(path: object) -> str:
    """A path as text that can always be printed (a non-UTF-8 name must not crash the message)."""
    import os

    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        return path.decode("utf-8", "replace")
    try:
        return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that did not come from a file name
        return str(path).encode("utf-8", "replace").decode("utf-8")
