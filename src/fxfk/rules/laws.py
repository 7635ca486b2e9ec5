"""The law catalogue (data/laws.yaml): lookup, validity on a day, and the checks of ``fxfk validate``.

**Names** are compared by :func:`fxfk.rules.law_names.law_key` (what it ignores and why is there).

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
* ``basis.number`` neither the catalogue's number nor its text's on the batch date (:func:`number_key`): the same scheme;
* a ``coercion`` basis below 行政法规 (:func:`check_coercion_basis_rank` explains 行政强制法 第十条);
* the catalogue itself: duplicate names, repealed on or before effective, amendments outside the
  validity, ``replaced_by`` naming a law not in the catalogue;
* article level (``laws[].versions``): :mod:`fxfk.rules.law_articles`.

Where each law is cited, for ``fxfk laws``, is :mod:`fxfk.rules.law_report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, NamedTuple

from fxfk.diagnostics import Diagnostic, Severity, format_path
from fxfk.load.facts import BasisFacts
from fxfk.load.repository import Repository, SourceFile
from fxfk.load.yamlload import Loc
from fxfk.models import Basis, BasisRole, Law, LawCatalogue, LawRank, Register, Risk, Status
from fxfk.models.register import public_on
from fxfk.rules.law_articles import ARTICLE_CHECKS
from fxfk.rules.law_names import closest, display_name, law_key, loose_key, number_key, quoted_names
from fxfk.rules.law_versions import version_numbers


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


def successor_phrase(law: Law) -> str:
    """，由《新法》取代 — when the catalogue names a successor; else nothing."""
    return f"，由《{display_name(law.replaced_by)}》取代" if law.replaced_by else ""


def not_in_force_reason(law: Law, day: dt.date) -> tuple[str, str] | None:
    """(code, Chinese reason) when ``law`` is not in force on ``day``; None when it is."""
    if law.repealed is not None and law.repealed <= day:
        return "law-repealed", f"已于 {law.repealed} 废止{successor_phrase(law)}"
    if law.effective is not None and day < law.effective:
        return "law-not-yet-effective", f"自 {law.effective} 起施行，{day} 时尚未生效"
    return None


# --- where laws are cited -----------------------------------------------------------------------


class Use(NamedTuple):  # a tuple: the cheapest object to make 300,000 of, on a province's data
    """One basis entry of one risk point: the unit every law check and report is made of."""

    source: SourceFile[Register]
    risk_index: int
    basis_index: int
    office: str
    office_name: str
    risk: Risk
    basis: Basis
    batch_date: dt.date | None  # the date of the point's batch, when it names an existing one

    @property
    def loc(self) -> Loc:
        return ("risks", self.risk_index, "basis", self.basis_index)

    @property
    def published(self) -> bool:
        return self.risk.status is Status.published and self.batch_date is not None

    def public_on(self, day: dt.date) -> bool:
        return public_on(self.published, self.batch_date, day)


def uses(repo: Repository, include_retired: bool = False) -> list[Use]:
    """Every basis entry of every valid register (computed once per repository: several checks ask)."""
    return repo.derived(("uses", include_retired), lambda: list(_uses(repo, include_retired)))


def _uses(repo: Repository, include_retired: bool) -> Iterator[Use]:
    for src in repo.valid_registers():
        reg = src.valid_model  # the model, not the facts: the law report (its only reader) shows titles
        batches = {b.id: b.date for b in reg.batches}
        for i, risk in enumerate(reg.risks):
            if risk.status is Status.retired and not include_retired:
                continue
            batch_date = batches.get(risk.batch) if risk.batch is not None else None
            for j, basis in enumerate(risk.basis):
                yield Use(src, i, j, reg.office.id, reg.office.name, risk, basis, batch_date)


# --- fxfk publish -------------------------------------------------------------------------------


def laws_not_in_force(
    citations: Iterable[tuple[SourceFile[Any], Loc, str, str]], catalogue: LawCatalogue | None, date: dt.date
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
        tail = "；公布日期 {date} 的清单不能引用已失效的法规" if code == "law-repealed" else "；不能作为公开清单的依据"
        yield _diag(source, loc, code, "error", f"《{display_name(name)}》{why}" + tail.format(date=date))


# --- fxfk validate ------------------------------------------------------------------------------


def _diag(source: SourceFile[Any], loc: Loc, code: str, severity: Severity, message: str) -> Diagnostic:
    line, column = source.locate(*loc)
    return Diagnostic(source.rel, line, column, code, severity, format_path(loc), message)


def check_law_catalogue_names_unique(repo: Repository) -> Iterator[Diagnostic]:
    if (laws := repo.laws) is None or laws.model is None:  # (as Catalogue.of: no catalogue)
        return
    first: dict[str, int] = {}
    for i, law in enumerate(laws.model.laws):
        key = law_key(law.name)
        if key in first:
            line, column = laws.locate("laws", first[key], "name")
            yield _diag(laws, ("laws", i, "name"), "duplicate-law", "error",
                        f"《{display_name(law.name)}》在法规目录中重复（第 {line} 行已有同名条目）；每部法规只能登记一次，"
                        "修订写在 amended 中")
        else:
            first[key] = i


def check_law_catalogue_dates(repo: Repository) -> Iterator[Diagnostic]:
    if (laws := repo.laws) is None or laws.model is None:  # (as Catalogue.of: no catalogue)
        return
    for i, law in enumerate(laws.model.laws):
        if law.repealed is not None and law.effective is not None and law.repealed <= law.effective:
            yield _diag(laws, ("laws", i, "repealed"), "law-repealed-before-effective", "error",
                        f"《{display_name(law.name)}》的废止日期 {law.repealed} 不晚于施行日期 {law.effective}，"
                        "它从未生效；请核对这两个日期")
            continue
        for k, day in enumerate(law.amended):
            if (law.effective is not None and day <= law.effective) or (law.repealed is not None and day >= law.repealed):
                yield _diag(laws, ("laws", i, "amended", k), "law-amended-outside-validity", "warning",
                            f"《{display_name(law.name)}》的修订日期 {day} 不在其施行期间内"
                            f"（{law.effective or '?'} 至 {law.repealed or '今'}）；请核对".replace("至 今", "至今"))


def check_law_successor_known(repo: Repository) -> Iterator[Diagnostic]:
    catalogue = Catalogue.of(repo)
    if catalogue is None or repo.laws is None:  # (a catalogue comes from repo.laws)
        return
    for i, law in enumerate(catalogue.laws):
        if law.replaced_by and catalogue.find(law.replaced_by) is None:
            near = catalogue.suggest(law.replaced_by)
            hint = f"；最接近的目录名称：{quoted_names(near)}" if near else "；请把它也加入 data/laws.yaml"
            yield _diag(repo.laws, ("laws", i, "replaced_by"), "unknown-successor", "warning",
                        f"替代法规《{display_name(law.replaced_by)}》不在法规目录中{hint}")


@dataclass(eq=False, slots=True)
class BasisGroup:
    """Basis entries that cite the same thing (one basis object) in the same situation.

    Every verdict of the checks below depends only on these fields, so it is reached once per
    citation and then reported at each place. On ``fxfk validate``'s facts, where equal bases are
    one object, a province's 300,000 basis entries make a few hundred citations.
    """

    basis: BasisFacts
    batch: int | None
    batch_date: dt.date | None  # the date of the batch, when the register defines it
    status: Status
    places: list[tuple[SourceFile[Register], int, int]]  # (register, risk index, basis index)

    @property
    def published(self) -> bool:
        return self.status is Status.published and self.batch_date is not None

    def public_on(self, day: dt.date) -> bool:
        return public_on(self.published, self.batch_date, day)

    def at(self, field: str) -> Iterator[tuple[SourceFile[Register], Loc]]:
        for source, i, j in self.places:
            yield source, ("risks", i, "basis", j, field)


def _citations(repo: Repository) -> list[tuple[BasisGroup, Law | None]]:
    """Every citation of points not retired, with its catalogue entry (or None); none without a catalogue."""

    def build() -> list[tuple[BasisGroup, Law | None]]:
        catalogue = Catalogue.of(repo)
        if catalogue is None:
            return []
        groups: dict[tuple[int, int | None, dt.date | None, Status], BasisGroup] = {}
        for src in repo.valid_registers():
            facts = src.valid_facts
            batches = {b.id: b.date for b in facts.batches}
            for i, risk in enumerate(facts.risks):
                status, batch = risk.status, risk.batch
                if status is Status.retired:
                    continue
                batch_date = batches.get(batch) if batch is not None else None
                for j, basis in enumerate(risk.basis):
                    key = (id(basis), batch, batch_date, status)  # every basis stays alive in repo
                    citation = groups.get(key)
                    if citation is None:
                        citation = groups[key] = BasisGroup(basis, batch, batch_date, status, [])
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
        hint = f"；最接近的目录名称：{quoted_names(near)}" if near else "；目录中没有相近的名称，请把它加入 data/laws.yaml"
        if any(loose_key(n) == loose_key(basis.law) for n in near):
            hint += "（只差“（试行）”或“中华人民共和国”的名称是不同的写法或不同的法规，请按目录的写法引用，或在目录中补上这一部）"
        message = f"《{display_name(basis.law)}》不在法规目录 data/laws.yaml 中，无法核对其效力{hint}"
        for source, loc in citation.at("law"):
            yield _diag(source, loc, "unknown-law", "warning", message)


def _in_force_verdict(citation: BasisGroup, law: Law, today: dt.date) -> tuple[str, Severity, str] | None:
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
                    f"{name}的废止日期为 {law.repealed}{successor_phrase(law)}，晚于本风险点的公布日期 {citation.batch_date}："
                    "自废止之日起，公开清单上的这条依据已失效；请复核后改引新的依据，或将本风险点废止")
    elif citation.status is not Status.published and law.repealed is not None:
        return ("law-repealed", "warning",
                f"{name}的废止日期为 {law.repealed}{successor_phrase(law)}；本风险点尚未公布，"
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
        if any(number_key(number) == number_key(n) for n in version_numbers(law, citation.batch_date)):
            continue  # the 文号 of the text in force on the batch date (laws[].versions)
        other = catalogue.find_number(number) if catalogue is not None else None  # (None: no citations)
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
            verdict: tuple[str, Severity, str] = ("coercion-rank", "error",
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
    *ARTICLE_CHECKS,  # article level: versions, the no-penalty condition, verbatim excerpts (law_articles)
)
