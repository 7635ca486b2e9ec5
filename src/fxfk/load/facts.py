"""What the cross-file checks need of a register, small enough to cache and load fast.

``fxfk validate`` on a province repository (3,000 registers, 150,000 points) cannot afford to
rebuild every full model just to compare ids across files: a full register costs ~3 ms to
validate or unpickle, its facts a few hundredths of that. The facts are read-only mirrors of the
model: every attribute here has the same name, type and value as in :mod:`fxfk.models.register`.
The repository-wide checks (``fxfk.rules.repository``, ``fxfk.rules.hotspots``, ``fxfk.rules.laws``)
read a register's ``SourceFile.facts``, which every valid register has however it was loaded; with
``facts_only`` its ``model`` is None. ``tests/test_facts.py`` holds the mirror to that promise.

On disk (the cache) and between processes, facts are nested tuples of plain values, which
:mod:`marshal` reads far faster than pickle reads objects.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, TypeAlias

from fxfk.models import BasisRole, Level, OfficeKind, Register, Status


class OfficeFacts(NamedTuple):
    id: str
    name: str
    kind: OfficeKind  # orders the public lists (fxfk.publish.in_kind_order) before any model is built


class BatchFacts(NamedTuple):
    id: int
    date: dt.date


class BasisFacts(NamedTuple):
    role: BasisRole
    law: str
    number: str | None
    article: str
    excerpt: str | None  # fxfk.rules.law_articles: checked against the catalogue's article texts


class FactorFacts(NamedTuple):
    hotspot: str


class RiskFacts(NamedTuple):
    id: str
    domain: str
    level: Level
    status: Status
    batch: int | None
    factors: FactorFacts
    basis: tuple[BasisFacts, ...]
    cases: dict[int, int]
    no_penalty: bool  # fxfk.rules.law_articles: the no-penalty condition's citations and wording
    no_penalty_condition: str


class ActivityFacts(NamedTuple):
    date: dt.date
    task: str | None
    risks: tuple[str, ...]


class RegisterFacts(NamedTuple):
    office: OfficeFacts
    batches: tuple[BatchFacts, ...]
    risks: tuple[RiskFacts, ...]
    activities: tuple[ActivityFacts, ...]


# The plain forms (what marshal stores): dates as ordinals, enums as their tokens.
PlainBasis: TypeAlias = tuple[str, str, str | None, str, str | None]  # role, law, number, article, excerpt
PlainRisk: TypeAlias = tuple[
    str, str, str, str, int | None, str, tuple[PlainBasis, ...], dict[int, int], bool, str
]  # id, domain, level, status, batch, hotspot, basis, cases, no_penalty, no_penalty_condition
PlainFacts: TypeAlias = tuple[
    tuple[str, str, str],  # office id, name, kind
    tuple[tuple[int, int], ...],  # batches: id, date
    tuple[PlainRisk, ...],
    tuple[tuple[int, str | None, tuple[str, ...]], ...],  # activities: date, task, risks
]


def plain_facts(register: Register) -> PlainFacts:
    """The facts of a valid register as plain nested tuples (dates as ordinals, enums as tokens)."""
    return (
        (register.office.id, register.office.name, register.office.kind.value),
        tuple((b.id, b.date.toordinal()) for b in register.batches),
        tuple(
            (
                r.id,
                r.domain,
                r.level.value,
                r.status.value,
                r.batch,
                r.factors.hotspot,
                tuple((b.role.value, b.law, b.number, b.article, b.excerpt) for b in r.basis),
                dict(r.cases),
                r.no_penalty,
                r.no_penalty_condition,
            )
            for r in register.risks
        ),
        tuple((a.date.toordinal(), a.task, tuple(a.risks)) for a in register.activities),
    )


_LEVELS = {m.value: m for m in Level}
_STATUSES = {m.value: m for m in Status}
_ROLES = {m.value: m for m in BasisRole}
_KINDS = {m.value: m for m in OfficeKind}


# The same legal bases are cited by thousands of points: they share one (immutable) tuple, so the
# checks can work each distinct one out once (see fxfk.rules.hotspots.inconsistencies, fxfk.rules.laws).
_BASES: dict[tuple[PlainBasis, ...], tuple[BasisFacts, ...]] = {}
_FACTORS: dict[str, FactorFacts] = {}


def _bases(plain: tuple[PlainBasis, ...]) -> tuple[BasisFacts, ...]:
    found = _BASES.get(plain)
    if found is None:
        found = tuple(
            BasisFacts(_ROLES[role], law, number, article, excerpt) for role, law, number, article, excerpt in plain
        )
        if len(_BASES) < 100_000:
            _BASES[plain] = found
    return found


def _factors(hotspot: str) -> FactorFacts:
    found = _FACTORS.get(hotspot)
    if found is None:
        found = FactorFacts(hotspot)
        if len(_FACTORS) < 100_000:
            _FACTORS[hotspot] = found
    return found


def facts_from_plain(plain: PlainFacts) -> RegisterFacts:
    (office_id, name, kind), batches, risks, activities = plain
    date, new = dt.date.fromordinal, tuple.__new__
    return RegisterFacts(
        OfficeFacts(office_id, name, _KINDS[kind]),
        tuple(BatchFacts(i, date(d)) for i, d in batches),
        tuple(
            new(RiskFacts, (
                rid, domain, _LEVELS[level], _STATUSES[status], batch, _factors(hotspot), _bases(basis), cases,
                no_penalty, condition,
            ))
            for rid, domain, level, status, batch, hotspot, basis, cases, no_penalty, condition in risks
        ),
        tuple(ActivityFacts(date(d), task, rids) for d, task, rids in activities),
    )


def facts_of(register: Register) -> RegisterFacts:
    return facts_from_plain(plain_facts(register))
