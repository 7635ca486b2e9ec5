"""The city-wide risk list (``_city.html/.md/.csv``) assembled from one section per office.

It is the largest file of a publication (every public point), and used to be one long render. Now
its head (title, 说明, contents) and tail are rendered once with ``sections_mark`` standing where the
offices go, and each office's section is rendered on its own (``city_section.<fmt>.j2``: the macro
the whole template's loop calls, so the bytes are the same) — in the worker processes, alongside the
offices' own lists. A section is numbered from its ``offset`` (本清单的序号全市连续编排): its key is
``<office key>:<offset>``. When an office before it gains or loses a point, an unchanged section is
not rendered again but renumbered (:func:`renumber`). Office by office (:mod:`fxfk.publish.offices`)
a section takes its batches from the office list's own rendering of them (:func:`office_body`,
:func:`section_body`: headings one level down, numbers moved). Fresh sections are appended to one
part file per worker process and format (:func:`write_part`) and copied into place by :func:`finish`.

Unchanged sections are read back from the previous city file: its manifest entry records where each
section's bytes are (:class:`fxfk.publish.reuse.Entry`), and the old file must be untouched since
(:meth:`fxfk.publish.reuse.Reuse.unchanged`). Markdown's blank-line tidying is applied to each section (and the head) alone: a
section never starts with a blank line, so no run of blank lines spans two parts and the file is
what tidying it whole gives; only its end is trimmed to one newline. CSV: the header row,
then each office's rows.

A repository overriding a template the city list is made of (:data:`CITY_TEMPLATES`) gets the whole
render as before; so does a list of one office (the city list then takes the office layout).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from fxfk.publish.reuse import Reuse

if TYPE_CHECKING:
    import jinja2

    from fxfk.public.view import OfficeList, PublicView

MARK = "\x00fxfk-sections\x00"  # cannot come from data: text fields refuse control characters
PARTS = ".parts"  # staging subfolder of the freshly rendered sections (removed before the swap)
CITY_TEMPLATES = ("risk_list.html.j2", "risk_list.md.j2", "_macros.html.j2", "_macros.md.j2", "base.html.j2",
                  "city_section.html.j2", "city_section.md.j2")
_BLANKS = re.compile(rb"\n{3,}")
_CSV_EMPTY_HEAD = "\ufeff\r\n".encode()  # what tabular.csv_bytes writes before the rows for no header


def overridden(root: Path) -> bool:
    user = root / "templates" / "publish"
    return any((user / name).exists() for name in CITY_TEMPLATES)


@dataclass
class CityList:
    """One format's city list: head, tail, and each office's section (reused bytes, or None: render)."""

    name: str
    fmt: str
    head: bytes
    tail: bytes
    keys: list[str]
    offsets: list[int]
    # Each section: (start, end) in the old file, or (start, end, delta, points) to renumber from there
    # (read again when written: a province's sections are not all held at once), or None until rendered
    # into PARTS.
    parts: list[tuple[int, ...] | None] = field(default_factory=list)

    @property
    def todo(self) -> list[int]:
        return [i for i, p in enumerate(self.parts) if p is None]


def plan(reuse: Reuse, fmt: str, keys: list[str], offsets: list[int], counts: list[int]) -> CityList:
    """Which sections are read back from the previous city file (renumbered when ``offsets`` moved them)
    and which must be rendered; ``counts``: each office's number of public points. Head and tail are
    rendered by :func:`frame`."""
    city = CityList(f"_city.{fmt}", fmt, b"", b"", keys, offsets, [None] * len(keys))
    entry = reuse.unchanged(city.name)
    if entry is not None and reuse.old is not None:
        # (Markdown: the last section's final blank lines are tidied away, so it may end past the file.)
        size = entry.size + (2 if fmt == "md" else 0)
        where = {k: (start, end) for k, start, end in entry.sections if 0 <= start <= end <= size}
        city.parts = [where.get(key) for key in keys]
        moved = {k.rpartition(":")[0]: (start, end, int(k.rpartition(":")[2]))
                 for k, (start, end) in where.items() if k.rpartition(":")[2].isdigit()}
        with open(reuse.old / city.name, "rb") as old:
            for i, key in enumerate(keys):
                if city.parts[i] is None and key.rpartition(":")[0] in moved:
                    start, end, was = moved[key.rpartition(":")[0]]
                    if renumber(fmt, _read(old, start, end), offsets[i] - was, counts[i]) is not None:
                        city.parts[i] = (start, end, offsets[i] - was, counts[i])
    return city


def frame(city: CityList, env: jinja2.Environment | None, view: PublicView, title: str, issuer: str) -> bool:
    """Render the head and tail around the sections; False when the template does not split there
    (then the list is rendered whole)."""
    from markupsafe import Markup

    from fxfk.render import tabular
    from fxfk.render.templates import render

    if city.fmt == "csv":
        from fxfk.public import plain

        city.head, city.tail = tabular.csv_bytes(plain.RISK_COLUMNS + tabular.RISK_EXTRA, []), b""
        return True
    assert env is not None
    mark = Markup(MARK) if city.fmt == "html" else MARK
    text = render(env, f"risk_list.{city.fmt}.j2", view=view, title=title, issuer=issuer, offices=view.offices,
                  city=True, sections_mark=mark)
    before, found, after = text.partition(MARK + "\n")
    if not found or MARK in after:
        return False
    city.head, city.tail = before.encode("utf-8"), after.encode("utf-8")
    return True


def _read(old: BinaryIO, start: int, end: int) -> bytes:
    old.seek(start)
    data = old.read(end - start)
    return data + b"\n" * (end - start - len(data))  # (Markdown's last section: see plan)


_NUMBERS = {
    "html": re.compile('(<td class="seq" data-label="序号">|<th scope="row" data-label="违法风险点" data-seq=")([0-9]+)'
                       .encode()),
    "md": re.compile(rb"(\n\| )([0-9]+)(?= \|)"),  # a row's first cell (searched after a "\n" put in front)
}


def renumber(fmt: str, data: bytes, delta: int, risks: int) -> bytes | None:
    """An unchanged office's section with its numbers moved by ``delta`` (an office before it gained
    or lost points); None when the numbers found are not exactly its ``risks`` points' (render it).

    The patterns match only what the templates write: data cannot, its ``<`` and ``"`` are escaped in
    HTML, and a Markdown cell cannot start a line. CSV is parsed and written again with the writer
    that made it (the cells' text unchanged, so the same quoting). Only the numbers change, so the
    section is not scanned for personal numbers again."""
    if fmt == "csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if len(rows) != risks or not all(row and row[0].isdigit() for row in rows):
            return None
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\r\n").writerows([str(int(row[0]) + delta), *row[1:]] for row in rows)
        return buf.getvalue().encode("utf-8")
    found = 0

    def moved(m: re.Match[bytes]) -> bytes:
        nonlocal found
        found += 1
        return m.group(1) + str(int(m.group(2)) + delta).encode()

    if fmt == "md":  # (a literal start is found far faster than a line start)
        out = _NUMBERS[fmt].sub(moved, b"\n" + data)[1:]
    else:
        out = _NUMBERS[fmt].sub(moved, data)
    return out if found == risks * (2 if fmt == "html" else 1) else None


_MACRO = {"html": ("office_sections", "h2"), "md": ("sections", "##")}
_HEADING = {"html": (re.compile(r"</?h2>"), lambda m: m.group(0).replace("2", "3")),
            "md": (re.compile(r"^## ", re.MULTILINE), lambda m: "### ")}


def office_body(env: jinja2.Environment, fmt: str, view: PublicView, office: OfficeList) -> str:
    """An office's batch sections as its own list prints them (html, md): what the list template's
    macro writes, rendered once for the list and its section of the city list (:func:`section_body`)."""
    macro, heading = _MACRO[fmt]
    module = env.get_template(f"_macros.{fmt}.j2").make_module({"view": view})
    return getattr(module, macro)(office, heading)  # type: ignore[no-any-return]


def section_body(fmt: str, body: str, office: OfficeList, offset: int) -> str | None:
    """The office's :func:`office_body` as the city list prints it: headings one level down, numbers
    after ``offset``. None when the text is not exactly that (render the section itself).

    Only the templates write headings and numbers there: data cannot, its ``<`` is escaped in HTML and
    a Markdown cell cannot start a line (the same reasoning as :func:`renumber`)."""
    pattern, lower = _HEADING[fmt]
    moved, found = pattern.subn(lower, body)
    if found != len(office.batches) * (2 if fmt == "html" else 1):
        return None
    numbered = renumber(fmt, moved.encode("utf-8"), offset, len(office.risks))
    if numbered is None:
        return None
    text = numbered.decode("utf-8")
    return type(body)(text) if fmt == "html" else text  # (HTML: Markup stays Markup)


def section_bytes(env: jinja2.Environment | None, fmt: str, view: PublicView, office: OfficeList, offset: int,
                  body: str | None = None) -> bytes:
    """One office's section of the city list, as it appears there (Markdown: blank lines tidied).
    ``body``: the office's :func:`office_body`, when already rendered for its own list."""
    if fmt == "csv":
        from fxfk.public import plain
        from fxfk.render import tabular

        rows = [plain.risk_row(r, offset + k) + [r.office, r.batch, r.batch_date] for k, r in enumerate(office.risks, 1)]
        return tabular.csv_bytes((), rows)[len(_CSV_EMPTY_HEAD):]
    from fxfk.render.templates import render

    assert env is not None
    moved = section_body(fmt, body, office, offset) if body is not None else None
    extra = {"body": moved} if moved is not None else {}
    data = render(env, f"city_section.{fmt}.j2", view=view, office=office, offset=offset, **extra).encode("utf-8")
    return _BLANKS.sub(b"\n\n", data) if fmt == "md" else data


class Part(NamedTuple):
    """A freshly rendered section: its bytes ``start:end`` in the part file ``file`` (in :data:`PARTS`)."""

    position: int  # of the office in the list
    file: str
    start: int
    end: int
    hit: bool  # holds a personal number


def write_part(folder: Path, fmt: str, position: int, data: bytes, hit: bool) -> Part:
    """Append a section to this process's part file of ``fmt``: one file per worker, not one per office
    (a province's 9,000 small files cost more to create, read and remove than to write)."""
    name = f"{PARTS}/{os.getpid()}.{fmt}"
    with open(folder / name, "ab") as fh:  # (append mode starts at the end)
        start = fh.tell()
        fh.write(data)
    return Part(position, name, start, start + len(data), hit)


def section_task(folder: Path, city: CityList, i: int, env: jinja2.Environment | None, view: PublicView,
                 scan: bool) -> Callable[[], list[tuple[str, bool] | Part]]:
    """Render section ``i`` into the staging folder's :data:`PARTS` (it may run in a worker process)."""

    def task() -> list[tuple[str, bool] | Part]:
        from fxfk.publish.safety import holds_personal_numbers

        data = section_bytes(env, city.fmt, view, view.offices[i], city.offsets[i])
        return [write_part(folder, city.fmt, i, data, scan and holds_personal_numbers(city.name, data))]

    return task


def finish(folder: Path, city: CityList, reuse: Reuse, key: str, results: list[Part], scan: bool = False) -> bool:
    """Write the city file from its parts, streamed (a province's list is 100s of MB); returns whether
    a fresh part (or, with ``scan``, the head and tail) held a personal number. The part files are
    removed (each holds one format's sections)."""
    from fxfk.publish.safety import holds_personal_numbers

    hit = any(part.hit for part in results)
    if scan and not hit:
        hit = holds_personal_numbers(city.name, city.head + b"\n" + city.tail)
    fresh = {part.position: part for part in results}
    md = city.fmt == "md"
    head = _BLANKS.sub(b"\n\n", city.head).lstrip(b"\n") if md else city.head
    tail = _BLANKS.sub(b"\n\n", city.tail) if md else city.tail
    sections: list[tuple[str, int, int]] = []
    with contextlib.ExitStack() as stack:
        ranges = any(p is not None for p in city.parts)
        old = stack.enter_context(open(reuse.old / city.name, "rb")) if reuse.old and ranges else None
        out = stack.enter_context(open(folder / city.name, "w+b"))
        files = {name: stack.enter_context(open(folder / name, "rb")) for name in sorted({p.file for p in results})}
        out.write(head)
        for i, (k, where) in enumerate(zip(city.keys, city.parts)):
            if where is None:
                part = fresh[i]
                data = _read(files[part.file], part.start, part.end)
                if md and data[:1] in (b"", b"\n"):  # (never from fxfk's templates: the tidying below assumes it)
                    raise RuntimeError(f"city section {i} starts with a blank line")
            else:
                assert old is not None
                data = _read(old, where[0], where[1])
                if len(where) == 4:
                    moved = renumber(city.fmt, data, where[2], where[3])
                    if moved is None:  # (the old file is checked in plan, and only fxfk writes it meanwhile)
                        raise RuntimeError(f"city section {i} changed during the run")
                    data = moved
            sections.append((k, out.tell(), out.tell() + len(data)))
            out.write(data)
        out.write(tail)
        if md:  # tidy_markdown's end: exactly one newline
            end = out.tell()
            out.seek(max(0, end - 4096))
            last = out.read()
            keep = end - (len(last) - len(last.rstrip(b"\n")))
            out.truncate(keep)
            out.seek(keep)
            out.write(b"\n")
    for name in files:
        (folder / name).unlink()
    reuse.record(folder, city.name, key, sections)
    return hit
