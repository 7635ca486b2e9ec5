"""`fxfk report` through the real CLI: files, formats, refusals, determinism, charts, honest numbers."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import CORPUS, REPO

ROOT = CORPUS / "report"
DATE = "2019-12-31"


def _report(fxfk, out: Path, *extra: str, root: Path = ROOT):
    # No cache: the corpus is read in place, and the checkout must stay clean.
    return fxfk("report", "--root", str(root), "--date", DATE, "--out", str(out), *extra, env={"FXFK_NO_CACHE": "1"})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import run_fxfk

    out = tmp_path_factory.mktemp("rep") / "reports"
    r = _report(run_fxfk, out)
    assert r.code == 0, r.err
    return out, r


def test_writes_every_format_and_says_so(built):
    out, r = built
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        ".fxfk-report", "charts/cases.svg", "charts/funnel.svg", "charts/levels.svg", "charts/tasks.svg",
        "report.docx", "report.html", "report.md",
    ]
    assert "已写入 7 个文件" in r.out and "3 个单位，10 个风险点，已公布 6 个，逾期任务 2 项" in r.out


def test_html_is_self_contained_and_print_ready(built):
    html = (built[0] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert "<script" not in html.lower()
    # nothing fetched: no external URL other than the SVG namespace
    assert not [u for u in re.findall(r'(?:src|href)="([^"#]+)"', html)]
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "@page { size: A4 portrait" in html
    # four charts, each with a title and a description that aria-labelledby points to
    for key in ("levels", "funnel", "cases", "tasks"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
        assert f'<title id="chart-{key}-title">' in html and f'<desc id="chart-{key}-desc">' in html


def test_html_and_markdown_carry_the_hand_worked_figures(built):
    html = (built[0] / "report.html").read_text(encoding="utf-8")
    md = (built[0] / "report.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "公布率 66.7%" in text  # 6 of 9 identified points public
        # only whole years after publication count: W-4 (2018-06-01) alone has one (2019)
        assert "建议修订完善（公布后案件数上升，0 个）" in text
        assert "W-4 风险点W-4（西区执法处，2017年 6 件 → 公布后年均 2 件，-4）" in text
        assert "已审定（批次未到）" in text and "2020年6月1日" in text  # E-3, and its note
        assert "静默中心" in text and "未记录任何工作的单位（1 个）" in text
        assert not re.search(r"(?<![\d.])0\.0%", text)  # every zero denominator is 无数据, never 0%
    assert "| 静默中心 | 0 | 0 | 0 | 0 | 无数据 |" in md  # funnel row: 0 identified → no share
    assert "| 西区执法处 | 无数据 | 无数据 |" in md  # guidance 0/0 and no survey
    assert "| **合计** | +2 | -1 | +1 | |" in md  # assessment totals
    # the Markdown version replaces each chart by its text equivalent
    assert md.count("（图形见网页版、Word 版）") == 4
    assert "汽车 公布前一年 6 件、公布后年均 2 件" in md
    # what a reader who never saw the YAML would not understand
    for word in ("count", "scoring", "cases", "corrected", "counterparts", "satisfied", "respondents", "--office",
                 "fxfk deadlines", "fxfk report"):
        assert word not in md, word


def test_overdue_first_in_the_task_table(built):
    md = (built[0] / "report.md").read_text(encoding="utf-8")
    section = md[md.index("未按期完成或尚未完成的事项"):md.index("## 四")]
    states = re.findall(r"^\| \**(已逾期|即将到期|进行中|无固定时限|逾期完成)\**", section, re.M)
    assert states == ["已逾期", "已逾期", "即将到期", "无固定时限", "无固定时限"]


def test_docx_has_the_sections_and_tables(built):
    with zipfile.ZipFile(built[0] / "report.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for heading in ("一、总体情况", "二、工作进度", "三、年度任务完成情况", "四、工作开展情况", "五、分析评估", "六、考核加减分"):
        assert heading in xml
    assert "静默中心" in xml and "86.7%（13/15）" in xml and xml.count("<pic:pic") == 4
    assert xml.count("<w:tbl>") >= 9


def test_two_runs_are_byte_identical(fxfk, tmp_path, built):
    again = tmp_path / "again"
    assert _report(fxfk, again).code == 0
    for p in built[0].rglob("*"):
        if p.is_file():
            assert (again / p.relative_to(built[0])).read_bytes() == p.read_bytes(), p.name


def test_formats_and_office_filter(fxfk, tmp_path):
    out = tmp_path / "r"
    r = _report(fxfk, out, "--format", "md", "--office", "west")
    assert r.code == 0, r.err
    assert sorted(p.name for p in out.iterdir()) == [".fxfk-report", "report.md"]
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "（所选单位）" in md and "所选 1 个单位：西区执法处" in md
    assert "东区商务局" not in md


@pytest.mark.parametrize(
    "args, message",
    [
        (("--format", "pdf"), "未知的格式“pdf”"),
        (("--office", "nowhere"), "--office“nowhere”既不是单位标识"),
        (("--year", "2030"), "没有 2030 年的任务表"),
    ],
)
def test_usage_errors_exit_2(fxfk, tmp_path, args, message):
    r = _report(fxfk, tmp_path / "r", *args)
    assert r.code == 2 and message in r.err and "Traceback" not in r.err
    assert not (tmp_path / "r").exists()


def test_bad_date(fxfk, tmp_path):
    r = fxfk("report", "--root", str(ROOT), "--date", "2019-02-30", "--out", str(tmp_path / "r"))
    assert r.code == 2 and "--date “2019-02-30”不是有效日期" in r.err


def test_refuses_on_validation_errors_and_keeps_the_old_output(fxfk, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo)
    out = tmp_path / "reports"
    assert _report(fxfk, out, "-f", "md", root=repo).code == 0
    before = (out / "report.md").read_bytes()
    reg = repo / "data" / "risks" / "west.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace("kind: division", "kind: ministry"), encoding="utf-8")
    r = _report(fxfk, out, "-f", "md", root=repo)
    assert r.code == 1
    assert "fxfk report 不在有错误的数据上生成报告" in r.err and "data/risks/west.yaml:4:" in r.err
    assert (out / "report.md").read_bytes() == before


def test_refuses_to_replace_a_folder_it_did_not_make(fxfk, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    r = _report(fxfk, out)
    assert r.code == 2 and "不是 fxfk report 生成的" in r.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_runs_on_the_repository_data(fxfk, tmp_path):
    r = fxfk("report", "--root", str(REPO), "--date", DATE, "--out", str(tmp_path / "r"), "-f", "md", env={"FXFK_NO_CACHE": "1"})
    assert r.code == 0, r.err
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "## 五、分析评估" in md and "建议修订完善" in md


def test_help_has_an_example(fxfk):
    r = fxfk("report", "--help")
    assert r.code == 0 and "fxfk report --date 2019-12-31" in r.out
