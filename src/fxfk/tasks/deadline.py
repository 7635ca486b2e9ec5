"""The deadline grammar of the task table (完成时限), see data-format.md.

``parse_deadline("11月中旬", 2019)`` → 2019-11-20; ``"根据工作安排"`` → None (no fixed deadline).
Anything else raises :class:`DeadlineError`, whose message lists the accepted forms.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from fxfk.models.text import echo
from fxfk.models.types import DATE_MAX, DATE_MIN

NO_FIXED = ("根据工作安排", "长期", "持续")

ACCEPTED_FORMS = (
    "N月上旬（N月10日）、N月中旬（N月20日）、N月下旬/N月底/N月末（当月最后一天）、N月初（N月5日）、"
    "N月D日、年底/年末（12月31日）、YYYY-MM-DD，或 根据工作安排/长期/持续（无固定时限）"
)

_PART_DAY = {"上旬": 10, "中旬": 20, "初": 5}
# Matched with fullmatch: ``$`` alone would also match before a final newline.
_MONTH_PART = re.compile(r"(\d{1,2})月(上旬|中旬|下旬|初|底|末)")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class DeadlineError(ValueError):
    pass


def normalize(text: str) -> str:
    # "11 月中旬" (as printed in 附件2) and full-width digits read the same as "11月中旬".
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_deadline(text: str, year: int) -> dt.date | None:
    s = normalize(text)
    if s in NO_FIXED:
        return None
    if s in ("年底", "年末"):
        return dt.date(year, 12, 31)
    m = _MONTH_PART.fullmatch(s)
    if m:
        month = _month(int(m[1]), text)
        part = m[2]
        if part in _PART_DAY:
            return dt.date(year, month, _PART_DAY[part])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    m = _MONTH_DAY.fullmatch(s)
    if m:
        return _date(year, _month(int(m[1]), text), int(m[2]), text)
    m = _ISO.fullmatch(s)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3]), text)
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
