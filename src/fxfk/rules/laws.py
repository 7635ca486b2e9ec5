"""The law catalogue (data/laws.yaml): matching cited names, validity on a day, where each law is cited.

**Names.** A cited name and a catalogue name are *the same law* when they are equal after
:func:`law_key`: Unicode NFKC (full-width ``（）`` and letters become half-width), every 《》〈〉 and all
white space removed. ``（试行）`` and a leading ``中华人民共和国`` are *not* ignored for equality: a
trial instrument and its later final version are different instruments with their own dates (the
「某办法（试行）」 is typically repealed the day 「某办法」 takes effect), so treating them as one would
hide exactly the citation this catalogue exists to catch. They are ignored (:func:`loose_key`) only to
*suggest* the closest catalogue names for a name that is not found, and for ``fxfk laws --law``.

**In force.** A law is in force on day D when ``effective <= D < repealed`` (either bound optional):
on its repeal date a law is already out of force — the successor usually takes effect that same day
(国务院令第715号 replaced 第307号 on 2019-06-01).

**Checks** (``check_*``, run by ``fxfk validate`` only when data/laws.yaml exists; retired points are
skipped — they never appear on a public list again):

* a basis whose law is not in the catalogue: warning with the closest names;
* the batch date of a *public* point (published, batch dated on or before the day validate runs)
  outside its law's validity: error; for a point not yet public (a scheduled batch, or draft,
  consulting, approved): warning — against its batch date when it has one, else whenever the law has
  a repeal date at all, since any list published on or after it cannot cite it;
* a published point whose law is repealed after its batch date: warning (the public list then cites
  a repealed law; `fxfk laws` lists them by day);
* ``basis.number`` not the catalogue's number (compared by :func:`number_key`): the same error/warning scheme;
* a ``coercion`` basis below 行政法规 (:func:`check_coercion_basis_rank` explains 行政强制法 第十条);
* the catalogue itself: duplicate names, repealed on or before effective, amendments outside the
  validity, ``replaced_by`` naming a law not in the catalogue.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from fxfk.diagnostics import Diagnostic, Severity, format_path
from fxfk.load.repository import Repository, SourceFile
from fxfk.models import BasisRole, Law, LawCatalogue, LawRank, Status
from fxfk.render.escaping import json_text, md, terminal

_MARKS = re.compile(r"[《》〈〉<>\s]")
_TRIAL = re.compile(r"\(试行\)")  # after NFKC the brackets are half-width
_PRC = "中华人民共和国"
_NUMBER_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕"})


@lru_cache(maxsize=4096)  # a few dozen names, cited thousands of times
def law_key(name: str) -> str:
    """The equality key of a law name (see the module docstring for what it ignores and why)."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", name))


def loose_key(name: str) -> str:
    """A looser key, for suggestions only: also without （试行）/(试行) and a leading 中华人民共和国."""
    key = _TRIAL.sub("", law_key(name))
    return key[len(_PRC):] if key.startswith(_PRC) and len(key) > len(_PRC) else key


@lru_cache(maxsize=4096)
def number_key(number: str) -> str:
    """文号 compared without white space, width differences or the kind of bracket around the year."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", number)).translate(_NUMBER_BRACKETS)


def display_name(name: str) -> str:
    """The name as written, without surrounding 《》 (callers add their own)."""
    name = name.strip()
    if name.startswith("《") and name.endswith("》"):
        name = name[1:-1].strip()
    return name


def closest(query: str, names: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names most like ``query``, best first: same loose key, then containment, then difflib."""
    names = list({law_key(n): n for n in reversed(list(names))}.values())[::-1]  # one per law, first kept
    q = loose_key(query)
    by_loose: dict[str, list[str]] = {}
    for name in names:
        by_loose.setdefault(loose_key(name), []).append(name)
    out: list[str] = list(by_loose.get(q, []))
    if q:
        out += [name for key, group in by_loose.items()
                if key != q and min(len(q), len(key)) >= 2 and (q in key or key in q) for name in group]
    for key in difflib.get_close_matches(q, list(by_loose), n=n, cutoff=cutoff):
        out += by_loose[key]
    return list(dict.fromkeys(out))[:n]


class Catalogue:
    """Lookup over a loaded :class:`LawCatalogue`; the first entry wins when names repeat."""

    def __init__(self, model: LawCatalogue):
        self.laws: list[Law] = list(model.laws)
        self._by_key: dict[str, Law] = {}
        self._by_number: dict[str, Law] = {}
        for law in self.laws:
            self._by_key.setdefault(law_key(law.name), law)
            if law.number:
                self._by_number.setdefault(number_key(law.number), law)

    @classmethod
    def of(cls, repo: Repository) -> Catalogue | None:
        """The repository's catalogue, or None when data/laws.yaml is absent or does not load."""
        if repo.laws is None or repo.laws.model is None:
            return None
        return cls(repo.laws.model)

    def find(self, name: str) -> Law | None:
        return self._by_key.get(law_key(name))

    def find_number(self, number: str) -> Law | None:
        return self._by_number.get(number_key(number))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        return closest(name, (law.name for law in self.laws), n=n)


def in_force(law: Law, day: dt.date) -> bool:
    return (law.effective is None or law.effective <= day) and (law.repealed is None or day < law.repealed)


def state_label(law: Law, day: dt.date) -> str:
    if law.repealed is not None and law.repealed <= day:
        return "已废止"
    if law.effective is not None and day < law.effective:
        return "尚未施行"
    return "现行有效"


def _successor(law: Law) -> str:
    return f"，由《{display_name(law.replaced_by)}》取代" if law.replaced_by else ""


def not_in_force_reason(law: Law, day: dt.date) -> tuple[str, str] | None:
    """(code, Chinese reason) when ``law`` is not in force on ``day``; None when it is."""
    if law.repealed is not None and law.repealed <= day:
        return "law-repealed", f"已于 {law.repealed} 废止{_successor(law)}"
    if law.effective is not None and day < law.effective:
        return "law-not-yet-effective", f"自 {law.effective} 起施行，{day} 时尚未生效"
    return None


# --- where laws are cited -----------------------------------------------------------------------


class Use(NamedTuple):  # a tuple: the cheapest object to make 300,000 of, on a province's data
    """One basis entry of one risk point: the unit every law check and report is made of."""

    source: SourceFile
    risk_index: int
    basis_index: int
    office: str
    office_name: str
    risk: object  # fxfk.models.Risk
    basis: object  # fxfk.models.Basis
    batch_date: dt.date | None  # the date of the point's batch, when it names an existing one

    @property
    def loc(self) -> tuple:
        return ("risks", self.risk_index, "basis", self.basis_index)

    @property
    def published(self) -> bool:
        return self.risk.status is Status.published and self.batch_date is not None

    def public_on(self, day: dt.date) -> bool:
        return self.published and self.batch_date <= day


def uses(repo: Repository, include_retired: bool = False) -> list[Use]:
    """Every basis entry of every valid register (computed once per repository: several checks ask)."""
    return repo.derived(("uses", include_retired), lambda: list(_uses(repo, include_retired)))


def _uses(repo: Repository, include_retired: bool) -> Iterator[Use]:
    for src in repo.valid_registers():
        reg = src.model
        batches = {b.id: b.date for b in reg.batches}
        for i, risk in enumerate(reg.risks):
            if risk.status is Status.retired and not include_retired:
                continue
            batch_date = batches.get(risk.batch) if risk.batch is not None else None
            for j, basis in enumerate(risk.basis):
                yield Use(src, i, j, reg.office.id, reg.office.name, risk, basis, batch_date)


# --- fxfk publish -------------------------------------------------------------------------------


def laws_not_in_force(
    citations: Iterable[tuple[SourceFile, tuple, str, str]], catalogue: LawCatalogue | None, date: dt.date
) -> Iterator[Diagnostic]:
    """A public list may only cite laws in force on its publication date (used by ``fxfk publish``).

    ``citations`` are (source, loc of basis.law, law name, number) of everything going public. Laws
    missing from the catalogue are not judged here; completeness is the validator's business.
    """
    if catalogue is None:
        return
    lookup = Catalogue(catalogue)
    for source, loc, name, _number in citations:
        law = lookup.find(name)
        reason = not_in_force_reason(law, date) if law is not None else None
        if reason is None:
            continue
        code, why = reason
        line, column = source.locate(*loc)
        tail = "；公布日期 {date} 的清单不能引用已失效的法规" if code == "law-repealed" else "；不能作为公开清单的依据"
        yield Diagnostic(
            source.rel, line, column, code, "error", format_path(loc),
            f"《{display_name(name)}》{why}" + tail.format(date=date),
        )


# --- fxfk validate ------------------------------------------------------------------------------


def _diag(source: SourceFile, loc: tuple, code: str, severity: Severity, message: str) -> Diagnostic:
    line, column = source.locate(*loc)
    return Diagnostic(source.rel, line, column, code, severity, format_path(loc), message)


def _names(names: list[str]) -> str:
    return "、".join(f"《{display_name(n)}》" for n in names)


def check_law_catalogue_names_unique(repo: Repository) -> Iterator[Diagnostic]:
    if Catalogue.of(repo) is None:
        return
    first: dict[str, int] = {}
    for i, law in enumerate(repo.laws.model.laws):
        key = law_key(law.name)
        if key in first:
            line, column = repo.laws.locate("laws", first[key], "name")
            yield _diag(repo.laws, ("laws", i, "name"), "duplicate-law", "error",
                        f"《{display_name(law.name)}》在法规目录中重复（第 {line} 行已有同名条目）；每部法规只能登记一次，"
                        "修订写在 amended 中")
        else:
            first[key] = i


def check_law_catalogue_dates(repo: Repository) -> Iterator[Diagnostic]:
    if Catalogue.of(repo) is None:
        return
    for i, law in enumerate(repo.laws.model.laws):
        if law.repealed is not None and law.effective is not None and law.repealed <= law.effective:
            yield _diag(repo.laws, ("laws", i, "repealed"), "law-repealed-before-effective", "error",
                        f"《{display_name(law.name)}》的废止日期 {law.repealed} 不晚于施行日期 {law.effective}，"
                        "它从未生效；请核对这两个日期")
            continue
        for k, day in enumerate(law.amended):
            if (law.effective is not None and day <= law.effective) or (law.repealed is not None and day >= law.repealed):
                yield _diag(repo.laws, ("laws", i, "amended", k), "law-amended-outside-validity", "warning",
                            f"《{display_name(law.name)}》的修订日期 {day} 不在其施行期间内"
                            f"（{law.effective or '?'} 至 {law.repealed or '今'}）；请核对".replace("至 今", "至今"))


def check_law_successor_known(repo: Repository) -> Iterator[Diagnostic]:
    catalogue = Catalogue.of(repo)
    if catalogue is None:
        return
    for i, law in enumerate(catalogue.laws):
        if law.replaced_by and catalogue.find(law.replaced_by) is None:
            near = catalogue.suggest(law.replaced_by)
            hint = f"；最接近的目录名称：{_names(near)}" if near else "；请把它也加入 data/laws.yaml"
            yield _diag(repo.laws, ("laws", i, "replaced_by"), "unknown-successor", "warning",
                        f"替代法规《{display_name(law.replaced_by)}》不在法规目录中{hint}")


@dataclass(eq=False, slots=True)
class Citation:
    """Basis entries that cite the same thing (one basis object) in the same situation.

    Every verdict of the checks below depends only on these fields, so it is reached once per
    citation and then reported at each place. On ``fxfk validate``'s facts, where equal bases are
    one object, a province's 300,000 basis entries make a few hundred citations.
    """

    basis: object  # fxfk.models.Basis or fxfk.load.facts.BasisFacts
    batch: int | None
    batch_date: dt.date | None  # the date of the batch, when the register defines it
    status: Status
    places: list[tuple[SourceFile, int, int]]  # (register, risk index, basis index)

    @property
    def published(self) -> bool:
        return self.status is Status.published and self.batch_date is not None

    def public_on(self, day: dt.date) -> bool:
        return self.published and self.batch_date <= day

    def at(self, field: str) -> Iterator[tuple[SourceFile, tuple]]:
        for source, i, j in self.places:
            yield source, ("risks", i, "basis", j, field)


def _citations(repo: Repository) -> list[tuple[Citation, Law | None]]:
    """Every citation of points not retired, with its catalogue entry (or None); none without a catalogue."""

    def build() -> list[tuple[Citation, Law | None]]:
        catalogue = Catalogue.of(repo)
        if catalogue is None:
            return []
        groups: dict[tuple, Citation] = {}
        for src in repo.valid_registers():
            batches = {b.id: b.date for b in src.model.batches}
            for i, risk in enumerate(src.model.risks):
                status, batch = risk.status, risk.batch
                if status is Status.retired:
                    continue
                batch_date = batches.get(batch) if batch is not None else None
                for j, basis in enumerate(risk.basis):
                    key = (id(basis), batch, batch_date, status)  # every basis stays alive in repo
                    citation = groups.get(key)
                    if citation is None:
                        citation = groups[key] = Citation(basis, batch, batch_date, status, [])
                    citation.places.append((src, i, j))
        found: dict[str, Law | None] = {}  # a few dozen names
        for citation in groups.values():
            name = citation.basis.law
            if name not in found:
                found[name] = catalogue.find(name)
        return [(c, found[c.basis.law]) for c in groups.values()]

    return repo.derived("citations", build)


def check_basis_law_in_catalogue(repo: Repository) -> Iterator[Diagnostic]:
    catalogue = Catalogue.of(repo)
    if catalogue is None:
        return
    for citation, law in _citations(repo):
        if law is not None:
            continue
        basis = citation.basis
        near = catalogue.suggest(basis.law)
        by_number = catalogue.find_number(basis.number) if basis.number else None
        if by_number is not None and by_number.name not in near:
            near.insert(0, by_number.name)
        hint = f"；最接近的目录名称：{_names(near)}" if near else "；目录中没有相近的名称，请把它加入 data/laws.yaml"
        if any(loose_key(n) == loose_key(basis.law) for n in near):
            hint += "（只差“（试行）”或“中华人民共和国”的名称是不同的写法或不同的法规，请按目录的写法引用，或在目录中补上这一部）"
        message = f"《{display_name(basis.law)}》不在法规目录 data/laws.yaml 中，无法核对其效力{hint}"
        for source, loc in citation.at("law"):
            yield _diag(source, loc, "unknown-law", "warning", message)


def _in_force_verdict(citation: Citation, law: Law, today: dt.date) -> tuple[str, Severity, str] | None:
    """(code, severity, message) when the citation's law is out of force where it matters, else None."""
    name = f"《{display_name(citation.basis.law)}》"
    if citation.batch_date is not None:
        reason = not_in_force_reason(law, citation.batch_date)
        if reason is not None:
            code, why = reason
            if citation.public_on(today):
                return (code, "error",
                        f"{name}{why}；本风险点第{citation.batch}批的公布日期是 {citation.batch_date}，"
                        "公开清单不能引用公布日不在施行期内的法规；请改引现行有效的依据，或调整批次")
            return (code, "warning",
                    f"{name}{why}；本风险点尚未公开，计划在第{citation.batch}批（{citation.batch_date}）公布，"
                    "公布前请改引届时有效的依据，否则 fxfk publish 将拒绝公布")
        if citation.published and law.repealed is not None:
            return ("law-repealed-after-publication", "warning",
                    f"{name}的废止日期为 {law.repealed}{_successor(law)}，晚于本风险点的公布日期 {citation.batch_date}："
                    "自废止之日起，公开清单上的这条依据已失效；请复核后改引新的依据，或将本风险点废止")
    elif citation.status is not Status.published and law.repealed is not None:
        return ("law-repealed", "warning",
                f"{name}的废止日期为 {law.repealed}{_successor(law)}；本风险点尚未公布，"
                f"在 {law.repealed} 及以后公布的清单都不能引用它；请改引现行有效的依据")
    return None


def check_basis_law_in_force(repo: Repository) -> Iterator[Diagnostic]:
    """A published point's batch date must fall within its laws' validity (error; warning before publication)."""
    # A batch dated after this day is scheduled, not public (data-format); `validate --date`.
    today = repo.today
    for citation, law in _citations(repo):
        verdict = _in_force_verdict(citation, law, today) if law is not None else None
        if verdict is not None:
            code, severity, message = verdict
            for source, loc in citation.at("law"):
                yield _diag(source, loc, code, severity, message)


def check_basis_number_matches(repo: Repository) -> Iterator[Diagnostic]:
    catalogue = Catalogue.of(repo)
    # A batch dated after this day is scheduled, not public (data-format); `validate --date`.
    today = repo.today
    for citation, law in _citations(repo):
        number = citation.basis.number
        if law is None or not law.number or not number or not number.strip() or number_key(number) == number_key(law.number):
            continue
        other = catalogue.find_number(number)
        whose = f"（该文号在目录中属于《{display_name(other.name)}》）" if other is not None else ""
        public = citation.public_on(today)
        message = (f"文号“{number.strip()}”与法规目录中《{display_name(law.name)}》的文号“{law.number}”不一致{whose}；"
                   + ("公开清单上的文号必须准确" if public else "本风险点尚未公开，公布前请核对"))
        for source, loc in citation.at("number"):
            yield _diag(source, loc, "law-number-mismatch", "error" if public else "warning", message)


# 行政强制法 第十条 (措施) and 第十三条 (执行): what may set a coercive measure or compulsory enforcement.
COERCION_RANKS_BELOW = (LawRank.department_rule, LawRank.local_rule, LawRank.normative_document)


def check_coercion_basis_rank(repo: Repository) -> Iterator[Diagnostic]:
    """A ``coercion`` basis must be a law or an administrative regulation (行政强制法 第十条、第十三条).

    第十条: 行政强制措施由法律设定；尚未制定法律且属于国务院行政管理职权事项的，行政法规可以设定（限制
    人身自由、冻结存款汇款除外）；尚未制定法律、行政法规且属于地方性事务的，地方性法规只可以设定查封
    场所设施财物、扣押财物；法律、法规以外的其他规范性文件不得设定。第十三条: 行政强制执行由法律设定.

    So 部门规章, 地方政府规章 and 规范性文件 can never be the source of a coercive measure: error. A
    地方性法规 can be, but only for 查封、扣押 on a local matter not covered by a law or regulation, and
    never for 强制执行 — which the data cannot tell apart: warning, asking the officer to confirm.
    """
    for citation, law in _citations(repo):
        if law is None or citation.basis.role is not BasisRole.coercion:
            continue
        name = f"《{display_name(citation.basis.law)}》"
        if law.rank in COERCION_RANKS_BELOW:
            verdict = ("coercion-rank", "error",
                       f"{name}是{law.rank.label}，不能作为强制依据：按行政强制法第十条，行政强制措施只能由法律设定，"
                       "法律未规定的由行政法规、地方性法规在其权限内设定，其他规范性文件（含规章）不得设定；"
                       "第十三条规定行政强制执行由法律设定。请改引设定该强制措施的法律或行政法规，"
                       "或把这条依据改为 violated/penalty")
        elif law.rank is LawRank.local_regulation:
            verdict = ("coercion-local-regulation", "warning",
                       f"{name}是地方性法规：按行政强制法第十条第三款，它只能在尚未制定法律、行政法规且属于地方性事务时"
                       "设定查封场所、设施或者财物和扣押财物，不能设定其他强制措施；行政强制执行只能由法律设定"
                       "（第十三条）。请确认这里的强制措施属于此类")
        else:
            continue
        for source, loc in citation.at("role"):
            yield _diag(source, loc, *verdict)


LAW_CHECKS = (
    check_law_catalogue_names_unique,
    check_law_catalogue_dates,
    check_law_successor_known,
    check_basis_law_in_catalogue,
    check_basis_law_in_force,
    check_basis_number_matches,
    check_coercion_basis_rank,
)


# --- fxfk laws: where each law is cited, and what changes --------------------------------------


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
    citations: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, article, number)

    def public_on(self, day: dt.date) -> bool:
        return self.published and self.batch_date <= day

    def as_dict(self, day: dt.date) -> dict:
        return {
            "office": self.office,
            "office_name": self.office_name,
            "risk": self.risk,
            "title": self.title,
            "status": self.status.label,
            "batch": self.batch,
            "batch_date": _iso(self.batch_date),
            "public": self.public_on(day),
            "citations": [{"role": r, "article": a, "number": n} for r, a, n in self.citations],
        }


@dataclass
class LawEntry:
    name: str
    law: Law | None  # None: cited but not in the catalogue
    points: list[PointRef] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


@dataclass
class Change:
    """A dated change of a cited law and the published points it touches."""

    date: dt.date
    law: Law
    kind: str  # "废止" | "修订"
    points: list[PointRef]


@dataclass
class LawReport:
    day: dt.date
    catalogue: str | None  # data/laws.yaml's path relative to the root, or None when absent
    laws: list[LawEntry]  # catalogue order
    uncatalogued: list[LawEntry]  # first-cited order
    upcoming: list[Change]  # after ``day``: repeals and amendments, by date
    review: list[tuple[PointRef, Change]]  # on or before ``day``, after the point's batch date
    unused_only: bool = False


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


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
        ref.citations.append((use.basis.role.label, use.basis.article.strip(), (use.basis.number or "").strip()))
    return out


def match_laws(query: str, names: list[str]) -> list[str]:
    """``fxfk laws --law``: the one equal name; else every name containing the query (loosely) or very like it."""
    key = law_key(query)
    exact = [n for n in names if law_key(n) == key]
    if exact:
        return exact[:1]
    q = loose_key(query)
    found = [n for n in names if q and (q == loose_key(n) or q in loose_key(n))]
    if not found:
        # A typo: the names nearly as close as the closest one (a near-miss far behind it is no match).
        scored = [(difflib.SequenceMatcher(None, q, loose_key(n)).ratio(), n) for n in names]
        best = max((score for score, _ in scored), default=0.0)
        found = [n for score, n in scored if score >= 0.75 and score >= best - 0.1]
    return list(dict.fromkeys(found))


def build_report(repo: Repository, day: dt.date, law: str | None = None, unused: bool = False) -> LawReport:
    """Every catalogue law with the points citing it, the uncatalogued citations, and dated changes.

    Raises FxfkError for ``law`` matching nothing, with the closest names.
    """
    from fxfk.errors import FxfkError

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
        LawEntry(name, None, points, closest(name, catalogue_names))
        for key, (name, points) in cited.items() if key not in seen
    ]

    if law is not None:
        every = catalogue_names + [e.name for e in missing]
        chosen = set(match_laws(law, every))
        if not chosen:
            near = closest(law, every, n=5, cutoff=0.4)
            hint = f"；最接近的名称：{_names(near)}" if near else "；fxfk laws 不带 --law 可列出全部法规"
            raise FxfkError(f"法规目录和登记册中都没有与“{law}”相符的法规{hint}")
        entries = [e for e in entries if e.name in chosen]
        missing = [e for e in missing if e.name in chosen]
    if unused:
        entries = [e for e in entries if not e.points]
        missing = []

    upcoming: list[Change] = []
    review: list[tuple[PointRef, Change]] = []
    for entry in entries if not unused else []:
        item = entry.law
        dated = [(a, "修订") for a in item.amended] + ([(item.repealed, "废止")] if item.repealed else [])
        for when, kind in sorted(dated):
            if when > day:
                touched = [p for p in entry.points if p.published and p.batch_date < when]
                upcoming.append(Change(when, item, kind, touched))
            else:
                change = Change(when, item, kind, [])
                for p in entry.points:
                    if p.public_on(day) and p.batch_date < when:
                        change.points.append(p)
                        review.append((p, change))
    upcoming.sort(key=lambda c: (c.date, c.kind != "废止", law_key(c.law.name)))
    review.sort(key=lambda pc: (pc[0].office, pc[0].risk, pc[1].date, law_key(pc[1].law.name)))
    rel = repo.laws.rel if catalogue is not None else None
    return LawReport(day, rel, entries, missing, upcoming, review, unused)


def _law_dict(e: LawEntry, day: dt.date) -> dict:
    item = e.law
    return {
        "name": e.name,
        "number": item.number,
        "rank": item.rank.label,
        "issuer": item.issuer,
        "effective": _iso(item.effective),
        "repealed": _iso(item.repealed),
        "replaced_by": display_name(item.replaced_by) if item.replaced_by else None,
        "amended": [a.isoformat() for a in item.amended],
        "state": state_label(item, day),
        "points": [p.as_dict(day) for p in e.points],
    }


def _change_dict(c: Change) -> dict:
    return {
        "date": c.date.isoformat(),
        "law": display_name(c.law.name),
        "change": c.kind,
        "replaced_by": display_name(c.law.replaced_by) if c.kind == "废止" and c.law.replaced_by else None,
        "points": [{"office": p.office, "risk": p.risk, "batch_date": _iso(p.batch_date)} for p in c.points],
    }


def report_dict(report: LawReport) -> dict:
    day = report.day
    return {
        "date": day.isoformat(),
        "catalogue": report.catalogue,
        "laws": [_law_dict(e, day) for e in report.laws],
        "uncatalogued": [
            {"name": e.name, "suggestions": e.suggestions, "points": [p.as_dict(day) for p in e.points]}
            for e in report.uncatalogued
        ],
        "upcoming": [_change_dict(c) for c in report.upcoming],
        "review": [
            {"office": p.office, "risk": p.risk, "batch_date": _iso(p.batch_date), "law": display_name(c.law.name),
             "change": c.kind, "date": c.date.isoformat(), "message": _review_message(c)}
            for p, c in report.review
        ],
    }


def render_json(report: LawReport) -> str:
    import json

    return json_text(json.dumps(report_dict(report), ensure_ascii=False, indent=2)) + "\n"


def _review_message(c: Change) -> str:
    if c.kind == "废止":
        return f"公布后被引用的法规已于 {c.date} 废止{_successor(c.law)}，公开清单上的依据已失效 — 请改引新的依据或将风险点废止"
    return f"公布后被引用的法规已于 {c.date} 修订 — 请复核条款序号和内容"


def _law_facts(item: Law, day: dt.date) -> str:
    facts = [item.rank.label]
    if item.issuer:
        facts.append(item.issuer)
    if item.effective:
        facts.append(f"{item.effective} 起施行")
    if item.amended:
        facts.append("修订：" + "、".join(a.isoformat() for a in item.amended))
    if item.repealed:
        facts.append(f"{item.repealed} 废止{_successor(item)}")
    facts.append(state_label(item, day))
    return " · ".join(facts)


def _title(name: str, number: str | None) -> str:
    return f"《{name}》" + (f"（{number}）" if number else "")


def _articles(p: PointRef) -> str:
    """违法依据 第七条；处罚依据 第三十六条、第三十七条 — articles grouped by role, first-seen order."""
    by_role: dict[str, list[str]] = {}
    for role, article, _ in p.citations:
        if article not in by_role.setdefault(role, []):
            by_role[role].append(article)
    return "；".join(f"{role} {'、'.join(articles)}" for role, articles in by_role.items())


def _point_line(p: PointRef, day: dt.date) -> str:
    when = ""
    if p.batch_date:
        planned = "" if p.public_on(day) or not p.published else "计划于 "
        when = f"，{planned}{p.batch_date} 第{p.batch}批"
    return f"{p.office} {p.risk}（{p.status.label}{when}）{_articles(p)}"


def _change_line(c: Change) -> str:
    what = f"废止{_successor(c.law)}" if c.kind == "废止" else "修订"
    head = f"{c.date} 《{display_name(c.law.name)}》{what}"
    if not c.points:
        return f"{head}：没有已公布的风险点受影响"
    ids = "、".join(f"{p.office} {p.risk}" for p in c.points)
    if c.kind == "废止":
        return f"{head}：届时 {len(c.points)} 个已公布的风险点将引用已废止的法规 — {ids}"
    return f"{head}：届时 {len(c.points)} 个已公布的风险点需复核 — {ids}"


def render_text(report: LawReport) -> str:
    # Law names, offices and ids come from the data: a terminal must not act on them.
    return terminal(_render_text(report))


def _render_text(report: LawReport) -> str:
    day = report.day
    out: list[str] = []
    where = report.catalogue or "没有 data/laws.yaml，下面只列出登记册引用的法规"
    if report.unused_only:
        out.append(f"法规目录中没有风险点引用的法规（{where}，按 {day} 计）：{len(report.laws)} 部")
    else:
        out.append(f"法规目录（{where}，按 {day} 计）：{len(report.laws)} 部")
    for e in report.laws:
        out += ["", _title(e.name, e.law.number), "  " + _law_facts(e.law, day)]
        if not report.unused_only:
            out.append(f"  引用它的风险点：{len(e.points)} 个" if e.points else "  没有风险点引用")
            out += ["    " + _point_line(p, day) for p in e.points]
    if report.uncatalogued:
        out += ["", f"目录中没有的法规：{len(report.uncatalogued)} 部（无法核对效力，请加入 data/laws.yaml）"]
        for e in report.uncatalogued:
            near = f" — 最接近的目录名称：{_names(e.suggestions)}" if e.suggestions else ""
            out += ["", f"《{e.name}》{near}", f"  引用它的风险点：{len(e.points)} 个"]
            out += ["    " + _point_line(p, day) for p in e.points]
    if not report.unused_only:
        out += ["", f"{day} 之后已知的变化："]
        out += ["  " + _change_line(c) for c in report.upcoming] or ["  （目录中没有 {0} 之后的废止或修订日期）".format(day)]
        out += ["", f"公布后依据有变化、需要复核的风险点（截至 {day}）："]
        out += [f"  {p.office} {p.risk}（{p.batch_date} 公布）《{display_name(c.law.name)}》：{_review_message(c)}"
                for p, c in report.review] or ["  （没有）"]
    return "\n".join(out) + "\n"


_md = md  # every data-derived text in the Markdown output is shown literally


def render_markdown(report: LawReport) -> str:
    day = report.day
    title = "法规目录中没有风险点引用的法规" if report.unused_only else "法律法规目录及引用情况"
    out = [f"# {title}", "", f"按 {day} 计；目录：{_md(report.catalogue or '（没有 data/laws.yaml）')}"]
    head = ["| 单位 | 风险点 | 状态 | 公布日期 | 依据条款 |", "|---|---|---|---|---|"]

    def rows(points: list[PointRef]) -> list[str]:
        return [
            f"| {_md(p.office)} | {_md(p.risk)} | {p.status.label} | {_iso(p.batch_date) or ''} | "
            + _md(_articles(p)) + " |"
            for p in points
        ]

    for e in report.laws:
        out += ["", f"## {_md(_title(e.name, e.law.number))}", "", _md(_law_facts(e.law, day))]
        if not report.unused_only:
            out += ["", *head, *rows(e.points)] if e.points else ["", "没有风险点引用。"]
    if report.uncatalogued:
        out += ["", "## 目录中没有的法规"]
        for e in report.uncatalogued:
            near = f"（最接近的目录名称：{_names(e.suggestions)}）" if e.suggestions else ""
            out += ["", f"### 《{_md(e.name)}》{_md(near)}", "", *head, *rows(e.points)]
    if not report.unused_only:
        out += ["", f"## {day} 之后已知的变化", ""]
        out += [f"- {_md(_change_line(c))}" for c in report.upcoming] or ["没有已知的废止或修订日期。"]
        out += ["", "## 公布后依据有变化、需要复核的风险点", ""]
        out += [f"- {_md(p.office)} {_md(p.risk)}（{p.batch_date} 公布）《{_md(display_name(c.law.name))}》：{_md(_review_message(c))}"
                for p, c in report.review] or ["没有。"]
    return "\n".join(out) + "\n"
