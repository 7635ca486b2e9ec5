"""DOCX tables for :mod:`fxfk.render.docx`, in time linear in their rows and with python-docx's own XML.

python-docx's ``table.add_row()`` and ``row.cells`` walk the whole table on every call, so a city list
of 24,000 rows built row by row grew faster than its rows, and a cell built through python-docx's
wrappers costs ~100 µs. Here python-docx makes the table's properties and grid; every cell (header and
body) is a template made once per width, style, alignment and weight by the very python-docx calls that
used to fill each cell (:func:`_cell_text` on an empty cell, serialised around its text); the rows are
written as XML text, parsed 500 at a time and appended to ``<w:tbl>``. A line with a tab or a carriage
return goes through python-docx's run text (``w:tab``, ``w:br``). The document's bytes are those of the
row-by-row writer (tests/test_docx_scale.py compares the XML for every kind of cell text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from copy import deepcopy
from html import escape
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from fxfk.render.escaping import xml_text  # DOCX is XML 1.0: no control characters
from fxfk.render.tabular import Row

if TYPE_CHECKING:
    from docx.document import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.table import CT_Tc
    from docx.parts.document import DocumentPart
    from docx.shared import Length
    from docx.table import Table, _Cell
    from lxml.etree import _Element

TABLE_STYLE = "Table Text"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHUNK = 500  # rows parsed at once: the text of a few hundred rows, never the whole table's
_MARK = "FXFK-CELL-TEXT"  # where a template's text goes (no XML escaping touches it)
_NS_DECL = re.compile(r' xmlns(?::\w+)?="[^"]*"')

ROWS_MARK = "fxfk-rows-"  # a comment in <w:tbl>: where the streamed rows go (no other comment is written)

_STYLE_IDS: WeakKeyDictionary[DocumentPart, dict[tuple[str, int], str | None]] = WeakKeyDictionary()
_PENDING: WeakKeyDictionary[DocumentPart, list[list[bytes]]] = WeakKeyDictionary()


def style_id(doc: Document, name: str, kind: WD_STYLE_TYPE) -> str | None:
    """The id of a style, looked up once per document: by name it costs ~1.5 ms (an XPath over every
    style), which the city list paid for each of its thousands of headings and tables. A missing style
    raises KeyError, as python-docx does. (Keyed by the part: a Document is unhashable.)"""
    ids = style_ids(doc)
    key = (name, int(kind))
    if key not in ids:
        ids[key] = doc.part.get_style_id(name, kind)  # type: ignore[no-untyped-call]
    return ids[key]


def style_ids(doc: Document) -> dict[tuple[str, int], str | None]:
    """The style ids :func:`style_id` knows for ``doc`` (new_document copies in those of its skeleton)."""
    return _STYLE_IDS.setdefault(doc.part, {})


def _cell_text(cell: _Cell, text: object, bold: bool = False, center: bool = False,
               style: str | None | bool = False) -> None:
    """``style``: the style id table() looked up once for ``TABLE_STYLE``; False: keep the document's own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = xml_text(text).split("\n")
    first = cell.paragraphs[0]
    for k, line in enumerate(lines):
        p = first if k == 0 else cell.add_paragraph()
        if style is not False:
            p._p.style = style
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        if bold:
            run.bold = True


def text_width_cm(doc: Document) -> float:
    section = doc.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return width / 360000  # EMU per cm


def fit_widths(widths_cm: Sequence[float], available_cm: float) -> tuple[float, ...]:
    """The column widths, shrunk in proportion when they add up to more than the text width."""
    total = sum(widths_cm)
    scale = min(1.0, available_cm / total) if total else 1.0
    return tuple(math.floor(w * scale * 100) / 100 for w in widths_cm)  # down: the sum must not pass the width


def table(doc: Document, header: tuple[str, ...], rows: Sequence[Row], widths_cm: Sequence[float],
          centered: Sequence[int] = (0,), streamed: bool = False) -> None:
    """A ruled table with a repeated header row; the grid (w:tblGrid) carries the same widths as the cells.

    ``streamed``: the body rows stay XML text (UTF-8) until :func:`fxfk.render.docx.save_document` writes
    them into ``document.xml`` where a marker stands in the table; until then the table holds its header
    row only. For documents saved as soon as they are written (the lists, the report): as an lxml tree,
    the 46 MB of rows of a city list at 30,000 points took ~600 MB.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm

    if len(widths_cm) != len(header):
        raise ValueError(f"{len(widths_cm)} widths for {len(header)} columns")
    widths = [Cm(w) for w in fit_widths(widths_cm, text_width_cm(doc))]
    table = doc.add_table(rows=0, cols=len(header))
    table._tbl.tblStyle_val = style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)  # what ``table.style =`` sets
    table.autofit = False  # w:tblLayout fixed: the widths below, not the content, decide
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = w
    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(w.twips for w in widths)))
    style: str | None | bool
    try:
        style = style_id(doc, TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    except KeyError:  # a document not made by new_document(): keep its own style
        style = False
    cells = _Templates(table, widths, style)
    # the header row: bold, centred, repeated on every page (w:tblHeader, as get_or_add_trPr() places it)
    xml = "".join(['<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>',
                   *(cells.cell(c, name, True, bold=True) for c, name in enumerate(header)), "</w:tr>"])
    if streamed:
        from lxml import etree

        table._tbl.extend(list(parse_xml(f'<w:tbl xmlns:w="{W_NS}">{xml}</w:tbl>')))
        pending = _PENDING.setdefault(doc.part, [])
        table._tbl.append(etree.Comment(f"{ROWS_MARK}{len(pending)}"))
        pending.append([
            "".join(_rows_xml(cells, rows[start:start + CHUNK], len(widths), centered)).encode()
            for start in range(0, len(rows), CHUNK)
        ])
        return
    for start in range(0, len(rows), CHUNK):
        xml += "".join(_rows_xml(cells, rows[start:start + CHUNK], len(widths), centered))
        table._tbl.extend(list(parse_xml(f'<w:tbl xmlns:w="{W_NS}">{xml}</w:tbl>')))
        xml = ""
    if xml:  # (no body rows)
        table._tbl.extend(list(parse_xml(f'<w:tbl xmlns:w="{W_NS}">{xml}</w:tbl>')))


def streamed_rows(doc: Document) -> list[list[bytes]]:
    """The body rows of ``doc``'s streamed tables, the k-th where ``<!--{ROWS_MARK}k-->`` stands in the
    serialised document (taken: a second save would have none)."""
    return _PENDING.pop(doc.part, [])


def _rows_xml(cells: _Templates, rows: Sequence[Row], ncols: int, centered: Sequence[int]) -> Iterator[str]:
    for row in rows:
        if len(row) > ncols:
            raise ValueError(f"row of {len(row)} cells in a table of {ncols} columns")
        yield "<w:tr>"
        for c, value in enumerate(row):
            # numbers and short figures (“无数据”, “+2”, “3/4”) centred; text left
            yield cells.cell(c, value, c in centered or isinstance(value, int) or len(str(value)) <= 4)
        for c in range(len(row), ncols):  # a short row: the rest blank, as add_row() left them
            yield cells.blank(c)
        yield "</w:tr>"


_Template = tuple[str, str, list[str], list[str], "CT_Tc"]  # opening, empty, plain, preserve, prototype
_MADE: dict[tuple[int, str | None | bool, bool, bool], _Template] = {}


def _xml(el: _Element) -> str:
    """An element as XML text without the namespace declaration a detached copy carries."""
    from lxml import etree

    return _NS_DECL.sub("", etree.tostring(el, encoding="unicode"), count=1)


class _Templates:
    """A cell's XML: per column, alignment and weight, the ``<w:tc>`` that :func:`_cell_text` writes into a
    cell of ``add_row()``, serialised once around its text: the opening (cell width), and its paragraph
    with an empty run, with text, and with text that needs ``xml:space="preserve"`` (``CT_R.add_t``)."""

    def __init__(self, table: Table, widths: Sequence[Length], style: str | None | bool) -> None:
        self._table, self._widths, self._style = table, widths, style
        self._parts: dict[tuple[int, bool, bool], _Template] = {}

    def _blank(self, c: int) -> CT_Tc:
        from docx.oxml.table import CT_Tc

        tc = CT_Tc.new()
        tc.width = self._widths[c]
        return tc

    def blank(self, c: int) -> str:
        return _xml(self._blank(c))

    def _make(self, c: int, center: bool, bold: bool) -> _Template:
        """(Shared by every table and document: a template depends on the width, style, alignment and weight only.)"""
        from docx.table import _Cell

        key = (int(self._widths[c]), self._style, center, bold)
        made = _MADE.get(key)
        if made is None:
            proto = self._blank(c)
            _cell_text(_Cell(proto, self._table), "", bold, center, self._style)
            p = proto[-1]
            shell = deepcopy(proto)
            shell.remove(shell[-1])
            texts = []
            for mark in (_MARK, f" {_MARK} "):
                with_text = deepcopy(p)
                with_text[-1].add_t(mark)
                texts.append(_xml(with_text).split(mark))
            made = _MADE[key] = (_xml(shell).removesuffix("</w:tc>"), _xml(p), texts[0], texts[1], proto)
        return made

    def cell(self, c: int, value: object, center: bool, bold: bool = False) -> str:
        parts = self._parts.get((c, center, bold))
        if parts is None:
            parts = self._parts[c, center, bold] = self._make(c, center, bold)
        opening, empty, plain, preserve, proto = parts
        out = [opening]
        for line in xml_text(value).split("\n"):
            if not line:
                out.append(empty)
            elif "\t" in line or "\r" in line:  # w:tab / w:br: python-docx's own run text
                p = deepcopy(proto[-1])
                p[-1].text = line
                out.append(_xml(p))
            else:
                before, after = preserve if len(line.strip()) < len(line) else plain
                out.append(before + escape(line, quote=False) + after)
        out.append("</w:tc>")
        return "".join(out)
