"""The public view: the only data a public list is ever rendered from.

Templates and writers never see the pydantic models. They get these frozen dataclasses, which
have no field for ``cases``, ``causes``, ``consultation``, ``level_reason``, ``attention``,
``factors`` or activity notes — so not even a custom template in a data repository can print
them (data-format.md, “What is public”).

While building the view we also collect every free text that goes public together with its
source location (``PublicText``), for the safety scan; locations never enter the view itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from fxfk.load.facts import RegisterFacts
from fxfk.load.repository import Repository, SourceFile
from fxfk.load.yamlload import Loc
from fxfk.models import Batch, LawCatalogue, Level, Register, Risk, Status
from fxfk.models.register import RegisterPublicFields, RiskPublicFields, public_on
from fxfk.rules.law_names import display_name, law_key
from fxfk.rules.law_versions import first_offence_wording, no_penalty_ground


@dataclass(frozen=True, slots=True)
class Excerpt:
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """One instrument cited by a point: 《name》（number）第X条、第Y条, with its excerpts.

    (Not the law checks' grouping of equal basis entries, ``fxfk.rules.laws.BasisGroup``.)
    """

    law: str
    number: str
    articles: tuple[str, ...]
    excerpts: tuple[Excerpt, ...]

    @property
    def text(self) -> str:
        number = f"（{self.number}）" if self.number else ""
        return f"《{self.law}》{number}{'、'.join(self.articles)}"


@dataclass(frozen=True, slots=True)
class Tier:
    circumstance: str
    sanction: str


@dataclass(frozen=True, slots=True)
class Measure:
    kind: str  # Chinese label: 建议、疏导、警示……
    text: str


@dataclass(frozen=True, slots=True)
class PublicRisk:
    seq: int  # 序号 within its office's list, continuous across batches
    title: str  # 违法风险点
    level: str  # 高风险 / 中风险 / 低风险
    citations: tuple[Citation, ...]
    discretion_text: str
    tiers: tuple[Tier, ...]
    measures: tuple[Measure, ...]
    responsible: str
    office: str  # office name
    batch: str  # 第一批
    batch_date: dt.date


@dataclass(frozen=True, slots=True)
class NoPenaltyItem:
    seq: int
    title: str  # 事项名称
    citations: tuple[Citation, ...]  # 实施依据: the point's own, then the ground (unless already cited)
    situations: tuple[str, ...]  # 免罚情形
    condition: str  # 适用条件: the facts, as written
    office: str
    ground: Citation | None = None  # 行政处罚法's article on the publication date (fxfk.rules.law_articles)


@dataclass(frozen=True, slots=True)
class Withdrawn:
    title: str
    level: str
    batch: str  # the batch it was first published in


@dataclass(frozen=True, slots=True)
class BatchSection:
    number: int
    label: str  # 第一批
    date: dt.date
    document: str  # 公布文号, may be empty
    risks: tuple[PublicRisk, ...]
    is_first: bool
    added: tuple[str, ...]  # titles new in this batch (only listed for batches after the first)
    withdrawn: tuple[Withdrawn, ...]  # only on the latest batch: points published earlier, now retired


@dataclass(frozen=True, slots=True)
class OfficeList:
    id: str
    name: str
    kind: str
    phone: str
    organization: str  # issuing body: settings.organization, else the office's name
    batches: tuple[BatchSection, ...]
    no_penalty: tuple[NoPenaltyItem, ...]

    @property
    def risks(self) -> tuple[PublicRisk, ...]:
        return tuple(r for b in self.batches for r in b.risks)

    @property
    def latest(self) -> BatchSection | None:
        return self.batches[-1] if self.batches else None


@dataclass(frozen=True, slots=True)
class PublicView:
    organization: str  # may be empty when fxfk.yaml names none
    date: dt.date
    offices: tuple[OfficeList, ...]
    all_offices: bool  # False when --office chose some

    @property
    def risks(self) -> tuple[PublicRisk, ...]:
        return tuple(r for o in self.offices for r in o.risks)

    @property
    def no_penalty(self) -> tuple[NoPenaltyItem, ...]:
        return tuple(i for o in self.offices for i in o.no_penalty)


class PublicText(NamedTuple):
    """A free text that goes public, and where it was written (for the safety net).

    A NamedTuple, not a dataclass: one per public field (hundreds of thousands), all held until the
    files are written; a tuple is built in half the time and takes 64 bytes instead of about 150."""

    text: str
    source: SourceFile[Any]
    loc: Loc


@dataclass
class BuiltView:
    view: PublicView
    texts: list[PublicText] = field(default_factory=list)
    # (source, loc, law name, number) of every citation that goes public, for the law-validity check
    citations: list[tuple[SourceFile[Any], Loc, str, str]] = field(default_factory=list)

    def add(self, text: str, source: SourceFile[Any], loc: Loc) -> None:
        """Note a free text that goes public (see PublicText)."""
        self.texts.append(PublicText(text, source, shared_loc(loc)))


_LOCS: dict[Loc, Loc] = {}


def shared_loc(loc: Loc) -> Loc:
    """One tuple for each location: the same few hundred (risk i, basis j, field) recur in every
    register, and a tuple per public field would be half of the memory the texts take."""
    return _LOCS.setdefault(loc, loc)


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (batch numbers: 第一批, 第二批 …)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def batch_label(n: int) -> str:
    return f"第{chinese_number(n)}批"


def level_label(level: Level) -> str:
    return f"{level.label}风险"


def is_public(risk: Risk | RiskPublicFields, batches: dict[int, Batch], date: dt.date) -> bool:
    batch = batches.get(risk.batch) if risk.batch is not None else None
    return public_on(risk.status is Status.published, batch.date if batch is not None else None, date)


def public_points(facts: RegisterFacts, date: dt.date) -> int:
    """How many points of a valid register its public list shows on ``date`` (as :func:`is_public`
    decides), from its facts: the city list is numbered before any office's list is built."""
    dates = {b.id: b.date for b in facts.batches}
    return sum(1 for r in facts.risks
               if r.batch is not None and public_on(r.status is Status.published, dates.get(r.batch), date))


def was_withdrawn(risk: Risk | RiskPublicFields, batches: dict[int, Batch], date: dt.date) -> bool:
    """Retired, but its batch had gone out by ``date``: it was on a public list once."""
    if risk.status is not Status.retired or risk.batch is None:
        return False
    batch = batches.get(risk.batch)
    return batch is not None and batch.date <= date


def _citations(risk: Risk | RiskPublicFields, src: SourceFile[Register], i: int, built: BuiltView) -> tuple[Citation, ...]:
    # Group by instrument, keeping first-seen order: 《办法》（文号）第七条、第三十六条.
    groups: dict[tuple[str, str], tuple[list[str], list[Excerpt]]] = {}
    for j, basis in enumerate(risk.basis):
        loc = ("risks", i, "basis", j)
        law = display_name(basis.law)
        number = (basis.number or "").strip()
        built.citations.append((src, shared_loc(loc + ("law",)), law, number))
        built.add(basis.law, src, loc + ("law",))
        if basis.number:
            built.add(basis.number, src, loc + ("number",))
        built.add(basis.article, src, loc + ("article",))
        articles, excerpts = groups.setdefault((law, number), ([], []))
        article = basis.article.strip()
        if article not in articles:
            articles.append(article)
        if basis.excerpt and basis.excerpt.strip():
            built.add(basis.excerpt, src, loc + ("excerpt",))
            excerpts.append(Excerpt(article, basis.excerpt.strip()))
    return tuple(Citation(law, number, tuple(a), tuple(e)) for (law, number), (a, e) in groups.items())


def _discretion(risk: Risk | RiskPublicFields, src: SourceFile[Register], i: int, built: BuiltView) -> tuple[str, tuple[Tier, ...]]:
    d = risk.discretion
    if d is None:
        return "", ()
    if isinstance(d, str):
        built.add(d, src, ("risks", i, "discretion"))
        return d.strip(), ()
    tiers = []
    for j, tier in enumerate(d):
        built.add(tier.circumstance, src, ("risks", i, "discretion", j, "circumstance"))
        built.add(tier.sanction, src, ("risks", i, "discretion", j, "sanction"))
        tiers.append(Tier(tier.circumstance.strip(), tier.sanction.strip()))
    return "", tuple(tiers)


_NOT_PENALISED = ("不予处罚", "不予行政处罚", "免予处罚", "免予行政处罚", "免罚")


def _own_situations(tiers: tuple[Tier, ...]) -> tuple[str, ...]:
    return tuple(t.circumstance for t in tiers if any(w in t.sanction for w in _NOT_PENALISED))


def no_penalty_situations(tiers: tuple[Tier, ...], date: dt.date, catalogue: LawCatalogue | None = None,
                          condition: str = "") -> tuple[str, ...]:
    """免罚情形: the discretion tiers whose sanction is not to penalise, else the statute's own words
    in the text in force on ``date`` (with 首违不罚's sentence when the condition is a first offence)."""
    own = _own_situations(tiers)
    return own or no_penalty_ground(catalogue, date, first_offence_wording(condition)).situations


def ground_citation(tiers: tuple[Tier, ...], condition: str, date: dt.date,
                    catalogue: LawCatalogue | None) -> tuple[Citation, tuple[str, ...]]:
    """The legal ground of a no-penalty item published on ``date``, and its 免罚情形.

    Always derived from the day, whether or not a discretion tier gives the situations: the condition
    text holds the facts, never the citation (data-format, second round). The catalogue decides the
    article when it has 行政处罚法's versions; else the built-in switch of 2021-07-15.
    """
    own = _own_situations(tiers)
    first = first_offence_wording(condition) or any(first_offence_wording(s) for s in own)
    g = no_penalty_ground(catalogue, date, first)
    excerpts = tuple(Excerpt(a, t) for a, t in zip(g.articles, g.texts) if t)
    return Citation(g.law, g.number, g.articles, excerpts), own or g.situations


def _with_ground(citations: tuple[Citation, ...], ground: Citation) -> tuple[Citation, ...]:
    """The point's citations and the ground, unless the point already cites those very articles."""
    for c in citations:
        if law_key(c.law) == law_key(ground.law) and set(ground.articles) <= set(c.articles):
            return citations
    return citations + (ground,)


def office_list(src: SourceFile[Register], organization: str, date: dt.date, built: BuiltView,
                catalogue: LawCatalogue | None = None) -> OfficeList:
    """One valid register's public list on ``date``; its public texts and citations are noted in ``built``."""
    # A repository loaded facts_only has no models: the public fields are validated now and dropped after.
    reg = src.load_fields(RegisterPublicFields) or src.valid_model
    office = reg.office
    built.add(office.name, src, ("office", "name"))
    if office.phone:
        # Printed as the consultation number: a fixed line is public, a personal mobile is not.
        built.add(office.phone, src, ("office", "phone"))
    batches = {b.id: (b, k) for k, b in enumerate(reg.batches)}
    batch_models = {b.id: b for b in reg.batches}

    public: dict[int, list[tuple[int, Risk | RiskPublicFields]]] = {}
    withdrawn: list[tuple[int, int, Risk | RiskPublicFields]] = []  # (risk index, batch, risk)
    points: Sequence[Risk | RiskPublicFields] = reg.risks
    for i, risk in enumerate(points):
        if risk.batch is None:
            continue  # neither public nor withdrawn: it never had a batch
        if is_public(risk, batch_models, date):
            public.setdefault(risk.batch, []).append((i, risk))
        elif was_withdrawn(risk, batch_models, date):
            withdrawn.append((i, risk.batch, risk))

    shown = sorted(set(public) | {b for _, b, _ in withdrawn})
    sections: list[BatchSection] = []
    seq = 0
    no_penalty: list[NoPenaltyItem] = []
    for position, number in enumerate(shown):
        batch, k = batches[number]
        if batch.document:
            built.add(batch.document, src, ("batches", k, "document"))
        label = batch_label(number)
        risks: list[PublicRisk] = []
        for i, risk in public.get(number, []):
            seq += 1
            built.add(risk.title, src, ("risks", i, "title"))
            built.add(risk.responsible, src, ("risks", i, "responsible"))
            citations = _citations(risk, src, i, built)
            text, tiers = _discretion(risk, src, i, built)
            measures = []
            for j, m in enumerate(risk.measures):
                built.add(m.text, src, ("risks", i, "measures", j, "text"))
                measures.append(Measure(m.kind.label, m.text.strip()))
            risks.append(
                PublicRisk(
                    seq=seq, title=risk.title.strip(), level=level_label(risk.level), citations=citations,
                    discretion_text=text, tiers=tiers, measures=tuple(measures),
                    responsible=risk.responsible.strip(), office=office.name, batch=label, batch_date=batch.date,
                )
            )
            if risk.no_penalty:
                built.add(risk.no_penalty_condition, src, ("risks", i, "no_penalty_condition"))
                ground, situations = ground_citation(tiers, risk.no_penalty_condition, date, catalogue)
                no_penalty.append(
                    NoPenaltyItem(
                        seq=len(no_penalty) + 1, title=risk.title.strip(), citations=_with_ground(citations, ground),
                        situations=situations, condition=risk.no_penalty_condition.strip(), office=office.name,
                        ground=ground,
                    )
                )
        last = position == len(shown) - 1
        gone: tuple[Withdrawn, ...] = ()
        if last:
            gone_list = []
            for i, batch_number, risk in withdrawn:
                built.add(risk.title, src, ("risks", i, "title"))
                gone_list.append(Withdrawn(risk.title.strip(), level_label(risk.level), batch_label(batch_number)))
            gone = tuple(gone_list)
        sections.append(
            BatchSection(
                number=number, label=label, date=batch.date, document=(batch.document or "").strip(),
                risks=tuple(risks), is_first=position == 0,
                added=tuple(r.title for r in risks) if position > 0 else (),
                withdrawn=gone,
            )
        )

    return OfficeList(
        id=office.id, name=office.name.strip(), kind=office.kind.label, phone=(office.phone or "").strip(),
        organization=organization or office.name.strip(), batches=tuple(sections), no_penalty=tuple(no_penalty),
    )


def build_view(repo: Repository, date: dt.date, offices: list[str] | None = None) -> BuiltView:
    """The public view of ``repo`` on ``date``, for all offices or the chosen ones (in file order).

    Office by office: a register's full model (``SourceFile.load_model``) lives only while its list
    is built, so a repository loaded facts_only never holds more than one."""
    written = repo.settings.organization or ""
    organization = written.strip()
    built = BuiltView(PublicView(organization, date, (), offices is None))
    if organization and repo.settings_file is not None:
        built.add(written, repo.settings_file, ("organization",))
    chosen = [s for s in repo.valid_registers() if offices is None or s.valid_facts.office.id in offices]
    catalogue = repo.laws.model if repo.laws is not None else None
    lists = tuple(office_list(src, organization, date, built, catalogue) for src in chosen)
    built.view = PublicView(organization, date, lists, offices is None)
    return built


__all__ = [
    "BatchSection", "BuiltView", "Citation", "Excerpt", "Measure", "NoPenaltyItem", "OfficeList", "PublicRisk",
    "PublicText", "PublicView", "Tier", "Withdrawn", "batch_label", "build_view", "is_public", "office_list",
    "public_points",
    "chinese_number",
]
