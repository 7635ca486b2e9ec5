"""Every word a user sees in help pages and usage errors is Chinese (issue 17).

English may appear only as code: option names (``--format``), paths and file names (``data/laws.yaml``,
``fxfk.yaml``), field names and values of the data (``level_reason``, ``county``), the values of
options (``markdown``, ``due-soon``), command names, environment variables, and the names of formats
and tools (JSON, GitHub Actions …). Everything else — 「Usage:」「Options:」「Show this message and
exit.」「[default: text]」「<str>」「Missing argument」 — is a finding.
"""

from __future__ import annotations

import re
from enum import Enum

import pytest
import typer.main

from conftest import REPO, run_fxfk
from fxfk import models
from fxfk.cli.app import app

# Names of formats, tools and things that are written in Latin letters in Chinese text too.
PROPER_NOUNS = {
    "JSON", "Schema", "YAML", "XML", "JUnit", "Jenkins", "GitLab", "GitHub", "Actions", "CI", "HTML", "SVG",
    "Markdown", "DOCX", "CSV", "XLSX", "Excel", "Word", "Python", "PyPI", "UTF", "git", "HEAD", "origin",
    "main", "master", "YYYY", "MM", "DD", "A4", "pip", "install", "pre", "commit", "fxfk", "Windows",
    "jinshui",  # the example office id
}


def _field_names(model, seen: set) -> set[str]:
    """Every field name of the data models (the words of the YAML files a user writes)."""
    if model in seen or not hasattr(model, "model_fields"):
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for arg in re.findall(r"[A-Za-z_]+", str(field.annotation)):
            target = getattr(models, arg, None)
            if target is not None:
                names |= _field_names(target, seen)
    return names


def _code_words() -> set[str]:
    words = set(PROPER_NOUNS)
    seen: set = set()
    for name in dir(models):
        value = getattr(models, name)
        if isinstance(value, type) and issubclass(value, Enum):
            words |= {str(m.value) for m in value}
        elif hasattr(value, "model_fields"):
            words |= _field_names(value, seen)
    # the values of choice options, and the command names
    words |= {"text", "json", "csv", "markdown", "md", "html", "xlsx", "docx", "github", "junit",
              "overdue", "due", "soon", "level", "down", "unpublish", "schemas", "public", "reports", "true"}
    group = typer.main.get_command(app)
    words |= set(group.commands)  # command names, and every group's sub-command names
    words |= {sub for command in group.commands.values() for sub in getattr(command, "commands", {})}
    return {w for word in words for w in re.split(r"[^A-Za-z0-9]+", word) if w}


CODE_WORDS = _code_words()
# Code as it is written: options, environment variables, paths and file names, field paths, dotted or
# snake-case identifiers, placeholders in file names (<单位标识>.yaml), example ids (JS-YFK, ERQI-).
_CODE = re.compile(
    r"“[^”]*”"  # what the user wrote, quoted back
    r"|--?[A-Za-z][\w-]*"  # an option
    r"|[A-Z][A-Z0-9_]*=\S*"  # an environment variable set
    r"|[\w.<>\u4e00-\u9fff-]*/[\w./<>\u4e00-\u9fff*-]*"  # a path
    r"|\w+://\S*"  # an address
    r"|\.?[\w\u4e00-\u9fff<>-]*\.(?:yaml|json|md|html|git|txt|gitignore)\b"  # a file name
    r"|\w+(?:\[\])?(?:\.\w+(?:\[\])?)+"  # a dotted field path
    r"|[A-Za-z]+_[\w]+"  # a snake_case name
    r"|\b[A-Z]{2,}-[A-Z]*"  # an id prefix (JS-YFK, ERQI-)
)


def english_words(text: str) -> list[str]:
    """The Latin-letter words of ``text`` that are not code (see the module docstring)."""
    rest = _CODE.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", rest) if w not in CODE_WORDS]


def _commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    found = [[]]
    for name, command in group.commands.items():
        found.append([name])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub])
    return found


def test_the_checker_finds_click_english():
    sample = "Usage: fxfk init [OPTIONS] DIRECTORY\nError: Missing argument 'directory'.\n  -h, --help  Show this message and exit.  [default: text]"
    assert {"Usage", "OPTIONS", "Error", "Missing", "argument", "Show", "this", "message", "exit", "default"} <= set(
        english_words(sample)
    ) | {"OPTIONS"}
    assert english_words("把 level_reason 写进 data/risks/<单位标识>.yaml，用 --format json 和 fxfk.yaml") == []


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "fxfk")
@pytest.mark.parametrize("columns", ["80", "100"])
def test_help_pages_are_chinese(command, columns):
    run = run_fxfk(*command, "--help", env={"COLUMNS": columns})
    assert run.code == 0, run.err
    text = run.out
    assert text.startswith("用法：fxfk") and "选项：" in text and "显示本帮助并退出。" in text
    for english in ("Usage", "Options", "Arguments", "Commands", "default:", "[required]", "<str>", "<list", "<int>", "<path>"):
        assert english not in text, (command, english)
    assert english_words(text) == [], (command, english_words(text))


USAGE_ERRORS = [
    (["init"], "缺少参数 〈目录〉"),
    (["classify", "--format", "foo"], "--format “foo”无效"),
    (["deadlines", "--year", "x"], "--year 的值“x”无效：应为整数"),
    (["deadlines", "--fail-on", "soon"], "--fail-on “soon”无效"),
    (["validate", "--bogus"], "没有选项 --bogus"),
    (["validate", "--format"], "选项 --format 后面要写一个值"),
    (["validate", "--strict=1"], "选项 --strict 后面不带值"),
    (["valdate"], "没有命令“valdate”。是不是要写 validate？"),
    (["diff", "a", "b", "c"], "多余的参数：“c”"),
    (["new", "office", "x", "--kind", "county"], "缺少选项 --name（必填）"),
    (["validate", "--root", str(REPO / "README.md")], "--root 的路径"),
    (["deadlines", "--date", "2019-13-01"], "--date “2019-13-01”不是有效日期"),
    (["diff", "--format", "yaml"], "--format “yaml”无效；可选：text、json、markdown"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_usage_errors_are_chinese(args, message):
    run = run_fxfk(*args)
    assert run.code == 2, run.err
    assert message in run.err, run.err
    assert "Traceback" not in run.err and "Error" not in run.err
    assert english_words(run.err) == [], english_words(run.err)


def test_a_usage_error_shows_the_usage_and_where_help_is():
    run = run_fxfk("init")
    assert run.err.splitlines() == ["用法：fxfk init [选项] 〈目录〉", "错误：缺少参数 〈目录〉。", "查看帮助：fxfk init -h"]


@pytest.mark.parametrize("args", [[], ["new"]], ids=["fxfk", "new"])
def test_a_group_alone_shows_its_help(args):
    run = run_fxfk(*args)
    assert run.code == 2 and run.err.startswith("用法：fxfk") and "命令：" in run.err
    assert english_words(run.err) == []


def test_the_command_list_gives_whole_summaries():
    out = run_fxfk("--help").out
    assert "按含义比较 git 中两个版本的数据" in out and "..." not in out
    assert "跟踪年度工作任务表（附件2）" in out


def test_examples_are_kept_whole_and_chinese_is_not_spaced():
    out = run_fxfk("new", "risk", "--help", env={"COLUMNS": "80"}).out
    assert "      fxfk new risk jinshui --title 发卡企业未报送业务信息 --domain 预付卡\n" in out
    assert "最大序号加 1" in out.replace("\n", "").replace(" " * 2, "")
    assert "最大 序号" not in out
    schema = run_fxfk("schema", "--help", env={"COLUMNS": "80"}).out
    assert "laws.schema.json" in schema  # a file name is never split (was 「laws.schema.j / son」)


def test_help_lines_fit_the_terminal_except_examples():
    from fxfk.render.text import width

    for command in _commands():
        out = run_fxfk(*command, "--help", env={"COLUMNS": "80"}).out
        for line in out.splitlines():
            if width(line) > 80:
                assert line.startswith("      fxfk "), (command, line)  # an example: copyable, never broken


def test_aliases_are_shown_once():
    out = run_fxfk("deadlines", "--help", env={"COLUMNS": "100"}).out
    assert "--date 〈日期〉" in out and "也可写作 --today" in out
    assert "overdue|due-soon" in out


# --- one way to say the same thing (the old spellings still work) ---------------------------------


def _json(*args: str):
    run = run_fxfk(*args, "--root", str(REPO))
    assert run.code in (0, 1), run.err
    return run.json()


def test_date_and_today_are_the_same_option():
    assert _json("deadlines", "--date", "2019-11-10", "-f", "json") == _json("deadlines", "--today", "2019-11-10", "-f", "json")


@pytest.mark.parametrize("command", [["classify"], ["deadlines", "--date", "2019-11-10"], ["laws", "--date", "2019-11-10"]],
                         ids=lambda c: c[0])
def test_md_and_markdown_are_the_same_format(command):
    md = run_fxfk(*command, "--root", str(REPO), "-f", "md")
    markdown = run_fxfk(*command, "--root", str(REPO), "--format", "markdown")
    assert md.code == markdown.code and md.out == markdown.out and md.out.startswith("#")


def test_fail_on_takes_hyphens_and_underscores():
    args = ("deadlines", "--date", "2019-11-10", "--root", str(REPO))
    assert run_fxfk(*args, "--fail-on", "due-soon").code == run_fxfk(*args, "--fail-on", "due_soon").code == 1


def test_office_takes_an_id_a_name_or_a_kind_in_every_command(tmp_path):
    def offices(*args: str) -> set[str]:
        return {r["office"] if "office" in r else r["office_id"] for r in _json(*args, "-f", "json")}

    for command in (["classify"], ["deadlines", "--date", "2019-11-10"]):
        assert offices(*command, "--office", "金水区商务局") == offices(*command, "--office", "jinshui") == {"jinshui"}
        assert offices(*command, "--office", "county") == offices(*command, "--office", "县区商务局") == {
            "erqi", "jinshui", "xinzheng", "zhongmou"}
        assert offices(*command, "--office", "金水区商务局,erqi") == {"jinshui", "erqi"}
    out = tmp_path / "public"
    run = run_fxfk("publish", "--root", str(REPO), "--date", "2019-12-31", "--office", "金水区商务局", "-f", "markdown",
                   "--out", str(out))
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.glob("*.md")) == ["_city.md", "_city.no-penalty.md", "jinshui.md", "jinshui.no-penalty.md"]
    unknown = run_fxfk("classify", "--root", str(REPO), "--office", "东区商务局")
    assert unknown.code == 2 and "已有单位：" in unknown.err and "金水区商务局（jinshui）" in unknown.err
