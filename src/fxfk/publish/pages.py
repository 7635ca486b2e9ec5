"""Writing every file of a publication into the staging folder, rendering only what changed.

Each set of list files (the city's, each office's; per format) is either linked from the previous
output (:mod:`fxfk.publish.reuse`: same key, untouched file) or rendered — in worker processes when
there are many (:mod:`fxfk.load.parallel`), together with the sections of the city-wide risk list
(:mod:`fxfk.publish.city`). The names come back in a fixed writing order whatever was reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fxfk.publish import CITY
from fxfk.publish.reuse import Reuse, key_of

if TYPE_CHECKING:
    import jinja2

    from fxfk.public.view import NoPenaltyItem, OfficeList, PublicView
    from fxfk.publish.city import Part

Progress = Callable[[int, int], None]  # progress(done, total)
# A rendering task: the files it wrote, each with whether it holds a personal number, or city sections.
Task = Callable[[], "list[tuple[str, bool] | Part]"]


class Page(NamedTuple):
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
               workers: int = 1, flagged: list[str] | None = None, reuse: Reuse | None = None,
               digests: dict[str, str] | None = None, stubs: frozenset[str] = frozenset()) -> list[str]:
    """Write every requested file into ``folder``; returns their names in writing order.

    ``progress(done, total)`` is told about each rendering task done (a set of lists, a section).
    With ``flagged``, each rendered file is scanned for personal numbers as it is written (in its
    worker) and the names of those holding any are appended to it. ``reuse`` decides which files
    come from the previous output (default: none) and records the manifest entries; ``digests``
    are the chosen registers' bytes digests by office id (default: no reuse possible). ``stubs``:
    offices of ``view`` known only by their summary (:mod:`fxfk.publish.summary`); raises
    :class:`~fxfk.publish.summary.NeedFull` before writing anything that would render one.
    """
    from fxfk.dates import chinese_date
    from fxfk.load.parallel import run_in_order
    from fxfk.publish import XLSX_NAME, _titles, _write, in_kind_order, straight_through
    from fxfk.publish import city as citylist
    from fxfk.publish.reuse import template_files
    from fxfk.publish.safety import holds_personal_numbers
    from fxfk.publish.summary import NeedFull
    from fxfk.render import tabular
    from fxfk.render.templates import environment, render

    scan = flagged is not None
    reuse = reuse or Reuse(None, "")
    if digests is None:  # nothing to key on: every key unique to this run
        import os

        reuse, digests = Reuse(None, os.urandom(16).hex()), {o.id: "" for o in view.offices}
    view = in_kind_order(view)
    city_prefix, city_heading = _titles(view)
    every = key_of(*(f"{o.id}:{digests[o.id]}" for o in view.offices))
    # A repository's own templates see the whole view: then every file depends on every register.
    own = every if template_files(root)[1] else ""

    def checked(name: str, data: str | bytes) -> tuple[str, bool]:
        return name, scan and holds_personal_numbers(name, data)

    def note(results: Iterable[tuple[str, bool]]) -> None:
        if flagged is not None:
            flagged.extend(name for name, hit in results if hit)

    date_line = f"数据截至{chinese_date(view.date)}"
    pages = [city_page(view, city_prefix)] + [office_page(o) for o in view.offices]

    def page_key(fmt: str, page: Page) -> str:
        return reuse.key(fmt, "page", page.stem, every if page.city else digests[page.stem] + own)

    env = environment(root) if ("html" in formats or "md" in formats) else None
    total = 0
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    def written_by(render_files: Callable[[], Iterable[tuple[str, str | bytes]]]) -> Task:
        """A task that writes some files and says which, each with whether it holds a personal
        number (it may run in a worker process)."""

        def task() -> list[tuple[str, bool] | Part]:
            names: list[tuple[str, bool] | Part] = []
            for name, data in render_files():
                names.append(checked(name, _write(folder, name, data)))
            return names

        return task

    def docx_files(page: Page) -> Iterator[tuple[str, bytes]]:
        from fxfk.publish import level_note, list_notes
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

    def single(name: str, key: str, make: Callable[[], str | bytes], whole: bool = False) -> None:
        if not reuse.take(folder, [name], key):
            if whole and stubs:  # (XLSX: every point of every office)
                raise NeedFull(set(stubs))
            note([checked(name, _write(folder, name, make()))])
            reuse.record(folder, name, key)

    # First decide, for every format, what is reused and what rendered (a stub must not be rendered:
    # NeedFull before any work); then render.
    written: list[str] = []
    steps: list[tuple[str, list[Task], citylist.CityList | None, list[tuple[Page, str]]]] = []
    need: set[str] = set()
    for fmt in formats:
        if fmt == "xlsx":
            single(XLSX_NAME, reuse.key(fmt, every), lambda: tabular.xlsx_bytes(view, city_prefix), whole=True)
            written.append(XLSX_NAME)
            continue
        if fmt == "html":
            assert env is not None
            single("index.html", reuse.key(fmt, "index", every), lambda: render(
                env, "index.html.j2", view=view, title=f"{city_prefix}公开清单", city_file=CITY, city_title=city_heading))
            written.append("index.html")
        tasks: list[Task] = []
        city: citylist.CityList | None = None
        fresh: list[tuple[Page, str]] = []  # pages rendered in this format, with their key
        for page in pages:
            names = [f"{page.stem}.{fmt}", f"{page.stem}.no-penalty.{fmt}"]
            written += names
            key = page_key(fmt, page)
            if reuse.take(folder, names, key):
                continue
            skip: frozenset[str] = frozenset()
            if page.city and fmt in ("html", "md", "csv") and not citylist.overridden(root):
                offsets = straight_through(view.offices)
                keys = [f'{reuse.key(fmt, "section", o.id, digests[o.id])}:{n}' for o, n in zip(view.offices, offsets)]
                city = citylist.plan(reuse, fmt, keys, offsets, [len(o.risks) for o in view.offices])
                if not citylist.frame(city, env, view, page.title, page.issuer):
                    city = None
                if city is not None:
                    skip = frozenset(names[:1])
                    need |= {view.offices[i].id for i in city.todo} & stubs
                    tasks += [citylist.section_task(folder, city, i, env, view, scan) for i in city.todo]
            if page.city and not skip:
                need |= set(stubs)  # the whole city list, or a DOCX of it
            elif not page.city and page.stem in stubs:
                need.add(page.stem)
            fresh.append((page, key))
            if fmt in ("html", "md"):
                assert env is not None
                tasks.append(written_by(partial(page_files, env, view, fmt, page, skip)))
            elif fmt == "csv":
                tasks.append(written_by(partial(page_files, None, view, fmt, page, skip)))
            else:
                tasks.append(written_by(partial(docx_files, page)))
        steps.append((fmt, tasks, city, fresh))
    if need:
        raise NeedFull(need)
    total = sum(len(tasks) for _, tasks, _, _ in steps)
    for fmt, tasks, city, fresh in steps:
        if city is not None:
            (folder / citylist.PARTS).mkdir(exist_ok=True)
        results = run_in_order(tasks, workers, tick)
        parts = [r for r in results if isinstance(r, citylist.Part)]
        note(r for r in results if not isinstance(r, citylist.Part))
        for page, key in fresh:
            for name in (f"{page.stem}.{fmt}", f"{page.stem}.no-penalty.{fmt}"):
                if city is None or name != city.name:
                    reuse.record(folder, name, key)
        if city is not None:
            if citylist.finish(folder, city, reuse, page_key(fmt, pages[0]), parts, scan):
                note([(city.name, True)])
            (folder / citylist.PARTS).rmdir()
    return written


def city_page(view: PublicView, prefix: str) -> Page:
    return Page(CITY, f"{prefix}违法风险点清单", f"{prefix}轻微违法行为免罚清单", view.organization or "各有关单位",
                view.offices, view.no_penalty, "", True)


def office_page(o: OfficeList) -> Page:
    return Page(o.id, f"{o.name}违法风险点清单", f"{o.name}轻微违法行为免罚清单", o.organization, (o,), o.no_penalty,
                o.phone, False)


def page_files(env: jinja2.Environment | None, view: PublicView, fmt: str, page: Page,
               skip: frozenset[str] = frozenset(), body: str | None = None) -> Iterator[tuple[str, str | bytes]]:
    """The risk list and the no-penalty list of ``page`` in ``fmt`` (html, md: ``env``'s templates; csv),
    except the names in ``skip``. ``body``: an office page's batch sections already rendered
    (:func:`fxfk.publish.city.office_body`)."""
    stem, title, np_title, issuer, offices, items, phone, city = page
    if fmt == "csv":
        from fxfk.public import plain
        from fxfk.render import tabular

        if f"{stem}.csv" not in skip:
            header = plain.RISK_COLUMNS + tabular.RISK_EXTRA
            if body is not None:  # (its rows, already written: see fxfk.render.tabular.numbered_csv)
                yield f"{stem}.csv", tabular.csv_bytes(header, []) + body.encode("utf-8")
            else:
                risks = view.risks if city else offices[0].risks
                yield f"{stem}.csv", tabular.csv_bytes(header, tabular.risk_records(risks, city))
        yield f"{stem}.no-penalty.csv", tabular.csv_bytes(plain.NO_PENALTY_COLUMNS + tabular.NO_PENALTY_EXTRA,
                                                          tabular.no_penalty_records(items, city))
        return
    from fxfk.render.templates import render

    assert env is not None
    if f"{stem}.{fmt}" not in skip:
        extra = {"office_body": body} if body is not None else {}
        yield f"{stem}.{fmt}", render(env, f"risk_list.{fmt}.j2", view=view, title=title, issuer=issuer,
                                      offices=offices, city=city, **extra)
    yield f"{stem}.no-penalty.{fmt}", render(env, f"no_penalty.{fmt}.j2", view=view, title=np_title,
                                             issuer=issuer, items=items, city=city, phone=phone)

