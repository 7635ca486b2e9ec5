"""The report as DOCX for the leadership's files: A4 portrait in the official look of
:mod:`fxfk.render.docx` (仿宋 三号 body, 黑体/楷体 headings as Word heading styles, tables inside the
156 mm text width), the same sections and tables as the HTML, each chart as a picture drawn from the
same chart definition (:mod:`fxfk.report.png`), and a closing block (机关署名 and date)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from fxfk.dates import chinese_date
from fxfk.models import ActivityKind, Status
from fxfk.render.docx import (
    closing,
    heading,
    new_document,
    paragraph,
    save_document,
    table,
    text_width_cm,
)
from fxfk.render.docx import (
    title as title_paragraph,
)
from fxfk.render.tabular import Row
from fxfk.report.content import (
    FUNNEL_STAGES,
    SCHEDULED,
    TYPICAL_CASES,
    PointEvaluation,
    Report,
    number,
    signed,
)
from fxfk.report.figures import definitions
from fxfk.tasks.status import describe_days

if TYPE_CHECKING:
    from docx.document import Document

    from fxfk.report.charts import Chart

TEXT_WIDTH_CM = 15.6  # A4 portrait between the margins of new_document(landscape=False): GB/T 9704's 156 mm
NO_CJK_FONT = "（本机没有中文字体，图中汉字可能显示为方框；各数字见下表。）"


def _widths(first: float, n: int, last: float | None = None) -> tuple[float, ...]:
    """``first`` for the name column, the rest shared out evenly (``last`` for a wide final column)."""
    rest = TEXT_WIDTH_CM - first - (last or 0)
    k = n - 1 - (1 if last else 0)
    return (first, *([round(rest / k, 2) - 0.01] * k), *((last,) if last else ()))


def _points_line(points: Iterable[PointEvaluation]) -> str:
    return "；".join(
        f"{p.risk_id} {p.title}（{p.office}，{p.before_year}年 {p.before} 件 → 公布后年均 {number(p.after_mean)} 件，{signed(p.change)}）"
        for p in points
        if p.after_mean is not None and p.change is not None  # (always: points to revise, typical cases)
    )


def picture(doc: Document, chart: Chart, number_: int, notes: list[str] | None = None) -> None:
    """The chart as a PNG across the text width, its text equivalent as the picture's description,
    and a caption 图N below it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm

    from fxfk.report.png import chart_png

    png = chart_png(chart.svg)
    p = paragraph(doc, "", center=True)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # a fixed 28 pt line would crop it
    p.paragraph_format.keep_with_next = True
    import io

    shape = p.runs[0].add_picture(io.BytesIO(png.data), width=Cm(min(TEXT_WIDTH_CM, text_width_cm(doc))))
    shape._inline.docPr.set("descr", chart.summary)  # alt text: what a screen reader says
    shape._inline.docPr.set("name", f"图{number_}")
    caption = paragraph(doc, f"图{number_}　{chart.title}", size=14, center=True)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not png.cjk_font:
        paragraph(doc, NO_CJK_FONT, size=12, center=True)
        if notes is not None and NO_CJK_FONT not in notes:
            notes.append("本机没有中文字体，Word 版报告的图中汉字可能显示为方框；安装中文字体（如 fonts-noto-cjk）后重新生成。")


def report_docx(report: Report, charts: dict[str, Chart], title: str, notes: list[str] | None = None) -> bytes:
    """The report's DOCX; ``notes`` collects what the user should hear (a missing CJK font)."""
    doc = new_document(title, report.date, report.organization, landscape=False)
    ev = report.evaluation
    figure = iter(range(1, len(charts) + 1))

    def h(text: str, level: int = 1) -> None:
        heading(doc, text, level)

    def p(text: str) -> None:
        paragraph(doc, text)

    def note(text: str) -> None:
        paragraph(doc, text, size=12)

    def chart(key: str) -> None:
        picture(doc, charts[key], next(figure), notes)

    def tabulate(header: tuple[str, ...], rows: Sequence[Row], widths: Sequence[float]) -> None:
        table(doc, header, rows, widths, streamed=True)  # saved right away: the rows can stay text

    title_paragraph(doc, title)
    doc_no = f"（{report.task_document}）" if report.task_document else ""
    paragraph(doc, f"数据截至{chinese_date(report.date)}　任务表：{report.task_title}{doc_no}", size=14, center=True)
    scope = f"全部 {report.offices} 个单位" if report.all_offices else \
        f"所选 {report.offices} 个单位：" + "、".join(o.name for o in report.overview)
    paragraph(doc, f"范围：{scope}", size=14, center=True)

    h("一、总体情况")
    levels = "，".join(f"{lv.label}风险 {n} 个" for lv, n in zip(report.levels, report.level_totals))
    p(f"{report.offices} 个单位共登记违法风险点 {report.risk_total} 个（含已废止 {report.retired_total} 个）；未废止的按风险等级：{levels}。")
    chart("levels")
    approved = list(Status).index(Status.approved)

    def marked(values: Iterable[int], scheduled: int) -> list[object]:
        return [f"{v}*" if k == approved and scheduled else v for k, v in enumerate(values)]

    header = ("单位", *(lv.label for lv in report.levels), *(s.label for s in Status), "合计")
    rows = [[o.name, *o.by_level, *marked(o.by_status, o.scheduled), o.total] for o in report.overview]
    rows.append(["合计", *report.level_totals, *marked(report.status_totals, report.scheduled_total), report.risk_total])
    tabulate(header, rows, _widths(3.4, len(header)))
    scheduled = "；".join(f"{x.office} {x.risk_id}，{x.note}" for x in report.scheduled)
    note(f"“已公布”只计{chinese_date(report.date)}已经公开的风险点（与公开清单、工作漏斗口径相同）。"
         + (f"*“已审定”含 {report.scheduled_total} 个{SCHEDULED}的风险点（{scheduled}）。" if report.scheduled_total else ""))

    h("二、工作进度：梳理 → 征求意见 → 审定 → 公布")
    cf = report.city_funnel
    p(f"已梳理（未废止）的风险点 {cf.identified} 个，其中进入征求意见 {cf.consulting} 个、已审定 {cf.approved} 个、"
      f"截至{chinese_date(report.date)}已公布 {cf.published} 个，公布率 {cf.share.text}。")
    chart("funnel")
    rows = [[f.name, *f.stages, f.share.text] for f in (*report.funnel, cf)]
    tabulate(("单位", *FUNNEL_STAGES, "公布率"), rows, _widths(3.6, 6, 3.4))
    pending = report.unpublished
    h("（一）尚未公布的风险点", 2)
    p(f"共 {len(pending)} 个；每个单位内社会关注度高的在前。" if pending else "全部未废止的风险点均已公布。")
    if pending:
        rows = [[x.office, x.attention or "未填写", x.risk_id, x.title, x.level, x.status + ("*" if x.note else "")]
                for x in pending]
        tabulate(("单位", "社会关注度", "编号", "违法风险点", "等级", "状态"), rows, (3.0, 1.6, 2.4, 4.6, 1.0, 3.0))
        if report.scheduled:
            note("*" + "；".join(f"{x.risk_id} {x.note}" for x in report.scheduled) + "，计入“已审定”。")

    h(f"三、年度任务完成情况（{report.task_title}）")
    p(f"截至{chinese_date(report.date)}：" + "，".join(f"{s.label} {n} 项" for s, n in report.task_counts) + "。逾期事项排在最前。")
    chart("tasks")
    columns = [tid for tid, _ in report.task_columns]
    rows = [[name, *(t.status.label if t else "—" for t in cells)] for name, cells in report.task_matrix()]
    tabulate(("单位", *columns), rows, _widths(3.4, len(columns) + 1))
    note("任务：" + "；".join(f"{tid} {content}" for tid, content in report.task_columns) + "。")
    h("（一）未按期完成或尚未完成的事项", 2)
    p("已逾期的排在最前。" if report.open_tasks else "全部任务均已按期完成。")
    rows = [
        [t.status.label, t.task_id, t.content, t.office_name, t.due_explanation or t.deadline,
         f"{t.done}/{t.target or 1}" + (f"（{t.kinds_text}）" if t.kinds else ""),
         f"{chinese_date(t.completed_on)}完成" if t.completed_on else describe_days(t.status, t.working_days_left)]
        for t in report.open_tasks
    ]
    if rows:
        tabulate(("状态", "序号", "工作内容", "单位", "完成时限", "进度", "说明"), rows, (1.6, 1.0, 3.6, 2.6, 2.8, 1.4, 2.6))

    h(f"四、工作开展情况（{report.year}年，截至{chinese_date(report.date)}）")
    header = ("单位", *(k.label for k in ActivityKind), "合计")
    rows = [[a.name, *a.counts, a.total] for a in report.activities]
    rows.append(["合计", *report.activity_totals, sum(report.activity_totals)])
    tabulate(header, rows, _widths(3.0, len(header)))
    silent = report.silent_offices
    p(f"未记录任何工作的单位（{len(silent)} 个）：{'、'.join(silent)}。" if silent else "所有单位在本年度都有工作记录。")

    h("五、分析评估")
    p(f"法律遵从度：{ev.compliance.text}；社会公众满意度：{ev.satisfaction.text}。")
    h("（一）违法行为数量的增减（按行业/领域）", 2)
    chart("cases")
    rows = [
        [d.domain, d.points, d.evaluable,
         *((d.before, number(d.after), signed(d.change), f"{d.rising}/{d.falling}") if d.change is not None
           else ("无数据",) * 4),  # (change is None exactly when nothing is evaluable)
         d.compliance.text]
        for d in ev.domains
    ]
    tabulate(("行业/领域", "已公布", "可评估", "公布前一年", "公布后年均", "增减", "升/降", "法律遵从度"), rows, _widths(2.6, 8, 3.0))
    h("（二）逐个风险点", 2)
    rows = []
    for pt in ev.points:
        after = "；".join(f"{y}年 {n}" for y, n in pt.after) or "无数据"
        verdict = "建议修订完善" if pt.rising else "典型案例候选" if pt in ev.typical else pt.verdict
        before = f"{pt.before_year}年 {pt.before}" if pt.before is not None else f"{pt.before_year}年无数据"
        rows.append([pt.risk_id, pt.title, pt.office, before, after,
                     "无数据" if pt.change is None else signed(pt.change), pt.compliance.text, verdict])
    tabulate(("编号", "违法风险点", "单位", "公布前一年", "公布后", "增减", "法律遵从度", "结论"), rows, (2.1, 3.0, 1.8, 1.7, 1.7, 1.3, 2.5, 1.5))
    p(f"建议修订完善（{len(ev.to_revise)} 个）：" + (_points_line(ev.to_revise) + "。" if ev.to_revise else "无。"))
    p(f"典型案例候选（降幅最大的 {TYPICAL_CASES} 个以内）：" + (_points_line(ev.typical) + "。" if ev.typical else "无。"))
    if ev.too_few:
        p(f"样本过少（比较的各年案件数合计少于 {report.min_cases} 件，{len(ev.too_few)} 个）："
          + "、".join(x.risk_id for x in ev.too_few) + "；增减照列，不据以下结论。")
    if ev.unknown:
        p(f"无法评估（缺少公布前一年或公布后整年的案件数，{len(ev.unknown)} 个）：" + "、".join(x.risk_id for x in ev.unknown) + "。")
    note(f"公布当年只有部分时间公开，不计入公布后；公布后从公布的次年算起，到{chinese_date(report.date)}前已经结束的最后一年为止。")
    h("（三）法律遵从度与社会公众满意度（按单位）", 2)
    rows = [[o.name, o.compliance.text, o.satisfaction.text] for o in ev.offices]
    rows.append(["合计", ev.compliance.text, ev.satisfaction.text])
    tabulate(("单位", "法律遵从度", "社会公众满意度"), rows, (4.0, 5.8, 5.8))

    h("六、考核加减分")
    rows = [
        [a.name, signed(a.bonus), signed(a.deduction), signed(a.total),
         "\n".join(f"{chinese_date(i.date)} {signed(i.points)}分：{i.reason}" + (f"（{i.referral}）" if i.referral else "")
                   for i in a.items) or "无加减分"]
        for a in report.assessment
    ]
    rows.append(["合计", signed(sum(a.bonus for a in report.assessment)), signed(sum(a.deduction for a in report.assessment)),
                 signed(report.score_total), ""])
    tabulate(("单位", "加分", "扣分", "合计", "事由"), rows, (3.0, 1.3, 1.3, 1.3, 8.7))
    if report.deductions:
        p(f"扣分 {report.deductions} 项，其中已建议有关单位依纪依法进行责任追究 {report.referred_total} 项（通知 五）。")

    h("七、统计口径")
    for term, text in definitions(report.min_cases):
        note(f"{term}：{text}")
    closing(doc, report.organization, report.date)
    return save_document(doc, report.date)
