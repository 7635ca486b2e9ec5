"""What must never be published: personal numbers in free text (laws not in force: ``fxfk.laws``).

The check returns diagnostics located at the field that holds the problem, so the user can jump
there; ``fxfk publish`` refuses to write anything while there are any.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from fxfk.diagnostics import Diagnostic, format_path
from fxfk.publish.view import PublicText
from fxfk.repository import SourceFile

# Resident ID card (GB 11643): 6-digit area, birth date 18xx–20xx, 3-digit sequence, check digit.
# The checksum is deliberately not verified: a mistyped ID number is still personal data.
ID_CARD = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])")
# Mainland mobile numbers: 11 digits starting 13–19; not part of a longer digit run.
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _mask(s: str) -> str:
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def _position(source: SourceFile, loc: tuple, text: str, offset: int) -> tuple[int, int]:
    line, column = source.locate(*loc)
    # A single-line plain or quoted scalar: point at the number itself, not just the field.
    if "\n" not in text:
        raw = source.path.read_text(encoding="utf-8-sig").splitlines()
        if 0 < line <= len(raw):
            found = raw[line - 1].find(text[offset:offset + 11], column - 1)
            if found >= 0:
                return line, found + 1
    return line, column


def scan_personal_data(texts: Iterable[PublicText]) -> Iterator[Diagnostic]:
    """An 18-digit ID-card number or a mobile number in any public free text."""
    for item in texts:
        for pattern, code, what in (
            (ID_CARD, "public-id-number", "居民身份证号码"),
            (MOBILE, "public-mobile-number", "手机号码"),
        ):
            for m in pattern.finditer(item.text):
                line, column = _position(item.source, item.loc, item.text, m.start())
                yield Diagnostic(
                    item.source.rel, line, column, code, "error", format_path(item.loc),
                    f"公开内容中含有疑似{what}（{_mask(m.group())}）；公开清单不得披露个人信息，请删除或改写后再公布",
                )
