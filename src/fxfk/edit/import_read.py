"""Reading an office's existing risk list (`fxfk import`): the tables of an .xlsx or .docx file.

Every table becomes a grid of cell texts. A merged cell's text is copied into every cell it spans
(a 领域 merged over five rows belongs to each of the five points); ``merged`` marks the copies so
that the report does not count a value twice.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fxfk.errors import FxfkError
from fxfk.models.text import echo


@dataclass
class Table:
    """One sheet of a workbook or one table of a Word file."""

    file: str  # the file's name as the user knows it: 清单.xlsx
    index: int  # 1-based: 第1张表 / 第1个表格
    name: str  # the sheet's name; "" for a Word table
    rows: list[list[str]]
    merged: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based: copies of a merged cell
    word: bool = False
    before: list[str] = field(default_factory=list)  # a Word table: the paragraphs between it and the one before

    def heading(self) -> str:
        """What names the table's domain when it has no domain column: the numbered heading right
        above a Word table (「二、成品油」), or a sheet's own name when a workbook has one sheet per
        domain (not 「Sheet1」, not an office's or a list's name)."""
        if not self.word:
            name = self.name.strip()
            if re.fullmatch(r"(?i)(sheet|工作表|表)\s*\d*|.*(局|处|室|科|中心|单位|清单|汇总|目录)", name):
                return ""
            return name
        if self.before and re.match(r"^([一二三四五六七八九十]+|\d+)[、.．]\s*\S", self.before[-1]) and len(self.before[-1]) <= 30:
            return re.sub(r"^([一二三四五六七八九十]+|\d+)[、.．]\s*", "", self.before[-1]).strip()
        return ""

    def where(self, row: int) -> str:
        """第1张表 第7行 (row is 0-based; the user counts from 1, as Excel and Word show)."""
        if self.word:
            return f"{self.file} 第{self.index}个表格 第{row + 1}行"
        sheet = f"第{self.index}张表（{self.name}）" if self.name else f"第{self.index}张表"
        return f"{self.file} {sheet} 第{row + 1}行"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and hasattr(value, "year"):
        return str(value.isoformat())[:10]  # a date cell: 2019-09-16
    # Excel and Word keep line breaks as \n, \r\n or \v (a Word soft break); one form for the splitters.
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").strip()


def read_tables(path: Path, sheets: list[str] | None = None) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".doc", ".et", ".wps"):
        target = ".xlsx" if suffix in (".xls", ".et") else ".docx"
        raise FxfkError(
            f"“{echo(path.name)}”是旧版 {suffix} 格式，fxfk 不能直接读取；请在 Excel 或 Word（或 WPS）中"
            f"“另存为”{target} 后再导入"
        )
    if suffix not in (".xlsx", ".xlsm", ".docx"):
        raise FxfkError(f"“{echo(path.name)}”不是 .xlsx 或 .docx 文件；fxfk import 只读取 Excel（.xlsx）和 Word（.docx）中的表格")
    if not path.is_file():
        raise FxfkError(f"找不到文件“{echo(str(path))}”")
    if not zipfile.is_zipfile(path):
        raise FxfkError(f"“{echo(path.name)}”不是有效的 {suffix} 文件（可能已损坏，或是改了扩展名的旧版文件）；请用 Excel 或 Word 打开后另存为 {suffix}")
    if suffix == ".docx":
        if sheets:
            raise FxfkError("--sheet 只用于 Excel 文件；Word 文件中的每个表格都会导入")
        return _docx_tables(path)
    return _xlsx_tables(path, sheets or [])


def _xlsx_tables(path: Path, sheets: list[str]) -> list[Table]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)  # a formula's last computed value, as the user saw it
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise FxfkError(f"无法读取“{echo(path.name)}”：{echo(str(exc))}；请用 Excel 打开后另存为 .xlsx") from exc
    names = list(wb.sheetnames)
    missing = [s for s in sheets if s not in names]
    if missing:
        raise FxfkError(f"“{echo(path.name)}”中没有工作表{'、'.join('“' + echo(s) + '”' for s in missing)}；"
                        f"已有的工作表：{'、'.join(names)}")
    tables = []
    for k, name in enumerate(names, 1):
        if sheets and name not in sheets:
            continue
        ws = wb[name]
        rows = [[cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        merged: set[tuple[int, int]] = set()
        for rng in ws.merged_cells.ranges:
            top, left = rng.min_row - 1, rng.min_col - 1
            value = rows[top][left] if top < len(rows) and left < width else ""
            for r in range(top, min(rng.max_row, len(rows))):
                for c in range(left, min(rng.max_col, width)):
                    if (r, c) != (top, left):
                        rows[r][c] = value
                        merged.add((r, c))
        tables.append(Table(path.name, k, name, rows, merged))
    return tables


def _docx_tables(path: Path) -> list[Table]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
        raise FxfkError(f"无法读取“{echo(path.name)}”：{echo(str(exc))}；请用 Word 打开后另存为 .docx") from exc
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    tables = []
    paragraphs: list[str] = []
    found: list[tuple[DocxTable, list[str]]] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = cell_text(Paragraph(child, document).text)
            if text:
                paragraphs.append(text)
        elif child.tag.endswith("}tbl"):
            found.append((DocxTable(child, document), paragraphs))
            paragraphs = []
    for k, (table, before) in enumerate(found, 1):
        rows: list[list[str]] = []
        merged: set[tuple[int, int]] = set()
        # A merged cell is one <w:tc> element seen from several grid cells; holding the elements
        # keeps their ids unique while the table is read.
        seen: dict[int, object] = {}
        for r, row in enumerate(table.rows):
            texts = []
            for c, cell in enumerate(row.cells):
                key = id(cell._tc)
                if key in seen:
                    merged.add((r, c))
                else:
                    seen[key] = cell._tc
                texts.append(cell_text(cell.text))
            rows.append(texts)
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        tables.append(Table(path.name, k, "", rows, merged, word=True, before=before))
    if not tables:
        raise FxfkError(f"“{echo(path.name)}”中没有表格；fxfk import 只导入 Word 文件中的表格")
    return tables
