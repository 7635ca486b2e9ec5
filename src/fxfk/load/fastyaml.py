"""A fast reader for the plain block-style YAML that data files are written in.

libyaml spends most of its time building Python event, node and mark objects (about 14 ms for a
75 KB register); a province repository has thousands of such files. Almost every line of a data
file is one of ``key: value``, ``key:``, ``- value`` or ``- key: value`` with a plain, quoted or
``[a, b]`` value, so this module reads exactly that, line by line, a few times faster.

It is a *fast path*, never a second opinion: :func:`parse` returns the same data the strict loader
(:func:`fxfk.load.yamlload.load_text`) would, or ``None`` — "not sure" — for anything outside that
subset or anything the strict loader would say something about: block scalars (``|``, ``>``),
multi-line plain values, flow mappings, anchors, tags, quoted keys, escapes, duplicate keys,
YAML 1.1 words like ``no``, tabs, lone carriage returns (CRLF is fine), control characters,
document markers. The strict loader then reads the file and reports, with positions.

:func:`positions` gives, for the same files, where every node and key starts — exactly libyaml's
marks — so findings are located without composing libyaml's node tree.

``tests/test_fastyaml.py`` (and every example of ``scripts/fuzz_validate.py``) checks the data and
the positions against libyaml on every YAML file of the project and on damaged registers.
"""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from fxfk.load.fastindex import MAX_INT_DIGITS as MAX_INT_DIGITS
from fxfk.load.fastindex import Index, Path, inside
from fxfk.load.fastindex import Positions as Positions  # where LoadedYaml finds it

# How plain scalars are typed, by both readers: YAML 1.2's core schema, minus floats.
_NULLS = {"null", "Null", "NULL", "~", ""}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# Plain words that YAML 1.1 tools (and older pyyaml users) read as booleans; fxfk keeps them as text.
YAML11_BOOLEANS = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())
_SPECIAL_WORDS = _NULLS | _TRUE | _FALSE | YAML11_BOOLEANS
# (MAX_INT_DIGITS, the most digits a number may have, lives with the position index that needs it too.)


class IntegerTooLong(ValueError):
    """A plain integer of more than MAX_INT_DIGITS digits."""

    def __init__(self, digits: int):
        super().__init__(digits)
        self.digits = digits


def plain_value(value: str) -> Any:
    """What a plain (unquoted) scalar means: null, a boolean, a decimal integer, or the text itself.

    Everything else — floats, dates, ``no``, ``010`` — stays text, for the models to judge.
    """
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        digits = len(value) - (value[0] in "+-")
        if digits > MAX_INT_DIGITS:
            raise IntegerTooLong(digits)
        return int(value)
    return value


# Characters that may start a YAML indicator; a plain value starting with one is left to libyaml.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

# Anything but LF, printable ASCII and the printable non-ASCII ranges; also tabs, CR, NEL, LS/PS
# and BOMs, which YAML treats specially.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_FLOW_UNSAFE = re.compile(r"[\[\]{}#'\":]")

_MAX_DEPTH = 32


# A line that holds something: (indent, content, line number).
_Line: TypeAlias = tuple[int, str, int]


class _NotSure(Exception):
    """Raised anywhere the subset ends; :func:`parse` turns it into ``None``."""


def _plain(value: str) -> Any:
    # "-1" and "-abc" are plain; "-", "- x" are not (and never reach here as values).
    if (value[0] in _INDICATORS and (value[0] != "-" or value[1:2] in ("", " "))) or ": " in value or value[-1] == ":" or value in YAML11_BOOLEANS:
        raise _NotSure
    try:
        return plain_value(value)
    except IntegerTooLong:
        raise _NotSure from None  # the strict loader reports it, with its position


def _scalar(value: str) -> Any:
    first = value[0]
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotSure
        return inner.replace("''", "'")
    if first == '"':
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != '"' or '"' in inner or "\\" in inner:
            raise _NotSure
        return inner
    if value == "{}":
        return {}
    if first == "[":
        inner = value[1:-1]
        if value[-1] != "]" or _FLOW_UNSAFE.search(inner):
            raise _NotSure
        if not inner.strip(" "):
            return []
        items = [item.strip(" ") for item in inner.split(",")]
        if "" in items:
            raise _NotSure
        return [_plain(item) for item in items]
    return _plain(value)


def _key(name: str) -> Any:
    if not name.isascii():
        raise _NotSure
    if name.isidentifier():
        if name in _SPECIAL_WORDS:
            raise _NotSure
        return name
    if name.isdigit() and (name[0] != "0" or name == "0") and len(name) <= MAX_INT_DIGITS:
        return int(name)
    raise _NotSure


def _value(rest: str) -> Any:
    if " #" in rest:  # a comment after the value
        if "'" in rest or '"' in rest:
            raise _NotSure  # a quoted " #" is text, not a comment: not worth telling apart here
        rest = rest[: rest.index(" #")].rstrip(" ")
        if not rest:
            return None
    return _scalar(rest)


# A scalar list item the strict loader's trap checks would flag: ``- name：x``, ``- name:x``,
# ``- \u3000x`` (an input-method slip that YAML would silently take as text).
_ITEM_TRAP = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[ \u3000]*：|:[^\s:/])|\u3000")


# Keys and short values repeat a lot across a register (field names, enumerations, dates, law
# names): remembering what each raw text means saves most of the per-line work. Only immutable
# results of short texts are kept (long ones are mostly unique), and only so many.
_KEYS: dict[str, Any] = {}
_VALUES: dict[str, Any] = {}
_REMEMBER = 50_000
_SHORT = 64
_MISSING = object()


def _typed(rest: str) -> Any:
    value = _VALUES.get(rest, _MISSING)
    if value is _MISSING:
        value = _value(rest)
        if len(rest) <= _SHORT and type(value) not in (list, dict) and len(_VALUES) < _REMEMBER:
            _VALUES[rest] = value
    return value


def _mapping(lines: list[_Line], i: int, indent: int, depth: int, index: Index | None, path: Path) -> tuple[dict[Any, Any], int]:
    if depth > _MAX_DEPTH:
        raise _NotSure
    result: dict[Any, Any] = {}
    end = len(lines)
    if index is not None:
        index.nodes[path] = ("m", lines[i][2], indent)
    while i < end:
        at, content, line = lines[i]
        if at != indent:
            if at < indent:
                break
            raise _NotSure
        name, colon, rest = content.partition(": ")
        if not colon:
            if content[-1] != ":":
                raise _NotSure
            name, rest = content[:-1], ""
        key = _KEYS.get(name)
        if key is None:
            key = _KEYS[name] = _key(name)
        if key in result:
            raise _NotSure
        i += 1
        nxt = lines[i][0] if i < end else -1
        if rest and rest[0] == " ":
            rest = rest.lstrip(" ")
        # Without an index no path is kept: ``here`` stays the parent's, unused.
        here = path if index is None else path + (key,)
        if index is not None:
            index.keys[here] = (line, at)
        if rest and rest[0] != "#":
            value = _VALUES.get(rest, _MISSING)  # _typed, inlined: this line runs for every value
            result[key] = _typed(rest) if value is _MISSING else value
            if nxt > indent:
                raise _NotSure  # continues on the next line: a multi-line value
            if index is not None:
                _scalar_at(index, here, result[key], rest, line, at + len(content) - len(rest))
        elif nxt > indent:
            result[key], i = _node(lines, i, depth + 1, index, here)
        elif nxt == indent and lines[i][1][0] == "-":
            # A sequence may sit at its key's own indentation.
            inner = inside(index, depth + 1, here, "s", lines[i][2], indent)
            result[key], i = _sequence(lines, i, indent, depth + 1, inner, here)
        else:
            result[key] = None
            if index is not None:  # an empty value sits just after its colon, as libyaml marks it
                index.nodes[here] = ("v", line, at + len(name) + 1)
    return result, i


def _scalar_at(index: Index, path: Path, value: Any, text: str, line: int, column: int) -> None:
    """Where a value written on one line starts, and where each item of a ``[a, b]`` list does."""
    nodes = index.nodes
    if type(value) is list:
        nodes[path] = ("s", line, column)
        offset = column + 1
        for n, raw in enumerate(text[1 : text.index("]")].split(",") if value else ()):
            nodes[path + (n,)] = ("v", line, offset + len(raw) - len(raw.lstrip(" ")))
            offset += len(raw) + 1
    elif type(value) is dict:
        nodes[path] = ("m", line, column)
    else:
        nodes[path] = ("v", line, column)


def _node(lines: list[_Line], i: int, depth: int, index: Index | None, path: Path) -> tuple[Any, int]:
    """The block node starting at line ``i`` (which is indented deeper than its parent)."""
    at, content, line = lines[i]
    if content == "-" or content[:2] == "- ":
        return _sequence(lines, i, at, depth, inside(index, depth, path, "s", line, at), path)
    return _mapping(lines, i, at, depth, inside(index, depth, path, "m", line, at), path)


def _sequence(lines: list[_Line], i: int, indent: int, depth: int, index: Index | None, path: Path) -> tuple[list[Any], int]:
    if depth > _MAX_DEPTH:
        raise _NotSure
    result: list[Any] = []
    end = len(lines)
    if index is not None:
        index.nodes[path] = ("s", lines[i][2], indent)
    while i < end:
        at, content, line = lines[i]
        if at != indent:
            if at < indent:
                break
            raise _NotSure
        here = path if index is None else path + (len(result),)
        if content[:2] != "- ":
            if content != "-":
                break  # the next key of a mapping whose sequence sat at the key's indentation
            i += 1
            if i < end and lines[i][0] > indent:
                item, i = _node(lines, i, depth + 1, index, here)
                result.append(item)
            else:
                result.append(None)
                if index is not None:  # an empty item sits just after its dash, as libyaml marks it
                    index.nodes[here] = ("v", line, at + 1)
            continue
        item = content[2:].lstrip(" ")
        if item[0] == "-" or item[0] == "#":
            raise _NotSure  # "- - x", a plain value starting with "-", or a comment
        inner = indent + len(content) - len(item)
        key, colon, _ = item.partition(": ")
        if (colon or item[-1] == ":") and (key if colon else item[:-1]).isidentifier():
            # The item is a mapping that starts on this line, at the item's own indentation.
            lines[i] = (inner, item, line)
            value, i = _mapping(lines, i, inner, depth + 1, index, here)
            result.append(value)
            continue
        if _ITEM_TRAP.match(item):
            raise _NotSure
        result.append(_typed(item))
        if index is not None:
            _scalar_at(index, here, result[-1], item, line, inner)
        i += 1
        if i < end and lines[i][0] > indent:
            raise _NotSure
    return result, i


def _read(text: str, index: Index | None) -> dict[Any, Any] | None:
    if "\r" in text:  # Windows line ends mean the same as Unix ones; a lone CR is left to libyaml
        text = text.replace("\r\n", "\n")
    if _UNUSUAL.search(text):
        return None
    # (indent, content, line number) of every line that holds something; comments hold nothing.
    lines = [
        (len(line) - len(content), content.rstrip(" "), n)
        for n, line in enumerate(text.split("\n"))
        if (content := line.lstrip(" ")) and content[0] != "#"
    ]
    if not lines or lines[0][0] != 0 or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return None  # (document markers: several documents, or an explicit end)
    try:
        data, end = _mapping(lines, 0, 0, 1, index, ())
    except _NotSure:
        return None
    return data if end == len(lines) else None


def parse(text: str) -> dict[Any, Any] | None:
    """The data of ``text`` as the strict loader reads it, or None when only the strict loader can tell."""
    return _read(text, None)


def positions(text: str) -> Positions | None:
    """The positions of every node of ``text``, or None when :func:`parse` would not read it."""
    index = Index()
    if _read(text, index) is None:
        return None
    return Positions(index)


def shallow_positions(text: str, depth: int = 3) -> tuple[dict[Any, Any], Positions] | None:
    """The data of ``text`` and the positions of its nodes down to ``depth`` (a register's
    ``risks[i].level`` is at 3), or None when :func:`parse` would not read it.

    Nodes deeper than ``depth`` get only their start, so a path that reaches no deeper locates exactly
    as with :func:`positions`, at little more than the cost of :func:`parse` (fxfk classify gives the
    line of every point's ``level``).
    """
    index = Index(depth)
    data = _read(text, index)
    return None if data is None else (data, Positions(index))
