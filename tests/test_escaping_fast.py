"""Issue 19: Markdown escaping skips substitutions that cannot match, with the same bytes out.

``reference_md`` is ``fxfk.render.escaping.md`` as it was before (every substitution on every line);
the fast one must agree with it on every text, including the ones the cheap tests let through.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fxfk.render import escaping
from fxfk.render.escaping import md, md_code, terminal

_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MD_INLINE = re.compile(r"([\\`*\[\]|~#$]|(?<![^\W_])_|_(?![^\W_]))")
_MD_URL = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![a-z0-9.])(www)(\.)")
_MD_BLOCK_START = re.compile(r"^([+\-=])(?=[ \t+\-=]|$)|^(\d{1,9})([.)])(?=[ \t]|$)")


def _reference_line(text: str) -> str:
    text = text.strip()
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_URL.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", text)
    text = _MD_BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reference_md(value: object) -> str:
    return "<br>".join(_reference_line(terminal(part)) for part in _LINE_BREAK.split(str(value)))


PIECES = ["http://", "HTTPS://x", "www.", "WwW.", "wWw.example", "a.www.", "1.", "12)", "١.", "１.", "- ", "+",
          "=", "==", "--", "a_b", "_x", "x_", "__", "&amp;", "<b>", "\\", "`", "*", "[", "]", "|", "~", "#", "$",
          " ", "\t", "\r\n", "\r", "\n", "\x0b", "\x85", "\u2028", "\u2029", "\x1b", "\u202e", "第二十三条：",
          "1. 建议：", "罚款", "K://", "ſ://"]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=20).map("".join)


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("1. 建议：在办事窗口告知")
@example("www.example.com 与 http://a.b")
@example("a\r\n\r\nb\r\r\n")
@example("  - 列表  ")
def test_md_equals_the_substitute_everything_version(text):
    assert md(text) == reference_md(text)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_line_breaks_split_as_before(text):
    assert escaping._LINE_BREAK.split(text) == _LINE_BREAK.split(text)
    # md_code shares the pattern
    assert md_code(text).count("\n") == 0


def test_md_of_non_text_values():
    assert md(12) == reference_md(12) == "12" and md(None) == "None"


@settings(max_examples=300, deadline=None)
@given(texts)
def test_the_template_filter_remembers_without_changing_a_cell(text):
    """md_cell keeps what it escaped (the same texts recur on every list): a second call, from memory,
    gives what md gives; a str subclass or another type is never taken from memory."""
    from markupsafe import Markup

    from fxfk.render.templates import md_cell

    assert md_cell(text) == md(text)
    assert md_cell(text) == md(text)  # (from memory)
    assert md_cell(Markup(text)) == md(Markup(text))
    assert md_cell(len(text)) == md(len(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(texts, min_size=2, max_size=4), max_size=5), st.integers(0, 10**6))
def test_rows_written_once_and_numbered_twice_are_what_csv_bytes_writes(cells, start):
    """The office list and its city section share their CSV rows: only the first cell (a number) differs."""
    import datetime as dt

    from fxfk.render.tabular import csv_bytes, numbered_csv

    rows = [[0, *row, dt.date(2019, 9, 16)] for row in cells]
    mine = numbered_csv(rows, [0, start])
    for first, text in zip([0, start], mine):
        numbered = [[first + k, *row[1:]] for k, row in enumerate(rows, 1)]
        assert text.encode("utf-8") == csv_bytes((), numbered)[len(csv_bytes((), [])):]
