"""Issue 16: the DOCX and XLSX files as a clerk files and prints them.

DOCX (GB/T 9704 conventions): every table's grid (w:tblGrid, which LibreOffice and WPS lay tables out
by) carries the same widths as its cells and fits the text width (156 mm in the portrait report); the
report embeds one picture per chart (PNG, the same bytes every run), headings are Word heading styles
(黑体 一级, 楷体 二级: the navigation pane lists them), the body is 仿宋 三号 with a two-character
first-line indent and a fixed 28 pt line, and the report closes with the organization and the date.
XLSX: 宋体/仿宋 (no Calibri), batch dates as real dates, a page-number footer, levels coloured, and an
office with nothing public says 「暂无公布的风险点」.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import CORPUS, REPO, run_fxfk
from fxfk.report.charts import all_charts
from fxfk.report.png import chart_png

DATE = "2019-12-31"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The repository's own data/, reported and published as DOCX and XLSX for 2019-12-31."""
    out = tmp_path_factory.mktemp("layout")
    r = run_fxfk("report", "--date", DATE, "--out", str(out / "report"), "-f", "docx", cwd=REPO)
    assert r.code == 0, r.err
    r = run_fxfk("publish", "--date", DATE, "--out", str(out / "public"), "-f", "docx,xlsx", cwd=REPO)
    assert r.code == 0, r.err
    return out


def _documents(built):
    yield built / "report" / "report.docx"
    yield from sorted((built / "public").glob("*.docx"))


def _twips(el, attr="w:w") -> int:
    return int(el.get(qn(attr)))


def test_table_grids_match_the_cell_widths_and_fit_the_text_width(built):
    for path in _documents(built):
        doc = Document(str(path))
        section = doc.sections[-1]
        text_width = (section.page_width - section.left_margin - section.right_margin) / 635  # EMU → twips
        for table in doc.tables:
            grid = [_twips(c) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert len(set(grid)) > 1, (path.name, grid)  # not the equal columns python-docx writes by default
            for tr in table._tbl.tr_lst:
                cells = [_twips(tc.tcPr.find(qn("w:tcW"))) for tc in tr.tc_lst]
                assert cells == grid, (path.name, cells, grid)
            assert sum(grid) <= text_width + 1, (path.name, sum(grid), text_width)
            assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_the_basis_column_is_the_widest_in_a_risk_list(built):
    doc = Document(str(built / "public" / "zhongmou.docx"))
    grid = [_twips(c) for c in doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert max(grid) == grid[3]  # 行政处罚和行政强制等依据（含裁量标准）


def test_the_report_has_one_picture_per_chart(built):
    doc = Document(str(built / "report" / "report.docx"))
    shapes = doc.inline_shapes
    assert len(shapes) == 4  # levels, funnel, tasks, cases
    names = [s._inline.docPr.get("name") for s in shapes]
    assert names == ["图1", "图2", "图3", "图4"]
    assert all(s._inline.docPr.get("descr") for s in shapes)  # the chart's text equivalent as alt text
    with zipfile.ZipFile(built / "report" / "report.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 4 and all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert [c.split("　")[0] for c in captions] == names
    section = doc.sections[0]
    for s in shapes:  # inside the 156 mm text width
        assert s.width <= section.page_width - section.left_margin - section.right_margin


def test_chart_png_is_deterministic_and_survives_a_machine_without_cjk_fonts():
    from fxfk.load.repository import load_repository
    from fxfk.options import Options
    from fxfk.report.figures import build_report

    report = build_report(load_repository(CORPUS / "report", Options(cache=False)), dt.date(2019, 12, 31))
    for chart in all_charts(report).values():
        first, second = chart_png(chart.svg), chart_png(chart.svg)
        assert first.data == second.data and first.data[:4] == b"\x89PNG"
        bare = chart_png(chart.svg, None)  # no CJK font found: drawn anyway, and it says so
        assert bare.data[:4] == b"\x89PNG" and not bare.cjk_font


def test_headings_are_word_heading_styles_in_hei_and_kai(built):
    doc = Document(str(built / "report" / "report.docx"))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h1[:6] == ["一、总体情况", "二、工作进度：梳理 → 征求意见 → 审定 → 公布",
                      "三、年度任务完成情况（2019年度工作任务表）", "四、工作开展情况（2019年，截至2019年12月31日）",
                      "五、分析评估", "六、考核加减分"]
    assert "（一）尚未公布的风险点" in h2
    styles = doc.styles
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        style = styles[name]
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == font
        assert style.element.pPr.find(qn("w:outlineLvl")) is not None  # what the navigation pane reads
        assert style.font.bold is False and style.font.size == Pt(16)
    # the offices of the city list are headings too, counties first (the report's order)
    city = Document(str(built / "public" / "_city.docx"))
    offices = [p.text for p in city.paragraphs if p.style.name == "Heading 1"]
    assert len(offices) == 9 and offices[0].startswith("二七区商务局") and offices[-1].startswith("郑州市商务综合行政执法支队")


def test_body_is_fangsong_sanhao_indented_two_characters_on_a_fixed_28_pt_line(built):
    for path in (built / "report" / "report.docx", built / "public" / "zhongmou.docx"):
        normal = Document(str(path)).styles["Normal"]
        assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert normal.font.size == Pt(16)  # 三号
        pf = normal.paragraph_format
        assert pf.first_line_indent == Pt(32)
        assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
        assert pf.line_spacing == Pt(28) and str(pf.line_spacing_rule).startswith("EXACTLY")


def test_the_report_ends_with_the_organization_and_the_date(built):
    doc = Document(str(built / "report" / "report.docx"))
    texts = [p for p in doc.paragraphs if p.text.strip()]
    org, day = texts[-2], texts[-1]
    assert (org.text, day.text) == ("郑州市商务局", "2019年12月31日")
    assert str(org.alignment).startswith("RIGHT") and str(day.alignment).startswith("RIGHT")
    # GB/T 9704 (unsealed): a date longer than the signature stands two characters from the right, and
    # the signature starts two characters left of the date: date 2019年12月31日 = 7 characters wide
    # (digits are half), so the signature (6) ends 2 + 7 + 2 − 6 = 5 characters from the right
    assert day.paragraph_format.right_indent == Pt(2 * 16)
    assert org.paragraph_format.right_indent == Pt(5 * 16)


def test_a_public_list_prints_the_batch_date_once_and_the_run_date_as_data_as_of(built):
    doc = Document(str(built / "public" / "zhongmou.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "最新批次：第一批（2019年9月16日公布）" in text and "数据截至2019年12月31日" in text
    assert "发布时间" not in text and "公布日期：2019年12月31日" not in text


def _sheets(built):
    from openpyxl import load_workbook

    return load_workbook(built / "public" / "risk-lists.xlsx")


def test_xlsx_fonts_dates_footer_colours_and_empty_sheets(built):
    wb = _sheets(built)
    with zipfile.ZipFile(built / "public" / "risk-lists.xlsx") as z:
        assert b"Calibri" not in z.read("xl/styles.xml")
    ws = wb["中牟县商务局"]
    header = [c.value for c in ws[3]]
    date_col = header.index("公布日期") + 1
    level_col = header.index("风险等级") + 1
    first = ws.cell(4, date_col)
    assert first.value == dt.datetime(2019, 9, 16) and first.is_date and "年" in first.number_format
    assert ws.cell(4, 2).font.name == "仿宋" and ws.cell(1, 1).font.name == "宋体"
    levels = {ws.cell(r, level_col).value: ws.cell(r, level_col).font.color.rgb for r in range(4, ws.max_row + 1)}
    assert levels["高风险"].endswith("B0161E") and levels["低风险"].endswith("1A7F37")
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    empty = wb["郑州市商务局政策法规处"]
    assert empty.cell(4, 1).value == "暂无公布的风险点"
    # sheets in the order of the report: counties, then divisions, then affiliates
    names = wb.sheetnames
    assert names.index("中牟县商务局") < names.index("郑州市商务局服务业发展处") < names.index("郑州市商务综合行政执法支队")


def test_the_docx_bytes_do_not_depend_on_the_run(built, tmp_path):
    r = run_fxfk("report", "--date", DATE, "--out", str(tmp_path / "again"), "-f", "docx", cwd=REPO)
    assert r.code == 0, r.err
    assert (tmp_path / "again" / "report.docx").read_bytes() == (built / "report" / "report.docx").read_bytes()
