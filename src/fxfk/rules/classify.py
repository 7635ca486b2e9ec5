"""`fxfk classify` as a library: explain every point's level and warn; nothing here renders.

For every risk point: the level 附件1 一 gives (:func:`fxfk.rules.levels.explain`), the clause that decided
it in the notice's own words, the facts that triggered it, the declared level and whether they agree,
disagree, or disagree with a ``level_reason``. Hotspot warnings and cross-office inconsistencies come
from :mod:`fxfk.rules.hotspots`; the text, JSON, CSV and Markdown are :mod:`fxfk.render.classify`;
fixing the files is :mod:`fxfk.edit.level_lines`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import Enum
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.errors import DataRefused, FxfkError
from fxfk.load.facts import BasisFacts
from fxfk.load.gcpause import gc_paused
from fxfk.load.repository import Repository, SourceFile
from fxfk.load.views import FactorView, PlainView, RiskView, plain_view, risk_views, views_of
from fxfk.models import Level, Register, Risk
from fxfk.models.register import attention_rank
from fxfk.options import Options
from fxfk.rules import validation
from fxfk.rules.hotspots import (
    Cluster,
    HotspotWarning,
    Inconsistency,
    Point,
    area_word,
    clusters,
    hotspot_warnings,
    inconsistencies,
    latest_year,
)
from fxfk.rules.levels import Explanation, explain


class LevelStatus(str, Enum):
    """How a point's declared level relates to the rules' level (the JSON ``status`` tokens)."""

    agrees = "agrees"
    explained = "explained"  # differs, with a level_reason
    disagrees = "disagrees"
    missing = "missing"

    @property
    def label(self) -> str:
        return _LABEL[self]

    @property
    def ok(self) -> bool:
        """Nothing to do: the declared level agrees, or differs with a reason."""
        return self in (LevelStatus.agrees, LevelStatus.explained)


_LABEL = {
    LevelStatus.agrees: "一致",
    LevelStatus.explained: "有说明",
    LevelStatus.disagrees: "不一致",
    LevelStatus.missing: "未填写",
}

REFUSAL = "以下错误使 fxfk classify 无法可靠地分级（风险点会被漏掉或无法区分）；请先修正（fxfk validate 可查看全部问题）："

# Findings that are this command's own subject: they are reported (and fixed by --write), not refused.
_LEVEL_PATH = re.compile(r"risks\[(\d+)\]\.level")
_OWN_CODES = {"level-mismatch", "medium-in-two-levels"}
_MISSING_CODES = {"missing-field", "bad-enum"}
_BLOCKING_CODES = {"duplicate-risk-id", "duplicate-office-id"}


def _is_own(d: Diagnostic) -> bool:
    if d.code in _OWN_CODES:
        return d.path.endswith(".level")
    return d.code in _MISSING_CODES and bool(_LEVEL_PATH.fullmatch(d.path))


@dataclass(frozen=True, eq=False, slots=True)  # (slots: 150,000 of them on a province's data)
class Row:
    point: Point
    explanation: Explanation
    status: LevelStatus
    invalid: str = ""  # why the declared value cannot stand even with a reason (two-level mode)

    @property
    def risk(self) -> Risk:
        return self.point.risk

    @property
    def declared(self) -> Level | None:
        return self.point.declared

    @property
    def computed(self) -> Level:
        return self.explanation.level

    @property
    def ok(self) -> bool:
        return self.status.ok

    @property
    def needs_write(self) -> bool:
        return not self.ok


@dataclass
class Classification:
    repo: Repository
    levels: int
    rows: list[Row]  # after filters
    year: int | None  # latest year with cases, city-wide
    warnings: list[HotspotWarning]  # for the rows shown
    inconsistencies: list[Inconsistency]  # touching the rows shown
    by_domain: list[Cluster] = field(default_factory=list)
    by_office: list[Cluster] = field(default_factory=list)
    _findings: dict[int, list[tuple[str, str]]] | None = field(default=None, init=False, repr=False)

    @property
    def ok(self) -> bool:
        return all(status.ok for status in set(map(_STATUS, self.rows)))

    def count(self, status: LevelStatus) -> int:
        return list(map(_STATUS, self.rows)).count(status)

    def findings(self, row: Row) -> list[tuple[str, str]]:
        """(code, message) of the hotspot warnings and inconsistencies concerning one row."""
        if self._findings is None:  # by point, worked out once: every row asks (150,000 on a province's data)
            found: dict[int, list[tuple[str, str]]] = {}
            for w in self.warnings:
                found.setdefault(id(w.point), []).append((w.code, w.message))
            for g in self.inconsistencies:
                item = ("inconsistent-level", g.message)
                for m in dict.fromkeys(id(m) for m in g.members):
                    found.setdefault(m, []).append(item)
            self._findings = found
        return list(self._findings.get(id(row.point), ()))


_STATUS, _REL = attrgetter("status"), attrgetter("point.source.rel")


def office_groups(rows: list[Row]) -> list[tuple[Point, list[Row]]]:
    """The rows per register, in file name order, each with its first point (naming the office)."""
    groups = [list(same) for _, same in groupby(sorted(rows, key=_REL), _REL)]  # (stable: each file's order kept)
    return [(rs[0].point, rs) for rs in groups]


def level_columns(levels: int) -> list[Level]:
    return [Level.high, Level.low] if levels == 2 else [Level.high, Level.medium, Level.low]


# --- loading ----------------------------------------------------------------------------------


Views = dict[str, "tuple[RiskView, ...]"]  # each register's points (by its rel), see fxfk.load.views


def load(root: Path, options: Options | None = None) -> tuple[Repository, set[tuple[str, int]], Views]:
    """The repository (facts only), the points whose level is missing or invalid, and every valid
    register's points as views; raises DataRefused when an error would make the table wrong.

    A register whose only errors are missing or invalid ``level`` values is still classified (that is
    what ``--write`` fills in): it is validated with a placeholder level, and those points are
    remembered as undeclared. Any other error blocks, since the table would silently miss points.
    No full model is kept but those (rare) placeholder ones: the views hold what classify shows.
    """
    options = options or Options()
    repo = validation.load(root, options, facts_only=True)  # registers checked as parsed, and cached
    if not repo.files:
        raise FxfkError(f"“{root}”中没有找到数据文件（fxfk.yaml、data/risks/*.yaml、data/tasks/*.yaml）")
    undeclared: set[tuple[str, int]] = set()
    plain: dict[str, PlainView | None] = {}
    for src in repo.registers:
        loaded = src.loaded
        if src.facts is not None or loaded.data is None:
            continue
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        if not errors or not all(d.code in _MISSING_CODES and _LEVEL_PATH.fullmatch(d.path) for d in errors):
            continue
        patched = copy.deepcopy(loaded.data)
        indexes = {int(m[1]) for d in errors if (m := _LEVEL_PATH.fullmatch(d.path))}  # (all match)
        try:
            for i in indexes:
                patched["risks"][i]["level"] = "high"
            src.model = Register.model_validate(patched)
        except (ValidationError, KeyError, IndexError, TypeError):
            continue
        plain[src.rel] = plain_view(patched, loaded.locate)
        undeclared |= {(src.rel, i) for i in indexes}
    # Only what would make the table wrong blocks: a register or fxfk.yaml that cannot be read (its
    # points would silently be missing, or the number of levels would be wrong) and ambiguous ids.
    # Everything else (task tables, consultation records …) is fxfk validate's business.
    unreadable = {src.rel for src in repo.registers if src.facts is None}
    if repo.settings_file is not None and repo.settings_file.model is None:
        unreadable.add(repo.settings_file.rel)
    # Only the id checks of the repository-wide rules can block (the others are validate's: running them
    # all cost a third of a classify after one edit on a province's data).
    from fxfk.diagnostics import cap_per_file
    from fxfk.rules.repository import check_office_ids_unique, check_risk_ids_unique, run_checks

    found = repo.diagnostics + run_checks(repo, [check_office_ids_unique, check_risk_ids_unique])
    blocking = [
        d for d in found
        if d.severity == "error" and not _is_own(d) and (d.file in unreadable or d.code in _BLOCKING_CODES)
    ]
    if blocking:
        blocking.sort(key=lambda d: (d.file, d.line, d.column, d.code))
        raise DataRefused(REFUSAL, cap_per_file(blocking), files=len(repo.files))
    valid = [src for src in repo.valid_registers() if src.rel not in plain]
    requests = [(src.rel, src.path, src.stored) for src in valid]
    plain.update(zip((src.rel for src in valid), views_of(requests, options.max_bytes, options.workers())))
    views: Views = {}
    with gc_paused(keep=True):  # 150,000 acyclic views that live as long as the command
        for src in repo.valid_registers():
            view = plain[src.rel]
            if view is None:  # valid a moment ago
                raise FxfkError(f"“{src.rel}”在 fxfk 运行期间被修改或删除；请重新运行")
            views[src.rel] = risk_views(src.valid_facts, view, src.rel)
    return repo, undeclared, views


def model_views(src: SourceFile[Register]) -> tuple[RiskView, ...]:
    """The views of a register from its full model (a repository not loaded by :func:`load`)."""
    model = src.load_model()  # (built now, and not kept, for a register loaded facts_only)
    if model is None:
        raise ValueError(f"{src.rel}: no model")
    return tuple(
        RiskView(r.id, r.title, r.domain, r.level, r.level_reason, r.attention, r.status,
                 cast(FactorView, r.factors), r.cases, cast("tuple[BasisFacts, ...]", r.basis),
                 *src.locate("risks", i, "level"))
        for i, r in enumerate(model.risks)
    )


def level_at(point: Point) -> tuple[int, int]:
    """Line and column of a point's ``level`` (of the point when it has none), as ``point.locate("level")``."""
    risk = point.risk
    if isinstance(risk, RiskView):
        return risk.line, risk.column
    return point.locate("level")


# --- classification ---------------------------------------------------------------------------


def classify_point(point: Point, levels: int, known: dict[Any, Explanation] | None = None) -> Row:
    """The row of one point; ``known``: explanations already worked out, by factors (points share them)."""
    factors = point.risk.factors
    why = known.get(factors) if known is not None else None
    if why is None:
        why = explain(factors, levels)
        if known is not None:
            known[factors] = why
    declared = point.declared
    if declared is None:
        return Row(point, why, LevelStatus.missing)
    if levels == 2 and declared is Level.medium:
        return Row(point, why, LevelStatus.disagrees, "两级划分（levels: 2）不能使用“中”")
    if declared is why.level:
        return Row(point, why, LevelStatus.agrees)
    if point.risk.level_reason.strip():
        return Row(point, why, LevelStatus.explained)
    return Row(point, why, LevelStatus.disagrees)


def _attention_rank(row: Row) -> int:
    return attention_rank(row.point.risk.attention)


def parse_level(text: str, levels: int) -> Level:
    level = Level.lookup().get(text.strip())
    if not isinstance(level, Level):  # (None: no such level; the table holds only Level members)
        raise FxfkError(f"--level“{text}”无效；可用的值：{Level.describe()}")
    if levels == 2 and level is Level.medium:
        raise FxfkError("fxfk.yaml 设定为两级划分（levels: 2，只分高、低），--level 不能是“中”")
    return level


def classify(
    repo: Repository,
    undeclared: AbstractSet[tuple[str, int]] = frozenset(),
    offices: list[str] | None = None,
    level: str | None = None,
    domain: str | None = None,
    views: Views | None = None,
) -> Classification:
    """The classification of ``repo``'s points (``views``: as :func:`load` gives them; else from full models)."""
    with gc_paused(keep=True):  # 150,000 points and rows, acyclic, that live as long as the command
        return _classify(repo, undeclared, offices, level, domain, views)


def _classify(
    repo: Repository, undeclared: AbstractSet[tuple[str, int]], offices: list[str] | None, level: str | None,
    domain: str | None, views: Views | None,
) -> Classification:
    levels = repo.settings.levels
    points: list[Point] = []
    for src in sorted(repo.valid_registers(), key=lambda s: s.rel):  # as hotspots.points_of orders them
        # RiskView mirrors the fields of Risk that classify and the hotspot rules read.
        risks = cast("Sequence[Risk]", views[src.rel] if views is not None else model_views(src))
        gone = {i for rel, i in undeclared if rel == src.rel} if undeclared else ()
        points += [Point(src, i, risk, None if i in gone else risk.level) for i, risk in enumerate(risks)]
    known_offices = sorted({s.valid_facts.office.id for s in repo.valid_registers()})  # (every point's too)
    if offices:
        unknown = [o for o in offices if o not in known_offices]
        if unknown:
            raise FxfkError(
                f"没有单位“{'、'.join(unknown)}”的登记册；已有单位：{'、'.join(known_offices) or '（无）'}"
            )
    wanted_level = parse_level(level, levels) if level is not None else None
    if domain is not None:
        domains = sorted({p.risk.domain.strip() for p in points})
        if domain.strip() not in domains:
            raise FxfkError(f"没有领域为“{domain}”的风险点；已有领域：{'、'.join(domains) or '（无）'}")

    chosen = points
    if offices:
        chosen = [p for p in chosen if p.office_id in offices]
    if domain is not None:
        chosen = [p for p in chosen if p.risk.domain.strip() == domain.strip()]
    known: dict[Any, Explanation] = {}
    rows = [classify_point(p, levels, known) for p in chosen]
    if wanted_level is not None:
        # A point shows under --level L when either its declared or its rule level is L, so that a
        # disagreement is seen from both sides.
        rows = [r for r in rows if wanted_level in (r.declared, r.computed)]

    # Per office (file order), higher 社会关注度 first (附件1 二（一）); otherwise the file's own order.
    # (The rows are in file order already, as the points are: each file's are sorted apart, faster.)
    rows = [r for _, same in groupby(rows, _REL) for r in sorted(same, key=_attention_rank)]
    selected = [r.point for r in rows]
    shown = set(map(id, selected))
    # Rankings and consistency are city-wide; only what concerns the shown points is reported.
    organization = (repo.settings.organization or "").strip() or None  # as validate words them
    warnings = [w for w in hotspot_warnings(points, repo.settings.hotspot, area_word(organization)) if id(w.point) in shown]
    groups = [g for g in inconsistencies(points, organization) if any(id(m) in shown for m in g.members)]
    year = latest_year(points)
    result = Classification(repo, levels, rows, year, warnings, groups)
    if year is not None:
        result.by_domain = clusters(selected, year, "domain", repo.settings.hotspot)
        result.by_office = clusters(selected, year, "office", repo.settings.hotspot)
    return result
