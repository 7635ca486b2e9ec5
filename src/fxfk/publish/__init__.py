"""`fxfk publish` as a library call: the public risk lists and the no-penalty list (附件1 二(四)).

Steps: refuse while validation finds errors → build the public view for the publication date →
refuse on personal numbers or laws not in force → render every format into a temporary folder next
to the output → swap it in. A failure at any step leaves the previous output as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError

FORMATS = ("html", "md", "csv", "xlsx", "docx")
CITY = "_city"  # office ids cannot start with "_", so this name never collides with one
XLSX_NAME = "risk-lists.xlsx"
MARKER = ".fxfk-publish"
MARKER_TEXT = "此目录由 fxfk publish 生成，每次发布会整体替换。\n"
# Inside a temporary folder while fxfk fills it: a leftover of a killed run is recognised by it
# (or by the command's marker), so a user's own folder of a similar name is never deleted.
STAGING = ".fxfk-staging"
STAGING_TEXT = "fxfk 正在写入的临时目录；没有 fxfk 在运行时可以删除。\n"


class PublishRefused(FxfkError):
    """Publishing would put something wrong in front of the public; ``diagnostics`` say what and where."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]):
        super().__init__(message, exit_code=1)
        self.diagnostics = diagnostics


@dataclass
class PublishResult:
    out: Path
    files: list[str] = field(default_factory=list)
    offices: int = 0
    risks: int = 0
    no_penalty: int = 0


def parse_formats(values: list[str] | None, formats: tuple[str, ...] = FORMATS) -> list[str]:
    """``html,md`` or repeated options; default all ``formats``, in their fixed order."""
    if not values:
        return list(formats)
    chosen: set[str] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in formats:
                raise FxfkError(f"未知的格式“{name}”；可用的格式：{','.join(formats)}")
            chosen.add(name)
    if not chosen:
        raise FxfkError(f"没有指定格式；可用的格式：{','.join(formats)}")
    return [f for f in formats if f in chosen]


def prepare(root: Path, date: dt.date, offices: list[str] | None = None):
    """Everything up to the public view, with every refusal; returns the BuiltView."""
    from fxfk.load.gcpause import gc_paused
    from fxfk.publish.safety import scan_personal_data
    from fxfk.publish.view import build_view
    from fxfk.rules.laws import laws_not_in_force
    from fxfk.rules.validation import validate

    result = validate(root)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise PublishRefused(
            f"数据中有 {result.errors} 个错误，已拒绝公布；请先用 fxfk validate 检查并修正", errors
        )
    repo = result.repo
    known = [s.model.office.id for s in repo.valid_registers()]
    if offices:
        unknown = [o for o in offices if o not in known]
        if unknown:
            raise FxfkError(
                f"没有单位“{'、'.join(unknown)}”的登记册；已有单位：{'、'.join(known) or '（无）'}"
            )
        offices = list(dict.fromkeys(offices))
    with gc_paused(keep=True):  # 100,000s of acyclic objects that live until the files are written
        built = build_view(repo, date, offices or None)
    problems = list(scan_personal_data(built.texts))
    catalogue = repo.laws.model if repo.laws is not None else None
    problems += list(laws_not_in_force(built.citations, catalogue, date))
    if problems:
        problems.sort(key=lambda d: (d.file, d.line, d.column, d.code))
        raise PublishRefused(f"公开内容中发现 {len(problems)} 处不能公布的内容，已拒绝公布", problems)
    return built


def _titles(view) -> tuple[str, str]:
    """(prefix for the city-wide lists, its heading)."""
    org = view.organization
    if view.all_offices:
        return (org or "全市"), "全市清单"
    return f"{org}（所选单位）" if org else "所选单位", "所选单位合并清单"


def render_all(folder: Path, root: Path, view, formats: list[str], progress=None) -> list[str]:
    """Write every requested file into ``folder``; returns their names in writing order.

    ``progress(done, total)`` is told about each office list rendered (per format).
    """
    from fxfk.load.parallel import run_in_order
    from fxfk.load.repository import worker_count
    from fxfk.publish.view import chinese_date
    from fxfk.render import tabular
    from fxfk.render.templates import environment, render

    city_prefix, city_heading = _titles(view)
    written: list[str] = []

    def put(name: str, data: str | bytes) -> None:
        _write(folder, name, data)
        written.append(name)

    date_line = f"公布日期：{chinese_date(view.date)}"
    pages = []  # (file stem, risk title, no-penalty title, issuer, offices, items, phone, city)
    pages.append((CITY, f"{city_prefix}违法风险点清单", f"{city_prefix}轻微违法行为免罚清单",
                  view.organization or "各有关单位", view.offices, view.no_penalty, "", True))
    for o in view.offices:
        pages.append((o.id, f"{o.name}违法风险点清单", f"{o.name}轻微违法行为免罚清单",
                      o.organization, (o,), o.no_penalty, o.phone, False))

    env = environment(root) if ("html" in formats or "md" in formats) else None
    total = len(pages) * sum(1 for f in formats if f != "xlsx")
    rendered = 0

    def tick() -> None:
        nonlocal rendered
        rendered += 1
        if progress:
            progress(rendered, total)

    def written_by(render_files) -> Callable[[], list[str]]:
        """A task that writes some files and says which (it may run in a worker process)."""

        def task() -> list[str]:
            names: list[str] = []
            for name, data in render_files():
                _write(folder, name, data)
                names.append(name)
            return names

        return task

    def page_files(ext: str, page: tuple):
        stem, title, np_title, issuer, offices, items, phone, city = page
        yield f"{stem}.{ext}", render(env, f"risk_list.{ext}.j2", view=view, title=title, issuer=issuer,
                                      offices=offices, city=city)
        yield f"{stem}.no-penalty.{ext}", render(env, f"no_penalty.{ext}.j2", view=view, title=np_title,
                                                 issuer=issuer, items=items, city=city, phone=phone)

    def docx_files(page: tuple):
        from fxfk.render import docx

        stem, title, np_title, issuer, offices, items, phone, city = page
        meta = [date_line]
        if not city and offices[0].latest:
            o = offices[0]
            meta = [f"{o.latest.label}　发布时间：{chinese_date(o.latest.date)}"]
        if phone:
            meta.append(f"咨询电话：{phone}")
        yield f"{stem}.docx", docx.risk_list_docx(view, title, issuer, offices, meta)
        yield f"{stem}.no-penalty.docx", docx.no_penalty_docx(view, np_title, issuer, items, meta, city)

    def csv_task(stem: str, risks, no_penalty, city: bool) -> Callable[[], list[str]]:
        return lambda: [p.name for p in tabular.write_csv(folder, stem, risks, no_penalty, city)]

    # Every office's files are independent of the others': rendered on every core (fxfk.load.parallel).
    workers = worker_count()
    for fmt in formats:
        if fmt in ("html", "md"):
            if fmt == "html":
                put("index.html", render(env, "index.html.j2", view=view, title=f"{city_prefix}公开清单",
                                         city_file=CITY, city_title=city_heading))
            tasks = [written_by(lambda page=page, ext=fmt: page_files(ext, page)) for page in pages]
            written += run_in_order(tasks, workers, tick)
        elif fmt == "csv":
            tasks = [csv_task(CITY, view.risks, view.no_penalty, True)]
            tasks += [csv_task(o.id, o.risks, o.no_penalty, False) for o in view.offices]
            written += run_in_order(tasks, workers, tick)
        elif fmt == "xlsx":
            put(XLSX_NAME, tabular.xlsx_bytes(view, city_prefix))
        elif fmt == "docx":
            written += run_in_order([written_by(lambda page=page: docx_files(page)) for page in pages], workers, tick)
    return written


def _write(folder: Path, name: str, data: str | bytes) -> None:
    if name.endswith(".md"):
        data = tidy_markdown(data)
    (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def tidy_markdown(text: str) -> str:
    """Templates with many conditionals leave runs of blank lines; Markdown needs at most one."""
    import re

    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output_folder(out: Path, root: Path, marker: str = MARKER, what: str = "公开清单", command: str = "fxfk publish") -> None:
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
def output_lock(out: Path):
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
    import msvcrt

    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)
    # Fails while another run has it open (Windows does not delete open files): then it stays.
    with contextlib.suppress(OSError):
        os.remove(path)


def _leftover_pattern(out: Path):
    import re

    # Exactly what tempfile.mkdtemp(prefix=".<out>.", suffix=".tmp"/".old") makes.
    return re.compile(rf"\.{re.escape(out.name)}\.[a-z0-9_]{{8}}\.(?:tmp|old)")


def remove_leftovers(out: Path, marker: str) -> list[Path]:
    """Temporary folders of an earlier run on ``out`` that was killed; only while holding the lock.

    Only folders named like fxfk's and holding its staging marker or ``marker`` are removed.
    """
    parent = out.absolute().parent
    pattern = _leftover_pattern(out)
    removed = []
    for path in sorted(parent.iterdir()):
        if not pattern.fullmatch(path.name) or path.is_symlink() or not path.is_dir():
            continue
        if (path / STAGING).is_file() or (path / marker).is_file():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def write_atomically(out: Path, root: Path, fill, marker: str = MARKER, marker_text: str = MARKER_TEXT,
                     what: str = "公开清单", command: str = "fxfk publish"):
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


def refuse_personal_numbers_in(folder: Path, files: list[str], out: Path, texts) -> None:
    """The last net: personal numbers in the rendered public files (a template may have written them)."""
    from fxfk.publish.safety import scan_rendered

    problems = scan_rendered(folder, files, out.as_posix(), texts)
    if problems:
        raise PublishRefused(
            f"生成的公开文件中发现 {len(problems)} 处疑似个人信息，已拒绝公布（输出目录未改动）", problems
        )


def publish(root: Path, out: Path, date: dt.date, offices: list[str] | None, formats: list[str], progress=None) -> PublishResult:
    built = prepare(root, date, offices)
    view = built.view

    def fill(tmp: Path) -> list[str]:
        files = render_all(tmp, root, view, formats, progress)
        refuse_personal_numbers_in(tmp, files, out, built.texts)
        return files

    files = write_atomically(out, root, fill)
    return PublishResult(out, files, len(view.offices), len(view.risks), len(view.no_penalty))


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
