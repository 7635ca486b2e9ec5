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

import datetime as dt

_ONE_DAY = dt.timedelta(days=1)


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
        """Working days in ``[first, last]``, both inclusive; 0 when ``last`` is before ``first``."""
        # By offset from first, never past last: last + 1 day would overflow on date.max.
        is_workday = self.is_workday
        return sum(is_workday(first + dt.timedelta(days=i)) for i in range((last - first).days + 1))

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
