"""`fxfk diff`: what a change means for the registers, not which lines moved.

Both sides are loaded (:mod:`fxfk.diff.side`) from git or the work tree (:mod:`fxfk.diff.git`) and
compared here into a :class:`~fxfk.diff.report.DiffReport`, deciding by enum members, never by the
Chinese labels the renderers (:mod:`fxfk.render.diff`) show.

A register file that does not load on either side is left out: its points are neither "added" nor
"removed", since nothing can be said about them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Sequence, TypeVar

from pydantic import BaseModel

from fxfk.diff.git import default_base, open_git, resolve_revision
from fxfk.diff.report import (
    BatchChange,
    Change,
    DiffReport,
    LevelChange,
    ListChange,
    Office,
    PointChange,
    PointSummary,
    Rule,
    SideSummary,
    TaskChange,
    TaskTableChange,
    Transition,
    Violation,
)
from fxfk.diff.side import Side, load_side
from fxfk.models import Basis, Batch, Register, Risk, Status, Task
from fxfk.models.register import public_on
from fxfk.rules.levels import explain

# --- points --------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@dataclass
class _Point:
    office: str
    risk: Risk
    batches: dict[int, Batch]
    levels: int

    def public_on(self, day: dt.date) -> bool:
        batch = self.batches.get(self.risk.batch) if self.risk.batch is not None else None
        return public_on(self.risk.status is Status.published, batch.date if batch is not None else None, day)

    def summary(self, day: dt.date) -> PointSummary:
        r = self.risk
        return PointSummary(r.id, self.office, r.title, r.level, r.status, self.public_on(day))


def _points(side: Side) -> dict[str, _Point]:
    out: dict[str, _Point] = {}
    for src in side.repo.valid_registers():
        reg = src.valid_model
        batches = {b.id: b for b in reg.batches}
        for risk in reg.risks:
            out.setdefault(risk.id, _Point(reg.office.id, risk, batches, side.repo.settings.levels))
    return out


def _basis_text(b: Basis) -> str:
    law = b.law if b.law.startswith("《") else f"《{b.law}》"
    return f"{b.role.label} {law}{b.article}"


M = TypeVar("M", bound=BaseModel)


def _list_change(old: list[M], new: list[M], show: Callable[[M], str]) -> ListChange | None:
    old_s, new_s = [show(x) for x in old], [show(x) for x in new]
    added = [s for s in new_s if s not in old_s]
    removed = [s for s in old_s if s not in new_s]
    if not added and not removed:
        return None if plain(old) == plain(new) else ListChange([], [], True)
    return ListChange(added, removed, False)


_OTHER_FIELDS = ("title", "domain", "party", "conduct", "harm", "discretion", "factors", "level_reason",
                 "causes", "responsible", "attention", "consultation", "batch", "no_penalty",
                 "no_penalty_condition", "cases")


def _compare_point(rid: str, old: _Point, new: _Point, day: dt.date) -> PointChange | None:
    a, b = old.risk, new.risk
    change = PointChange(rid, new.office, b.title)
    if a.level is not b.level:
        change.level = LevelChange(a.level, b.level, explain(a.factors, old.levels), explain(b.factors, new.levels),
                                   b.level_reason.strip())
    if a.status is not b.status:
        change.status = Transition(a.status, b.status)
    was, now = old.public_on(day), new.public_on(day)
    if was != now:
        change.public = Transition(was, now)
    change.basis = _list_change(a.basis, b.basis, _basis_text)
    change.measures = _list_change(a.measures, b.measures, lambda m: f"{m.kind.label}：{m.text}")
    change.fields = [f for f in _OTHER_FIELDS if plain(getattr(a, f)) != plain(getattr(b, f))]
    if old.office != new.office:
        change.fields.insert(0, "office")
    found = (change.level, change.status, change.public, change.basis, change.measures)
    return change if change.fields or any(x is not None for x in found) else None


# --- batches, task tables, offices ------------------------------------------------------------------


def _batches(side: Side) -> dict[tuple[str, int], dt.date]:
    return {(reg.office.id, b.id): b.date for reg in _models(side) for b in reg.batches}


def _models(side: Side) -> list[Register]:
    return [src.valid_model for src in side.repo.valid_registers()]


def _batch_changes(base: Side, head: Side, skipped: set[str], day: dt.date) -> list[BatchChange]:
    skip_offices = {PurePosixPath(r).stem for r in skipped}
    old, new = _batches(base), _batches(head)
    out = []
    for key in sorted(set(old) | set(new)):
        if key[0] in skip_offices or old.get(key) == new.get(key):
            continue
        kind = Change.added if key not in old else Change.removed if key not in new else Change.changed
        out.append(BatchChange(key[0], key[1], kind, old.get(key), new.get(key), key in new and new[key] > day))
    return out


def _task_text(t: Task) -> str:
    return f"{t.item}：{t.content}（{t.deadline}）"


def _task_sort_key(tid: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in tid.split("."))


def _task_changes(base: Side, head: Side, skipped: set[str]) -> list[TaskTableChange]:
    old_t = {t.year: t for t in (f.valid_model for f in base.repo.valid_task_tables())}
    new_t = {t.year: t for t in (f.valid_model for f in head.repo.valid_task_tables())}
    skip_years = {PurePosixPath(r).stem for r in skipped}
    out = []
    for year in sorted(set(old_t) | set(new_t)):
        if str(year) in skip_years:
            continue
        a, b = old_t.get(year), new_t.get(year)
        if a is not None and b is not None and plain(a) == plain(b):
            continue
        old_rows = {t.id: t for t in (a.tasks if a else [])}
        new_rows = {t.id: t for t in (b.tasks if b else [])}
        rows: list[TaskChange] = []
        for tid in sorted(set(old_rows) | set(new_rows), key=_task_sort_key):
            x, y = old_rows.get(tid), new_rows.get(tid)
            shown = y or x
            if shown is None:  # (never: tid comes from one side or the other)
                continue
            if x is not None and y is not None and plain(x) == plain(y):
                continue
            fields = None
            if x is not None and y is not None:
                fields = {
                    f: Transition(plain(getattr(x, f)), plain(getattr(y, f)))
                    for f in type(x).model_fields if plain(getattr(x, f)) != plain(getattr(y, f))
                }
            kind = Change.added if x is None else Change.removed if y is None else Change.changed
            rows.append(TaskChange(tid, kind, _task_text(shown), fields))
        scoring = _list_change(a.scoring if a else [], b.scoring if b else [],
                               lambda s: f"{s.office} {s.date.isoformat()} {s.points:+d}：{s.reason}")
        kind = Change.added if a is None else Change.removed if b is None else Change.changed
        out.append(TaskTableChange(year, kind, rows, scoring))
    return out


def _offices(side: Side, skip: set[str]) -> dict[str, str]:
    return {s.valid_model.office.id: s.valid_model.office.name for s in side.repo.valid_registers() if s.stem not in skip}


def _side_summary(side: Side) -> SideSummary:
    return SideSummary(side.label, side.commit, side.error_count, side.unreadable, side.errors[:5])


# --- the comparison ----------------------------------------------------------------------------------


def _violations(fail_on: list[Rule], changed: list[PointChange], removed: list[tuple[PointSummary, bool]],
                skipped: set[str]) -> list[Violation]:
    out = []
    if Rule.level_down in fail_on:
        for c in changed:
            lv = c.level
            if lv and lv.lowered and not lv.level_reason:
                out.append(Violation(Rule.level_down, c.id,
                                     f"{c.id} 的风险等级由“{lv.old.label}”降为“{lv.new.label}”，但没有填写 level_reason（定级说明）"))
    if Rule.unpublish in fail_on:
        for p, was_published in removed:
            if was_published:
                out.append(Violation(Rule.unpublish, p.id,
                                     f"{p.id} 已公布，却被直接删除；已公布的风险点应改为 status: retired（已废止），保留记录"))
    if fail_on and skipped:
        out.append(Violation(Rule.unreadable, None,
                             "有文件无法读取（" + "、".join(sorted(skipped)) + "），无法检查 --fail-on 规则；请先修正这些文件"))
    return out


def compare(base: Side, head: Side, day: dt.date, fail_on: Sequence[Rule | str]) -> DiffReport:
    """Every meaningful difference between two sides; ``fail_on`` as rules or their names ("level-down")."""
    asked = [Rule(r) for r in fail_on]
    skipped = set(base.unreadable) | set(head.unreadable)  # their points cannot be compared
    skip_offices = {PurePosixPath(r).stem for r in skipped if r.startswith("data/risks/")}
    old_p, new_p = _points(base), _points(head)

    def comparable(rid: str) -> bool:
        p = new_p[rid] if rid in new_p else old_p[rid]
        # A point whose file failed to load on one side is not "added" or "removed".
        return p.office not in skip_offices

    added = [new_p[rid].summary(day) for rid in sorted(set(new_p) - set(old_p)) if comparable(rid)]
    removed = [(old_p[rid].summary(day), old_p[rid].risk.status is Status.published)
               for rid in sorted(set(old_p) - set(new_p)) if comparable(rid)]
    retired: list[PointChange] = []
    changed: list[PointChange] = []
    for rid in sorted(set(old_p) & set(new_p)):
        c = _compare_point(rid, old_p[rid], new_p[rid], day)
        if c is not None:
            (retired if c.retired else changed).append(c)

    becomes_public = sorted([p.id for p in added if p.public]
                            + [c.id for c in retired + changed if c.public is not None and c.public.new])
    no_longer_public = sorted([p.id for p, _ in removed if p.public]
                              + [c.id for c in retired + changed if c.public is not None and c.public.old])
    old_o, new_o = _offices(base, skip_offices), _offices(head, skip_offices)
    rules = sorted(set(asked), key=lambda r: r.value)
    return DiffReport(
        base=_side_summary(base),
        head=_side_summary(head),
        date=day,
        levels=Transition(base.repo.settings.levels, head.repo.settings.levels),
        offices_added=[Office(k, new_o[k]) for k in sorted(set(new_o) - set(old_o))],
        offices_removed=[Office(k, old_o[k]) for k in sorted(set(old_o) - set(new_o))],
        added=added,
        removed=removed,
        retired=retired,
        changed=changed,
        becomes_public=becomes_public,
        no_longer_public=no_longer_public,
        batches=_batch_changes(base, head, skipped, day),
        tasks=_task_changes(base, head, skipped),
        skipped_files=sorted(skipped),
        fail_on=rules,
        violations=_violations(rules, changed + retired, removed, skipped),
    )


def run_diff(data_root: Path, base: str | None, head: str | None, day: dt.date,
             fail_on: Sequence[Rule | str] = ()) -> DiffReport:
    git = open_git(data_root)
    if base is None:
        base_label, base_commit = default_base(git)
    else:
        base_label, base_commit = base, resolve_revision(git, base)
    head_commit = None if head is None else resolve_revision(git, head)
    head_label = "工作区" if head is None else head
    base_side = load_side(git, data_root, base_label, base_commit, day)
    head_side = load_side(git, data_root, head_label, head_commit, day)
    return compare(base_side, head_side, day, fail_on)
