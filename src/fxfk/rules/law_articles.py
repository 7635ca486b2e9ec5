"""Article-level checks of ``fxfk validate`` on ``laws[].versions`` (facts in :mod:`fxfk.rules.law_versions`).

Run with the other catalogue checks (``fxfk.rules.laws.LAW_CHECKS``); retired points are skipped. Each
is an error when the point is public on the day validate runs (published, batch dated on or before
it), a warning before:

* ``cited-article-not-in-force``: a no-penalty condition, or a basis's ``article``, cites an article of a
  law with versions that the catalogue knows from another text but not from the text in force on the
  point's batch date (行政处罚法第二十七条第二款 on a batch of 2022). ``cited-version-not-in-force``: the
  condition names a text by its label (“（2017年修正）”) that is not the one in force then.
* ``cited-article-superseded`` (warning): a published point's condition cites an article that was right
  on its batch date but has been replaced since — the public list now prints a superseded article.
* ``first-offence-without-ground``: 首违不罚 wording (``FIRST_OFFENCE_WORDS``) in a no-penalty condition
  on a batch whose day has no ``first_offence_no_penalty`` article (before 2021-07-15).
* ``excerpt-not-verbatim``: a basis excerpt not found in the catalogue's text of the cited article(s)
  on the batch date (today for a point without one). Parts left out are marked 「……」 (or …, ...), and
  every piece between the marks must appear in one of the cited articles; two articles joined without
  a mark fail. Judged only when the catalogue has the text of every article the basis cites.
* ``law-versions-order`` (error), ``law-version-outside-validity`` and ``unknown-rule-key`` (warnings):
  the catalogue's own versions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, NamedTuple

from fxfk.diagnostics import Diagnostic, Severity, format_path
from fxfk.load.facts import BasisFacts, RiskFacts
from fxfk.load.repository import Repository, SourceFile
from fxfk.load.yamlload import Loc
from fxfk.models import Law, Register, Status
from fxfk.models.register import public_on
from fxfk.rules.law_names import display_name, law_key
from fxfk.rules.law_versions import (
    FIRST_OFFENCE_WORDS,
    RULES,
    Mention,
    article_problem,
    article_refs,
    excerpt_problem,
    first_offence_has_ground,
    first_offence_wording,
    label_version,
    mentions,
    version_on,
)


def _diag(source: SourceFile[Any], loc: Loc, code: str, severity: Severity, message: str) -> Diagnostic:
    line, column = source.locate(*loc)
    return Diagnostic(source.rel, line, column, code, severity, format_path(loc), message)


def _versioned(repo: Repository) -> dict[str, Law]:
    """Laws of the catalogue that list versions, by name key; empty without a catalogue."""
    if repo.laws is None or repo.laws.model is None:
        return {}
    out: dict[str, Law] = {}
    for law in repo.laws.model.laws:
        if law.versions:
            out.setdefault(law_key(law.name), law)
    return out


class Point(NamedTuple):
    source: SourceFile[Register]
    risk_index: int  # (not "index": that is a tuple's method)
    risk: RiskFacts
    batch_date: dt.date | None

    def public_on(self, day: dt.date) -> bool:
        return public_on(self.risk.status is Status.published, self.batch_date, day)

    def when(self, today: dt.date) -> tuple[Severity, str]:
        if self.public_on(today):
            return "error", f"本风险点第{self.risk.batch}批的公布日期是 {self.batch_date}，公开清单不能引用当日未施行的条款"
        return "warning", f"本风险点尚未公开，计划在第{self.risk.batch}批（{self.batch_date}）公布，公布前请改正"


def _points(repo: Repository) -> Iterator[Point]:
    for src in repo.valid_registers():
        facts = src.valid_facts
        batches = {b.id: b.date for b in facts.batches}
        for i, risk in enumerate(facts.risks):
            if risk.status is Status.retired:
                continue
            yield Point(src, i, risk, batches.get(risk.batch) if risk.batch is not None else None)


def check_law_versions(repo: Repository) -> Iterator[Diagnostic]:
    if repo.laws is None or repo.laws.model is None:
        return
    for i, law in enumerate(repo.laws.model.laws):
        name = f"《{display_name(law.name)}》"
        for k, v in enumerate(law.versions):
            if k and v.effective <= law.versions[k - 1].effective:
                yield _diag(repo.laws, ("laws", i, "versions", k, "effective"), "law-versions-order", "error",
                            f"{name}的文本须按施行日期先后排列，日期不能重复：{v.effective} 不晚于上一个文本的 "
                            f"{law.versions[k - 1].effective}")
            if (law.effective is not None and v.effective < law.effective) or (
                    law.repealed is not None and v.effective >= law.repealed):
                yield _diag(repo.laws, ("laws", i, "versions", k, "effective"), "law-version-outside-validity",
                            "warning", f"{name}的文本《{display_name(v.name)}》施行日期 {v.effective} 不在该法规的施行期间内"
                            f"（{law.effective or '?'} 至 {law.repealed or '今'}）；请核对".replace("至 今", "至今"))
            for key in v.articles:
                if key not in RULES:
                    yield _diag(repo.laws, ("laws", i, "versions", k, "articles", key), "unknown-rule-key", "warning",
                                f"规则名“{key}”fxfk 不认识；可用的规则名：{'、'.join(RULES)}")


def condition_problem(m: Mention, day: dt.date) -> tuple[str, str] | None:
    """(code, Chinese reason) when a citation in a condition text is not of the law's text in force on ``day``."""
    labelled = label_version(m.law, m.label)
    current = version_on(m.law, day)
    problem = article_problem(m.law, m.article, day) if m.article else None
    if labelled is not None and current is not None and labelled is not current:
        cited = f"《{display_name(labelled.name)}》{m.article}"
        return "cited-version-not-in-force", (
            f"{cited}：{problem}" if problem else f"{cited}，{day} 施行的是《{display_name(current.name)}》")
    if problem is not None:
        return "cited-article-not-in-force", f"《{display_name(m.law.name)}》{problem}"
    return None


def check_condition_citations(repo: Repository) -> Iterator[Diagnostic]:
    """Articles and texts a no-penalty condition cites, against the day of its batch (and today)."""
    laws = list(_versioned(repo).values())
    if not laws:
        return
    today = repo.today
    for point in _points(repo):
        risk = point.risk
        if not risk.no_penalty or not risk.no_penalty_condition.strip() or point.batch_date is None:
            continue
        loc = ("risks", point.risk_index, "no_penalty_condition")
        for m in mentions(risk.no_penalty_condition, laws):
            found = condition_problem(m, point.batch_date)
            if found is not None:
                code, why = found
                severity, tail = point.when(today)
                yield _diag(point.source, loc, code, severity,
                            f"免罚适用条件引用的{why}；{tail}。适用条件只写事实，实施依据由 fxfk 按公布日期生成")
            elif point.public_on(today) and (later := condition_problem(m, today)) is not None:
                cited = f"《{display_name(m.law.name)}》" + (f"（{m.label}）" if m.label else "") + m.article
                yield _diag(point.source, loc, "cited-article-superseded", "warning",
                            f"免罚适用条件引用的{cited}在公布时有效，但已被取代（{later[1]}）；公开清单上的这段文字已过时，"
                            "请删去其中的条款引用（实施依据由 fxfk 按公布日期生成）")


def conditions_not_in_force(repo: Repository, day: dt.date) -> Iterator[Diagnostic]:
    """What ``fxfk publish`` refuses: a condition of a point public on ``day`` that cites an article
    (or a text) not in force on ``day`` — validate only warns about a superseded one, but the list
    published on ``day`` would print it."""
    laws = list(_versioned(repo).values())
    for point in _points(repo) if laws else ():
        risk = point.risk
        if not risk.no_penalty or not point.public_on(day):
            continue
        for m in mentions(risk.no_penalty_condition, laws):
            found = condition_problem(m, day)
            if found is not None:
                code, why = found
                yield _diag(point.source, ("risks", point.risk_index, "no_penalty_condition"), code, "error",
                            f"免罚适用条件引用的{why}；公布日期 {day} 的公开清单不能引用当日未施行的条款。"
                            "适用条件只写事实，实施依据由 fxfk 按公布日期生成")


def check_first_offence_wording(repo: Repository) -> Iterator[Diagnostic]:
    """首违不罚 in a condition on a batch whose day gives it no legal ground (before 2021-07-15)."""
    catalogue = repo.laws.model if repo.laws is not None else None
    today = repo.today
    for point in _points(repo):
        risk = point.risk
        if not risk.no_penalty or point.batch_date is None or not first_offence_wording(risk.no_penalty_condition):
            continue
        if first_offence_has_ground(catalogue, point.batch_date):
            continue
        word = next(w for w in FIRST_OFFENCE_WORDS if w in risk.no_penalty_condition)
        severity, tail = point.when(today)
        yield _diag(point.source, ("risks", point.risk_index, "no_penalty_condition"), "first-offence-without-ground",
                    severity, f"免罚适用条件含“{word}”（首违不罚），但 {point.batch_date} 施行的行政处罚法没有首违不罚的规定"
                    f"（2021-07-15 起施行的第三十三条第一款才有）；{tail.replace('引用当日未施行的条款', '写当日没有法律依据的免罚条件')}")


_Places = list[tuple[SourceFile[Register], int, int]]  # (register, risk index, basis index)


def _basis_groups(repo: Repository) -> dict[tuple[BasisFacts, int | None, dt.date | None, bool], _Places]:
    """(basis, batch, batch date, public, status) → places: every verdict below depends only on the key."""
    today = repo.today
    groups: dict[tuple[BasisFacts, int | None, dt.date | None, bool], _Places] = {}
    for point in _points(repo):
        for j, basis in enumerate(point.risk.basis):
            key = (basis, point.risk.batch, point.batch_date, point.public_on(today))
            groups.setdefault(key, []).append((point.source, point.risk_index, j))
    return groups


def _when(batch: int | None, batch_date: dt.date | None, public: bool) -> tuple[Severity, str]:
    if public:
        return "error", f"本风险点第{batch}批的公布日期是 {batch_date}，公开清单上的"
    if batch_date is not None:
        return "warning", f"本风险点尚未公开（计划在第{batch}批，{batch_date}），公布前请改正；"
    return "warning", "本风险点尚未公开，公布前请改正；"


def check_basis_articles_in_force(repo: Repository) -> Iterator[Diagnostic]:
    laws = _versioned(repo)
    if not laws:
        return
    for (basis, batch, batch_date, public), places in _basis_groups(repo).items():
        law = laws.get(law_key(basis.law))
        if law is None or batch_date is None:
            continue
        for ref in article_refs(basis.article):
            problem = article_problem(law, ref, batch_date)
            if problem is None:
                continue
            severity, when = _when(batch, batch_date, public)
            message = (f"《{display_name(basis.law)}》{problem}；{when}" + ("条款必须是当日施行的文本中的条款" if public else
                       "请改引届时施行的文本中的条款"))
            for source, i, j in places:
                yield _diag(source, ("risks", i, "basis", j, "article"), "cited-article-not-in-force", severity, message)


def check_excerpts_verbatim(repo: Repository) -> Iterator[Diagnostic]:
    laws = {k: law for k, law in _versioned(repo).items() if any(v.texts for v in law.versions)}
    if not laws:
        return
    today = repo.today
    for (basis, batch, batch_date, public), places in _basis_groups(repo).items():
        law = laws.get(law_key(basis.law))
        if law is None or not basis.excerpt or not basis.excerpt.strip():
            continue
        problem = excerpt_problem(law, basis.article, basis.excerpt, batch_date or today)
        if problem is None:
            continue
        severity, when = _when(batch, batch_date, public)
        message = problem + "；" + (when + "摘录必须与原文一致" if public else when.rstrip("；"))
        for source, i, j in places:
            yield _diag(source, ("risks", i, "basis", j, "excerpt"), "excerpt-not-verbatim", severity, message)


ARTICLE_CHECKS = (
    check_law_versions,
    check_condition_citations,
    check_first_offence_wording,
    check_basis_articles_in_force,
    check_excerpts_verbatim,
)
