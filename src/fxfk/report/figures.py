"""The figures of the progress and evaluation report, computed from the data (:func:`build_report`);
the dataclasses that hold them are in :mod:`fxfk.report.content`. Nothing here renders.

Definitions (the README repeats them for the reader; the notice is silent on all of them):

* **Offices**: every register, or those chosen with ``--office`` (ids or kinds, as in deadlines).
* **Overview**: risk points by status (all points), and by level (points not retired). 已公布 means
  public on the report date, as everywhere in the report; a point with status published whose batch
  is dated later counts as approved and is shown as 「已审定（批次未到）」 with a note.
* **Funnel** (附件1 二(一)–(四)): *identified* = every point not retired (drafts included: it has
  been 梳理'd); *consulting* = status consulting, approved or published; *approved* = approved or
  published; *published* = public on the report date (status published and its batch dated on or
  before the date — the public list's rule). A point published in a batch still to come counts as
  approved. Each stage contains the next; share published = published / identified.
* **Tasks**: :func:`fxfk.tasks.status.task_statuses` of the year's table, worst state first.
* **Activities**: sum of ``count`` per office and kind, for activities dated in the report year up
  to the report date.
* **Evaluation** (附件1 二(六)), for every point public on the report date: *before* = its cases in
  the year before its batch's publication year; *after* = the mean yearly cases over the recorded
  whole years public: from the year after publication (the publication year itself when the batch
  is dated 1 January) through the last year ended by the report date. A year public for only part
  of it is neither before nor after. Change = after − before; a point whose cases rose (change > 0)
  is flagged 「建议修订完善」; the largest falls are the candidate 典型案例 — both only when the years
  compared hold at least ``settings.evaluation_min_cases`` cases, else the point says 「样本过少」. A
  point without a record for the year before, or without any whole year after, is 无数据.
  Per domain: the sums of before and after over its evaluable points.
  法律遵从度 = corrected / counterparts of guidance activities (in the report year up to the date)
  that name the point (a per-domain figure counts an activity once); 满意度 = satisfied /
  respondents of surveys. A zero denominator is 无数据, never 0%.
* **Assessment** (附件2 row 5): the year's ``scoring`` entries dated on or before the report date;
  a deduction says whether it was passed on for 责任追究 (``referred``), or that this is not recorded.
* **Not yet published** (附件1 二（一）先梳理社会公众关注度高的): every point not retired and not public
  on the report date, per office, higher 社会关注度 first (:func:`fxfk.models.register.attention_rank`),
  then in the register's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import partial
from typing import NamedTuple

from fxfk.dates import chinese_date
from fxfk.errors import FxfkError
from fxfk.load.gcpause import gc_paused
from fxfk.load.parallel import run_in_order
from fxfk.load.repository import Repository, SourceFile
from fxfk.models import Activity, ActivityKind, Level, Office, OfficeKind, Register, Status
from fxfk.models.register import attention_rank, public_on
from fxfk.report.content import (
    FUNNEL_STAGES,
    NO_DATA,
    SCHEDULED,
    TASK_STATE_ORDER,
    TYPICAL_CASES,
    ActivityRow,
    DomainEvaluation,
    Evaluation,
    FunnelRow,
    OfficeAssessment,
    OfficeEvaluation,
    OfficeOverview,
    PendingPoint,
    PointEvaluation,
    Ratio,
    Report,
    ScoreItem,
    number,
    signed,
)
from fxfk.report.sources import OfficeInput, Point, office_input
from fxfk.tasks.status import default_year, select_offices, task_statuses

DEFINITIONS = (
    ("范围", "全部单位，或生成报告时选定的单位（按单位或单位类型选定）；“合计”只合计所选单位。"),
    ("总体情况", "按状态统计全部风险点（含已废止）；按风险等级只统计未废止的风险点。"
              f"“已公布”只计报告日期已经公开的风险点；状态已定为已公布、但所属批次的公布日期在报告日期之后的，"
              f"尚未公开，计入“已审定”，写作“{SCHEDULED}”，并在表下注明。"),
    ("已梳理", "未废止的全部风险点（含草稿）。工作漏斗每一阶段包含其后各阶段："
              "征求意见 = 状态为征求意见、已审定或已公布；已审定 = 已审定或已公布；"
              "已公布 = 报告日期已经公开的风险点（所属批次的公布日期不晚于报告日期，与公开清单口径相同）。"
              "公布率 = 已公布 / 已梳理。"),
    ("年度任务", "与期限提醒口径相同：由各单位的工作记录计算每项任务在报告日期的状态，已逾期、即将到期排在前面。"),
    ("工作开展情况", "报告年度内、不晚于报告日期的工作记录，按单位和类型把每条记录的次数（未填写的按 1 次）相加；"
                "合计为 0 的单位列为“未记录任何工作的单位”。"),
    ("公布前一年 / 公布后", "只评估报告日期已公布的风险点。公布前一年 = 所属批次公布年度的上一年的办结案件数；"
                      "公布后 = 公布后各个整年的办结案件数的年平均数：从公布的次年（1月1日公布的从当年）算起，"
                      "到报告日期前已经结束的最后一年为止，只计有记录的年份。公布当年只有部分时间公开，"
                      "既不算公布前也不算公布后。增减 = 公布后年均 − 公布前一年。缺少任一方的为“无数据”，不参与按行业汇总。"),
    ("样本过少", "比较的各年（公布前一年与公布后各整年）办结案件数合计少于设定的最少案件数（本报告为 {min_cases} 件）的，"
              "增减照列，结论写“样本过少”，不据以建议修订完善或列为典型案例候选。"),
    ("建议修订完善", "公布后年均案件数高于公布前一年（增减 > 0）且样本足够的风险点，按附件1 二（六）“对不适宜的及时修订完善”。"),
    ("典型案例候选", f"公布后年均案件数低于公布前一年、样本足够、降幅最大的 {TYPICAL_CASES} 个以内的风险点（降幅相同按编号），"
                "按附件1 二（六）“对成效明显的编制典型案例”。"),
    ("按行业/领域", "该领域可评估风险点的公布前一年案件数之和与公布后年均案件数之和；上升、下降的个数不计样本过少的风险点。"),
    ("法律遵从度", "报告年度内、不晚于报告日期的行政指导记录中，指导后已纠正的行政相对人之和 / 接受指导的行政相对人之和；"
               "逐个风险点只计列出该风险点的记录，按领域时一条记录只计一次。"),
    ("社会公众满意度", "同期调查记录中，表示满意的人数之和 / 接受调查的人数之和。"),
    ("无数据", "比例的分母为 0，或缺少案件数时，写“无数据”，不写 0%。"),
    ("尚未公布的风险点", f"未废止、且在报告日期还不公开的风险点（草稿、征求意见、已审定，以及{SCHEDULED}）；"
                   "每个单位内社会关注度高的排在前面（高、中、低、未填写），按附件1 二（一）“先梳理社会公众关注度高的违法风险点”。"),
    ("考核加减分", "报告年度任务表所记的考核加减分中，日期不晚于报告日期的各条，加分、扣分分别相加，合计 = 加分 + 扣分。"
              "扣分写明是否已建议有关单位依纪依法进行责任追究（通知 五），未记录的写“是否建议追责未记录”。"),
)


def definitions(min_cases: int) -> tuple[tuple[str, str], ...]:
    """The definitions as the report prints them, with this repository's minimum sample."""
    return tuple((term, text.replace("{min_cases}", str(min_cases))) for term, text in DEFINITIONS)


def _pending(office: str, inp: OfficeInput, date: dt.date) -> list[PendingPoint]:
    out = []
    for risk in sorted(inp.points, key=lambda r: attention_rank(r.attention)):  # stable: file order within
        if risk.status is Status.retired or _public(risk, inp.batches, date):
            continue
        status, note = risk.status.label, ""
        if risk.status is Status.published:
            batch = inp.batches.get(risk.batch) if risk.batch is not None else None
            status = SCHEDULED
            note = f"状态为已公布，所属批次定于{chinese_date(batch)}公布，报告日期尚未公开" if batch else ""
        out.append(PendingPoint(risk.id, risk.title, office, risk.level.label,
                                risk.attention.label if risk.attention else "", status, note))
    return out


def _public(risk: Point, batches: dict[int, dt.date], date: dt.date) -> bool:
    """The public lists' rule (:func:`fxfk.models.register.public_on`) on a report's point."""
    return public_on(risk.status is Status.published, batches.get(risk.batch) if risk.batch is not None else None, date)


def funnel_stage(risk: Point, batches: dict[int, dt.date], date: dt.date) -> int:
    """How far along the funnel a point got: -1 retired, 0 identified … 3 published on ``date``."""
    if risk.status is Status.retired:
        return -1
    if _public(risk, batches, date):
        return 3
    return {Status.draft: 0, Status.consulting: 1}.get(risk.status, 2)


def _counted(activity: Activity, year: int, date: dt.date) -> bool:
    return activity.date.year == year and activity.date <= date


def _guidance_ratio(activities: Iterable[Activity]) -> Ratio:
    acts = [a for a in activities if a.kind is ActivityKind.guidance and a.counterparts is not None]
    return Ratio(sum(a.corrected or 0 for a in acts), sum(a.counterparts or 0 for a in acts))


def _survey_ratio(activities: Iterable[Activity]) -> Ratio:
    acts = [a for a in activities if a.kind is ActivityKind.survey and a.respondents is not None]
    return Ratio(sum(a.satisfied or 0 for a in acts), sum(a.respondents or 0 for a in acts))


def _overview(office: Office, inp: OfficeInput, levels: tuple[Level, ...], date: dt.date) -> OfficeOverview:
    points = inp.points
    live = [r for r in points if r.status is not Status.retired]
    scheduled = sum(1 for r in points if r.status is Status.published and not _public(r, inp.batches, date))

    def count(status: Status) -> int:  # 已公布 as the public lists and the funnel count it
        n = sum(1 for r in points if r.status is status)
        return n - scheduled if status is Status.published else n + scheduled if status is Status.approved else n

    return OfficeOverview(
        office_id=office.id, name=office.name, kind=office.kind.label,
        by_level=tuple(sum(1 for r in live if r.level is lv) for lv in levels),
        by_status=tuple(count(st) for st in Status),
        total=len(points), scheduled=scheduled,
    )


def _funnel(name: str, stages: list[int]) -> FunnelRow:
    return FunnelRow(name, *(sum(1 for s in stages if s >= k) for k in range(4)))


def whole_years_after(published: dt.date, date: dt.date) -> range:
    """The years a point published on ``published`` was public from 1 January to 31 December, up to ``date``."""
    first = published.year if (published.month, published.day) == (1, 1) else published.year + 1
    last = date.year if (date.month, date.day) == (12, 31) else date.year - 1
    return range(first, last + 1)


def _evaluate_point(risk: Point, office: str, batch_date: dt.date, date: dt.date, acts: list[Activity],
                    min_cases: int) -> PointEvaluation:
    year = batch_date.year
    years = whole_years_after(batch_date, date)
    after = tuple(sorted((y, n) for y, n in risk.cases.items() if y in years))
    return PointEvaluation(
        risk_id=risk.id, title=risk.title, office=office, domain=risk.domain,
        level=risk.level.label, published=batch_date, before_year=year - 1,
        before=risk.cases.get(year - 1), after=after,
        compliance=_guidance_ratio(a for a in acts if risk.id in a.risks), min_cases=min_cases,
    )


def _evaluate_domains(points: list[PointEvaluation], acts: list[Activity]) -> tuple[DomainEvaluation, ...]:
    # Grouped in one pass over the points and one over the activities (a province has dozens of domains).
    by_domain: dict[str, list[PointEvaluation]] = {}
    for p in points:
        by_domain.setdefault(p.domain, []).append(p)
    domain_of = {p.risk_id: p.domain for p in points}
    acts_of: dict[str, list[Activity]] = {}
    for a in acts:
        for domain in {domain_of[r] for r in a.risks if r in domain_of}:  # an activity counts once per domain
            acts_of.setdefault(domain, []).append(a)
    out = []
    for domain in sorted(by_domain):
        mine = by_domain[domain]
        known = [p for p in mine if p.change is not None]
        out.append(
            DomainEvaluation(
                domain=domain, points=len(mine), evaluable=len(known),
                # (known: before and after_mean are set)
                before=sum(p.before or 0 for p in known), after=sum((p.after_mean or Fraction(0) for p in known), Fraction(0)),
                rising=sum(1 for p in known if p.rising),
                falling=sum(1 for p in known if not p.too_few and (p.change or 0) < 0),
                compliance=_guidance_ratio(acts_of.get(domain, ())),
            )
        )
    return tuple(out)


class _OfficeFigures(NamedTuple):
    """What one register adds to the report (computed while its full model is at hand)."""

    overview: OfficeOverview
    pending: list[PendingPoint]
    stages: list[int]
    funnel: FunnelRow
    activities: ActivityRow
    evaluation: OfficeEvaluation
    acts: list[Activity]
    points: list[PointEvaluation]


def _office_figures(inp: OfficeInput, levels: tuple[Level, ...], year: int, date: dt.date, min_cases: int) -> _OfficeFigures:
    office, batches = inp.register.office, inp.batches
    stages = [funnel_stage(r, batches, date) for r in inp.points]
    acts = [a for a in inp.register.activities if _counted(a, year, date)]
    points = []
    for risk in inp.points:
        batch = batches.get(risk.batch) if risk.batch is not None else None
        if batch is not None and _public(risk, batches, date):
            points.append(_evaluate_point(risk, office.name, batch, date, acts, min_cases))
    return _OfficeFigures(
        _overview(office, inp, levels, date), _pending(office.name, inp, date), stages, _funnel(office.name, stages),
        ActivityRow(office.id, office.name, tuple(sum(a.count for a in acts if a.kind is k) for k in ActivityKind)),
        OfficeEvaluation(office.name, _guidance_ratio(acts), _survey_ratio(acts)), acts, points,
    )


def build_report(repo: Repository, date: dt.date, year: int | None = None, offices: Sequence[str] | None = None,
                 workers: int = 1) -> Report:
    """Every figure of the report for ``date``; ``year`` picks the task table (default as deadlines).

    Each register's figures are computed from its :class:`~fxfk.report.sources.OfficeInput` (facts,
    titles, office and activities: no full model on the way when the cache has its data), in
    ``workers`` processes when there are many; only the figures, the office and the activities come back.
    """
    year = year if year is not None else default_year(repo, date)
    levels = tuple(lv for lv in Level if repo.settings.levels == 3 or lv is not Level.medium)
    min_cases = repo.settings.evaluation_min_cases

    def one(src: SourceFile[Register]) -> list[tuple[_OfficeFigures, Register]]:
        inp = office_input(src)
        return [] if inp is None else [(_office_figures(inp, levels, year, date, min_cases), inp.register)]

    # Acyclic figures that live as long as the command (workers fork inside the pause: theirs too).
    with gc_paused(keep=True):
        done = run_in_order([partial(one, src) for src in repo.valid_registers()], workers)
    figures = {reg.office.id: f for f, reg in done}
    slim = [reg for _, reg in done]  # without their points: what the task statuses and office list read
    order = {o.id: k for k, o in enumerate(select_offices(repo, offices, slim))}
    registers = sorted((r for r in slim if r.office.id in order), key=lambda r: order[r.office.id])
    statuses = task_statuses(repo, year, date, offices, registers=slim)
    # worst first; within a state the earliest deadline first; ties keep the table's order
    statuses = sorted(statuses, key=lambda t: (-t.status.severity, t.due or dt.date.max))
    table = repo.task_table(year)
    if table is None:
        raise FxfkError(f"没有 {year} 年的任务表：请在 data/tasks/{year}.yaml 中写年度工作任务表")

    overview, funnel, activities, all_stages, points, office_evals, year_acts = [], [], [], [], [], [], []
    pending: list[PendingPoint] = []
    for reg in registers:
        f = figures[reg.office.id]
        overview.append(f.overview)
        pending += f.pending
        all_stages += f.stages
        funnel.append(f.funnel)
        year_acts += f.acts
        activities.append(f.activities)
        office_evals.append(f.evaluation)
        points += f.points

    scores = [s for s in table.scoring if s.date <= date]
    assessment = tuple(
        OfficeAssessment(
            reg.office.id, reg.office.name,
            tuple(ScoreItem(s.date, s.points, s.reason, s.referred) for s in sorted(scores, key=lambda s: s.date) if s.office == reg.office.id),
        )
        for reg in registers
    )
    evaluation = Evaluation(
        points=tuple(points), domains=_evaluate_domains(points, year_acts), offices=tuple(office_evals),
        compliance=_guidance_ratio(year_acts), satisfaction=_survey_ratio(year_acts),
    )
    return Report(
        organization=repo.settings.organization or "", date=date, year=year,
        task_title=table.title, task_document=table.document,
        task_columns=tuple((t.id, t.content) for t in table.tasks),
        all_offices=not offices, levels=levels, overview=tuple(overview), funnel=tuple(funnel),
        city_funnel=_funnel("合计", all_stages), tasks=tuple(statuses), activities=tuple(activities),
        evaluation=evaluation, assessment=assessment, unpublished=tuple(pending), min_cases=min_cases,
    )


__all__ = [  # the report's constants and formatters, for report/__init__ and the templates
    "ActivityKind", "DEFINITIONS", "SCHEDULED", "definitions", "whole_years_after", "Evaluation", "FUNNEL_STAGES", "NO_DATA", "OfficeKind", "Ratio", "Report", "Status",
    "TASK_STATE_ORDER", "TYPICAL_CASES", "build_report", "funnel_stage", "number", "signed",
]
