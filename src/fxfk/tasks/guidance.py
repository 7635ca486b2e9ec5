"""Administrative guidance by risk level (附件1 二(五)：根据风险等级，提前介入、主动提醒).

Every published point should see a ``guidance`` activity every ``guidance_days[level]`` days
(fxfk.yaml; defaults high 90, medium 180, low 365). Definitions:

* **published**: ``status: published`` and its batch's date on or before the day asked about —
  the same rule as the public list; drafts, retired points and scheduled batches are left out.
* **last guidance**: the latest activity of kind ``guidance`` dated on or before that day, in the
  point's own office register, whose ``risks`` names the point. Each office answers for the points
  it published; guidance it logged is what the list reflects.
* **due**: last guidance + interval, or — never guided — the batch date + interval: a point is
  not overdue the day it is published.
* **status**: overdue once the day is past due; due_soon within ``due_soon_days`` of it; pending
  otherwise (guided recently enough). The TaskState tokens are reused so that CI reads both lists
  the same way.

The text, Markdown and JSON of :class:`GuidanceReport` are :mod:`fxfk.render.tasks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from fxfk.load.repository import Repository
from fxfk.models import Level, Register, Risk, Status
from fxfk.models.enums import LEVEL_ORDER
from fxfk.models.register import attention_rank, public_on
from fxfk.tasks.status import TaskState, select_offices
from fxfk.tasks.workdays import WorkCalendar


@dataclass(frozen=True)
class GuidanceStatus:
    risk_id: str
    title: str
    office_id: str
    office_name: str
    level: Level
    attention: Level | None  # 社会关注度, None when not given
    interval: int  # days, from guidance_days
    published: dt.date  # batch date
    last_guidance: dt.date | None
    due: dt.date
    status: TaskState  # overdue, due_soon or pending
    working_days_left: int  # as for tasks: today included; negative = working days overdue

    def as_json(self) -> dict[str, Any]:
        return {
            "risk": self.risk_id,
            "office": self.office_id,
            "level": self.level.label,
            "attention": self.attention.label if self.attention else None,
            "last_guidance": self.last_guidance.isoformat() if self.last_guidance else None,
            "due": self.due.isoformat(),
            "status": self.status.value,
        }


def published_on(register: Register, risk: Risk, today: dt.date) -> dt.date | None:
    """The batch date if the point is public on ``today``, else None."""
    if risk.batch is None:
        return None
    found = next((b.date for b in register.batches if b.id == risk.batch), None)  # (the first of an id)
    return found if public_on(risk.status is Status.published, found, today) else None


def last_guidance(register: Register, risk_id: str, today: dt.date) -> dt.date | None:
    days = [a.date for a in register.activities if a.kind.value == "guidance" and risk_id in a.risks and a.date <= today]
    return max(days, default=None)


# For guidance, "pending" means the next guidance is not yet due (the point may never have been
# guided yet if it was published recently), so it is worded apart from the tasks' 进行中.
PENDING_LABEL = "未到期"


def status_label(state: TaskState) -> str:
    return PENDING_LABEL if state is TaskState.pending else state.label


def guidance_state(due: dt.date, today: dt.date, due_soon_days: int) -> TaskState:
    if today > due:
        return TaskState.overdue
    if (due - today).days <= due_soon_days:
        return TaskState.due_soon
    return TaskState.pending


# What a point's row needs of its register: id, title, level, 社会关注度, batch date, last guidance.
_Point = tuple[str, str, Level, "Level | None", dt.date, "dt.date | None"]


def _published_points(reg: Register, today: dt.date) -> list[_Point]:
    """The points of ``reg`` public on ``today`` with their last guidance: the same answers as
    :func:`published_on` and :func:`last_guidance`, in one pass over batches and activities."""
    batches: dict[int, dt.date] = {}
    for batch in reg.batches:
        batches.setdefault(batch.id, batch.date)  # the first batch of an id, as published_on finds it
    latest: dict[str, dt.date] = {}
    for activity in reg.activities:
        if activity.kind.value == "guidance" and activity.date <= today:
            for risk_id in activity.risks:
                if risk_id not in latest or latest[risk_id] < activity.date:
                    latest[risk_id] = activity.date
    out: list[_Point] = []
    for risk in reg.risks:
        published = batches.get(risk.batch) if risk.batch is not None else None
        if public_on(risk.status is Status.published, published, today):
            assert published is not None  # (public_on says so)
            out.append((risk.id, risk.title, risk.level, risk.attention, published, latest.get(risk.id)))
    return out


def guidance_statuses(
    repo: Repository,
    today: dt.date,
    offices: Sequence[str] | None = None,
    calendar: WorkCalendar | None = None,
) -> list[GuidanceStatus]:
    """Every published point of the chosen offices: per office, highest level first, then highest
    社会关注度 (:func:`fxfk.models.register.attention_rank`), then worst first.

    Decided: each register's full model is built once (a repository loaded facts_only holds none) and
    only the few values a row needs are kept; the offices are chosen from those registers stripped of
    points and activities. Dates and working days are worked out for the chosen offices only.
    """
    calendar = calendar or WorkCalendar()
    offices_only: list[Register] = []
    points: dict[str, list[_Point]] = {}
    for src in repo.valid_registers():
        reg = src.load_model() or src.valid_model
        offices_only.append(reg.model_copy(update={"risks": [], "activities": []}))
        points.setdefault(reg.office.id, []).extend(_published_points(reg, today))
    days = repo.settings.guidance_days
    soon = repo.settings.due_soon_days
    out: list[GuidanceStatus] = []
    for office in select_offices(repo, offices, offices_only):  # by kind, then id
        rows = []
        for risk_id, title, level, attention, published, last in points.pop(office.id, []):
            interval = getattr(days, level.value)
            due = (last or published) + dt.timedelta(days=interval)
            rows.append(
                GuidanceStatus(
                    risk_id=risk_id, title=title, office_id=office.id, office_name=office.name,
                    level=level, attention=attention, interval=interval, published=published, last_guidance=last, due=due,
                    status=guidance_state(due, today, soon), working_days_left=calendar.working_days_left(today, due),
                )
            )
        # highest level first; within a level higher 社会关注度 first (附件1 二（一）), then the worst
        rows.sort(key=lambda g: (LEVEL_ORDER[g.level], attention_rank(g.attention), -g.status.severity, g.due, g.risk_id))
        out += rows
    return out


# --- the whole list, as the renderers take it ------------------------------------------------


@dataclass(frozen=True)
class GuidanceReport:
    today: dt.date
    due_soon_days: int
    intervals: dict[Level, int]
    rows: list[GuidanceStatus]
    note: str | None


def guidance_report(repo: Repository, today: dt.date, offices: Sequence[str] | None = None) -> GuidanceReport:
    calendar = WorkCalendar()
    rows = guidance_statuses(repo, today, offices, calendar)
    days = repo.settings.guidance_days
    levels = [Level.high, Level.low] if repo.settings.levels == 2 else list(Level)
    return GuidanceReport(
        today=today, due_soon_days=repo.settings.due_soon_days,
        intervals={lv: getattr(days, lv.value) for lv in levels}, rows=rows, note=calendar.fallback_note(),
    )


def due_plan(report: GuidanceReport) -> GuidanceReport:
    """The guidance plan of ``fxfk guide due``: the points overdue or due soon, across the chosen
    offices, highest level first, then highest 社会关注度, then the most overdue (earliest due)."""
    rows = [r for r in report.rows if r.status is not TaskState.pending]
    rows.sort(key=lambda g: (LEVEL_ORDER[g.level], attention_rank(g.attention), g.due, g.office_id, g.risk_id))
    return GuidanceReport(today=report.today, due_soon_days=report.due_soon_days, intervals=report.intervals,
                          rows=rows, note=report.note)
