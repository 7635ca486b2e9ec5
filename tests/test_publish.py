"""`fxfk publish` through the real CLI on tests/corpus/publish (points in every status, two batches).

Every internal field of the corpus carries the marker ZZLEAKZZ; it must reach no output file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import CORPUS

MARKER = "ZZLEAKZZ"
PUBLIC_EARLY = {"东区甲第一批公开风险点", "西区庚公开风险点"}
PUBLIC_LATE = PUBLIC_EARLY | {"东区乙第二批公开风险点"}
WITHDRAWN = "东区己已撤销风险点"
NEVER = {"东区丙草稿风险点", "东区丁征求意见风险点", "东区戊已审定风险点", "西区辛计划批次风险点", "西区壬废止草稿"}
ALL_TITLES = PUBLIC_LATE | NEVER | {WITHDRAWN}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "publish", target)
    return target


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """All formats on both dates, published once from the corpus itself (read-only) for the reading tests."""
    from conftest import run_fxfk

    outs = {}
    for date in ("2019-10-15", "2020-01-15"):
        out = tmp_path_factory.mktemp("published") / date
        r = run_fxfk("publish", "--root", str(CORPUS / "publish"), "--out", str(out), "--date", date,
                     env={"FXFK_NO_CACHE": "1"})
        assert r.code == 0, r.err
        outs[date] = out
    return outs


def publish(fxfk, repo: Path, out: Path, *args: str):
    return fxfk("publish", "--root", str(repo), "--out", str(out), *args)


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        return xlsx_text(path)
    if path.suffix == ".docx":
        return docx_text(path)
    return path.read_bytes().decode("utf-8-sig")


def raw_contents(path: Path) -> bytes:
    """All bytes a reader could see: zip members unpacked for XLSX/DOCX."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return b"".join(z.read(n) for n in z.namelist())
    return path.read_bytes()


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    "date, public",
    [("2019-10-15", PUBLIC_EARLY), ("2020-01-15", PUBLIC_LATE)],
)
def test_exactly_the_public_titles_appear_in_every_format(published, date, public):
    out = published[date]
    by_format: dict[str, str] = {}
    for path in out.iterdir():
        if path.name.startswith("."):
            continue
        by_format.setdefault(path.suffix, "")
        by_format[path.suffix] += text_of(path)
    assert set(by_format) == {".html", ".md", ".csv", ".xlsx", ".docx"}
    for suffix, text in by_format.items():
        seen = {t for t in ALL_TITLES if t in text}
        # Withdrawn points are named in the "changes" section of the documents, never in a table.
        expected = public | ({WITHDRAWN} if suffix in (".html", ".md", ".docx") else set())
        assert seen == expected, suffix


def test_city_and_office_lists_split_by_office(published):
    out = published["2020-01-15"]
    rows = list(csv.reader(io.StringIO((out / "west.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0][:6] == ["序号", "违法风险点", "风险等级", "行政处罚和行政强制等依据（含裁量标准）", "防控措施", "责任单位"]
    assert [r[1] for r in rows[1:]] == ["西区庚公开风险点"]
    city = list(csv.reader(io.StringIO((out / "_city.csv").read_bytes().decode("utf-8-sig"))))
    assert [(r[0], r[1]) for r in city[1:]] == [("1", "东区甲第一批公开风险点"), ("2", "东区乙第二批公开风险点"), ("3", "西区庚公开风险点")]
    first = city[1]
    assert first[2] == "低风险"
    assert first[3].startswith("《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）第七条、第三十六条\n")
    assert "裁量标准：\n1. 情节轻微，责令改正后按期改正：不予处罚" in first[3]
    assert first[6:] == ["东区商务局", "第一批", "2019-09-16"]
    assert (out / "_city.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    no_penalty = list(csv.reader(io.StringIO((out / "_city.no-penalty.csv").read_bytes().decode("utf-8-sig"))))
    assert no_penalty[0][:5] == ["序号", "事项名称", "实施依据", "免罚情形", "适用条件"]
    # The draft EA-003 is on no list, although it says no_penalty: true.
    assert [r[1] for r in no_penalty[1:]] == ["东区甲第一批公开风险点"]
    assert no_penalty[1][3] == "情节轻微，责令改正后按期改正"
    assert no_penalty[1][4] == "1. 违法行为轻微；2. 及时改正；3. 没有造成危害后果"


@pytest.mark.parametrize("date", ["2019-10-15", "2020-01-15"])
def test_no_internal_field_reaches_any_output(published, date):
    for name in ("east.yaml", "west.yaml"):  # the marker is there, so the test can fail
        assert MARKER in (CORPUS / "publish/data/risks" / name).read_text(encoding="utf-8")
    files = list(published[date].iterdir())
    assert len(files) > 20
    for path in files:
        assert MARKER.encode() not in raw_contents(path), path.name
        assert b"ZZLEAKZZ" not in path.read_bytes(), path.name


def test_batch_and_changes_section(published):
    out = published["2020-01-15"]
    md = (out / "east.md").read_text(encoding="utf-8")
    assert "最新批次：第二批（2019年12月1日公布）" in md
    assert "咨询电话：0371-66660001" in md
    assert "## 第二批（2019年12月1日公布，东商〔2019〕9号）" in md
    assert "- 新增 1 项：东区乙第二批公开风险点" in md
    assert "- 撤销 1 项：东区己已撤销风险点（中风险，原列入第一批）" in md
    assert "发布单位：样例市商务局" in md


def test_twice_gives_identical_bytes(fxfk, repo, tmp_path, published):
    a = published["2020-01-15"]
    first = hashes(a)
    b = tmp_path / "b"
    assert publish(fxfk, repo, b, "--date", "2020-01-15").code == 0
    assert hashes(b) == first
    assert len(first) == 27  # 26 lists + the marker file
    with zipfile.ZipFile(a / "risk-lists.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 1, 15, 0, 0, 0)}
        assert b"2020-01-15T00:00:00Z" in z.read("docProps/core.xml")


def test_failure_midway_leaves_previous_output(fxfk, repo, tmp_path):
    out = tmp_path / "public"
    assert publish(fxfk, repo, out, "--date", "2019-10-15", "-f", "html,md").code == 0
    before = hashes(out)
    # HTML renders first; the Markdown template then fails on an undefined variable.
    (repo / "templates/publish").mkdir(parents=True)
    (repo / "templates/publish/risk_list.md.j2").write_text("# {{ no_such_thing }}\n", encoding="utf-8")
    r = publish(fxfk, repo, out, "--date", "2020-01-15", "-f", "html,md")
    assert r.code == 2
    assert "no_such_thing" in r.err and "模板" in r.err and "Traceback" not in r.err
    assert hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "repo"]  # no temp folder left


def test_template_override_extends_builtin_and_cannot_reach_internal_fields(fxfk, repo, tmp_path):
    folder = repo / "templates/publish"
    folder.mkdir(parents=True)
    (folder / "risk_list.html.j2").write_text(
        '{% extends "default:risk_list.html.j2" %}{% block footer %}本地页脚{{ super() }}{% endblock %}\n', encoding="utf-8"
    )
    out = tmp_path / "public"
    r = publish(fxfk, repo, out, "--date", "2020-01-15", "-f", "html")
    assert r.code == 0, r.err
    page = (out / "east.html").read_text(encoding="utf-8")
    assert "本地页脚数据截至2020年1月15日" in page and "<table" in page
    assert "本地页脚" not in (out / "east.no-penalty.html").read_text(encoding="utf-8")

    (folder / "risk_list.html.j2").write_text("{{ offices[0].risks[0].cases }}\n", encoding="utf-8")
    r = publish(fxfk, repo, out, "--date", "2020-01-15", "-f", "html")
    assert r.code == 2 and "cases" in r.err
    assert "本地页脚" in (out / "east.html").read_text(encoding="utf-8")  # old output kept


def test_html_is_escaped_and_self_contained(fxfk, repo, tmp_path):
    path = repo / "data/risks/east.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("东区甲第一批公开风险点", "东区甲<script>alert(1)</script>|点"), encoding="utf-8")
    out = tmp_path / "public"
    assert publish(fxfk, repo, out, "--date", "2020-01-15", "-f", "html,md").code == 0
    for name in ("east.html", "_city.html", "_city.no-penalty.html", "index.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert "<script" not in page, name
        assert '<html lang="zh-CN">' in page
        assert "http://" not in page and "https://" not in page and "<link" not in page
        assert "@media print" in page and "size: A4" in page
    page = (out / "east.html").read_text(encoding="utf-8")
    assert "东区甲&lt;script&gt;alert(1)&lt;/script&gt;|点" in page
    assert '<th scope="col">违法风险点</th>' in page and '<th scope="row"' in page
    assert "东区甲&lt;script&gt;alert(1)&lt;/script&gt;\\|点" in (out / "east.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, code, field",
    [
        ("对逾期未备案的企业发出提示函", "对逾期未备案的企业发出提示函，联系13912345678", "public-mobile-number", "risks[0].measures[1].text"),
        ("处以1万元以上3万元以下罚款", "处以1万元以上3万元以下罚款 11010519491231002X", "public-id-number", "risks[0].basis[1].excerpt"),
    ],
)
def test_personal_numbers_refuse_with_location(fxfk, repo, tmp_path, old, new, code, field):
    path = repo / "data/risks/east.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if old in s)
    out = tmp_path / "public"
    r = publish(fxfk, repo, out, "--date", "2020-01-15")
    assert r.code == 1
    assert f"data/risks/east.yaml:{line}:" in r.err and code in r.err and field in r.err
    assert "13912345678" not in r.err and "11010519491231002X" not in r.err  # masked in the message too
    assert not out.exists()


def test_personal_numbers_in_non_public_points_do_not_block(fxfk, repo, tmp_path):
    path = repo / "data/risks/east.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("审定措施", "审定措施 13912345678"), encoding="utf-8")
    assert publish(fxfk, repo, tmp_path / "public", "--date", "2020-01-15", "-f", "md").code == 0


def test_refuses_while_validation_has_errors(fxfk, repo, tmp_path):
    path = repo / "data/risks/west.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    batch: 1\n", "    batch: 7\n"), encoding="utf-8")
    out = tmp_path / "public"
    r = publish(fxfk, repo, out)
    assert r.code == 1
    assert "data/risks/west.yaml:" in r.err and "unknown-batch" in r.err and "fxfk validate" in r.err
    assert not out.exists()


def test_law_not_in_force_refuses(fxfk, repo, tmp_path):
    (repo / "data/laws.yaml").write_text(
        "laws:\n"
        "  - name: 商业特许经营管理条例\n    rank: administrative_regulation\n    effective: 2007-05-01\n"
        "    repealed: 2019-12-31\n    replaced_by: 某新条例\n",
        encoding="utf-8",
    )
    out = tmp_path / "public"
    assert publish(fxfk, repo, out, "--date", "2019-12-30", "-f", "md").code == 0
    r = publish(fxfk, repo, out, "--date", "2019-12-31", "-f", "md")
    assert r.code == 1
    assert "law-repealed" in r.err and "data/risks/west.yaml:" in r.err and "risks[0].basis[0].law" in r.err


def test_office_filter_and_formats(fxfk, repo, tmp_path):
    out = tmp_path / "public"
    r = publish(fxfk, repo, out, "--date", "2020-01-15", "--office", "west", "--format", "html,csv")
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        ".fxfk-publish", "index.html", "_city.html", "_city.no-penalty.html", "west.html", "west.no-penalty.html",
        "_city.csv", "_city.no-penalty.csv", "west.csv", "west.no-penalty.csv",
    ])
    assert "东区" not in (out / "_city.html").read_text(encoding="utf-8")
    r = publish(fxfk, repo, out, "--office", "nowhere")
    assert r.code == 2 and "nowhere" in r.err and "east" in r.err
    r = publish(fxfk, repo, out, "--format", "pdf")
    assert r.code == 2 and "pdf" in r.err
    r = publish(fxfk, repo, out, "--date", "2019-02-30")
    assert r.code == 2 and "--date" in r.err


def test_will_not_replace_a_folder_it_did_not_make(fxfk, repo, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    r = publish(fxfk, repo, out)
    assert r.code == 2 and "fxfk publish" in r.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    r = fxfk("publish", "--root", str(repo), "--out", str(repo / "data"))
    assert r.code == 2


def test_xlsx_reads_back_with_frozen_header_and_sheets(published):
    from openpyxl import load_workbook

    out = published["2020-01-15"]
    wb = load_workbook(out / "risk-lists.xlsx")
    assert wb.sheetnames == ["全市", "东区商务局", "西区商务局", "免罚清单"]
    ws = wb["东区商务局"]
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]][:6] == ["序号", "违法风险点", "风险等级", "行政处罚和行政强制等依据（含裁量标准）", "防控措施", "责任单位"]
    assert [ws.cell(r, 2).value for r in range(4, ws.max_row + 1)] == ["东区甲第一批公开风险点", "东区乙第二批公开风险点"]
    assert ws.cell(4, 4).alignment.wrap_text
    assert ws.column_dimensions["D"].width >= 40
    assert ws.cell(1, 1).value == "东区商务局违法风险点清单"
    assert [wb["免罚清单"].cell(4, c).value for c in (1, 2)] == [1, "东区甲第一批公开风险点"]
    assert wb.properties.created.date().isoformat() == "2020-01-15"


def test_docx_reads_back_as_official_document(published):
    from docx import Document

    out = published["2020-01-15"]
    doc = Document(str(out / "east.docx"))
    section = doc.sections[0]
    assert sorted(round(x.mm) for x in (section.page_width, section.page_height)) == [210, 297]
    assert doc.paragraphs[0].text == "东区商务局违法风险点清单"
    title_xml = doc.paragraphs[0].runs[0]._r.xml
    assert "方正小标宋简体" in title_xml
    assert "仿宋_GB2312" in doc.styles["Normal"].element.xml
    assert len(doc.tables) == 2
    header = doc.tables[0].rows[0]
    assert [c.text for c in header.cells] == ["序号", "违法风险点", "风险等级", "行政处罚和行政强制等依据（含裁量标准）", "防控措施", "责任单位"]
    assert "w:tblHeader" in header._tr.xml
    assert doc.tables[1].rows[1].cells[1].text == "东区乙第二批公开风险点"
    assert "PAGE" in section.footer._element.xml
    assert doc.core_properties.created.date().isoformat() == "2020-01-15"
    with zipfile.ZipFile(out / "east.docx") as z:
        assert "仿宋" in z.read("word/fontTable.xml").decode("utf-8")
    np_doc = Document(str(out / "_city.no-penalty.docx"))
    assert [c.text for c in np_doc.tables[0].rows[0].cells][:5] == ["序号", "事项名称", "实施依据", "免罚情形", "适用条件"]
