"""What the progress and evaluation report says, as plain frozen dataclasses, and how its numbers are
written: the templates, the charts and the DOCX read these. :mod:`fxfk.report.figures` computes them
from the data and defines each figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from fxfk.models import ActivityKind, Level, Status
from fxfk.tasks.status import TaskState, TaskStatus

NO_DATA = "无数据"
TOO_FEW = "样本过少"
SCHEDULED = "已审定（批次未到）"  # status 已公布, its batch dated after the report date: not public yet
TYPICAL_CASES = 3  # how many of the largest falls are proposed as 典型案例


def number(value: int | Fraction) -> str:
    """An integer as is; a mean with one decimal (exact arithmetic, rounded half up)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    tenths = (abs(value) * 10 + Fraction(1, 2)).__floor__()
    sign = "-" if value < 0 else ""
    return f"{sign}{tenths // 10}.{tenths % 10}"


def signed(value: int | Fraction) -> str:
    return ("+" if value > 0 else "") + number(value)


@dataclass(frozen=True)
class Ratio:
    """``num / den``; with a zero denominator there is no figure at all (无数据)."""

    num: int
    den: int

    @property  # (as cheap as a cache lookup; a plain property is read directly by the templates' sandbox)
    def known(self) -> bool:
        return self.den > 0

    @cached_property
    def percent(self) -> str:
        if not self.known:
            return NO_DATA
        # always one decimal, so a column of shares lines up: 90.0%, 88.6%, 100.0%
        text = number(Fraction(100 * self.num, self.den))
        return (text if "." in text else text + ".0") + "%"

    @cached_property
    def text(self) -> str:
        return f"{self.percent}（{self.num}/{self.den}）" if self.known else NO_DATA

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.num + other.num, self.den + other.den)


# Worst first: the order of the task table and of the status chart.
TASK_STATE_ORDER = tuple(sorted(TaskState, key=lambda s: -s.severity))


# --- overview and funnel ---------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeOverview:
    office_id: str
    name: str
    kind: str
    by_level: tuple[int, ...]  # in the order of Report.levels, retired points left out
    by_status: tuple[int, ...]  # in Status order, all points; 已公布 = public on the date (see scheduled)
    total: int  # all points, retired included
    scheduled: int = 0  # status 已公布 but the batch is dated later: counted as 已审定 (SCHEDULED)


@dataclass(frozen=True)
class FunnelRow:
    name: str
    identified: int
    consulting: int
    approved: int
    published: int

    @cached_property
    def stages(self) -> tuple[int, int, int, int]:
        return (self.identified, self.consulting, self.approved, self.published)

    @cached_property
    def share(self) -> Ratio:
        return Ratio(self.published, self.identified)


FUNNEL_STAGES = ("已梳理", "征求意见", "已审定", "已公布")


# --- activities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    office_id: str
    name: str
    counts: tuple[int, ...]  # in ActivityKind order

    @cached_property
    def total(self) -> int:
        return sum(self.counts)


# --- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointEvaluation:
    risk_id: str
    title: str
    office: str
    domain: str
    level: str
    published: dt.date
    before_year: int
    before: int | None  # None: no record for the year before publication
    after: tuple[tuple[int, int], ...]  # (year, cases) of the whole years public, up to the report date
    compliance: Ratio
    min_cases: int = 0  # fewer cases than this in the years compared: 样本过少 (settings.evaluation_min_cases)

    @cached_property
    def after_mean(self) -> Fraction | None:
        if not self.after:
            return None
        return Fraction(sum(n for _, n in self.after), len(self.after))

    @cached_property
    def change(self) -> Fraction | None:
        if self.before is None or self.after_mean is None:
            return None
        return self.after_mean - self.before

    @cached_property
    def sample(self) -> int:
        """Cases in the years compared (the year before and every year after)."""
        return (self.before or 0) + sum(n for _, n in self.after)

    @cached_property
    def too_few(self) -> bool:
        """Figures on both sides, but too few cases for a rise or fall to mean anything."""
        return self.change is not None and self.sample < self.min_cases

    @cached_property
    def verdict(self) -> str:
        c = self.change
        if c is None:
            return NO_DATA
        if self.too_few:
            return TOO_FEW
        return "上升" if c > 0 else "下降" if c < 0 else "持平"

    @cached_property
    def rising(self) -> bool:
        return self.change is not None and self.change > 0 and not self.too_few

    @cached_property
    def after_years(self) -> str:
        if not self.after:
            return NO_DATA
        first, last = self.after[0][0], self.after[-1][0]
        return str(first) if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class DomainEvaluation:
    domain: str
    points: int  # public points in the domain
    evaluable: int  # of them, with figures before and after
    before: int
    after: Fraction
    rising: int
    falling: int
    compliance: Ratio

    @cached_property
    def change(self) -> Fraction | None:
        return self.after - self.before if self.evaluable else None


@dataclass(frozen=True)
class OfficeEvaluation:
    name: str
    compliance: Ratio
    satisfaction: Ratio


@dataclass(frozen=True)
class Evaluation:
    points: tuple[PointEvaluation, ...]
    domains: tuple[DomainEvaluation, ...]
    offices: tuple[OfficeEvaluation, ...]
    compliance: Ratio  # all selected offices
    satisfaction: Ratio

    @cached_property
    def to_revise(self) -> tuple[PointEvaluation, ...]:
        """Rising cases after publication: 对不适宜的及时修订完善 (附件1 二(六)); biggest rise first."""
        # (a rising point's change is never None)
        return tuple(sorted((p for p in self.points if p.rising), key=lambda p: (-(p.change or 0), p.risk_id)))

    @cached_property
    def typical(self) -> tuple[PointEvaluation, ...]:
        """The largest falls: 对成效明显的编制典型案例 (附件1 二(六))."""
        falls = sorted((p for p in self.points if p.change is not None and p.change < 0 and not p.too_few),
                       key=lambda p: (p.change, p.risk_id))
        return tuple(falls[:TYPICAL_CASES])

    @cached_property
    def unknown(self) -> tuple[PointEvaluation, ...]:
        return tuple(p for p in self.points if p.change is None)

    @cached_property
    def too_few(self) -> tuple[PointEvaluation, ...]:
        return tuple(p for p in self.points if p.too_few)


# --- assessment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreItem:
    date: dt.date
    points: int
    reason: str
    referred: bool | None = None  # a deduction passed on for 责任追究; None: not recorded

    @cached_property
    def referral(self) -> str:
        """What the report says of a deduction's referral (附件2 第5项 扣分，并建议……责任追究); "" for 加分."""
        if self.points >= 0:
            return ""
        said: dict[bool | None, str] = {True: "已建议依纪依法追责", False: "未建议追责"}
        return said.get(self.referred, "是否建议追责未记录")


@dataclass(frozen=True)
class OfficeAssessment:
    office_id: str
    name: str
    items: tuple[ScoreItem, ...]

    @cached_property
    def bonus(self) -> int:
        return sum(i.points for i in self.items if i.points > 0)

    @cached_property
    def deduction(self) -> int:
        return sum(i.points for i in self.items if i.points < 0)

    @cached_property
    def total(self) -> int:
        return self.bonus + self.deduction

    @cached_property
    def referred(self) -> int:
        """Deductions passed on for 责任追究."""
        return sum(1 for i in self.items if i.points < 0 and i.referred)


# --- points not yet public -------------------------------------------------------------------


@dataclass(frozen=True)
class PendingPoint:
    """A point not retired and not public on the report date: what is left to 梳理、征求意见、公布."""

    risk_id: str
    title: str
    office: str
    level: str
    attention: str  # 社会关注度 label, "" when not given
    status: str  # its status; SCHEDULED for 已公布 with a batch date still to come
    note: str = ""  # for SCHEDULED: when the batch is to be published


# --- the whole report ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    organization: str
    date: dt.date
    year: int
    task_title: str
    task_document: str | None
    all_offices: bool
    levels: tuple[Level, ...]
    overview: tuple[OfficeOverview, ...]
    funnel: tuple[FunnelRow, ...]
    city_funnel: FunnelRow
    tasks: tuple[TaskStatus, ...]  # worst state first
    task_columns: tuple[tuple[str, str], ...]  # (id, content) in the table's order
    activities: tuple[ActivityRow, ...]
    evaluation: Evaluation
    assessment: tuple[OfficeAssessment, ...]
    # per office, higher 社会关注度 first (附件1 二（一）先梳理社会公众关注度高的), then file order
    unpublished: tuple[PendingPoint, ...] = ()
    min_cases: int = 0  # settings.evaluation_min_cases

    @cached_property
    def offices(self) -> int:
        return len(self.overview)

    @cached_property
    def level_totals(self) -> tuple[int, ...]:
        return tuple(sum(o.by_level[i] for o in self.overview) for i in range(len(self.levels)))

    @cached_property
    def status_totals(self) -> tuple[int, ...]:
        return tuple(sum(o.by_status[i] for o in self.overview) for i in range(len(Status)))

    @cached_property
    def scheduled_total(self) -> int:
        return sum(o.scheduled for o in self.overview)

    @cached_property
    def scheduled(self) -> tuple[PendingPoint, ...]:
        """Points with status 已公布 whose batch is dated after the report date (shown as SCHEDULED)."""
        return tuple(p for p in self.unpublished if p.status == SCHEDULED)

    @cached_property
    def retired_total(self) -> int:
        return sum(o.by_status[list(Status).index(Status.retired)] for o in self.overview)

    @cached_property
    def risk_total(self) -> int:
        return sum(o.total for o in self.overview)

    @cached_property
    def activity_totals(self) -> tuple[int, ...]:
        return tuple(sum(a.counts[i] for a in self.activities) for i in range(len(ActivityKind)))

    @cached_property
    def silent_offices(self) -> tuple[str, ...]:
        """Offices that logged no activity in the report year up to the date."""
        return tuple(a.name for a in self.activities if a.total == 0)

    @cached_property
    def task_counts(self) -> tuple[tuple[TaskState, int], ...]:
        return tuple((s, sum(1 for t in self.tasks if t.status is s)) for s in TASK_STATE_ORDER)

    @cached_property
    def open_tasks(self) -> tuple[TaskStatus, ...]:
        """Everything but 已完成 (done late included: the assessment wants to see it), worst first."""
        return tuple(t for t in self.tasks if t.status is not TaskState.done)

    def task_matrix(self) -> tuple[tuple[str, tuple[TaskStatus | None, ...]], ...]:
        """Per office, its status for each task of the table (None: the task does not apply)."""
        cells = {(t.office_id, t.task_id): t for t in self.tasks}
        return tuple(
            (o.name, tuple(cells.get((o.office_id, tid)) for tid, _ in self.task_columns)) for o in self.overview
        )

    def office_task_counts(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        by_office: dict[str, list[TaskStatus]] = {}
        for t in self.tasks:  # one pass: offices × tasks is millions at province scale
            by_office.setdefault(t.office_id, []).append(t)
        out = []
        for o in self.overview:
            rows = by_office.get(o.office_id, [])
            out.append((o.name, tuple(sum(1 for t in rows if t.status is s) for s in TASK_STATE_ORDER)))
        return tuple(out)

    @cached_property
    def score_total(self) -> int:
        return sum(a.total for a in self.assessment)

    @cached_property
    def deductions(self) -> int:
        return sum(1 for a in self.assessment for i in a.items if i.points < 0)

    @cached_property
    def referred_total(self) -> int:
        return sum(a.referred for a in self.assessment)
