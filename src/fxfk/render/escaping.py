"""One escaping function per output format; every renderer that puts data-derived text into an
output goes through the one for its format.

A data repository is untrusted input (it may come from a pull request), so its text must not be
able to act in the output: no spreadsheet formula, no Markdown link, image, heading or raw HTML, no
GitHub workflow command, no terminal escape sequence, no character that breaks XML.

- ``csv_cell`` / ``is_formula``: a text cell starting with ``= + - @``, tab or CR gets a leading
  ``'`` (OWASP "CSV injection"). Numbers stay numbers. Full-width ``＝`` is not a formula to Excel
  or LibreOffice, so it is left alone.
- ``md`` (alias ``md_cell``): Markdown inline text and table cells, for CommonMark and GFM.
- ``md_code``: a Markdown code span whose content cannot close it.
- ``terminal``: text for a terminal (control characters and bidi overrides made visible).
- ``json_text``: a JSON document with C1 controls and bidi overrides as ``\\uXXXX`` escapes.
- ``gh_data`` / ``gh_property``: GitHub Actions workflow-command data and property values.
- ``xml_text``: text that XML 1.0 (JUnit, DOCX, XLSX) can carry.
"""

from __future__ import annotations

import re
from typing import TypeGuard, TypeVar

_Cell = TypeVar("_Cell")

# --- characters that act on a terminal or reorder text -------------------------------------------

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate
# characters (Trojan Source): a terminal or an editor would act on them instead of showing them.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object) -> str:
    """Text for a terminal or a log: controls (ESC, CR, NUL, C1…) and bidi overrides shown as ``\\x1b``-style escapes."""
    return _CONTROL.sub(_visible, str(text))


# --- JSON -----------------------------------------------------------------------------------------

# json.dumps(ensure_ascii=False) escapes C0 but writes C1 controls, bidi overrides and the Unicode
# line separators raw; they only ever occur inside JSON strings there, so \\uXXXX is the same value.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def json_text(document: str) -> str:
    """A JSON document (from json.dumps) with the characters a terminal would act on as ``\\uXXXX``."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


# --- XML 1.0 ---------------------------------------------------------------------------------------

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    """Text XML 1.0 can carry: the characters it forbids become visible ``\\x01``-style escapes."""
    return _XML_BAD.sub(_visible, str(text))


# --- spreadsheets ----------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value: object) -> TypeGuard[str]:
    """Whether a spreadsheet would read this text cell as a formula (or a DDE command)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: _Cell) -> _Cell | str:
    """A CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``; numbers are kept."""
    return "'" + value if is_formula(value) else value


# --- Markdown --------------------------------------------------------------------------------------

# Every line break CommonMark, browsers or Python know, so that a value never spans two lines
# ("\r\n" is one break). Written to start with a character class, which ``re`` scans for in C.
_LINE_BREAK = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029](?:(?<=\r)\n)?")
# ASCII punctuation that is Markdown syntax anywhere in a line: escapes, code spans, emphasis,
# links and images, table pipes, strikethrough, heading markers; GitHub math (``$``). An "_"
# between two letters or digits (level_reason) cannot start or end emphasis, so it is left alone.
_MD_INLINE = re.compile(r"([\\`*\[\]|~#$]|(?<![^\W_])_|_(?![^\W_]))")
_MD_INLINE_CHARS = re.compile(r"[\\`*\[\]|~#$_]")  # what _MD_INLINE can match, found faster
# Bare links that GFM autolinks: break "scheme://" and "www." with an escape.
_MD_URL = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![a-z0-9.])(www)(\.)")
_MD_WWW = re.compile(r"[wW][wW][wW]\.")  # with "://", what _MD_URL needs (only w and W are "w" ignoring case)
# What may start a block when the value begins a line: list, thematic break, setext underline,
# ordered list "1." / "1)". ("#", "*", "|", "~" and "`" are escaped everywhere; a quote ">" and raw
# HTML "<" become entities, which never start a block; leading spaces are stripped.)
_MD_BLOCK_START = re.compile(r"^([+\-=])(?=[ \t+\-=]|$)|^(\d{1,9})([.)])(?=[ \t]|$)")


def _md_line(text: str, inline: bool, url: bool) -> str:
    text = text.strip()
    if inline:
        text = _MD_INLINE.sub(r"\\\1", text)
    if url:
        text = _MD_URL.sub(lambda m: "\\:" if m.group(1) else m.group(2) + "\\.", text)
    block = _MD_BLOCK_START.match(text)  # anchored at the start: at most this one replacement
    if block:
        text = ("\\" + block[1] if block[1] else block[2] + "\\" + block[3]) + text[block.end():]
    # Raw HTML, autolinks and entities: text, never markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md(value: object) -> str:
    """Data as Markdown inline text or a table cell: shown literally, on one line (line breaks as ``<br>``).

    CJK text and punctuation are untouched; only ASCII punctuation that is Markdown syntax is
    backslash-escaped, ``<>&`` become entities, controls and bidi overrides become visible escapes,
    and a value cannot start a block (heading, list, quote, fence, table row) wherever it is placed.

    Most cells are plain CJK text, so the value is first asked once whether the inline and link
    substitutions can match anywhere in it (each line is part of it, and neither substitution adds
    what the other looks for); a value with controls, whose escapes add backslashes, gets every
    substitution on every line.
    """
    text = str(value)
    if _CONTROL.search(text):
        return "<br>".join([_md_line(_CONTROL.sub(_visible, part), True, True) for part in _LINE_BREAK.split(text)])
    inline = _MD_INLINE_CHARS.search(text) is not None
    url = "://" in text or _MD_WWW.search(text) is not None
    return "<br>".join([_md_line(part, inline, url) for part in _LINE_BREAK.split(text)])


md_cell = md


def md_code(value: object) -> str:
    """Data as a Markdown code span: a backtick fence longer than any run inside, on one line."""
    text = " ".join(terminal(part) for part in _LINE_BREAK.split(str(value)))
    text = text.replace("|", "\\|")  # a pipe ends a GFM table cell even inside a code span
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- GitHub Actions workflow commands --------------------------------------------------------------


def gh_data(text: object) -> str:
    """The message of ``::error …::message``: ``%``, CR and LF encoded, so it cannot start a new command."""
    return terminal(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def gh_property(text: object) -> str:
    """A property value (``file=…``, ``title=…``): also ``:`` and ``,`` encoded."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")
