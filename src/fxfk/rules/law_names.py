"""Law names: the one equality key, the one display form, and suggestions for names not found.

A cited name and a catalogue name are *the same law* when they are equal after :func:`law_key`:
Unicode NFKC (full-width ``（）`` and letters become half-width), every 《》〈〉<> and all white space
removed. ``（试行）`` and a leading ``中华人民共和国`` are *not* ignored for equality: a trial
instrument and its later final version are different instruments with their own dates (the
「某办法（试行）」 is typically repealed the day 「某办法」 takes effect), so treating them as one would
hide exactly the citation the catalogue exists to catch. They are ignored (:func:`loose_key`) only to
*suggest* the closest catalogue names for a name that is not found, and for ``fxfk laws --law``.

The catalogue checks (``fxfk.rules.laws``), ``fxfk laws`` and the cross-office consistency check
(``fxfk.rules.hotspots``) all use this one key, so two spellings are one law everywhere or nowhere.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

_MARKS = re.compile(r"[《》〈〉<>\s]")
_TRIAL = re.compile(r"\(试行\)")  # after NFKC the brackets are half-width
_PRC = "中华人民共和国"
_NUMBER_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕"})


@lru_cache(maxsize=4096)  # a few dozen names, cited thousands of times
def law_key(name: str) -> str:
    """The equality key of a law name (see the module docstring for what it ignores and why)."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", name))


def loose_key(name: str) -> str:
    """A looser key, for suggestions only: also without （试行）/(试行) and a leading 中华人民共和国."""
    key = _TRIAL.sub("", law_key(name))
    return key[len(_PRC):] if key.startswith(_PRC) and len(key) > len(_PRC) else key


@lru_cache(maxsize=4096)
def number_key(number: str) -> str:
    """文号 compared without white space, width differences or the kind of bracket around the year."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", number)).translate(_NUMBER_BRACKETS)


def display_name(name: str) -> str:
    """The name as written, without surrounding white space and 《》 (callers add their own)."""
    name = name.strip()
    if name.startswith("《") and name.endswith("》"):
        name = name[1:-1].strip()
    return name


def quoted_names(names: Iterable[str]) -> str:
    """《甲》、《乙》: names in a Chinese sentence."""
    return "、".join(f"《{display_name(n)}》" for n in names)


def closest(query: str, names: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names most like ``query``, best first: same loose key, then containment, then difflib."""
    names = list({law_key(n): n for n in reversed(list(names))}.values())[::-1]  # one per law, first kept
    q = loose_key(query)
    by_loose: dict[str, list[str]] = {}
    for name in names:
        by_loose.setdefault(loose_key(name), []).append(name)
    out: list[str] = list(by_loose.get(q, []))
    if q:
        out += [name for key, group in by_loose.items()
                if key != q and min(len(q), len(key)) >= 2 and (q in key or key in q) for name in group]
    for key in difflib.get_close_matches(q, list(by_loose), n=n, cutoff=cutoff):
        out += by_loose[key]
    return list(dict.fromkeys(out))[:n]


def match_laws(query: str, names: list[str]) -> list[str]:
    """``fxfk laws --law``: the one equal name; else every name containing the query (loosely) or very like it."""
    key = law_key(query)
    exact = [n for n in names if law_key(n) == key]
    if exact:
        return exact[:1]
    q = loose_key(query)
    found = [n for n in names if q and (q == loose_key(n) or q in loose_key(n))]
    if not found:
        # A typo: the names nearly as close as the closest one (a near-miss far behind it is no match).
        scored = [(difflib.SequenceMatcher(None, q, loose_key(n)).ratio(), n) for n in names]
        best = max((score for score, _ in scored), default=0.0)
        found = [n for score, n in scored if score >= 0.75 and score >= best - 0.1]
    return list(dict.fromkeys(found))
