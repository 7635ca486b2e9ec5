"""fxfk diff on real git repositories built in a temporary folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CASES_DIR, CORPUS, run_fxfk

GITDIFF = CORPUS / "gitdiff"
# Fixed identities and dates: the same commits (and ids) on every run.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2019-10-01T08:00:00+0800", "GIT_COMMITTER_DATE": "2019-10-01T08:00:00+0800",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def put(repo: Path, side: str) -> None:
    """Make the work tree hold tests/corpus/gitdiff/<side> (and nothing else of the data)."""
    for name in ("data", "fxfk.yaml"):
        target = repo / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    shutil.copytree(GITDIFF / side, repo, dirs_exist_ok=True)


def base_and_head(repo: Path) -> Path:
    """A new git repository at ``repo``: the corpus's base data on main, its head on a checked-out
    branch ``feature`` one commit ahead (shared by the width and GBK tests of ``fxfk diff``)."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "测试")
    git(repo, "config", "user.email", "test@example.com")
    put(repo, "base")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    put(repo, "head")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: the base data; feature (checked out): the head data, one commit ahead."""
    return base_and_head(tmp_path / "repo")


def diff_json(repo: Path, *args: str) -> tuple[int, dict]:
    run = run_fxfk("diff", *args, "--format", "json", "--date", "2019-12-01", cwd=repo)
    assert run.err == ""
    return run.code, run.json()


def test_json_is_exact(repo: Path):
    code, report = diff_json(repo, "main", "HEAD", "--fail-on", "level-down", "--fail-on", "unpublish")
    assert code == 1
    expected = json.loads((GITDIFF / "expected.json").read_text(encoding="utf-8"))
    expected["base"]["commit"] = git(repo, "rev-parse", "main")
    expected["head"]["commit"] = git(repo, "rev-parse", "HEAD")
    assert report == expected


def test_default_base_is_merge_base_and_head_is_the_work_tree(repo: Path):
    # main moves on after feature branched: the merge base, not main's tip, is the base.
    git(repo, "checkout", "-q", "main")
    (repo / "data/risks/gamma.yaml").write_text(
        "office:\n  id: gamma\n  name: 丙处\n  kind: division\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "gamma on main")
    git(repo, "checkout", "-q", "feature")
    # An uncommitted change counts: the head side is the work tree.
    path = repo / "data/risks/beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: 中", "level: 中\n    status: consulting"), encoding="utf-8")
    code, report = diff_json(repo)
    assert code == 0
    assert report["base"]["label"] == "main 的合并基点"
    assert report["base"]["commit"] == git(repo, "merge-base", "main", "feature")
    assert report["head"] == {"label": "工作区", "commit": None, "valid": True, "errors": 0, "unreadable": [], "first_errors": []}
    assert report["offices"] == {"added": [], "removed": []}  # gamma is on main only: not part of the change
    assert [p["id"] + p["status"] for p in report["added"]] == ["BT-TX-001征求意见"]
    assert report["violations"] == []  # no --fail-on: nothing is enforced


DAY = dt.date(2019, 12, 1)


def test_master_is_the_fallback_default_branch(repo: Path):
    from fxfk.diff.compare import run_diff
    from fxfk.diff.report import Rule

    git(repo, "branch", "-m", "main", "master")
    report = run_diff(repo, None, None, DAY, [Rule.unpublish])
    assert report.base.label == "master 的合并基点"
    assert [v.id for v in report.violations] == ["AL-JZ-001"]


def test_markdown_for_a_pull_request_comment(repo: Path):
    run = run_fxfk("diff", "main", "HEAD", "--format", "markdown", "--date", "2019-12-01",
                   "--fail-on", "level-down", cwd=repo)
    assert run.code == 1
    md = run.out
    assert md.startswith("## 风险点登记册变更：main（")
    sections = [line for line in md.splitlines() if line.startswith("### ")]
    assert sections == [
        "### ❌ 违反审查规则（--fail-on）",
        "### 🔔 将对外公开（截至 2019-12-01）",
        "### 不再公开（截至 2019-12-01）",
        "### 新增风险点（1）",
        "### 删除的风险点（1）",
        "### 废止的风险点（1）",
        "### 修改的风险点（2）",
        "### 公布批次",
        "### 年度工作任务表",
    ]
    assert "- `level-down` AL-YFK-001 的风险等级由“中”降为“低”，但没有填写 level_reason（定级说明）" in md
    assert "unpublish" not in md.split("### 🔔")[0]  # only the rule asked for is enforced
    assert "  - 风险等级：中 → 低（⬇️ 降低）" in md
    assert "按附件1 一（二）「适用简易程序实施行政处罚的违法行为；" in md and "（定级事实：`rare`）" in md
    assert "- `AL-XR-001`\n" in md  # becomes public on 2019-12-01 (batch 2 of 2019-10-15)
    assert "- `alpha` 新增第3批，公布日期 2020-01-10（晚于 2019-12-01，计划中，尚未公开）" in md
    assert "  - 修改任务 `3.1` 法律风险防控：梳理违法风险点、制定防控措施时征求意见情况（8月底）；deadline：8月中旬 → 8月底" in md
    assert "（⚠️ 原为已公布，应改为已废止而不是删除）" in md
    assert "\n\n\n" not in md


def test_publicity_depends_on_the_date(repo: Path):
    from fxfk.diff.compare import run_diff

    # Batch 2 is dated 2019-10-15: the day before, AL-XR-001 is published but not public yet.
    report = run_diff(repo, "main", "HEAD", dt.date(2019, 10, 14), [])
    assert report.becomes_public == []
    assert [b.scheduled for b in report.batches] == [True, True]
    report = run_diff(repo, "main", "HEAD", dt.date(2019, 10, 15), [])
    assert report.becomes_public == ["AL-XR-001"]
    assert [b.scheduled for b in report.batches] == [False, True]


def test_level_down_with_a_reason_and_retiring_pass(repo: Path):
    alpha = repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "    level: 低\n    measures:\n      - kind: advise",
        "    level: 低\n    level_reason: 近三年仅发生1起，属偶发\n    measures:\n      - kind: advise"), encoding="utf-8")
    code, report = diff_json(repo, "main", "--fail-on", "level-down")
    assert code == 0, report["violations"]
    assert report["violations"] == []
    assert report["changed"][1]["level"]["level_reason"] == "近三年仅发生1起，属偶发"


def test_identical_revisions(repo: Path):
    from fxfk.diff.compare import run_diff
    from fxfk.diff.report import Rule
    from fxfk.render.diff import render_text

    text = render_text(run_diff(repo, "HEAD", "HEAD", DAY, [Rule.level_down, Rule.unpublish]))
    assert text.splitlines()[-1] == "数据的内容没有变化。"
    assert "❌" not in text


def test_a_side_that_does_not_load_is_reported_not_compared(repo: Path):
    (repo / "data/risks/beta.yaml").write_text("office:\n  id: beta\nrisks: [\n", encoding="utf-8")
    code, report = diff_json(repo, "main")
    assert code == 0
    assert report["head"]["valid"] is False
    assert report["head"]["unreadable"] == ["data/risks/beta.yaml"]
    assert report["head"]["first_errors"][0]["file"] == "data/risks/beta.yaml"
    assert report["skipped_files"] == ["data/risks/beta.yaml"]
    assert "BT-TX-001" not in json.dumps(report)  # neither added nor removed: unknown
    assert report["offices"]["removed"] == []
    # A policy cannot be checked on a file that does not load: that fails the check.
    code, report = diff_json(repo, "main", "--fail-on", "level-down")
    assert code == 1
    assert [v["rule"] for v in report["violations"]] == ["level-down", "unreadable"]
    from fxfk.diff.compare import run_diff
    from fxfk.diff.report import Rule
    from fxfk.render.diff import render_text

    text = render_text(run_diff(repo, "main", None, DAY, [Rule.level_down]))
    assert "⚠️ 对比版本 工作区 未通过校验：1 个错误" in text
    assert "data/risks/beta.yaml:4:1" in text


def test_a_validation_error_is_reported_but_the_side_is_compared(repo: Path):
    alpha = repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("    batch: 2\n", "    batch: 9\n"), encoding="utf-8")
    code, report = diff_json(repo, "main")
    assert report["head"]["valid"] is False and report["head"]["unreadable"] == []
    assert report["head"]["first_errors"][0]["code"] == "unknown-batch"
    assert any(c["id"] == "AL-XR-001" for c in report["changed"])


def test_data_root_below_the_top_folder(tmp_path: Path):
    top = tmp_path / "top"
    (top / "registers").mkdir(parents=True)
    git(top, "init", "-q", "-b", "main")
    shutil.copytree(GITDIFF / "base", top / "registers", dirs_exist_ok=True)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    shutil.rmtree(top / "registers" / "data")
    shutil.copytree(GITDIFF / "head" / "data", top / "registers" / "data")
    from fxfk.diff.compare import run_diff

    report = run_diff(top / "registers", "HEAD", None, DAY, [])
    assert [p.id for p, _ in report.removed] == ["AL-JZ-001"]
    assert [p.id for p in report.added] == ["BT-TX-001"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("no-such-branch",), "git 仓库中找不到版本“no-such-branch”"),
        (("main", "deadbeef"), "git 仓库中找不到版本“deadbeef”"),
        (("--date", "2019-13-01"), "“2019-13-01”不是有效日期"),
        (("--fail-on", "everything"), "everything"),
    ],
)
def test_usage_errors(repo: Path, args, message):
    run = run_fxfk("diff", *args, cwd=repo)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err


def test_not_a_git_repository(tmp_path: Path):
    shutil.copytree(GITDIFF / "base", tmp_path / "plain")
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    run = run_fxfk("diff", cwd=tmp_path / "plain", env=env)
    assert run.code == 2
    assert "不在 git 仓库中" in run.err


def test_no_default_branch(tmp_path: Path):
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "trunk")
    shutil.copytree(GITDIFF / "base", repo, dirs_exist_ok=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    from fxfk.diff.compare import run_diff
    from fxfk.errors import FxfkError

    with pytest.raises(FxfkError, match="找不到默认分支（origin/HEAD、main、master 都不存在）"):
        run_diff(repo, None, None, DAY, [])


def test_a_point_is_retired_by_its_status_not_by_a_label(repo: Path):
    """Retired is Status.retired on the head side (the comparison never reads the Chinese labels)."""
    from fxfk.diff.compare import run_diff
    from fxfk.diff.report import Change, Rule

    report = run_diff(repo, "main", "HEAD", DAY, [Rule.level_down])
    assert report.retired and all(c.status.new.value == "retired" and c.retired for c in report.retired)
    assert not any(c.retired for c in report.changed)
    assert {b.change for b in report.batches} <= set(Change)
    assert [v.rule for v in report.violations] == [Rule.level_down]


# --- the one loader: a side's files from memory load as files from disk -------------------------


def _case_roots() -> list[str]:
    return ["base", "gitdiff-head"] + sorted(p.name for p in CASES_DIR.iterdir() if (p / "files").is_dir())


@pytest.mark.parametrize("case", _case_roots())
def test_files_from_memory_load_as_files_from_disk(case: str, tmp_path: Path):
    """load_files (fxfk diff) and load_repository (fxfk validate) find the same in the same files."""
    from fxfk.load.files import find_data_files
    from fxfk.load.memory import load_files
    from fxfk.options import Options
    from fxfk.rules.register import check_register
    from fxfk.rules.repository import run_checks
    from fxfk.rules.validation import load

    root = tmp_path / "repo"
    if case == "gitdiff-head":
        shutil.copytree(GITDIFF / "head", root)
    else:
        shutil.copytree(CORPUS / "base", root, ignore=shutil.ignore_patterns(".fxfk-cache"))
        if case != "base":
            shutil.copytree(CASES_DIR / case / "files", root, dirs_exist_ok=True)
    found = find_data_files(root)
    paths = [p for p in (found.settings, *found.registers, *found.tasks, found.laws) if p is not None]
    options = Options(cache=False, date=dt.date(2019, 12, 31))
    from_disk = load(root, options)
    from_memory = load_files({p.relative_to(root).as_posix(): p.read_bytes() for p in paths}, options,
                             check_register=check_register)

    def findings(repo) -> list[dict]:
        folder = {d.as_dict()["file"] + d.code for d in found.diagnostics}  # about names, not contents
        out = [d for d in repo.diagnostics + run_checks(repo) if d.file + d.code not in folder]
        return sorted((d.as_dict() for d in out), key=lambda d: (d["file"], d["line"], d["column"], d["code"]))

    assert [f.rel for f in from_memory.files] == [f.rel for f in from_disk.files]
    assert [f.model for f in from_memory.files] == [f.model for f in from_disk.files]
    assert from_memory.today == dt.date(2019, 12, 31) and all(f.checked for f in from_memory.valid_registers())
    assert findings(from_memory) == findings(from_disk)


def test_files_from_memory_refused_files_and_two_catalogues():
    from fxfk.load.memory import load_files
    from fxfk.load.yamlload import LoadedYaml, too_large

    """A file refused before reading stays unread; of two catalogues laws.yaml is read, as from disk."""
    repo = load_files({
        "data/risks/big.yaml": too_large("data/risks/big.yaml", 10**9, 10**6),
        "data/laws.yml": b"laws: []\n",
        "data/laws.yaml": b"laws: []\n",
    })
    assert [f.rel for f in repo.files] == ["data/risks/big.yaml", "data/laws.yaml"]
    assert isinstance(repo.registers[0].loaded, LoadedYaml) and repo.registers[0].model is None
    assert [(d.file, d.code) for d in repo.diagnostics if d.code == "stray-file"] == [("data/laws.yml", "stray-file")]
    with pytest.raises(ValueError):
        load_files({"data/other.yaml": b""})


def test_a_sides_error_count_includes_the_omitted_ones():
    """A file with thousands of model errors: the loader locates the first MAX_PER_FILE, counts the rest."""
    from fxfk.diagnostics import MAX_PER_FILE
    from fxfk.diff.side import build_side

    text = "office:\n  id: zz\n  name: 错\n  kind: division\nrisks:\n" + "  - {}\n" * 400
    side = build_side("x", None, {"data/risks/zz.yaml": text.encode("utf-8")}, dt.date(2019, 12, 1))
    assert len(side.diagnostics) == MAX_PER_FILE + 1
    assert side.error_count == 400 * 6
    assert side.unreadable == ["data/risks/zz.yaml"]
