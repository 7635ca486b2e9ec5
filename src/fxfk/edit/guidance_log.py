"""`fxfk guide log`: record administrative guidance in the office's register without hand-editing YAML.

The point's own register gets one more item in ``activities:`` — ``kind: guidance``, the date, the
point, the number of businesses guided (``counterparts``) and, when known, how many corrected
(``corrected``). As for ``fxfk new risk`` (:mod:`fxfk.edit.scaffold`), text is only inserted or one
value replaced: every other byte stays, comments included, and the file is written atomically.

An entry is identified by **the point and the date**: a ``guidance`` activity of that date whose
``risks`` names the point. Logging again with the same point and date updates that entry (the
values given replace those written: ``--corrected`` can be added weeks later); two such entries are
ambiguous and refused. Business names are never written: the register keeps counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.repository import SourceFile
from fxfk.load.yamlload import load_text
from fxfk.load.yamltext import decode
from fxfk.models import Register
from fxfk.models.text import echo
from fxfk.options import Options
from fxfk.rules.personal_data import find_personal_numbers
from fxfk.rules.validation import load

from .scaffold import after_line, check_register_text, last_scalar, top_key, yaml_text


@dataclass(frozen=True)
class LoggedGuidance:
    path: Path
    rel: str
    line: int  # where the entry starts (1-based)
    created: bool  # False: an existing entry was updated
    risk_id: str
    date: dt.date
    counterparts: int
    corrected: int | None


def _source(repo_registers: list[SourceFile[Register]], risk_id: str) -> SourceFile[Register]:
    for src in repo_registers:
        if src.model is not None and any(r.id == risk_id for r in src.model.risks):
            return src
    raise FxfkError(f"没有编号为“{echo(risk_id)}”的风险点；风险点编号见 fxfk classify 的第一列")


def _value(mapping: MappingNode, key: str) -> Node | None:
    found = top_key(mapping, key)
    return found[1] if found else None


def _names(node: Node | None, risk_id: str) -> bool:
    return isinstance(node, SequenceNode) and any(isinstance(n, ScalarNode) and n.value == risk_id for n in node.value)


def _matching(items: SequenceNode, risk_id: str, day: dt.date) -> list[MappingNode]:
    found = []
    for item in items.value:
        if not isinstance(item, MappingNode):
            continue
        kind, date = _value(item, "kind"), _value(item, "date")
        if (isinstance(kind, ScalarNode) and kind.value.strip() in ("guidance", "行政指导")
                and isinstance(date, ScalarNode) and date.value.strip() == day.isoformat()
                and _names(_value(item, "risks"), risk_id)):
            found.append(item)
    return found


def _end_of(node: Node, text: str) -> int:
    """Index after the line that ends ``node`` (a block scalar already ends at a line start)."""
    end = last_scalar(node).end_mark.index
    return end if end > 0 and text[end - 1] == "\n" else after_line(text, end)


def _update(text: str, entry: MappingNode, values: dict[str, str], nl: str) -> str:
    """``entry`` with ``values`` replaced where written, the others added as lines at its end."""
    edits: list[tuple[int, int, str]] = []
    missing = []
    for key, value in values.items():
        node = _value(entry, key)
        if isinstance(node, ScalarNode) and node.style not in ("|", ">"):
            edits.append((node.start_mark.index, node.end_mark.index, value))
        elif node is None and key == "corrected" and isinstance(counted := _value(entry, "counterparts"), ScalarNode):
            # next to the count it belongs to, not after a note
            at = after_line(text, counted.end_mark.index)
            edits.append((at, at, " " * entry.value[0][0].start_mark.column + f"{key}: {value}" + nl))
        elif node is None:
            missing.append(f"{key}: {value}")
        else:
            raise FxfkError(f"第 {node.start_mark.line + 1} 行：{key} 不是单行的值，fxfk guide log 不能替换它；请手工修改")
    if missing:
        pad = " " * entry.value[0][0].start_mark.column
        at = _end_of(entry, text)
        prefix = "" if text[at - 1:at] == "\n" else nl
        edits.append((at, at, prefix + "".join(pad + line + nl for line in missing)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _append(text: str, root: MappingNode, lines: list[str], nl: str) -> tuple[str, int]:
    """``text`` with one more item at the end of ``activities:`` (created when absent)."""
    def block(indent: int) -> str:
        pad = " " * indent
        return pad + "- " + lines[0] + nl + "".join(pad + "  " + line + nl for line in lines[1:])

    found = top_key(root, "activities")
    if found is None:
        prefix = "" if not text or text.endswith("\n") else nl
        new = text + prefix + "activities:" + nl + block(2)
        return new, new.count("\n", 0, len(text) + len(prefix)) + 2
    key, value = found
    if isinstance(value, SequenceNode) and value.flow_style and value.value:
        raise FxfkError(f"第 {value.start_mark.line + 1} 行：activities 写成了方括号列表 [...]，"
                        "fxfk guide log 只能在“- ”列表中追加；请改为每项一行“- ”的写法")
    if (isinstance(value, SequenceNode) and value.flow_style) or (
            isinstance(value, ScalarNode) and value.value in ("", "~", "null")):
        # "activities: []" or "activities:" alone: the brackets go, the item comes on the next line.
        start, end = (value.start_mark.index, value.end_mark.index)
        eol = after_line(text, max(end, key.end_mark.index))
        rest = text[end:eol].rstrip("\r\n")
        head = text[:start].rstrip(" ") if not rest.strip() else text[:start]
        new = head + (rest if rest.strip() else "") + nl + block(key.start_mark.column + 2) + text[eol:]
        return new, key.start_mark.line + 2
    if not isinstance(value, SequenceNode):
        raise FxfkError(f"第 {value.start_mark.line + 1} 行：activities 应是列表")
    at = _end_of(value, text)
    prefix = "" if text[at - 1:at] == "\n" else nl
    new = text[:at] + prefix + block(value.start_mark.column) + text[at:]
    return new, new.count("\n", 0, at + len(prefix)) + 1


def log_guidance(root: Path, risk_id: str, day: dt.date, counterparts: int | None = None,
                 corrected: int | None = None, note: str | None = None,
                 options: Options | None = None) -> LoggedGuidance:
    """Append (or update) the ``guidance`` activity of ``risk_id`` on ``day`` in its office's register."""
    for value, option in ((counterparts, "--counterparts"), (corrected, "--corrected")):
        if value is not None and value < 0:
            raise FxfkError(f"{option} 不能是负数")
    if note is not None:
        if not note.strip():
            raise FxfkError("--note 不能为空")
        found = find_personal_numbers(note)
        if found:
            raise FxfkError(f"--note 含有{found[0].label}（{found[0].masked}）；工作记录只记人数，不写个人信息和企业名称")
    repo = load(root, options)
    source = _source(repo.registers, risk_id)
    raw = source.path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text, problems = decode(raw, source.rel)
    if text is None:  # pragma: no cover - the model loaded, so the text decoded
        raise FxfkError(problems[0].message)
    loaded = load_text(text, source.rel, pure=True)  # the pure parser: marks count characters
    if not loaded.ok or not isinstance(loaded.root, MappingNode):  # pragma: no cover - the model loaded
        raise FxfkError(f"{source.rel}：请先修正这个文件（fxfk validate）")
    nl = "\r\n" if "\r\n" in text else "\n"
    acts = top_key(loaded.root, "activities")
    entries = _matching(acts[1], risk_id, day) if acts and isinstance(acts[1], SequenceNode) else []
    if len(entries) > 1:
        where = "、".join(str(e.start_mark.line + 1) for e in entries)
        raise FxfkError(f"{source.rel} 第 {where} 行都是 {risk_id} 在 {day.isoformat()} 的行政指导记录，"
                        "不知道该修改哪一条；请先合并为一条")
    values: dict[str, str] = {}
    if counterparts is not None:
        values["counterparts"] = str(counterparts)
    if corrected is not None:
        values["corrected"] = str(corrected)
    if note is not None:
        values["note"] = yaml_text(" ".join(note.split()))
    if entries:
        if not values:
            raise FxfkError("没有要修改的内容：请写 --counterparts、--corrected 或 --note")
        new, line, created = _update(text, entries[0], values, nl), entries[0].start_mark.line + 1, False
    else:
        if counterparts is None:
            raise FxfkError(f"{risk_id} 在 {day.isoformat()} 还没有行政指导记录；新记录须写 --counterparts（指导的行政相对人数）")
        lines = [f"date: {day.isoformat()}", "kind: guidance", f"risks: [{risk_id}]"]
        lines += [f"{k}: {v}" for k, v in values.items()]
        new, line = _append(text, loaded.root, lines, nl)
        created = True
    check_register_text(new, source.rel)
    model = Register.model_validate(load_text(new, source.rel).data)
    act = next(a for a in model.activities if a.kind.value == "guidance" and a.date == day and risk_id in a.risks)
    if act.counterparts is not None and act.corrected is not None and act.corrected > act.counterparts:
        raise FxfkError(f"已纠正数 {act.corrected} 大于指导的行政相对人数 {act.counterparts}（文件未修改）")
    write_atomically(source.path, bom + new.encode("utf-8"))
    return LoggedGuidance(source.path, source.rel, line, created, risk_id, day, act.counterparts or 0, act.corrected)
