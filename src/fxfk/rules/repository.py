"""Rules that relate files to each other, and rules on task tables (data-format.md, 附件1, 附件2).

Each rule is a small named function ``check_<rule>(repo)`` that yields diagnostics; ``CHECKS``
lists them in the order they run. They only look at files whose shape is valid, so one broken
file never stops the others from being checked. Rules on one register at a time are in
:mod:`fxfk.rules.register`.

On registers the rules here read only ``src.facts`` (:mod:`fxfk.load.facts`), so ``fxfk validate`` can
run them on the facts of 3,000 registers without building their full models.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

from fxfk.diagnostics import Diagnostic
from fxfk.load.gcpause import gc_paused
from fxfk.load.repository import Repository, SourceFile
from fxfk.load.yamlload import Loc
from fxfk.models import OfficeKind, Register
from fxfk.models.text import echo
from fxfk.models.types import OFFICE_ID_PATTERN, is_windows_reserved, windows_reserved_message
from fxfk.rules.hotspots import check_hotspot_early_warning, check_level_consistency_across_offices
from fxfk.rules.laws import LAW_CHECKS
from fxfk.rules.register import check_register, diag
from fxfk.tasks.deadline import DeadlineError, parse_deadline


def _where(source: SourceFile[Any], loc: Loc) -> str:
    line, column = source.loaded.locate(loc)
    return f"{source.rel}:{line}:{column}"


def check_file_names_portable(repo: Repository) -> Iterator[Diagnostic]:
    """No data file named after a Windows device (con.yaml, NUL.yaml…): it cannot be checked out there."""
    for src in repo.files:
        # A register named con.yaml with `id: con` already has this error, located at the id.
        said = any(d.code == "windows-reserved-name" for d in src.loaded.diagnostics)
        if is_windows_reserved(src.path.name) and not said:
            yield Diagnostic(src.rel, 1, 1, "windows-reserved-name", "error", "", windows_reserved_message("文件名", src.stem))


def check_office_id_matches_file_name(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_registers():
        if src.valid_facts.office.id != src.stem:
            # Never advise an id the models refuse (a reserved name, or a stem that is not an id).
            if is_windows_reserved(src.stem):
                other = ""  # reported on its own (windows-reserved-name)
            elif re.fullmatch(OFFICE_ID_PATTERN, src.stem):
                other = f"，或把 id 改为 {echo(src.stem)}"
            else:  # 惠济区商务局.yaml: the stem is no id, so only the rename is a valid fix
                other = "（单位标识只能用小写字母、数字和连字符，通常是单位名称的拼音，如 huiji）"
            yield diag(
                src, ("office", "id"), "office-id-file-name",
                f"单位标识“{src.valid_facts.office.id}”与文件名“{echo(src.path.name)}”不一致；"
                f"请把文件改名为 {src.valid_facts.office.id}{src.path.suffix}{other}",
            )


def check_office_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    first: dict[str, SourceFile[Register]] = {}
    for src in repo.valid_registers():
        oid = src.valid_facts.office.id
        if oid in first:
            yield diag(src, ("office", "id"), "duplicate-office-id",
                       f"单位标识“{oid}”已被 {_where(first[oid], ('office', 'id'))} 使用；每个单位只能有一个登记册")
        else:
            first[oid] = src


def check_risk_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    first: dict[str, tuple[SourceFile[Register], int]] = {}
    for src in repo.valid_registers():
        for i, risk in enumerate(src.valid_facts.risks):
            if risk.id in first:
                other, j = first[risk.id]
                yield diag(
                    src, ("risks", i, "id"), "duplicate-risk-id",
                    f"风险点编号“{risk.id}”重复：{_where(other, ('risks', j, 'id'))} 已使用；编号在所有登记册中必须唯一",
                )
            else:
                first[risk.id] = (src, i)


def check_activity_references(repo: Repository) -> Iterator[Diagnostic]:
    """Activity ``risks`` name existing points; ``task`` names a row of the activity's year's table."""
    risk_ids = {r.id for src in repo.valid_registers() for r in src.valid_facts.risks}
    tables = {f.valid_model.year: f.model for f in repo.valid_task_tables()}
    for src in repo.valid_registers():
        for i, act in enumerate(src.valid_facts.activities):
            for j, rid in enumerate(act.risks):
                if rid not in risk_ids:
                    yield diag(src, ("activities", i, "risks", j), "unknown-risk",
                               f"风险点“{echo(rid)}”在任何登记册中都不存在")
            if act.task is None:
                continue
            table = tables.get(act.date.year)
            if table is None:
                yield diag(src, ("activities", i, "task"), "no-task-table",
                           f"活动日期是 {act.date.year} 年，但没有 data/tasks/{act.date.year}.yaml 任务表，无法对应任务“{echo(act.task)}”")
            elif act.task not in {t.id for t in table.tasks}:
                known = "、".join(dict.fromkeys(t.id for t in table.tasks))
                yield diag(src, ("activities", i, "task"), "unknown-task",
                           f"{table.year} 年任务表中没有序号“{echo(act.task)}”；已有序号：{known}")


def check_task_table_year_matches_file_name(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        if src.stem != str(src.valid_model.year):
            yield diag(src, ("year",), "task-year-file-name",
                       f"年度 {src.valid_model.year} 与文件名“{src.path.name}”不一致；任务表文件应命名为 {src.valid_model.year}.yaml")


def check_task_ids_unique(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        seen: dict[str, int] = {}
        for i, task in enumerate(src.valid_model.tasks):
            if task.id in seen:
                yield diag(src, ("tasks", i, "id"), "duplicate-task-id",
                           f"任务序号“{task.id}”重复（tasks[{seen[task.id]}] 已使用）")
            else:
                seen[task.id] = i


def check_deadlines_parse(repo: Repository) -> Iterator[Diagnostic]:
    for src in repo.valid_task_tables():
        for i, task in enumerate(src.valid_model.tasks):
            try:
                parse_deadline(task.deadline, src.valid_model.year)
            except DeadlineError as exc:
                yield diag(src, ("tasks", i, "deadline"), "bad-deadline", str(exc))


def _known_office_ids(repo: Repository) -> set[str]:
    # A register that failed to load still names its office by its file name: references to it
    # are not reported again (its own errors already are).
    return {src.valid_facts.office.id for src in repo.valid_registers()} | {src.stem for src in repo.registers}


def check_task_offices_exist(repo: Repository) -> Iterator[Diagnostic]:
    office_ids = _known_office_ids(repo)
    kinds = {k.value for k in OfficeKind} | {k.label for k in OfficeKind}
    for src in repo.valid_task_tables():
        for i, task in enumerate(src.valid_model.tasks):
            for j, name in enumerate(task.offices or ()):
                if name not in office_ids and name not in kinds:
                    yield diag(src, ("tasks", i, "offices", j), "unknown-office",
                               f"“{echo(name)}”既不是已有的单位标识，也不是单位类型（county/division/affiliate）")


def check_scoring_offices_exist(repo: Repository) -> Iterator[Diagnostic]:
    office_ids = _known_office_ids(repo)
    for src in repo.valid_task_tables():
        for i, score in enumerate(src.valid_model.scoring):
            if score.office not in office_ids:
                yield diag(src, ("scoring", i, "office"), "unknown-office",
                           f"加减分记录的单位“{echo(score.office)}”没有登记册（data/risks/{echo(score.office)}.yaml 不存在）")
            if score.points == 0:
                yield diag(src, ("scoring", i, "points"), "zero-points",
                           "分值为 0：加分写正数，扣分写负数", severity="warning")


def check_task_counts(repo: Repository) -> Iterator[Diagnostic]:
    """A row needing several kinds (``counts`` as a mapping) gives each kind's target there, not in ``target``."""
    for src in repo.valid_task_tables():
        for i, task in enumerate(src.valid_model.tasks):
            needs = task.needs()
            if needs is not None and task.target is not None:
                each = "、".join(f"{kind.value}: {n}" for kind, n in needs.items())
                yield diag(src, ("tasks", i, "target"), "target-with-kinds",
                           f"counts 已按类型写明各自的次数（{each}），target 不再适用；"
                           "请删去 target，或把次数写进 counts 的对应类型")


def check_scoring_referred(repo: Repository) -> Iterator[Diagnostic]:
    """``referred`` records 建议有关单位依纪依法进行责任追究, which the notice attaches to deductions only."""
    for src in repo.valid_task_tables():
        for i, score in enumerate(src.valid_model.scoring):
            if score.referred and score.points > 0:
                yield diag(src, ("scoring", i, "referred"), "referred-bonus",
                           f"加分（{score.points:+d}）不能建议追责：referred 只用于扣分"
                           "（正文五“予以扣分，并建议有关单位依纪依法进行责任追究”）；请删去 referred，或改为扣分")


Check = Callable[[Repository], Iterable[Diagnostic]]

CHECKS: list[Check] = [
    check_file_names_portable,
    check_office_id_matches_file_name,
    check_office_ids_unique,
    check_risk_ids_unique,
    check_activity_references,
    check_task_table_year_matches_file_name,
    check_task_ids_unique,
    check_deadlines_parse,
    check_task_offices_exist,
    check_scoring_offices_exist,
    check_task_counts,
    check_scoring_referred,
    check_hotspot_early_warning,
    check_level_consistency_across_offices,
    *LAW_CHECKS,  # data/laws.yaml: cited laws in the catalogue, in force, right number and rank
]


def run_checks(repo: Repository, checks: list[Check] | None = None) -> list[Diagnostic]:
    """Findings of the repository-wide rules, plus the one-register rules of registers not yet checked.

    Registers loaded by :func:`fxfk.load.repository.load_repository` were checked where they were parsed
    (their findings are already among ``repo.diagnostics``); ones built elsewhere (``fxfk diff``) not.
    """
    out: list[Diagnostic] = []
    repo.forget_derived()
    # Hundreds of thousands of acyclic objects on a province's data, kept with the repository.
    with gc_paused(keep=True):
        for source in repo.valid_registers():
            if not source.checked:
                out.extend(check_register(source, repo.settings))
        for check in checks or CHECKS:
            out.extend(check(repo))
    return out

