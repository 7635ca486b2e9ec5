"""Personal numbers in text: resident ID numbers (18 and 15 digits) and mainland mobile numbers.

One detector for every place that must not publish them: the public fields (``fxfk.publish.safety``)
and the rendered public files themselves.

How a text is read:

- **Normalised first.** NFKC turns full-width digits and hyphens (``１３８－``) into ASCII; other dash
  characters become ``-``; zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and the soft hyphen
  are dropped. Offsets are mapped back to the original text, so a finding points at what the user wrote.
- **18-digit ID** (GB 11643): area code starting 1–9, a real calendar birth date from 1800 on, three
  digits, and an ISO 7064 MOD 11-2 check digit that matches. A wrong check digit is taken for a serial
  number (``编号110105201912310012``), not an ID.
- **15-digit ID** (issued before 1999, no check digit): a real province code (11–82), a real date
  19YYMMDD and a 3-digit sequence. Without a checksum this is weaker, so amounts are excluded as below.
- **Mobile**: ``1[3-9]`` and nine digits, written plain or as 3-4-4 groups separated by one space or
  hyphen, with an optional ``+86``/``0086``/``86`` prefix. Fixed lines (``0371-66660001``) never match.
- **Never part of a longer number**: no digit directly before or after.
- **Amounts are not numbers of people**: a mobile or 15-digit match directly followed (spaces
  allowed) by 元/万/亿/千/百/圆/块 or a decimal part, or directly preceded by ¥/￥/$/人民币/RMB/罚款/
  罚金/金额/价款, is an amount (``罚款13000000000元``). A checksum-valid 18-digit ID is always reported.

How it stays cheap on a whole rendered file (tens of megabytes per publish): every match of the three
patterns lies inside a *digit chain* of the normalised text — at least 11 digits joined by at most one
space or hyphen each, an optional ``X`` after the last (mobile has 11 digits, IDs 15 or 17 + check) —
with at most a ``+`` just before it. One regex that starts with ``[0-9]`` (so ``re`` skips other
characters in C) finds the chains; the three patterns then run only on those windows, where they find
exactly what a scan of the whole text finds (``re`` lookbehind sees before ``pos``; the window ends one
character after the chain, so the lookahead sees the real next character). Most texts have no chain.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

ID18 = re.compile(r"(?<![0-9])[1-9][0-9]{5}((?:18|19|20)[0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}[0-9Xx](?![0-9])")
ID15 = re.compile(r"(?<![0-9])([1-8][0-9])[0-9]{4}([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")

# Where a personal number can be (see the module docstring): 11+ digits, single separators between.
_CHAIN = re.compile(r"[0-9](?:[ -]?[0-9]){10,}[Xx]?")
_UNIT_AFTER = re.compile(r" *(?:元|万|亿|千|百|圆|块|\.[0-9])")
_UNIT_BEFORE = re.compile(r"(?:¥|￥|\$|人民币|RMB|罚款|罚金|金额|价款) *$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    kind: str  # "id" or "mobile"
    start: int  # offsets in the original text
    end: int
    digits: str  # the number itself, normalised, without prefix or separators

    @property
    def masked(self) -> str:
        return mask(self.digits)

    @property
    def code(self) -> str:
        return "public-id-number" if self.kind == "id" else "public-mobile-number"

    @property
    def label(self) -> str:
        return "居民身份证号码" if self.kind == "id" else "手机号码"


def mask(digits: str) -> str:
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


# Where the characters live whose NFKC form holds a digit, "+", "-", " " or "X" (full-width forms,
# circled and superscript digits, mathematical digits …): searched once, on first use.
_COMPAT_RANGES = ((0x00A0, 0x33FF), (0xFE10, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF))
_special: tuple[re.Pattern[str], re.Pattern[str]] | None = None
# Any character of the astral ranges above (a cheap range test; ``max(text)`` is far slower).
_ASTRAL = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _COMPAT_RANGES if lo > 0xFFFF) + "]")


@functools.cache
def special_characters() -> frozenset[str]:
    """Every character that normalising changes in a way matching cares about: the zero-width ones,
    dashes, and the compatibility forms whose NFKC holds a digit, "+", "-", " " or "X"."""
    chars = set(ZERO_WIDTH) | set(DASHES)
    for lo, hi in _COMPAT_RANGES:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            n = unicodedata.normalize("NFKC", c)
            if n != c and any(ch in "0123456789+- Xx" for ch in n):
                chars.add(c)
    return frozenset(chars)


def _special_chars() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes matching any of :func:`special_characters`: (the BMP ones only, all of them).

    ``re`` turns a character class into a table lookup only when every member is in the BMP; one
    astral member leaves a list of ranges tried one by one, about 20 times slower per character.
    So a text without astral characters is searched with the BMP class alone.
    """
    global _special
    if _special is None:
        chars = sorted(special_characters())
        bmp = "[" + "".join(re.escape(c) for c in chars if c <= "\uffff") + "]"
        astral = "[" + "".join(re.escape(c) for c in chars if c > "\uffff") + "]"
        _special = re.compile(bmp), re.compile(f"{bmp}|{astral}")
    return _special


class _Offsets:
    """Maps an offset in the normalised text back to the original: unchanged runs shift, replaced characters collapse."""

    def __init__(self) -> None:
        self.starts: list[int] = []  # normalised start of each segment
        self.segments: list[tuple[int, bool]] = []  # (original start, whether offsets inside shift)

    def add(self, norm_start: int, orig_start: int, shifts: bool) -> None:
        self.starts.append(norm_start)
        self.segments.append((orig_start, shifts))

    def __call__(self, pos: int) -> int:
        k = bisect.bisect_right(self.starts, pos) - 1
        orig, shifts = self.segments[k]
        return orig + (pos - self.starts[k]) if shifts else orig


def normalise(text: str) -> tuple[str, Callable[[int], int]]:
    """(normalised text, a map from its offsets to the original text's).

    Only the characters that matter for matching are replaced (zero-width ones dropped, NFKC for
    the compatibility forms of digits, "+", "-" and spaces, every dash to "-"); a text without any
    (the usual case) is returned as it is.
    """
    if text.isascii():
        return text, _same
    bmp, every = _special_chars()
    special = every if _ASTRAL.search(text) else bmp
    if not special.search(text):
        return text, _same
    out: list[str] = []
    offsets = _Offsets()
    length = 0
    last = 0
    for m in special.finditer(text):
        if m.start() > last:
            offsets.add(length, last, True)
            out.append(text[last:m.start()])
            length += m.start() - last
        ch = m.group()
        norm = "" if ch in ZERO_WIDTH else "-" if ch in DASHES else unicodedata.normalize("NFKC", ch)
        if norm:
            offsets.add(length, m.start(), False)
            out.append(norm)
            length += len(norm)
        last = m.end()
    offsets.add(length, last, True)
    out.append(text[last:])
    return "".join(out), offsets


def _same(pos: int) -> int:
    return pos


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, as GB 11643 uses it."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def _amount(text: str, start: int, end: int) -> bool:
    if _UNIT_AFTER.match(text, end):
        return True
    # _UNIT_BEFORE ends at ``start`` (or before a newline there, as ``$`` allows): a word of at most
    # three characters and spaces. Searching only from just before them keeps this independent of
    # the text's length, with the same answer as searching from 0.
    word_end = start - 1 if start and text[start - 1] == "\n" else start
    while word_end and text[word_end - 1] == " ":
        word_end -= 1
    return bool(_UNIT_BEFORE.search(text, max(0, word_end - 4), start))


def may_hold_numbers(texts: Sequence[str]) -> list[int]:
    """The indices of those ``texts`` that can hold a personal number, in order: the ones with a digit
    chain or a character normalising changes. :func:`find_personal_numbers` finds nothing in the others.

    One scan of all of them joined by NUL (neither a digit, a separator nor special, so no chain
    crosses it) instead of a call per text: hundreds of thousands of public fields, nearly all short
    and without numbers. A text with any character of the astral ranges (an emoji flag, say) is kept
    too, which spares the slow class of all special characters.
    """
    joined = "\0".join(texts)
    if not joined:
        return []
    starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    patterns = (_CHAIN, _special_chars()[0], _ASTRAL)
    return sorted({bisect.bisect_right(starts, m.start()) - 1 for p in patterns for m in p.finditer(joined)})


def find_personal_numbers(text: str) -> list[Found]:
    """Every personal number in ``text``, in order of position."""
    if not text:
        return []
    norm, where = normalise(text)
    spans: list[tuple[int, int, str, str]] = []  # normalised start, end, kind, digits
    for chain in _CHAIN.finditer(norm):
        pos = chain.start()
        if pos and norm[pos - 1] == "+":
            pos -= 1
        endpos = chain.end() + 1
        for m in ID18.finditer(norm, pos, endpos):
            number = m.group()
            if _real_date(int(m[1]), int(m[2]), int(m[3])) and id_check_digit(number[:17]) == number[17].upper():
                spans.append((m.start(), m.end(), "id", number))
        for m in ID15.finditer(norm, pos, endpos):
            if (m[1] in _PROVINCES and _real_date(1900 + int(m[2]), int(m[3]), int(m[4]))
                    and not _amount(norm, m.start(), m.end())):
                spans.append((m.start(), m.end(), "id", m.group()))
        for m in MOBILE.finditer(norm, pos, endpos):
            if not _amount(norm, m.start(), m.end()):
                spans.append((m.start(), m.end(), "mobile", m[1] + m[2] + m[3]))
    spans.sort()
    found: list[Found] = []
    last_end = -1
    for start, end, kind, digits in spans:
        if start < last_end:  # overlapping readings of the same digits: report the first
            continue
        last_end = end
        found.append(Found(kind, where(start), where(end - 1) + 1, digits))
    return found
