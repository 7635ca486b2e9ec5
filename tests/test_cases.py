"""Every bad input has a folder under tests/cases/<case>/:

    files/      overlaid on a copy of tests/corpus/base (a valid repository)
    expected.txt  the exact diagnostics, one per line: ``file:line:col severity code message``
    exit        optional: the expected exit code (default 1)

Adding a case is adding a folder. ``FXFK_REGEN=1 pytest tests/test_cases.py`` rewrites the
expected files — review the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk

CASES = Path(__file__).parent / "cases"
# The day the cases are judged on, instead of today: the corpus is the 2019 work year (a 2019 task table,
# every batch published by 2019-12-20), so on its last day every batch is public — as on any later day
# the expected files were first written on — while 2020's activity and a law in force from 2030 stay
# in the future.
DATE = "2019-12-31"


def _lines(run_json: dict) -> list[str]:
    return [
        f"{d['file']}:{d['line']}:{d['column']} {d['severity']} {d['code']} {d['message']}"
        for d in run_json["diagnostics"]
    ]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(case: str, tmp_path: Path) -> None:
    folder = CASES / case
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo)
    shutil.copytree(folder / "files", repo, dirs_exist_ok=True)

    run = run_fxfk("validate", "--format", "json", "--date", DATE, "--root", str(repo))

    assert "Traceback" not in run.err, run.err
    lines = _lines(run.json())
    expected_file = folder / "expected.txt"
    if os.environ.get("FXFK_REGEN"):
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert lines == [line for line in expected if line]
    exit_file = folder / "exit"
    expected_exit = int(exit_file.read_text()) if exit_file.exists() else 1
    assert run.code == expected_exit, run.out + run.err
