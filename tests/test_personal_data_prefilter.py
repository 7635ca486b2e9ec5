"""Issue 19: the personal-number scan looks only at digit chains, and finds exactly what a scan of the whole text finds.

``reference`` below is the detector as it was before (every pattern over the whole normalised text,
the amount check searching from the start of the text), with a character-by-character normaliser.
The fast detector must agree with it on every text: same numbers, same kinds, same offsets. A text
without a digit chain must be one where the whole-text scan finds nothing (the skip is sound).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fxfk.rules import personal_data as pd
from fxfk.rules.personal_data import Found, find_personal_numbers

SECURITY = Path(__file__).parent / "security"


def _table() -> tuple[list[tuple[str, str, str]], list[str]]:
    """The positive/negative example table of tests/security/test_personal_data.py (the specification)."""
    if str(SECURITY) not in sys.path:
        sys.path.insert(0, str(SECURITY))  # it imports its neighbour ``hostile``
    spec = importlib.util.spec_from_file_location("_personal_data_table", SECURITY / "test_personal_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.POSITIVE, module.NEGATIVE


POSITIVE, NEGATIVE = _table()


def _in_compat_ranges(c: str) -> bool:
    return any(lo <= ord(c) <= hi for lo, hi in pd._COMPAT_RANGES)


def reference_normalise(text: str) -> tuple[str, list[int]]:
    """(normalised text, the original index of each of its characters), one character at a time."""
    out: list[str] = []
    source: list[int] = []
    for i, c in enumerate(text):
        if c in pd.ZERO_WIDTH:
            continue
        if c in pd.DASHES:
            n = "-"
        else:
            n = unicodedata.normalize("NFKC", c)
            if n == c or not _in_compat_ranges(c) or not any(ch in "0123456789+- Xx" for ch in n):
                n = c
        out.append(n)
        source += [i] * len(n)
    return "".join(out), source


def _reference_amount(text: str, start: int, end: int) -> bool:
    return bool(pd._UNIT_AFTER.match(text, end) or pd._UNIT_BEFORE.search(text, 0, start))


def reference(text: str) -> list[Found]:
    """The whole-text scan (fxfk before issue 19)."""
    norm, source = reference_normalise(text)
    spans: list[tuple[int, int, str, str]] = []
    for m in pd.ID18.finditer(norm):
        number = m.group()
        if pd._real_date(int(m[1]), int(m[2]), int(m[3])) and pd.id_check_digit(number[:17]) == number[17].upper():
            spans.append((m.start(), m.end(), "id", number))
    for m in pd.ID15.finditer(norm):
        if (m[1] in pd._PROVINCES and pd._real_date(1900 + int(m[2]), int(m[3]), int(m[4]))
                and not _reference_amount(norm, m.start(), m.end())):
            spans.append((m.start(), m.end(), "id", m.group()))
    for m in pd.MOBILE.finditer(norm):
        if not _reference_amount(norm, m.start(), m.end()):
            spans.append((m.start(), m.end(), "mobile", m[1] + m[2] + m[3]))
    found: list[Found] = []
    last_end = -1
    for start, end, kind, digits in sorted(spans):
        if start < last_end:
            continue
        last_end = end
        found.append(Found(kind, source[start], source[end - 1] + 1, digits))
    return found


# Pieces that make personal numbers, near misses and amounts, glued by characters that matter to matching.
PIECES = [
    "13812345678", "138", "1234", "5678", "8613912345678", "+86", "0086", "86", "11010519491231002",
    "11010519491231002X", "440304198507071239", "110105491231002", "0371-66660001", "2019", "20191231",
    "元", "万", ".5", "罚款", "人民币", "RMB", "rmb", "¥", "￥", "$", "金额", "价款",
]
GLUE = list("0123456789 -+Xx\n\t:：中") + [
    "\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad", "\u2014", "\u2212", "\uff0d", "\u3000", "\u00a0",
    "１", "３", "８", "０", "①", "⑩", "㉑", "²", "¼", "𝟏", "𝟖", "🄂", "Ｘ", "＋", "<b>", "</td><td>", "&#49;",
]
texts = st.lists(st.sampled_from(PIECES) | st.sampled_from(GLUE) | st.text(max_size=3), max_size=30).map("".join)


def _chainless(text: str) -> bool:
    return pd._CHAIN.search(reference_normalise(text)[0]) is None


@pytest.mark.parametrize("text, kind, masked", POSITIVE)
def test_table_positives_have_a_chain_and_match_the_reference(text, kind, masked):
    assert not _chainless(text)
    assert find_personal_numbers(text) == reference(text) != []


@pytest.mark.parametrize("text", NEGATIVE)
def test_table_negatives_match_the_reference(text):
    assert find_personal_numbers(text) == reference(text) == []


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("5+8613812345678")  # "+" after a digit: the mobile starts at 86, not at "+"
@example("罚款\n13912345678")  # ``$`` before a final newline: still an amount
@example("人民币    \n13912345678")
@example("罚款   \t 13912345678")
@example("11010519491231002X5")  # a check digit X followed by a digit: not an ID
@example("1381234567813812345678")
@example("𝟏𝟑𝟖12345678")  # astral digits
def test_fast_scan_equals_whole_text_scan(text):
    assert find_personal_numbers(text) == reference(text)


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_a_text_without_a_digit_chain_holds_no_number(text):
    if _chainless(text):
        assert reference(text) == []


@settings(max_examples=1000, deadline=None)
@given(st.lists(texts, max_size=8))
@example(["电话", "13912345678", "", "１３８１２３４５６７８", "甲"])
@example(["1391234", "5678"])  # no chain across the joint
@example(["", "", "𝟏𝟑𝟖12345678"])
def test_texts_left_out_of_a_batch_hold_no_number(batch):
    kept = pd.may_hold_numbers(batch)
    assert kept == sorted(set(kept)) and all(0 <= i < len(batch) for i in kept)
    for i, text in enumerate(batch):
        if i not in kept:
            assert reference(text) == [] and _chainless(text), (i, text)


def test_a_batch_keeps_only_texts_with_chains_or_special_characters():
    assert pd.may_hold_numbers(["无", "0371-66660001", "第2019号", "１", "", "13912345678"]) == [1, 3, 5]
    assert pd.may_hold_numbers([]) == [] and pd.may_hold_numbers(["", ""]) == []


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_normalise_equals_the_character_by_character_one(text):
    norm, where = pd.normalise(text)
    expected, source = reference_normalise(text)
    assert norm == expected
    assert [where(i) for i in range(len(norm))] == source


def test_amounts_after_a_long_text():
    # Each amount check looks back a few characters only, not to the start of the text.
    text = "甲" * 200_000 + " 罚款13000000000元" * 2000
    assert find_personal_numbers(text) == []
    start = text.index("13000000000")
    assert pd._amount(text, start, start + 11)


def test_numbers_far_apart_in_a_long_text_are_all_found():
    filler = "第2019年12月31日，电话0371-66660001。" * 5000
    text = f"{filler}13912345678{filler}１３８１２３４５６７８{filler}11010519491231002X"
    found = find_personal_numbers(text)
    assert [f.masked for f in found] == ["139****5678", "138****5678", "110***********002X"]
    assert found == reference(text)
    assert text[found[1].start] == "１" and re.fullmatch(r"[0-9]+X", text[found[2].start:found[2].end])
