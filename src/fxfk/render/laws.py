"""``fxfk laws`` as text, Markdown and JSON, from a :class:`fxfk.rules.law_report.LawReport`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fxfk.models import Law
from fxfk.render.escaping import json_text, md, terminal
from fxfk.render.text import fit
from fxfk.rules.law_names import display_name, quoted_names
from fxfk.rules.law_report import ChangeKind, LawChange, LawEntry, LawReport, PointRef
from fxfk.rules.laws import state_label, successor_phrase


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _point_dict(p: PointRef, day: dt.date) -> dict[str, Any]:
    return {
        "office": p.office,
        "office_name": p.office_name,
        "risk": p.risk,
        "title": p.title,
        "status": p.status.label,
        "batch": p.batch,
        "batch_date": _iso(p.batch_date),
        "public": p.public_on(day),
        "citations": [{"role": c.role.label, "article": c.article, "number": c.number} for c in p.citations],
    }


def _law_dict(e: LawEntry, day: dt.date) -> dict[str, Any]:
    item = e.law
    return {
        "name": e.name,
        "number": item.number,
        "rank": item.rank.label,
        "issuer": item.issuer,
        "effective": _iso(item.effective),
        "repealed": _iso(item.repealed),
        "replaced_by": display_name(item.replaced_by) if item.replaced_by else None,
        "amended": [a.isoformat() for a in item.amended],
        "state": state_label(item, day),
        "points": [_point_dict(p, day) for p in e.points],
    }


def _change_dict(c: LawChange) -> dict[str, Any]:
    repealed = c.kind is ChangeKind.repealed
    return {
        "date": c.date.isoformat(),
        "law": display_name(c.law.name),
        "change": c.kind.label,
        "replaced_by": display_name(c.law.replaced_by) if repealed and c.law.replaced_by else None,
        "points": [{"office": p.office, "risk": p.risk, "batch_date": _iso(p.batch_date)} for p in c.points],
    }


def report_dict(report: LawReport) -> dict[str, Any]:
    day = report.day
    return {
        "date": day.isoformat(),
        "catalogue": report.catalogue,
        "laws": [_law_dict(e, day) for e in report.laws],
        "uncatalogued": [
            {"name": e.name, "suggestions": e.suggestions, "points": [_point_dict(p, day) for p in e.points]}
            for e in report.uncatalogued
        ],
        "upcoming": [_change_dict(c) for c in report.upcoming],
        "review": [
            {"office": p.office, "risk": p.risk, "batch_date": _iso(p.batch_date), "law": display_name(c.law.name),
             "change": c.kind.label, "date": c.date.isoformat(), "message": _review_message(c)}
            for p, c in report.review
        ],
    }


def render_json(report: LawReport) -> str:
    return json_text(json.dumps(report_dict(report), ensure_ascii=False, indent=2)) + "\n"


def _review_message(c: LawChange) -> str:
    if c.kind is ChangeKind.repealed:
        return f"公布后被引用的法规已于 {c.date} 废止{successor_phrase(c.law)}，公开清单上的依据已失效 — 请改引新的依据或将风险点废止"
    return f"公布后被引用的法规已于 {c.date} 修订 — 请复核条款序号和内容"


def _law_facts(item: Law, day: dt.date) -> str:
    facts = [item.rank.label]
    if item.issuer:
        facts.append(item.issuer)
    if item.effective:
        facts.append(f"{item.effective} 起施行")
    if item.amended:
        facts.append("修订：" + "、".join(a.isoformat() for a in item.amended))
    if item.repealed:
        facts.append(f"{item.repealed} 废止{successor_phrase(item)}")
    facts.append(state_label(item, day))
    return " · ".join(facts)


def _title(name: str, number: str | None) -> str:
    return f"《{name}》" + (f"（{number}）" if number else "")


def _articles(p: PointRef) -> str:
    """违法依据 第七条；处罚依据 第三十六条、第三十七条 — articles grouped by role, first-seen order."""
    by_role: dict[str, list[str]] = {}
    for c in p.citations:
        articles = by_role.setdefault(c.role.label, [])
        if c.article not in articles:
            articles.append(c.article)
    return "；".join(f"{role} {'、'.join(articles)}" for role, articles in by_role.items())


def _point_line(p: PointRef, day: dt.date) -> str:
    when = ""
    if p.batch_date:
        planned = "" if p.public_on(day) or not p.published else "计划于 "
        when = f"，{planned}{p.batch_date} 第{p.batch}批"
    return f"{p.office} {p.risk}（{p.status.label}{when}）{_articles(p)}"


def _change_line(c: LawChange) -> str:
    repealed = c.kind is ChangeKind.repealed
    what = f"废止{successor_phrase(c.law)}" if repealed else "修订"
    head = f"{c.date} 《{display_name(c.law.name)}》{what}"
    if not c.points:
        return f"{head}：没有已公布的风险点受影响"
    ids = "、".join(f"{p.office} {p.risk}" for p in c.points)
    if repealed:
        return f"{head}：届时 {len(c.points)} 个已公布的风险点将引用已废止的法规 — {ids}"
    return f"{head}：届时 {len(c.points)} 个已公布的风险点需复核 — {ids}"


def render_text(report: LawReport, columns: int | None = None) -> str:
    """The catalogue as text, wrapped to ``columns`` (None: not wrapped)."""
    # Law names, offices and ids come from the data: a terminal must not act on them.
    return fit(terminal(_render_text(report)), columns)


def _render_text(report: LawReport) -> str:
    day = report.day
    out: list[str] = []
    where = report.catalogue or "没有 data/laws.yaml，下面只列出登记册引用的法规"
    if report.unused_only:
        out.append(f"法规目录中没有风险点引用的法规（{where}，按 {day} 计）：{len(report.laws)} 部")
    else:
        out.append(f"法规目录（{where}，按 {day} 计）：{len(report.laws)} 部")
    for e in report.laws:
        out += ["", _title(e.name, e.law.number), "  " + _law_facts(e.law, day)]
        if not report.unused_only:
            out.append(f"  引用它的风险点：{len(e.points)} 个" if e.points else "  没有风险点引用")
            out += ["    " + _point_line(p, day) for p in e.points]
    if report.uncatalogued:
        out += ["", f"目录中没有的法规：{len(report.uncatalogued)} 部（无法核对效力，请加入 data/laws.yaml）"]
        for u in report.uncatalogued:
            near = f" — 最接近的目录名称：{quoted_names(u.suggestions)}" if u.suggestions else ""
            out += ["", f"《{u.name}》{near}", f"  引用它的风险点：{len(u.points)} 个"]
            out += ["    " + _point_line(p, day) for p in u.points]
    if not report.unused_only:
        out += ["", f"{day} 之后已知的变化："]
        out += ["  " + _change_line(c) for c in report.upcoming] or [f"  （目录中没有 {day} 之后的废止或修订日期）"]
        out += ["", f"公布后依据有变化、需要复核的风险点（截至 {day}）："]
        out += [f"  {p.office} {p.risk}（{p.batch_date} 公布）《{display_name(c.law.name)}》：{_review_message(c)}"
                for p, c in report.review] or ["  （没有）"]
    return "\n".join(out) + "\n"


def render_markdown(report: LawReport) -> str:
    # Every data-derived text in the Markdown output is shown literally (md).
    day = report.day
    title = "法规目录中没有风险点引用的法规" if report.unused_only else "法律法规目录及引用情况"
    out = [f"# {title}", "", f"按 {day} 计；目录：{md(report.catalogue or '（没有 data/laws.yaml）')}"]
    head = ["| 单位 | 风险点 | 状态 | 公布日期 | 依据条款 |", "|---|---|---|---|---|"]

    def rows(points: list[PointRef]) -> list[str]:
        return [
            f"| {md(p.office)} | {md(p.risk)} | {p.status.label} | {_iso(p.batch_date) or ''} | "
            + md(_articles(p)) + " |"
            for p in points
        ]

    for e in report.laws:
        out += ["", f"## {md(_title(e.name, e.law.number))}", "", md(_law_facts(e.law, day))]
        if not report.unused_only:
            out += ["", *head, *rows(e.points)] if e.points else ["", "没有风险点引用。"]
    if report.uncatalogued:
        out += ["", "## 目录中没有的法规"]
        for u in report.uncatalogued:
            near = f"（最接近的目录名称：{quoted_names(u.suggestions)}）" if u.suggestions else ""
            out += ["", f"### 《{md(u.name)}》{md(near)}", "", *head, *rows(u.points)]
    if not report.unused_only:
        out += ["", f"## {day} 之后已知的变化", ""]
        out += [f"- {md(_change_line(c))}" for c in report.upcoming] or ["没有已知的废止或修订日期。"]
        out += ["", "## 公布后依据有变化、需要复核的风险点", ""]
        out += [f"- {md(p.office)} {md(p.risk)}（{p.batch_date} 公布）《{md(display_name(c.law.name))}》：{md(_review_message(c))}"
                for p, c in report.review] or ["没有。"]
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
