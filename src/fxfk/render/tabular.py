"""CSV and XLSX writers, plus the zip normaliser that makes XLSX and DOCX byte-identical."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fxfk.dates import chinese_date
from fxfk.public import plain
from fxfk.public.view import NoPenaltyItem, OfficeList, PublicRisk, PublicView
from fxfk.render.escaping import csv_cell, is_formula, xml_text

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written (startup time)
    from openpyxl.worksheet.worksheet import Worksheet

Row = Sequence[object]  # one table row: text, numbers, empty cells

RISK_EXTRA = ("公布单位", "公布批次", "公布日期")
NO_PENALTY_EXTRA = ("公布单位",)


def risk_records(risks: tuple[PublicRisk, ...], renumber: bool) -> list[Row]:
    """Rows with the batch's 公布日期 as a date: a real date cell in XLSX, ISO 8601 in CSV (data exchange)."""
    return [
        plain.risk_row(r, k if renumber else None) + [r.office, r.batch, r.batch_date]
        for k, r in enumerate(risks, 1)
    ]


def no_penalty_records(items: tuple[NoPenaltyItem, ...], renumber: bool) -> list[Row]:
    return [plain.no_penalty_row(i, k if renumber else None) + [i.office] for k, i in enumerate(items, 1)]


def csv_bytes(header: tuple[str, ...], rows: Sequence[Row]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    # Data from a pull request must not become a live formula when the file is opened in Excel.
    writer.writerows([csv_cell(v.isoformat() if isinstance(v, dt.date) else v) for v in row] for row in rows)
    # UTF-8 with BOM: Excel on Windows otherwise reads the file as GBK and shows mojibake.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def numbered_csv(rows: Sequence[Row], starts: Sequence[int]) -> list[str]:
    """The rows as :func:`csv_bytes` writes them (no BOM, no header) but numbered ``start + 1``, ``start + 2``…
    in the first cell, once for each of ``starts``: the other cells are escaped and written once.

    (A CSV row is its first cell, ``,`` and the rest as written alone; a number is never quoted.)"""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    tails: list[str] = []
    for row in rows:
        writer.writerow([csv_cell(v.isoformat() if isinstance(v, dt.date) else v) for v in row[1:]])
        tails.append(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    return ["".join([f"{start + k},{tail}" for k, tail in enumerate(tails, 1)]) for start in starts]


def write_csv(folder: Path, name: str, risks: tuple[PublicRisk, ...], items: tuple[NoPenaltyItem, ...], renumber: bool) -> list[Path]:
    a = folder / f"{name}.csv"
    a.write_bytes(csv_bytes(plain.RISK_COLUMNS + RISK_EXTRA, risk_records(risks, renumber)))
    b = folder / f"{name}.no-penalty.csv"
    b.write_bytes(csv_bytes(plain.NO_PENALTY_COLUMNS + NO_PENALTY_EXTRA, no_penalty_records(items, renumber)))
    return [a, b]


def fixed_time(date: dt.date) -> dt.datetime:
    """The one timestamp files may carry: midnight of the publication date, never the run time."""
    return dt.datetime(date.year, date.month, date.day)


def normalize_zip(data: bytes, date: dt.date) -> bytes:
    """Rewrite a zip (XLSX/DOCX) with every entry dated ``date`` and fixed attributes."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename), compresslevel=9)
    return out.getvalue()


_SHEET_BAD = set('[]:*?/\\')


def sheet_title(name: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in _SHEET_BAD else ch for ch in name).strip("'") or "单位"
    title = clean[:31]
    k = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f"({k})"
        title = clean[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(title)
    return title


RISK_WIDTHS = (6, 28, 9, 60, 42, 18, 18, 9, 16)
BODY_FONT = "仿宋"  # 仿宋 body, 宋体 titles: the fonts of an official list (not Excel's Calibri)
TITLE_FONT = "宋体"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # 2019年9月16日, as the other formats write dates
LEVEL_COLORS = {"高风险": "B0161E", "中风险": "9A5B00", "低风险": "1A7F37"}  # as in the HTML lists
EMPTY = "暂无公布的风险点"
NO_PENALTY_WIDTHS = (6, 28, 48, 40, 40, 18)


def _append(ws: Worksheet, values: Row) -> int:
    """Append a row whose text cells are string cells: openpyxl makes a str starting with "=" a formula."""
    # XML 1.0 cannot carry control characters: openpyxl would raise on them.
    ws.append([xml_text(v) if isinstance(v, str) else v for v in values])
    # The row append just wrote, and only its cells: ``ws.max_row`` and ``ws[r]`` scan every cell of the
    # sheet (max over all of them), which made a province's city sheet quadratic (minutes).
    r: int = ws._current_row
    for c in range(1, len(values) + 1):
        cell = ws.cell(r, c)
        if is_formula(cell.value) or cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return r


def _fill_sheet(ws: Worksheet, title: str, subtitle: str, header: tuple[str, ...], rows: Sequence[Row], widths: tuple[int, ...],
                empty: str = EMPTY) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncols = len(header)
    _append(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).font = Font(name=TITLE_FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    _append(ws, [subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.cell(2, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1).font = Font(name=BODY_FONT, size=11)
    _append(ws, list(header))
    for c in range(1, ncols + 1):
        cell = ws.cell(3, c)
        cell.font = Font(name=TITLE_FONT, size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="F3EFE6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    body = Font(name=BODY_FONT, size=11)
    # Setting a style hashes it to find its id, which was most of a large sheet's time: each kind of cell
    # is styled once by the setters (registering its styles in the same order as before) and the others
    # of that kind take a copy of its style ids.
    styled: dict[tuple[int, bool, object, bool], object] = {}
    for row in rows:
        r = _append(ws, row)
        for c in range(1, ncols + 1):
            cell = ws.cell(r, c)
            value = cell.value
            dated = isinstance(value, dt.date)
            level = value if not dated and header[c - 1] == "风险等级" and value in LEVEL_COLORS else None
            kind = (c, dated, level, bool(cell.quotePrefix))
            if kind in styled:
                cell._style = copy.copy(styled[kind])
                continue
            cell.alignment = Alignment(vertical="top", wrap_text=True, horizontal="center" if c in (1, 3) and header[2] == "风险等级" else None)
            cell.border = border
            cell.font = body
            if dated:
                cell.number_format = DATE_FORMAT
            elif level is not None:
                cell.font = Font(name=BODY_FONT, size=11, bold=True, color=LEVEL_COLORS[str(level)])
            styled[kind] = copy.copy(cell._style)
    if not rows:  # an office with nothing public yet: say so rather than show an empty grid
        r = _append(ws, [empty])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).font = body
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    for c, width in enumerate(widths[:ncols], 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # The header row (row 3) stays in place while scrolling.
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.font = BODY_FONT
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(ncols)}{ws.max_row}"


def xlsx_bytes(view: PublicView, city_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    _default_font(wb)
    taken: set[str] = set()
    date_line = f"数据截至{chinese_date(view.date)}"
    issuer = view.organization
    ws = wb.create_sheet(sheet_title("全市" if view.all_offices else "所选单位", taken))
    _fill_sheet(
        ws, f"{city_title}违法风险点清单", "　".join(filter(None, [f"发布单位：{issuer}" if issuer else "", date_line])),
        plain.RISK_COLUMNS + RISK_EXTRA, risk_records(view.risks, True), RISK_WIDTHS,
    )
    for office in view.offices:
        ws = wb.create_sheet(sheet_title(office.name, taken))
        _fill_sheet(ws, office_title(office), office_subtitle(office, view), plain.RISK_COLUMNS + RISK_EXTRA,
                    risk_records(office.risks, False), RISK_WIDTHS)
    ws = wb.create_sheet(sheet_title("免罚清单", taken))
    _fill_sheet(
        ws, f"{city_title}轻微违法行为免罚清单", date_line, plain.NO_PENALTY_COLUMNS + NO_PENALTY_EXTRA,
        no_penalty_records(view.no_penalty, True), NO_PENALTY_WIDTHS, "暂无列入免罚清单的事项",
    )
    stamp = fixed_time(view.date)
    wb.properties.creator = issuer or "fxfk"
    wb.properties.lastModifiedBy = issuer or "fxfk"
    wb.properties.title = f"{city_title}违法风险点清单"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    # openpyxl's save_workbook() stamps the current time into docProps/core.xml; ExcelWriter does not.
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return normalize_zip(buf.getvalue(), view.date)


def _default_font(wb: object) -> None:
    """The workbook's default font (cells without their own, Excel's “Normal” style) is 宋体, not Calibri."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=TITLE_FONT, size=11, family=3, charset=134)
    wb._fonts = IndexedList([font])  # type: ignore[attr-defined]  # index 0 is the default
    wb._named_styles["Normal"].font = font  # type: ignore[attr-defined]


def office_title(office: OfficeList) -> str:
    return f"{office.name}违法风险点清单"


def office_subtitle(office: OfficeList, view: PublicView) -> str:
    parts = [f"发布单位：{office.organization}"]
    if office.latest:
        parts.append(f"最新批次：{office.latest.label}（{chinese_date(office.latest.date)}公布）")
    if office.phone:
        parts.append(f"咨询电话：{office.phone}")
    parts.append(f"数据截至{chinese_date(view.date)}")
    return "　".join(parts)
