"""`fxfk import`: an imported point as register lines, and the import report as text or JSON."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from fxfk.edit.scaffold import yaml_text
from fxfk.models import Level, Status

if TYPE_CHECKING:
    from fxfk.edit.import_points import Point
    from fxfk.edit.table_import import ImportResult

_BLOCK_SAFE = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]*")


def _scalar(value: str, indent: int) -> list[str]:
    """A value: plain or quoted on one line; several lines as a ``|-`` block (easier to review)."""
    lines = value.split("\n")
    if len(lines) > 1 and _BLOCK_SAFE.fullmatch(value) and all(line == line.rstrip() for line in lines) \
            and not lines[0].startswith((" ", "\t")) and all(line.strip() for line in lines):
        return ["|-"] + [" " * indent + line for line in lines]
    return [yaml_text(value)]


def _field(key: str, value: str, indent: int = 0, content: int | None = None) -> list[str]:
    """``key: value`` (relative to the item, ``indent`` spaces in); a block's lines ``content`` spaces in."""
    parts = _scalar(value, indent + 2 if content is None else content)
    return [" " * indent + f"{key}: {parts[0]}"] + parts[1:]


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def point_lines(p: Point, status: Status) -> list[str]:
    """The point's lines, without the item's indentation (for :func:`fxfk.edit.scaffold.insert_risk`)."""
    source = f"来源：{p.where}" + (f"（序号 {p.seq}）" if p.seq else "")
    out = [f"id: {p.id}  {_comment(source)}"]
    out += [_comment(note) for note in p.notes]
    out += _field("title", p.title)
    out += _field("domain", p.domain)
    for key in ("party", "conduct", "harm"):
        if getattr(p, key):
            out += _field(key, getattr(p, key))
    out.append("basis:")
    from fxfk.edit.import_map import TODO_ARTICLE, TODO_LAW

    for b in p.basis or []:
        out.append(f"  - role: {b.role}")
        if b.unsure:
            out.append("    # 依据类型待核：原表未区分违法依据与处罚依据，暂按处罚依据导入")
        out += _field("law", b.law, 4)
        if b.number:
            out += _field("number", b.number, 4)
        out += _field("article", b.article, 4)
        if b.excerpt:
            out += _field("excerpt", b.excerpt, 4)
    if not p.basis:
        out += ["  - role: penalty", f"    law: {TODO_LAW}", f"    article: {TODO_ARTICLE}"]
    if isinstance(p.discretion, str):
        out += _field("discretion", p.discretion)
    elif p.discretion:
        out.append("discretion:")
        for circumstance, sanction in p.discretion:
            out += _field("- circumstance", circumstance, 2, 6)
            out += _field("sanction", sanction, 4, 6)
    out.append("factors: {}  # 定级事实待补写：major_penalty、coercion、hotspot、simple_procedure、minor_correctable、rare、unclear_law")
    level = p.level.label if p.level is not None else "低"
    plain = not p.level_word or Level.from_text(p.level_word) is not None  # 高, 高风险: no comment needed
    word = "" if plain else f"  # 原表：{' '.join(p.level_word.split())}"
    out.append(f"level: {level}{word}")
    if p.level_reason:
        out += _field("level_reason", p.level_reason)
    if p.measures:
        out.append("measures:")
        for kind, text in p.measures:
            out.append(f"  - kind: {kind.value}")
            out += _field("text", text, 4)
    else:
        out.append("measures: []")
    out += _field("responsible", p.responsible)
    if p.attention is not None:
        out.append(f"attention: {p.attention.label}")
    out.append(f"status: {status.value}")
    if p.no_penalty:
        out.append("no_penalty: true")
        out += _field("no_penalty_condition", "\n".join(p.no_penalty))
    return out


def render_text(result: ImportResult) -> str:
    verb = "将写入" if not result.written else ("已新建" if result.created else "已追加到")
    lines = [f"从 {result.file} 读出 {len(result.points)} 个风险点，{verb} {result.register}"
             + ("（试运行，未写入任何文件）" if not result.written else "")]
    numbered = "一级 = 低" if result.first_is_low else "一级 = 高"
    if any(p.level_word and re.search(r"[一二三123ⅠⅡⅢI]级", p.level_word) for p in result.points):
        lines.append(f"编号等级按 {numbered} 读取（--first-level-low 可反过来）")
    for p in result.points:
        lines.append(f"  {p.id}  {p.title}  （{p.where}）")
    todo = result.needs_person
    info = [i for i in result.issues if not i.needs_person]
    if todo:
        lines.append("")
        lines.append(f"需要人工核对（{len(todo)} 处）：")
        lines += [f"  {i.where}：{i.message}" for i in todo]
    if info:
        lines.append("")
        lines.append(f"未导入或写入注释的内容（{len(info)} 处）：")
        lines += [f"  {i.where}：{i.message}" for i in info]
    lines.append("")
    lines.append("导入的风险点是草稿；补写定级事实后运行 fxfk classify 核对等级，再运行 fxfk validate。"
                 if result.written else "去掉 --dry-run 即写入。")
    return "\n".join(lines) + "\n"


def render_json(result: ImportResult) -> str:
    data = {
        "file": result.file,
        "register": result.register,
        "created": result.created,
        "written": result.written,
        "numbered_levels": "first-low" if result.first_is_low else "first-high",
        "points": [
            {"id": p.id, "title": p.title, "source": p.where, "level": p.level.value if p.level else None,
             "level_word": p.level_word, "basis": len(p.basis), "measures": len(p.measures)}
            for p in result.points
        ],
        "issues": [{"source": i.where, "message": i.message, "needs_person": i.needs_person} for i in result.issues],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
