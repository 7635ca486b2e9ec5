"""fxfk.dates: the one way a date is written in Chinese (lists, reports, DOCX)."""

from __future__ import annotations

import datetime as dt

import pytest

from fxfk.dates import chinese_date


@pytest.mark.parametrize(
    "day, text",
    [
        (dt.date(2019, 9, 6), "2019年9月6日"),
        (dt.date(2019, 12, 31), "2019年12月31日"),
        (dt.date(1949, 1, 1), "1949年1月1日"),
    ],
)
def test_chinese_date(day, text):
    assert chinese_date(day) == text
