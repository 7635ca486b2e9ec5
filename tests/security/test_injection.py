"""Hostile text fields through the real CLI: every output format shows data, never runs it."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import run_fxfk  # noqa: E402
from hostile import BY_NAME, CORPUS, HOSTILE, PUBLIC_FILE, repo_with  # noqa: E402

DATE = "2020-01-15"
FORMULAS = [h for h in HOSTILE if "formula" in h.attacks and h.valid_text and not h.text.startswith("＝")]
MARKUP = [h for h in HOSTILE if h.attacks & {"markdown", "html"} and h.valid_text]


def render_md(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def assert_no_markup_from_data(markdown: str, baseline: str) -> None:
    """The rendered Markdown has no tag that the same output for harmless data does not have."""
    def tags(md: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for t in re.findall(r"<([a-z0-9]+)", render_md(md)):
            found[t] = found.get(t, 0) + 1
        return found

    got, want = tags(markdown), tags(baseline)
    extra = {t: n for t, n in got.items() if n > want.get(t, 0) and t not in ("br",)}
    assert not extra, f"markup from data: {extra}"
    html = render_md(markdown)
    for bad in ("<img", "<script", "<a "):
        assert bad not in html


def publish(repo: Path, out: Path, fmt: str):
    r = run_fxfk("publish", "--date", DATE, "--out", str(out), "-f", fmt, cwd=repo)
    assert r.code == 0, r.err
    return out


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


# --- item 2: spreadsheet formulas -----------------------------------------------------------------


@pytest.mark.parametrize("h", FORMULAS, ids=lambda h: h.name)
def test_publish_csv_neutralises_a_formula_title(tmp_path, h):
    out = publish(repo_with(tmp_path, "title", h.text), tmp_path / "public", "csv")
    cells = [c for f in sorted(out.glob("*.csv")) for row in read_csv(f) for c in row]
    assert "'" + h.text.strip() in cells  # the model strips a title's surrounding whitespace
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


@pytest.mark.parametrize("h", FORMULAS, ids=lambda h: h.name)
def test_publish_xlsx_writes_a_formula_title_as_text(tmp_path, h):
    from openpyxl import load_workbook

    out = publish(repo_with(tmp_path, "title", h.text), tmp_path / "public", "xlsx")
    (book,) = out.glob("*.xlsx")
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            assert "<f>" not in z.read(name).decode("utf-8"), name
    values = [c.value for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row]
    assert h.text.strip() in values  # shown as the text it is


def test_publish_xlsx_keeps_numbers_as_numbers(tmp_path):
    from openpyxl import load_workbook

    out = publish(repo_with(tmp_path, "title", BY_NAME["formula-minus"].text), tmp_path / "public", "xlsx")
    (book,) = out.glob("*.xlsx")
    seq = [row[0].value for row in load_workbook(book).worksheets[0].iter_rows(min_row=4)]
    assert seq and all(isinstance(v, int) for v in seq)


@pytest.mark.parametrize("h", FORMULAS, ids=lambda h: h.name)
def test_classify_csv_neutralises_a_formula_title(tmp_path, h):
    r = run_fxfk("classify", "-f", "csv", cwd=repo_with(tmp_path, "title", h.text))
    assert r.code == 0, r.err
    cells = [c for row in csv.reader(io.StringIO(r.out.lstrip("\ufeff"))) for c in row]
    assert "'" + h.text in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


# --- item 6: Markdown -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("baseline")
    repo = repo_with(tmp, "title", "普通标题")
    return repo, publish(repo, tmp / "public", "md")


@pytest.mark.parametrize("h", MARKUP, ids=lambda h: h.name)
def test_publish_markdown_shows_a_hostile_title_as_text(tmp_path, h, baseline):
    out = publish(repo_with(tmp_path, "title", h.text), tmp_path / "public", "md")
    for md in sorted(out.glob("*.md")):
        assert_no_markup_from_data(md.read_text(encoding="utf-8"), (baseline[1] / md.name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("field", ["responsible", "no_penalty_condition"])
def test_publish_markdown_escapes_other_fields(tmp_path, field, baseline):
    value = BY_NAME["md-heading-newline"].text + BY_NAME["html-img"].text
    try:
        repo = repo_with(tmp_path, field, value)
    except KeyError:
        pytest.skip(f"EA-001 has no one-line {field}")
    out = publish(repo, tmp_path / "public", "md")
    for md in sorted(out.glob("*.md")):
        assert_no_markup_from_data(md.read_text(encoding="utf-8"), (baseline[1] / md.name).read_text(encoding="utf-8"))


def with_tasks(repo: Path) -> Path:
    tasks = repo / "data" / "tasks"
    tasks.mkdir(parents=True)
    text = (CORPUS / "base" / "data" / "tasks" / "2019.yaml").read_text(encoding="utf-8")
    (tasks / "2019.yaml").write_text(text.replace("office: alpha", "office: east").replace("office: beta", "office: west"),
                                     encoding="utf-8")
    return repo


@pytest.mark.parametrize("name", ["md-heading-newline", "html-img", "md-image", "md-link-js"])
def test_report_markdown_shows_a_hostile_title_as_text(tmp_path, name):
    def report(value: str, where: Path) -> str:
        repo = with_tasks(repo_with(where, "title", value))
        r = run_fxfk("report", "--date", "2019-12-31", "--out", str(where / "out"), "-f", "md", cwd=repo)
        assert r.code == 0, r.err
        return (where / "out" / "report.md").read_text(encoding="utf-8")

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert_no_markup_from_data(report(BY_NAME[name].text, tmp_path / "a"), report("普通标题", tmp_path / "b"))


@pytest.mark.parametrize("name", ["md-heading-newline", "html-img", "html-script", "md-image"])
def test_classify_markdown_shows_a_hostile_title_as_text(tmp_path, name):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    got = run_fxfk("classify", "-f", "markdown", cwd=repo_with(tmp_path / "a", "title", BY_NAME[name].text))
    want = run_fxfk("classify", "-f", "markdown", cwd=repo_with(tmp_path / "b", "title", "普通标题"))
    assert got.code == want.code == 0
    assert_no_markup_from_data(got.out, want.out)


GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def diff_with(tmp_path: Path, value: str, fmt: str) -> str:
    """``fxfk diff HEAD`` where the work tree changes EA-001's title to ``value``."""
    repo = repo_with(tmp_path, "title", value)
    hostile = (repo / PUBLIC_FILE).read_bytes()
    shutil.copy(CORPUS / "publish" / PUBLIC_FILE, repo / PUBLIC_FILE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    (repo / PUBLIC_FILE).write_bytes(hostile)
    r = run_fxfk("diff", "HEAD", "--format", fmt, "--date", DATE, cwd=repo)
    assert r.code == 0, r.err
    return r.out


@pytest.mark.parametrize("name", ["html-script", "html-img", "md-image", "md-heading-newline", "md-link"])
def test_diff_markdown_for_a_pull_request_comment_shows_a_hostile_title_as_text(tmp_path, name):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    got = diff_with(tmp_path / "a", BY_NAME[name].text, "markdown")
    want = diff_with(tmp_path / "b", "普通标题", "markdown")
    assert_no_markup_from_data(got, want)


def test_html_templates_mark_no_data_safe():
    templates = Path(__file__).resolve().parents[2] / "src" / "fxfk" / "templates"
    for path in templates.rglob("*.html.j2"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "|safe" in line.replace(" ", ""):
                # Only the report's charts, which charts.py builds with every text escaped.
                assert "chart.svg" in line, f"{path.name}: {line}"


# --- item 8: GitHub commands, terminals, JUnit ----------------------------------------------------


def hostile_file_name(tmp_path: Path, name: str) -> Path:
    """A repository with a register whose file name carries ``name`` (a file in a pull request)."""
    repo = repo_with(tmp_path, "title", "普通标题")
    shutil.copy(repo / "data" / "risks" / "west.yaml", repo / "data" / "risks" / f"{name}.yaml")
    return repo


@pytest.mark.parametrize("name", ["gh-command", "gh-command-encoded", "ansi-colour", "bidi-override"])
def test_validate_github_annotations_cannot_start_a_command(tmp_path, name):
    repo = hostile_file_name(tmp_path, BY_NAME[name].text)
    r = run_fxfk("validate", "--format", "github", cwd=repo)
    assert r.code == 1
    for line in r.out.splitlines():
        assert not line.startswith("::") or line.startswith(("::error ", "::warning ")), line
        # Inside one annotation "::add-mask::" is text: only the start of a line is a command.
        assert not line.startswith(("::add-mask", "::stop-commands", "::error::")), line
    assert "\x1b" not in r.out and "\u202e" not in r.out


@pytest.mark.parametrize("name", ["ansi-colour", "ansi-title", "ansi-clear", "c0-control", "c1-control", "bidi-override"])
def test_validate_text_shows_control_characters_in_a_file_name(tmp_path, name):
    h = BY_NAME[name]
    repo = hostile_file_name(tmp_path, h.text.replace("\x00", "0"))  # NUL cannot be in a file name
    r = run_fxfk("validate", cwd=repo)
    assert r.code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.out), repr(r.out)


@pytest.mark.parametrize("name", ["c0-control", "ansi-colour"])
def test_validate_junit_stays_well_formed_xml(tmp_path, name):
    from xml.etree import ElementTree as ET

    repo = hostile_file_name(tmp_path, BY_NAME[name].text)
    r = run_fxfk("validate", "--format", "junit", cwd=repo)
    assert r.code == 1
    ET.fromstring(r.out.encode("utf-8"))


@pytest.mark.parametrize("name", ["ansi-colour", "bidi-override"])
def test_validate_markdown_summary_shows_a_hostile_file_name_as_text(tmp_path, name):
    from fxfk.render.diagnostics import render_markdown_table  # the GitHub job summary, written by the CLI under Actions

    assert render_markdown_table  # imported: the CLI path is exercised below
    repo = hostile_file_name(tmp_path, "<img src=x>" + BY_NAME[name].text)
    summary = tmp_path / "summary.md"
    r = run_fxfk("validate", "--format", "github", cwd=repo,
                 env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert r.code == 1
    text = summary.read_text(encoding="utf-8")
    assert "<img" not in render_md(text)
    assert not re.search("[\x1b\u202e]", text)


@pytest.mark.parametrize("command", [("classify",), ("classify", "-f", "json"), ("laws",), ("laws", "-f", "json"),
                                     ("deadlines", "--today", "2019-12-31"), ("validate", "-f", "json")])
def test_text_and_json_outputs_show_control_characters_in_a_file_name(tmp_path, command):
    repo = with_tasks(hostile_file_name(tmp_path, "\x1b[2J\u202e\x9b"))
    r = run_fxfk(*command, cwd=repo)
    assert r.code in (0, 1), r.err
    assert not re.search("[\x1b\x9b\u202e]", r.out + r.err), repr(r.out + r.err)


@pytest.mark.parametrize("name", ["md-image", "md-heading-newline", "html-script", "md-pipe"])
def test_guidance_markdown_shows_a_hostile_title_as_text(tmp_path, name):
    def guidance(value: str, where: Path) -> str:
        repo = with_tasks(repo_with(where, "title", value))
        r = run_fxfk("deadlines", "--guidance", "--today", "2020-06-01", "-f", "markdown", cwd=repo)
        assert r.code in (0, 1), r.err
        return r.out

    out = guidance(BY_NAME[name].text, tmp_path / "a")
    assert_no_markup_from_data(out, guidance("普通标题", tmp_path / "b"))
    assert "| 普通标题 |" not in out


# --- writers fed directly (control characters are refused by validate, so no CLI path carries them) ----


@pytest.mark.parametrize("h", [h for h in HOSTILE if h.attacks & {"control", "terminal", "formula"}], ids=lambda h: h.name)
def test_xlsx_and_docx_writers_accept_any_text(h, tmp_path):
    from docx import Document
    from openpyxl import Workbook, load_workbook

    from fxfk.render.docx import _cell_text, paragraph
    from fxfk.render.tabular import _append

    wb = Workbook()
    _append(wb.active, [1, h.text, -2])
    wb.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    row = [c.value for c in load_workbook(tmp_path / "a.xlsx").active[1]]
    assert row[0] == 1 and row[2] == -2 and isinstance(row[1], str)

    doc = Document()
    paragraph(doc, h.text, "宋体", 12)
    _cell_text(doc.add_table(rows=1, cols=1).cell(0, 0), h.text)
    doc.save(tmp_path / "a.docx")


def test_chart_svg_is_well_formed_with_any_text():
    from xml.etree import ElementTree as ET

    from fxfk.report.charts import stacked_bars

    rows = [(h.text, [1, 2]) for h in HOSTILE]
    chart = stacked_bars("x", "标题\x01", "摘要\x1b", rows, [("甲", "#000"), ("乙", "#fff")], "个")
    ET.fromstring(chart.svg)
