"""`fxfk publish` as a library call: the public risk lists and the no-penalty list (附件1 二(四)).

Steps: refuse while validation finds errors → build the public view for the publication date →
refuse on personal numbers or laws not in force → render every format into a temporary folder next
to the output → swap it in (:mod:`fxfk.publish.output`). A failure at any step leaves the previous
output as it was. Every refusal is a :class:`fxfk.errors.DataRefused` carrying its diagnostics.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fxfk.errors import DataRefused, FxfkError
from fxfk.options import Options

if TYPE_CHECKING:  # imported by the functions that need them (startup time)
    import jinja2

    from fxfk.public.view import (
        BuiltView,
        NoPenaltyItem,
        OfficeList,
        PublicRisk,
        PublicText,
        PublicView,
    )

FORMATS = ("html", "md", "csv", "xlsx", "docx")
CITY = "_city"  # office ids cannot start with "_", so this name never collides with one
XLSX_NAME = "risk-lists.xlsx"
MARKER = ".fxfk-publish"
MARKER_TEXT = "此目录由 fxfk publish 生成，每次发布会整体替换。\n"

Progress = Callable[[int, int], None]  # progress(done, total)


@dataclass
class PublishResult:
    """What ``fxfk publish`` wrote: the folder, the file names in writing order, and the counts."""

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


def prepare(root: Path, date: dt.date, offices: list[str] | None = None, options: Options | None = None) -> BuiltView:
    """Everything up to the public view for publication on ``date``, with every refusal
    (:class:`~fxfk.errors.DataRefused`); returns the BuiltView."""
    from fxfk.load.gcpause import gc_paused
    from fxfk.public.view import build_view
    from fxfk.publish.safety import scan_personal_data
    from fxfk.rules.law_articles import conditions_not_in_force
    from fxfk.rules.laws import laws_not_in_force
    from fxfk.rules.validation import validate

    # Validation judges on the real today (a batch dated later is scheduled), the list on ``date``.
    # Facts only: the public view takes each register's full model in turn (build_view), from the
    # cache; without one that would parse every file twice, so whole models are loaded at once.
    options = options or Options()
    result = validate(root, dataclasses.replace(options, date=None), facts_only=options.cache)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise DataRefused(
            f"数据中有 {result.errors} 个错误，已拒绝公布；请先用 fxfk validate 检查并修正", errors
        )
    repo = result.loaded_repo
    known = [s.valid_facts.office.id for s in repo.valid_registers()]
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
    problems += list(conditions_not_in_force(repo, date))
    if problems:
        problems.sort(key=lambda d: (d.file, d.line, d.column, d.code))
        raise DataRefused(f"公开内容中发现 {len(problems)} 处不能公布的内容，已拒绝公布", problems)
    return built


def _titles(view: PublicView) -> tuple[str, str]:
    """(prefix for the city-wide lists, its heading): 全市, or 全县/全区 for one county's repository."""
    from fxfk.rules.hotspots import area_word

    org = view.organization
    if view.all_offices:
        area = area_word(org)
        return (org or area), f"{area}清单"
    return f"{org}（所选单位）" if org else "所选单位", "所选单位合并清单"


class _Page(NamedTuple):
    """One set of list files: the city-wide one or an office's."""

    stem: str
    title: str  # of the risk list
    np_title: str  # of the no-penalty list
    issuer: str
    offices: tuple[OfficeList, ...]
    items: tuple[NoPenaltyItem, ...]
    phone: str
    city: bool


def render_all(folder: Path, root: Path, view: PublicView, formats: list[str], progress: Progress | None = None,
               workers: int = 1, flagged: list[str] | None = None) -> list[str]:
    """Write every requested file into ``folder``; returns their names in writing order.

    ``progress(done, total)`` is told about each office list rendered (per format); office lists
    are rendered in ``workers`` processes when there are many (:mod:`fxfk.load.parallel`).
    With ``flagged``, each file is scanned for personal numbers as it is written (in its worker:
    scanning 100 MB of lists in one process took as long as rendering them) and the names of those
    holding any are appended to it, in writing order.
    """
    from fxfk.publish.safety import scan_rendered

    scan = flagged is not None

    def checked(name: str) -> tuple[str, bool]:
        return name, scan and bool(scan_rendered(folder, [name], ""))

    def names_of(results: list[tuple[str, bool]]) -> list[str]:
        if flagged is not None:
            flagged.extend(name for name, hit in results if hit)
        return [name for name, _ in results]

    from fxfk.dates import chinese_date
    from fxfk.load.parallel import run_in_order
    from fxfk.render import tabular
    from fxfk.render.templates import environment, render

    view = in_kind_order(view)
    city_prefix, city_heading = _titles(view)
    written: list[str] = []

    def put(name: str, data: str | bytes) -> None:
        _write(folder, name, data)
        written.extend(names_of([checked(name)]))

    # Each batch has its own 公布日期 (the lists print it); the run's date is only how current the data is.
    date_line = f"数据截至{chinese_date(view.date)}"
    pages: list[_Page] = []
    pages.append(_Page(CITY, f"{city_prefix}违法风险点清单", f"{city_prefix}轻微违法行为免罚清单",
                  view.organization or "各有关单位", view.offices, view.no_penalty, "", True))
    for o in view.offices:
        pages.append(_Page(o.id, f"{o.name}违法风险点清单", f"{o.name}轻微违法行为免罚清单",
                      o.organization, (o,), o.no_penalty, o.phone, False))

    env = environment(root) if ("html" in formats or "md" in formats) else None
    total = len(pages) * sum(1 for f in formats if f != "xlsx")
    rendered = 0

    def tick() -> None:
        nonlocal rendered
        rendered += 1
        if progress:
            progress(rendered, total)

    def written_by(render_files: Callable[[], Iterable[tuple[str, str | bytes]]]) -> Callable[[], list[tuple[str, bool]]]:
        """A task that writes some files and says which, each with whether it holds a personal
        number (it may run in a worker process)."""

        def task() -> list[tuple[str, bool]]:
            names: list[tuple[str, bool]] = []
            for name, data in render_files():
                _write(folder, name, data)
                names.append(checked(name))
            return names

        return task

    def page_files(env: jinja2.Environment, ext: str, page: _Page) -> Iterator[tuple[str, str]]:
        stem, title, np_title, issuer, offices, items, phone, city = page
        yield f"{stem}.{ext}", render(env, f"risk_list.{ext}.j2", view=view, title=title, issuer=issuer,
                                      offices=offices, city=city)
        yield f"{stem}.no-penalty.{ext}", render(env, f"no_penalty.{ext}.j2", view=view, title=np_title,
                                                 issuer=issuer, items=items, city=city, phone=phone)

    def docx_files(page: _Page) -> Iterator[tuple[str, bytes]]:
        from fxfk.render import docx

        stem, title, np_title, issuer, offices, items, phone, city = page
        meta = []
        latest = offices[0].latest if not city else None
        if latest:
            meta.append(f"最新批次：{latest.label}（{chinese_date(latest.date)}公布）")
        if phone:
            meta.append(f"咨询电话：{phone}")
        meta.append(date_line)
        numbering = straight_through(offices) if city else ()
        ask = list_notes(offices, city, phone, issuer)
        yield f"{stem}.docx", docx.risk_list_docx(view, title, issuer, offices, meta, numbering,
                                                  [*level_note(offices), *ask])
        yield f"{stem}.no-penalty.docx", docx.no_penalty_docx(view, np_title, issuer, items, meta, city, ask)

    def csv_task(stem: str, risks: tuple[PublicRisk, ...], no_penalty: tuple[NoPenaltyItem, ...],
                 city: bool) -> Callable[[], list[tuple[str, bool]]]:
        return lambda: [checked(p.name) for p in tabular.write_csv(folder, stem, risks, no_penalty, city)]

    # Every office's files are independent of the others': rendered on every core (fxfk.load.parallel).
    for fmt in formats:
        if fmt in ("html", "md") and env is not None:  # (env is made for these formats)
            if fmt == "html":
                put("index.html", render(env, "index.html.j2", view=view, title=f"{city_prefix}公开清单",
                                         city_file=CITY, city_title=city_heading))
            tasks = [written_by(partial(page_files, env, fmt, page)) for page in pages]
            written += names_of(run_in_order(tasks, workers, tick))
        elif fmt == "csv":
            tasks = [csv_task(CITY, view.risks, view.no_penalty, True)]
            tasks += [csv_task(o.id, o.risks, o.no_penalty, False) for o in view.offices]
            written += names_of(run_in_order(tasks, workers, tick))
        elif fmt == "xlsx":
            put(XLSX_NAME, tabular.xlsx_bytes(view, city_prefix))
        elif fmt == "docx":
            written += names_of(run_in_order([written_by(partial(docx_files, page)) for page in pages], workers, tick))
    return written


def in_kind_order(view: PublicView) -> PublicView:
    """Offices as the report and deadlines order them: 县（市、区）商务局, then 机关处室, then 局属单位,
    each by id — in the index, the city list's contents, the XLSX sheets and every list alike."""
    from fxfk.models import OfficeKind

    rank = {k.label: n for n, k in enumerate(OfficeKind)}
    ordered = tuple(sorted(view.offices, key=lambda o: (rank.get(o.kind, len(rank)), o.id)))
    return dataclasses.replace(view, offices=ordered)


def level_note(offices: Iterable[OfficeList]) -> list[str]:
    """The 说明's line on the levels, in the notice's words (as the HTML and Markdown lists print it)."""
    from fxfk.render.templates import level_notes

    levels = level_notes(offices)
    return ["风险等级按郑商〔2019〕175号附件1划分：" + "；".join(f"{label}，指{clause}" for label, clause in levels) + "。"] if levels else []


def list_notes(offices: tuple[OfficeList, ...], city: bool, phone: str, issuer: str) -> list[str]:
    """The 说明's line on whom to ask (the HTML and Markdown templates write the same)."""
    if city:
        return ["对清单有疑问的，可拨打各单位的咨询电话（写在各单位名称下）。本清单的序号全市连续编排，各单位清单中的序号从 1 起。"]
    if phone:
        return [f"对本清单有疑问的，可拨打咨询电话 {phone} 咨询。"]
    return [f"对本清单有疑问的，可向{offices[0].organization if offices else issuer}咨询。"]


def straight_through(offices: Iterable[OfficeList]) -> list[int]:
    """For a list of several offices: the number before each office's first point (numbering straight through)."""
    out, seen = [], 0
    for office in offices:
        out.append(seen)
        seen += len(office.risks)
    return out


def _write(folder: Path, name: str, data: str | bytes) -> None:
    if name.endswith(".md") and isinstance(data, str):  # (Markdown is always text)
        data = tidy_markdown(data)
    (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def tidy_markdown(text: str) -> str:
    """Templates with many conditionals leave runs of blank lines; Markdown needs at most one."""
    import re

    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def refuse_personal_numbers_in(folder: Path, files: list[str], out: Path, texts: Iterable[PublicText]) -> None:
    """The last net: personal numbers in the rendered public files (a template may have written them)."""
    from fxfk.publish.safety import scan_rendered

    problems = scan_rendered(folder, files, out.as_posix(), texts)
    if problems:
        raise DataRefused(
            f"生成的公开文件中发现 {len(problems)} 处疑似个人信息，已拒绝公布（输出目录未改动）", problems
        )


def publish(root: Path, out: Path, options: Options | None = None, offices: list[str] | None = None,
            formats: list[str] | None = None, progress: Progress | None = None) -> PublishResult:
    """Publish the lists for ``options.date`` (default today) into ``out``, replacing it whole.

    ``formats``: some of :data:`FORMATS` (default all). Raises :class:`~fxfk.errors.DataRefused`
    when the data has errors or the public content holds what must not be published; the previous
    ``out`` is then left as it was.
    """
    from fxfk.publish.output import write_atomically

    options = options or Options()
    built = prepare(root, options.day(), offices, options)
    view = built.view
    chosen = list(formats) if formats else list(FORMATS)

    def fill(tmp: Path) -> list[str]:
        flagged: list[str] = []  # the files holding personal numbers, found as they are written
        files = render_all(tmp, root, view, chosen, progress, options.workers(), flagged)
        refuse_personal_numbers_in(tmp, flagged, out, built.texts)
        return files

    files = write_atomically(out, root, fill, MARKER, MARKER_TEXT, what="公开清单", command="fxfk publish")
    return PublishResult(out, files, len(view.offices), len(view.risks), len(view.no_penalty))
