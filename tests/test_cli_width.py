"""Text output fits the terminal (issue 17): wrapped by display width (a CJK character takes two
columns), never inside a word, number, path or option; with ``COLUMNS`` set, or the terminal's width
on a terminal; whole lines when redirected without ``COLUMNS`` and with ``--output``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, run_fxfk
from fxfk.render.text import table, width, wrap
from test_diff import base_and_head

DATA_COMMANDS = [
    ("validate", "--date", "2019-11-10"),
    ("classify",),
    ("deadlines", "--date", "2019-11-10"),
    ("deadlines", "--guidance", "--date", "2020-03-01"),
    ("laws", "--date", "2019-11-10"),
]


WORD = r"[A-Za-z0-9_./:-]{4,}"


def unbreakable(line: str, columns: int) -> bool:
    """Whether a line wider than ``columns`` is one piece that cannot be broken: no space in it and no
    two Chinese characters side by side (a path, a word, an option, with its brackets)."""
    text = line.strip()
    return not re.search(r"\s|[\u4e00-\u9fff]{2}", text)


def assert_fits(text: str, columns: int) -> None:
    for line in text.splitlines():
        assert width(line) <= columns or unbreakable(line, columns), line


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory) -> Path:
    """tests/corpus/gitdiff's base on main and head on a branch: every section of fxfk diff."""
    return base_and_head(tmp_path_factory.mktemp("width") / "repo")


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=" ".join)
def test_text_outputs_fit_80_columns(args):
    run = run_fxfk(*args, "--root", str(REPO), env={"COLUMNS": "80"})
    assert run.code in (0, 1), run.err
    assert_fits(run.out, 80)
    wide = run_fxfk(*args, "--root", str(REPO), env={"COLUMNS": "1000"})
    assert max(width(line) for line in wide.out.splitlines()) > 80  # the data has long lines to wrap
    # wrapping only moves words: no word, path or option is cut (tables become blocks: compare the words)
    assert set(re.findall(WORD, wide.out)) <= set(re.findall(WORD, run.out))
    if args[0] != "classify" and "--guidance" not in args and args[0] != "deadlines":  # no tables: the same text
        assert re.sub(r"\s", "", run.out) == re.sub(r"\s", "", wide.out)


def test_diff_fits_80_columns(git_repo):
    run = run_fxfk("diff", "main", "feature", "--date", "2019-12-31", cwd=git_repo, env={"COLUMNS": "80"})
    assert run.code == 0, run.err
    assert_fits(run.out, 80)
    assert len(run.out.splitlines()) > 5


def test_the_deadlines_matrix_becomes_one_block_per_office():
    out = run_fxfk("deadlines", "--date", "2019-11-10", "--root", str(REPO), env={"COLUMNS": "60"}).out
    lines = out.splitlines()
    at = lines.index("金水区商务局")
    assert lines[at + 1].startswith("  1 ✓完成  2.1 ✓完成")
    assert all(width(line) <= 60 for line in lines[at: at + 4])


def test_redirected_output_is_not_wrapped_without_columns(tmp_path):
    args = ("deadlines", "--date", "2019-11-10", "--root", str(REPO))
    piped = run_fxfk(*args, env={"COLUMNS": ""})  # not a terminal, no COLUMNS: whole lines for scripts
    assert max(width(line) for line in piped.out.splitlines()) > 100
    target = tmp_path / "期限.txt"
    written = run_fxfk(*args, "--output", str(target), env={"COLUMNS": "80"})
    assert written.code == 0 and written.out == "" and str(target) in written.err
    assert target.read_text(encoding="utf-8") == piped.out  # UTF-8, whole lines, whatever COLUMNS says


def test_wrap_breaks_between_chinese_characters_and_at_spaces_only():
    line = "  data/risks/jinshui.yaml:117:7: 警告 hotspot-rise 自动预警：2019年办结案件 25 件，是2018年的 2.1 倍（factors.hotspot 为空）"
    lines = wrap(line, 40)
    assert all(width(x) <= 40 for x in lines[1:]) and lines[0] == "  data/risks/jinshui.yaml:117:7: 警告"
    assert all(x.startswith("    ") for x in lines[1:])  # continuation lines indented
    words = re.findall(r"[A-Za-z0-9_./:-]+", line)
    assert [w for x in lines for w in re.findall(r"[A-Za-z0-9_./:-]+", x)] == words  # no word split
    assert "".join(x.strip() for x in lines).replace(" ", "") == line.replace(" ", "")
    assert "2019年" in "".join(lines) and "（factors.hotspot" in "".join(lines)


def test_wrap_keeps_closing_marks_off_the_start_of_a_line():
    for columns in range(10, 40):
        for line in wrap("一二三四五六七八九十，一二三四五六七八九十。（甲乙丙）“丁戊”、己庚", columns):
            assert line.strip()[0] not in "，。）”、", (columns, line)
            assert line.strip()[-1] not in "（“", (columns, line)


def test_wrap_leaves_a_long_path_whole():
    path = "data/risks/" + "a" * 100 + ".yaml"
    assert wrap(f"文件 {path} 无法读取", 40) == ["文件", f"  {path}", "  无法读取"]


def test_a_wide_table_becomes_blocks():
    lines = table(["编号", "违法风险点", "等级"], [["A-1", "很长的违法风险点" * 5, "高"]], columns=40)
    assert lines[0] == "  A-1"
    assert all(width(x) <= 40 for x in lines)
    assert "等级：高" in "\n".join(lines)
    assert table(["编号", "等级"], [["A-1", "高"]], columns=40) == table(["编号", "等级"], [["A-1", "高"]])


def test_help_is_wrapped_to_the_terminal():
    out = run_fxfk("classify", "--help", env={"COLUMNS": "60"}).out
    assert_fits("\n".join(line for line in out.splitlines() if not line.startswith("      fxfk ")), 60)
    assert shutil.which("git")  # the diff fixture needs git
    assert (CORPUS / "gitdiff").is_dir()
