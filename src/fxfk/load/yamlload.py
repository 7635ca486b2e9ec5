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

The text-level checks (decoding, the input-method traps, YAML's errors in Chinese) are in
:mod:`fxfk.load.yamltext`, the parsers and the walk from nodes to data in :mod:`fxfk.load.yamlnodes`.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, TypeAlias, TypeVar

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from fxfk.diagnostics import Diagnostic
from fxfk.load import fastyaml
from fxfk.load.fastyaml import YAML11_BOOLEANS as YAML11_BOOLEANS  # where fxfk.edit.scaffold finds it
from fxfk.load.gcpause import gc_paused
from fxfk.load.yamlnodes import Problem, key_value, loader_class, pos, to_data
from fxfk.load.yamltext import MAX_DEPTH, check_traps, decode, flow_list_commas, line_col, translate
from fxfk.options import DEFAULT_MAX_BYTES

# The node trees and position indexes of the last few re-read files (see LoadedYaml._again).
_RECENT: OrderedDict[tuple[Path, int, str], Any] = OrderedDict()
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


T = TypeVar("T")
# Where a value sits in a file's data: keys and item numbers, as pydantic's error locations.
Loc: TypeAlias = tuple[int | str, ...]


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
    # (line, column, item, fixed list) of [...] items holding a full-width comma, for a warning
    fullwidth_commas: list[tuple[int, int, str, str]] = field(default_factory=list)
    text: str | None = field(default=None, repr=False)
    pure: bool = False
    # Set when the file parsed cleanly: the text is then re-read from here instead of kept.
    path: Path | None = field(default=None, repr=False)
    _root: Node | None = field(default=None, repr=False)
    # fastyaml's position index of a kept text (False: the fast reader does not take the file).
    _positions: fastyaml.Positions | Literal[False] | None = field(default=None, repr=False)

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

    def _again(self, what: str, build: Callable[[str], T]) -> T | None:
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
            recent: T | None = _RECENT[key]  # what build() gave for this same key
            return recent
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

    def locate(self, loc: Loc, key: bool = False) -> tuple[int, int]:
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
                    if isinstance(k, ScalarNode) and (k.value == str(part) or key_value(k) == part):
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


# --- entry points ---------------------------------------------------------------------------


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
    if "，" in text:  # rare: only then look for [企业，行业协会], one item to YAML
        result.fullwidth_commas = flow_list_commas(text)
    # Most files are plain block YAML that the fast reader takes; it steps aside (None) for
    # anything the strict path below would report or read differently.
    data = fastyaml.parse(text) if fast else None
    if data is not None:
        result.data, result.text, result.pure = data, text, pure
        return result

    def fail(code: str, message: str, line: int, column: int, path: str = "") -> LoadedYaml:
        result.diagnostics.append(Diagnostic(rel, line, column, code, "error", path, message))
        return result

    traps = check_traps(text)
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
                        line, column = pos(event.start_mark) if event and event.start_mark else (1, 1)
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
        line, column = line_col(text, exc.position) if isinstance(exc.position, int) else (1, 1)
        return fail(
            "control-character",
            f"文件中有不允许的控制字符（U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X}）；请删除它",
            line,
            column,
        )
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = pos(mark) if mark else (1, 1)
        if exc.problem and ("another document" in exc.problem or "single document" in exc.problem):
            return fail(
                "multiple-documents",
                "一个文件只能有一个 YAML 文档；这里开始了第二个文档（“---”），请删除它或把内容拆到另一个文件",
                line,
                column,
            )
        if exc.problem and "nesting depth" in exc.problem:  # libyaml ≥ 0.2.5's own limit
            return fail("too-deep", f"嵌套层数过深；数据文件不需要超过 {MAX_DEPTH} 层的结构", line, column)
        return fail("yaml-syntax", translate(exc.problem, exc.context), line, column)
    except YAMLError as exc:  # pragma: no cover - other parser errors carry no mark
        return fail("yaml-syntax", f"YAML 语法错误：{exc}", 1, 1)
    except RecursionError:
        return fail("too-deep", f"嵌套层数过深；数据文件不需要超过 {MAX_DEPTH} 层的结构", 1, 1)

    if root is None:
        return fail("empty-file", "文件是空的；应至少包含所需的字段（字段说明见 fxfk 文档 docs/data-format.md）", 1, 1)
    result._root = root
    if not isinstance(root, MappingNode):
        line, column = pos(root.start_mark)
        return fail("not-a-mapping", "文件顶层必须是“键: 值”的映射，而不是列表或单个值", line, column)
    try:
        result.data = to_data(root, (), 0, result.yaml11_words)
    except Problem as p:
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


def read_limited(path: Path, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, None] | tuple[None, LoadedYaml]:
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
    read = read_limited(path, rel, max_bytes)
    if read[0] is None:
        return read[1]
    return load_bytes(read[0], rel, path=path, pure=pure, max_bytes=max_bytes)
