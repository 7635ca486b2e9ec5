"""Working days by the official calendar, and the Monday–Friday fallback outside its years."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fxfk.tasks.workdays import WorkCalendar

D = dt.date


def test_national_day_holidays_and_make_up_sunday_2019():
    cal = WorkCalendar()
    assert not cal.is_workday(D(2019, 10, 1))  # 国庆
    assert not cal.is_workday(D(2019, 9, 13))  # 中秋, a Friday
    assert cal.is_workday(D(2019, 9, 29))  # Sunday, 调休 working day
    assert cal.is_workday(D(2019, 10, 12))  # Saturday, 调休 working day
    assert cal.fallback_years == set()
    assert cal.fallback_note() is None


def test_working_days_left_includes_today_and_the_due_day():
    cal = WorkCalendar()
    # Tue 10 Sep → Fri 20 Sep 2019: 10, 11, 12 (13 is 中秋), 16–20 = 8
    assert cal.working_days_left(D(2019, 9, 10), D(2019, 9, 20)) == 8
    assert cal.working_days_left(D(2019, 9, 20), D(2019, 9, 20)) == 1
    # Sat 28 Sep → Mon 30 Sep: Sunday 29 is a make-up working day, plus Monday
    assert cal.working_days_left(D(2019, 9, 28), D(2019, 9, 30)) == 2
    # 1–7 Oct is the holiday: due on the 7th, asked on the 1st, nothing left
    assert cal.working_days_left(D(2019, 10, 1), D(2019, 10, 7)) == 0


def test_overdue_counts_working_days_after_the_deadline():
    cal = WorkCalendar()
    assert cal.working_days_left(D(2019, 8, 20), D(2019, 8, 20)) == 1
    assert cal.working_days_left(D(2019, 8, 21), D(2019, 8, 20)) == -1
    assert cal.working_days_left(D(2019, 9, 10), D(2019, 8, 20)) == -15
    # deadline Friday, asked on Saturday: overdue, but no working day lost yet
    assert cal.working_days_left(D(2019, 8, 24), D(2019, 8, 23)) == 0
    # the whole National Day week (1–7 Oct) costs no working day; then 8–12 Oct (Sat 12 is 调休) do
    assert cal.working_days_left(D(2019, 10, 7), D(2019, 9, 30)) == 0
    assert cal.working_days_left(D(2019, 10, 12), D(2019, 9, 30)) == -5


def test_fallback_outside_the_known_years_is_monday_to_friday_and_said():
    cal = WorkCalendar()
    first, last = cal.official
    year = last + 3
    jan1 = D(year, 1, 1)
    assert cal.is_workday(jan1) is (jan1.weekday() < 5)  # New Year's Day unknown: treated by weekday
    assert cal.fallback_years == {year}
    note = cal.fallback_note()
    assert f"{year}年" in note and "周一至周五" in note and f"{first}–{last}" in note


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)), st.integers(min_value=0, max_value=400))
def test_counts_agree_with_day_by_day(start, length):
    cal = WorkCalendar()
    end = start + dt.timedelta(days=length)
    expected = sum(cal.is_workday(start + dt.timedelta(days=i)) for i in range(length + 1))
    assert cal.working_days_left(start, end) == expected
    assert cal.working_days_left(end + dt.timedelta(days=1), start) == -sum(
        cal.is_workday(start + dt.timedelta(days=i)) for i in range(1, length + 2)
    )
