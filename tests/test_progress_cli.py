"""`fxfk deadlines` through the real CLI, on tests/corpus/deadlines (every status at 2019-09-10)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus" / "deadlines"
KEYS = ["task", "office", "status", "due", "done", "target", "working_days_left", "due_explanation", "kinds"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CORPUS, target)
    return target


def deadlines(fxfk, *args):
    return fxfk("deadlines", "--root", str(CORPUS), *args)


def test_text(fxfk):
    r = deadlines(fxfk, "--today", "2019-09-10")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "2019年度工作任务表：截至 2019-09-10，即将到期提醒窗口 14 天"
    assert lines[4] == "市场体系建设处  ✓完成  >进行  ✓迟完  !临期  >进行"
    assert lines[-1] == "合计：已完成 5，逾期完成 1，已逾期 1，即将到期 2，进行中 3，无固定时限 1"


def test_json_records(fxfk):
    r = deadlines(fxfk, "--today", "2019-09-10", "--format", "json")
    assert r.code == 0 and r.err == ""  # overdue items, but nobody asked to fail; no calendar caveat
    rows = r.json()
    assert all(list(row) == KEYS for row in rows)
    by = {(row["task"], row["office"]): row for row in rows}
    assert by[("3.1", "gamma")] == {
        "task": "3.1", "office": "gamma", "status": "overdue", "due": "2019-08-20",
        "done": 0, "target": None, "working_days_left": -15,
        "due_explanation": "8 月中旬 → 8月20日（中旬按20日计）", "kinds": None,
    }
    assert by[("2.2", "beta")] == {
        "task": "2.2", "office": "beta", "status": "pending", "due": "2019-11-20",
        "done": 1, "target": 3, "working_days_left": 48,
        "due_explanation": "11 月中旬 → 11月20日（中旬按20日计）", "kinds": None,
    }
    assert by[("1", "alpha")]["status"] == "open" and by[("1", "alpha")]["due"] is None
    assert by[("3.1", "beta")]["status"] == "done_late"
    assert ("5.1", "alpha") not in by  # offices: [机关处室]
    assert {row["status"] for row in rows} == {"done", "done_late", "overdue", "due_soon", "pending", "open"}


@pytest.mark.parametrize(
    "today,fail_on,code",
    [
        ("2019-09-10", "overdue", 1),
        ("2019-08-01", "due_soon", 0),  # 3.1 is due in 19 days
        ("2019-08-10", "due_soon", 1),  # ... now in 10, and nothing is overdue yet:
        ("2019-08-10", "overdue", 0),
    ],
)
def test_fail_on(fxfk, today, fail_on, code):
    args = ["--today", today, "--format", "json"] + (["--fail-on", fail_on] if fail_on else [])
    r = deadlines(fxfk, *args)
    assert r.code == code, r.err
    assert r.json()  # the output is complete whatever the exit code


def test_office_filter_by_id_kind_and_comma(fxfk):
    two = deadlines(fxfk, "--today", "2019-09-10", "-f", "json", "--office", "county,affiliate").json()
    assert {row["office"] for row in two} == {"alpha", "gamma"}
    rep = deadlines(fxfk, "--today", "2019-09-10", "-f", "json", "--office", "alpha", "--office", "beta").json()
    assert {row["office"] for row in rep} == {"alpha", "beta"}


def test_unknown_office_is_a_usage_error(fxfk):
    r = deadlines(fxfk, "--today", "2019-09-10", "--office", "nowhere")
    assert r.code == 2 and r.out == ""
    assert "nowhere" in r.err and "alpha、beta、gamma" in r.err and "Traceback" not in r.err


@pytest.mark.parametrize(
    "args,title",
    [
        (["--today", "2019-02-01"], "2019年度工作任务表"),  # the table of today's year, not the latest
        (["--today", "2023-06-01"], "2020年度工作任务表"),  # none for 2023: the latest
    ],
)
def test_year_choice(fxfk, args, title):
    r = deadlines(fxfk, *args)
    assert r.code == 0, r.err
    assert r.out.startswith(title)


def test_year_without_table(fxfk):
    r = deadlines(fxfk, "--year", "2018", "--today", "2019-09-10")
    assert r.code == 2
    assert "没有 2018 年的任务表" in r.err and "2019、2020" in r.err


@pytest.mark.parametrize("bad", ["2019-13-01"])
def test_bad_today(fxfk, bad):
    r = deadlines(fxfk, "--today", bad)
    # --today is the old spelling of --date: the message names the option by its name
    assert r.code == 2 and "--date" in r.err and "YYYY-MM-DD" in r.err and "Traceback" not in r.err


def test_refuses_invalid_data(fxfk, repo):
    table = repo / "data" / "tasks" / "2019.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("8 月中旬", "八月中", 1), encoding="utf-8")
    r = fxfk("deadlines", "--root", str(repo), "--today", "2019-09-10", "--format", "json")
    assert r.code == 1
    assert r.out == ""
    assert "data/tasks/2019.yaml" in r.err and "bad-deadline" in r.err and "八月中" in r.err


def test_fallback_calendar_is_said(fxfk):
    r = deadlines(fxfk, "--today", "2031-01-06", "--year", "2020", "--format", "json")
    assert r.code == 0
    assert "2031年" in r.err and "周一至周五" in r.err  # JSON stays a list; the caveat goes to stderr


def test_colour_adds_only_escapes(fxfk):
    plain = deadlines(fxfk, "--today", "2019-09-10")
    coloured = fxfk("deadlines", "--root", str(CORPUS), "--today", "2019-09-10", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\033[1;31m✗逾期\033[0m" in coloured.out
    assert re.sub(r"\033\[[0-9;]*m", "", coloured.out) == plain.out


def test_help_has_an_example(fxfk):
    r = fxfk("deadlines", "--help")
    assert r.code == 0 and "示例" in r.out and "fxfk deadlines --fail-on overdue" in r.out


# --- --guidance -----------------------------------------------------------------------------


def test_guidance_json(fxfk):
    r = deadlines(fxfk, "--guidance", "--today", "2019-09-20", "--format", "json")
    assert r.code == 0, r.err
    assert r.json() == [
        # per office, highest level first; AL-A-005 (batch on 2019-12-01) and the draft are not public
        {"risk": "AL-A-001", "office": "alpha", "attention": None, "level": "高", "last_guidance": "2019-05-01", "due": "2019-07-30", "status": "overdue"},
        {"risk": "AL-A-002", "office": "alpha", "attention": None, "level": "高", "last_guidance": "2019-07-01", "due": "2019-09-29", "status": "due_soon"},
        {"risk": "AL-A-003", "office": "alpha", "attention": None, "level": "中", "last_guidance": "2019-09-01", "due": "2020-02-28", "status": "pending"},
        {"risk": "AL-A-004", "office": "alpha", "attention": None, "level": "低", "last_guidance": None, "due": "2020-02-29", "status": "pending"},
        # never guided: batch date + 180; beta's guidance naming AL-A-001 is beta's, not alpha's
        {"risk": "BE-A-001", "office": "beta", "attention": None, "level": "中", "last_guidance": None, "due": "2019-07-09", "status": "overdue"},
    ]


def test_guidance_fail_on_and_office(fxfk):
    assert deadlines(fxfk, "--guidance", "--today", "2019-09-20", "--fail-on", "overdue").code == 1
    r = deadlines(fxfk, "--guidance", "--today", "2019-03-05", "--fail-on", "due_soon", "--office", "alpha", "-f", "json")
    assert r.code == 0 and [(g["risk"], g["status"]) for g in r.json()] == [
        ("AL-A-001", "pending"), ("AL-A-002", "pending"), ("AL-A-003", "pending"), ("AL-A-004", "pending"),
    ]


# --- the repository's own data/ -------------------------------------------------------------

REPO_ROOT = Path(__file__).parent.parent


def test_repository_data_on_a_fixed_day(fxfk):
    r = fxfk("deadlines", "--root", str(REPO_ROOT), "--today", "2019-11-10", "--format", "json", "--fail-on", "overdue")
    assert r.code == 1, r.err  # the 执法支队 has not consulted (3.1) nor published (3.2) yet
    by = {(row["task"], row["office"]): row for row in r.json()}
    expect = {
        ("3.1", "zfzd"): {"status": "overdue", "due": "2019-08-20", "done": 0, "target": None, "working_days_left": -54},
        # 3.2 needs publication and publicity (counts: {publication: 1, publicity: 1}): target 2
        ("3.2", "zfzd"): {"status": "overdue", "due": "2019-09-20", "done": 0, "target": 2, "working_days_left": -32},
        ("3.1", "xinzheng"): {"status": "done_late", "due": "2019-08-20", "done": 1, "target": None, "working_days_left": None},
        # published on 09-27 but never publicised: no longer done_late, overdue with 1 of 2
        ("3.2", "xinzheng"): {"status": "overdue", "due": "2019-09-20", "done": 1, "target": 2, "working_days_left": -32,
                              "kinds": {"publication": {"done": 1, "target": 1, "completed_on": "2019-09-27"},
                                        "publicity": {"done": 0, "target": 1, "completed_on": None}}},
        ("3.2", "wjhz"): {"status": "overdue", "done": 1, "target": 2},  # published 09-16, no publicity
        ("3.2", "erqi"): {"status": "done", "done": 2, "target": 2},  # publicity on 09-20, the deadline itself
        ("3.2", "jinshui"): {"status": "done_late", "done": 2, "target": 2},  # publicity only on 09-21
        ("2.2", "erqi"): {"status": "due_soon", "due": "2019-11-20", "done": 2, "target": 3, "working_days_left": 8},
        ("2.2", "scjs"): {"status": "done", "due": "2019-11-20", "done": 3, "target": 3, "working_days_left": None},
        ("5.1", "zcfgc"): {"status": "pending", "due": "2019-12-31", "done": 0, "target": None, "working_days_left": 37},
        ("2.1", "erqi"): {"status": "open", "due": None, "done": 0, "target": None, "working_days_left": None},
        ("4", "erqi"): {"status": "open", "due": None, "done": 0, "target": None, "working_days_left": None},  # survey on 12-06
    }
    for key, fields in expect.items():
        assert {k: by[key][k] for k in fields} == fields, key
    assert sorted(o for t, o in by if t == "2.1") == ["erqi", "jinshui", "zcfgc"]  # offices: [zcfgc, jinshui, erqi]
    assert [o for t, o in by if t == "5.1"] == ["zcfgc"]
    # zfzd 3.1 and 3.2, and the two offices that published without publicising (wjhz, xinzheng)
    assert sum(row["status"] == "overdue" for row in r.json()) == 4
    assert by[("2.2", "erqi")]["due_explanation"] == "11月中旬 → 11月20日（中旬按20日计）"
    assert by[("1", "erqi")]["due_explanation"] == "根据工作安排 → 无固定时限"


def test_repository_data_guidance(fxfk):
    r = fxfk("deadlines", "--root", str(REPO_ROOT), "--guidance", "--today", "2019-12-31", "--format", "json")
    assert r.code == 0, r.err
    by = {g["risk"]: g for g in r.json()}
    assert by["ZM-BF-002"] == {
        "risk": "ZM-BF-002", "office": "zhongmou", "level": "高", "attention": None, "last_guidance": None, "due": "2019-12-15", "status": "overdue",
    }
    assert by["SCJS-BF-001"]["last_guidance"] == "2019-10-16" and by["SCJS-BF-001"]["status"] == "due_soon"
    assert all(g["status"] in ("overdue", "due_soon", "pending") for g in by.values())
