"""fxfk new risk / new office: append-only edits that leave every other byte of the file alone."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_fxfk
from fxfk.edit.scaffold import insert_risk, new_office, new_risk, next_risk_id

SKELETON = ["id: X-001", "title: 待填写：违法风险点", "level: 中"]


def only_insertion(old: str, new: str) -> str:
    """The text inserted into ``old`` to give ``new``; fails unless that is the only change."""
    ops = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert len(ops) == 1 and ops[0][0] == "insert", ops
    return new[ops[0][3]:ops[0][4]]


def test_round_trip_on_the_repositorys_own_data(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "fxfk.yaml", root / "fxfk.yaml")
    path = root / "data/risks/jinshui.yaml"
    before = path.read_bytes()
    ids_before = {r["id"] for r in yaml.safe_load(before)["risks"]}
    run = run_fxfk("new", "risk", "jinshui", "--title", "发卡企业未按规定报送业务信息", "--domain", "单用途商业预付卡", cwd=root)
    assert run.code == 0, run.err
    after = path.read_bytes()
    inserted = only_insertion(before.decode("utf-8"), after.decode("utf-8"))
    assert inserted.startswith("  - id: JS-YFK-")
    new_id = inserted.split()[2]
    assert new_id not in ids_before and new_id == f"JS-YFK-{max(int(i[-3:]) for i in ids_before if i.startswith('JS-YFK-')) + 1:03d}"
    assert f"追加风险点 {new_id}（草稿）" in run.out
    line = int(run.out.split("jinshui.yaml:")[1].split(" ")[0])
    assert after.decode("utf-8").splitlines()[line - 1] == f"  - id: {new_id}"
    point = next(r for r in yaml.safe_load(after)["risks"] if r["id"] == new_id)
    assert point["title"] == "发卡企业未按规定报送业务信息" and point["status"] == "draft"
    assert point["basis"][0]["law"].startswith("待填写")
    from fxfk.rules.validation import validate

    check = validate(root)
    assert check.errors == 0
    # The placeholder law is not in data/laws.yaml: a warning that says it is still to be filled in.
    about_new = [d for d in check.diagnostics if d.path.startswith(f"risks[{len(ids_before)}]")]
    assert [(d.code, d.severity) for d in about_new] == [("unknown-law", "warning")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # risks: [] keeps its comment, loses the brackets
        ("office: {id: a}\nrisks: []   # 还没有\nactivities: []\n",
         "office: {id: a}\nrisks:    # 还没有\n  - id: X-001\n    title: 待填写：违法风险点\n    level: 中\nactivities: []\n"),
        # no risks: key: goes before activities
        ("office: {id: a}\n\nactivities: []\n",
         "office: {id: a}\n\nrisks:\n  - id: X-001\n    title: 待填写：违法风险点\n    level: 中\n\nactivities: []\n"),
        # no risks: key, no activities, no final newline
        ("office: {id: a}", "office: {id: a}\nrisks:\n  - id: X-001\n    title: 待填写：违法风险点\n    level: 中\n"),
        # "risks:" with nothing after it
        ("risks:\nactivities: []\n", "risks:\n  - id: X-001\n    title: 待填写：违法风险点\n    level: 中\nactivities: []\n"),
        # risks not last, with a comment and a blank line after the last point: they stay after
        ("risks:\n- id: A-001\n  title: t\n\n# 工作记录\nactivities: []\n",
         "risks:\n- id: A-001\n  title: t\n- id: X-001\n  title: 待填写：违法风险点\n  level: 中\n\n# 工作记录\nactivities: []\n"),
        # the last point ends in a block scalar
        ("risks:\n  - id: A-001\n    harm: |\n      多行\n      文本\nactivities: []\n",
         "risks:\n  - id: A-001\n    harm: |\n      多行\n      文本\n  - id: X-001\n    title: 待填写：违法风险点\n    level: 中\nactivities: []\n"),
        # Windows line endings stay Windows line endings
        ("risks:\r\n  - id: A-001\r\n", "risks:\r\n  - id: A-001\r\n  - id: X-001\r\n    title: 待填写：违法风险点\r\n    level: 中\r\n"),
    ],
)
def test_insertion_places(text: str, expected: str):
    new, line = insert_risk(text, SKELETON, "t.yaml")
    assert new == expected
    only_insertion(text.replace("[]", "", 1) if "risks: []" in text else text, new)
    assert new.splitlines()[line - 1].strip() == "- id: X-001"


def test_flow_list_of_points_is_refused():
    from fxfk.errors import FxfkError

    with pytest.raises(FxfkError, match="方括号列表"):
        insert_risk("risks: [{id: A-001}]\n", SKELETON, "t.yaml")


@pytest.mark.parametrize(
    "own, domains, others, domain, prefix, expected",
    [
        (["JS-YFK-001", "JS-XR-002"], ["预付卡", "洗染"], set(), None, None, "JS-XR-003"),  # last point's prefix
        (["JS-YFK-001", "JS-XR-002"], ["预付卡", "洗染"], set(), "预付卡", None, "JS-YFK-002"),  # same domain
        (["JS-YFK-001"], ["预付卡"], {"JS-YFK-007"}, None, None, "JS-YFK-008"),  # unique across registers
        (["A-0009"], ["x"], set(), None, None, "A-0010"),  # the office's width
        ([], [], set(), None, None, "WJ-HZ-001"),  # no points yet: the office id
        (["JS-YFK-001"], ["预付卡"], set(), None, "JS-JZ", "JS-JZ-001"),  # --prefix
    ],
)
def test_next_id_rule(own, domains, others, domain, prefix, expected):
    assert next_risk_id("wj-hz", own, domains, set(own) | others, domain, prefix) == expected


def test_new_office_then_points(base_repo: Path):
    run = run_fxfk("new", "office", "gamma", "--name", "丙区商务局", "--kind", "县（市、区）商务局", cwd=base_repo)
    assert run.code == 0, run.err
    path = base_repo / "data/risks/gamma.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["office"] == {"id": "gamma", "name": "丙区商务局", "kind": "county"}
    run = run_fxfk("new", "risk", "gamma", cwd=base_repo)
    assert "追加风险点 GAMMA-001" in run.out
    from fxfk.edit.scaffold import new_risk
    from fxfk.rules.validation import validate

    assert new_risk(base_repo, "gamma").id == "GAMMA-002"
    result = validate(base_repo)
    assert (result.errors, result.warnings) == (0, 0)


def test_bom_is_kept(base_repo: Path):
    path = base_repo / "data/risks/beta.yaml"
    before = b"\xef\xbb\xbf" + path.read_bytes()
    path.write_bytes(before)
    assert run_fxfk("new", "risk", "beta", cwd=base_repo).code == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    only_insertion(before.decode("utf-8").replace("risks: []", "risks:"), after.decode("utf-8"))


@pytest.mark.parametrize(
    "args, message",
    [
        (("new", "risk", "nobody"), "没有单位“nobody”的登记册"),
        (("new", "office", "alpha", "--name", "甲", "--kind", "county"), "已存在"),
    ],
)
def test_errors_change_nothing(base_repo: Path, args, message):
    before = {p: p.read_bytes() for p in (base_repo / "data").rglob("*") if p.is_file()}
    run = run_fxfk(*args, cwd=base_repo)
    assert run.code == 2 and message in run.err, run.err
    assert {p: p.read_bytes() for p in (base_repo / "data").rglob("*") if p.is_file()} == before


def _suggested_command(err: str) -> list[str]:
    """The `fxfk new …` command an error message suggests, as words."""
    import re

    found = re.search(r"(fxfk new (?:office|risk) [^（；。\n]+)", err)
    assert found, err
    return found[1].split()


def test_suggested_commands_work(base_repo: Path):
    """A suggestion is a command that succeeds once its placeholders are filled in: never
    `fxfk new office 惠济区商务局` (not an id), never `id: 惠济区商务局`."""
    run = run_fxfk("new", "risk", "惠济区商务局", cwd=base_repo)
    assert run.code == 2
    words = _suggested_command(run.err)
    assert words[:3] == ["fxfk", "new", "office"] and words[3] == "单位标识" and "惠济区商务局" in words
    assert "小写字母" in run.err and "拼音" in run.err
    words[3] = "huiji"  # the pinyin id the message asks for
    assert run_fxfk(*words[1:], cwd=base_repo).code == 0
    # a valid id is suggested as it is
    run = run_fxfk("new", "risk", "jinshui", cwd=base_repo)
    assert _suggested_command(run.err)[:4] == ["fxfk", "new", "office", "jinshui"]
    # the office's name where its id belongs: the register is found by its name
    run = run_fxfk("new", "risk", "甲区商务局", cwd=base_repo)
    assert run.code == 2 and _suggested_command(run.err) == ["fxfk", "new", "risk", "alpha"]
    assert run_fxfk("new", "risk", "alpha", cwd=base_repo).code == 0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda root: new_office(root, "Bad_Id", "甲", "county"), "单位标识“Bad_Id”无效"),
        (lambda root: new_office(root, "delta", "丁", "区县"), "“区县”不是有效的单位类型"),
        (lambda root: new_office(root, "delta", " ", "county"), "--name（单位名称）不能为空"),
        (lambda root: new_risk(root, "alpha", prefix="js-x"), "编号前缀“js-x-”无效"),
        (lambda root: new_risk(root, "alpha", title=""), "--title 不能为空"),
    ],
)
def test_bad_options_change_nothing(base_repo: Path, call, message):
    from fxfk.errors import FxfkError

    before = {p: p.read_bytes() for p in (base_repo / "data").rglob("*") if p.is_file()}
    with pytest.raises(FxfkError, match=message.replace("（", ".").replace("）", ".")):
        call(base_repo)
    assert {p: p.read_bytes() for p in (base_repo / "data").rglob("*") if p.is_file()} == before


def test_a_broken_register_is_not_touched(base_repo: Path):
    path = base_repo / "data/risks/alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: 中", "level: 超高"), encoding="utf-8")
    before = path.read_bytes()
    run = run_fxfk("new", "risk", "alpha", cwd=base_repo)
    assert run.code == 2 and "登记册未通过校验" in run.err
    assert path.read_bytes() == before


def test_new_risk_loads_with_the_commands_options(base_repo: Path, tmp_path: Path):
    """fxfk new risk loads as every command does: the FXFK_* variables and the cache apply."""
    assert run_fxfk("new", "risk", "beta", cwd=base_repo).code == 0  # FXFK_NO_CACHE=1 (the suite's default)
    assert not (base_repo / ".fxfk-cache").exists()
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "FXFK_NO_CACHE": "0"}
    run = run_fxfk("new", "risk", "beta", cwd=base_repo, env=env)
    assert run.code == 0, run.err
    assert any((base_repo / ".fxfk-cache").rglob("*.s"))  # each register's checked facts, cached
    assert "追加风险点" in run_fxfk("new", "risk", "beta", cwd=base_repo, env=env).out  # and read back
