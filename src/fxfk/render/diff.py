"""``fxfk diff`` as text, Markdown (a pull-request comment) and JSON.

Each renderer takes the comparison's result, a :class:`fxfk.diff.report.DiffReport`, and returns
text. Decisions are made on its enum members; their values appear only as the JSON's tokens.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from fxfk.diff.report import (
    Change,
    DiffReport,
    ListChange,
    PointChange,
    PointSummary,
    SideSummary,
    TaskTableChange,
)
from fxfk.render.escaping import json_text, md_code, terminal
from fxfk.render.escaping import md as md_text
from fxfk.render.text import fit
from fxfk.rules.levels import Explanation

_CHANGE = {Change.added: "新增", Change.removed: "删除", Change.changed: "修改"}


def _clause(why: Explanation) -> dict[str, Any]:
    return {"level": why.level.label, "ref": why.clause.ref, "wording": why.clause.wording,
            "facts": [f.field for f in why.facts]}


def _list(ch: ListChange) -> dict[str, Any]:
    return {"added": ch.added, "removed": ch.removed, "edited": ch.edited}


def _summary(p: PointSummary) -> dict[str, Any]:
    return {"id": p.id, "office": p.office, "title": p.title, "level": p.level.label, "status": p.status.label,
            "public": p.public}


def _point_change(c: PointChange) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "office": c.office, "title": c.title}
    if c.level is not None:
        lv = c.level
        out["level"] = {"old": lv.old.label, "new": lv.new.label, "lowered": lv.lowered, "old_clause": _clause(lv.old_clause),
                        "new_clause": _clause(lv.new_clause), "level_reason": lv.level_reason}
    if c.status is not None:
        out["status"] = {"old": c.status.old.label, "new": c.status.new.label}
    if c.public is not None:
        out["public"] = {"old": c.public.old, "new": c.public.new}
    if c.basis is not None:
        out["basis"] = _list(c.basis)
    if c.measures is not None:
        out["measures"] = _list(c.measures)
    if c.fields:
        out["fields"] = c.fields
    return out


def _task_table(t: TaskTableChange) -> dict[str, Any]:
    rows = []
    for row in t.tasks:
        r: dict[str, Any] = {"id": row.id, "change": row.change.value, "text": row.text}
        if row.fields is not None:
            r["fields"] = {f: {"old": v.old, "new": v.new} for f, v in row.fields.items()}
        rows.append(r)
    return {"year": t.year, "change": t.change.value, "tasks": rows, "scoring": _list(t.scoring) if t.scoring else None}


def _side(s: SideSummary) -> dict[str, Any]:
    return {"label": s.label, "commit": s.commit, "valid": s.valid, "errors": s.errors, "unreadable": s.unreadable,
            "first_errors": [d.as_dict() for d in s.first_errors]}


def report_dict(report: DiffReport) -> dict[str, Any]:
    """The JSON document (its keys and their order are the output format)."""
    return {
        "base": _side(report.base),
        "head": _side(report.head),
        "date": report.date.isoformat(),
        "levels": {"base": report.levels.old, "head": report.levels.new},
        "offices": {"added": [{"id": o.id, "name": o.name} for o in report.offices_added],
                    "removed": [{"id": o.id, "name": o.name} for o in report.offices_removed]},
        "added": [_summary(p) for p in report.added],
        "removed": [_summary(p) | {"was_published": was} for p, was in report.removed],
        "retired": [_point_change(c) for c in report.retired],
        "changed": [_point_change(c) for c in report.changed],
        "becomes_public": report.becomes_public,
        "no_longer_public": report.no_longer_public,
        "batches": [
            {"office": b.office, "batch": b.batch, "change": b.change.value,
             "old_date": b.old_date.isoformat() if b.old_date else None,
             "new_date": b.new_date.isoformat() if b.new_date else None, "scheduled": b.scheduled}
            for b in report.batches
        ],
        "tasks": [_task_table(t) for t in report.tasks],
        "skipped_files": report.skipped_files,
        "fail_on": [r.value for r in report.fail_on],
        "violations": [{"rule": v.rule.value, "id": v.id, "message": v.message} for v in report.violations],
    }


def render_json(report: DiffReport) -> str:
    return json_text(json.dumps(report_dict(report), ensure_ascii=False, indent=2)) + "\n"


def _show(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):  # counts by activity kind: 「公布 1、宣传 1」, never the enum's repr
        return "、".join(f"{getattr(k, 'label', k)} {v}" for k, v in value.items())
    return str(getattr(value, "label", value))


def _lines(report: DiffReport, md: bool) -> list[str]:
    """The report as lines; Markdown and text differ only in headings, code spans and bullets.

    In Markdown (posted as a pull-request comment) every data-derived text goes through ``esc`` or
    ``code``; text output is made safe for a terminal as a whole by ``render_text``.
    """

    def code(s: str) -> str:
        return md_code(s) if md else s

    def head(s: str) -> str:
        return f"### {s}" if md else f"【{s}】"

    def esc(s: str) -> str:
        return md_text(s) if md else s

    day = report.date.isoformat()
    out: list[str] = []
    for s, name in ((report.base, "基准"), (report.head, "对比")):
        if not s.valid:
            out.append(f"⚠️ {name}版本 {s.label} 未通过校验：{s.errors} 个错误（前 {len(s.first_errors)} 个如下）。")
            for d in s.first_errors:
                out.append(f"  - {code(d.file + ':' + str(d.line) + ':' + str(d.column))} {esc(d.message)}")
        if s.unreadable:
            out.append(f"⚠️ {name}版本中以下文件无法读取，未参与比较：" + "、".join(code(f) for f in s.unreadable))
    if report.violations:
        out += ["", head("❌ 违反审查规则（--fail-on）")]
        out += [f"- {code(v.rule.value)} {esc(v.message)}" for v in report.violations]
    if report.becomes_public:
        out += ["", head(f"🔔 将对外公开（截至 {day}）"), "- " + "、".join(code(r) for r in report.becomes_public)]
    if report.no_longer_public:
        out += ["", head(f"不再公开（截至 {day}）"), "- " + "、".join(code(r) for r in report.no_longer_public)]
    if report.levels.old != report.levels.new:
        out += ["", head("设置"), f"- 风险等级级数：{report.levels.old} → {report.levels.new}"]
    if report.offices_added or report.offices_removed:
        out += ["", head("单位")]
        out += [f"- 新增单位 {code(o.id)} {esc(o.name)}" for o in report.offices_added]
        out += [f"- 删除单位 {code(o.id)} {esc(o.name)}" for o in report.offices_removed]
    if report.added:
        out += ["", head(f"新增风险点（{len(report.added)}）")]
        for p in report.added:
            out.append(f"- {code(p.id)}（{esc(p.office)}）{esc(p.title)} — {p.level.label}风险，{p.status.label}")
    if report.removed:
        out += ["", head(f"删除的风险点（{len(report.removed)}）")]
        for p, was_published in report.removed:
            note = "（⚠️ 原为已公布，应改为已废止而不是删除）" if was_published else ""
            out.append(f"- {code(p.id)}（{esc(p.office)}）{esc(p.title)} — 原为{p.level.label}风险，{p.status.label}{note}")
    if report.retired:
        out += ["", head(f"废止的风险点（{len(report.retired)}）")]
        for c in report.retired:
            change = f"{c.status.old.label} → {c.status.new.label}" if c.status is not None else "已废止"
            out.append(f"- {code(c.id)}（{esc(c.office)}）{esc(c.title)}：{change}")
    if report.changed:
        out += ["", head(f"修改的风险点（{len(report.changed)}）")]
        for c in report.changed:
            out.append(f"- {code(c.id)}（{esc(c.office)}）{esc(c.title)}")
            out += ["  " + line for line in _change_lines(c, code, esc)]
    if report.batches:
        out += ["", head("公布批次")]
        for b in report.batches:
            if b.change is Change.added:
                text = f"新增第{b.batch}批，公布日期 {b.new_date}"
                if b.scheduled:
                    text += f"（晚于 {day}，计划中，尚未公开）"
            elif b.change is Change.removed:
                text = f"删除第{b.batch}批（原公布日期 {b.old_date}）"
            else:
                text = f"第{b.batch}批公布日期 {b.old_date} → {b.new_date}"
            out.append(f"- {code(b.office)} {text}")
    if report.tasks:
        out += ["", head("年度工作任务表")]
        for t in report.tasks:
            out.append(f"- {t.year} 年任务表：{_CHANGE[t.change]}")
            for row in t.tasks:
                detail = ""
                if row.fields:
                    detail = "；" + "，".join(f"{f}：{_show(v.old)} → {_show(v.new)}" for f, v in row.fields.items())
                out.append(f"  - {_CHANGE[row.change]}任务 {code(row.id)} {esc(row.text)}{esc(detail)}")
            if t.scoring:
                out += [f"  - 新增加减分：{esc(s)}" for s in t.scoring.added]
                out += [f"  - 删除加减分：{esc(s)}" for s in t.scoring.removed]
    if report.empty:
        out += ["", "数据的内容没有变化。"]
    return out


def _change_lines(c: PointChange, code: Callable[[str], str], esc: Callable[[str], str]) -> list[str]:
    out = []
    if c.level is not None:
        lv = c.level
        arrow = "⬇️ 降低" if lv.lowered else "⬆️ 提高"
        out.append(f"- 风险等级：{lv.old.label} → {lv.new.label}（{arrow}）")
        for name, why in (("原", lv.old_clause), ("新", lv.new_clause)):
            facts = "、".join(code(f.field) for f in why.facts) or "无"
            out.append(f"  - {name}：按{esc(why.clause.cite())}应为{why.level.label}（定级事实：{facts}）")
        out.append(f"  - 定级说明：{esc(lv.level_reason)}" if lv.level_reason else "  - 定级说明：（未填写）")
    if c.status is not None:
        out.append(f"- 状态：{c.status.old.label} → {c.status.new.label}")
    if c.public is not None:
        out.append("- 🔔 由此对外公开" if c.public.new else "- 由此不再公开")
    for ch, name in ((c.basis, "依据"), (c.measures, "防控措施")):
        if ch is not None:
            out += [f"- 新增{name}：{esc(s)}" for s in ch.added]
            out += [f"- 删除{name}：{esc(s)}" for s in ch.removed]
            if ch.edited:
                out.append(f"- {name}的文字有修改")
    if c.fields:
        out.append("- 其他修改的字段：" + "、".join(code(f) for f in c.fields))
    return out


def _title(report: DiffReport) -> str:
    def name(s: SideSummary) -> str:
        return s.label + (f"（{s.commit[:12]}）" if s.commit and s.commit != s.label else "")

    return f"{name(report.base)} → {name(report.head)}"


def render_text(report: DiffReport, columns: int | None = None) -> str:
    """The comparison as text, wrapped to ``columns`` (None: not wrapped)."""
    title = f"fxfk diff：{_title(report)}"
    # Titles, messages and file names come from the data: a terminal must not act on them.
    return fit(terminal("\n".join([title, *_lines(report, md=False)]).rstrip()) + "\n", columns)


def render_markdown(report: DiffReport) -> str:
    title = f"## 风险点登记册变更：{_title(report)}"
    body = _lines(report, md=True)
    return "\n".join([title, "", *body]).rstrip().replace("\n\n\n", "\n\n") + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
