"""`fxfk classify --write`: set ``level`` lines in the registers, touching nothing else.

The files are written by hand and reviewed as diffs, so re-dumping YAML (which loses comments,
quoting, order and blank lines) is out of the question. Instead each change is a targeted edit of
one line, found through the node positions of :mod:`fxfk.load.yamlload`:

* a wrong value is replaced in place, in the same quoting and the same spelling family (an English
  token stays English, a Chinese label stays Chinese), keeping any comment after it;
* a missing ``level`` gets a new line ``level: 高`` at the indentation of its sibling keys, after the
  key that precedes ``level`` in the data format's order (normally ``factors``).

Each edit first checks that the point at that position still has the id and the level that were
classified (the file may have been edited in between); if not, nothing is written. Before anything is
written, the edited text is loaded again and must give exactly the old data except for the changed levels; every file is written through a temporary file and an atomic rename, so a
failure never leaves a half-written file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.yamlload import load_text
from fxfk.models import Level, Risk

_CHINESE = {Level.high: "高", Level.medium: "中", Level.low: "低"}
_CHINESE_LONG = {Level.high: "高风险", Level.medium: "中风险", Level.low: "低风险"}
_FIELD_ORDER = list(Risk.model_fields)


@dataclass(frozen=True)
class LevelChange:
    rel: str  # file, relative to the data root
    index: int  # risks[index]
    risk_id: str
    old: Level | None  # None: missing or invalid
    new: Level


@dataclass(frozen=True)
class Edit:
    change: LevelChange
    line: int  # 1-based line of the new or changed level
    inserted: bool


def spelling(written: str | None, level: Level, fallback: str) -> str:
    """``level`` spelled like ``written`` (the value it replaces) or, failing that, like ``fallback``."""
    for sample in (written, fallback):
        if not sample:
            continue
        sample = sample.strip()
        if sample.lower() in ("high", "medium", "low"):
            # English in the file's own case: High → Low, HIGH → LOW.
            if sample.isupper():
                return level.value.upper()
            return level.value.capitalize() if sample[0].isupper() else level.value
        if sample.endswith("风险"):
            return _CHINESE_LONG[level]
        if sample in ("高", "中", "低"):
            return _CHINESE[level]
    return _CHINESE[level]


def _entry(mapping: MappingNode, name: str) -> tuple[ScalarNode, Node] | None:
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == name:
            return k, v
    return None


def _risk_nodes(root: Node) -> list[Node]:
    found = _entry(root, "risks") if isinstance(root, MappingNode) else None
    if found is None or not isinstance(found[1], SequenceNode):
        return []
    items: list[Node] = found[1].value
    return items


def _file_style(risks: list[Node]) -> str:
    """How this file spells levels: the first level value written in it."""
    for node in risks:
        if isinstance(node, MappingNode):
            found = _entry(node, "level")
            if found and isinstance(found[1], ScalarNode) and Level.from_text(found[1].value):
                written: str = found[1].value
                return written
    return ""


def _last_line(node: Node) -> int:
    """0-based line on which the text of ``node`` ends (comments and blank lines after it excluded)."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    end = node.end_mark
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        # A block scalar ends at the start of the line after its content (and trailing blanks).
        return max(node.start_mark.line, end.line - 1 if end.column == 0 else end.line)
    return end.line


def _edit_lines(lines: list[str], risks: list[Node], change: LevelChange, style: str, newline: str) -> Edit:
    node = risks[change.index] if change.index < len(risks) else None
    if not isinstance(node, MappingNode):
        raise FxfkError(f"{change.rel}：找不到风险点 risks[{change.index}]（{change.risk_id}）")
    where = f"{change.rel}:{node.start_mark.line + 1}"
    if node.flow_style:
        raise FxfkError(f"{where}：风险点 {change.risk_id} 写成了单行 {{…}} 形式，无法自动修改等级；请手动修改")
    found = _entry(node, "level")
    _check_unchanged(node, found, change, where)
    if found is not None:
        key, value = found
        if not isinstance(value, ScalarNode) or value.style in ("|", ">") or value.start_mark.line != value.end_mark.line:
            raise FxfkError(f"{change.rel}:{key.start_mark.line + 1}：{change.risk_id} 的 level 不是单行的值，无法自动修改；请手动改为“{change.new.label}”")
        text = spelling(value.value, change.new, style)
        if not value.style and not value.value:  # plain style is None (pyyaml) or "" (libyaml)
            # `level:` with nothing after it: the empty value has no reliable position of its own.
            n = key.start_mark.line
            line = lines[n]
            colon = line.index(":", key.end_mark.column)
            lines[n] = line[: colon + 1] + " " + text + line[colon + 1 :]
            return Edit(change, n + 1, False)
        n, start, end = value.start_mark.line, value.start_mark.column, value.end_mark.column
        line = lines[n]
        if value.style in ('"', "'"):
            start, end = start + 1, end - 1  # keep the quotes
        lines[n] = line[:start] + text + line[end:]
        return Edit(change, n + 1, False)

    # Insert after the entry that precedes `level` in the data format's order.
    keys = [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]
    rank = _FIELD_ORDER.index("level")
    after = keys[0]
    for k, v in keys:
        if k.value in _FIELD_ORDER and _FIELD_ORDER.index(k.value) > rank:
            break
        after = (k, v)
    indent = " " * keys[0][0].start_mark.column
    at = _last_line(after[1]) + 1
    lines.insert(at, f"{indent}level: {spelling(None, change.new, style)}{newline}")
    return Edit(change, at + 1, True)


def _check_unchanged(node: MappingNode, level: tuple[ScalarNode, Node] | None, change: LevelChange, where: str) -> None:
    """The point at ``risks[index]`` must still be the one that was classified, with the same level.

    The change was computed from an earlier read of the file; if the file was edited in between (a
    point moved, a level set by hand), editing by position would change the wrong point.
    """
    found = _entry(node, "id")
    written = found[1].value.strip() if found and isinstance(found[1], ScalarNode) else ""
    if written != change.risk_id:
        shown = "".join(c if c.isprintable() else "?" for c in written[:64])  # the file's text, not trusted
        raise FxfkError(
            f"{where}：risks[{change.index}] 现在是“{shown or '（没有 id）'}”，不是 {change.risk_id}；"
            f"文件在分级之后被修改过，未修改任何文件，请重新运行 fxfk classify --write"
        )
    current = None
    if level is not None and isinstance(level[1], ScalarNode):
        current = Level.from_text(level[1].value)
    if current is not change.old:
        shown = current.label if current else "（未填写或无效）"
        raise FxfkError(
            f"{where}：{change.risk_id} 的 level 现在是“{shown}”，与分级时读到的不同；"
            f"文件在分级之后被修改过，未修改任何文件，请重新运行 fxfk classify --write"
        )


def edit_text(text: str, rel: str, changes: list[LevelChange]) -> tuple[str, list[Edit]]:
    """The text with ``changes`` applied, and where each landed; raises FxfkError when it cannot."""
    loaded = load_text(text, rel)
    if loaded.root is None:
        raise FxfkError(f"{rel}：无法解析，未修改")
    risks = _risk_nodes(loaded.root)
    style = _file_style(risks)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # an insertion after the last line needs one; removed below
        unterminated = True
    else:
        unterminated = False
    edits = []
    # Bottom-up, so that inserted lines do not shift the positions of the edits still to come.
    for change in sorted(changes, key=lambda c: c.index, reverse=True):
        edits.append(_edit_lines(lines, risks, change, style, newline))
    out = "".join(lines)
    if unterminated and out.endswith(newline) and not text.endswith(newline):
        out = out[: -len(newline)]
    _verify(text, out, rel, changes)
    # Report line numbers of the final text, top-down.
    edits.sort(key=lambda e: e.change.index)
    shift = 0
    final = []
    for e in edits:
        final.append(Edit(e.change, e.line + shift, e.inserted))
        shift += 1 if e.inserted else 0
    return out, final


def _verify(before: str, after: str, rel: str, changes: list[LevelChange]) -> None:
    """The edit must change exactly the level values asked for and nothing else in the data."""
    old = load_text(before, rel).data
    new = load_text(after, rel).data
    if new is None or old is None:
        raise FxfkError(f"{rel}：自动修改后文件无法解析，已放弃修改（这是 fxfk 的缺陷，请报告）")
    for c in changes:
        got = new["risks"][c.index].get("level") if isinstance(new["risks"][c.index], dict) else None
        if Level.from_text(str(got)) is not c.new:
            raise FxfkError(f"{rel}：自动修改 {c.risk_id} 的等级失败，已放弃修改（这是 fxfk 的缺陷，请报告）")
        new["risks"][c.index].pop("level", None)
        if isinstance(old["risks"][c.index], dict):
            old["risks"][c.index].pop("level", None)
    if old != new:
        raise FxfkError(f"{rel}：自动修改会改变等级以外的内容，已放弃修改（这是 fxfk 的缺陷，请报告）")


def apply(root: Path, changes: list[LevelChange]) -> list[Edit]:
    """Edit every file named in ``changes``; all files are prepared before any is written."""
    by_file: dict[str, list[LevelChange]] = {}
    for c in changes:
        by_file.setdefault(c.rel, []).append(c)
    prepared: list[tuple[Path, bytes]] = []
    edits: list[Edit] = []
    for rel in sorted(by_file):
        path = root / rel
        raw = path.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        text = raw[len(bom):].decode("utf-8")
        # Keep "\r\n" as it is: splitting on lines below must not normalise line ends.
        new_text, file_edits = edit_text(text, rel, by_file[rel])
        prepared.append((path, bom + new_text.encode("utf-8")))
        edits += file_edits
    for path, data in prepared:
        write_atomically(path, data)
    return edits
