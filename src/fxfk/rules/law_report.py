"""``fxfk laws``: every catalogue law with the points citing it, the citations of laws not in the
catalogue, and the dated repeals and amendments that touch published points. Computed only; the
renderers are :mod:`fxfk.render.laws`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from fxfk.errors import DataRefused, FxfkError
from fxfk.load.repository import Repository
from fxfk.models import BasisRole, Law, Status
from fxfk.models.register import public_on
from fxfk.rules.law_names import closest, display_name, law_key, match_laws, quoted_names
from fxfk.rules.laws import Catalogue, uses
from fxfk.rules.validation import ValidationResult


@dataclass(frozen=True)
class CitedArticle:
    """One basis entry of a point that cites the law."""

    role: BasisRole
    article: str  # stripped
    number: str  # stripped, "" when the entry gives none


@dataclass
class PointRef:
    """A risk point citing one law, with every basis entry of it that does."""

    office: str
    office_name: str
    risk: str
    title: str
    status: Status
    batch: int | None
    batch_date: dt.date | None
    published: bool
    citations: list[CitedArticle] = field(default_factory=list)

    def public_on(self, day: dt.date) -> bool:
        return public_on(self.published, self.batch_date, day)


@dataclass
class LawEntry:
    """A catalogue law and the points citing it."""

    name: str  # as displayed: the catalogue's name
    law: Law
    points: list[PointRef] = field(default_factory=list)


@dataclass
class UncataloguedLaw:
    """A law the points cite that the catalogue does not list."""

    name: str  # as displayed: the first citation's
    points: list[PointRef] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # closest catalogue names


class ChangeKind(Enum):
    repealed = "repealed"
    amended = "amended"

    @property
    def label(self) -> str:
        return "废止" if self is ChangeKind.repealed else "修订"


@dataclass
class LawChange:
    """A dated change of a cited law and the published points it touches."""

    date: dt.date
    law: Law
    kind: ChangeKind
    points: list[PointRef]


@dataclass
class LawReport:
    day: dt.date
    catalogue: str | None  # data/laws.yaml's path relative to the root, or None when absent
    laws: list[LawEntry]  # catalogue order
    uncatalogued: list[UncataloguedLaw]  # first-cited order
    upcoming: list[LawChange]  # after ``day``: repeals and amendments, by date
    review: list[tuple[PointRef, LawChange]]  # on or before ``day``, after the point's batch date
    unused_only: bool = False


def _point_refs(repo: Repository) -> dict[str, tuple[str, list[PointRef]]]:
    """law key → (name as first cited, points citing it in register order)."""
    out: dict[str, tuple[str, list[PointRef]]] = {}
    current: dict[tuple[str, str, int], PointRef] = {}
    for use in uses(repo):
        key = law_key(use.basis.law)
        name, points = out.setdefault(key, (display_name(use.basis.law), []))
        slot = (key, use.source.rel, use.risk_index)
        ref = current.get(slot)
        if ref is None:
            r = use.risk
            ref = current[slot] = PointRef(use.office, use.office_name, r.id, r.title.strip(), r.status, r.batch,
                                           use.batch_date, use.published)
            points.append(ref)
        ref.citations.append(CitedArticle(use.basis.role, use.basis.article.strip(), (use.basis.number or "").strip()))
    return out


def build_report(repo: Repository, day: dt.date, law: str | None = None, unused: bool = False) -> LawReport:
    """Every catalogue law with the points citing it, the uncatalogued citations, and dated changes.

    Raises FxfkError for ``law`` matching nothing, with the closest names.
    """
    catalogue = Catalogue.of(repo)
    cited = _point_refs(repo)
    entries: list[LawEntry] = []
    seen: set[str] = set()
    for item in catalogue.laws if catalogue else []:
        key = law_key(item.name)
        if key in seen:  # a duplicate entry: validate reports it; list the law once
            continue
        seen.add(key)
        entries.append(LawEntry(display_name(item.name), item, list(cited.get(key, ("", []))[1])))
    catalogue_names = [e.name for e in entries]
    missing = [
        UncataloguedLaw(name, points, closest(name, catalogue_names))
        for key, (name, points) in cited.items() if key not in seen
    ]

    if law is not None:
        every = catalogue_names + [e.name for e in missing]
        chosen = set(match_laws(law, every))
        if not chosen:
            near = closest(law, every, n=5, cutoff=0.4)
            hint = f"；最接近的名称：{quoted_names(near)}" if near else "；fxfk laws 不带 --law 可列出全部法规"
            raise FxfkError(f"法规目录和登记册中都没有与“{law}”相符的法规{hint}")
        entries = [e for e in entries if e.name in chosen]
        missing = [e for e in missing if e.name in chosen]
    if unused:
        entries = [e for e in entries if not e.points]
        missing = []

    upcoming: list[LawChange] = []
    review: list[tuple[PointRef, LawChange]] = []
    for entry in entries if not unused else []:
        known = entry.law
        dated = [(a, ChangeKind.amended) for a in known.amended]
        if known.repealed:
            dated.append((known.repealed, ChangeKind.repealed))
        # by date; an amendment on the day of the repeal comes first
        for when, kind in sorted(dated, key=lambda dk: (dk[0], dk[1] is ChangeKind.repealed)):
            if when > day:
                touched = [p for p in entry.points if p.published and p.batch_date is not None and p.batch_date < when]
                upcoming.append(LawChange(when, known, kind, touched))
            else:
                change = LawChange(when, known, kind, [])
                for p in entry.points:
                    if p.public_on(day) and p.batch_date is not None and p.batch_date < when:
                        change.points.append(p)
                        review.append((p, change))
    upcoming.sort(key=lambda c: (c.date, c.kind is not ChangeKind.repealed, law_key(c.law.name)))
    review.sort(key=lambda pc: (pc[0].office, pc[0].risk, pc[1].date, law_key(pc[1].law.name)))
    rel = repo.laws.rel if catalogue is not None and repo.laws is not None else None
    return LawReport(day, rel, entries, missing, upcoming, review, unused)


def laws_report(result: ValidationResult, day: dt.date, law: str | None = None, unused: bool = False) -> LawReport:
    """``fxfk laws`` on a validated repository: refused (DataRefused) when a file does not load.

    Validation errors do not stop it: a citation of a repealed law is what this report is for.
    """
    repo = result.loaded_repo
    broken = [f.rel for f in repo.files if f.model is None]
    if broken:
        raise DataRefused(
            f"有 {len(broken)} 个文件无法读取，fxfk laws 不在不完整的数据上统计引用；请先修正：",
            [d for d in result.diagnostics if d.file in broken],
        )
    return build_report(repo, day, law=law, unused=unused)
