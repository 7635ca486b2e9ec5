"""DOCX in linear time with the bytes of the code it replaced (issue 19).

The references below are fxfk.render.docx before issue 19: ``table`` with python-docx's ``add_row()``
and the cells' own wrappers, row by row (~3,400 Python calls a row, more as the table grows), and
``new_document`` from python-docx's template, saved by python-docx. The new writer must give the same
XML for every kind of cell text (streamed rows included, once saved), documents from the skeleton the
same bytes, and a table must cost a bounded, size-independent number of calls per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_fxfk
from fxfk.render.docx import heading, new_document, paragraph, save_document
from fxfk.render.docx_table import TABLE_STYLE, _cell_text, fit_widths, table, text_width_cm

sys.path.insert(0, str(Path(__file__).parent))
from corpus_generator import generate  # noqa: E402

HEADER = ("序号", "违法风险点", "风险等级", "依据", "措施", "单位")
WIDTHS = (1.2, 4.4, 2.1, 9.0, 6.4, 2.6)


def _repeat_header(row) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def reference_table(doc, header: tuple[str, ...], rows: Sequence[Sequence[object]], widths_cm: Sequence[float],
                    centered: Sequence[int] = (0,)) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Cm

    widths = [Cm(w) for w in fit_widths(widths_cm, text_width_cm(doc))]
    tbl = doc.add_table(rows=1, cols=len(header))
    tbl.style = "Table Grid"
    tbl.autofit = False
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(tbl._tbl.tblGrid.gridCol_lst, widths):
        col.w = w
    tblw = tbl._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(w.twips for w in widths)))
    try:
        style = doc.part.get_style_id(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    except KeyError:
        style = False
    for c, name in enumerate(header):
        _cell_text(tbl.rows[0].cells[c], name, True, True, style)
    _repeat_header(tbl.rows[0])
    for row in rows:
        cells = tbl.add_row().cells
        for c, value in enumerate(row):
            _cell_text(cells[c], value, False, c in centered or isinstance(value, int) or len(str(value)) <= 4, style)
    for tr in tbl.rows:
        cells = tr.cells
        for c, w in enumerate(widths):
            cells[c].width = w


# every path of a cell: empty, short (centred), long, several lines and empty lines, spaces that need
# xml:space="preserve" (ASCII and ideographic), a tab and a carriage return (w:tab, w:br), XML's own
# characters, a control character (escaped visibly), characters outside the BMP, numbers, None
TEXTS: list[object] = [
    "", "无数据", "+2", 3, 12345, None, "未取得资质认定擅自从事报废机动车回收活动",
    "第一行\n第二行\n\n第四行", "\n", " 前导空格", "尾随空格 ", "\u3000全角空格开头的条文", "   ",
    "a\tb 制表符", "回车\r\n换行", "末尾回车\r", "& < > \" ' ]]> &amp;", "控制\x01字符\x0b", "𠀀𪚥 😀",
    "x" * 300,
]


def _rows() -> list[list[object]]:
    rows = [[k, *TEXTS[k % len(TEXTS):][:5]] for k in range(len(TEXTS))]
    for k, text in enumerate(TEXTS):  # each text in each column, centred column 0 included
        rows.append([text if c == k % 6 else f"第{k}行" for c in range(6)])
    rows.append([1, "短行"])  # a short row: the other cells blank
    return rows


def _xml(doc) -> bytes:
    return etree.tostring(doc.element.body)


@pytest.mark.parametrize("landscape", [True, False])
def test_the_table_xml_is_the_row_by_row_writers(landscape):
    date = dt.date(2019, 12, 31)
    old, new = new_document("表", date, "机关", landscape), new_document("表", date, "机关", landscape)
    for doc, write in ((old, reference_table), (new, table)):
        write(doc, HEADER, _rows(), WIDTHS, centered=(0, 2))
        write(doc, HEADER[:3], [], WIDTHS[:3])  # a header alone
        write(doc, HEADER[:5], [["a", "b\nc", 7, "", "d"]] * 3, (1.3, 4.5, 7.5, 6.0, 6.7))
    assert _xml(new) == _xml(old)


def test_streamed_rows_are_saved_where_the_tree_would_have_had_them():
    date = dt.date(2019, 12, 31)
    old, new = new_document("表", date, "机关"), new_document("表", date, "机关")
    for doc, write in ((old, reference_table), (new, functools.partial(table, streamed=True))):
        paragraph(doc, "前")
        write(doc, HEADER, _rows(), WIDTHS, centered=(0, 2))
        paragraph(doc, "中")
        write(doc, HEADER[:3], [], WIDTHS[:3])
        write(doc, HEADER, _rows() * 40, WIDTHS)  # several chunks of rows
        paragraph(doc, "后")
    assert len(new.tables[-1].rows) == 1  # the header: the rest is text until saved
    assert save_document(new, date) == save_document(old, date)


def test_a_document_without_the_table_text_style_keeps_its_own():
    from docx import Document

    old, new = Document(), Document()
    reference_table(old, HEADER, _rows(), WIDTHS)
    table(new, HEADER, _rows(), WIDTHS)
    assert _xml(new) == _xml(old)


def reference_new_document(title: str, date: dt.date, organization: str, landscape: bool):
    """new_document before issue 19: python-docx's template, set up anew for every document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    from fxfk.render.docx import _font_table_alternates, _page_number_footer, _styles
    from fxfk.render.tabular import fixed_time

    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(25)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    _styles(doc)
    _font_table_alternates(doc)
    _page_number_footer(section)
    props = doc.core_properties
    stamp = fixed_time(date)
    props.title, props.author, props.last_modified_by, props.revision = title, organization, organization, 1
    props.created = props.modified = props.last_printed = stamp
    props.comments = ""
    return doc


@pytest.mark.parametrize("landscape", [True, False])
def test_a_document_from_the_skeleton_saves_to_the_bytes_of_one_from_the_template(landscape):
    from fxfk.render.docx import HEADING_STYLES, closing, title
    from fxfk.render.tabular import normalize_zip

    date = dt.date(2019, 12, 31)
    old = reference_new_document("风险点清单", date, "郑州市商务局", landscape)
    new = new_document("风险点清单", date, "郑州市商务局", landscape)
    for doc in (old, new):
        title(doc, "风险点清单")
        paragraph(doc, "正文", size=14, center=True)
    old.add_paragraph("一、总体情况", style=HEADING_STYLES[1][0])
    heading(new, "一、总体情况", 1)
    reference_table(old, HEADER, _rows(), WIDTHS)
    table(new, HEADER, _rows(), WIDTHS, streamed=True)
    old.add_paragraph("（一）分项", style=HEADING_STYLES[2][0])
    heading(new, "（一）分项", 2)
    for doc in (old, new):
        closing(doc, "郑州市商务局", date)
    buf = io.BytesIO()
    old.save(buf)
    assert save_document(new, date) == normalize_zip(buf.getvalue(), date)


def _calls(rows: int) -> int:
    doc = new_document("表", dt.date(2019, 12, 31), "机关")
    data = [[k, f"风险点 {k}", "高风险", "依据\n第一条", "措施", "单位"] for k in range(rows)]
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        table(doc, HEADER, data, WIDTHS)
    finally:
        sys.setprofile(None)
    return calls


def test_a_table_is_built_with_work_linear_in_its_rows():
    # counted calls, not time: the same on a busy machine. ~120 a row here; the row-by-row writer made
    # ~3,400 and more as the table grew (add_row() and row.cells walk the table)
    small, medium, large = _calls(200), _calls(1000), _calls(3000)
    per_row, per_row_later = (medium - small) / 800, (large - medium) / 2000
    assert per_row < 300, per_row
    assert per_row_later <= per_row * 1.05, (per_row, per_row_later)


def test_the_city_list_has_a_row_per_public_point_with_the_cells_widths(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    generate(tmp_path / "c", 3, 10)
    r = run_fxfk("publish", "--root", str(tmp_path / "c"), "--date", "2026-12-01", "-f", "docx,csv",
                 "--out", str(tmp_path / "out"))
    assert r.code == 0, r.err
    csv_rows = list(csv.reader(io.StringIO((tmp_path / "out" / "_city.csv").read_text("utf-8-sig"))))
    doc = Document(str(tmp_path / "out" / "_city.docx"))
    body_rows = sum(len(t.rows) - 1 for t in doc.tables)
    assert body_rows == len(csv_rows) - 1 > 0
    for t in doc.tables:
        grid = [c.get(qn("w:w")) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        for tr in t._tbl.tr_lst:
            assert [tc.tcPr.find(qn("w:tcW")).get(qn("w:w")) for tc in tr.tc_lst] == grid
    with zipfile.ZipFile(tmp_path / "out" / "_city.docx") as z:
        assert b"xmlns:w=" not in z.read("word/document.xml").split(b"<w:body>", 1)[1]  # no stray declarations
