"""`fxfk consult tally`: read returned 意见反馈表 and write the counts into the registers.

A returned form is whatever a business made of it: rows in any order, blank rows, merged cells (a
风险点 cell merged over several comments), replies in the free rows citing 「第3项」. A row is tied to
its point by the 风险点编号, else by the exact 风险点 title, else by its 序号 through the numbering the
form itself was printed with. A comment that names no known point is reported, never dropped.

``--write`` edits the registers as ``classify --write`` does (:mod:`fxfk.edit.level_lines`): only
the ``consultation.comments``, ``adopted`` and ``parties`` values change, one ``consultation``
activity is appended, the rest of each file stays byte for byte; the edited text is loaded again and
must differ from the old data in exactly those places, and files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fxfk.edit.level_lines import _entry, _last_line
from fxfk.edit.scaffold import yaml_text
from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.repository import Repository
from fxfk.load.yamlload import load_text
from fxfk.models.text import echo
from fxfk.rules.consultation import PointTally, Tally, Unmatched

COLUMN_NAMES = {"序号": "seq", "风险点编号": "id", "编号": "id", "风险点": "title", "违法风险点": "title",
                "意见": "comment", "建议修改为": "suggestion", "反馈单位": "party", "是否采纳": "adopted", "理由": "reason"}
ADOPTED = {"是", "采纳", "已采纳", "部分采纳", "同意", "y", "yes", "√", "✓", "✔", "1"}
_ITEM = re.compile(r"第\s*([0-9０-９]+)\s*项")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _grid(path: Path) -> list[list[str]]:
    """The first sheet's cells as text; a merged range gives every cell the value of its first cell."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # zip, XML or openpyxl errors: the file is not a readable workbook
        raise FxfkError(f"{path}：无法读取为 Excel 文件（.xlsx）：{type(exc).__name__}") from None
    ws = wb.worksheets[0]
    rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        first = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if c <= len(rows[r - 1]):
                    rows[r - 1][c - 1] = first
    return rows


def _header(rows: list[list[str]], name: str) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(rows[:30]):
        cols = {COLUMN_NAMES[v]: c for c, v in reversed(list(enumerate(row))) if v in COLUMN_NAMES}
        if "comment" in cols and ("seq" in cols or "title" in cols or "id" in cols):
            return r, cols
    raise FxfkError(f"{name}：找不到表头（应有“序号”“风险点”“意见”等列）；请使用 fxfk consult draft 生成的意见反馈表")


def _seq(text: str) -> int | None:
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    found = _ITEM.search(text)
    if found:
        return int(found.group(1))
    return int(text) if text.isdigit() else None


class _Points:
    def __init__(self, repo: Repository):
        self.by_id: dict[str, PointTally] = {}
        self.by_title: dict[str, list[str]] = {}
        for src in repo.registers:
            if src.model is None:
                continue
            for i, risk in enumerate(src.model.risks):
                self.by_id[risk.id.upper()] = PointTally(risk.id, risk.title.strip(), src.rel, i)
                self.by_title.setdefault(risk.title.strip(), []).append(risk.id.upper())

    def find(self, rid: str, title: str, seq: int | None, numbering: dict[int, str]) -> tuple[PointTally | None, str]:
        if rid:
            found = self.by_id.get(rid.upper())
            return (found, "") if found else (None, f"风险点编号“{echo(rid)}”不存在")
        ids = self.by_title.get(title, [])
        if len(ids) == 1:
            return self.by_id[ids[0]], ""
        for key in self.by_id:  # a business may have written the id into the title cell
            if key and key in title.upper():
                return self.by_id[key], ""
        if seq is not None and seq in numbering:
            return self.by_id[numbering[seq]], ""
        if seq is not None:
            return None, f"第{seq}项不在本表所列事项中"
        return None, ("风险点名称重复，请写明编号" if ids else "没有写明是哪一项（序号或风险点）")


def _cells(cols: dict[str, int]) -> Callable[[list[str], str], str]:
    def cell(row: list[str], key: str) -> str:
        c = cols.get(key)
        return row[c] if c is not None and c < len(row) else ""

    return cell


def tally(repo: Repository, forms: list[Path]) -> Tally:
    points = _Points(repo)
    unmatched: list[Unmatched] = []
    touched: dict[str, PointTally] = {}
    forms = list({path.resolve(): path for path in forms}.values())  # a file named twice counts once
    for path in forms:
        rows = _grid(path)
        head, cols = _header(rows, str(path))

        cell = _cells(cols)
        body = [(head + 2 + k, row) for k, row in enumerate(rows[head + 1:])]
        # The numbering the form was printed with: 序号 → 编号 of its filled-in rows.
        numbering: dict[int, str] = {}
        for _, row in body:
            seq, rid = _seq(cell(row, "seq")), cell(row, "id").upper()
            if seq is not None and rid in points.by_id:
                numbering.setdefault(seq, rid)
        for line, row in body:
            comment, suggestion = cell(row, "comment"), cell(row, "suggestion")
            if not comment and not suggestion:
                continue  # a printed row nobody wrote in, or a blank row
            title = cell(row, "title")
            seq = _seq(cell(row, "seq"))
            if seq is None:
                seq = _seq(title) if _ITEM.search(title) else _seq(comment) if _ITEM.search(comment) else None
            point, why = points.find(cell(row, "id"), title, seq, numbering)
            if point is None:
                unmatched.append(Unmatched(path.name, line, why, (comment or suggestion)[:80]))
                continue
            touched[point.risk_id] = point
            point.comments += 1
            if cell(row, "adopted").lower() in ADOPTED:
                point.adopted += 1
            party = cell(row, "party")
            if party and party not in point.parties:
                point.parties.append(party)
    ordered = sorted(touched.values(), key=lambda p: (p.rel, p.index))
    return Tally([p.name for p in forms], ordered, unmatched)


# --- the byte-preserving write -----------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def _mapping(node: Node | None, name: str) -> Node | None:
    found = _entry(node, name) if isinstance(node, MappingNode) else None
    return found[1] if found else None


def _edits_for_point(text: str, starts: list[int], root: Node, p: PointTally, rel: str, newline: str) -> list[tuple[int, int, str]]:
    risks = _mapping(root, "risks")
    node = risks.value[p.index] if isinstance(risks, SequenceNode) and p.index < len(risks.value) else None
    rid = _mapping(node, "id")
    if not isinstance(rid, ScalarNode) or rid.value.strip() != p.risk_id:
        raise FxfkError(f"{rel}：risks[{p.index}] 不再是 {p.risk_id}；文件在汇总期间被修改过，未修改任何文件，请重新运行")
    c = _mapping(node, "consultation")
    if not isinstance(c, MappingNode) or c.flow_style:
        raise FxfkError(f"{rel}:{node.start_mark.line + 1 if node else 0}：{p.risk_id} 没有多行写法的 consultation"
                        "（征求意见）记录；请先写明 start、end、parties，再运行 --write")

    def at(mark: Mark) -> int:  # a position in the text
        return starts[mark.line] + mark.column

    edits: list[tuple[int, int, str]] = []
    indent = " " * c.value[0][0].start_mark.column
    tail = starts[_last_line(c) + 1] if _last_line(c) + 1 < len(starts) else len(text)
    for key, value in (("comments", p.comments), ("adopted", p.adopted)):
        found = _entry(c, key)
        if found is None:
            edits.append((tail, tail, f"{indent}{key}: {value}{newline}"))
        elif isinstance(found[1], ScalarNode) and found[1].start_mark.line == found[1].end_mark.line and found[1].value:
            edits.append((at(found[1].start_mark), at(found[1].end_mark), str(value)))
        else:
            raise FxfkError(f"{rel}:{found[0].start_mark.line + 1}：{p.risk_id} 的 consultation.{key} 不是单行的值，无法自动修改")
    parties = _entry(c, "parties")
    if parties is None or not isinstance(parties[1], SequenceNode):
        raise FxfkError(f"{rel}:{c.start_mark.line + 1}：{p.risk_id} 的 consultation.parties 不是列表，无法自动修改")
    old = [n.value for n in parties[1].value if isinstance(n, ScalarNode)]
    new = [x for x in p.parties if x not in old]
    if new and parties[1].flow_style:
        listed = ", ".join(yaml_text(x) for x in old + new)
        edits.append((at(parties[1].start_mark), at(parties[1].end_mark), f"[{listed}]"))
    elif new:
        first = parties[1].value[0]
        dash = " " * (text.rfind("-", starts[first.start_mark.line], at(first.start_mark)) - starts[first.start_mark.line])
        end = _last_line(parties[1]) + 1
        pos = starts[end] if end < len(starts) else len(text)
        edits.append((pos, pos, "".join(f"{dash}- {yaml_text(x)}{newline}" for x in new)))
    p.parties = old + new
    return edits


def _block(lines: list[str], dash: int, newline: str) -> str:
    """An activity item: its first line at the dash's column, the others two further in."""
    return "".join(" " * (dash if k == 0 else dash + 2) + x + newline for k, x in enumerate(lines))


def _activity(text: str, starts: list[int], root: Node, lines: list[str], newline: str, rel: str) -> tuple[int, int, str]:
    found = _entry(root, "activities") if isinstance(root, MappingNode) else None
    if found is None:
        sep = "" if not text or text.endswith(("\n", "\r")) else newline
        return len(text), len(text), sep + "activities:" + newline + _block(lines, 2, newline)
    key, seq = found
    if isinstance(seq, SequenceNode) and seq.value and not seq.flow_style:
        item = seq.value[0]
        base = starts[item.start_mark.line]
        dash = text.rfind("-", base, base + item.start_mark.column) - base
        block = _block(lines, dash, newline)
        end = _last_line(seq) + 1
        pos = starts[end] if end < len(starts) else len(text)
        if pos == len(text) and text and not text.endswith(("\n", "\r")):
            block = newline + block
        return pos, pos, block
    if (isinstance(seq, SequenceNode) and not seq.value) or (isinstance(seq, ScalarNode) and not seq.value):
        # `activities: []` or `activities:`: the key's line becomes the block's head
        end = key.end_mark.line + 1
        start = starts[key.start_mark.line] + key.start_mark.column
        stop = starts[end] if end < len(starts) else len(text)
        return start, stop, "activities:" + newline + _block(lines, 2, newline)
    raise FxfkError(f"{rel}:{key.start_mark.line + 1}：activities 写成了单行 [...] 形式，无法自动追加工作记录；请改为多行写法")


def edit_text(text: str, rel: str, points: list[PointTally], day: dt.date, forms: int) -> str:
    loaded = load_text(text, rel)
    root = loaded.root
    if root is None or loaded.data is None:
        raise FxfkError(f"{rel}：无法解析，未修改")
    starts = _line_starts(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []
    for p in points:
        edits += _edits_for_point(text, starts, root, p, rel, newline)
    ids = [p.risk_id for p in points]
    total, adopted = sum(p.comments for p in points), sum(p.adopted for p in points)
    wording = f"汇总意见反馈表 {forms} 份：收到意见 {total} 条，采纳 {adopted} 条"
    # The same tally written again on the same day is logged once.
    logged = any(isinstance(a, dict) and str(a.get("date")) == day.isoformat() and a.get("kind") in ("consultation", "征求意见")
                 and a.get("risks") == ids and a.get("note") == wording for a in loaded.data.get("activities") or [])
    if not logged:
        edits.append(_activity(text, starts, root, [f"- date: {day.isoformat()}", "kind: consultation",
                                                   f"risks: [{', '.join(ids)}]", f"note: {yaml_text(wording)}"], newline, rel))
    out = text
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + new + out[end:]
    _verify(loaded.data, out, rel, points, appended=not logged)
    return out


def _verify(old: Any, after: str, rel: str, points: list[PointTally], appended: bool) -> None:
    """Only the tallied values and one new activity may differ."""
    import copy

    new = load_text(after, rel).data
    expected = copy.deepcopy(old)
    for p in points:
        c = expected["risks"][p.index]["consultation"]
        c.update(comments=p.comments, adopted=p.adopted, parties=p.parties)
    if not isinstance(new, dict) or not new.get("activities"):
        raise FxfkError(f"{rel}：自动修改后文件无法解析，已放弃修改（这是 fxfk 的缺陷，请报告）")
    if appended:
        expected["activities"] = list(expected.get("activities") or []) + [new["activities"][-1]]
    if new != expected:
        raise FxfkError(f"{rel}：自动修改会改变征求意见数以外的内容，已放弃修改（这是 fxfk 的缺陷，请报告）")


def apply(root: Path, result: Tally, day: dt.date) -> list[str]:
    """Write the tally into every register it touches; all files are prepared before any is written."""
    by_file: dict[str, list[PointTally]] = {}
    for p in result.points:
        by_file.setdefault(p.rel, []).append(p)
    prepared: list[tuple[Path, bytes]] = []
    for rel in sorted(by_file):
        path = root / rel
        raw = path.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        text = raw[len(bom):].decode("utf-8")
        prepared.append((path, bom + edit_text(text, rel, by_file[rel], day, len(result.files)).encode("utf-8")))
    for path, data in prepared:
        write_atomically(path, data)
    return sorted(by_file)
