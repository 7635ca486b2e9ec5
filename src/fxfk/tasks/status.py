"""Progress of the year's task table (附件2), per task and office, on a given day.

The one entry point other commands reuse is :func:`task_statuses`::

    from fxfk.tasks.status import task_statuses
    rows = task_statuses(repo, 2019, dt.date(2019, 9, 10))
    # [TaskStatus(task_id="1", office_id="jinshui", status=TaskState.open, ...), ...]

It is pure: the same repository, year and day always give the same list, in a fixed order (task
table order, then offices by kind — county, division, affiliate — then id). Nothing here prints.

Rules (data-format.md, "Task status"):

* a task applies to the offices named in its ``offices`` (ids or kinds, English or Chinese), all
  offices when absent;
* an office's activity counts toward a task when it names the task (``task:``) or, when it names
  no task, when its kind is the task's ``counts`` kind (or one of them). An activity that names a
  task counts toward that task only: the officer who wrote ``task: "2.1"`` said where it belongs,
  and one piece of work must not tick two rows. Only activities dated in the table's year and on or
  before the day count; ``count`` adds up;
* the task is complete on the day the running total first reaches ``target`` (1 when the table
  gives none); :func:`task_state` turns that day, the deadline and the day asked about into a state;
* a row whose ``counts`` is a mapping (``{publication: 1, publicity: 1}``, 3.2 公布和广泛宣传) needs
  *all* of those kinds: each kind's activities (those naming the row included; one of a kind the
  mapping does not list counts toward nothing) reach that kind's target, and the row is complete on
  the day the last kind did. Its ``done``/``target`` are the sum over kinds, each kind's count
  capped at its target, so that three publications and no publicity read 1/2, not 3/2.

The text, Markdown and JSON of :class:`TaskReport` are :mod:`fxfk.render.tasks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Sequence, TypeVar

from fxfk.errors import FxfkError
from fxfk.load.repository import Repository
from fxfk.models import Activity, ActivityKind, Office, OfficeKind, Register, Task, TaskTable
from fxfk.tasks.deadline import read_deadline
from fxfk.tasks.workdays import WorkCalendar


class TaskState(str, Enum):
    """The status tokens of the JSON output, with their Chinese labels and text-matrix marks."""

    done = "done"
    done_late = "done_late"
    overdue = "overdue"
    due_soon = "due_soon"
    pending = "pending"
    open = "open"

    @property
    def label(self) -> str:
        return _LABEL[self]

    @property
    def mark(self) -> str:
        """Symbol + two-character word: reads without colour, fits a matrix cell."""
        return _MARK[self]

    @property
    def severity(self) -> int:
        """Higher is worse; ``--fail-on`` and "worst first" use it."""
        return _SEVERITY[self]


_LABEL = {
    TaskState.done: "已完成",
    TaskState.done_late: "逾期完成",
    TaskState.overdue: "已逾期",
    TaskState.due_soon: "即将到期",
    TaskState.pending: "进行中",
    TaskState.open: "无固定时限",
}
_MARK = {
    TaskState.done: "✓完成",
    TaskState.done_late: "✓迟完",
    TaskState.overdue: "✗逾期",
    TaskState.due_soon: "!临期",
    TaskState.pending: ">进行",
    TaskState.open: "~不限",
}
_SEVERITY = {
    TaskState.done: 0,
    TaskState.done_late: 1,
    TaskState.open: 2,
    TaskState.pending: 3,
    TaskState.due_soon: 4,
    TaskState.overdue: 5,
}
KIND_ORDER = {k: i for i, k in enumerate(OfficeKind)}


@dataclass(frozen=True)
class KindProgress:
    """One activity kind of a row that needs several (``counts`` as a mapping)."""

    kind: ActivityKind
    done: int
    target: int
    completed_on: dt.date | None

    def as_json(self) -> dict[str, Any]:
        return {"done": self.done, "target": self.target,
                "completed_on": self.completed_on.isoformat() if self.completed_on else None}


@dataclass(frozen=True)
class TaskStatus:
    """One task for one office on one day.

    ``done`` is the number of activities (their ``count`` summed) that count toward the task up to
    and including ``today``; ``target`` is the table's ``target`` (None: one activity completes it).
    ``working_days_left`` is None once done or when there is no fixed deadline; otherwise working
    days from today through the deadline (today included), negative = working days overdue
    (see :mod:`fxfk.tasks.workdays`). ``kinds``: a row needing several kinds of work, each kind's
    progress in the table's order (empty otherwise). ``due_explanation``: how the deadline as
    written became ``due`` (:attr:`fxfk.tasks.deadline.Deadline.explanation`).
    """

    task_id: str
    item: str
    content: str
    deadline: str  # as written in the table, e.g. "11月中旬"
    office_id: str
    office_name: str
    status: TaskState
    due: dt.date | None
    done: int
    target: int | None
    completed_on: dt.date | None
    working_days_left: int | None
    due_explanation: str = ""
    kinds: tuple[KindProgress, ...] = ()

    @property
    def kinds_text(self) -> str:
        """「公布 1/1，宣传 0/1」 for a row needing several kinds, else empty."""
        return "，".join(f"{k.kind.label} {k.done}/{k.target}" for k in self.kinds)

    def as_json(self) -> dict[str, Any]:
        return {
            "task": self.task_id,
            "office": self.office_id,
            "status": self.status.value,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done,
            "target": self.target,
            "working_days_left": self.working_days_left,
            "due_explanation": self.due_explanation,
            "kinds": {k.kind.value: k.as_json() for k in self.kinds} or None,
        }


# --- the rules, each a small function --------------------------------------------------------


def applies_to(task: Task, office: Office) -> bool:
    """``offices`` absent or ``all`` → every office; else the office's id or kind is listed."""
    if task.offices is None:
        return True
    kinds = OfficeKind.lookup()
    return any(name == office.id or kinds.get(name) is office.kind for name in task.offices)


def counts_toward(task: Task, activity: Activity, year: int) -> bool:
    if activity.date.year != year:
        return False
    needs = task.needs()
    if activity.task is not None:
        return activity.task == task.id and (needs is None or activity.kind in needs)
    if needs is not None:
        return activity.kind in needs
    return task.counts is not None and activity.kind is task.counts


def _running(activities: list[Activity], target: int) -> tuple[int, dt.date | None]:
    """(total count, the day the running total first reached ``target``), activities sorted by date."""
    total = 0
    completed_on = None
    for act in activities:
        total += act.count
        if completed_on is None and total >= target:
            completed_on = act.date
    return total, completed_on


def progress_by_kind(task: Task, activities: Iterable[Activity], year: int, today: dt.date) -> tuple[KindProgress, ...]:
    """Each kind a several-kinds row needs, with its count by ``today``; () for any other row."""
    needs = task.needs()
    if needs is None:
        return ()
    mine = sorted((a for a in activities if counts_toward(task, a, year) and a.date <= today), key=lambda a: a.date)
    out = []
    for kind, target in needs.items():
        done, completed_on = _running([a for a in mine if a.kind is kind], target)
        out.append(KindProgress(kind, done, target, completed_on))
    return tuple(out)


def progress(task: Task, activities: Iterable[Activity], year: int, today: dt.date) -> tuple[int, dt.date | None]:
    """(count achieved by ``today``, the day the target was first reached or None).

    A row needing several kinds: the capped sum over its kinds, and the day the last kind got there.
    """
    activities = list(activities)
    kinds = progress_by_kind(task, activities, year, today)
    if kinds:
        return combined(kinds)
    mine = sorted((a for a in activities if counts_toward(task, a, year) and a.date <= today), key=lambda a: a.date)
    return _running(mine, task.target or 1)


def combined(kinds: Sequence[KindProgress]) -> tuple[int, dt.date | None]:
    """All of the kinds: (sum of each kind's count capped at its target, the day the last one got there)."""
    days = [k.completed_on for k in kinds if k.completed_on is not None]
    return sum(min(k.done, k.target) for k in kinds), (max(days) if len(days) == len(kinds) else None)


def row_target(task: Task) -> int | None:
    """The row's target as the output shows it: the sum over kinds for a several-kinds row."""
    needs = task.needs()
    return sum(needs.values()) if needs is not None else task.target


def task_state(due: dt.date | None, completed_on: dt.date | None, today: dt.date, due_soon_days: int) -> TaskState:
    """The status definitions of data-format.md, in their order of precedence."""
    if completed_on is not None and completed_on <= today:
        return TaskState.done if due is None or completed_on <= due else TaskState.done_late
    if due is None:
        return TaskState.open
    if today > due:
        return TaskState.overdue
    if (due - today).days <= due_soon_days:
        return TaskState.due_soon
    return TaskState.pending


# --- selecting the year and the offices ------------------------------------------------------


def default_year(repo: Repository, today: dt.date) -> int:
    """The task table of ``today``'s year if there is one, else the latest table."""
    years = sorted(f.valid_model.year for f in repo.valid_task_tables())
    if not years:
        raise FxfkError("没有任务表：请在 data/tasks/<年份>.yaml 中写年度工作任务表")
    return today.year if today.year in years else years[-1]


def _models(repo: Repository, registers: Sequence[Register] | None) -> Sequence[Register]:
    """``registers`` when given, else the repository's without their points (only offices and activities
    are read here): a repository loaded facts_only builds each model in turn and keeps only that."""
    if registers is not None:
        return registers
    return [(src.load_model() or src.valid_model).model_copy(update={"risks": []}) for src in repo.valid_registers()]


def all_offices(repo: Repository, registers: Sequence[Register] | None = None) -> list[Office]:
    offices = [reg.office for reg in _models(repo, registers)]
    return sorted(offices, key=lambda o: (KIND_ORDER[o.kind], o.id))


def select_offices(repo: Repository, names: Sequence[str] | None, registers: Sequence[Register] | None = None) -> list[Office]:
    """Offices by id or kind (county/division/affiliate or the Chinese label); None → all.
    ``registers``: the repository's registers' models, when the caller has them (else read)."""
    offices = all_offices(repo, registers)
    if not names:
        return offices
    kinds = OfficeKind.lookup()
    by_id = {o.id: o for o in offices}
    wanted: set[str] = set()
    for name in names:
        if name in by_id:
            wanted.add(name)
        elif name in kinds:
            wanted.update(o.id for o in offices if o.kind is kinds[name])
        else:
            known = "、".join(by_id) or "（没有登记册）"
            raise FxfkError(
                f"--office“{name}”既不是单位标识，也不是单位类型（county/division/affiliate）；已有单位：{known}"
            )
    return [o for o in offices if o.id in wanted]


# --- the entry point -------------------------------------------------------------------------


def _table(repo: Repository, year: int) -> TaskTable:
    table = repo.task_table(year)
    if table is None:
        years = "、".join(str(f.valid_model.year) for f in repo.valid_task_tables()) or "无"
        raise FxfkError(f"没有 {year} 年的任务表（data/tasks/{year}.yaml）；已有的年度：{years}")
    return table


def task_statuses(
    repo: Repository,
    year: int,
    today: dt.date,
    offices: Sequence[str] | None = None,
    calendar: WorkCalendar | None = None,
    registers: Sequence[Register] | None = None,
) -> list[TaskStatus]:
    """Every applicable (task, office) pair of ``year``'s table on ``today``.

    ``offices`` restricts to those ids/kinds (:func:`select_offices`). Pass a ``calendar`` to read
    its :meth:`~fxfk.tasks.workdays.WorkCalendar.fallback_note` afterwards; ``registers``: as for
    :func:`select_offices` (only their offices and activities are read). The repository should have
    passed validation (deadlines parse, task ids are unique); raises FxfkError when there is no
    table for ``year``.
    """
    table = _table(repo, year)
    calendar = calendar or WorkCalendar()
    chosen = {o.id for o in select_offices(repo, offices, registers)}
    ordered = sorted((reg for reg in _models(repo, registers) if reg.office.id in chosen),
                     key=lambda r: (KIND_ORDER[r.office.kind], r.office.id))
    due_soon_days = repo.settings.due_soon_days
    out = []
    for task in table.tasks:
        deadline = read_deadline(task.deadline, year)
        due = deadline.due
        for reg in ordered:
            if not applies_to(task, reg.office):
                continue
            kinds = progress_by_kind(task, reg.activities, year, today)
            done, completed_on = combined(kinds) if kinds else progress(task, reg.activities, year, today)
            state = task_state(due, completed_on, today, due_soon_days)
            left = None
            if due is not None and state in (TaskState.overdue, TaskState.due_soon, TaskState.pending):
                left = calendar.working_days_left(today, due)
            out.append(
                TaskStatus(
                    task_id=task.id, item=task.item, content=task.content, deadline=task.deadline,
                    office_id=reg.office.id, office_name=reg.office.name, status=state, due=due,
                    done=done, target=row_target(task), completed_on=completed_on,
                    working_days_left=left, due_explanation=deadline.explanation, kinds=kinds,
                )
            )
    return out


_Due = TypeVar("_Due", bound="TaskStatus")


def worst_first(rows: Iterable[_Due]) -> list[_Due]:
    """Most overdue / soonest due first (earliest due date); ties keep their given order."""
    return sorted(rows, key=lambda r: r.due or dt.date.max)


def fails(states: Iterable[TaskState], threshold: TaskState | None) -> bool:
    """``--fail-on``: anything at or past ``threshold`` (due_soon < overdue)? Done never fails."""
    if threshold is None:
        return False
    return any(s.severity >= threshold.severity and s not in (TaskState.done, TaskState.done_late) for s in states)


# --- wording shared by the task and guidance renderers and the report ------------------------


def describe_days(state: TaskState, left: int | None) -> str:
    if left is None:
        return ""
    if state is TaskState.overdue:
        return f"已逾期 {-left} 个工作日" if left else "已逾期（其间均为休息日）"
    if left == 0:
        return "到期前已无工作日"
    return f"还剩 {left} 个工作日（含今天）"


# --- the whole report, as the renderers take it ----------------------------------------------


@dataclass(frozen=True)
class TaskReport:
    year: int
    title: str
    document: str | None
    today: dt.date
    due_soon_days: int
    tasks: list[Task]
    offices: list[Office]
    rows: list[TaskStatus]
    note: str | None  # where working days were estimated Monday–Friday, else None


def task_report(repo: Repository, year: int, today: dt.date, offices: Sequence[str] | None = None) -> TaskReport:
    calendar, registers = WorkCalendar(), _models(repo, None)
    rows = task_statuses(repo, year, today, offices, calendar, registers)
    table = _table(repo, year)
    return TaskReport(
        year=year, title=table.title, document=table.document, today=today,
        due_soon_days=repo.settings.due_soon_days, tasks=list(table.tasks),
        offices=select_offices(repo, offices, registers), rows=rows, note=calendar.fallback_note(),
    )
