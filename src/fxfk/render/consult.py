"""`fxfk consult draft`: the 征求意见稿 (DOCX to GB/T 9704, HTML, Markdown) and the 意见反馈表 (XLSX, DOCX).

Everything is drawn from :class:`fxfk.rules.consultation.ConsultDraft`, which holds the public view
of each point plus its proposed level, so no internal field can reach a business. Each point is
numbered 第N项 in the draft and carries the same 序号 and 风险点编号 in the form, which is how
``fxfk consult tally`` ties a reply to its point.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fxfk.dates import chinese_date
from fxfk.render import docx as gb
from fxfk.render.escaping import is_formula, xml_text
from fxfk.render.tabular import Row, fixed_time, normalize_zip
from fxfk.rules.consultation import ConsultDraft, ConsultItem, Tally

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORM_COLUMNS = ("序号", "风险点编号", "风险点", "意见", "建议修改为", "反馈单位")
OFFICER_COLUMNS = ("是否采纳", "理由")
FORM_WIDTHS = (7, 14, 30, 40, 36, 20, 10, 30)  # XLSX column widths (characters)
FORM_WIDTHS_CM = (1.3, 2.6, 4.4, 5.0, 4.6, 3.0, 1.8, 3.0)  # DOCX, landscape
FREE_ROWS = 10  # blank rows for comments on the draft as a whole or on points not listed
HEADER_ROW = 3  # the form's title and instructions come first


def form_title(draft: ConsultDraft) -> str:
    return draft.title.replace("（征求意见稿）", "") + "意见反馈表"


def letter(draft: ConsultDraft) -> list[str]:
    """The cover letter's paragraphs: what is asked, by when, how to reply, whom to call."""
    n = len(draft.items)
    contacts = "；".join(f"{o.name}{('，电话 ' + o.phone) if o.phone else ''}" for o in draft.offices)
    return [
        "根据《郑州市商务局2019年推进服务型行政执法建设工作实施方案》（郑商〔2019〕175号）附件1 "
        "二（三）“充分征求意见”的要求，我们梳理了行政相对人违法风险点，拟定了风险等级和防控措施，"
        f"现将其中 {n} 项印发给你们，征求意见。",
        "请重点就以下内容提出意见：一是所列违法风险点是否准确、有无遗漏；二是拟定的风险等级是否适当；"
        "三是所列依据、裁量标准是否准确；四是防控措施是否可行、有无更好的建议。",
        f"请于{chinese_date(draft.deadline)}前填写所附意见反馈表，写明对第几项（如“第3项”）的意见和建议修改的内容，"
        "并注明反馈单位，反馈给下列单位。逾期未反馈的，视为无意见。",
        f"联系单位：{contacts or '（登记册中未填写联系电话）'}。",
    ]


def item_lines(item: ConsultItem) -> list[tuple[str, str]]:
    """(label, text) of one point, in the order of the public list."""
    lines = [("所属单位", item.office), ("行业/领域", item.domain),
             ("拟定风险等级", f"{item.level}（依据 {item.clause}）"),
             ("行政处罚和行政强制等依据", "；".join(item.citations))]
    if item.tiers:
        lines.append(("裁量标准", "；".join(f"{k}. {t.circumstance}：{t.sanction}" for k, t in enumerate(item.tiers, 1))))
    elif item.discretion:
        lines.append(("裁量标准", item.discretion))
    measures = "；".join(f"{k}. {kind}：{text}" for k, (kind, text) in enumerate(item.measures, 1))
    lines += [("防控措施", measures or "（尚未拟定）"), ("责任单位", item.responsible)]
    return lines


def draft_docx(draft: ConsultDraft) -> bytes:
    doc = gb.new_document(draft.title, draft.date, draft.organization, landscape=False)
    gb.title(doc, draft.title)
    gb.paragraph(doc, "各有关企业、行业协会商会：", indent=False)
    for text in letter(draft):
        gb.paragraph(doc, text)
    gb.paragraph(doc, "附件：意见反馈表")
    gb.closing(doc, draft.organization, draft.date)
    gb.heading(doc, "征求意见的违法风险点", 1)
    for item in draft.items:
        gb.heading(doc, f"第{item.seq}项　{item.title}", 2)
        for label, text in item_lines(item):
            gb.paragraph(doc, f"{label}：{text}")
    return gb.save_document(doc, draft.date)


def form_rows(draft: ConsultDraft, officer: bool) -> list[Row]:
    extra: list[object] = ["", ""] if officer else []
    rows: list[Row] = [[item.seq, item.risk_id, item.title, "", "", "", *extra] for item in draft.items]
    rows += [["", "", "", "", "", "", *extra] for _ in range(FREE_ROWS)]
    return rows


def form_docx(draft: ConsultDraft, officer: bool = False) -> bytes:
    heading = form_title(draft) + ("（处理用）" if officer else "")
    doc = gb.new_document(heading, draft.date, draft.organization, landscape=True)
    gb.title(doc, heading)
    gb.paragraph(doc, f"反馈截止日期：{chinese_date(draft.deadline)}。序号与征求意见稿的项数一致；"
                      "对未列出事项或整体的意见写在空白行，序号栏可填“第N项”。", size=14)
    columns = FORM_COLUMNS + (OFFICER_COLUMNS if officer else ())
    gb.table(doc, columns, form_rows(draft, officer), FORM_WIDTHS_CM[: len(columns)], centered=(0,))
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    for row in doc.tables[-1].rows[1:]:  # room to write by hand
        row.height, row.height_rule = Cm(1.2), WD_ROW_HEIGHT_RULE.AT_LEAST
    return gb.save_document(doc, draft.date)


def _sheet(ws: Worksheet, draft: ConsultDraft, officer: bool) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = FORM_COLUMNS + (OFFICER_COLUMNS if officer else ())
    last = get_column_letter(len(columns))
    ws.title = "意见反馈表"
    ws["A1"] = xml_text(form_title(draft) + ("（处理用）" if officer else ""))
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = xml_text(f"反馈截止日期：{draft.deadline.isoformat()}；序号与征求意见稿的项数一致，"
                        "空白行可填写对其他事项的意见（序号栏可填“第N项”）")
    ws.merge_cells(f"A2:{last}2")
    thin = Side(style="thin")
    for c, name in enumerate(columns, 1):
        cell = ws.cell(HEADER_ROW, c, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3EFE6")
        ws.column_dimensions[get_column_letter(c)].width = FORM_WIDTHS[c - 1]
    for r, row in enumerate(form_rows(draft, officer), HEADER_ROW + 1):
        for c, value in enumerate(row, 1):
            # The texts come from the registers: a title starting with “=” must stay text.
            cell = ws.cell(r, c, value if isinstance(value, int) else xml_text(value) or None)
            if is_formula(cell.value) or cell.data_type == "f":
                cell.data_type = "s"
                cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    for row in ws.iter_rows(min_row=HEADER_ROW, max_row=ws.max_row, max_col=len(columns)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def form_xlsx(draft: ConsultDraft, officer: bool = False) -> bytes:
    import io
    import zipfile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet
    _sheet(ws, draft, officer)
    stamp = fixed_time(draft.date)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = draft.organization or "fxfk"
    wb.properties.title = form_title(draft)
    buf = io.BytesIO()
    # openpyxl's save() stamps the current time into docProps/core.xml; ExcelWriter does not.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return normalize_zip(buf.getvalue(), draft.date)


def draft_text(draft: ConsultDraft, root: Path, fmt: str) -> str:
    """The draft as HTML or Markdown, from templates/consult/ (a repository may override them)."""
    from fxfk.render.templates import environment, render

    env = environment(root, "consult")
    return render(env, f"draft.{fmt}.j2", hint="征求意见稿只提供公开字段和拟定等级", draft=draft, letter=letter(draft),
                  items=[(item, item_lines(item)) for item in draft.items], form_columns=FORM_COLUMNS)


def write_drafts(draft: ConsultDraft, root: Path, folder: Path, formats: list[str]) -> list[Path]:
    """Write the chosen formats of the draft and both forms into ``folder`` (a fresh temporary folder)."""
    written: list[Path] = []
    for fmt in formats:
        if fmt == "docx":
            files = {"征求意见稿.docx": draft_docx(draft), "意见反馈表.docx": form_docx(draft),
                     "意见反馈表（处理用）.docx": form_docx(draft, officer=True)}
        else:
            files = {f"征求意见稿.{fmt}": draft_text(draft, root, fmt).encode("utf-8")}
        for name, data in files.items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
    for name, officer in (("意见反馈表.xlsx", False), ("意见反馈表（处理用）.xlsx", True)):
        (folder / name).write_bytes(form_xlsx(draft, officer))
        written.append(folder / name)
    return written


def tally_text(result: Tally) -> str:
    """The tally as the terminal shows it: one line per point, then every reply that names no point."""
    from fxfk.render.escaping import terminal

    lines = [f"汇总意见反馈表 {len(result.files)} 份：{'、'.join(terminal(f) for f in result.files)}", ""]
    if result.points:
        lines.append("风险点编号\t收到意见\t采纳\t反馈单位\t风险点")
        for p in result.points:
            lines.append(f"{p.risk_id}\t{p.comments}\t{p.adopted}\t{terminal('、'.join(p.parties) or '（未填写）')}\t{terminal(p.title)}")
        total, adopted = sum(p.comments for p in result.points), sum(p.adopted for p in result.points)
        lines.append(f"合计\t{total}\t{adopted}\t\t{len(result.points)} 个风险点")
    else:
        lines.append("没有可计入任何风险点的意见。")
    if result.unmatched:
        lines += ["", f"以下 {len(result.unmatched)} 条意见没有对应到已有的风险点（未计入）："]
        lines += [f"  {terminal(u.file)} 第 {u.row} 行：{terminal(u.reason)}：{terminal(u.text)}" for u in result.unmatched]
    return "\n".join(lines) + "\n"
