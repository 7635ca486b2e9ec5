"""`fxfk publish` as a library call: the public risk lists and the no-penalty list (附件1 二(四)).

Steps: refuse while validation finds errors → build the public view for the publication date →
refuse on personal numbers or laws not in force → render every format into a temporary folder next
to the output → swap it in (:mod:`fxfk.publish.output`). A failure at any step leaves the previous
output as it was. Every refusal is a :class:`fxfk.errors.DataRefused` carrying its diagnostics.

Only what changed is rendered (:mod:`fxfk.publish.pages`): files whose inputs are unchanged are
linked from the previous output (:mod:`fxfk.publish.reuse`), the city-wide list is assembled from
per-office sections (:mod:`fxfk.publish.city`), and for HTML, Markdown and CSV an unchanged office is
not even built — its summary from the previous manifest stands in (:mod:`fxfk.publish.summary`).

HTML, Markdown and CSV of two or more offices without the repository's own templates are published
office by office (:mod:`fxfk.publish.offices`): each office's list is built, checked and rendered in
a worker process, and the repository-wide validation runs meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fxfk.errors import DataRefused, FxfkError
from fxfk.options import Options

if TYPE_CHECKING:  # imported by the functions that need them (startup time)
    from fxfk.diagnostics import Diagnostic
    from fxfk.load.repository import Repository
    from fxfk.public.view import BuiltView, OfficeList, PublicText, PublicView
    from fxfk.publish.reuse import Manifests

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
    reused: int = 0  # of ``files``, linked unchanged from the previous output (the rest were rendered)


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
    repo, chosen, _ = _validated(root, offices, options or Options())
    return _view(repo, date, chosen)


def _validated(root: Path, offices: list[str] | None, options: Options, defer: bool = False
               ) -> tuple[Repository, list[str] | None, Callable[[], None]]:
    """The repository, refused while validation finds errors; the chosen offices (None: all); and what
    is left of validation: with ``defer`` the repository-wide checks (they raise the refusal when run),
    else nothing. Publishing office by office runs them while its workers render into the staging
    folder, which a refusal then drops: the same refusal, found while the workers work."""
    from fxfk.rules.validation import ValidationResult, load, require_data, validate_repository

    def refuse_errors(result: ValidationResult) -> None:
        errors = [d for d in result.diagnostics if d.severity == "error"]
        if errors:
            raise DataRefused(
                f"数据中有 {result.errors} 个错误，已拒绝公布；请先用 fxfk validate 检查并修正", errors
            )

    # Validation judges on the real today (a batch dated later is scheduled), the list on ``date``.
    # Facts only: the public view takes each register's full model in turn (build_view), from the
    # cache; without one that would parse every file twice, so whole models are loaded at once.
    repo = require_data(root, load(root, dataclasses.replace(options, date=None), facts_only=options.cache))
    if not defer or any(d.severity == "error" for d in repo.diagnostics):
        refuse_errors(validate_repository(repo))
        defer = False
    known = [s.valid_facts.office.id for s in repo.valid_registers()]
    if offices:
        unknown = [o for o in offices if o not in known]
        if unknown:
            if defer:  # (errors first, as without deferring)
                refuse_errors(validate_repository(repo))
            raise FxfkError(
                f"没有单位“{'、'.join(unknown)}”的登记册；已有单位：{'、'.join(known) or '（无）'}"
            )
    chosen = list(dict.fromkeys(offices)) if offices else None
    return repo, chosen, (lambda: refuse_errors(validate_repository(repo))) if defer else (lambda: None)


def _view(repo: Repository, date: dt.date, offices: list[str] | None, only: set[str] | None = None) -> BuiltView:
    """The public view of the chosen offices, refused on what must not be published.

    ``only``: build just these offices (the others' files are reused, :mod:`fxfk.publish.summary`);
    the scans then cover only them — the others passed them last time with the same key."""
    from fxfk.load.gcpause import gc_paused
    from fxfk.public.view import build_view
    from fxfk.publish.safety import scan_personal_data
    from fxfk.rules.law_articles import conditions_not_in_force
    from fxfk.rules.laws import laws_not_in_force

    chosen = offices
    if only is not None:
        chosen = [s.valid_facts.office.id for s in repo.valid_registers() if s.valid_facts.office.id in only]
    with gc_paused(keep=True):  # 100,000s of acyclic objects that live until the files are written
        built = build_view(repo, date, chosen)
    built.view = dataclasses.replace(built.view, all_offices=offices is None)
    problems = list(scan_personal_data(built.texts))
    catalogue = repo.laws.model if repo.laws is not None else None
    problems += list(laws_not_in_force(built.citations, catalogue, date))
    problems += list(conditions_not_in_force(repo, date))
    _refuse(problems)
    return built


def _refuse(problems: list[Diagnostic]) -> None:
    """Refuse the publication when its public content holds anything that must not be published."""
    if problems:
        problems.sort(key=lambda d: (d.file, d.line, d.column, d.code))
        raise DataRefused(f"公开内容中发现 {len(problems)} 处不能公布的内容，已拒绝公布", problems)


def _titles(view: PublicView) -> tuple[str, str]:
    """(prefix for the city-wide lists, its heading): 全市, or 全县/全区 for one county's repository."""
    from fxfk.rules.hotspots import area_word

    org = view.organization
    if view.all_offices:
        area = area_word(org)
        return (org or area), f"{area}清单"
    return f"{org}（所选单位）" if org else "所选单位", "所选单位合并清单"


def in_kind_order(view: PublicView) -> PublicView:
    """Offices as the report and deadlines order them: 县（市、区）商务局, then 机关处室, then 局属单位,
    each by id — in the index, the city list's contents, the XLSX sheets and every list alike."""
    return dataclasses.replace(view, offices=tuple(sorted(view.offices, key=lambda o: kind_key(o.kind, o.id))))


def kind_key(kind: str, office_id: str) -> tuple[int, str]:
    """The sort key of :func:`in_kind_order` for an office of ``kind`` (its Chinese label)."""
    from fxfk.models import OfficeKind

    rank = {k.label: n for n, k in enumerate(OfficeKind)}
    return rank.get(kind, len(rank)), office_id


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
    return numbered_after(len(office.risks) for office in offices)


def numbered_after(counts: Iterable[int]) -> list[int]:
    """For offices with ``counts`` points, in list order: how many points come before each."""
    out, seen = [], 0
    for n in counts:
        out.append(seen)
        seen += n
    return out


def _write(folder: Path, name: str, data: str | bytes) -> str | bytes:
    """Write one public file; returns what was written, as given (text is scanned without decoding it again)."""
    if name.endswith(".md") and isinstance(data, str):  # (Markdown is always text)
        data = tidy_markdown(data)
    (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return data


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
            formats: list[str] | None = None, progress: Progress | None = None, reuse: bool = True) -> PublishResult:
    """Publish the lists for ``options.date`` (default today) into ``out``, replacing it whole.

    ``formats``: some of :data:`FORMATS` (default all). Raises :class:`~fxfk.errors.DataRefused`
    when the data has errors or the public content holds what must not be published; the previous
    ``out`` is then left as it was. Files whose inputs are unchanged are linked from the previous
    ``out`` instead of rendered (:mod:`fxfk.publish.reuse`), unless ``reuse`` is False.
    """
    from fxfk.publish import offices as by_office
    from fxfk.publish.output import write_atomically
    from fxfk.publish.pages import render_all
    from fxfk.publish.reuse import Manifests, Reuse, common_key, key_of, register_digests
    from fxfk.publish.summary import NeedFull, stub_of, summary_of

    options = options or Options()
    date = options.day()
    chosen = list(formats) if formats else list(FORMATS)
    # Office by office, the repository-wide checks run while the workers render (see _validated).
    possible = by_office.applies(root, chosen, 2)
    repo, chosen_offices, checks = _validated(root, offices, options, defer=possible)
    ids = [s.valid_facts.office.id for s in repo.valid_registers()
           if chosen_offices is None or s.valid_facts.office.id in chosen_offices]
    office_by_office = possible and by_office.applies(root, chosen, len(ids))
    if not office_by_office:
        checks()
    digests = register_digests(repo, set(ids))
    common = common_key(root, repo, date, chosen_offices, chosen)
    office_key = {i: key_of(common, "office", i, digests[i]) for i in ids}
    manifests = Manifests(root, options.cache)  # (reuse needs the cache: see fxfk.publish.reuse)
    old = out.absolute() if reuse and options.cache and (out / MARKER).is_file() else None
    if office_by_office:
        return _publish_by_office(root, out, repo, date, ids, chosen, chosen_offices is None, old, common, manifests,
                                  digests, office_key, options.workers(), progress, checks)
    # Offices whose summary is in the old manifest are not built (their files are reused); XLSX and
    # DOCX hold every point of the city, so with them every office is built.
    stubs: dict[str, OfficeList] = {}
    if old is not None and not {"xlsx", "docx"} & set(chosen):
        summaries = manifests.read(old)[1]  # (read again under the lock: keyed by content, so the same)
        for i in ids:
            stub = stub_of(summaries[office_key[i]]) if isinstance(summaries.get(office_key[i]), dict) else None
            if stub is not None and stub.id == i:
                stubs[i] = stub

    def fill(tmp: Path) -> list[str]:
        flagged: list[str] = []  # the files holding personal numbers, found as they are written
        plan = Reuse.start(old, common, manifests)
        files = render_all(tmp, root, view, chosen, progress, options.workers(), flagged, plan, digests,
                           frozenset(stubs))
        refuse_personal_numbers_in(tmp, flagged, out, built.texts)
        plan.offices = {office_key[o.id]: summary_of(o) for o in view.offices}
        plans.append(plan)
        result.reused = len(plan.reused)
        return files

    plans: list[Reuse] = []  # the plan of the run that was swapped in

    while True:
        built = _view(repo, date, chosen_offices, {i for i in ids if i not in stubs} if stubs else None)
        view = dataclasses.replace(built.view, offices=built.view.offices + tuple(stubs.values()))
        result = PublishResult(out, [], len(view.offices), len(view.risks), len(view.no_penalty))
        try:
            result.files = write_atomically(out, root, fill, MARKER, MARKER_TEXT, what="公开清单", command="fxfk publish")
            manifests.write(out.absolute(), plans[-1])
            return result
        except NeedFull as need:  # an office's summary was not enough after all: build it too
            if not need.ids & set(stubs):
                raise RuntimeError(f"publish: no stub among {need}") from None
            for i in need.ids:
                stubs.pop(i, None)


def _publish_by_office(root: Path, out: Path, repo: Repository, date: dt.date, ids: list[str], formats: list[str],
                       all_offices: bool, old: Path | None, common: str, manifests: Manifests,
                       digests: dict[str, str], office_key: dict[str, str], workers: int,
                       progress: Progress | None, checks: Callable[[], None]) -> PublishResult:
    """:func:`publish` office by office (:mod:`fxfk.publish.offices`): each office's list is built in the
    worker that renders it, and the refusals come once every worker is done. ``checks``: the
    repository-wide validation, run meanwhile; its refusal comes first (and stands even if rendering
    data it refuses failed)."""
    from fxfk.public.view import build_view
    from fxfk.publish.offices import render_by_office
    from fxfk.publish.output import write_atomically
    from fxfk.publish.reuse import Reuse
    from fxfk.rules.law_articles import conditions_not_in_force

    result = PublishResult(out)
    plans: list[Reuse] = []

    def fill(tmp: Path) -> list[str]:
        plan = Reuse.start(old, common, manifests)
        known = {i: plan.summaries[office_key[i]] for i in ids if isinstance(plan.summaries.get(office_key[i]), dict)}
        ran: list[bool] = []

        def validation() -> None:
            ran.append(True)
            checks()

        try:
            done = render_by_office(tmp, root, repo, date, ids, formats, plan, digests, known, all_offices, workers,
                                    progress, validation)
        except DataRefused:
            raise
        except Exception:
            if not ran:  # (data the checks refuse may fail to render first: the refusal says why)
                checks()
            raise
        _refuse(done.problems + list(conditions_not_in_force(repo, date)))
        if done.flagged:  # (rare: the fields are needed to say which one holds the number)
            suspects = [i for i in ids if i in done.suspects] or ids
            refuse_personal_numbers_in(tmp, done.flagged, out, build_view(repo, date, suspects).texts)
        plan.offices = {office_key[i]: done.summaries[i] for i in ids}
        plans.append(plan)
        result.offices, result.risks = len(done.view.offices), len(done.view.risks)
        result.no_penalty, result.reused = len(done.view.no_penalty), len(plan.reused)
        return done.files

    result.files = write_atomically(out, root, fill, MARKER, MARKER_TEXT, what="公开清单", command="fxfk publish")
    manifests.write(out.absolute(), plans[-1])
    return result
