"""The deadline grammar (完成时限) of data-format.md: unit tests per form, property tests per month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fxfk.tasks.deadline import ACCEPTED_FORMS, DeadlineError, parse_deadline

years = st.integers(min_value=2000, max_value=2100)  # the task table's year range (models/types.py TaskYear)
months = st.integers(min_value=1, max_value=12)


def last_day(year: int, month: int) -> int:
    # Independent of calendar.monthrange: the day before the first of the next month.
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_next - dt.timedelta(days=1)).day


# Every 完成时限 printed in 附件2 of 郑商〔2019〕175号, spaces as printed there.
ANNEX2 = [
    ("根据工作安排", None),
    ("11 月中旬", dt.date(2019, 11, 20)),
    ("8 月中旬", dt.date(2019, 8, 20)),
    ("9 月中旬", dt.date(2019, 9, 20)),
    ("12 月底", dt.date(2019, 12, 31)),
]


@pytest.mark.parametrize("text,expected", ANNEX2)
def test_every_form_of_annex2(text, expected):
    assert parse_deadline(text, 2019) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3月上旬", dt.date(2019, 3, 10)),
        ("3月中旬", dt.date(2019, 3, 20)),
        ("3月下旬", dt.date(2019, 3, 31)),
        ("4月底", dt.date(2019, 4, 30)),
        ("4月末", dt.date(2019, 4, 30)),
        ("6月初", dt.date(2019, 6, 5)),
        ("10月8日", dt.date(2019, 10, 8)),
        ("年底", dt.date(2019, 12, 31)),
        ("年末", dt.date(2019, 12, 31)),
        ("2020-01-15", dt.date(2020, 1, 15)),
        ("１１月中旬", dt.date(2019, 11, 20)),  # full-width digits
        (" 9月 30日 ", dt.date(2019, 9, 30)),
    ],
)
def test_every_form_of_the_grammar(text, expected):
    assert parse_deadline(text, 2019) == expected


@pytest.mark.parametrize("text", ["根据工作安排", "长期", "持续"])
def test_no_fixed_deadline(text):
    assert parse_deadline(text, 2019) is None


@pytest.mark.parametrize(
    "text",
    ["", "尽快", "十一月中旬", "13月上旬", "0月底", "2月30日", "4月31日", "2019-02-29", "11月", "2019/11/20", "11月中下旬"],
)
def test_anything_else_is_an_error(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text, 2019)


def test_error_lists_the_accepted_forms():
    with pytest.raises(DeadlineError) as exc:
        parse_deadline("尽快", 2019)
    assert "尽快" in str(exc.value) and ACCEPTED_FORMS in str(exc.value)


@pytest.mark.parametrize("year,day", [(2019, 28), (2020, 29), (2100, 28), (2000, 29)])
def test_february_end_in_leap_and_common_years(year, day):
    for part in ("下旬", "底", "末"):
        assert parse_deadline(f"2月{part}", year) == dt.date(year, 2, day)


@given(years, months, st.sampled_from(["上旬", "中旬", "下旬", "初", "底", "末"]))
def test_every_month_part_lands_inside_its_month(year, month, part):
    due = parse_deadline(f"{month}月{part}", year)
    assert (due.year, due.month) == (year, month)
    assert 1 <= due.day <= last_day(year, month)


@given(years, months, st.sampled_from(["下旬", "底", "末"]))
def test_end_of_month_is_the_real_last_day(year, month, part):
    due = parse_deadline(f"{month}月{part}", year)
    assert due.day == last_day(year, month)
    assert (due + dt.timedelta(days=1)).day == 1


@given(years, months, st.integers(min_value=1, max_value=31))
def test_month_day_is_that_day_or_an_error(year, month, day):
    if day <= last_day(year, month):
        assert parse_deadline(f"{month}月{day}日", year) == dt.date(year, month, day)
    else:
        with pytest.raises(DeadlineError):
            parse_deadline(f"{month}月{day}日", year)


@given(years, months)
def test_parts_are_ordered_within_the_month(year, month):
    days = [parse_deadline(f"{month}月{p}", year) for p in ("初", "上旬", "中旬", "下旬")]
    assert days == sorted(days)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), years)
def test_iso_dates_keep_their_own_year(day, year):
    assert parse_deadline(day.isoformat(), year) == day
