"""YAML nodes: the two parsers fxfk uses (libyaml and pure Python) with every tag left plain, and
the walk from a node tree to plain data that refuses what data files must not hold (explicit tags,
complex and duplicate keys, too deep nesting, integers of too many digits).

Split from :mod:`fxfk.load.yamlload` (the loader), which calls :func:`to_data` on the composed tree.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from yaml.composer import Composer
from yaml.events import Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from fxfk.diagnostics import excerpt, format_path
from fxfk.load import fastyaml
from fxfk.load.fastyaml import MAX_INT_DIGITS, YAML11_BOOLEANS, IntegerTooLong
from fxfk.load.yamltext import MAX_DEPTH

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}
_ALLOWED_TAGS = {_STR, _SEQ, _MAP}


class _PlainResolver(BaseResolver):
    """Gives every node its default tag: typing plain scalars is done by ``_scalar`` below."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:  # noqa: ARG002 - signature of BaseResolver
        return _DEFAULT_TAGS[kind]


class Loader(Protocol):
    """What the loader uses of a parser: events (to refuse anchors early) and the composed node."""

    def check_event(self) -> bool: ...
    def get_event(self) -> Event | None: ...
    def get_single_node(self) -> Node | None: ...
    def dispose(self) -> None: ...


try:  # libyaml, when pyyaml was built with it (yaml.cyaml takes CParser from yaml._yaml)
    from yaml._yaml import CParser

    class _CLoader(CParser, _PlainResolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _PlainResolver.__init__(self)

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    HAVE_LIBYAML = False


class _PyLoader(Reader, Scanner, Parser, Composer, _PlainResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _PlainResolver.__init__(self)


def loader_class(pure: bool = False) -> Callable[[str], Loader]:
    """libyaml's parser, or the pure-Python one when asked (``Options.pure_yaml``) or when pyyaml
    was built without libyaml."""
    if pure or not HAVE_LIBYAML:
        return _PyLoader
    return _CLoader


def _scalar(node: ScalarNode) -> Any:
    """The value of a scalar node; raises IntegerTooLong for a plain integer of too many digits."""
    if node.style:  # quoted or block scalar: always text (plain is None in pyyaml, "" in libyaml)
        return node.value
    return fastyaml.plain_value(node.value)


def key_value(node: ScalarNode) -> Any:
    try:
        return _scalar(node)
    except IntegerTooLong:
        return node.value


class Problem(Exception):
    def __init__(self, code: str, message: str, line: int, column: int, path: str = ""):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.path = code, message, line, column, path


class Marked(Protocol):
    """A place in the text, 0-based: pyyaml's and libyaml's marks (two classes) both are."""

    line: int
    column: int


def pos(mark: Marked) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


# --- the walk: nodes to plain data ----------------------------------------------------------


def _too_long_message(digits: int) -> str:
    return (
        f"整数位数过多（{digits} 位，最多 {MAX_INT_DIGITS} 位）；数据中的数字不会这么长。"
        "如果这是编号等文字，请给它加引号"
    )


def to_data(node: Node, path: tuple[Any, ...], depth: int, words: list[tuple[int, int, str]]) -> Any:
    if depth > MAX_DEPTH:
        line, col = pos(node.start_mark)
        raise Problem("too-deep", f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构", line, col)
    if node.tag not in _ALLOWED_TAGS:
        line, col = pos(node.start_mark)
        raise Problem(
            "explicit-tag",
            f"不允许使用 YAML 标签“{excerpt(node.tag.replace('tag:yaml.org,2002:', '!!'))}”；请删除标签，只写普通的值",
            line,
            col,
        )
    if isinstance(node, ScalarNode):
        if not node.style and node.value in YAML11_BOOLEANS:
            words.append((node.start_mark.line + 1, node.start_mark.column + 1, node.value))
        try:
            return _scalar(node)
        except IntegerTooLong as exc:
            line, col = pos(node.start_mark)
            raise Problem("integer-too-long", _too_long_message(exc.digits), line, col) from None
    if isinstance(node, SequenceNode):
        return [to_data(item, path + (i,), depth + 1, words) for i, item in enumerate(node.value)]
    result: dict[Any, Any] = {}
    first_seen: dict[Any, int] = {}  # key -> its line
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            line, col = pos(key_node.start_mark)
            raise Problem("complex-key", "键必须是简单的文字，不能是列表或映射", line, col)
        if key_node.tag not in _ALLOWED_TAGS:
            to_data(key_node, path, depth + 1, words)  # raises explicit-tag
        try:
            key = _scalar(key_node)
        except IntegerTooLong as exc:
            line, col = pos(key_node.start_mark)
            raise Problem("integer-too-long", _too_long_message(exc.digits), line, col) from None
        if key in first_seen:
            line, col = pos(key_node.start_mark)
            raise Problem(
                "duplicate-key",
                f"键“{excerpt(key_node.value)}”重复（第 {first_seen[key]} 行已有）；同一层里每个键只能出现一次，请合并或删除一个",
                line,
                col,
                format_path(path + (key,)),
            )
        first_seen[key] = key_node.start_mark.line + 1
        result[key] = to_data(value_node, path + (key,), depth + 1, words)
    return result

