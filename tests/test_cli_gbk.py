"""A Chinese Windows PC: output redirected from a GBK console (code page 936) never crashes (issue 17).

Real processes, because the interpreter's own encoding of standard output is what is tested
(``PYTHONIOENCODING=gbk``, as Python on a Chinese Windows console redirected to a file), and output
goes to a real file. ``run_fxfk_subprocess`` cannot be used: it decodes what it captures as UTF-8,
and these bytes are GBK.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import REPO, fxfk_command, fxfk_environment
from test_diff import base_and_head


def run_gbk(tmp_path: Path, *args: str, cwd: Path = REPO) -> tuple[int, str, str]:
    """``fxfk *args > out.txt`` with a GBK console: the exit code, standard output and error as GBK text."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        code = subprocess.run([*fxfk_command(), *args], cwd=cwd, stdout=stdout, stderr=stderr, timeout=120, check=False,
                              env=fxfk_environment({"PYTHONIOENCODING": "gbk", "COLUMNS": ""})).returncode
    return code, out.read_bytes().decode("gbk"), err.read_bytes().decode("gbk")


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory) -> Path:
    return base_and_head(tmp_path_factory.mktemp("gbk") / "repo")


def test_deadlines_marks_become_look_alikes(tmp_path):
    code, out, err = run_gbk(tmp_path, "deadlines", "--today", "2019-11-10")
    assert code == 0, err
    assert "√完成" in out and "×逾期" in out and "✓" not in out  # ✓ and ✗ are not in GBK
    assert "2019年度工作任务表" in out


@pytest.mark.parametrize("args", [
    ("validate", "--date", "2019-11-10"),
    ("classify",),
    ("deadlines", "--guidance", "--date", "2020-03-01"),
    ("laws", "--date", "2019-11-10"),
    ("classify", "--format", "markdown"),
], ids=" ".join)
def test_every_report_is_written(tmp_path, args):
    code, out, err = run_gbk(tmp_path, *args)
    assert code in (0, 1) and "内部错误" not in err, err
    assert out


def test_diff_markdown_with_warning_signs(tmp_path, git_repo):
    code, out, err = run_gbk(tmp_path, "diff", "main", "feature", "--format", "markdown", "--date", "2019-12-31", cwd=git_repo)
    assert code == 0, err
    assert out.startswith("## 风险点登记册变更")
    assert "⚠" not in out and "\ufe0f" not in out


def test_usage_errors_on_a_gbk_console(tmp_path):
    code, out, err = run_gbk(tmp_path, "deadlines", "--year", "x")
    assert code == 2 and "错误：--year 的值“x”无效：应为整数。" in err


def test_output_file_is_utf8_whatever_the_console(tmp_path):
    target = tmp_path / "期限.txt"
    code, out, err = run_gbk(tmp_path, "deadlines", "--today", "2019-11-10", "--output", str(target))
    assert code == 0 and out == "" and "已写入" in err
    assert "✓完成" in target.read_text(encoding="utf-8")  # the real marks: the file is UTF-8
