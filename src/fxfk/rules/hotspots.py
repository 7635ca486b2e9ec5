"""Data-driven early warning and cross-office consistency of risk levels.

附件1 二（五） asks offices to 「分析识别、自动预警、主动介入」 where they can; 附件1 一（一） makes a
violation that is 「某一时段、某一地域、某一行业易发、高发、多发」 high. From ``risks[].cases`` this module
finds points that the case numbers show to be such hotspots while the register does not say so
(``factors.hotspot`` empty), aggregates cases by domain (某一行业) and office (某一地域), and finds the
same conduct — same law and penalty article — graded differently by different offices. Two law
names are the same law when their :func:`fxfk.rules.law_names.law_key` is equal, exactly as the law
catalogue matches them.

The rules, with the settings of ``fxfk.yaml`` ``hotspot:``:

* the *latest year* is the latest year that has a case count anywhere in the city's data;
* **top rule** (the notice's own example, the city's 「十大贴条路段」): a point whose rank by cases in
  the latest year is within ``top`` (ties share a rank, so a tie at the boundary keeps every point
  of it) and whose count is at least ``min_cases`` (and at least 1);
* **rise rule**: a point with at least ``min_cases`` cases in the latest year and at least
  ``rise_ratio`` times the previous year's count; the previous year must be recorded (``0`` counts
  as recorded — from 0 to ``min_cases`` is a sharp rise; an absent year is unknown, not zero).

Retired points (已废止) take part in none of this: they are no longer managed.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence, cast

from fxfk.diagnostics import Diagnostic, format_path
from fxfk.load.facts import RegisterFacts
from fxfk.load.repository import Repository, SourceFile
from fxfk.models import BasisRole, Level, Register, Risk, Status
from fxfk.models.settings import Hotspot
from fxfk.rules.law_names import display_name, law_key

# Where the issuing body's name ends its place name: 郑州市|商务局, 中牟县|商务和工业信息化局.
_BODY = re.compile(r"商务|局|厅|委|办")
_AREA_END = "省市县区旗盟"


def area_word(organization: str | None) -> str:
    """全市, 全县, 全区…: the whole area of the repository's issuing body, from its name.

    A city bureau's repository ranks and lists 全市; one county's (中牟县商务局, 惠济区商务局) 全县 or
    全区; a county-level city's (新郑市商务局) 全市, as it says of itself. The place name is what comes
    before the body's own name (商务局…), and its last 省/市/县/区/旗/盟 says which. Without an
    organization, or one that names no place, it is 全市: fxfk's first user is a city bureau.
    """
    place = _BODY.split((organization or "").strip(), maxsplit=1)[0]
    ends = [ch for ch in place if ch in _AREA_END]
    return "全" + (ends[-1] if ends else "市")


@dataclass(eq=False, slots=True)  # identity: a point is one place in one file; not frozen: cheaper
class Point:
    """One risk point of one register, with the level it declares (None when missing or invalid)."""

    source: SourceFile[Register]
    index: int
    risk: Risk  # or fxfk.load.facts.RiskFacts (see points_of), or fxfk.load.views.RiskView (fxfk classify)
    declared: Level | None

    @property
    def office_id(self) -> str:
        return _facts(self.source).office.id

    @property
    def office_name(self) -> str:
        return _facts(self.source).office.name

    def locate(self, *loc: str | int) -> tuple[int, int]:
        return self.source.loaded.locate(("risks", self.index, *loc))

    def diagnostic(self, loc: tuple[str | int, ...], code: str, message: str) -> Diagnostic:
        line, column = self.locate(*loc)
        return Diagnostic(self.source.rel, line, column, code, "warning", format_path(("risks", self.index, *loc)), message)


def _facts(src: SourceFile[Register]) -> RegisterFacts:
    facts = src.facts
    assert facts is not None, src.rel  # points are made of valid registers only, which all have facts
    return facts


def points_of(repo: Repository) -> list[Point]:
    """Every point of every register that fits its model, in file order (computed once per repository).

    The checks here read only what the facts keep. A point is the full model's risk where one was
    loaded (fxfk classify shows titles and reasons), else the facts' (fxfk validate): they mirror.
    """
    def risks(src: SourceFile[Register]) -> Sequence[Risk]:
        # RiskFacts mirror the fields of Risk these checks read (typed as Risk for them).
        return src.model.risks if src.model is not None else cast("Sequence[Risk]", _facts(src).risks)

    return repo.derived("points", lambda: [
        Point(src, i, risk, risk.level)
        for src in sorted(repo.valid_registers(), key=lambda s: s.rel)
        for i, risk in enumerate(risks(src))
    ])


def managed(points: Iterable[Point]) -> list[Point]:
    return [p for p in points if p.risk.status is not Status.retired]


def latest_year(points: Iterable[Point]) -> int | None:
    return max((max(p.risk.cases) for p in points if p.risk.cases), default=None)


# --- hotspot warnings -------------------------------------------------------------------------


@dataclass(frozen=True)
class HotspotWarning:
    point: Point
    rule: str  # "top" | "rise"
    year: int
    cases: int
    previous: int | None  # cases of year - 1 (rise rule)
    rank: int | None  # rank among the city's points (top rule)
    ranked: int  # how many points were ranked
    settings: Hotspot
    area: str = "全市"  # the repository's area word (fxfk.models.settings.area_word): 全市, 全县, 全区

    @property
    def code(self) -> str:
        return "hotspot-top" if self.rule == "top" else "hotspot-rise"

    @property
    def message(self) -> str:
        s = self.settings
        if self.rule == "top":
            why = (
                f"{self.year}年办结案件 {self.cases} 件，在{self.area} {self.ranked} 个风险点中排第 {self.rank} 位"
                f"（预警线：前 {s.top} 名且不少于 {s.min_cases} 件）"
            )
        elif self.previous:
            why = (
                f"{self.year}年办结案件 {self.cases} 件，是{self.year - 1}年 {self.previous} 件的 "
                f"{self.cases / self.previous:.1f} 倍（预警线：达到上一年的 {s.rise_ratio:g} 倍且不少于 {s.min_cases} 件）"
            )
        else:
            why = (
                f"{self.year}年办结案件从{self.year - 1}年的 0 件增至 {self.cases} 件"
                f"（预警线：达到上一年的 {s.rise_ratio:g} 倍且不少于 {s.min_cases} 件）"
            )
        if self.point.declared is Level.high:
            advice = "申报等级已是高，请在 factors.hotspot 写明何时、何地、何行业高发"
        else:
            advice = "建议在 factors.hotspot 写明高发情况并定为高风险（附件1 一（一）「某一时段、某一地域、某一行业易发、高发、多发的违法行为」）"
        return f"自动预警：{why}，但没有标记为易发、高发、多发（factors.hotspot 为空）；{advice}"

    def diagnostic(self) -> Diagnostic:
        return self.point.diagnostic(("cases",), self.code, self.message)


def _min_cases(settings: Hotspot) -> int:
    return max(settings.min_cases, 1)


def ranks(counts: list[int]) -> dict[int, int]:
    """Competition rank (1 = most cases) of each distinct case count among ``counts``."""
    ordered = sorted(counts)
    # 1 + how many have strictly more: one binary search per distinct count keeps big registers fast.
    return {n: 1 + len(ordered) - bisect.bisect_right(ordered, n) for n in set(ordered)}


def is_top(cases: int, rank: int, settings: Hotspot) -> bool:
    return rank <= settings.top and cases >= _min_cases(settings)


def is_rise(cases: int, previous: int | None, settings: Hotspot) -> bool:
    """The rise rule: ``cases >= rise_ratio × previous`` and ``cases >= min_cases``; previous known."""
    if previous is None:
        return False
    # Compare in integers where possible so 2.0 × 3 == 6 never trips over float rounding.
    return cases >= _min_cases(settings) and cases >= math.ceil(settings.rise_ratio * previous - 1e-9)


def hotspot_warnings(points: list[Point], settings: Hotspot, area: str = "全市") -> list[HotspotWarning]:
    """Warnings for the city's points (``points`` must be all of them: the ranking is city-wide)."""
    city = managed(points)
    year = latest_year(city)
    if year is None:
        return []
    counts = [p.risk.cases.get(year, 0) for p in city]
    rank_of = ranks(counts)
    out: list[HotspotWarning] = []
    minimum = _min_cases(settings)
    for p, n in zip(city, counts):
        if n < minimum or p.risk.factors.hotspot.strip():
            continue  # both rules need min_cases: most points end here
        if is_top(n, rank_of[n], settings):
            out.append(HotspotWarning(p, "top", year, n, None, rank_of[n], len(city), settings, area))
        previous = p.risk.cases.get(year - 1)
        if is_rise(n, previous, settings):
            out.append(HotspotWarning(p, "rise", year, n, previous, None, len(city), settings, area))
    return out


# --- where cases cluster ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    key: str  # domain, or office id
    name: str  # domain, or office name
    points: int
    marked: int  # points marked as hotspot
    previous: int
    latest: int
    share: float  # of the latest year's cases of all points aggregated
    rising: bool  # the rise rule, applied to the sum


def clusters(points: list[Point], year: int, by: str, settings: Hotspot) -> list[Cluster]:
    """Cases of ``year`` and ``year - 1`` summed by ``domain`` or ``office``, most cases first."""
    # key -> [points, marked, latest, previous, previous known, first point]: one pass over the points
    groups: dict[str, list[Any]] = {}
    offices: dict[int, str] = {}  # by id(source): an office id is looked up once per register
    total = 0
    for p in managed(points):
        risk = p.risk
        if by == "domain":
            key = risk.domain.strip()
        else:
            key = offices.get(id(p.source)) or offices.setdefault(id(p.source), p.office_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, 0, 0, 0, False, p]
        latest, previous = risk.cases.get(year, 0), risk.cases.get(year - 1)
        group[0] += 1
        group[1] += bool(risk.factors.hotspot.strip())
        group[2] += latest
        if previous is not None:
            group[3] += previous
            group[4] = True
        total += latest
    out = [
        Cluster(
            key, key if by == "domain" else first.office_name, n, marked, previous, latest,
            latest / total if total else 0.0, is_rise(latest, previous if known else None, settings),
        )
        for key, (n, marked, latest, previous, known, first) in groups.items()
    ]
    out.sort(key=lambda c: (-c.latest, c.key))
    return out


# --- consistency across offices ---------------------------------------------------------------

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def article_key(article: str) -> str:
    return _SPACES.sub("", article)


# A grouped finding names this many points; the rest are counted (fxfk classify lists every one).
EXAMPLES = 5


@dataclass(frozen=True)
class Inconsistency:
    """One conduct (a penalty basis) graded differently by different offices: one finding, however many points.

    At a province's scale a conduct is cited by hundreds of points; naming every one at every one
    made the output grow with the square of the findings. The message gives the levels with their
    counts and a few examples; ``members`` (and ``fxfk classify --format json``, where every member
    carries the finding) has them all.
    """

    articles: tuple[str, ...]  # 《law》article, for the message
    members: tuple[Point, ...]
    organization: str | None = None  # who is asked to set one standard (fxfk.yaml organization)

    def counts(self) -> list[tuple[Level, int]]:
        """(level, how many members declare it), high to low."""
        found: dict[Level, int] = {}
        for p in self.members:
            if p.declared is not None:
                found[p.declared] = found.get(p.declared, 0) + 1
        return [(level, found[level]) for level in Level if level in found]

    def examples(self) -> list[Point]:
        """At most EXAMPLES members: the first of each level, then the next ones in file order."""
        if len(self.members) <= EXAMPLES:
            return list(self.members)
        chosen = {id(p): p for p in (next(p for p in self.members if p.declared is level) for level, _ in self.counts())}
        for p in self.members:
            if len(chosen) >= EXAMPLES:
                break
            chosen.setdefault(id(p), p)
        return sorted(chosen.values(), key=lambda p: (p.source.rel, p.index))

    @property
    def anchor(self) -> Point:
        """Where the finding is shown: the first point of the least common level (the likely outlier)."""
        fewest = min(n for _, n in self.counts())
        rare = {level for level, n in self.counts() if n == fewest}
        return next(p for p in self.members if p.declared in rare)

    @property
    def message(self) -> str:
        offices = len({p.office_id for p in self.members})
        levels = "、".join(f"{level.label} {n} 个" for level, n in self.counts())
        shown = self.examples()
        parts = "；".join(f"{p.office_name}（{p.office_id}）{p.risk.id} 定为{_label(p)}" for p in shown)
        rest = len(self.members) - len(shown)
        more = f"；另有 {rest} 个，完整列表见 fxfk classify --format json" if rest else ""
        who = f"{self.organization}负责法制工作的机构" if self.organization else "市商务局政策法规处"
        return (
            f"同一违法行为（处罚依据 {'、'.join(self.articles)}）在 {offices} 个单位的 {len(self.members)} 个风险点中"
            f"定级不同（{levels}）：{'例如 ' if rest else ''}{parts}{more}；"
            f"请{who}统一定级标准，或在 level_reason 中说明本地差异"
        )

    def diagnostics(self) -> Iterator[Diagnostic]:
        """The one finding of this conduct, at :attr:`anchor`."""
        yield self.anchor.diagnostic(("level",), "inconsistent-level", self.message)


def _label(p: Point) -> str:
    return p.declared.label if p.declared is not None else ""


def inconsistencies(points: list[Point], organization: str | None = None) -> list[Inconsistency]:
    """Groups of points sharing a penalty basis (law + article) whose offices declare different levels."""
    # The same law is the same law_key, as for the law catalogue (fxfk.rules.law_names); it is shown
    # as first written, among the points in register order.
    groups: dict[tuple[str, str], list[Point]] = {}
    shown: dict[str, str] = {}
    # id(basis list) → its distinct penalty keys: facts share one basis tuple among all points that
    # cite the same things, so on a province's data this is worked out a few hundred times, not
    # 150,000 (every basis list stays alive in `points`, so ids are not reused meanwhile).
    penalty_keys: dict[int, tuple[tuple[str, str], ...]] = {}
    for p in managed(points):
        if p.declared is None:
            continue
        basis = p.risk.basis
        keys = penalty_keys.get(id(basis))
        if keys is None:
            penalties = [b for b in basis if b.role is BasisRole.penalty]
            keys = penalty_keys[id(basis)] = tuple(dict.fromkeys(  # a point counts once per article
                (law_key(b.law), article_key(b.article)) for b in penalties
            ))
            for b in penalties:
                shown.setdefault(law_key(b.law), display_name(b.law))
        for key in keys:
            groups.setdefault(key, []).append(p)
    merged: dict[tuple[int, ...], tuple[list[str], list[Point]]] = {}
    for key in sorted(groups):
        members = groups[key]
        # With two offices or more, two different levels always include a pair from different offices.
        if len({p.office_id for p in members}) < 2 or len({p.declared for p in members}) < 2:
            continue
        ordered = sorted(members, key=lambda p: (p.source.rel, p.index))
        ident = tuple(id(p) for p in ordered)
        merged.setdefault(ident, ([], ordered))[0].append(f"《{shown[key[0]]}》{key[1]}")
    return [Inconsistency(tuple(articles), tuple(members), organization) for articles, members in merged.values()]


# --- the checks that `fxfk validate` runs (appended to fxfk.rules.repository.CHECKS) ---------------------


def check_hotspot_early_warning(repo: Repository) -> Iterator[Diagnostic]:
    """附件1 二（五） 自动预警: case numbers show a hotspot the register does not mark."""
    for w in hotspot_warnings(points_of(repo), repo.settings.hotspot, area_word(repo.settings.organization)):
        yield w.diagnostic()


def check_level_consistency_across_offices(repo: Repository) -> Iterator[Diagnostic]:
    """The same conduct (same law and penalty article) graded differently by different offices: one
    finding per conduct (output grows with the findings, not with the points they name)."""
    for group in inconsistencies(points_of(repo), (repo.settings.organization or "").strip() or None):
        yield from group.diagnostics()
