"""The figures of every section of `fxfk report`, against tests/corpus/report worked out by hand.

The corpus, on the report date 2019-12-31 (2019 task table, due_soon_days 14):

east 东区商务局 (county) — batches 1: 2019-03-01, 2: 2020-06-01 (scheduled)
    E-1 预付卡 高 published b1  cases 2018: 10, 2019: 4
    E-2 预付卡 中 published b1  cases 2018: 2,  2019: 5
    E-3 家政   低 published b2  (batch not yet public → counts as approved)
    E-4 家政   中 draft
    E-5 家政   中 retired b1    (left out of levels, funnel and evaluation)
    E-6 家政   低 published b1  cases 2018: 1,  2019: 0
    activities: training ×2, consultation (task 3.1), guidance E-1 8/10, guidance E-1+E-2 5/5,
                survey 30/40; plus a 2020 guidance and a 2018 model_site that must not count
west 西区执法处 (division) — batches 1: 2018-06-01, 2: 2019-04-01
    W-1 预付卡 中 published b2  cases 2018: 3, 2019: 1
    W-2 汽车   低 published b2  cases 2019: 2 only (no year before → 无数据)
    W-3 汽车   中 consulting
    W-4 汽车   高 published b1  cases 2017: 6, 2018: 3, 2019: 2
    activities: publication, guidance W-1 0/0 (a zero denominator)
quiet 静默中心 (affiliate): no points, no activities

The evaluation compares whole years only (issue 16): on 2019-12-31 no point published in 2019 has a
whole year after publication, so those tests run on a copy with 2020 cases (:func:`later`), on
2020-12-31.
"""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction

import pytest

from conftest import CORPUS
from fxfk.load.repository import load_repository
from fxfk.options import Options
from fxfk.report.content import Ratio, number
from fxfk.report.figures import build_report, whole_years_after
from fxfk.tasks.status import TaskState

DAY = dt.date(2019, 12, 31)
NO_CACHE = Options(cache=False)  # the corpus is read in place: the checkout stays clean


@pytest.fixture(scope="module")
def report():
    return build_report(load_repository(CORPUS / "report", NO_CACHE), DAY)


def test_overview_by_level_and_status(report):
    assert [o.name for o in report.overview] == ["东区商务局", "西区执法处", "静默中心"]  # county, division, affiliate
    east, west, quiet = report.overview
    # levels (high, medium, low) of points not retired:
    # east: E-1 高; E-2, E-4 中; E-3, E-6 低 (E-5 retired) → 1, 2, 2
    assert east.by_level == (1, 2, 2)
    # west: W-4 高; W-1, W-3 中; W-2 低 → 1, 2, 1
    assert west.by_level == (1, 2, 1)
    assert quiet.by_level == (0, 0, 0)
    # statuses (draft, consulting, approved, published, retired), all points, 已公布 = public on the date:
    # east: E-4 draft; E-1, E-2, E-6 public; E-3 published in batch 2 (2020-06-01) → counted as approved
    # (已审定（批次未到）); E-5 retired → 1, 0, 1, 3, 1 of 6
    assert east.by_status == (1, 0, 1, 3, 1) and east.total == 6 and east.scheduled == 1
    # west: W-3 consulting; W-1, W-2, W-4 published → 0, 1, 0, 3, 0 of 4
    assert west.by_status == (0, 1, 0, 3, 0) and west.total == 4
    # city: levels 1+1=2, 2+2=4, 2+1=3; 10 points, 1 retired
    assert report.level_totals == (2, 4, 3)
    # the 已公布 total is the funnel's (6), as the public lists count
    assert report.status_totals == (1, 1, 1, 6, 1) and report.status_totals[3] == report.city_funnel.published
    assert [(x.risk_id, x.status) for x in report.scheduled] == [("E-3", "已审定（批次未到）")]
    assert "2020年6月1日" in report.scheduled[0].note
    assert report.risk_total == 10 and report.retired_total == 1


def test_funnel(report):
    east, west, quiet = report.funnel
    # east: identified = 6 − 1 retired = 5; consulting+ = E-1, E-2, E-3, E-6 = 4 (E-4 is a draft);
    # approved+ = the same 4; published on the date = E-1, E-2, E-6 = 3 (E-3's batch is 2020-06-01)
    assert east.stages == (5, 4, 4, 3)
    assert east.share == Ratio(3, 5) and east.share.percent == "60.0%"  # 3/5 = 60%
    # west: identified 4; consulting+ 4 (W-3 consulting); approved+ 3; published 3 → 3/4 = 75%
    assert west.stages == (4, 4, 3, 3)
    assert west.share.percent == "75.0%"
    # quiet: nothing identified → the share has a zero denominator
    assert quiet.stages == (0, 0, 0, 0) and quiet.share.percent == "无数据" and quiet.share.text == "无数据"
    # city: 5+4=9, 4+4=8, 4+3=7, 3+3=6 → 6/9 = 66.67% → 66.7%
    assert report.city_funnel.stages == (9, 8, 7, 6)
    assert report.city_funnel.share.text == "66.7%（6/9）"


def test_tasks_worst_first(report):
    rows = [(t.task_id, t.office_id, t.status) for t in report.tasks]
    # 3.1 (due 8月中旬 = 2019-08-20): east consulted 2019-02-10 → done; west and quiet never → overdue.
    # 4 (根据工作安排): east surveyed 2019-07-01 → done; the others open.
    # 5.1 (12月底 = 2019-12-31, west only): 0 days left ≤ 14 → due soon.
    # Worst first (overdue, due soon, pending, open, done late, done), then the earliest deadline.
    assert rows == [
        ("3.1", "west", TaskState.overdue),
        ("3.1", "quiet", TaskState.overdue),
        ("5.1", "west", TaskState.due_soon),
        ("4", "west", TaskState.open),
        ("4", "quiet", TaskState.open),
        ("3.1", "east", TaskState.done),
        ("4", "east", TaskState.done),
    ]
    assert dict(report.task_counts) == {
        TaskState.overdue: 2, TaskState.due_soon: 1, TaskState.pending: 0,
        TaskState.open: 2, TaskState.done_late: 0, TaskState.done: 2,
    }
    matrix = dict(report.task_matrix())
    assert [t.status if t else None for t in matrix["东区商务局"]] == [TaskState.done, TaskState.done, None]  # 5.1 is west's only
    assert len(report.open_tasks) == 5  # 7 rows − 2 done


def test_activities_per_office_and_kind(report):
    east, west, quiet = report.activities
    kinds = ["training", "test", "model_site", "consultation", "publication", "publicity", "guidance", "survey", "evaluation", "other"]
    # east 2019 up to 12-31: training count 2, consultation 1, guidance 2 (the 2020 one is after the date),
    # survey 1; the 2018 model_site is another year → total 2+1+2+1 = 6
    assert dict(zip(kinds, east.counts)) == dict(zip(kinds, [2, 0, 0, 1, 0, 0, 2, 1, 0, 0]))
    assert east.total == 6
    # west: publication 1 + guidance 1 = 2
    assert west.total == 2 and west.counts[kinds.index("publication")] == 1
    assert quiet.total == 0
    assert report.silent_offices == ("静默中心",)
    assert sum(report.activity_totals) == 8


def test_only_whole_years_count_after_publication(report):
    # 2019-12-31: every point published in 2019 was public for part of 2019 only → nothing after it yet
    points = {p.risk_id: p for p in report.evaluation.points}
    assert list(points) == ["E-1", "E-2", "E-6", "W-1", "W-2", "W-4"]
    assert all(points[k].after == () and points[k].verdict == "无数据" for k in ("E-1", "E-2", "E-6", "W-1", "W-2"))
    # W-4 published 2018-06-01: 2018 is partial, 2019 whole → before 2017 = 6, after 2019 = 2 → −4
    w4 = points["W-4"]
    assert (w4.before, w4.after, w4.change, w4.verdict) == (6, ((2019, 2),), -4, "下降")
    assert [p.risk_id for p in report.evaluation.typical] == ["W-4"] and report.evaluation.to_revise == ()


@pytest.mark.parametrize(
    "published, date, years",
    [
        (dt.date(2019, 9, 16), dt.date(2019, 12, 31), []),  # partial publication year
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31), [2019]),  # public all of 2019
        (dt.date(2019, 9, 16), dt.date(2021, 6, 30), [2020]),  # 2021 has not ended
        (dt.date(2019, 9, 16), dt.date(2021, 12, 31), [2020, 2021]),
    ],
)
def test_whole_years_after(published, date, years):
    assert list(whole_years_after(published, date)) == years


ADDED_2020 = {"E-1": 4, "E-2": 5, "E-6": 0, "W-1": 1, "W-4": 3}  # cases recorded for 2020


def _with_2020_cases(folder):
    for name in ("east", "west"):
        path = folder / "data/risks" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        for rid, n in ADDED_2020.items():
            at = text.find(f"  - id: {rid}\n")
            if at < 0:
                continue
            cases = text.index("    cases:\n", at)
            end = text.index("\n", text.index("      2019:", cases)) + 1
            text = text[:end] + f"      2020: {n}\n" + text[end:]
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    """The corpus with 2020 cases, reported on 2020-12-31: one whole year after the 2019 batches.

    E-1 (2019-03-01) 2018: 10 → 2020: 4 (−6, 14 cases); E-2 2: → 5 (+3, 7 cases); E-6 1 → 0 (1 case:
    too few); W-1 (2019-04-01) 3 → 1 (4 cases: too few); W-2 no 2018 → 无数据; W-4 (2018-06-01) 2017: 6
    → 2019: 2, 2020: 3 = 2.5 (−3.5, 11 cases). E-3 (batch 2020-06-01) is public now, no whole year after.
    """
    folder = tmp_path_factory.mktemp("later") / "report"
    shutil.copytree(CORPUS / "report", folder)
    _with_2020_cases(folder)
    return build_report(load_repository(folder, NO_CACHE), dt.date(2020, 12, 31), year=2019)


def test_evaluation_per_point(later):
    ev = later.evaluation
    points = {p.risk_id: p for p in ev.points}
    assert list(points) == ["E-1", "E-2", "E-3", "E-6", "W-1", "W-2", "W-4"]
    # E-1 published 2019-03-01: before = 2018 = 10; after = 2020 = 4 (2019 is partial) → −6
    assert (points["E-1"].before, points["E-1"].after, points["E-1"].change) == (10, ((2020, 4),), -6)
    # E-1's guidance in 2019 (the report year): 8/10 + 5/5 = 13/15 = 86.67% → 86.7%
    assert points["E-1"].compliance.text == "86.7%（13/15）"
    # E-2: 2 → 5, +3, 7 cases ≥ 5 → rising
    assert points["E-2"].change == 3 and points["E-2"].rising and points["E-2"].verdict == "上升"
    # W-4 published 2018-06-01: before = 2017 = 6; after = mean(2019: 2, 2020: 3) = 2.5 → −3.5
    w4 = points["W-4"]
    assert w4.before_year == 2017 and w4.after_mean == Fraction(5, 2) and w4.change == Fraction(-7, 2)
    assert number(w4.change) == "-3.5" and w4.after_years == "2019–2020"
    # E-6 (1 → 0) and W-1 (3 → 1): fewer than 5 cases in the years compared → 样本过少, no verdict
    for rid in ("E-6", "W-1"):
        assert points[rid].too_few and points[rid].verdict == "样本过少" and not points[rid].rising
    assert [p.risk_id for p in ev.too_few] == ["E-6", "W-1"]
    # W-2: no 2018 record; E-3: published 2020-06-01, no whole year after → cannot be evaluated
    assert points["W-2"].before is None and points["W-2"].change is None and points["W-2"].verdict == "无数据"
    assert [p.risk_id for p in ev.unknown] == ["E-3", "W-2"]


def test_minimum_sample_is_a_setting(tmp_path):
    folder = tmp_path / "report"
    shutil.copytree(CORPUS / "report", folder)
    _with_2020_cases(folder)
    settings = folder / "fxfk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "evaluation_min_cases: 2\n", encoding="utf-8")
    rep = build_report(load_repository(folder, NO_CACHE), dt.date(2020, 12, 31), year=2019)
    assert rep.min_cases == 2 and [p.risk_id for p in rep.evaluation.too_few] == ["E-6"]  # W-1's 4 cases are enough


def test_revise_and_typical_cases(later):
    ev = later.evaluation
    # rising: only E-2 (+3) → 建议修订完善
    assert [p.risk_id for p in ev.to_revise] == ["E-2"]
    # falls with enough cases: E-1 −6, W-4 −3.5 (W-1 −2 and E-6 −1 are too few)
    assert [p.risk_id for p in ev.typical] == ["E-1", "W-4"]


def test_evaluation_per_domain(later):
    domains = {d.domain: d for d in later.evaluation.domains}
    pre = domains["预付卡"]
    # E-1, E-2, W-1: before 10 + 2 + 3 = 15; after 4 + 5 + 1 = 10; change −5; 1 rising, 1 falling (W-1 too few)
    assert (pre.points, pre.evaluable, pre.before, pre.after, pre.change) == (3, 3, 15, 10, -5)
    assert (pre.rising, pre.falling) == (1, 1)
    # guidance naming any of them, each activity once: 8/10 + 5/5 + 0/0 = 13/15
    assert pre.compliance == Ratio(13, 15)
    car = domains["汽车"]
    # W-2 (无数据) and W-4: only W-4 counts → 6 before, 2.5 after, −3.5
    assert (car.points, car.evaluable, car.before, car.after) == (2, 1, 6, Fraction(5, 2))
    assert car.compliance.text == "无数据"  # no guidance names W-2 or W-4
    home = domains["家政"]
    # E-6 (1 → 0) and E-3 (no year after): only E-6 is evaluable
    assert (home.points, home.evaluable, home.before, home.after, home.change) == (2, 1, 1, 0, -1)


def test_compliance_and_satisfaction_per_office(report):
    ev = report.evaluation
    east, west, quiet = ev.offices
    # east: guidance 8/10 + 5/5 = 13/15; the 2020 activity (0/100) is after the report date
    assert east.compliance == Ratio(13, 15)
    # east survey 30/40 = 75%
    assert east.satisfaction.text == "75.0%（30/40）"
    # west: guidance 0/0 and no survey; quiet: nothing at all → 无数据 everywhere
    for o in (west, quiet):
        assert o.compliance.text == "无数据" and o.satisfaction.text == "无数据"
    # city: 13/15 and 30/40
    assert ev.compliance == Ratio(13, 15) and ev.satisfaction == Ratio(30, 40)


def test_assessment(report):
    east, west, quiet = report.assessment
    # east: +2 (2019-12-20) and −1 (2019-12-25) → bonus 2, deduction −1, total 1
    assert (east.bonus, east.deduction, east.total) == (2, -1, 1)
    assert [i.reason for i in east.items] == ["首违免罚成效显著", "投诉线索未按期核查"]
    # west's +3 is dated 2020-01-10, after the report date → not counted
    assert west.items == () and west.total == 0
    assert quiet.total == 0
    assert report.score_total == 1


def test_report_date_moves_the_figures():
    # On 2019-03-15 west's batch 2 (2019-04-01) is not out yet: W-1, W-2 count as approved only,
    # and nothing of 2019 after that day counts (east: training ×2 and consultation → 3).
    early = build_report(load_repository(CORPUS / "report", NO_CACHE), dt.date(2019, 3, 15))
    assert early.funnel[1].stages == (4, 4, 3, 1)  # only W-4 (batch 1, 2018) is public
    assert early.activities[0].total == 3
    assert early.evaluation.satisfaction.text == "无数据"  # the survey is dated 2019-07-01


def test_office_filter_restricts_every_total():
    rep = build_report(load_repository(CORPUS / "report", NO_CACHE), DAY, offices=["west"])
    assert [o.name for o in rep.overview] == ["西区执法处"]
    assert rep.city_funnel.stages == (4, 4, 3, 3)
    assert [p.risk_id for p in rep.evaluation.points] == ["W-1", "W-2", "W-4"]
    assert rep.score_total == 0 and not rep.all_offices


@pytest.mark.parametrize(
    "value, text",
    [(Fraction(5, 2), "2.5"), (Fraction(-7, 2), "-3.5"), (Fraction(1, 3), "0.3"), (Fraction(2, 3), "0.7"), (4, "4"), (Fraction(1, 20), "0.1")],
)
def test_number_rounds_half_up_with_one_decimal(value, text):
    assert number(value) == text


def test_ratio_with_zero_denominator_is_no_data():
    assert Ratio(0, 0).percent == "无数据"
    assert Ratio(0, 5).percent == "0.0%"  # a real zero stays a zero
    assert (Ratio(1, 2) + Ratio(0, 0)).text == "50.0%（1/2）"
