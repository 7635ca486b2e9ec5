"""`fxfk validate` as a user runs it, in a real folder (in this process: see conftest.run_fxfk)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, run_fxfk


def test_valid_repository_passes(base_repo):
    run = run_fxfk("validate", cwd=base_repo)
    assert run.code == 0, run.out + run.err
    assert run.out == "检查了 4 个文件：0 个错误，0 个警告\n"


def test_root_is_found_from_a_subfolder(base_repo):
    run = run_fxfk("validate", cwd=base_repo / "data" / "risks")
    assert run.code == 0
    assert "检查了 4 个文件" in run.out


def test_json_has_exactly_the_documented_shape(base_repo):
    (base_repo / "data/risks/alpha.yaml").write_text(
        (base_repo / "data/risks/alpha.yaml").read_text(encoding="utf-8").replace("level: 中", "level: 高"),
        encoding="utf-8",
    )
    run = run_fxfk("validate", "--format", "json", "--root", str(base_repo))
    assert run.code == 1
    doc = run.json()
    assert list(doc) == ["ok", "files", "errors", "warnings", "diagnostics"]
    assert (doc["ok"], doc["files"], doc["errors"], doc["warnings"]) == (False, 4, 1, 0)
    assert doc["diagnostics"] == [
        {
            "file": "data/risks/alpha.yaml",
            "line": 23,
            "column": 12,
            "code": "level-mismatch",
            "severity": "error",
            "path": "risks[0].level",
            "message": doc["diagnostics"][0]["message"],
        }
    ]
    assert "附件1 一（三）" in doc["diagnostics"][0]["message"]


def test_text_groups_by_file_location_first(base_repo):
    alpha = base_repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("comments: 12", "comments: 1"), encoding="utf-8")
    beta = base_repo / "data/risks/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("kind: division", "kind: 处室"), encoding="utf-8")
    run = run_fxfk("validate", cwd=base_repo, env={"COLUMNS": "300"})  # whole lines: no wrapping
    assert run.code == 1
    assert run.out.splitlines() == [
        "data/risks/alpha.yaml",
        "  data/risks/alpha.yaml:34:16: 错误 adopted-exceeds-comments [risks[0].consultation.adopted] 采纳意见数 3 大于收到意见数 1",
        "",
        "data/risks/beta.yaml",
        "  data/risks/beta.yaml:4:9: 错误 bad-enum [office.kind] “处室”不是有效的单位类型；可用的值：county（县（市、区）商务局）、division（机关处室）、affiliate（局属单位）",
        "",
        "检查了 4 个文件：2 个错误，0 个警告",
    ]
    assert "\033[" not in run.out  # no colour when not on a terminal


def test_one_broken_file_does_not_hide_another(base_repo):
    (base_repo / "data/risks/alpha.yaml").write_bytes("office:\n  id：alpha\n".encode())
    beta = base_repo / "data/risks/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("task: 1", "task: 7"), encoding="utf-8")
    doc = run_fxfk("validate", "-f", "json", cwd=base_repo).json()
    assert [(d["file"], d["code"]) for d in doc["diagnostics"]] == [
        ("data/risks/alpha.yaml", "fullwidth-colon"),
        ("data/risks/beta.yaml", "unknown-task"),
    ]


def test_paths_limit_the_report_to_those_files(base_repo):
    alpha = base_repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("comments: 12", "comments: 1"), encoding="utf-8")
    run = run_fxfk("validate", "data/risks/beta.yaml", cwd=base_repo)
    assert run.code == 0
    assert run.out == "检查了 1 个文件：0 个错误，0 个警告\n"
    run = run_fxfk("validate", "data/risks", cwd=base_repo)
    assert run.code == 1 and "检查了 2 个文件：1 个错误" in run.out


def test_warnings_pass_unless_strict(base_repo):
    beta = base_repo / "data/risks/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("name: 市场体系建设处", "name: on"), encoding="utf-8")
    run = run_fxfk("validate", cwd=base_repo)
    assert run.code == 0
    assert "警告 yaml11-boolean-word" in run.out
    assert run_fxfk("validate", "--strict", cwd=base_repo).code == 1


def test_github_format_annotations_and_step_summary(base_repo, tmp_path):
    alpha = base_repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("comments: 12", "comments: 1"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    run = run_fxfk(
        "validate", cwd=base_repo,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(base_repo.parent)},
    )
    assert run.code == 1
    assert run.out.splitlines()[0] == (
        "::error file=repo/data/risks/alpha.yaml,line=34,col=16,title=adopted-exceeds-comments::采纳意见数 3 大于收到意见数 1"
    )
    table = summary.read_text(encoding="utf-8")
    assert "| `data/risks/alpha.yaml:34:16` | 错误 | `adopted-exceeds-comments` |" in table


def test_github_format_limits_annotations_to_ten_per_severity(base_repo):
    lines = ["office:", "  id: gamma", "  name: 丙", "  kind: county", "activities:"]
    for i in range(12):
        lines += [f"  - date: 2019-09-{i + 1:02d}", "    kind: guidance", "    counterparts: 1", "    corrected: 2"]
    (base_repo / "data/risks/gamma.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_fxfk("validate", "--format", "github", cwd=base_repo)
    assert sum(1 for line in run.out.splitlines() if line.startswith("::error ")) == 10
    assert "另有 2 条问题未作注释" in run.out


def test_no_data_is_exit_2(tmp_path):
    run = run_fxfk("validate", cwd=tmp_path)
    assert run.code == 2
    assert "找不到数据仓库" in run.err and "Traceback" not in run.err
    run = run_fxfk("validate", "--root", str(tmp_path / "nowhere"))
    assert run.code == 2 and "不存在" in run.err
    (tmp_path / "data").mkdir()
    run = run_fxfk("validate", "--root", str(tmp_path))
    assert run.code == 2 and "没有找到数据文件" in run.err


def test_usage_error_is_exit_2(base_repo):
    assert run_fxfk("validate", "--format", "xml", cwd=base_repo).code == 2
    run = run_fxfk("validate", "no/such/file.yaml", cwd=base_repo)
    assert run.code == 2 and "不存在" in run.err


def test_stray_yaml_file_is_an_error(base_repo):
    # A register saved in the wrong folder is never read: CI must fail, not pass silently.
    (base_repo / "data" / "jinshui.yaml").write_text("office: {}\n", encoding="utf-8")
    run = run_fxfk("validate", cwd=base_repo)
    assert run.code == 1
    assert "data/jinshui.yaml:1:1: 错误 stray-file" in run.out


def test_python_dash_m_works(base_repo):
    # A real process: `python -m fxfk` itself is what is tested.
    proc = subprocess.run([sys.executable, "-m", "fxfk", "validate"], cwd=base_repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_internal_error_is_exit_3_with_one_line(monkeypatch, capsys, base_repo):
    import fxfk.rules.validation
    from fxfk.cli.app import main

    def boom(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(fxfk.rules.validation, "validate", boom)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--root", str(base_repo)])
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "内部错误（RuntimeError: kaputt）" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["--debug", "validate", "--root", str(base_repo)])
    assert "Traceback" in capsys.readouterr().err


def test_interrupt_is_exit_130(monkeypatch, capsys, base_repo):
    import fxfk.rules.validation
    from fxfk.cli.app import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fxfk.rules.validation, "validate", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--root", str(base_repo)])
    assert exit_info.value.code == 130


def test_every_command_has_help_with_an_example():
    import typer.main

    from fxfk.cli.app import app

    group = typer.main.get_command(app)
    for name in group.commands:
        run = run_fxfk(name, "--help")
        assert run.code == 0, name
        assert "示例" in run.out, f"fxfk {name} --help has no example"


def test_repository_data_validates_clean():
    run = run_fxfk("validate", "--format", "json", "--no-cache", "--root", str(REPO))
    doc = json.loads(run.out)
    assert doc["errors"] == 0, run.out
    assert run.code == 0
    assert doc["files"] >= 8


def test_date_option_decides_what_is_public(base_repo):
    """A repealed law is an error on a public list, only a warning while the batch is scheduled."""
    (base_repo / "data/laws.yaml").write_text(
        "laws:\n"
        "  - name: 单用途商业预付卡管理办法（试行）\n    number: 商务部令2012年第9号\n    rank: department_rule\n"
        "    effective: 2012-11-01\n    repealed: 2019-09-01\n"
        "  - name: 洗染业管理办法\n    number: 商务部、工商总局、环境保护总局令2007年第5号\n    rank: department_rule\n"
        "    effective: 2007-07-01\n",
        encoding="utf-8",
    )
    before = run_fxfk("validate", "-f", "json", "--date", "2019-09-15", cwd=base_repo).json()
    after = run_fxfk("validate", "-f", "json", "--date", "2019-12-31", cwd=base_repo).json()
    assert {(d["severity"], d["code"]) for d in before["diagnostics"]} == {("warning", "law-repealed")}
    assert {(d["severity"], d["code"]) for d in after["diagnostics"]} == {("error", "law-repealed")}
    assert run_fxfk("validate", "--date", "2019-02-30", cwd=base_repo).code == 2
