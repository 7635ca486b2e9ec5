"""The one strict YAML loader of fxfk.

Everything that reads a data file goes through :func:`load_file`. It

* reads bytes (refusing files over a size limit before parsing — :func:`read_limited` never reads
  more than the limit, and :func:`load_bytes` / :func:`load_text` refuse more too), decodes UTF-8
  (a BOM is fine) and recognises GBK/GB18030 files saved by Windows editors;
* reports the traps that Chinese input methods set and YAML itself does not name: a full-width
  colon ``：`` after a key, ideographic spaces (U+3000) or tabs in the indentation;
* refuses anchors/aliases (alias bombs), explicit tags (``!!python/...``), duplicate keys, several
  documents, an empty file and a top level that is not a mapping;
* types only ``true``/``false``, ``null`` and plain decimal integers — everything else, including
  YAML 1.1's ``no``/``on``/``010``/``2019-02-30`` and floats like ``1e400``, stays text for the
  models to judge; an integer of more than ``MAX_INT_DIGITS`` digits (value or key) is an error;
* quotes the source in its messages only as short, printable excerpts;
* maps any finding back to ``file:line:column`` (the fast reader's position index, or libyaml's node
  tree composed again when asked for).

libyaml (``CParser``) is used where present, the pure-Python parser otherwise; both give the same
diagnostics (the tests run both). Before either, :mod:`fxfk.load.fastyaml` reads the plain block style
that nearly every data file is written in, several times faster; it steps aside for everything
else, and the node tree for positions is composed by libyaml only when something is reported.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from yaml.composer import Composer
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from fxfk.diagnostics import Diagnostic, excerpt, format_path
from fxfk.load import fastyaml
from fxfk.load.fastyaml import MAX_INT_DIGITS, YAML11_BOOLEANS, IntegerTooLong
from fxfk.load.gcpause import gc_paused

# The one per-file size limit: every reader of data files (also of git blobs) applies it.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Deeper than any data file can legitimately be; protects the recursive walk (and libyaml's).
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}
_ALLOWED_TAGS = {_STR, _SEQ, _MAP}


class _PlainResolver(BaseResolver):
    """Gives every node its default tag: typing plain scalars is done by ``_scalar`` below."""

    def resolve(self, kind, value, implicit):  # noqa: ARG002 - signature of BaseResolver
        return _DEFAULT_TAGS[kind]


try:  # libyaml, when pyyaml was built with it
    from yaml.cyaml import CParser

    class _CLoader(CParser, _PlainResolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            _PlainResolver.__init__(self)

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how pyyaml was built
    _CLoader = None
    HAVE_LIBYAML = False


class _PyLoader(Reader, Scanner, Parser, Composer, _PlainResolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _PlainResolver.__init__(self)


def loader_class(pure: bool = False):
    # FXFK_PURE_YAML=1 forces the pure-Python parser (for tests and for comparing the two).
    if pure or _CLoader is None or os.environ.get("FXFK_PURE_YAML") == "1":
        return _PyLoader
    return _CLoader


def _scalar(node: ScalarNode) -> Any:
    """The value of a scalar node; raises IntegerTooLong for a plain integer of too many digits."""
    if node.style:  # quoted or block scalar: always text (plain is None in pyyaml, "" in libyaml)
        return node.value
    return fastyaml.plain_value(node.value)


def _key_value(node: ScalarNode) -> Any:
    try:
        return _scalar(node)
    except IntegerTooLong:
        return node.value


# The node trees and position indexes of the last few re-read files (see LoadedYaml._again).
_RECENT: OrderedDict = OrderedDict()
_RECENT_LIMIT = 8


def _compose(text: str, pure: bool) -> Node | None:
    # Node trees are many small acyclic objects: collecting while building them, or scanning them
    # once built (they are freed by reference counting when dropped), only costs.
    with gc_paused(keep=True):
        loader = loader_class(pure)(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()


@dataclass
class LoadedYaml:
    """A parsed file: its data (None when it could not be read) and a way back to positions.

    The node tree is not kept after a successful load (it costs far more memory than the data and
    slows the garbage collector on big repositories); ``root`` composes it again from the text the
    first time a position is asked for, which only happens when there is something to report.
    """

    rel: str
    data: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # (line, column, word) of plain yes/no/on/off values kept as text, for a warning
    yaml11_words: list[tuple[int, int, str]] = field(default_factory=list)
    text: str | None = field(default=None, repr=False)
    pure: bool = False
    # Set when the file parsed cleanly: the text is then re-read from here instead of kept.
    path: Path | None = field(default=None, repr=False)
    _root: Node | None = field(default=None, repr=False)
    # fastyaml's position index of a kept text (False: the fast reader does not take the file).
    _positions: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(d.severity == "error" for d in self.diagnostics)

    @property
    def root(self) -> Node | None:
        if self._root is not None:
            return self._root
        root = self._again("root", lambda text: _compose(text, self.pure))
        if self.text is not None:
            self._root = root
        return root

    def _again(self, what: str, build: Callable[[str], Any]) -> Any:
        """``build(text)``, for a file whose text was not kept: re-read, and remember only a few.

        Commands that locate every point of 3,000 files would otherwise hold gigabytes of nodes.
        """
        if self.text is not None:
            return build(self.text)
        if self.path is None:
            return None
        key = (self.path, id(self), what)
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _RECENT[key]
        raw, _ = read_limited(self.path, self.rel)
        text = None if raw is None else decode(raw, self.rel)[0]
        value = None if text is None else build(text)
        _RECENT[key] = value
        while len(_RECENT) > _RECENT_LIMIT:
            _RECENT.popitem(last=False)
        return value

    def _fast_positions(self) -> fastyaml.Positions | None:
        if self._positions is not None:
            return self._positions or None
        with gc_paused(keep=True):  # thousands of small tuples, freed by reference counting
            positions = self._again("positions", fastyaml.positions)
        if self.text is not None:
            self._positions = positions or False
        return positions

    def locate(self, loc: tuple, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at ``loc``, or of the deepest ancestor that exists.

        With ``key=True`` the position of the last key itself is returned (for unknown keys).
        Parts of ``loc`` that do not name data (pydantic's union tags) are skipped. Files the fast
        reader takes are located with its position index; others with libyaml's node tree.
        """
        if self._root is None:
            positions = self._fast_positions()
            if positions is not None:
                return positions.locate(loc, key)
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for i, part in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and (k.value == str(part) or _key_value(k) == part):
                        if last and key:
                            return (k.start_mark.line + 1, k.start_mark.column + 1)
                        node, mark = v, v.start_mark
                        break
                else:
                    if isinstance(part, str) and part.startswith("discretion-"):
                        continue
                    break
            elif isinstance(node, SequenceNode):
                if isinstance(part, int) and 0 <= part < len(node.value):
                    node = node.value[part]
                    mark = node.start_mark
                elif isinstance(part, int):
                    break
                # string parts inside a sequence are union tags: skip
            else:
                break
        return (mark.line + 1, mark.column + 1)


class _Problem(Exception):
    def __init__(self, code: str, message: str, line: int, column: int, path: str = ""):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.path = code, message, line, column, path


def _pos(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


# --- traps that come before parsing --------------------------------------------------------

_FULLWIDTH_COLON = re.compile(r"^([ \t\u3000]*(?:-[ \t]+)*)([A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：", re.M)
_IDEOGRAPHIC_INDENT = re.compile(r"^([ \t]*(?:-[ \t]*)*)\u3000", re.M)
_TAB_INDENT = re.compile(r"^( *(?:- *)*)\t", re.M)
_DEEP_FLOW = re.compile(r"(?:[\[{][ \t\r\n]*){%d,}" % (MAX_DEPTH + 1))
_NESTED_FLOW = re.compile(r"[\[{][ \t\r\n]*[\[{]")  # pre-filter for _DEEP_FLOW
_COLON_GLUED = re.compile(r"[a-z0-9_]:[^\s:/]")  # cheap pre-filter for the next one
_NO_SPACE_AFTER_COLON = re.compile(r"^([ ]*(?:-[ ]+)*)([a-z_][a-z0-9_]*):(?=[^\s:/])", re.M)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


# (cheap pre-filter, pattern, code, message from the match): traps YAML itself does not name.
# Each regex runs only when its pre-filter says it can match, since this runs on every file.
_TRAPS = (
    (lambda t: "：" in t, _FULLWIDTH_COLON, "fullwidth-colon",
     lambda m: f"键“{excerpt(m[2])}”后面是全角冒号“：”（中文输入法）；YAML 只认半角冒号，请改为“{excerpt(m[2])}: ”（半角冒号加一个空格）"),
    (lambda t: "\u3000" in t, _IDEOGRAPHIC_INDENT, "ideographic-space",
     lambda m: "缩进中有全角空格（U+3000，中文输入法）；缩进只能用半角空格，请删除后用空格重新缩进"),
    (lambda t: "\t" in t, _TAB_INDENT, "tab-indent",
     lambda m: "缩进中有制表符（Tab）；YAML 缩进只能用空格，请把 Tab 换成空格"),
    (_COLON_GLUED.search, _NO_SPACE_AFTER_COLON, "colon-without-space",
     lambda m: f"键“{excerpt(m[2])}”的冒号后面缺少空格，YAML 会把整行当成一段文字；请写成“{excerpt(m[2])}: 值”"),
)


def _check_traps(text: str) -> list[tuple[str, str, int, int]]:
    found: list[tuple[str, str, int, int]] = []
    for guard, pattern, code, message in _TRAPS:
        if guard(text):
            # Matches come in order: count lines from the previous one, not from the start (a file
            # of 100,000 tab-indented lines would otherwise take quadratic time).
            line, line_start, counted = 1, 0, 0
            for m in pattern.finditer(text):
                offset = m.end() - 1
                line += text.count("\n", counted, offset)
                counted = offset
                line_start = text.rfind("\n", line_start, offset) + 1 or line_start
                found.append((code, message(m), line, offset - line_start + 1))
    if _NESTED_FLOW.search(text):
        deep = _DEEP_FLOW.search(text)
        if deep:
            line, col = _line_col(text, deep.start())
            found.append(("too-deep", f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构", line, col))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


# --- YAML's own errors, in Chinese ---------------------------------------------------------

_PROBLEMS = [
    ("mapping values are not allowed", "此处不能出现“: ”；如果值里本身含有冒号加空格，请给整个值加引号，或检查上一行的缩进"),
    ("could not find expected ':'", "找不到应有的冒号“:”；请检查这一行是否写成了“键: 值”"),
    ("did not find expected key", "缩进不一致：这一行与同级的键没有对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：这一行与同级的“- ”没有对齐"),
    ("expected <block end>, but found", "缩进不一致：这一行的缩进与上文不匹配"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unexpected ':'", "出现了多余的冒号；值里含有冒号时请给整个值加引号"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头（如 @、`、%）；请给整个值加引号"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found unknown escape character", "双引号字符串中有无效的转义（\\）；请改用单引号，或把 \\ 写成 \\\\"),
    ("expected ',' or ']'", "方括号列表 [...] 没有正确闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号映射 {...} 没有正确闭合或缺少逗号"),
    ("while parsing a block collection", "列表的写法有误：同一级的“- ”必须对齐"),
]


def _translate(problem: str | None, context: str | None) -> str:
    text = f"{context or ''} {problem or ''}"
    if "'\\t'" in text or "\\t" in (problem or ""):
        return "缩进或值的开头有制表符（Tab）；YAML 缩进只能用空格"
    for needle, chinese in _PROBLEMS:
        if needle in text:
            return f"YAML 语法错误：{chinese}"
    return f"YAML 语法错误：{excerpt((problem or context or '无法解析').strip(), 120)}"


# --- the walk: nodes to plain data ----------------------------------------------------------


def _too_long_message(digits: int) -> str:
    return (
        f"整数位数过多（{digits} 位，最多 {MAX_INT_DIGITS} 位）；数据中的数字不会这么长。"
        "如果这是编号等文字，请给它加引号"
    )


def _to_data(node: Node, path: tuple, depth: int, words: list) -> Any:
    if depth > MAX_DEPTH:
        line, col = _pos(node.start_mark)
        raise _Problem("too-deep", f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构", line, col)
    if node.tag not in _ALLOWED_TAGS:
        line, col = _pos(node.start_mark)
        raise _Problem(
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
            line, col = _pos(node.start_mark)
            raise _Problem("integer-too-long", _too_long_message(exc.digits), line, col) from None
    if isinstance(node, SequenceNode):
        return [_to_data(item, path + (i,), depth + 1, words) for i, item in enumerate(node.value)]
    result: dict = {}
    first_seen: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            line, col = _pos(key_node.start_mark)
            raise _Problem("complex-key", "键必须是简单的文字，不能是列表或映射", line, col)
        if key_node.tag not in _ALLOWED_TAGS:
            _to_data(key_node, path, depth + 1, words)  # raises explicit-tag
        try:
            key = _scalar(key_node)
        except IntegerTooLong as exc:
            line, col = _pos(key_node.start_mark)
            raise _Problem("integer-too-long", _too_long_message(exc.digits), line, col) from None
        if key in first_seen:
            line, col = _pos(key_node.start_mark)
            raise _Problem(
                "duplicate-key",
                f"键“{excerpt(key_node.value)}”重复（第 {first_seen[key]} 行已有）；同一层里每个键只能出现一次，请合并或删除一个",
                line,
                col,
                format_path(path + (key,)),
            )
        first_seen[key] = key_node.start_mark.line + 1
        result[key] = _to_data(value_node, path + (key,), depth + 1, words)
    return result


# --- entry points ---------------------------------------------------------------------------


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (BOM tolerated); GBK files get a message that says how to fix them."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        try:
            raw.decode("gb18030")
            looks_gbk = any(b >= 0x80 for b in raw)
        except UnicodeDecodeError:
            looks_gbk = False
        if looks_gbk:
            message = (
                "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本等编辑器的默认编码）；"
                "请在编辑器中“另存为”UTF-8 编码，或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件"
            )
            code = "encoding-gbk"
        else:
            message = f"文件不是有效的 UTF-8 编码（第 {exc.start + 1} 个字节无法解码）；请以 UTF-8 编码保存"
            code = "encoding"
        return None, [Diagnostic(rel, line, column, code, "error", "", message)]


def _utf8_size(text: str, max_bytes: int) -> int:
    """The UTF-8 size of ``text`` where it matters (near or over ``max_bytes``); else its length."""
    if len(text) > max_bytes or 4 * len(text) <= max_bytes:
        return len(text)  # a character is 1 to 4 bytes: the answer is already known
    return len(text.encode("utf-8", errors="surrogatepass"))


def load_text(text: str, rel: str, pure: bool = False, fast: bool = True, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedYaml:
    """Load one document; ``fast=False`` skips the fast reader (to compare the two)."""
    size = _utf8_size(text, max_bytes)
    if size > max_bytes:
        return too_large(rel, size, max_bytes)
    result = LoadedYaml(rel)
    # Most files are plain block YAML that the fast reader takes; it steps aside (None) for
    # anything the strict path below would report or read differently.
    data = fastyaml.parse(text) if fast else None
    if data is not None:
        result.data, result.text, result.pure = data, text, pure
        return result

    def fail(code: str, message: str, line: int, column: int, path: str = "") -> LoadedYaml:
        result.diagnostics.append(Diagnostic(rel, line, column, code, "error", path, message))
        return result

    traps = _check_traps(text)
    if traps:
        for code, message, line, column in traps:
            fail(code, message, line, column)
        return result

    loader_cls = loader_class(pure)
    try:
        if "&" in text or "*" in text:
            # Refuse anchors and aliases before anything is composed: an alias bomb costs
            # nothing at the event level.
            events = loader_cls(text)
            try:
                while events.check_event():
                    event = events.get_event()
                    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                        line, column = _pos(event.start_mark)
                        return fail(
                            "anchor-alias",
                            "不支持锚点和别名（&名称、*名称）；请把内容直接写出来",
                            line,
                            column,
                        )
            finally:
                events.dispose()
        loader = loader_cls(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except ReaderError as exc:
        line, column = _line_col(text, exc.position) if isinstance(exc.position, int) else (1, 1)
        return fail(
            "control-character",
            f"文件中有不允许的控制字符（U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X}）；请删除它",
            line,
            column,
        )
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _pos(mark) if mark else (1, 1)
        if exc.problem and ("another document" in exc.problem or "single document" in exc.problem):
            return fail(
                "multiple-documents",
                "一个文件只能有一个 YAML 文档；这里开始了第二个文档（“---”），请删除它或把内容拆到另一个文件",
                line,
                column,
            )
        if exc.problem and "nesting depth" in exc.problem:  # libyaml ≥ 0.2.5's own limit
            return fail("too-deep", f"嵌套层数过深；数据文件不需要超过 {MAX_DEPTH} 层的结构", line, column)
        return fail("yaml-syntax", _translate(exc.problem, exc.context), line, column)
    except YAMLError as exc:  # pragma: no cover - other parser errors carry no mark
        return fail("yaml-syntax", f"YAML 语法错误：{exc}", 1, 1)
    except RecursionError:
        return fail("too-deep", f"嵌套层数过深；数据文件不需要超过 {MAX_DEPTH} 层的结构", 1, 1)

    if root is None:
        return fail("empty-file", "文件是空的；应至少包含所需的字段（字段说明见 fxfk 文档 docs/data-format.md）", 1, 1)
    result._root = root
    if not isinstance(root, MappingNode):
        line, column = _pos(root.start_mark)
        return fail("not-a-mapping", "文件顶层必须是“键: 值”的映射，而不是列表或单个值", line, column)
    try:
        result.data = _to_data(root, (), 0, result.yaml11_words)
    except _Problem as p:
        return fail(p.code, p.message, p.line, p.column, p.path)
    except RecursionError:
        return fail("too-deep", f"嵌套层数过深；数据文件不需要超过 {MAX_DEPTH} 层的结构", 1, 1)
    # Safe to compose again on demand: no anchors, no tags, a single mapping document.
    result.text, result.pure, result._root = text, pure, None
    return result


def load_bytes(raw: bytes, rel: str, path: Path | None = None, pure: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedYaml:
    """Decode and load; with ``path`` the text is not kept but re-read if positions are needed."""
    if len(raw) > max_bytes:
        return too_large(rel, len(raw), max_bytes)
    text, problems = decode(raw, rel)
    if text is None:
        result = LoadedYaml(rel)
        result.diagnostics.extend(problems)
        return result
    result = load_text(text, rel, pure=pure, max_bytes=max_bytes)
    if path is not None and result.text is not None:
        result.text, result.path = None, path
    return result


def too_large(rel: str, size: int, max_bytes: int) -> LoadedYaml:
    result = LoadedYaml(rel)
    result.diagnostics.append(
        Diagnostic(
            rel, 1, 1, "file-too-large", "error", "",
            f"文件有 {size / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:.1f} MB，未解析；"
            "请把登记册拆分，或确认文件没有误存入其他内容",
        )
    )
    return result


def unreadable(rel: str, exc: OSError) -> LoadedYaml:
    result = LoadedYaml(rel)
    from fxfk.errors import os_error_cause

    result.diagnostics.append(Diagnostic(rel, 1, 1, "unreadable", "error", "", f"无法读取文件：{os_error_cause(exc)}"))
    return result


def read_limited(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, LoadedYaml | None]:
    """The bytes of ``path``, or (None, why not): never more than ``max_bytes`` + 1 are read.

    A file over the limit is refused by its size before reading (a 2 GB file must not be read at
    all); one that grows while read, or whose size is not told (a device), by what was read.
    Only regular files should be passed: opening a FIFO waits for a writer.
    """
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                return None, too_large(rel, size, max_bytes)
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return None, unreadable(rel, exc)
    if len(raw) > max_bytes:
        return None, too_large(rel, len(raw), max_bytes)
    return raw, None


def load_file(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES, pure: bool = False) -> LoadedYaml:
    """Load one data file; problems come back as diagnostics, never as exceptions."""
    raw, refused = read_limited(path, rel, max_bytes)
    if raw is None:
        return refused
    return load_bytes(raw, rel, path=path, pure=pure, max_bytes=max_bytes)
