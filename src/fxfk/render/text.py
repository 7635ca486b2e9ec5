"""The one terminal-text engine: display width, padding, wrapping, aligned tables and colour.

Hand-written on ``unicodedata.east_asian_width`` rather than rich, because renderers are library
code (rich is for ``cli/`` only) and because rich measures some characters differently (combining
marks, zero-width characters, emoji): the width rule here is the one every table fxfk printed
so far was laid out with, so outputs stay byte-identical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import add, floordiv, sub

# SGR parameters of the few styles fxfk uses; the only place that builds escape sequences.
STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "bold red": "1;31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
}


_SGR = re.compile(r"\033\[[0-9;]*m")


def width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two; colour escapes take none."""
    if "\033" in text:
        text = _SGR.sub("", text)
    if text.isascii():  # (no ASCII character is wide)
        return len(text)
    if _ascii_or_wide().fullmatch(text):  # most Chinese text: a wide character is 3 bytes of UTF-8, ASCII 1
        return (len(text.encode()) + len(text)) // 2
    return len(text.translate(_DOUBLED))


@cache
def _ascii_or_wide() -> re.Pattern[str]:
    """Printable ASCII and the wide characters of the CJK blocks of the Basic Multilingual Plane (as
    this Python's ``unicodedata`` has them; built once, in a few milliseconds)."""
    runs: list[list[int]] = []
    for lo, hi in _CJK_BLOCKS:
        for code in range(lo, hi):
            if unicodedata.east_asian_width(chr(code)) not in ("W", "F"):
                continue
            if runs and runs[-1][1] == code - 1:
                runs[-1][1] = code
            else:
                runs.append([code, code])
    return re.compile("[ -~" + "".join(f"{chr(a)}-{chr(b)}" for a, b in runs) + "]*")


_CJK_BLOCKS = ((0x1100, 0x1160), (0x2E80, 0xA4D0), (0xAC00, 0xD7A4), (0xF900, 0xFB00), (0xFE10, 0xFE70), (0xFF00, 0xFFEF))


def _widths(texts: list[str]) -> Iterable[int]:
    """:func:`width` of each text; when all are ASCII or CJK (no escapes), as width() does, in C loops."""
    if not _ascii_or_wide().fullmatch("".join(texts)):  # (all of them are, when the whole is)
        return map(width, texts)
    return map(floordiv, map(add, map(len, map(str.encode, texts)), map(len, texts)), repeat(2))


class _Doubled(dict[int, str]):
    """A ``str.translate`` table that writes each wide or full-width character twice: the length of
    a text so translated is its width (the loop in C; each character looked up once and kept)."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        found = self[code] = c * 2 if unicodedata.east_asian_width(c) in ("W", "F") else c
        return found


_DOUBLED = _Doubled()


# --- wrapping -------------------------------------------------------------------------------------

# Chinese line-breaking rules (禁则): these never begin a line …
_NO_START = set("，。、；：？！）」』》〉】”’…—·%,.;:!?)]}")
# … and these never end one.
_NO_END = set("（「『《〈【“‘([{")
_TOKEN = re.compile(r"\033\[[0-9;]*m|\s+|.", re.DOTALL)


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def _breakable(a: str, b: str) -> bool:
    """Whether a line may break between the adjacent characters ``a`` and ``b`` (no space between).

    Between two wide (CJK) characters, after a Chinese closing mark or before a Chinese opening one,
    but never before a closing mark or after an opening one: a run of Latin letters, digits and
    punctuation — a word, a number, a path, an option — is never split, nor is it parted from the
    Chinese character it touches (「2019年」, 「（data/laws.yaml）」), except by Chinese punctuation
    (「a.json、b.json」 may break after 「、」).
    """
    if b in _NO_START or a in _NO_END:
        return False
    return (_wide(a) and _wide(b)) or (_wide(a) and a in _NO_START) or (_wide(b) and b in _NO_END)


def _atoms(text: str) -> list[tuple[str, str]]:
    """``text`` as (space before, unbreakable piece) pairs."""
    atoms: list[tuple[str, str]] = []
    space = piece = last = ""  # ``last``: the last visible character of ``piece``
    for token in _TOKEN.findall(text):
        if token.startswith("\033"):
            piece += token  # a colour switch sticks to the text around it
        elif token.isspace():
            if piece:
                atoms.append((space, piece))
                space = piece = last = ""
            space += token
        elif piece and (not last or not _breakable(last, token)):
            piece += token
            last = token
        else:
            if piece:
                atoms.append((space, piece))
                space = ""
            piece = last = token
    if piece:
        atoms.append((space, piece))
    return _glue_commands(atoms)


def _glue_commands(atoms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep ``fxfk <command>`` and an option after its command word on one line, so that a command
    quoted in a message stays whole where it can."""
    out: list[tuple[str, str]] = []
    for space, piece in atoms:
        if out and space == " " and (out[-1][1].endswith("fxfk") or piece.startswith("--")) and piece.isascii() and out[-1][1].isascii():
            before, joined = out[-1]
            out[-1] = (before, f"{joined} {piece}")
        else:
            out.append((space, piece))
    return out


def wrap(line: str, columns: int | None, indent: str | None = None) -> list[str]:
    """``line`` broken into lines of at most ``columns`` display columns (a CJK character takes two).

    Breaks fall on spaces (dropped at the break) and between Chinese characters, never inside a word,
    number, path or option (see :func:`_breakable`); a piece longer than the whole width stands
    alone on its line, whole. Continuation lines begin with ``indent`` (default: the line's own
    leading spaces plus two). ``columns=None`` leaves the line as it is.
    """
    if columns is None or width(line) <= columns:
        return [line]
    lead = line[: len(line) - len(line.lstrip(" "))]
    if indent is None:
        indent = lead + "  "
    if width(indent) > columns // 2:  # a deep indent on a narrow screen: keep room for the text
        indent = " " * (columns // 2)
    lines: list[str] = []
    current = lead
    used = width(lead)
    start = True  # nothing but the indent on ``current`` yet
    for space, piece in _atoms(line[len(lead):]):
        w = width(piece)
        gap = "" if start else space
        if not start and used + width(gap) + w > columns:
            lines.append(current.rstrip(" "))
            current, used, gap = indent, width(indent), ""
        current += gap + piece
        used += width(gap) + w
        start = False
    lines.append(current.rstrip(" "))
    return lines


def fit(text: str, columns: int | None, indent: str | None = None) -> str:
    """Every line of ``text`` wrapped by :func:`wrap` to ``columns`` (``None``: unchanged)."""
    if columns is None:
        return text
    end = "\n" if text.endswith("\n") else ""
    body = text[: -1] if end else text
    return "\n".join(out for line in body.split("\n") for out in wrap(line, columns, indent)) + end


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` filled with spaces to ``columns`` display columns (never cut)."""
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def color(text: str, style: str | None) -> str:
    """``text`` in ``style`` (a key of :data:`STYLES`); no style or an empty one leaves it plain."""
    if not style:
        return text
    return f"\033[{STYLES[style]}m{text}\033[0m"


@dataclass(frozen=True)
class Styled:
    """A table cell shown in a colour; only the text is coloured, the padding stays plain."""

    text: str
    style: str | None = None


Cell = str | Styled


def _text(cell: Cell) -> str:
    return cell.text if isinstance(cell, Styled) else cell


def table(
    header: Sequence[Cell],
    body: Sequence[Sequence[Cell]],
    indent: str = "  ",
    right: set[int] | frozenset[int] = frozenset(),
    min_widths: Sequence[int] = (),
    columns: int | None = None,
    labelled: bool = True,
) -> list[str]:
    """Lines of a table whose columns line up on screen: two spaces between columns, the columns in
    ``right`` right-aligned, each at least ``min_widths[i]`` wide, trailing spaces removed.

    A table wider than ``columns`` (the terminal) is shown as blocks instead, one per row: its first
    cell on a line, then the other cells below it, as many to a line as fit — as 「表头：值」 apart
    by 「；」, or with ``labelled=False`` (a matrix of marks) as 「表头 值」 apart by two spaces. A
    cell is parted from its heading only when it is longer than a line.
    """
    lines = _aligned(header, body, indent, right, min_widths)
    if columns is None or max(width(line) for line in lines) <= columns:
        return lines
    out = []
    for r in body:
        out.append((indent + _shown(r[0])).rstrip())
        if labelled:
            pieces = [f"{_text(h)}：{_shown(c)}" for h, c in zip(header[1:], r[1:]) if _text(c)]
        else:
            pieces = [f"{_text(h)} {_shown(c)}" for h, c in zip(header[1:], r[1:])]
        out += _pack(pieces, indent + "  ", "；" if labelled else "  ", columns)
    return out


def _pack(pieces: list[str], indent: str, sep: str, columns: int) -> list[str]:
    """``pieces`` after ``indent``, apart by ``sep``, as many to a line as fit (a break replaces ``sep``)."""
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and width(current + sep + piece) <= columns:
            current += sep + piece
            continue
        if current:
            lines += wrap(current, columns)
        current = indent + piece
    if current:
        lines += wrap(current, columns)
    return lines


def _shown(cell: Cell) -> str:
    return color(cell.text, cell.style) if isinstance(cell, Styled) else cell


def _aligned(
    header: Sequence[Cell],
    body: Sequence[Sequence[Cell]],
    indent: str,
    right: set[int] | frozenset[int],
    min_widths: Sequence[int],
) -> list[str]:
    rows = [header, *body]
    n = len(header)
    columns = list(zip(*rows)) if set(map(len, rows)) == {n} else []
    if not n or len(columns) != n or len(min_widths) > n or any(set(map(type, col)) != {str} for col in columns):
        return _aligned_cells(rows, indent, right, min_widths)
    # Plain strings in full rows (a classify table has 150,000 rows): laid out a column at a time, each
    # distinct text padded once (levels, clauses, verdicts repeat), the loops in C. Padded to the column's
    # width by ljust/rjust, which count characters: to len + column width - the text's width.
    padded = []
    for i, col in enumerate(columns):
        distinct = list(set(col))
        widths = list(_widths(distinct))
        most = max(max(widths), min_widths[i] if i < len(min_widths) else 0)
        lengths = map(most.__add__, map(sub, map(len, distinct), widths))
        shown = map(str.rjust if i in right else str.ljust, distinct, lengths)
        if i == 0:
            shown = map(indent.__add__, shown)
        padded.append(map(dict(zip(distinct, shown)).__getitem__, col))
    return list(map(str.rstrip, map("  ".join, zip(*padded))))


def _aligned_cells(
    rows: Sequence[Sequence[Cell]],
    indent: str,
    right: set[int] | frozenset[int],
    min_widths: Sequence[int],
) -> list[str]:
    """:func:`_aligned` cell by cell: for coloured cells (:class:`Styled`), and ragged rows or widths (errors)."""
    measured = [[width(_text(cell)) for cell in r] for r in rows]
    widths = [max(m[i] for m in measured) for i in range(len(rows[0]))]
    for i, least in enumerate(min_widths):
        widths[i] = max(widths[i], least)
    out = []
    for r, m in zip(rows, measured):
        cells = []
        for i, cell in enumerate(r):
            fill = " " * (widths[i] - m[i])
            cells.append(fill + _shown(cell) if i in right else _shown(cell) + fill)
        out.append((indent + "  ".join(cells)).rstrip())
    return out
