"""Dates as a Chinese reader writes them."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """``2019年9月6日``: Arabic numerals, no leading zeros, as official documents write dates (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"
