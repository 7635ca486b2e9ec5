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


# --- the counting arithmetic against the day-by-day walk it replaced ---------------------------


def walk_count(cal: WorkCalendar, first: dt.date, last: dt.date) -> int:
    """The old ``WorkCalendar.count``, one day at a time: the reference for the arithmetic."""
    return sum(cal.is_workday(first + dt.timedelta(days=i)) for i in range((last - first).days + 1))


def walk_left(cal: WorkCalendar, today: dt.date, due: dt.date) -> int:
    if due >= today:
        return walk_count(cal, today, due)
    return -walk_count(cal, due + dt.timedelta(days=1), today)


# Guidance intervals (fxfk.yaml guidance_days up to 3650) and the task deadlines' short spans.
SHORT = (0, 1, 2, 4, 5, 6, 7, 8, 14, 30, 90)
LONG = (180, 365, 366, 1000, 3650)


def test_every_start_2019_to_2027_agrees_with_the_walk():
    fast, slow = WorkCalendar(), WorkCalendar()
    day, end = D(2019, 1, 1), D(2027, 12, 31)
    checked = 0
    while day <= end:
        # the long spans every 13th day keep the walk affordable; every weekday phase still comes round
        for span in SHORT + LONG if day.toordinal() % 13 == 0 else SHORT:
            later = day + dt.timedelta(days=span)
            assert fast.working_days_left(day, later) == walk_left(slow, day, later), (day, span)
            assert fast.working_days_left(later, day) == walk_left(slow, later, day), (later, span)
            checked += 1
        day += dt.timedelta(days=1)
    assert checked > 3287 * len(SHORT)
    assert fast.fallback_years == slow.fallback_years and 2027 in fast.fallback_years
    assert fast.fallback_note() == slow.fallback_note()


def test_fallback_years_are_those_a_walk_would_meet():
    first, last = WorkCalendar().official
    for a, b in [(D(first - 2, 12, 30), D(first, 1, 2)), (D(last, 12, 1), D(last + 3, 1, 1)),
                 (D(last + 1, 5, 5), D(last + 1, 5, 4))]:
        fast, slow = WorkCalendar(), WorkCalendar()
        assert fast.working_days_left(a, b) == walk_left(slow, a, b)
        assert fast.working_days_left(b, a) == walk_left(slow, b, a)
        assert fast.fallback_years == slow.fallback_years
        assert fast.fallback_note() == slow.fallback_note()


def test_without_official_data_counts_monday_to_friday_to_the_ends_of_time():
    fast, slow = WorkCalendar(official=False), WorkCalendar(official=False)
    for a, b in [(D(2019, 9, 10), D(2029, 9, 10)), (dt.date.min, D(1, 3, 1)), (D(9999, 10, 1), dt.date.max)]:
        assert fast.count(a, b) == walk_count(slow, a, b)
        assert fast.working_days_left(b, a) == walk_left(slow, b, a)
    assert fast.fallback_years == slow.fallback_years
    assert fast.fallback_note() == slow.fallback_note()
    weeks, rest = divmod(dt.date.max.toordinal(), 7)  # ordinal 1 is a Monday
    assert WorkCalendar(official=False).count(dt.date.min, dt.date.max) == 5 * weeks + min(rest, 5)


@given(st.dates(), st.integers(min_value=0, max_value=4000))
def test_any_span_agrees_with_the_walk(start, length):
    end = start + dt.timedelta(days=min(length, (dt.date.max - start).days))
    fast, slow = WorkCalendar(), WorkCalendar()
    assert fast.working_days_left(start, end) == walk_left(slow, start, end)
    assert fast.working_days_left(end, start) == walk_left(slow, end, start)
    assert fast.fallback_years == slow.fallback_years
