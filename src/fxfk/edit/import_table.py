"""`fxfk import`: find the header row(s) of a table and map its columns to fields.

A header row is one whose short cells name at least three fields (序号, 违法风险点, 风险等级 …); a
second header row (「依据」 over 「违法依据 | 处罚依据」) is one whose cells either repeat the row
above (vertically merged) or name a field. Rows above the header (title, 填报单位：… 日期：…) are
kept for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fxfk.edit.import_map import FIELDS, SINGLE, basis_role, header_field
from fxfk.edit.import_read import Table
from fxfk.errors import FxfkError
from fxfk.models.text import echo

_SCAN = 15  # header rows are near the top


@dataclass
class Column:
    index: int  # 0-based
    label: str  # as the user names it in --map: the lower header cell when there are two
    field: str | None  # a key of FIELDS, "-" (dropped on purpose), or None (maps to nothing)
    role: str | None = None  # basis columns: the role their header gives
    has_data: bool = False


@dataclass
class Layout:
    table: Table
    header_rows: list[int]
    columns: list[Column]
    above: list[tuple[int, str]]  # (row, text) above the header: title, 填报单位 …

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


def _row_fields(row: list[str], overrides: dict[str, str]) -> dict[int, str]:
    found = {}
    for c, text in enumerate(row):
        key = re.sub(r"\s+", "", text)
        name = overrides.get(key) or header_field(text)
        if name is not None and name != "-":
            found[c] = name
    return found


def parse_map(items: list[str]) -> dict[str, str]:
    """--map 列名=字段 (字段: an English field name or its Chinese label; "-" drops the column)."""
    labels = {v: k for k, v in FIELDS.items()}
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise FxfkError(f"--map“{echo(item)}”应写成“列名=字段”，例如 --map 检查内容=conduct 或 --map 备注=-")
        column, name = (p.strip() for p in item.rsplit("=", 1))
        name = labels.get(name, name)
        if not column or name not in FIELDS:
            raise FxfkError(f"--map“{echo(item)}”无效：字段应为 {fields_help()} 之一")
        out[re.sub(r"\s+", "", column)] = name
    return out


def fields_help() -> str:
    return "、".join(f"{k}（{v}）" for k, v in FIELDS.items())


def find_layout(table: Table, overrides: dict[str, str]) -> Layout | None:
    """The header of ``table``, or None when no row looks like one (a table of something else)."""
    rows = table.rows
    for h in range(min(_SCAN, len(rows))):
        row = rows[h]
        fields = _row_fields(row, overrides)
        distinct = {row[c] for c in fields}
        if len(set(fields.values())) < 3 or len(distinct) < 3 or "title" not in fields.values():
            continue
        header_rows = [h]
        if h + 1 < len(rows) and _is_sub_header(rows[h], rows[h + 1], overrides):
            header_rows.append(h + 1)
        above = [(r, _row_text(rows[r])) for r in range(h) if _row_text(rows[r])]
        return Layout(table, header_rows, _columns(table, header_rows, overrides), above)
    return None


def _row_text(row: list[str]) -> str:
    seen: list[str] = []
    for text in row:
        if text and text not in seen:
            seen.append(text)
    return "　".join(seen)


def _is_sub_header(upper: list[str], lower: list[str], overrides: dict[str, str]) -> bool:
    new = 0
    for a, b in zip(upper, lower):
        if not b or b == a:
            continue
        if header_field(b) is None and re.sub(r"\s+", "", b) not in overrides:
            return False
        new += 1
    return new > 0


def _columns(table: Table, header_rows: list[int], overrides: dict[str, str]) -> list[Column]:
    width = len(table.rows[0]) if table.rows else 0
    columns = []
    for c in range(width):
        cells = [table.rows[r][c] for r in header_rows]
        label = re.sub(r"\s+", "", cells[-1] or cells[0])
        upper = re.sub(r"\s+", "", cells[0])
        if not label:
            label = f"第{c + 1}列"
        name = overrides.get(label) or overrides.get(f"{upper}/{label}") or header_field(label)
        if name is None and len(cells) > 1:
            name = header_field(upper)
        full = "".join(dict.fromkeys(cells))  # 依据 + 违法依据 → 依据违法依据
        role = basis_role(full) if name == "basis" else None
        has_data = any(row[c].strip() for row in table.rows[header_rows[-1] + 1:])
        columns.append(Column(c, label, name, role, has_data))
    return columns


def check_columns(layouts: list[Layout]) -> None:
    """Refuse a column that maps to nothing, or a second column for a one-column field."""
    unmapped: list[str] = []
    twice: list[str] = []
    for layout in layouts:
        where = layout.table.where(layout.header_rows[0]).rsplit(" ", 1)[0]
        taken: dict[str, str] = {}
        for col in layout.columns:
            if col.field is None and col.has_data:
                unmapped.append(f"{where} 列“{col.label}”")
            elif col.field in SINGLE:
                if col.field in taken:
                    twice.append(f"{where} 列“{taken[col.field]}”和列“{col.label}”都对应 {col.field}（{FIELDS[col.field]}）")
                else:
                    taken[col.field] = col.label
    if unmapped:
        example = unmapped[0].rsplit("列“", 1)[1].rstrip("”")
        raise FxfkError(
            "以下列不知道应导入哪个字段，为了不丢失内容，导入已停止：\n  " + "\n  ".join(unmapped)
            + f"\n请用 --map 指定，例如 --map {example}=note（写入注释）或 --map {example}=conduct；"
            f"确实不要的列写 --map {example}=-。可用的字段：{fields_help()}"
        )
    if twice:
        raise FxfkError("以下几列对应同一个字段，无法确定用哪一列：\n  " + "\n  ".join(twice)
                        + "\n请用 --map 把其中一列改为其他字段，例如 --map 列名=note")
