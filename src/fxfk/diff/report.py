"""What ``fxfk diff`` found (:func:`fxfk.diff.compare.compare`): plain dataclasses and enums, no
wording but the violations' messages; the renderers are :mod:`fxfk.render.diff`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from fxfk.diagnostics import Diagnostic
from fxfk.models import Level, Status
from fxfk.models.enums import LEVEL_ORDER
from fxfk.rules.levels import Explanation


class Change(Enum):
    """What happened to a batch, a task table or a task."""

    added = "added"
    removed = "removed"
    changed = "changed"


class Rule(Enum):
    """A review rule of ``--fail-on``; ``unreadable`` is broken when a rule cannot be checked at all."""

    level_down = "level-down"
    unpublish = "unpublish"
    unreadable = "unreadable"


FAIL_ON_RULES = (Rule.level_down, Rule.unpublish)  # the ones a user can ask for


@dataclass(frozen=True)
class SideSummary:
    label: str  # how the user named it: a revision, or 工作区
    commit: str | None  # None = the work tree
    errors: int
    unreadable: list[str]
    first_errors: list[Diagnostic]  # the first five

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PointSummary:
    """An added or removed point."""

    id: str
    office: str
    title: str
    level: Level
    status: Status
    public: bool


@dataclass(frozen=True)
class LevelChange:
    old: Level
    new: Level
    old_clause: Explanation  # what 附件1 一 says each side's facts make the level
    new_clause: Explanation
    level_reason: str  # the new side's, stripped

    @property
    def lowered(self) -> bool:
        return LEVEL_ORDER[self.new] > LEVEL_ORDER[self.old]


@dataclass(frozen=True)
class Transition:
    """A value before and after: a status, or whether the point is public."""

    old: Any
    new: Any


@dataclass(frozen=True)
class ListChange:
    """Entries of a list by their text: added, removed, or (neither) only edited in place."""

    added: list[str]
    removed: list[str]
    edited: bool


@dataclass
class PointChange:
    id: str
    office: str  # the new side's
    title: str  # the new side's
    level: LevelChange | None = None
    status: Transition | None = None  # of Status
    public: Transition | None = None  # of bool
    basis: ListChange | None = None
    measures: ListChange | None = None
    fields: list[str] = field(default_factory=list)  # other fields that changed

    @property
    def retired(self) -> bool:
        return self.status is not None and self.status.new is Status.retired


@dataclass(frozen=True)
class BatchChange:
    office: str
    batch: int
    change: Change
    old_date: dt.date | None
    new_date: dt.date | None
    scheduled: bool  # dated after the day: its points are not public yet


@dataclass(frozen=True)
class TaskChange:
    id: str
    change: Change
    text: str
    fields: dict[str, Transition] | None  # changed rows: field → plain old and new values


@dataclass(frozen=True)
class TaskTableChange:
    year: int
    change: Change
    tasks: list[TaskChange]
    scoring: ListChange | None


@dataclass(frozen=True)
class Office:
    id: str
    name: str


@dataclass(frozen=True)
class Violation:
    rule: Rule
    id: str | None
    message: str


@dataclass
class DiffReport:
    base: SideSummary
    head: SideSummary
    date: dt.date
    levels: Transition  # the number of risk levels (settings), base → head
    offices_added: list[Office]
    offices_removed: list[Office]
    added: list[PointSummary]
    removed: list[tuple[PointSummary, bool]]  # with whether it had been published
    retired: list[PointChange]
    changed: list[PointChange]
    becomes_public: list[str]
    no_longer_public: list[str]
    batches: list[BatchChange]
    tasks: list[TaskTableChange]
    skipped_files: list[str]
    fail_on: list[Rule]
    violations: list[Violation]

    @property
    def empty(self) -> bool:
        """The data's content did not change."""
        return not (self.added or self.removed or self.retired or self.changed or self.batches or self.tasks
                    or self.offices_added or self.offices_removed) and self.levels.old == self.levels.new
