"""The deadline grammar of the task table (完成时限), see data-format.md.

``parse_deadline("11月中旬", 2019)`` → 2019-11-20; ``"根据工作安排"`` → None (no fixed deadline).
Anything else raises :class:`DeadlineError`, whose message lists the accepted forms.

:func:`read_deadline` gives the same date with the reason for it, for the reader of ``fxfk deadlines``
and the report: ``Deadline.explanation`` is 「8月中旬 → 8月20日（中旬按20日计）」,
「12月底 → 12月31日（月底按当月最后一天计）」, 「根据工作安排 → 无固定时限」.

Where the day comes from: the notice's 附件2 writes only 8/9/11 月中旬, 12 月底 and 根据工作安排. It
never says which day 中旬 is; reading 上旬/中旬/下旬 as the last day of their ten days (10日, 20日,
the month's last day) and 底/末 as the month's last day is the ordinary reading of those words and
the data contract's grammar. ``N月初`` is not in the notice and no word fixes its day: the contract
accepts it as N月5日, so fxfk keeps it (a table written with it stays valid), and every explanation
of it says that 5日 is fxfk's convention, not the notice's — write ``N月D日`` for another day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from fxfk.models.text import echo
from fxfk.models.types import DATE_MAX, DATE_MIN

NO_FIXED = ("根据工作安排", "长期", "持续")

ACCEPTED_FORMS = (
    "N月上旬（N月10日）、N月中旬（N月20日）、N月下旬/N月底/N月末（当月最后一天）、N月初（N月5日）、"
    "N月D日、年底/年末（12月31日）、YYYY-MM-DD，或 根据工作安排/长期/持续（无固定时限）"
)

_PART_DAY = {"上旬": 10, "中旬": 20, "初": 5}
# How each word became its day, as the explanation says it.
_PART_RULE = {
    "上旬": "上旬按10日计",
    "中旬": "中旬按20日计",
    "下旬": "下旬按当月最后一天计",
    "底": "月底按当月最后一天计",
    "末": "月末按当月最后一天计",
    "初": "月初按5日计，是 fxfk 的约定，通知未规定",
}
_YEAR_END_RULE = "年底按12月31日计"
NO_FIXED_TEXT = "无固定时限"
# Matched with fullmatch: ``$`` alone would also match before a final newline.
_MONTH_PART = re.compile(r"(\d{1,2})月(上旬|中旬|下旬|初|底|末)")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class Deadline:
    """A 完成时限 as written, the day it means (None: no fixed deadline) and the rule that gave it
    (empty when the text already names the day)."""

    text: str
    due: dt.date | None
    rule: str
    year: int  # the task table's year

    @property
    def explanation(self) -> str:
        """「8月中旬 → 8月20日（中旬按20日计）」; the year is named only when it is not the table's."""
        if self.due is None:
            return f"{self.text} → {NO_FIXED_TEXT}"
        day = f"{self.due.month}月{self.due.day}日"
        if self.due.year != self.year:
            day = f"{self.due.year}年{day}"
        if normalize(self.text) == day:
            return self.text  # "11月15日" needs no arrow
        return f"{self.text} → {day}" + (f"（{self.rule}）" if self.rule else "")


def normalize(text: str) -> str:
    # "11 月中旬" (as printed in 附件2) and full-width digits read the same as "11月中旬".
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_deadline(text: str, year: int) -> dt.date | None:
    return read_deadline(text, year).due


def read_deadline(text: str, year: int) -> Deadline:
    """The deadline ``text`` of ``year``'s table, with its rule; raises DeadlineError."""
    s = normalize(text)
    if s in NO_FIXED:
        return Deadline(text, None, "", year)
    if s in ("年底", "年末"):
        return Deadline(text, dt.date(year, 12, 31), _YEAR_END_RULE, year)
    m = _MONTH_PART.fullmatch(s)
    if m:
        month = _month(int(m[1]), text)
        part = m[2]
        day = _PART_DAY.get(part) or calendar.monthrange(year, month)[1]
        return Deadline(text, dt.date(year, month, day), _PART_RULE[part], year)
    m = _MONTH_DAY.fullmatch(s)
    if m:
        return Deadline(text, _date(year, _month(int(m[1]), text), int(m[2]), text), "", year)
    m = _ISO.fullmatch(s)
    if m:
        return Deadline(text, _date(int(m[1]), int(m[2]), int(m[3]), text), "", year)
    raise DeadlineError(f"无法识别的完成时限“{echo(text)}”；可用的写法：{ACCEPTED_FORMS}")


def _month(month: int, text: str) -> int:
    if not 1 <= month <= 12:
        raise DeadlineError(f"完成时限“{echo(text)}”中的月份 {month} 不存在；月份应为 1–12")
    return month


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise DeadlineError(f"完成时限“{echo(text)}”不是真实的日期（{year}年{month}月没有{day}日）") from None
    # Working days are counted up to the deadline: keep it within the calendar the models accept.
    if not DATE_MIN <= date <= DATE_MAX:
        raise DeadlineError(f"完成时限“{echo(text)}”超出范围；日期应在 {DATE_MIN.isoformat()} 到 {DATE_MAX.isoformat()} 之间")
    return date
