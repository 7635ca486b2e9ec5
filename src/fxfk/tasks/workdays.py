"""Working days by China's official calendar (holidays and make-up working days, 调休).

The officers who chase deadlines count in working days: a deadline after 国庆 has fewer of them
than the calendar suggests, and a Sunday can be a make-up working day. The ``chinese-calendar``
package knows the State Council's holiday arrangements for a range of years; outside that range
(the arrangement for next year is published only in November) we fall back to Monday–Friday and
record the years for which we did, so the caller can say so.

Counting convention (see :func:`WorkCalendar.working_days_left`):

* deadline today or later: the working days from today through the deadline, **both inclusive**
  (a deadline on a working day today leaves 1 working day — today);
* deadline passed: minus the working days after the deadline up to and including today
  (deadline Friday, today Monday → -1; today Saturday → 0 although the deadline has passed).
"""

from __future__ import annotations

import bisect
import datetime as dt

_ONE_DAY = dt.timedelta(days=1)
# Distinct (first, last) pairs remembered: a run asks about one "today" and a few thousand due dates.
_MEMO = 100_000


class WorkCalendar:
    """Answers "is this a working day?" and remembers where it had to guess.

    ``official`` is (first year, last year) covered by the holiday data; ``fallback_years`` collects,
    in the order met, the years for which Monday–Friday was used instead.
    """

    def __init__(self, official: bool = True):
        self._holidays: dict[dt.date, str] = {}  # chinese_calendar's tables: day -> holiday name
        self._workdays: dict[dt.date, str] = {}
        self.official: tuple[int, int] | None = None
        if official:
            # Imported here: the package is only needed by the commands that count working days.
            from chinese_calendar import constants

            self._holidays = constants.holidays
            self._workdays = constants.workdays
            years = [d.year for d in self._holidays]
            self.official = (min(years), max(years))
        self.fallback_years: set[int] = set()
        self._cache: dict[dt.date, bool] = {}
        self._counts: dict[tuple[dt.date, dt.date], int] = {}
        self._exceptions: tuple[list[int], list[int]] | None = None  # built on first count

    def knows(self, year: int) -> bool:
        return self.official is not None and self.official[0] <= year <= self.official[1]

    def is_workday(self, day: dt.date) -> bool:
        hit = self._cache.get(day)
        if hit is not None:
            return hit
        if self.knows(day.year):
            result = day in self._workdays or (day.weekday() < 5 and day not in self._holidays)
        else:
            self.fallback_years.add(day.year)
            result = day.weekday() < 5
        self._cache[day] = result
        return result

    def count(self, first: dt.date, last: dt.date) -> int:
        """Working days in ``[first, last]``, both inclusive; 0 when ``last`` is before ``first``.

        Decided: no day-by-day walk (a guidance interval may be 3650 days, times 150,000 points).
        Monday–Friday is counted in closed form over whole weeks, then corrected by the official
        calendar's exceptions (weekday holidays -1, make-up weekends +1) up to each end: O(log holidays).
        The years outside the official range are recorded exactly as a walk would have met them.
        """
        if last < first:
            return 0
        key = (first, last)
        hit = self._counts.get(key)
        if hit is not None:
            return hit
        for year in range(first.year, last.year + 1):
            if not self.knows(year):
                self.fallback_years.add(year)
        # By ordinals, never dates: first - 1 day would underflow on date.min.
        result = self._before(last.toordinal() + 1) - self._before(first.toordinal())
        if len(self._counts) < _MEMO:
            self._counts[key] = result
        return result

    def _before(self, ordinal: int) -> int:
        """Working days on the ordinals ``[1, ordinal)`` (ordinal 1, 0001-01-01, is a Monday)."""
        weeks, rest = divmod(ordinal - 1, 7)
        if self._exceptions is None:
            self._exceptions = self._official_exceptions()
        days, corrections = self._exceptions
        return 5 * weeks + min(rest, 5) + corrections[bisect.bisect_left(days, ordinal)]

    def _official_exceptions(self) -> tuple[list[int], list[int]]:
        """The ordinals where the official calendar differs from Monday–Friday, sorted, and the
        running sum of the differences before each (``corrections[i]``: the days before ``days[i]``)."""
        changes: dict[int, int] = {}
        for day in set(self._holidays) | set(self._workdays):
            if self.knows(day.year):
                official = day in self._workdays or (day.weekday() < 5 and day not in self._holidays)
                if official != (day.weekday() < 5):
                    changes[day.toordinal()] = 1 if official else -1
        days = sorted(changes)
        corrections = [0]
        for ordinal in days:
            corrections.append(corrections[-1] + changes[ordinal])
        return days, corrections

    def working_days_left(self, today: dt.date, due: dt.date) -> int:
        """Positive or zero: working days left (today included); negative: working days overdue."""
        if due >= today:
            return self.count(today, due)
        return -self.count(due + _ONE_DAY, today)  # due < today: no overflow

    def fallback_note(self) -> str | None:
        """A Chinese sentence saying where Monday–Friday was assumed, or None."""
        if not self.fallback_years:
            return None
        years = "、".join(f"{y}年" for y in sorted(self.fallback_years))
        if self.official is None:
            return f"注意：未使用法定节假日数据，{years}的工作日按周一至周五计算。"
        first, last = self.official
        return (
            f"注意：节假日数据只覆盖 {first}–{last} 年，{years}的工作日按周一至周五计算"
            "（未计法定节假日和调休）。"
        )
