"""The task-status rules as pure functions, with fixed dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fxfk.load.repository import load_repository
from fxfk.models import Activity, Office, Task
from fxfk.options import Options
from fxfk.tasks.status import (
    TaskState,
    applies_to,
    counts_toward,
    fails,
    progress,
    task_state,
    task_statuses,
)

D = dt.date
CORPUS = Path(__file__).parent / "corpus" / "deadlines"
NO_CACHE = Options(cache=False)  # read in place: write no .fxfk-cache into the checkout


def task(**kw) -> Task:
    base = {"id": "2.2", "item": "落实标准", "content": "培育指导示范点", "deadline": "11月中旬"}
    return Task.model_validate({**base, **kw})


def act(date: str, kind: str = "model_site", **kw) -> Activity:
    return Activity.model_validate({"date": date, "kind": kind, **kw})


def office(id: str = "alpha", kind: str = "county") -> Office:
    return Office.model_validate({"id": id, "name": "甲", "kind": kind})


# --- task_state: every status, and the edges between them --------------------------------------

DUE = D(2019, 11, 20)


@pytest.mark.parametrize(
    "due,completed,today,state",
    [
        (DUE, D(2019, 11, 1), D(2019, 11, 10), TaskState.done),
        (DUE, DUE, D(2019, 12, 1), TaskState.done),  # on the deadline day is in time
        (DUE, D(2019, 11, 21), D(2019, 12, 1), TaskState.done_late),
        (DUE, None, D(2019, 11, 21), TaskState.overdue),
        (DUE, None, DUE, TaskState.due_soon),  # due today is not yet overdue
        (DUE, None, D(2019, 11, 6), TaskState.due_soon),  # exactly 14 days before
        (DUE, None, D(2019, 11, 5), TaskState.pending),  # 15 days before
        (None, None, D(2019, 11, 5), TaskState.open),
        (None, D(2019, 3, 1), D(2019, 11, 5), TaskState.done),  # no deadline: never late
        (DUE, D(2019, 12, 1), D(2019, 11, 30), TaskState.overdue),  # completion after "today" does not count
    ],
)
def test_task_state(due, completed, today, state):
    assert task_state(due, completed, today, 14) is state


def test_due_soon_window_zero_means_only_the_day_itself():
    assert task_state(DUE, None, DUE, 0) is TaskState.due_soon
    assert task_state(DUE, None, D(2019, 11, 19), 0) is TaskState.pending


# --- which activities count, and when the target is reached ----------------------------------


def test_target_is_reached_when_counts_add_up():
    t = task(target=3, counts="model_site")
    acts = [act("2019-06-01", count=2), act("2019-04-01"), act("2019-10-01")]
    assert progress(t, acts, 2019, D(2019, 5, 1)) == (1, None)
    assert progress(t, acts, 2019, D(2019, 6, 1)) == (3, D(2019, 6, 1))
    assert progress(t, acts, 2019, D(2019, 12, 31)) == (4, D(2019, 6, 1))


def test_without_target_one_activity_completes():
    t = task(counts="consultation", id="3.1", deadline="8月中旬")
    assert progress(t, [act("2019-08-25", "consultation")], 2019, D(2019, 9, 1)) == (1, D(2019, 8, 25))


def test_named_task_counts_whatever_its_kind():
    t = task(id="2.1", deadline="根据工作安排")
    assert counts_toward(t, act("2019-05-01", "other", task="2.1"), 2019)
    assert not counts_toward(t, act("2019-05-01", "other"), 2019)


def test_an_activity_naming_another_task_does_not_also_count_by_kind():
    t = task(counts="model_site")
    assert counts_toward(t, act("2019-05-01", "model_site"), 2019)
    assert not counts_toward(t, act("2019-05-01", "model_site", task="1"), 2019)


def test_only_activities_of_the_tables_year_count():
    t = task(counts="model_site")
    assert not counts_toward(t, act("2018-12-31", "model_site"), 2019)
    assert not counts_toward(t, act("2020-01-02", "model_site"), 2019)


@pytest.mark.parametrize(
    "offices,who,applies",
    [
        (None, office(), True),
        ("all", office(), True),
        (["alpha"], office(), True),
        (["beta"], office(), False),
        (["county"], office(), True),
        (["县（市、区）商务局"], office(), True),
        (["division"], office(), False),
        (["机关处室"], office("beta", "division"), True),
        (["局属单位", "alpha"], office(), True),
    ],
)
def test_applies_to_offices_by_id_or_kind(offices, who, applies):
    assert applies_to(task(offices=offices), who) is applies


def test_fail_on_thresholds():
    assert fails([TaskState.due_soon], TaskState.overdue) is False
    assert fails([TaskState.overdue], TaskState.overdue) is True
    assert fails([TaskState.due_soon], TaskState.due_soon) is True
    assert fails([TaskState.overdue], TaskState.due_soon) is True
    assert fails([TaskState.done_late, TaskState.pending, TaskState.open, TaskState.done], TaskState.due_soon) is False
    assert fails([TaskState.overdue], None) is False


# --- the pure entry point on a whole repository ----------------------------------------------


def test_task_statuses_on_the_corpus():
    repo = load_repository(CORPUS, NO_CACHE)
    rows = task_statuses(repo, 2019, D(2019, 9, 10))
    got = {(r.task_id, r.office_id): (r.status.value, r.done, r.working_days_left) for r in rows}
    assert got == {
        ("1", "alpha"): ("open", 0, None),
        ("1", "beta"): ("done", 1, None),
        ("1", "gamma"): ("done", 1, None),  # model_site with task: "1"
        ("2.2", "alpha"): ("done", 3, None),
        ("2.2", "beta"): ("pending", 1, 48),
        ("2.2", "gamma"): ("pending", 0, 48),  # its model_site activity named task 1
        ("3.1", "alpha"): ("done", 1, None),
        ("3.1", "beta"): ("done_late", 1, None),
        ("3.1", "gamma"): ("overdue", 0, -15),  # the 2018 consultation does not count
        ("3.2", "alpha"): ("done", 1, None),
        ("3.2", "beta"): ("due_soon", 0, 8),  # its publication on 09-15 is still in the future
        ("3.2", "gamma"): ("due_soon", 0, 8),
        ("5.1", "beta"): ("pending", 0, 77),  # offices: [机关处室]
    }
    # fixed order: table order, then county, division, affiliate
    assert [(r.task_id, r.office_id) for r in rows][:3] == [("1", "alpha"), ("1", "beta"), ("1", "gamma")]


def test_task_statuses_for_some_offices():
    repo = load_repository(CORPUS, NO_CACHE)
    rows = task_statuses(repo, 2019, D(2019, 9, 16), offices=["division"])
    assert {r.office_id for r in rows} == {"beta"}
    assert next(r for r in rows if r.task_id == "3.2").status is TaskState.done
