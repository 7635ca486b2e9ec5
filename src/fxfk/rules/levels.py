"""The level rules of 附件1 一（风险等级划分）, as one small pure function plus its explanation.

Precedence is high → low → medium: a fact of the high clause wins over any low fact; the medium
clause is what remains (「除了高风险和低风险之外的其他违法行为」). With ``levels: 2`` (高/低 only)
what the medium clause would give is low: that is this repository's own setting, not the notice's —
the notice has three levels and no two-level variant — so its clause is not a quotation
(:attr:`Clause.quoted` is false) and :meth:`Clause.cite` never shows it in 「」.

Every clause is shown to users through :meth:`Clause.cite` (facts through :meth:`Fact.quote`), so
no renderer builds a quotation itself; ``tests/test_notice_quotes.py`` checks that every quoted
wording is a verbatim part of the notice (docs/notice-2019-175.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from fxfk.models.enums import Level
from fxfk.models.register import Factors


@dataclass(frozen=True)
class Clause:
    level: Level
    ref: str  # where in the notice, or for a local rule a short name of the setting
    wording: str  # the notice's own words for the whole clause, or (not quoted) the local rule in our words
    quoted: bool = True  # False: a rule of this repository's settings, never shown as the notice's words

    def cite(self) -> str:
        """The clause as every message and renderer shows it.

        ``附件1 一（三）「除了高风险和低风险之外的其他违法行为」`` for the notice's clauses; the local
        rule's own description, without quotation marks, for a setting of this repository.
        """
        return f"{self.ref}「{self.wording}」" if self.quoted else self.wording


@dataclass(frozen=True)
class Fact:
    field: str  # name in risks[].factors
    clause: Clause
    wording: str  # the part of the clause this fact stands for; 「……」 marks words left out

    def quote(self) -> str:
        """「the notice's words for this fact」 (every fact belongs to a quoted clause of the notice)."""
        return f"「{self.wording}」"


HIGH = Clause(
    Level.high,
    "附件1 一（一）",
    "实施重大行政处罚或行政强制措施、行政强制执行的违法行为或者某一时段、某一地域、某一行业易发、高发、多发的违法行为",
)
LOW = Clause(
    Level.low,
    "附件1 一（二）",
    "适用简易程序实施行政处罚的违法行为；违法行为轻微，经行政指导能及时纠正，未造成危害后果的违法行为；"
    "偶发、少见的违法行为或者法律没有明确规定，需要包容审慎监管的行为",
)
MEDIUM = Clause(Level.medium, "附件1 一（三）", "除了高风险和低风险之外的其他违法行为")
# Two-level mode (fxfk.yaml levels: 2) is local practice: the notice grades 高/中/低 and has no
# two-level variant. The rest falls to low; this is the repository's setting, so it is never quoted.
TWO_LEVEL_REST = Clause(
    Level.low,
    "本单位两级划分（levels: 2）",
    "本单位的两级划分（fxfk.yaml levels: 2，只分高、低：高风险以外的归为低风险）",
    quoted=False,
)

FACTS = (
    Fact("major_penalty", HIGH, "实施重大行政处罚……的违法行为"),
    Fact("coercion", HIGH, "实施……行政强制措施、行政强制执行的违法行为"),
    Fact("hotspot", HIGH, "某一时段、某一地域、某一行业易发、高发、多发的违法行为"),
    Fact("simple_procedure", LOW, "适用简易程序实施行政处罚的违法行为"),
    Fact("minor_correctable", LOW, "违法行为轻微，经行政指导能及时纠正，未造成危害后果的违法行为"),
    Fact("rare", LOW, "偶发、少见的违法行为"),
    Fact("unclear_law", LOW, "法律没有明确规定，需要包容审慎监管的行为"),
)


@dataclass(frozen=True)
class Explanation:
    level: Level
    clause: Clause  # the clause that decided
    facts: tuple[Fact, ...]  # the facts of the deciding clause that are present
    overridden: tuple[Fact, ...]  # facts of a lower-precedence clause that also hold

    @property
    def applicable(self) -> tuple[tuple[Clause, tuple[Fact, ...]], ...]:
        """Every clause that applies, in precedence order, with its facts; the first one wins.

        The residual clause (medium, or low in two-level mode) applies only when nothing else does.
        """
        out: list[tuple[Clause, tuple[Fact, ...]]] = [(self.clause, self.facts)]
        if self.overridden:
            out.append((self.overridden[0].clause, self.overridden))
        return tuple(out)


def fact_value(factors: Factors, fact: Fact) -> str:
    """How the fact is written in the data, for explanations: ``true`` or the hotspot text."""
    value = getattr(factors, fact.field)
    return value.strip() if isinstance(value, str) else ("true" if value else "false")


def _present(factors: Factors, fact: Fact) -> bool:
    value = getattr(factors, fact.field)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def explain(factors: Factors, levels: int = 3) -> Explanation:
    """Which clause of 附件1 一 decides the level for these facts, and why."""
    present = [f for f in FACTS if _present(factors, f)]
    high = tuple(f for f in present if f.clause is HIGH)
    low = tuple(f for f in present if f.clause is LOW)
    if high:
        return Explanation(Level.high, HIGH, high, low)
    if low:
        return Explanation(Level.low, LOW, low, ())
    if levels == 2:
        return Explanation(Level.low, TWO_LEVEL_REST, (), ())
    return Explanation(Level.medium, MEDIUM, (), ())


def rule_level(factors: Factors, levels: int = 3) -> Level:
    """The level the rules give: high if any high fact, else low if any low fact, else medium."""
    return explain(factors, levels).level
