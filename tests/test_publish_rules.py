"""Focused rules of fxfk publish: batch numerals, the safety patterns, the no-penalty situation."""

from __future__ import annotations

import datetime as dt

from fxfk.public.view import Tier, batch_label, no_penalty_situations
from fxfk.publish import parse_formats
from fxfk.rules.law_names import display_name
from fxfk.rules.personal_data import find_personal_numbers


def test_batch_labels():
    assert [batch_label(n) for n in (1, 2, 10, 11, 20, 21)] == ["第一批", "第二批", "第十批", "第十一批", "第二十批", "第二十一批"]


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_personal_numbers(text)]


def test_id_card_pattern():
    # The full table of examples is tests/security/test_personal_data.py.
    assert kinds("身份证11010519491231002X") == ["id"]
    assert kinds("号码 110105194912310011。") == ["id"]
    assert kinds("1101051949123100211") == []  # 19 digits: not an ID number
    assert kinds("商务部令2012年第9号") == []


def test_mobile_pattern():
    assert kinds("电话13912345678") == ["mobile"]
    assert kinds("0371-67175615") == []
    assert kinds("123912345678") == []  # part of a longer number
    assert kinds("12912345678") == []  # 12x is not a mobile prefix


def test_no_penalty_situation_follows_the_tiers_or_the_law_in_force():
    tiers = (Tier("初次违法且情节轻微", "不予行政处罚"), Tier("逾期不改", "罚款"))
    assert no_penalty_situations(tiers, dt.date(2020, 1, 1)) == ("初次违法且情节轻微",)
    # The statute's words of the day (the article itself is the 实施依据: tests/test_no_penalty_ground.py).
    assert no_penalty_situations((), dt.date(2021, 7, 14)) == ("违法行为轻微并及时纠正，没有造成危害后果的，不予行政处罚",)
    assert no_penalty_situations((), dt.date(2021, 7, 15)) == ("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚",)


def test_law_names_and_formats():
    assert display_name("《拍卖管理办法》") == "拍卖管理办法"
    assert parse_formats(["md,html", "csv"]) == ["html", "md", "csv"]
    assert parse_formats(None) == ["html", "md", "csv", "xlsx", "docx"]
