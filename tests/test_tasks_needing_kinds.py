"""Issue 15 items 3, 4, 5, 7: rows needing several kinds of work, 社会关注度 in work lists, 扣分 referred
for 责任追究, and how a deadline word became a date.

Each test builds a small repository on tests/corpus/base (a valid 2019 repository with offices alpha,
a county, and beta, a division) and runs the library API on a fixed day.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

import fxfk
from conftest import CORPUS
from fxfk.models import TaskTable
from fxfk.report.content import ScoreItem
from fxfk.report.figures import build_report
from fxfk.tasks.deadline import read_deadline
from fxfk.tasks.status import TaskState

DAY = dt.date(2019, 12, 31)


def options(day: dt.date = DAY) -> fxfk.Options:
    return fxfk.Options(date=day, cache=False)


def _repo(tmp_path: Path, tasks: list[dict] | None = None, alpha: dict | None = None, scoring: list[dict] | None = None) -> Path:
    """tests/corpus/base with the task table's rows replaced, alpha's register patched."""
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo, ignore=shutil.ignore_patterns(".fxfk-cache"))
    table_path = repo / "data" / "tasks" / "2019.yaml"
    table = yaml.safe_load(table_path.read_text(encoding="utf-8"))
    if tasks is not None:
        table["tasks"] = tasks
    if scoring is not None:
        table["scoring"] = scoring
    table_path.write_text(yaml.safe_dump(table, allow_unicode=True, sort_keys=False), encoding="utf-8")
    reg_path = repo / "data" / "risks" / "alpha.yaml"
    register = yaml.safe_load(reg_path.read_text(encoding="utf-8"))
    for key, value in (alpha or {}).items():
        register[key] = value
    reg_path.write_text(yaml.safe_dump(register, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return repo


BASE_TASKS = [  # alpha's activities in the base corpus name tasks "1" (beta) and "3.1" (alpha)
    {"id": "1", "item": "学习培训", "content": "知识测试", "deadline": "根据工作安排", "counts": "test"},
    {"id": "3.1", "item": "法律风险防控", "content": "征求意见", "deadline": "8月中旬", "counts": "consultation"},
]
ROW_32 = {"id": "3.2", "item": "法律风险防控", "content": "公布和广泛宣传情况", "deadline": "9月中旬",
          "counts": {"publication": 1, "publicity": 1}, "offices": ["alpha"]}


def _activities(*extra: dict) -> list[dict]:
    return [{"date": "2019-08-10", "kind": "consultation", "task": "3.1"}, *extra]


def _status_32(tmp_path: Path, *acts: dict, day: dt.date = DAY):
    repo = _repo(tmp_path, BASE_TASKS + [ROW_32], {"activities": _activities(*acts)})
    rows = fxfk.task_status(repo, options(day)).rows
    return next(r for r in rows if r.task_id == "3.2")


# --- item 3: all of the kinds -----------------------------------------------------------------


def test_published_but_never_publicised_is_not_done(tmp_path):
    row = _status_32(tmp_path, {"date": "2019-09-16", "kind": "publication"})
    assert row.status is TaskState.overdue
    assert (row.done, row.target, row.completed_on) == (1, 2, None)
    assert row.kinds_text == "公布 1/1，宣传 0/1"
    assert row.as_json()["kinds"] == {
        "publication": {"done": 1, "target": 1, "completed_on": "2019-09-16"},
        "publicity": {"done": 0, "target": 1, "completed_on": None},
    }


def test_done_on_the_day_the_last_kind_reaches_its_target(tmp_path):
    row = _status_32(tmp_path, {"date": "2019-09-16", "kind": "publication"}, {"date": "2019-09-19", "kind": "publicity"})
    assert row.status is TaskState.done and row.completed_on == dt.date(2019, 9, 19)
    late = _status_32(tmp_path / "late", {"date": "2019-09-16", "kind": "publication"}, {"date": "2019-09-23", "kind": "publicity"})
    assert late.status is TaskState.done_late and late.completed_on == dt.date(2019, 9, 23)


def test_one_kind_many_times_does_not_make_up_for_another(tmp_path):
    row = _status_32(tmp_path, {"date": "2019-09-16", "kind": "publication", "count": 3})
    assert (row.done, row.target) == (1, 2)  # capped per kind: not 3/2
    assert row.status is TaskState.overdue


def test_an_activity_naming_the_row_counts_for_its_own_kind_only(tmp_path):
    row = _status_32(
        tmp_path,
        {"date": "2019-09-16", "kind": "publication", "task": "3.2"},
        {"date": "2019-09-17", "kind": "other", "task": "3.2"},  # not a kind the row needs
    )
    assert row.kinds_text == "公布 1/1，宣传 0/1" and row.status is TaskState.overdue


def test_the_single_kind_form_keeps_its_meaning(tmp_path):
    single = dict(ROW_32, counts="publication", target=2)
    repo = _repo(tmp_path, BASE_TASKS + [single], {"activities": _activities(
        {"date": "2019-09-10", "kind": "publication"}, {"date": "2019-09-12", "kind": "publication"})})
    row = next(r for r in fxfk.task_status(repo, options()).rows if r.task_id == "3.2")
    assert (row.status, row.done, row.target, row.kinds) == (TaskState.done, 2, 2, ())
    assert row.as_json()["kinds"] is None


def test_the_sample_table_needs_publication_and_publicity_for_32():
    table = TaskTable.model_validate(yaml.safe_load((Path(__file__).parent.parent / "data/tasks/2019.yaml").read_text(encoding="utf-8")))
    row = next(t for t in table.tasks if t.id == "3.2")
    assert {k.value: n for k, n in row.needs().items()} == {"publication": 1, "publicity": 1}


# --- item 7: deadline words -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,explanation",
    [
        ("8月中旬", "8月中旬 → 8月20日（中旬按20日计）"),
        ("8 月中旬", "8 月中旬 → 8月20日（中旬按20日计）"),  # as printed in 附件2
        ("3月上旬", "3月上旬 → 3月10日（上旬按10日计）"),
        ("2月下旬", "2月下旬 → 2月28日（下旬按当月最后一天计）"),
        ("12月底", "12月底 → 12月31日（月底按当月最后一天计）"),
        ("4月末", "4月末 → 4月30日（月末按当月最后一天计）"),
        ("年底", "年底 → 12月31日（年底按12月31日计）"),
        ("根据工作安排", "根据工作安排 → 无固定时限"),
        ("10月8日", "10月8日"),  # nothing to explain
        ("2020-01-15", "2020-01-15 → 2020年1月15日"),  # not the table's year: the year is said
    ],
)
def test_explanations(text, explanation):
    assert read_deadline(text, 2019).explanation == explanation


def test_start_of_month_is_said_to_be_fxfks_convention():
    d = read_deadline("6月初", 2019)
    assert d.due == dt.date(2019, 6, 5)
    assert d.explanation == "6月初 → 6月5日（月初按5日计，是 fxfk 的约定，通知未规定）"


def test_deadlines_show_the_explanation(tmp_path):
    repo = _repo(tmp_path, BASE_TASKS + [ROW_32], {"activities": _activities()})
    row = next(r for r in fxfk.task_status(repo, options()).rows if r.task_id == "3.2")
    assert row.as_json()["due_explanation"] == "9月中旬 → 9月20日（中旬按20日计）"


# --- item 5: deductions referred for 责任追究 ----------------------------------------------------


@pytest.mark.parametrize(
    "points,referred,text",
    [(-1, True, "已建议依纪依法追责"), (-1, False, "未建议追责"), (-2, None, "是否建议追责未记录"), (2, None, ""), (1, False, "")],
)
def test_referral_wording(points, referred, text):
    assert ScoreItem(DAY, points, "理由", referred).referral == text


def test_report_shows_referral(tmp_path):
    scoring = [
        {"office": "alpha", "date": "2019-12-20", "points": 2, "reason": "探索创新"},
        {"office": "beta", "date": "2019-12-20", "points": -1, "reason": "执法不作为", "referred": True},
        {"office": "beta", "date": "2019-12-21", "points": -1, "reason": "粗暴执法"},
    ]
    repo = _repo(tmp_path, scoring=scoring)
    out = tmp_path / "out"
    result = fxfk.write_report(repo, out, options(), formats=["md"])
    assert (result.report.deductions, result.report.referred_total) == (2, 1)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "-1分：执法不作为（已建议依纪依法追责）" in md
    assert "-1分：粗暴执法（是否建议追责未记录）" in md
    assert "+2分：探索创新 |" in md  # 加分: nothing said about referral
    assert "扣分 2 项，其中已建议有关单位依纪依法进行责任追究 1 项" in md


# --- item 4: 社会关注度 --------------------------------------------------------------------------


def _point(rid: str, attention: str | None, status: str, batch: int | None = None) -> dict:
    point = {
        "id": rid, "title": f"风险点{rid}", "domain": "洗染",
        "basis": [{"role": "penalty", "law": "洗染业管理办法", "number": "商务部、工商总局、环境保护总局令2007年第5号", "article": "第二十四条"}],
        "factors": {"minor_correctable": True}, "level": "low", "responsible": "甲区商务局服务业科", "status": status,
    }
    if attention:
        point["attention"] = attention
    if status in ("approved", "published"):
        point["measures"] = [{"kind": "advise", "text": "提醒"}]
        point["consultation"] = {"start": "2019-08-01", "end": "2019-08-15", "parties": ["企业"], "comments": 0, "adopted": 0}
    if batch:
        point["batch"] = batch
    return point


ATTENTION_POINTS = [  # file order; attention order would be B, D, A, C
    _point("AL-XR-A", None, "published", 1),
    _point("AL-XR-B", "high", "published", 1),
    _point("AL-XR-C", None, "draft"),
    _point("AL-XR-D", "low", "published", 1),
    _point("AL-XR-E", "medium", "consulting"),
    _point("AL-XR-F", "high", "draft"),
]


def test_classify_orders_each_office_by_attention_then_file_order(tmp_path):
    repo = _repo(tmp_path, alpha={"risks": ATTENTION_POINTS, "activities": _activities()})
    rows = fxfk.classify(repo, options(), offices=["alpha"]).rows
    assert [r.risk.id for r in rows] == ["AL-XR-B", "AL-XR-F", "AL-XR-E", "AL-XR-D", "AL-XR-A", "AL-XR-C"]


def test_guidance_orders_by_level_then_attention(tmp_path):
    repo = _repo(tmp_path, alpha={"risks": ATTENTION_POINTS, "activities": _activities()})
    rows = [g for g in fxfk.guidance(repo, options()).rows if g.office_id == "alpha"]
    assert [g.risk_id for g in rows] == ["AL-XR-B", "AL-XR-D", "AL-XR-A"]  # all low level: attention decides
    assert rows[0].as_json()["attention"] == "高" and rows[2].as_json()["attention"] is None


def test_report_lists_unpublished_points_by_attention(tmp_path):
    repo = _repo(tmp_path, alpha={"risks": ATTENTION_POINTS, "activities": _activities()})
    result = fxfk.validate(repo, options())
    report = build_report(result.repo, DAY, offices=["alpha"])
    assert [(p.risk_id, p.attention) for p in report.unpublished] == [("AL-XR-F", "高"), ("AL-XR-E", "中"), ("AL-XR-C", "")]


def test_attention_warning_names_lower_published_points(tmp_path):
    repo = _repo(tmp_path, alpha={"risks": ATTENTION_POINTS, "activities": _activities()})
    found = [d for d in fxfk.validate(repo, options()).diagnostics if d.code == "attention-order"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].path == "risks[5].status"
    assert "AL-XR-D（关注度低）" in found[0].message and "AL-XR-A" not in found[0].message  # unset is not "lower"


def test_no_attention_warning_when_only_unset_points_are_published(tmp_path):
    points = [_point("AL-XR-A", None, "published", 1), _point("AL-XR-F", "high", "draft")]
    repo = _repo(tmp_path, alpha={"risks": points, "activities": _activities()})
    assert not [d for d in fxfk.validate(repo, options()).diagnostics if d.code == "attention-order"]
