"""The one terminal-text engine: display width, padding, aligned tables and colour.

Hand-written on ``unicodedata.east_asian_width`` rather than rich, because renderers are library
code (rich is for ``cli/`` only) and because rich measures some characters differently (combining
marks, zero-width characters, emoji): the width rule here is the one every table fxfk printed
so far was laid out with, so outputs stay byte-identical.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

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


def width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


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
) -> list[str]:
    """Lines of a table whose columns line up on screen: two spaces between columns, the columns in
    ``right`` right-aligned, each at least ``min_widths[i]`` wide, trailing spaces removed."""
    rows = [header, *body]
    widths = [max(width(_text(r[i])) for r in rows) for i in range(len(header))]
    for i, least in enumerate(min_widths):
        widths[i] = max(widths[i], least)
    out = []
    for r in rows:
        cells = []
        for i, cell in enumerate(r):
            text = _text(cell)
            shown = color(text, cell.style) if isinstance(cell, Styled) else text
            fill = " " * (widths[i] - width(text))
            cells.append(fill + shown if i in right else shown + fill)
        out.append((indent + "  ".join(cells)).rstrip())
    return out
