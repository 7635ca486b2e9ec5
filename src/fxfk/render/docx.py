"""DOCX in the look of an official document (GB/T 9704 conventions), for the public lists and the report.

Body text is 仿宋_GB2312 三号 (16 pt) with a two-character first-line indent and a fixed 28 pt line
(GB/T 9704: 22 lines a page); headings are Word's own heading styles — 一级 黑体, 二级 楷体_GB2312 — so
the navigation pane lists them; the title is 方正小标宋简体 二号. The font table names 宋体 / 仿宋 / 黑体 /
楷体 as alternates for machines without the GB2312 fonts. Page numbers “— N —” in the footer; tables
keep inside the text width, their grid written from the same column widths as the cells (LibreOffice
and WPS lay a table out by its grid), header rows repeated on every page. Core properties carry the
publication date only, and the zip is normalised, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fxfk.dates import chinese_date
from fxfk.public import plain
from fxfk.public.view import NoPenaltyItem, OfficeList, PublicView
from fxfk.render.docx_table import ROWS_MARK, TABLE_STYLE, streamed_rows, style_id, style_ids
from fxfk.render.docx_table import _cell_text as _cell_text  # (re-exported: tests write a cell)
from fxfk.render.docx_table import fit_widths as fit_widths
from fxfk.render.docx_table import table as table  # (re-exported: the report and consult tables)
from fxfk.render.docx_table import text_width_cm as text_width_cm
from fxfk.render.escaping import xml_text  # DOCX is XML 1.0: no control characters
from fxfk.render.tabular import fixed_time, normalize_zip

if TYPE_CHECKING:  # python-docx is imported when a document is written (startup time)
    from docx.document import Document
    from docx.opc.packuri import PackURI
    from docx.oxml.text.parfmt import CT_PPr
    from docx.section import Section
    from docx.styles.style import BaseStyle
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
ALTERNATES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAI_FONT: "楷体"}
LATIN_FONT = "Times New Roman"
BODY_PT = 16  # 三号
LINE_PT = 28  # fixed line spacing (GB/T 9704: 22 lines of 28 chars on an A4 page)
TITLE_PT = 22  # 二号
TABLE_PT = 10.5  # 五号: table text, single spaced, no indent
HEADING_STYLES = {1: ("Heading 1", HEADING_FONT), 2: ("Heading 2", KAI_FONT)}


def _set_fonts(run_or_style: Run | BaseStyle, east_asia: str | None, size_pt: float | None = None,
               bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font  # type: ignore[union-attr]  # (paragraph and character styles have one)
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    if east_asia is None:
        return
    rpr = run_or_style.element.get_or_add_rPr()
    old = rpr.find(qn("w:rFonts"))
    if old is not None:  # the template's theme fonts (asciiTheme …) would override named ones
        rpr.remove(old)
    rfonts = rpr.makeelement(qn("w:rFonts"), {})
    rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _font_table_alternates(doc: Document) -> None:
    """Declare the official fonts with an alternate (w:altName) for Word to fall back on."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            ft = rel.target_part
            root = parse_xml(ft.blob)
            for name, alt in ALTERNATES.items():
                root.append(parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                    '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
                ))
            ft._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            return
    # no font table in the template: Word then substitutes on its own


def _indent_chars(ppr: CT_PPr, chars: int) -> None:
    """``w:firstLineChars``: an indent in characters, which Word and WPS keep when the size changes."""
    from docx.oxml.ns import qn

    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _styles(doc: Document) -> None:
    """Normal = 正文 (仿宋 三号, 首行缩进二字, 固定值 28 磅); 标题 1/2 = 黑体 / 楷体; a table text style."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.first_line_indent = Pt(2 * BODY_PT)
    _indent_chars(normal.element.get_or_add_pPr(), 2)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    for name, font in HEADING_STYLES.values():
        style = doc.styles[name]
        _set_fonts(style, font, BODY_PT, bold=False)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        hpf = style.paragraph_format
        hpf.space_before = hpf.space_after = Pt(0)
        hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hpf.line_spacing = Pt(LINE_PT)
        hpf.keep_with_next = True
    cell = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _set_fonts(cell, BODY_FONT, TABLE_PT)
    cpf = cell.paragraph_format
    cpf.first_line_indent = Pt(0)
    _indent_chars(cell.element.get_or_add_pPr(), 0)
    cpf.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _page_number_footer(section: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_indent(p)
    _set_fonts(p.add_run("— "), "宋体", 14)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    )
    p._p.append(field)
    _set_fonts(p.add_run(" —"), "宋体", 14)


def _no_indent(p: Paragraph) -> None:
    from docx.shared import Pt

    p.paragraph_format.first_line_indent = Pt(0)
    _indent_chars(p._p.get_or_add_pPr(), 0)


def paragraph(doc: Document, text: str, font: str | None = None, size: float | None = None, center: bool = False,
              bold: bool = False, indent: bool = True, right: bool = False) -> Paragraph:
    """A body paragraph (the Normal style: 仿宋 三号, indented two characters); ``font``/``size`` override it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    if center or right:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.RIGHT
    if center or right or not indent:
        _no_indent(p)
    _set_fonts(p.add_run(xml_text(text)), font, size, bold or None)
    return p


def heading(doc: Document, text: str, level: int = 1) -> Paragraph:
    """A Word heading (标题 1 黑体 / 标题 2 楷体): what the navigation pane and a table of contents list."""
    from docx.enum.style import WD_STYLE_TYPE

    p = doc.add_paragraph(xml_text(text))
    p._p.style = style_id(doc, HEADING_STYLES[level][0], WD_STYLE_TYPE.PARAGRAPH)  # what ``style=`` sets
    return p


def title(doc: Document, text: str) -> Paragraph:
    """The document title: 方正小标宋简体 二号, centred, on its own line spacing (28 pt would clip it)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = paragraph(doc, text, TITLE_FONT, TITLE_PT, center=True)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(TITLE_PT + 13)
    p.paragraph_format.space_after = Pt(LINE_PT / 2)
    return p


def _em(text: str) -> float:
    """Width in characters of the body size: CJK one, digits and Latin half."""
    return sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def closing(doc: Document, organization: str, date: dt.date) -> None:
    """发文机关署名 and 成文日期 (GB/T 9704 7.3.5.2, unsealed): the signature two characters from the right,
    the date under it starting two characters further right; a longer date sits two from the right and
    pushes the signature left instead."""
    from docx.shared import Pt

    day = chinese_date(date)
    org_w, day_w = _em(organization), _em(day)
    if organization and org_w - 2 >= day_w:
        org_right, day_right = 2.0, org_w - day_w
    else:
        day_right, org_right = 2.0, max(day_w + 4 - org_w, 2.0)
    paragraph(doc, "", indent=False)
    for text, right in ((organization, org_right), (day, day_right)):
        if text:
            p = paragraph(doc, text, right=True)
            p.paragraph_format.right_indent = Pt(right * BODY_PT)


RISK_WIDTHS_CM = (1.2, 4.4, 2.1, 9.0, 6.4, 2.6)
NO_PENALTY_WIDTHS_CM = (1.3, 4.5, 7.5, 6.0, 6.7)


def new_document(title: str, date: dt.date, organization: str | None, landscape: bool = True) -> Document:
    """An A4 document in the official look, its only timestamp midnight of ``date`` (shared with fxfk report).

    Portrait margins are GB/T 9704's (top 37 mm, left 28 mm, text 156 × 225 mm).
    """
    from docx import Document

    skeleton = _SKELETONS.get(landscape)
    if skeleton is None:
        skeleton = _SKELETONS[landscape] = _skeleton(landscape)
    package, ids = skeleton
    doc = Document(io.BytesIO(package))
    style_ids(doc).update(ids)
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


_SKELETONS: dict[bool, tuple[bytes, dict[tuple[str, int], str | None]]] = {}


def _skeleton(landscape: bool) -> tuple[bytes, dict[tuple[str, int], str | None]]:
    """The package every document of an orientation starts from, with the ids of the styles the tables and
    headings use: made once per process, as python-docx's template, the page, the styles, the font table
    and the footer cost ~10 ms a document (6,000 lists at province scale). Saved and opened again, it gives
    the same parts as building each document from the template did."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm

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
    for name, kind in ((TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH), ("Table Grid", WD_STYLE_TYPE.TABLE),
                       *((name, WD_STYLE_TYPE.PARAGRAPH) for name, _ in HEADING_STYLES.values())):
        style_id(doc, name, kind)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), dict(style_ids(doc))


def save_document(doc: Document, date: dt.date) -> bytes:
    """The package through python-docx's own writer into an intermediate zip that :func:`normalize_zip`
    reads back and compresses at level 9 (python-docx's level 6 there was a third of a small list's
    time): parts stored, except a ``document.xml`` with streamed rows, which are written into it in place
    of their markers, chunk by chunk, at deflate level 1 (stored, the 47 MB of a city list at 30,000
    points would be held once more)."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        writer = _ZipWriter(zf, doc.part.partname, streamed_rows(doc))
        PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
        PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
        PackageWriter._write_parts(writer, package.parts)  # type: ignore[arg-type]
    return normalize_zip(buf.getvalue(), date)


_ROWS_AT = re.compile(f"<!--{ROWS_MARK}([0-9]+)-->".encode())


class _ZipWriter:
    """python-docx's zip writer (``write(pack_uri, blob)``) into a zip of ours; the main
    document with the streamed rows spliced in."""

    def __init__(self, zf: zipfile.ZipFile, main: PackURI, rows: list[list[bytes]]) -> None:
        self._zf, self._main, self._rows = zf, main, rows

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        if pack_uri != self._main or not self._rows:
            self._zf.writestr(pack_uri.membername, blob, zipfile.ZIP_STORED)
            return
        with self._zf.open(pack_uri.membername, "w", force_zip64=True) as out:
            for k, piece in enumerate(_ROWS_AT.split(blob)):
                if k % 2 == 0:
                    out.write(piece)
                    continue
                chunks = self._rows[int(piece)]
                for chunk in chunks:
                    out.write(chunk)
                chunks.clear()  # (written: the memory can go)


def _meta(doc: Document, lines: Sequence[str]) -> None:
    for line in lines:
        paragraph(doc, line, size=14, center=True)


def _notes(doc: Document, lines: Sequence[str]) -> None:
    """The list's 说明 (what the levels mean, whom to ask), in 四号 so it stays short."""
    if lines:
        paragraph(doc, "说明", size=14, bold=True)
    for line in lines:
        paragraph(doc, line, size=14)


def risk_list_docx(view: PublicView, title_text: str, issuer: str, offices: Sequence[OfficeList],
                   meta_lines: list[str], numbering: Sequence[int] = (), notes: Sequence[str] = ()) -> bytes:
    """``numbering``: for a list of several offices, the number before each office's first point, so the
    city list numbers straight through (empty: each office from 1); ``notes``: the 说明 lines."""
    doc = new_document(title_text, view.date, view.organization)
    title(doc, title_text)
    _meta(doc, [f"发布单位：{issuer}", *meta_lines])
    _notes(doc, notes)
    multiple = len(offices) > 1
    for k, office in enumerate(offices):
        offset = numbering[k] if k < len(numbering) else 0
        if multiple:
            heading(doc, office.name + (f"（咨询电话：{office.phone}）" if office.phone else ""), 1)
        if not office.batches:
            paragraph(doc, f"截至{chinese_date(view.date)}，本单位尚未公布违法风险点。")
        for b in office.batches:
            doc_no = f"，{b.document}" if b.document else ""
            heading(doc, f"{b.label}（{chinese_date(b.date)}公布{doc_no}）", 2 if multiple else 1)
            if b.risks:
                rows = [plain.risk_row(r, r.seq + offset if offset else None) for r in b.risks]
                table(doc, plain.RISK_COLUMNS, rows, RISK_WIDTHS_CM, centered=(0, 2), streamed=True)
            else:
                paragraph(doc, "本批风险点均已撤销。")
            if not b.is_first or b.withdrawn:
                paragraph(doc, "与上一批相比的变化", bold=True)
                if not b.is_first:
                    added = "：" + "；".join(b.added) if b.added else ""
                    paragraph(doc, f"新增 {len(b.added)} 项{added}")
                if b.withdrawn:
                    gone = "；".join(f"{w.title}（{w.level}，原列入{w.batch}）" for w in b.withdrawn)
                    paragraph(doc, f"撤销 {len(b.withdrawn)} 项：{gone}")
                elif not b.is_first:
                    paragraph(doc, "撤销：无")
    return save_document(doc, view.date)


def no_penalty_docx(view: PublicView, title_text: str, issuer: str, items: Sequence[NoPenaltyItem],
                    meta_lines: list[str], city: bool, notes: Sequence[str] = ()) -> bytes:
    doc = new_document(title_text, view.date, view.organization)
    title(doc, title_text)
    _meta(doc, [f"发布单位：{issuer}", *meta_lines])
    _notes(doc, notes)
    if items:
        header = plain.NO_PENALTY_COLUMNS + (("公布单位",) if city else ())
        rows = [plain.no_penalty_row(i, k) + ([i.office] if city else []) for k, i in enumerate(items, 1)]
        widths = NO_PENALTY_WIDTHS_CM + ((3.0,) if city else ())
        table(doc, header, rows, widths, streamed=True)
    else:
        paragraph(doc, f"截至{chinese_date(view.date)}，没有列入免罚清单的事项。")
    return save_document(doc, view.date)
