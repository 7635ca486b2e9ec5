"""fxfk validate --format junit: well-formed, deterministic JUnit XML with the right counts."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import CORPUS, run_fxfk


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_clean_repository(base_repo: Path):
    run = run_fxfk("validate", "--format", "junit", cwd=base_repo)
    assert run.code == 0
    root = _parse(run.out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["data/risks/alpha.yaml", "data/risks/beta.yaml", "data/tasks/2019.yaml", "fxfk.yaml"]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "0", "0")
    assert all(s.find("testcase").get("name") == "全部规则" and s.find("testcase/failure") is None for s in suites)
    assert "timestamp" not in run.out and "time=" not in run.out


def test_errors_are_failures_with_locations(base_repo: Path):
    alpha = base_repo / "data/risks/alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    # errors of two rules in one file, and one in another file
    text = text.replace("    level: 中\n", "    level: 高\n", 1).replace("    batch: 1\n", "    batch: 7\n", 1)
    alpha.write_text(text, encoding="utf-8")
    tasks = base_repo / "data/tasks/2019.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("deadline: 8月中旬", "deadline: 八月"), encoding="utf-8")
    run = run_fxfk("validate", "--format", "junit", cwd=base_repo)
    assert run.code == 1
    root = _parse(run.out)
    by_name = {s.get("name"): s for s in root.findall("testsuite")}
    alpha_suite = by_name["data/risks/alpha.yaml"]
    assert [c.get("name") for c in alpha_suite.findall("testcase")] == ["level-mismatch", "unknown-batch"]
    assert (alpha_suite.get("tests"), alpha_suite.get("failures")) == ("2", "2")
    failure = alpha_suite.find("testcase[@name='unknown-batch']/failure")
    assert failure.get("type") == "unknown-batch"
    assert failure.get("message").startswith("data/risks/alpha.yaml:")
    line = int(failure.get("message").split(":")[1])
    assert alpha.read_text(encoding="utf-8").splitlines()[line - 1].strip() == "batch: 7"
    tasks_case = by_name["data/tasks/2019.yaml"].find("testcase")
    assert tasks_case.get("name") == "bad-deadline"
    assert tasks_case.find("failure").get("message").startswith("data/tasks/2019.yaml:18:15: 无法识别的完成时限“八月”")
    assert (root.get("tests"), root.get("failures")) == ("5", "3")
    again = run_fxfk("validate", "--format", "junit", cwd=base_repo)
    assert again.out == run.out  # deterministic


def test_warnings_pass_unless_strict(tmp_path: Path):
    # A copy: validate writes its cache next to the data, and the corpus must stay as committed.
    root_dir = tmp_path / "classify"
    shutil.copytree(CORPUS / "classify", root_dir, ignore=shutil.ignore_patterns(".fxfk-cache"))
    plain = _parse(run_fxfk("validate", "--format", "junit", "--root", str(root_dir)).out)
    strict_run = run_fxfk("validate", "--format", "junit", "--strict", "--root", str(root_dir))
    strict = _parse(strict_run.out)
    warnings_only = [c for c in plain.iter("testcase") if c.find("system-out") is not None and c.find("failure") is None]
    assert warnings_only, "the corpus should carry warnings"
    assert int(strict.get("failures")) == int(plain.get("failures")) + len(warnings_only)
    assert strict_run.code == 1
