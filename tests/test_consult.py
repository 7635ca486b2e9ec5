"""Issue 20: `fxfk consult draft` and `fxfk consult tally`, and the consultation checks of validate."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_fxfk

CONSULTING = ["EQ-JZ-002", "ZFZD-YFK-001", "ZFZD-BF-001"]  # status consulting in data/


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's own data/ and fxfk.yaml."""
    target = tmp_path / "repo"
    target.mkdir()
    shutil.copytree(REPO / "data", target / "data", ignore=shutil.ignore_patterns(".fxfk-cache"))
    shutil.copy(REPO / "fxfk.yaml", target / "fxfk.yaml")
    return target


def _draft(repo: Path, *args: str) -> Path:
    run = run_fxfk("consult", "draft", "--date", "2019-11-25", "--deadline", "2019-12-10", *args, cwd=repo)
    assert run.code == 0, run.err
    return repo / "征求意见"


def test_draft_writes_every_file_numbered(repo: Path):
    out = _draft(repo)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted([
        "征求意见稿.docx", "征求意见稿.html", "征求意见稿.md", "意见反馈表.docx", "意见反馈表.xlsx",
        "意见反馈表（处理用）.docx", "意见反馈表（处理用）.xlsx"])
    md = (out / "征求意见稿.md").read_text(encoding="utf-8")
    assert "请于2019年12月10日前" in md and "0371-68186327" in md  # deadline and the register's phone
    for k in (1, 2, 3):
        assert f"### 第{k}项" in md
    assert "「除了高风险和低风险之外的其他违法行为」" in md  # the clause, through Clause.cite()
    # never the internal fields
    for word in ("行业管理制度不完善", "法治观念淡薄", "社会关注度", "案件"):
        assert word not in md


def test_draft_docx_opens_with_numbering(repo: Path):
    from docx import Document

    doc = Document(str(_draft(repo, "--format", "docx") / "征求意见稿.docx"))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert [h.split("　")[0] for h in headings] == ["第1项", "第2项", "第3项"]
    assert doc.sections[0].page_width < doc.sections[0].page_height  # portrait, GB/T 9704
    form = Document(str(repo / "征求意见" / "意见反馈表（处理用）.docx"))
    header = [c.text for c in form.tables[0].rows[0].cells]
    assert header == ["序号", "风险点编号", "风险点", "意见", "建议修改为", "反馈单位", "是否采纳", "理由"]
    assert [form.tables[0].rows[k].cells[1].text for k in (1, 2, 3)] == CONSULTING


def test_draft_is_deterministic(repo: Path):
    import time

    first = {p.name: p.read_bytes() for p in _draft(repo).iterdir()}
    time.sleep(1.1)  # a timestamp of the run (openpyxl's save() writes one) would differ
    second = {p.name: p.read_bytes() for p in _draft(repo).iterdir()}
    assert first == second


def test_draft_named_points_and_errors(repo: Path):
    run = run_fxfk("consult", "draft", "--risk", "JS-YFK-001", "--format", "md", "--date", "2019-11-25", "--out", "x", cwd=repo)
    assert run.code == 0, run.err
    assert "1 项风险点" in run.out and "2019年12月24日" in run.out  # default: 30 days, both ends counted
    run = run_fxfk("consult", "draft", "--office", "二七区商务局", "--format", "md", "--out", "y", cwd=repo)
    assert run.code == 0 and "1 项风险点" in run.out, run.err
    run = run_fxfk("consult", "draft", "--risk", "NO-SUCH-001", cwd=repo)
    assert run.code == 2 and "NO-SUCH-001" in run.err
    run = run_fxfk("consult", "draft", "--format", "pdf", cwd=repo)
    assert run.code == 2 and "--format" in run.err
    assert not (repo / "征求意见").exists()


def _fill(source: Path, target: Path) -> None:
    """As a business would: a comment on 第1项, one in a free row citing 第2项, one on a point that
    does not exist, rows out of order, blank rows and a merged cell."""
    from openpyxl import load_workbook

    wb = load_workbook(source)
    ws = wb.active
    ws["D4"], ws["F4"], ws["G4"] = "建议补充档案范本下载地址", "郑州某家政服务有限公司", "是"
    ws["D6"], ws["F6"], ws["G6"] = "报废车零部件流向应建台账", "市再生资源回收利用协会", "否"
    ws["A12"], ws["D12"], ws["F12"], ws["G12"] = "第2项", "章程公示应统一模板", "市连锁经营协会", "部分采纳"
    ws["A14"], ws["D14"], ws["F14"] = "第9项", "对不存在的事项的意见", "某公司"
    ws.merge_cells("F15:F16")
    ws["A15"], ws["D15"], ws["F15"] = "1", "投诉处理时限应明确", "市家庭服务业协会"
    ws["D17"], ws["D18"] = "回收企业应公示零部件来源", "应明确台账保存期限"
    ws.merge_cells("A17:A18")  # one 序号 over two comments
    ws["A17"] = "第3项"
    wb.save(target)


def test_tally_counts_and_writes_bytes(repo: Path):
    out = _draft(repo)
    _fill(out / "意见反馈表（处理用）.xlsx", repo / "反馈1.xlsx")
    before = {p.name: p.read_bytes() for p in (repo / "data" / "risks").iterdir()}

    run = run_fxfk("consult", "tally", "反馈1.xlsx", cwd=repo)
    assert run.code == 1  # one reply names no known point: reported, not dropped
    assert "第 14 行" in run.out and "第9项" in run.out
    rows = {line.split("\t")[0]: line.split("\t") for line in run.out.splitlines() if "\t" in line}
    assert rows["EQ-JZ-002"][1:3] == ["2", "1"]
    assert rows["ZFZD-YFK-001"][1:3] == ["1", "1"]
    assert rows["ZFZD-BF-001"][1:3] == ["3", "0"]

    run = run_fxfk("consult", "tally", "反馈1.xlsx", "--write", cwd=repo)
    assert run.code == 1 and "未写入" in run.err
    assert {p.name: p.read_bytes() for p in (repo / "data" / "risks").iterdir()} == before

    from openpyxl import load_workbook

    wb = load_workbook(repo / "反馈1.xlsx")
    wb.active["D14"] = None
    wb.save(repo / "反馈1.xlsx")
    run = run_fxfk("consult", "tally", "反馈1.xlsx", "--write", "--date", "2019-12-11", cwd=repo)
    assert run.code == 0, run.err
    after = (repo / "data" / "risks" / "erqi.yaml").read_text(encoding="utf-8")
    old = before["erqi.yaml"].decode("utf-8")
    expected = old.replace(
        "      parties: [辖区家庭服务机构, 区家庭服务业协会]\n      comments: 0\n      adopted: 0\n",
        "      parties: [辖区家庭服务机构, 区家庭服务业协会, 郑州某家政服务有限公司, 市家庭服务业协会]\n"
        "      comments: 2\n      adopted: 1\n",
    )
    assert expected != old
    tail = ('  - date: 2019-12-11\n    kind: consultation\n    risks: [EQ-JZ-002]\n'
            '    note: "汇总意见反馈表 1 份：收到意见 2 条，采纳 1 条"\n')
    assert after == expected + tail
    untouched = {"erqi.yaml", "zfzd.yaml"}
    for p in (repo / "data" / "risks").iterdir():
        if p.name not in untouched:
            assert p.read_bytes() == before[p.name]
    assert run_fxfk("validate", cwd=repo).code == 0
    zfzd = (repo / "data" / "risks" / "zfzd.yaml").read_bytes()
    run = run_fxfk("consult", "tally", "反馈1.xlsx", "--write", "--date", "2019-12-11", cwd=repo)
    assert run.code == 0, run.err  # the same tally again: nothing changes, the activity is not doubled
    assert (repo / "data" / "risks" / "erqi.yaml").read_text(encoding="utf-8") == after
    assert (repo / "data" / "risks" / "zfzd.yaml").read_bytes() == zfzd


def test_tally_write_refuses_a_point_without_consultation(repo: Path):
    out = _draft(repo)
    _fill(out / "意见反馈表（处理用）.xlsx", repo / "反馈1.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(repo / "反馈1.xlsx")
    wb.active["D14"] = None
    wb.save(repo / "反馈1.xlsx")
    path = repo / "data" / "risks" / "erqi.yaml"
    text = path.read_text(encoding="utf-8")
    block = ("    consultation:\n      start: 2019-11-25\n      end: 2019-12-10\n"
             "      parties: [辖区家庭服务机构, 区家庭服务业协会]\n      comments: 0\n      adopted: 0\n")
    assert block in text
    path.write_text(text.replace(block, ""), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    run = run_fxfk("consult", "tally", "反馈1.xlsx", "--write", cwd=repo)
    assert run.code == 2 and "EQ-JZ-002" in run.err and "consultation" in run.err
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before  # not even zfzd.yaml


def test_tally_several_forms_any_order(repo: Path):
    from openpyxl import load_workbook

    out = _draft(repo)
    for k in (1, 2):
        wb = load_workbook(out / "意见反馈表.xlsx")
        ws = wb.active
        ws.move_range("A4:F6", rows=5)  # the printed rows further down, blank rows above them
        ws["D11"], ws["F11"] = f"意见{k}", f"企业{k}"  # the row of 第3项 (ZFZD-BF-001), moved
        ws["A5"], ws["C5"], ws["D5"] = "", "回收企业出售不能继续使用的报废机动车“五大总成”以外零部件", "按名称对应"
        wb.save(repo / f"r{k}.xlsx")
    run = run_fxfk("consult", "tally", "r2.xlsx", "r1.xlsx", "./r1.xlsx", cwd=repo)
    assert run.code == 0, run.out + run.err
    row = next(line for line in run.out.splitlines() if line.startswith("ZFZD-BF-001"))
    assert row.split("\t")[1:4] == ["4", "0", "企业2、企业1"]


def test_tally_bad_file(repo: Path):
    (repo / "x.xlsx").write_bytes(b"not a workbook")
    run = run_fxfk("consult", "tally", "x.xlsx", cwd=repo)
    assert run.code == 2 and "无法读取" in run.err


def test_edit_text_block_lists_crlf_and_no_activities():
    from fxfk.edit.consult_tally import edit_text
    from fxfk.rules.consultation import PointTally

    text = (
        "office: {id: a, name: 甲, kind: county}\r\n"
        "risks:\r\n"
        "  - id: A-001   # 注释\r\n"
        "    consultation:\r\n"
        "      start: 2019-11-01\r\n"
        "      end: 2019-11-30\r\n"
        "      parties:\r\n"
        "        - 企业\r\n"
        "      comments: 1\r\n"
        "\r\n"
        "# 结尾注释"
    )
    point = PointTally("A-001", "", "a.yaml", 0, comments=3, adopted=2, parties=["企业", "行业协会"])
    out = edit_text(text, "a.yaml", [point], dt.date(2019, 12, 1), 2)
    assert out == (
        "office: {id: a, name: 甲, kind: county}\r\n"
        "risks:\r\n"
        "  - id: A-001   # 注释\r\n"
        "    consultation:\r\n"
        "      start: 2019-11-01\r\n"
        "      end: 2019-11-30\r\n"
        "      parties:\r\n"
        "        - 企业\r\n"
        "        - 行业协会\r\n"
        "      comments: 3\r\n"
        "      adopted: 2\r\n"
        "\r\n"
        "# 结尾注释\r\n"
        "activities:\r\n"
        "  - date: 2019-12-01\r\n"
        "    kind: consultation\r\n"
        "    risks: [A-001]\r\n"
        '    note: "汇总意见反馈表 2 份：收到意见 3 条，采纳 2 条"\r\n'
    )


def test_validate_warns_on_short_period_and_missing_businesses(tmp_path: Path):
    data = tmp_path / "data" / "risks"
    data.mkdir(parents=True)
    risk = """
  - id: A-{n:03d}
    title: 风险点{n}
    domain: 单用途商业预付卡
    basis:
      - {{role: penalty, law: 单用途商业预付卡管理办法（试行）, article: 第三十六条}}
    level: 中
    measures: [{{kind: guide, text: 上门指导}}]
    responsible: 甲局
    status: approved
    consultation: {{start: {start}, end: 2019-08-30, parties: [{parties}]}}
"""
    text = "office: {id: aa, name: 甲局, kind: county}\nrisks:" + "".join(
        risk.format(n=n, start=start, parties=parties) for n, start, parties in (
            (1, "2019-08-01", "辖区发卡企业, 法律顾问"),  # 30 days: fine
            (2, "2019-08-02", "市美容美发行业协会"),  # 29 days
            (3, "2019-08-01", "区消费者协会, 法律顾问"),  # no business, no industry association
        ))
    (data / "aa.yaml").write_text(text, encoding="utf-8")
    assert "consultation-too-short" not in run_fxfk("validate", cwd=tmp_path).out  # off by default
    (tmp_path / "fxfk.yaml").write_text("consultation_min_days: 30\n", encoding="utf-8")
    run = run_fxfk("validate", cwd=tmp_path)
    assert run.code == 0, run.out
    assert run.out.count("consultation-too-short") == 1 and "risks[1].consultation.end" in run.out, run.out
    flat = "".join(run.out.split())
    assert "共29日，短于fxfk.yaml设定的30日" in flat and "第十五条" in flat
    assert run.out.count("consultation-no-businesses") == 1 and "risks[2].consultation.parties" in run.out
    (tmp_path / "fxfk.yaml").write_text("consultation_min_days: 9999\n", encoding="utf-8")
    run = run_fxfk("validate", cwd=tmp_path)
    assert run.code == 1 and "consultation_min_days" in run.out  # bounded


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_draft_prints_without_blank_pages(repo: Path, tmp_path: Path):
    from test_print import pdf_page_texts, print_to_pdf

    out = _draft(repo, "--format", "html")
    pdf = print_to_pdf(out / "征求意见稿.html", tmp_path / "draft.pdf", tmp_path / "profile")
    pages = pdf_page_texts(pdf.read_bytes())
    assert pages and all(len(p.strip()) > 20 for p in pages), [len(p) for p in pages]
    text = "".join(pages)
    for k in (1, 2, 3):
        assert f"第{k}项" in text


def test_texts_stay_text(repo: Path):
    """A title from a register is never markup in the HTML nor a formula in the form."""
    from openpyxl import load_workbook

    path = repo / "data" / "risks" / "erqi.yaml"
    old = "家庭服务机构未建立家庭服务员工作档案、跟踪管理制度或未妥善处理投诉"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(f"title: {old}", "title: '=1+1<script>x</script>'"), encoding="utf-8")
    out = _draft(repo, "--risk", "EQ-JZ-002", "--format", "html")
    html = (out / "征求意见稿.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    cell = load_workbook(out / "意见反馈表.xlsx").active["C4"]
    assert cell.value == "=1+1<script>x</script>" and cell.data_type == "s"


@pytest.mark.parametrize("party, heard", [
    ("辖区发卡企业", True), ("市美容美发行业协会", True), ("市商业联合会", True), ("汽车经销商", True),
    ("辖区家庭服务机构", True), ("被特许人代表", True), ("区消费者协会", False), ("法律顾问", False),
    ("区市场监督管理局", False), ("德化街商圈管委会", False), ("消费者代表", False),
])
def test_hears_businesses(party: str, heard: bool):
    from fxfk.rules.consultation import hears_businesses

    assert hears_businesses(party) is heard
