"""Text fields: the rule every str of the data follows, and how a message repeats a user's value.

Every text is bounded (``ID_MAX``, ``NAME_MAX``, ``TEXT_MAX`` characters) and holds no control
character except tab and line feed: no carriage return (a lone CR breaks Markdown tables and CSV
rows), no DEL, no C1 control (U+0080–U+009F), no bidi embedding/override/isolate (U+202A–U+202E,
U+2066–U+2069: they make a list read differently from what it says).

Every value of the data that a message repeats goes through :func:`echo`: a short excerpt with
control characters escaped, so a long or hostile value is never printed whole (into a terminal, a
CI log, a JSON report).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import StringConstraints
from pydantic_core import PydanticCustomError, core_schema

ID_MAX = 64
NAME_MAX = 200
TEXT_MAX = 10_000

# C0 controls except tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates.
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_CONTROL_NAMES = {"\r": "回车符；换行请直接换行", "\x00": "空字符", "\x1b": "终端转义符 ESC"}
_BIDI_NAME = "双向文字控制符，会使文字显示的顺序与实际内容不同"


def control_character(char: str) -> bool:
    return CONTROL.match(char) is not None


def text_problem(text: str, max_length: int) -> tuple[str, str] | None:
    """(error type, Chinese message) if ``text`` is too long or holds a control character, else None."""
    if len(text) > max_length:
        return "text_too_long", f"文字过长：{len(text)} 个字符，此处最多 {max_length} 个字符"
    m = CONTROL.search(text)
    if m is None:
        return None
    char = m.group()
    name = _BIDI_NAME if "\u202a" <= char <= "\u2069" else _CONTROL_NAMES.get(char)
    detail = f"第 {m.start() + 1} 个字符" + (f"，{name}" if name else "")
    return "control_character", f"含有控制字符 U+{ord(char):04X}（{detail}），请删除"


ECHO_MAX = 20  # characters of a bad value repeated in a message, then "…"

# Shown escaped: the control characters the models refuse, and tab, line feed and the Unicode line
# separators, which would break the one-line form of a diagnostic.
_ESCAPE = re.compile(f"[\t\n\u2028\u2029{CONTROL_CHARACTERS}]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def echo(value: Any) -> str:
    """A value as the user wrote it in YAML, for messages: at most ``ECHO_MAX`` characters, escaped."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "（空）"
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "（过大的数）"
        if value.is_integer() and abs(value) < 1e15:
            value = int(value)  # 1000000, as written, not 1000000.0
    if isinstance(value, int) and value.bit_length() > 10_000:
        return "（过大的数）"  # str() of an int of more than 4,300 digits raises
    text = str(value)
    cut = len(text) > ECHO_MAX
    text = _ESCAPE.sub(_escaped, text[:ECHO_MAX])
    return text + "…" if cut else text


@dataclass(frozen=True)
class TextRule:
    """The rule of every text field: at most ``max_length`` characters, no control character.

    Checked in Python after pydantic's own str checks: ``len`` is O(1) on a str and one regex search
    costs less than a Rust pattern, which would first convert the text to UTF-8 (measured).
    """

    max_length: int

    def validator(self) -> Any:
        # A closure with its lookups bound: it runs for every text of every file (~1,200 a register).
        def check(
            value: str,
            _limit: int = self.max_length,
            _search: Callable[[str], re.Match[str] | None] = CONTROL.search,
        ) -> str:
            if len(value) > _limit or _search(value) is not None:
                problem = text_problem(value, _limit)
                if problem is not None:  # always, by the test above
                    raise PydanticCustomError(*problem)
            return value

        return check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.validator(), handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        out: dict[str, Any] = handler(schema)
        out["maxLength"] = self.max_length
        return out


def _text(max_length: int, required: bool = False) -> Any:
    if required:  # not blank: checked by pydantic, so the messages stay those of before
        return Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"\S"), TextRule(max_length)]
    return Annotated[str, StringConstraints(strict=True), TextRule(max_length)]


# Text: a str and nothing else; Required text must not be blank. Every str field of every model
# is one of these (tests/security/test_models.py walks the models to make sure).
if TYPE_CHECKING:  # the checker sees the str a field holds; pydantic sees the rule
    Text = str
    RequiredText = str
    Name = str
    RequiredName = str
    ShortText = str
    Reference = str
else:
    Text = _text(TEXT_MAX)  # free text: descriptions, reasons, excerpts, notes
    RequiredText = _text(TEXT_MAX, required=True)
    Name = _text(NAME_MAX)  # names, titles, law names, document numbers, articles, deadlines
    RequiredName = _text(NAME_MAX, required=True)
    ShortText = _text(ID_MAX)  # phone numbers
    Reference = _text(ID_MAX, required=True)  # office ids or kinds named in a task table
