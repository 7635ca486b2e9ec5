"""XLSX sheets in linear time, each cell styled as the setters style it.

``_append`` used ``ws.max_row``/``ws[r]`` (a scan of every cell) per row and every body cell was styled
through openpyxl's setters (a hash per style): a province's city sheet took minutes. Now a row's cells
are read by index and each kind of cell is styled once, the rest copying its style ids.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from fxfk.render.tabular import DATE_FORMAT, RISK_WIDTHS, _fill_sheet

HEADER = ("序号", "违法风险点", "风险等级", "行政处罚和行政强制等依据", "防控措施", "责任单位", "公布批次", "公布日期", "备注")


def _rows(n: int) -> list[list[object]]:
    levels = ["高风险", "中风险", "低风险"]
    return [[k, f"风险点{k}", levels[k % 3], "依据", "措施", "单位", "第一批", dt.date(2019, 9, 16),
             "=1+1" if k % 7 == 0 else "备注"] for k in range(1, n + 1)]


def test_a_sheet_does_not_scan_its_cells_per_row(monkeypatch):
    calls = {"max_row": 0, "max_column": 0}
    for name in calls:
        original = getattr(Worksheet, name)

        def counted(self, _name=name, _original=original):
            calls[_name] += 1
            return _original.fget(self)

        monkeypatch.setattr(Worksheet, name, property(counted))
    wb = Workbook()
    _fill_sheet(wb.active, "标题", "副标题", HEADER, _rows(400), RISK_WIDTHS)
    # (the auto filter reads the last row once; nothing per row)
    assert calls["max_row"] <= 2 and calls["max_column"] <= 2, calls


def test_every_cell_has_the_style_of_its_kind(tmp_path):
    wb = Workbook()
    _fill_sheet(wb.active, "标题", "副标题", HEADER, _rows(30), RISK_WIDTHS)
    wb.save(tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx").active
    for r in range(4, 34):
        k = r - 3
        level = ws.cell(r, 3)
        assert level.font.b and level.font.color.rgb.endswith({"高风险": "B0161E", "中风险": "9A5B00", "低风险": "1A7F37"}[level.value])
        assert level.alignment.horizontal == "center" and ws.cell(r, 1).alignment.horizontal == "center"
        assert ws.cell(r, 2).alignment.horizontal is None and ws.cell(r, 2).alignment.wrap_text
        assert ws.cell(r, 8).number_format == DATE_FORMAT
        note = ws.cell(r, 9)
        # A formula-like text stays text, with its quote prefix; its neighbours have none.
        assert note.data_type == "s" and bool(note.quotePrefix) == (k % 7 == 0), (r, note.value)
        assert all(ws.cell(r, c).border.left.style == "thin" for c in range(1, 10))
