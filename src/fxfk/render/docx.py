"""DOCX public lists in the look of an official document (GB/T 9704 conventions, loosely).

A4 landscape (six wide columns), title in 方正小标宋简体 and body in 仿宋_GB2312 — with the font table
naming 宋体 / 仿宋 as alternates for machines that lack them — page numbers “— N —” in the footer,
and a table whose header row repeats on every page. Core properties carry the publication date
only, and the zip is normalised, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fxfk.public import plain
from fxfk.dates import chinese_date
from fxfk.public.view import NoPenaltyItem, OfficeList, PublicView
from fxfk.render.escaping import xml_text  # DOCX is XML 1.0: no control characters
from fxfk.render.tabular import Row, fixed_time, normalize_zip

if TYPE_CHECKING:  # python-docx is imported when a document is written (startup time)
    from docx.document import Document
    from docx.section import Section
    from docx.styles.style import CharacterStyle
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
ALTERNATES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei"}
LATIN_FONT = "Times New Roman"


def _set_fonts(run_or_style: Run | CharacterStyle, east_asia: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = LATIN_FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _font_table_alternates(doc: Document) -> None:
    """Declare the official fonts with an alternate (w:altName) for Word to fall back on."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            ft = rel.target_part
            root = parse_xml(ft.blob)
            for name, alt in ALTERNATES.items():
                font = parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                    '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                )
                root.append(font)
            from lxml import etree

            ft._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            return
    _ = qn  # no font table in the template: Word then substitutes on its own


def _page_number_footer(section: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(p.add_run("— "), "宋体", 14)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    )
    p._p.append(field)
    _set_fonts(p.add_run(" —"), "宋体", 14)


def _repeat_header(row: _Row) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def _cell_text(cell: _Cell, text: object, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = xml_text(text).split("\n")
    first = cell.paragraphs[0]
    for k, line in enumerate(lines):
        p = first if k == 0 else cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_fonts(p.add_run(line), BODY_FONT, 10.5, bold or None)


def paragraph(doc: Document, text: str, font: str, size: float, center: bool = False, bold: bool = False) -> Paragraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(p.add_run(xml_text(text)), font, size, bold or None)
    return p


def table(doc: Document, header: tuple[str, ...], rows: Sequence[Row], widths_cm: tuple[float, ...]) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for c, name in enumerate(header):
        _cell_text(table.rows[0].cells[c], name, bold=True, center=True)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for c, value in enumerate(row):
            _cell_text(cells[c], value, center=c in (0,) or (c == 2 and header[2] == "风险等级"))
    for row in table.rows:
        for c, w in enumerate(widths_cm):
            row.cells[c].width = Cm(w)


RISK_WIDTHS_CM = (1.3, 4.5, 1.8, 9.0, 6.6, 2.8)
NO_PENALTY_WIDTHS_CM = (1.3, 4.5, 7.5, 6.0, 6.7)


def new_document(title: str, date: dt.date, organization: str | None, landscape: bool = True) -> Document:
    """An A4 document in the official look, its only timestamp midnight of ``date`` (shared with fxfk report)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.top_margin = section.bottom_margin = Mm(25)
    _set_fonts(doc.styles["Normal"], BODY_FONT, 16)
    _font_table_alternates(doc)
    _page_number_footer(section)
    props = doc.core_properties
    stamp = fixed_time(date)
    props.title = xml_text(title)
    props.author = xml_text(organization or "fxfk")
    props.last_modified_by = organization or "fxfk"
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.comments = ""
    return doc


def save_document(doc: Document, date: dt.date) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue(), date)


def _new_document(title: str, view: PublicView) -> Document:
    return new_document(title, view.date, view.organization)


def _save(doc: Document, view: PublicView) -> bytes:
    return save_document(doc, view.date)


def risk_list_docx(view: PublicView, title: str, issuer: str, offices: Sequence[OfficeList], meta_lines: list[str]) -> bytes:
    doc = _new_document(title, view)
    paragraph(doc, title, TITLE_FONT, 22, center=True)
    for line in [f"发布单位：{issuer}", *meta_lines]:
        paragraph(doc, line, BODY_FONT, 14, center=True)
    multiple = len(offices) > 1
    for office in offices:
        if multiple:
            paragraph(doc, office.name + (f"（咨询电话：{office.phone}）" if office.phone else ""), HEADING_FONT, 16)
        if not office.batches:
            paragraph(doc, f"截至{chinese_date(view.date)}，本单位尚未公布违法风险点。", BODY_FONT, 14)
        for b in office.batches:
            doc_no = f"，{b.document}" if b.document else ""
            paragraph(doc, f"{b.label}（{chinese_date(b.date)}公布{doc_no}）", HEADING_FONT if not multiple else BODY_FONT, 16 if not multiple else 14, bold=multiple)
            if b.risks:
                table(doc, plain.RISK_COLUMNS, [plain.risk_row(r) for r in b.risks], RISK_WIDTHS_CM)
            else:
                paragraph(doc, "本批风险点均已撤销。", BODY_FONT, 14)
            if not b.is_first or b.withdrawn:
                paragraph(doc, "与上一批相比的变化", BODY_FONT, 14, bold=True)
                if not b.is_first:
                    added = "：" + "；".join(b.added) if b.added else ""
                    paragraph(doc, f"新增 {len(b.added)} 项{added}", BODY_FONT, 14)
                if b.withdrawn:
                    gone = "；".join(f"{w.title}（{w.level}，原列入{w.batch}）" for w in b.withdrawn)
                    paragraph(doc, f"撤销 {len(b.withdrawn)} 项：{gone}", BODY_FONT, 14)
                elif not b.is_first:
                    paragraph(doc, "撤销：无", BODY_FONT, 14)
    return _save(doc, view)


def no_penalty_docx(view: PublicView, title: str, issuer: str, items: Sequence[NoPenaltyItem], meta_lines: list[str], city: bool) -> bytes:
    doc = _new_document(title, view)
    paragraph(doc, title, TITLE_FONT, 22, center=True)
    for line in [f"发布单位：{issuer}", *meta_lines]:
        paragraph(doc, line, BODY_FONT, 14, center=True)
    if items:
        header = plain.NO_PENALTY_COLUMNS + (("公布单位",) if city else ())
        rows = [plain.no_penalty_row(i, k) + ([i.office] if city else []) for k, i in enumerate(items, 1)]
        widths = NO_PENALTY_WIDTHS_CM + ((3.0,) if city else ())
        table(doc, header, rows, widths)
    else:
        paragraph(doc, f"截至{chinese_date(view.date)}，没有列入免罚清单的事项。", BODY_FONT, 14)
    return _save(doc, view)
