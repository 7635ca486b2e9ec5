"""Rules that relate fields and files to each other (data-format.md, 附件1, 附件2).

Each rule is a small named function ``check_<rule>(repo)`` that yields diagnostics; ``CHECKS``
lists them in the order they run. They only look at files whose shape is valid, so one broken
file never stops the others from being checked.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from fxfk.deadline import DeadlineError, parse_deadline
from fxfk.diagnostics import Diagnostic, Severity, format_path
from fxfk.hotspots import check_hotspot_early_warning, check_level_consistency_across_offices
from fxfk.laws import LAW_CHECKS
from fxfk.levels import explain
from fxfk.models import ActivityKind, BasisRole, Level, OfficeKind, Status
from fxfk.repository import Repository, SourceFile

REVIEWED = (Status.approved, Status.published, Status.retired)


def diag(source: SourceFile, loc: tuple, code: str, message: str, severity: Severity = "error", key: bool = False) -> Diagnostic:
    line, column = source.loaded.locate(loc, key=key)
    return Diagnostic(source.rel, line, column, code, severity, format_path(loc), message)


def _where(source: SourceFile, loc: tuple) -> str:
    line, column = source.loaded.locate(loc)
    return f"{source.rel}:{line}:{column}"


def check_office_id_matches_file_name(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        if src.model.office.id != src.stem:
            yield diag(
                src, ("office", "id"), "office-id-file-name",
                f"单位标识“{src.model.office.id}”与文件名“{src.path.name}”不一致；"
                f"请把文件改名为 {src.model.office.id}{src.path.suffix}，或把 id 改为 {src.stem}",
            )


def check_office_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    first: dict[str, SourceFile] = {}
    for src in repo.valid_registers():
        oid = src.model.office.id
        if oid in first:
            yield diag(src, ("office", "id"), "duplicate-office-id",
                       f"单位标识“{oid}”已被 {_where(first[oid], ('office', 'id'))} 使用；每个单位只能有一个登记册")
        else:
            first[oid] = src


def check_risk_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    first: dict[str, tuple[SourceFile, int]] = {}
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            if risk.id in first:
                other, j = first[risk.id]
                yield diag(
                    src, ("risks", i, "id"), "duplicate-risk-id",
                    f"风险点编号“{risk.id}”重复：{_where(other, ('risks', j, 'id'))} 已使用；编号在所有登记册中必须唯一",
                )
            else:
                first[risk.id] = (src, i)


def check_batch_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        seen: dict[int, int] = {}
        for i, batch in enumerate(src.model.batches):
            if batch.id in seen:
                yield diag(src, ("batches", i, "id"), "duplicate-batch-id",
                           f"批次号 {batch.id} 重复（batches[{seen[batch.id]}] 已使用）；同一文件中批次号必须唯一")
            else:
                seen[batch.id] = i


def check_published_risk_has_batch(repo: Repository) -> Iterator[Diagnostic]:
    """A published point names a batch of its own file, dated on or after its consultation end."""
    for src in repo.valid_registers():
        batches = {b.id: b for b in src.model.batches}
        for i, risk in enumerate(src.model.risks):
            if risk.batch is not None and risk.batch not in batches:
                known = "、".join(str(b) for b in sorted(batches)) or "（本文件没有定义批次）"
                yield diag(src, ("risks", i, "batch"), "unknown-batch",
                           f"批次 {risk.batch} 在本文件的 batches 中不存在；已有批次：{known}")
                continue
            if risk.status is Status.published and risk.batch is None:
                yield diag(src, ("risks", i, "status"), "published-without-batch",
                           "状态为已公布，但没有写 batch（公布批次）；请填写本文件 batches 中的批次号")
                continue
            if risk.batch is not None and risk.consultation is not None:
                batch = batches[risk.batch]
                if batch.date < risk.consultation.end:
                    yield diag(
                        src, ("risks", i, "batch"), "batch-before-consultation",
                        f"第{risk.batch}批的公布日期 {batch.date} 早于征求意见截止日期 {risk.consultation.end}；"
                        "应先充分征求意见，再公布（附件1 二（三））",
                    )


def check_reviewed_risk_has_consultation_and_measures(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            if risk.status not in REVIEWED:
                continue
            if risk.consultation is None:
                yield diag(src, ("risks", i, "status"), "consultation-missing",
                           f"状态为“{risk.status.label}”，但没有 consultation（征求意见）记录；"
                           "审定前必须充分征求意见（附件1 二（三））")
            if not risk.measures:
                yield diag(src, ("risks", i, "status"), "measures-missing",
                           f"状态为“{risk.status.label}”，但没有 measures（防控措施）；至少需要一项防控措施（附件1 二（二））")


def check_consultation_figures(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            c = risk.consultation
            if c is None:
                continue
            if c.end < c.start:
                yield diag(src, ("risks", i, "consultation", "end"), "consultation-dates",
                           f"征求意见截止日期 {c.end} 早于开始日期 {c.start}")
            if c.adopted > c.comments:
                yield diag(src, ("risks", i, "consultation", "adopted"), "adopted-exceeds-comments",
                           f"采纳意见数 {c.adopted} 大于收到意见数 {c.comments}")


_GUIDANCE_FIELDS = ("counterparts", "corrected")
_SURVEY_FIELDS = ("respondents", "satisfied")


def check_activity_figures(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        for i, act in enumerate(src.model.activities):
            for name in _GUIDANCE_FIELDS:
                if getattr(act, name) is not None and act.kind is not ActivityKind.guidance:
                    yield diag(src, ("activities", i, name), "field-for-other-kind",
                               f"{name} 只用于行政指导（kind: guidance），本条是“{act.kind.label}”")
            for name in _SURVEY_FIELDS:
                if getattr(act, name) is not None and act.kind is not ActivityKind.survey:
                    yield diag(src, ("activities", i, name), "field-for-other-kind",
                               f"{name} 只用于调查（kind: survey），本条是“{act.kind.label}”")
            if act.corrected is not None:
                if act.counterparts is None:
                    yield diag(src, ("activities", i, "corrected"), "corrected-without-counterparts",
                               "写了 corrected（已纠正数），但没有 counterparts（指导的行政相对人数）")
                elif act.corrected > act.counterparts:
                    yield diag(src, ("activities", i, "corrected"), "corrected-exceeds-counterparts",
                               f"已纠正数 {act.corrected} 大于指导的行政相对人数 {act.counterparts}")
            if act.satisfied is not None:
                if act.respondents is None:
                    yield diag(src, ("activities", i, "satisfied"), "satisfied-without-respondents",
                               "写了 satisfied（满意数），但没有 respondents（调查对象数）")
                elif act.satisfied > act.respondents:
                    yield diag(src, ("activities", i, "satisfied"), "satisfied-exceeds-respondents",
                               f"满意数 {act.satisfied} 大于调查对象数 {act.respondents}")


def check_activity_references(repo: Repository) -> Iterator[Diagnostic]:
    """Activity ``risks`` name existing points; ``task`` names a row of the activity's year's table."""
    risk_ids = {r.id for src in repo.valid_registers() for r in src.model.risks}
    tables = {f.model.year: f.model for f in repo.valid_task_tables()}
    for src in repo.valid_registers():
        for i, act in enumerate(src.model.activities):
            for j, rid in enumerate(act.risks):
                if rid not in risk_ids:
                    yield diag(src, ("activities", i, "risks", j), "unknown-risk",
                               f"风险点“{rid}”在任何登记册中都不存在")
            if act.task is None:
                continue
            table = tables.get(act.date.year)
            if table is None:
                yield diag(src, ("activities", i, "task"), "no-task-table",
                           f"活动日期是 {act.date.year} 年，但没有 data/tasks/{act.date.year}.yaml 任务表，无法对应任务“{act.task}”")
            elif act.task not in {t.id for t in table.tasks}:
                known = "、".join(dict.fromkeys(t.id for t in table.tasks))
                yield diag(src, ("activities", i, "task"), "unknown-task",
                           f"{table.year} 年任务表中没有序号“{act.task}”；已有序号：{known}")


def check_no_penalty_condition(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            if risk.no_penalty and not risk.no_penalty_condition.strip():
                yield diag(src, ("risks", i, "no_penalty"), "no-penalty-condition",
                           "列入免罚清单（no_penalty: true）时必须写明 no_penalty_condition（免罚适用条件），"
                           "例如“1. 违法行为轻微；2. 及时改正；3. 没有造成危害后果”")


def check_basis_has_penalty_or_coercion(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            if risk.factors.unclear_law:
                continue
            if not any(b.role in (BasisRole.penalty, BasisRole.coercion) for b in risk.basis):
                yield diag(src, ("risks", i, "basis"), "basis-without-penalty",
                           "依据中没有处罚依据（role: penalty）或强制依据（role: coercion）；"
                           "公开清单须写明行政处罚和行政强制等依据。法律确无明确规定的，请在 factors 中设 unclear_law: true")


def check_declared_level(repo: Repository) -> Iterator[Diagnostic]:
    """附件1 一: the declared level equals the rules' result unless ``level_reason`` says why."""
    levels = repo.settings.levels
    for src in repo.valid_registers():
        for i, risk in enumerate(src.model.risks):
            if levels == 2 and risk.level is Level.medium:
                yield diag(src, ("risks", i, "level"), "medium-in-two-levels",
                           "fxfk.yaml 设定为两级划分（levels: 2，只分高、低），不能使用“中”；请改为 高 或 低")
                continue
            if risk.attention is Level.medium and levels == 2:
                yield diag(src, ("risks", i, "attention"), "medium-in-two-levels",
                           "fxfk.yaml 设定为两级划分（levels: 2），社会关注度不能使用“中”")
            why = explain(risk.factors, levels)
            if risk.level is not why.level and not risk.level_reason.strip():
                facts = "、".join(f.field for f in why.facts) or "没有设定任何定级事实"
                yield diag(
                    src, ("risks", i, "level"), "level-mismatch",
                    f"申报等级为“{risk.level.label}”，但按{why.clause.ref}「{why.clause.wording}」应为“{why.level.label}”"
                    f"（定级事实：{facts}）；请改为 {why.level.label}，或在 level_reason 中说明理由",
                )


def check_task_table_year_matches_file_name(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        if src.stem != str(src.model.year):
            yield diag(src, ("year",), "task-year-file-name",
                       f"年度 {src.model.year} 与文件名“{src.path.name}”不一致；任务表文件应命名为 {src.model.year}.yaml")


def check_task_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        seen: dict[str, int] = {}
        for i, task in enumerate(src.model.tasks):
            if task.id in seen:
                yield diag(src, ("tasks", i, "id"), "duplicate-task-id",
                           f"任务序号“{task.id}”重复（tasks[{seen[task.id]}] 已使用）")
            else:
                seen[task.id] = i


def check_deadlines_parse(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        for i, task in enumerate(src.model.tasks):
            try:
                parse_deadline(task.deadline, src.model.year)
            except DeadlineError as exc:
                yield diag(src, ("tasks", i, "deadline"), "bad-deadline", str(exc))


def _known_office_ids(repo: Repository) -> set[str]:
    # A register that failed to load still names its office by its file name: references to it
    # are not reported again (its own errors already are).
    return {src.model.office.id for src in repo.valid_registers()} | {src.stem for src in repo.registers}


def check_task_offices_exist(repo: Repository) -> Iterator[Diagnostic]:
    office_ids = _known_office_ids(repo)
    kinds = {k.value for k in OfficeKind} | {k.label for k in OfficeKind}
    for src in repo.valid_task_tables():
        for i, task in enumerate(src.model.tasks):
            for j, name in enumerate(task.offices or ()):
                if name not in office_ids and name not in kinds:
                    yield diag(src, ("tasks", i, "offices", j), "unknown-office",
                               f"“{name}”既不是已有的单位标识，也不是单位类型（county/division/affiliate）")


def check_scoring_offices_exist(repo: Repository) -> Iterator[Diagnostic]:
    office_ids = _known_office_ids(repo)
    for src in repo.valid_task_tables():
        for i, score in enumerate(src.model.scoring):
            if score.office not in office_ids:
                yield diag(src, ("scoring", i, "office"), "unknown-office",
                           f"加减分记录的单位“{score.office}”没有登记册（data/risks/{score.office}.yaml 不存在）")
            if score.points == 0:
                yield diag(src, ("scoring", i, "points"), "zero-points",
                           "分值为 0：加分写正数，扣分写负数", severity="warning")


Check = Callable[[Repository], Iterable[Diagnostic]]

CHECKS: list[Check] = [
    check_office_id_matches_file_name,
    check_office_ids_unique,
    check_risk_ids_unique,
    check_batch_ids_unique,
    check_published_risk_has_batch,
    check_reviewed_risk_has_consultation_and_measures,
    check_consultation_figures,
    check_activity_figures,
    check_activity_references,
    check_no_penalty_condition,
    check_basis_has_penalty_or_coercion,
    check_declared_level,
    check_task_table_year_matches_file_name,
    check_task_ids_unique,
    check_deadlines_parse,
    check_task_offices_exist,
    check_scoring_offices_exist,
    check_hotspot_early_warning,
    check_level_consistency_across_offices,
    *LAW_CHECKS,  # data/laws.yaml: cited laws in the catalogue, in force, right number and rank
]


def run_checks(repo: Repository, checks: list[Check] | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in checks or CHECKS:
        out.extend(check(repo))
    return out

