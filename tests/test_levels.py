"""Unit tests for the level rules of 附件1 一 and the hotspot / consistency rules built on them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fxfk.models import Factors, Level, Risk
from fxfk.models.settings import Hotspot
from fxfk.rules.hotspots import (
    Point,
    clusters,
    hotspot_warnings,
    inconsistencies,
    is_rise,
    is_top,
    latest_year,
    law_key,
    ranks,
)
from fxfk.rules.levels import FACTS, HIGH, LOW, MEDIUM, TWO_LEVEL_REST, explain, fact_value, rule_level

HIGH_FACTS = {"major_penalty": True, "coercion": True, "hotspot": "2019年金水区高发"}
LOW_FACTS = {"simple_procedure": True, "minor_correctable": True, "rare": True, "unclear_law": True}


# --- every clause -------------------------------------------------------------------------------


@pytest.mark.parametrize("field,value", sorted(HIGH_FACTS.items()))
@pytest.mark.parametrize("levels", [2, 3])
def test_each_high_fact_alone_gives_high_by_clause_one(field, value, levels):
    why = explain(Factors(**{field: value}), levels)
    assert why.level is Level.high
    assert why.clause is HIGH
    assert [f.field for f in why.facts] == [field]
    assert why.overridden == ()


@pytest.mark.parametrize("field", sorted(LOW_FACTS))
@pytest.mark.parametrize("levels", [2, 3])
def test_each_low_fact_alone_gives_low_by_clause_two(field, levels):
    why = explain(Factors(**{field: True}), levels)
    assert why.level is Level.low
    assert why.clause is LOW
    assert [f.field for f in why.facts] == [field]


def test_no_fact_gives_medium_by_clause_three():
    why = explain(Factors(), 3)
    assert (why.level, why.clause, why.facts, why.overridden) == (Level.medium, MEDIUM, (), ())
    assert MEDIUM.wording == "除了高风险和低风险之外的其他违法行为"


def test_clauses_quote_the_notice():
    notice = (
        "实施重大行政处罚或行政强制措施、行政强制执行的违法行为或者某一时段、某一地域、某一行业易发、高发、多发的违法行为"
    )
    assert HIGH.wording == notice
    assert HIGH.ref == "附件1 一（一）" and LOW.ref == "附件1 一（二）" and MEDIUM.ref == "附件1 一（三）"
    assert "适用简易程序实施行政处罚的违法行为" in LOW.wording
    # every fact's wording is a part of its clause (elisions aside)
    for fact in FACTS:
        for piece in fact.wording.split("……"):
            assert piece in fact.clause.wording, fact.field


def test_blank_hotspot_text_is_not_a_fact():
    assert explain(Factors(hotspot="   "), 3).level is Level.medium


# --- precedence ---------------------------------------------------------------------------------


@pytest.mark.parametrize("high", sorted(HIGH_FACTS))
@pytest.mark.parametrize("low", sorted(LOW_FACTS))
def test_high_beats_low_and_low_facts_are_reported_as_overridden(high, low):
    why = explain(Factors(**{high: HIGH_FACTS[high], low: True}), 3)
    assert why.level is Level.high
    assert [f.field for f in why.facts] == [high]
    assert [f.field for f in why.overridden] == [low]
    assert [(c, tuple(f.field for f in fs)) for c, fs in why.applicable] == [(HIGH, (high,)), (LOW, (low,))]


def test_all_facts_listed_in_order_and_the_high_clause_wins():
    why = explain(Factors(**HIGH_FACTS, **LOW_FACTS), 3)
    assert [f.field for f in why.facts] == ["major_penalty", "coercion", "hotspot"]
    assert [f.field for f in why.overridden] == ["simple_procedure", "minor_correctable", "rare", "unclear_law"]
    assert why.applicable[0][0] is HIGH


def test_several_low_facts_all_show_and_nothing_is_overridden():
    why = explain(Factors(**LOW_FACTS), 3)
    assert why.level is Level.low and len(why.facts) == 4 and why.overridden == ()
    assert len(why.applicable) == 1


def test_residual_clause_applies_only_when_nothing_else_does():
    assert [c for c, _ in explain(Factors(), 3).applicable] == [MEDIUM]
    assert [c for c, _ in explain(Factors(rare=True), 3).applicable] == [LOW]


# --- two-level mode -----------------------------------------------------------------------------


def test_two_level_mode_turns_the_medium_clause_into_low():
    why = explain(Factors(), 2)
    assert why.level is Level.low
    assert why.clause is TWO_LEVEL_REST
    assert rule_level(Factors(), 2) is Level.low
    assert rule_level(Factors(), 3) is Level.medium


def test_two_level_rule_is_a_local_setting_never_quoted_as_the_notice():
    # The notice has no two-level variant: the rule is this repository's setting, cited without 「」.
    assert not TWO_LEVEL_REST.quoted
    shown = TWO_LEVEL_REST.cite()
    assert "「" not in shown and "附件1" not in TWO_LEVEL_REST.ref
    assert "本单位" in shown and "fxfk.yaml levels: 2" in shown
    assert MEDIUM.cite() == "附件1 一（三）「除了高风险和低风险之外的其他违法行为」"
    assert all(c.quoted for c in (HIGH, LOW, MEDIUM))
    assert FACTS[0].quote() == "「实施重大行政处罚……的违法行为」"


def test_two_level_mode_never_gives_medium():
    import itertools

    names = ["major_penalty", "coercion", "simple_procedure", "minor_correctable", "rare", "unclear_law"]
    for bits in itertools.product([False, True], repeat=len(names)):
        assert rule_level(Factors(**dict(zip(names, bits))), 2) is not Level.medium


def test_fact_value_shows_the_hotspot_text():
    factors = Factors(hotspot=" 2019年高发 ", rare=True)
    by_field = {f.field: f for f in FACTS}
    assert fact_value(factors, by_field["hotspot"]) == "2019年高发"
    assert fact_value(factors, by_field["rare"]) == "true"


# --- hotspot rules ------------------------------------------------------------------------------


def make_point(rid: str, cases: dict, office: str = "east", hotspot: str = "", level: str = "medium",
               status: str = "draft", domain: str = "拍卖", penalty: tuple[str, str] = ("拍卖管理办法", "第四十一条")) -> Point:
    risk = Risk.model_validate(
        {
            "id": rid, "title": f"{rid} 标题", "domain": domain,
            "basis": [{"role": "penalty", "law": penalty[0], "article": penalty[1]}],
            "factors": {"hotspot": hotspot}, "level": level, "responsible": "某科",
            "status": status, "cases": cases,
        }
    )
    source = SimpleNamespace(
        rel=f"data/risks/{office}.yaml",
        facts=SimpleNamespace(office=SimpleNamespace(id=office, name=f"{office}局")),
        loaded=SimpleNamespace(locate=lambda loc, key=False: (1, 1)),
    )
    return Point(source, 0, risk, risk.level)


SETTINGS = Hotspot(top=2, min_cases=5, rise_ratio=2)


def warned(points, settings=SETTINGS):
    return sorted((w.point.risk.id, w.rule) for w in hotspot_warnings(points, settings))


def test_top_rule_needs_rank_within_top_and_min_cases():
    assert is_top(5, 2, SETTINGS) and not is_top(4, 1, SETTINGS) and not is_top(50, 3, SETTINGS)


def test_top_rule_with_min_cases_zero_still_needs_one_case():
    assert not is_top(0, 1, Hotspot(top=10, min_cases=0))


def test_rise_rule_boundaries():
    assert is_rise(6, 3, SETTINGS)  # exactly 2 ×
    assert not is_rise(5, 3, SETTINGS)  # below 2 ×
    assert not is_rise(4, 2, SETTINGS)  # 2 × but below min_cases
    assert is_rise(5, 0, SETTINGS)  # from a recorded 0
    assert not is_rise(50, None, SETTINGS)  # previous year unknown
    assert is_rise(5, 3, Hotspot(rise_ratio="1.5"))  # 4.5 → 5 is enough
    assert not is_rise(4, 3, Hotspot(min_cases=1, rise_ratio="1.5"))


def test_ties_share_a_rank():
    ps = [make_point("A", {2019: 9}), make_point("B", {2019: 9}), make_point("C", {2019: 7}), make_point("D", {})]
    counts = [p.risk.cases.get(2019, 0) for p in ps]
    r = ranks(counts)
    assert [r[n] for n in counts] == [1, 1, 3, 4]


def test_top_n_warns_unmarked_points_only_and_keeps_ties_at_the_boundary():
    ps = [
        make_point("A", {2018: 9, 2019: 9}),
        make_point("B", {2018: 8, 2019: 8}, hotspot="已标记"),
        make_point("C", {2018: 8, 2019: 8}),  # ties with B at rank 2
        make_point("D", {2018: 7, 2019: 7}),  # rank 4: outside the top 2
    ]
    assert warned(ps) == [("A", "top"), ("C", "top")]


def test_rise_rule_warns_outside_the_top():
    ps = [make_point("A", {2019: 50}), make_point("B", {2019: 40}), make_point("C", {2018: 3, 2019: 6})]
    assert warned(ps) == [("A", "top"), ("B", "top"), ("C", "rise")]


def test_latest_year_is_city_wide():
    # B's latest own year is 2018, but the city's latest year is 2019: B had no cases then.
    ps = [make_point("A", {2019: 1}), make_point("B", {2017: 1, 2018: 90})]
    assert latest_year(ps) == 2019
    assert warned(ps) == []


def test_retired_points_are_not_warned_nor_ranked():
    ps = [make_point("A", {2019: 99}, status="retired"), make_point("B", {2019: 5}), make_point("C", {2019: 6})]
    assert warned(ps, Hotspot(top=1, min_cases=5)) == [("C", "top")]


def test_no_cases_no_warnings():
    assert warned([make_point("A", {})]) == []


def test_warning_advice_depends_on_the_declared_level():
    [high] = hotspot_warnings([make_point("A", {2019: 9}, level="high")], SETTINGS)
    [medium] = hotspot_warnings([make_point("A", {2019: 9})], SETTINGS)
    assert "申报等级已是高" in high.message and "定为高风险" in medium.message
    assert "排第 1 位" in medium.message and "前 2 名" in medium.message


def test_clusters_by_domain_and_office():
    ps = [
        make_point("A", {2018: 2, 2019: 6}, office="east", domain="拍卖"),
        make_point("B", {2018: 1, 2019: 2}, office="west", domain="拍卖", hotspot="x"),
        make_point("C", {2019: 12}, office="west", domain="洗染"),
    ]
    by_domain = clusters(ps, 2019, "domain", SETTINGS)
    assert [(c.key, c.points, c.marked, c.previous, c.latest) for c in by_domain] == [("洗染", 1, 0, 0, 12), ("拍卖", 2, 1, 3, 8)]
    assert by_domain[1].rising and not by_domain[0].rising  # 8 ≥ 2×3; 洗染 has no 2018 record
    assert round(by_domain[0].share, 2) == 0.6
    assert [(c.key, c.latest) for c in clusters(ps, 2019, "office", SETTINGS)] == [("west", 14), ("east", 6)]


# --- consistency across offices -----------------------------------------------------------------


def test_law_names_are_normalised():
    assert law_key("《单用途商业预付卡管理办法(试行)》") == law_key("单用途商业预付卡管理办法（试行）")


def test_same_penalty_article_graded_differently_by_two_offices_is_inconsistent():
    a = make_point("A", {}, office="east", level="high", penalty=("《拍卖管理办法》", "第四十一条"))
    b = make_point("B", {}, office="west", level="low", penalty=("拍卖管理办法", " 第四十一条"))
    c = make_point("C", {}, office="north", level="high")
    [group] = inconsistencies([a, b, c])
    assert [m.risk.id for m in group.members] == ["A", "C", "B"]  # by file: east, north, west
    assert "east" in group.message and "west" in group.message and "north" in group.message
    assert "定为高" in group.message and "定为低" in group.message


def test_same_level_everywhere_or_one_office_only_is_consistent():
    same = [make_point("A", {}, office="east", level="high"), make_point("B", {}, office="west", level="high")]
    one_office = [make_point("A", {}, office="east", level="high"), make_point("B", {}, office="east", level="low")]
    other_article = [make_point("A", {}, office="east"), make_point("B", {}, office="west", level="low", penalty=("拍卖管理办法", "第四十二条"))]
    assert inconsistencies(same) == [] and inconsistencies(one_office) == [] and inconsistencies(other_article) == []


def test_retired_points_do_not_count_for_consistency():
    ps = [make_point("A", {}, office="east", level="high"), make_point("B", {}, office="west", level="low", status="retired")]
    assert inconsistencies(ps) == []
