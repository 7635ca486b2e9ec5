"""`fxfk deadlines` as text, Markdown and JSON: the task status of the year's table
(:class:`fxfk.tasks.status.TaskReport`) and the guidance list (:class:`fxfk.tasks.guidance.GuidanceReport`).

Every renderer has the signature ``(report, *, color=False) -> str``; :func:`render` picks the one
for the report's kind and ``--format``. None of them prints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fxfk.models import Task
from fxfk.render.escaping import json_text, md, terminal
from fxfk.render.text import Cell, Styled, fit, pad, table, width, wrap
from fxfk.render.text import color as paint
from fxfk.tasks.deadline import read_deadline
from fxfk.tasks.guidance import (
    PENDING_LABEL,
    GuidanceReport,
    GuidanceStatus,
    status_label,
)
from fxfk.tasks.status import (
    TaskReport,
    TaskState,
    TaskStatus,
    describe_days,
    worst_first,
)

NOT_APPLICABLE_MARK = "-"

# Each state's colour in a terminal; the marks read without it.
STYLE = {
    TaskState.done: "green",
    TaskState.done_late: "cyan",
    TaskState.overdue: "bold red",
    TaskState.due_soon: "yellow",
    TaskState.pending: None,
    TaskState.open: "dim",
}


def _mark(state: TaskState, color: bool) -> str:
    return paint(state.mark, STYLE[state] if color else None)


def legend() -> str:
    parts = [f"{s.mark} {s.label}" for s in TaskState]
    return "图例：" + "　".join(parts) + f"　{NOT_APPLICABLE_MARK} 不适用"


# --- the year's tasks -------------------------------------------------------------------------


def _progress_text(row: TaskStatus) -> str:
    kinds = f"（{row.kinds_text}）" if row.kinds else ""
    return f"已完成 {row.done}/{row.target or 1}{kinds}"


def _due_text(row: TaskStatus) -> str:
    # how the deadline word became the date: 「8月中旬 → 8月20日（中旬按20日计）」
    return row.due_explanation or row.deadline


def _needs_text(task: Task) -> str:
    """What the row asks for beyond one activity: 「不少于 3 次」, or every kind of a several-kinds row."""
    needs = task.needs()
    if needs is not None:
        return "须都做到：" + "、".join(f"{kind.label}不少于 {n} 次" for kind, n in needs.items())
    return f"不少于 {task.target} 次" if task.target else ""


def _summary(rows: Sequence[TaskStatus]) -> str:
    counts = {s: 0 for s in TaskState}
    for r in rows:
        counts[r.status] += 1
    return "合计：" + "，".join(f"{s.label} {counts[s]}" for s in TaskState)


def _header(report: TaskReport) -> str:
    doc = f"（{report.document}）" if report.document else ""
    return f"{report.title}{doc}：截至 {report.today.isoformat()}，即将到期提醒窗口 {report.due_soon_days} 天"


def _task_line(task: Task, year: int) -> str:
    when = read_deadline(task.deadline, year).explanation
    needs = _needs_text(task)
    return f"{task.item}：{task.content}；完成时限 {when}" + (f"；{needs}" if needs else "")


def _terminal_report(report: TaskReport) -> TaskReport:
    """The report with every data-derived text made safe for a terminal (the colours are added after)."""

    def clean(obj: Any, *fields: str) -> Any:
        changes = {f: terminal(getattr(obj, f)) for f in fields if isinstance(getattr(obj, f), str)}
        return obj.model_copy(update=changes) if hasattr(obj, "model_copy") else replace(obj, **changes)

    return replace(
        report, title=terminal(report.title), document=report.document and terminal(report.document),
        tasks=[clean(t, "id", "item", "content", "deadline") for t in report.tasks],
        offices=[clean(o, "name") for o in report.offices],
        rows=[clean(r, "task_id", "content", "office_name", "deadline", "due_explanation") for r in report.rows],
    )


def render_tasks_text(report: TaskReport, *, color: bool = False, columns: int | None = None) -> str:
    """The matrix (one block per office when it is wider than ``columns``), the tasks, the overdue and
    due-soon rows; lines wrapped to ``columns`` (None: not wrapped)."""
    report = _terminal_report(report)
    cells = {(r.office_id, r.task_id): r for r in report.rows}
    # Every column is as wide as the widest mark, so that the matrix keeps its shape on any day.
    mark_w = max(width(s.mark) for s in TaskState)
    matrix = []
    for office in report.offices:
        line: list[Cell] = [office.name]
        for t in report.tasks:
            row = cells.get((office.id, t.id))
            line.append(Styled(row.status.mark, STYLE[row.status] if color else None) if row else NOT_APPLICABLE_MARK)
        matrix.append(line)
    header = ["单位"] + [t.id for t in report.tasks]
    out = [_header(report), ""]
    out += table(header, matrix, indent="", min_widths=[0] + [mark_w] * len(report.tasks), columns=columns, labelled=False)
    if not report.offices:
        out.append("（没有符合条件的单位）")
    out += ["", legend(), "", "任务："]
    id_w = max(width(t.id) for t in report.tasks)
    # continuation lines of a task stand under its text, clear of the ids
    out += [line for t in report.tasks for line in wrap(f"  {pad(t.id, id_w)}  {_task_line(t, report.year)}", columns, " " * (id_w + 4))]
    for state in (TaskState.overdue, TaskState.due_soon):
        rows = worst_first(r for r in report.rows if r.status is state)
        out += ["", f"{state.label}（{len(rows)}）：" + ("" if rows else "无")]
        for r in rows:
            out.append(
                f"  {_mark(state, color)}  {r.task_id} {r.content} · {r.office_name}"
                f" — {_due_text(r)}，{describe_days(state, r.working_days_left)}，{_progress_text(r)}"
            )
    out += ["", _summary(report.rows)]
    if report.note:
        out.append(report.note)
    return fit("\n".join(out) + "\n", columns)


def render_tasks_markdown(report: TaskReport, *, color: bool = False) -> str:
    # every data-derived text in the Markdown output is shown literally (md)
    cells = {(r.office_id, r.task_id): r for r in report.rows}
    out = [f"## {md(_header(report))}", ""]
    out.append("| 单位 | " + " | ".join(md(t.id) for t in report.tasks) + " |")
    out.append("|---" * (len(report.tasks) + 1) + "|")
    for office in report.offices:
        marks = []
        for t in report.tasks:
            row = cells.get((office.id, t.id))
            marks.append(f"{row.status.mark[0]} {row.status.label}" if row else "—")
        out.append(f"| {md(office.name)} | " + " | ".join(marks) + " |")
    out += ["", "| 序号 | 工作事项 | 工作内容 | 完成时限 |", "|---|---|---|---|"]
    for t in report.tasks:
        when = read_deadline(t.deadline, report.year).explanation
        needs = _needs_text(t)
        content = t.content + (f"（{needs}）" if needs else "")
        out.append(f"| {md(t.id)} | {md(t.item)} | {md(content)} | {md(when)} |")
    for state in (TaskState.overdue, TaskState.due_soon):
        rows = worst_first(r for r in report.rows if r.status is state)
        out += ["", f"### {state.label}（{len(rows)}）", ""]
        if not rows:
            out.append("无。")
        for r in rows:
            out.append(
                f"- **{md(r.task_id)} {md(r.content)}** · {md(r.office_name)} — {md(_due_text(r))}，"
                f"{describe_days(state, r.working_days_left)}，{_progress_text(r)}"
            )
    out += ["", _summary(report.rows)]
    if report.note:
        out += ["", f"> {report.note}"]
    return "\n".join(out) + "\n"


def render_tasks_json(report: TaskReport, *, color: bool = False) -> str:
    return json_text(json.dumps([r.as_json() for r in report.rows], ensure_ascii=False, indent=2)) + "\n"


# --- guidance ---------------------------------------------------------------------------------


def _guidance_header(report: GuidanceReport) -> str:
    every = "，".join(f"{lv.label}风险每 {n} 天" for lv, n in report.intervals.items())
    return f"已公布风险点的行政指导：截至 {report.today.isoformat()}（{every}至少一次，提前 {report.due_soon_days} 天提醒）"


def _detail(g: GuidanceStatus) -> str:
    last = f"上次指导 {g.last_guidance.isoformat()}" if g.last_guidance else f"公布（{g.published.isoformat()}）后从未指导"
    return f"{last}，应于 {g.due.isoformat()} 前指导，{describe_days(g.status, g.working_days_left)}"


def _attention(g: GuidanceStatus) -> str:
    return f"（社会关注度{g.attention.label}）" if g.attention else ""


def _guidance_summary(rows: Sequence[GuidanceStatus]) -> str:
    n = {s: sum(1 for g in rows if g.status is s) for s in (TaskState.overdue, TaskState.due_soon, TaskState.pending)}
    return (
        f"合计：已公布风险点 {len(rows)} 个；{TaskState.overdue.label} {n[TaskState.overdue]}，"
        f"{TaskState.due_soon.label} {n[TaskState.due_soon]}，{PENDING_LABEL} {n[TaskState.pending]}"
    )


def _by_office(rows: Sequence[GuidanceStatus]) -> list[tuple[str, list[GuidanceStatus]]]:
    groups: dict[str, list[GuidanceStatus]] = {}
    for g in rows:
        groups.setdefault(g.office_name, []).append(g)
    return list(groups.items())


def render_guidance_text(report: GuidanceReport, *, color: bool = False, columns: int | None = None) -> str:
    """Per office, the points that need guidance (overdue, due soon); recent ones only counted.
    Level, then 社会关注度, then the worst first (:func:`fxfk.tasks.guidance.guidance_statuses`)."""
    out = [_guidance_header(report)]
    attention = [g for g in report.rows if g.status is not TaskState.pending]
    id_w = max((width(g.risk_id) for g in attention), default=0)
    for office, rows in _by_office(report.rows):
        need = [g for g in rows if g.status is not TaskState.pending]
        out += ["", f"{terminal(office)}（需指导 {len(need)} / 已公布 {len(rows)}）" + ("：均未到期" if not need else "：")]
        for g in need:
            out.append(
                f"  {_mark(g.status, color)}  {g.level.label}  {pad(terminal(g.risk_id), id_w)}  {terminal(g.title)}"
                f"{_attention(g)} — {_detail(g)}"
            )
    if not report.rows:
        out += ["", "没有已公布的风险点。"]
    out += ["", _guidance_summary(report.rows)]
    if report.note:
        out.append(report.note)
    return fit("\n".join(out) + "\n", columns)


def render_guidance_markdown(report: GuidanceReport, *, color: bool = False) -> str:
    out = [f"## {_guidance_header(report)}"]
    for office, rows in _by_office(report.rows):
        out += ["", f"### {md(office)}", "", "| 等级 | 社会关注度 | 编号 | 违法风险点 | 上次指导 | 应指导日期 | 状态 |",
                "|---|---|---|---|---|---|---|"]
        for g in rows:
            last = g.last_guidance.isoformat() if g.last_guidance else "从未"
            attention = g.attention.label if g.attention else "—"
            out.append(
                f"| {g.level.label} | {attention} | {md(g.risk_id)} | {md(g.title)} | {last} | {g.due.isoformat()} | "
                f"{g.status.mark[0]} {status_label(g.status)} |"
            )
    if not report.rows:
        out += ["", "没有已公布的风险点。"]
    out += ["", _guidance_summary(report.rows)]
    if report.note:
        out += ["", f"> {report.note}"]
    return "\n".join(out) + "\n"


def _flat_json(rows: Sequence[dict[str, Any]]) -> str:
    """``json.dumps(rows, ensure_ascii=False, indent=2)`` for non-empty dicts of strings and None, byte for
    byte: with indent, json falls back to its pure-Python encoder (~1 s for 150,000 points); here each
    string goes through the same C escaping function and the layout is joined once."""
    if not rows:
        return "[]"
    enc = json.encoder.encode_basestring  # what json.dumps uses when ensure_ascii=False

    def value(v: object) -> str:
        return "null" if v is None else enc(v) if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    return "[\n" + ",\n".join(
        "  {\n" + ",\n".join(f"    {enc(k)}: {value(v)}" for k, v in row.items()) + "\n  }" for row in rows
    ) + "\n]"


def render_guidance_json(report: GuidanceReport, *, color: bool = False) -> str:
    return json_text(_flat_json([g.as_json() for g in report.rows])) + "\n"


TASK_RENDERERS = {"text": render_tasks_text, "json": render_tasks_json, "markdown": render_tasks_markdown}
GUIDANCE_RENDERERS = {"text": render_guidance_text, "json": render_guidance_json, "markdown": render_guidance_markdown}


def render(report: TaskReport | GuidanceReport, fmt: str, *, color: bool = False, columns: int | None = None) -> str:
    """``report`` in ``fmt``; only text is wrapped to ``columns`` (files and machines get whole lines)."""
    if fmt == "text":
        if isinstance(report, GuidanceReport):
            return render_guidance_text(report, color=color, columns=columns)
        return render_tasks_text(report, color=color, columns=columns)
    if isinstance(report, GuidanceReport):
        return GUIDANCE_RENDERERS[fmt](report, color=color)
    return TASK_RENDERERS[fmt](report, color=color)
