"""Publishing office by office: each office's list built, checked and rendered in one worker process.

At province scale, building every office's public list in the main process (its register's full
model from the cache, then its :class:`~fxfk.public.view.OfficeList`) was a third of a publish, done
on one core before any file was rendered. Here a worker takes one office at a time: it builds the
office's list, runs the checks that refuse a publication on its public fields (personal numbers, laws
not in force), renders the office's own files and its sections of the city-wide list
(:mod:`fxfk.publish.city`), and sends back only the office's summary (:mod:`fxfk.publish.summary`),
what the checks found and the names it wrote. The main process then writes what spans the offices —
the index, the city list's head and tail, the city no-penalty list — from the summaries, exactly as
it does for offices whose files are reused from the previous run. A refusal is raised once every
worker is done; the staging folder is then dropped and the output left as it was. Meanwhile the main
process runs the repository-wide validation (``meanwhile``: see :func:`fxfk.publish._validated`).

The city list's order and numbering are decided before any list is built, from the facts: each
office's kind (``OfficeFacts.kind``) and its number of public points
(:func:`fxfk.public.view.public_points`, the same rule as the list); a worker whose list has another
number of points stops the run as a bug.

Used when nothing needs every office's full list at once (:func:`applies`): formats HTML, Markdown
and CSV only (the XLSX and the city DOCX hold every point), none of the repository's own templates
(they get the whole view on every page), and at least two offices (one office's city list takes the
office layout, which has no sections). Otherwise :mod:`fxfk.publish.pages` renders from the whole view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fxfk.diagnostics import Diagnostic

if TYPE_CHECKING:
    from fxfk.load.repository import Repository, SourceFile
    from fxfk.models import Register
    from fxfk.public.view import PublicView
    from fxfk.publish import city
    from fxfk.publish.reuse import Reuse

FORMATS = ("html", "md", "csv")
Progress = Callable[[int, int], None]


def applies(root: Path, formats: list[str], offices: int) -> bool:
    """Whether a publication of ``formats`` for this many offices can be made office by office."""
    from fxfk.publish.reuse import template_files

    return offices >= 2 and set(formats) <= set(FORMATS) and not template_files(root)[1]


class Done(NamedTuple):
    """What a worker sends back for one office."""

    position: int  # in list order
    summary: dict[str, Any]
    problems: list[Diagnostic]  # what refuses the publication (its public fields)
    files: list[tuple[str, bool, tuple[int, int, int]]]  # written: whether it holds a personal number, its stat
    parts: list[tuple[str, city.Part]]  # its city sections, by format


@dataclass
class Published:
    """The outcome: the names in writing order, the view of summaries, and what refuses it."""

    files: list[str]
    view: PublicView
    summaries: dict[str, dict[str, Any]]  # by office id
    problems: list[Diagnostic] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # files holding a personal number
    suspects: set[str] = field(default_factory=set)  # offices whose public fields may be the cause


@dataclass
class _Work:
    """One office's work: which formats' own files and city sections to render."""

    position: int  # in list order
    src: SourceFile[Register]
    pages: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def render_by_office(folder: Path, root: Path, repo: Repository, date: dt.date, ids: list[str], formats: list[str],
                     reuse: Reuse, digests: dict[str, str], summaries: dict[str, dict[str, Any]],
                     all_offices: bool, workers: int = 1, progress: Progress | None = None,
                     meanwhile: Callable[[], None] | None = None) -> Published:
    """Write every file of the publication of offices ``ids`` into ``folder``; ``meanwhile()`` runs here
    while the workers render (its exception propagates once they are done).

    ``summaries``: the previous run's summary of each office whose key is unchanged (by office id): an
    office with one whose files are all reused is not built. ``digests``: each register's bytes digest.
    """
    from fxfk.load.parallel import run_in_order
    from fxfk.public.view import PublicView, public_points
    from fxfk.publish import CITY, _titles, _write, kind_key, numbered_after
    from fxfk.publish import city as citylist
    from fxfk.publish.pages import city_page, office_page, page_files
    from fxfk.publish.reuse import key_of, stat_of
    from fxfk.publish.safety import holds_personal_numbers
    from fxfk.publish.summary import stub_of
    from fxfk.render.templates import environment, render

    organization = (repo.settings.organization or "").strip()
    catalogue = repo.laws.model if repo.laws is not None else None
    chosen = set(ids)
    sources = sorted((s for s in repo.valid_registers() if s.valid_facts.office.id in chosen),
                     key=lambda s: kind_key(s.valid_facts.office.kind.label, s.valid_facts.office.id))
    order = [s.valid_facts.office.id for s in sources]
    counts = [public_points(s.valid_facts, date) for s in sources]
    offsets = numbered_after(counts)
    env = environment(root) if ("html" in formats or "md" in formats) else None
    every = key_of(*(f"{i}:{digests[i]}" for i in order))

    def page_key(fmt: str, stem: str) -> str:
        return reuse.key(fmt, "page", stem, every if stem == CITY else digests[stem])

    # What is reused, what must be built: an office is built when any of its files or sections must be
    # rendered, or its summary is not known.
    work = [_Work(i, s) for i, s in enumerate(sources)]
    cities: dict[str, citylist.CityList | None] = {}  # None: the city files reused
    for fmt in formats:
        if reuse.take(folder, [f"{CITY}.{fmt}", f"{CITY}.no-penalty.{fmt}"], page_key(fmt, CITY)):
            cities[fmt] = None
        else:
            keys = [f'{reuse.key(fmt, "section", i, digests[i])}:{n}' for i, n in zip(order, offsets)]
            cities[fmt] = city = citylist.plan(reuse, fmt, keys, offsets, counts)
            for i in city.todo:
                work[i].sections.append(fmt)
        for w, office in zip(work, order):
            if not reuse.take(folder, [f"{office}.{fmt}", f"{office}.no-penalty.{fmt}"], page_key(fmt, office)):
                w.pages.append(fmt)
    known = {o: stub for o in order if o in summaries and (stub := stub_of(summaries[o])) is not None and stub.id == o}
    todo = [w for w, office in zip(work, order) if w.pages or w.sections or office not in known]

    def task(w: _Work) -> Callable[[], list[Done]]:
        def run() -> list[Done]:
            from fxfk.public.view import BuiltView, office_list
            from fxfk.publish.safety import scan_personal_data
            from fxfk.publish.summary import summary_of
            from fxfk.render import tabular
            from fxfk.rules.laws import laws_not_in_force

            built = BuiltView(PublicView(organization, date, (), all_offices))
            office = office_list(w.src, organization, date, built, catalogue)
            if len(office.risks) != counts[w.position]:
                raise RuntimeError(f"{office.id}: {len(office.risks)} public points, the facts count {counts[w.position]}")
            problems = list(scan_personal_data(built.texts)) + list(laws_not_in_force(built.citations, catalogue, date))
            files: list[tuple[str, bool, tuple[int, int, int]]] = []
            parts: list[tuple[str, citylist.Part]] = []
            if not problems:  # (refused anyway: nothing to render)
                view = PublicView(organization, date, (office,), all_offices)
                # What the office's list and its city section share is rendered once: the batch sections
                # (html, md), the rows (csv).
                bodies: dict[str, str] = {}
                sections: dict[str, bytes] = {}
                for fmt in set(w.pages) & set(w.sections):
                    if fmt == "csv":
                        rows = tabular.risk_records(office.risks, False)
                        bodies[fmt], section = tabular.numbered_csv(rows, [0, offsets[w.position]])
                        sections[fmt] = section.encode("utf-8")
                    elif env is not None:
                        bodies[fmt] = citylist.office_body(env, fmt, view, office)
                for fmt in w.pages:
                    for name, data in page_files(env, view, fmt, office_page(office), body=bodies.get(fmt)):
                        hit = holds_personal_numbers(name, _write(folder, name, data))
                        files.append((name, hit, stat_of(folder / name)))
                for fmt in w.sections:
                    data = sections[fmt] if fmt in sections else citylist.section_bytes(
                        env, fmt, view, office, offsets[w.position], bodies.get(fmt))
                    hit = holds_personal_numbers(f"{CITY}.{fmt}", data)
                    parts.append((fmt, citylist.write_part(folder, fmt, w.position, data, hit)))
            return [Done(w.position, summary_of(office), problems, files, parts)]

        return run

    if any(w.sections for w in todo):
        (folder / citylist.PARTS).mkdir(exist_ok=True)
    done_count = 0

    def tick() -> None:
        nonlocal done_count
        done_count += 1
        if progress:
            progress(done_count, len(todo))

    out = Published([], PublicView(organization, date, (), all_offices), {})
    stubs = dict(known)
    fresh: dict[str, list[citylist.Part]] = {fmt: [] for fmt in formats}  # city sections rendered

    def take(done: Done) -> None:  # (in order, as the workers go on)
        office = order[done.position]
        out.summaries[office] = done.summary
        stub = stub_of(done.summary)
        assert stub is not None
        stubs[office] = stub
        out.problems += done.problems
        hits = [name for name, hit, _ in done.files if hit]
        out.flagged += hits
        if hits or any(part.hit for _, part in done.parts):
            out.suspects.add(office)
        for fmt, part in done.parts:
            fresh[fmt].append(part)
        for name, _, seen in done.files:
            reuse.record(folder, name, page_key(name.rsplit(".", 1)[1], office), seen=seen)

    run_in_order([task(w) for w in todo], workers, tick, meanwhile, take)
    for office in order:
        if office not in out.summaries:
            out.summaries[office] = summaries[office]
    view = PublicView(organization, date, tuple(stubs[o] for o in order), all_offices)
    out.view = view
    if out.problems:
        return out

    # What spans the offices, from their summaries.
    prefix, heading = _titles(view)
    whole = city_page(view, prefix)

    def written(name: str, data: str | bytes, key: str) -> None:
        if holds_personal_numbers(name, _write(folder, name, data)):
            out.flagged.append(name)
        reuse.record(folder, name, key)

    for fmt in formats:
        if fmt == "html":
            assert env is not None
            key = reuse.key(fmt, "index", every)
            if not reuse.take(folder, ["index.html"], key):
                written("index.html", render(env, "index.html.j2", view=view, title=f"{prefix}公开清单",
                                             city_file=CITY, city_title=heading), key)
            out.files.append("index.html")
        out.files += [f"{CITY}.{fmt}", f"{CITY}.no-penalty.{fmt}"]
        plan = cities[fmt]
        if plan is not None:
            for name, data in page_files(env, view, fmt, whole, frozenset([f"{CITY}.{fmt}"])):
                written(name, data, page_key(fmt, CITY))
            if not citylist.frame(plan, env, view, whole.title, whole.issuer):
                raise RuntimeError(f"the built-in city list ({fmt}) does not split into sections")
            if citylist.finish(folder, plan, reuse, page_key(fmt, CITY), fresh[fmt], scan=True):
                out.flagged.append(plan.name)
        out.files += [name for office in order for name in (f"{office}.{fmt}", f"{office}.no-penalty.{fmt}")]
    if (folder / citylist.PARTS).is_dir():
        (folder / citylist.PARTS).rmdir()
    return out


__all__ = ["Published", "applies", "render_by_office"]
