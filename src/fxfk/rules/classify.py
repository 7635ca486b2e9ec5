"""`fxfk classify` as a library: explain every point's level, warn, and render the result.

For every risk point: the level 附件1 一 gives (:func:`fxfk.rules.levels.explain`), the clause that decided
it in the notice's own words, the facts that triggered it, the declared level and whether they agree,
disagree, or disagree with a ``level_reason``. Hotspot warnings and cross-office inconsistencies come
from :mod:`fxfk.rules.hotspots`; fixing the files is :mod:`fxfk.edit.level_lines`.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError
from fxfk.load.repository import Repository, load_repository
from fxfk.models import Level, Register
from fxfk.render.escaping import csv_cell, json_text, md, terminal
from fxfk.rules.hotspots import (
    Cluster,
    HotspotWarning,
    Inconsistency,
    Point,
    clusters,
    hotspot_warnings,
    inconsistencies,
    latest_year,
    points_of,
)
from fxfk.rules.levels import Explanation, explain, fact_value
from fxfk.rules.validation import ValidationResult, validate_repository

AGREES, EXPLAINED, DISAGREES, MISSING = "agrees", "explained", "disagrees", "missing"
STATUS_LABEL = {AGREES: "一致", EXPLAINED: "有说明", DISAGREES: "不一致", MISSING: "未填写"}

# Findings that are this command's own subject: they are reported (and fixed by --write), not refused.
_LEVEL_PATH = re.compile(r"risks\[(\d+)\]\.level")
_OWN_CODES = {"level-mismatch", "medium-in-two-levels"}
_MISSING_CODES = {"missing-field", "bad-enum"}
_BLOCKING_CODES = {"duplicate-risk-id", "duplicate-office-id"}


def _is_own(d: Diagnostic) -> bool:
    if d.code in _OWN_CODES:
        return d.path.endswith(".level")
    return d.code in _MISSING_CODES and bool(_LEVEL_PATH.fullmatch(d.path))


@dataclass(frozen=True, eq=False)
class Row:
    point: Point
    explanation: Explanation
    status: str
    invalid: str = ""  # why the declared value cannot stand even with a reason (two-level mode)

    @property
    def risk(self):
        return self.point.risk

    @property
    def declared(self) -> Level | None:
        return self.point.declared

    @property
    def computed(self) -> Level:
        return self.explanation.level

    @property
    def ok(self) -> bool:
        return self.status in (AGREES, EXPLAINED)

    @property
    def needs_write(self) -> bool:
        return not self.ok


@dataclass
class Classification:
    repo: Repository
    levels: int
    rows: list[Row]  # after filters
    year: int | None  # latest year with cases, city-wide
    warnings: list[HotspotWarning]  # for the rows shown
    inconsistencies: list[Inconsistency]  # touching the rows shown
    by_domain: list[Cluster] = field(default_factory=list)
    by_office: list[Cluster] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


# --- loading ----------------------------------------------------------------------------------


def load(root: Path) -> tuple[Repository, set[tuple[str, int]], list[Diagnostic]]:
    """The repository, the points whose level is missing or invalid, and the errors that block.

    A register whose only errors are missing or invalid ``level`` values is still classified (that is
    what ``--write`` fills in): it is validated with a placeholder level, and those points are
    remembered as undeclared. Any other error blocks, since the table would silently miss points.
    """
    repo = load_repository(root)
    if not repo.files:
        raise FxfkError(f"“{root}”中没有找到数据文件（fxfk.yaml、data/risks/*.yaml、data/tasks/*.yaml）")
    undeclared: set[tuple[str, int]] = set()
    for src in repo.registers:
        loaded = src.loaded
        if src.model is not None or loaded.data is None:
            continue
        errors = [d for d in loaded.diagnostics if d.severity == "error"]
        if not errors or not all(d.code in _MISSING_CODES and _LEVEL_PATH.fullmatch(d.path) for d in errors):
            continue
        patched = copy.deepcopy(loaded.data)
        indexes = {int(_LEVEL_PATH.fullmatch(d.path)[1]) for d in errors}
        try:
            for i in indexes:
                patched["risks"][i]["level"] = "high"
            src.model = Register.model_validate(patched)
        except (ValidationError, KeyError, IndexError, TypeError):
            continue
        undeclared |= {(src.rel, i) for i in indexes}
    # Only what would make the table wrong blocks: a register or fxfk.yaml that cannot be read (its
    # points would silently be missing, or the number of levels would be wrong) and ambiguous ids.
    # Everything else (task tables, consultation records …) is fxfk validate's business.
    unreadable = {src.rel for src in repo.registers if src.model is None}
    if repo.settings_file is not None and repo.settings_file.model is None:
        unreadable.add(repo.settings_file.rel)
    result = validate_repository(repo)
    blocking = [
        d for d in result.diagnostics
        if d.severity == "error" and not _is_own(d) and (d.file in unreadable or d.code in _BLOCKING_CODES)
    ]
    return repo, undeclared, blocking


def blocking_report(repo: Repository, blocking: list[Diagnostic]) -> str:
    from fxfk.render.diagnostics import render_text

    head = "以下错误使 fxfk classify 无法可靠地分级（风险点会被漏掉或无法区分）；请先修正（fxfk validate 可查看全部问题）：\n\n"
    return head + render_text(ValidationResult(repo, len(repo.files), blocking))


# --- classification ---------------------------------------------------------------------------


def classify_point(point: Point, levels: int) -> Row:
    why = explain(point.risk.factors, levels)
    declared = point.declared
    if declared is None:
        return Row(point, why, MISSING)
    if levels == 2 and declared is Level.medium:
        return Row(point, why, DISAGREES, "两级划分（levels: 2）不能使用“中”")
    if declared is why.level:
        return Row(point, why, AGREES)
    if point.risk.level_reason.strip():
        return Row(point, why, EXPLAINED)
    return Row(point, why, DISAGREES)


def parse_level(text: str, levels: int) -> Level:
    level = Level.lookup().get(text.strip())
    if level is None:
        raise FxfkError(f"--level“{text}”无效；可用的值：{Level.describe()}")
    if levels == 2 and level is Level.medium:
        raise FxfkError("fxfk.yaml 设定为两级划分（levels: 2，只分高、低），--level 不能是“中”")
    return level


def classify(
    repo: Repository,
    undeclared: set[tuple[str, int]] = frozenset(),
    offices: list[str] | None = None,
    level: str | None = None,
    domain: str | None = None,
) -> Classification:
    levels = repo.settings.levels
    points = [
        Point(p.source, p.index, p.risk, None if (p.source.rel, p.index) in undeclared else p.declared)
        for p in points_of(repo)
    ]
    known_offices = sorted({p.office_id for p in points} | {s.model.office.id for s in repo.valid_registers()})
    if offices:
        unknown = [o for o in offices if o not in known_offices]
        if unknown:
            raise FxfkError(
                f"没有单位“{'、'.join(unknown)}”的登记册；已有单位：{'、'.join(known_offices) or '（无）'}"
            )
    wanted_level = parse_level(level, levels) if level is not None else None
    if domain is not None:
        domains = sorted({p.risk.domain.strip() for p in points})
        if domain.strip() not in domains:
            raise FxfkError(f"没有领域为“{domain}”的风险点；已有领域：{'、'.join(domains) or '（无）'}")

    rows = []
    for p in points:
        if offices and p.office_id not in offices:
            continue
        if domain is not None and p.risk.domain.strip() != domain.strip():
            continue
        row = classify_point(p, levels)
        # A point shows under --level L when either its declared or its rule level is L, so that a
        # disagreement is seen from both sides.
        if wanted_level is not None and wanted_level not in (row.declared, row.computed):
            continue
        rows.append(row)

    shown = {id(r.point) for r in rows}
    # Rankings and consistency are city-wide; only what concerns the shown points is reported.
    warnings = [w for w in hotspot_warnings(points, repo.settings.hotspot) if id(w.point) in shown]
    groups = [g for g in inconsistencies(points) if any(id(m) in shown for m in g.members)]
    year = latest_year(points)
    result = Classification(repo, levels, rows, year, warnings, groups)
    if year is not None:
        selected = [r.point for r in rows]
        result.by_domain = clusters(selected, year, "domain", repo.settings.hotspot)
        result.by_office = clusters(selected, year, "office", repo.settings.hotspot)
    return result


# --- wording ----------------------------------------------------------------------------------


def level_label(level: Level | None) -> str:
    return level.label if level is not None else "—"


def facts_text(row: Row, facts=None) -> str:
    facts = row.explanation.facts if facts is None else facts
    factors = row.risk.factors
    parts = []
    for f in facts:
        value = fact_value(factors, f)
        parts.append(f"{f.field}: {value}" if f.field == "hotspot" else f.field)
    return "、".join(parts)


def verdict(row: Row) -> str:
    """One sentence: how the declared level relates to the rules' level."""
    computed = row.computed.label
    if row.status == AGREES:
        return f"申报等级“{computed}”与规则一致"
    if row.status == MISSING:
        return f"没有填写有效的 level；按规则应为“{computed}”"
    if row.invalid:
        return f"申报等级“{row.declared.label}”无效：{row.invalid}；按规则应为“{computed}”"
    if row.status == EXPLAINED:
        return f"申报等级“{row.declared.label}”与规则等级“{computed}”不同，已在 level_reason 中说明：{row.risk.level_reason.strip()}"
    return f"申报等级“{row.declared.label}”与规则等级“{computed}”不同，且没有 level_reason：请改为“{computed}”，或说明理由"


def explanation_lines(row: Row) -> list[str]:
    """The explanation of one point: winning clause and its facts, clauses overridden, verdict."""
    why = row.explanation
    lines = [f"{row.risk.id} 规则等级“{why.level.label}”，依据{why.clause.ref}："]
    if why.facts:
        for f in why.facts:
            lines.append(f"    「{f.wording}」——{facts_text(row, (f,))}")
    else:
        lines.append(f"    「{why.clause.wording}」——没有设定高风险或低风险的定级事实")
    for clause, facts in why.applicable[1:]:
        lines.append(
            f"    同时符合{clause.ref}（{facts_text(row, facts)}），但高风险条款优先，不采用"
        )
    lines.append(f"    {verdict(row)}")
    return lines


# --- CJK-aware columns ------------------------------------------------------------------------


def width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(header: list[str], body: list[list[str]], indent: str = "  ", right: set[int] = frozenset()) -> list[str]:
    widths = [max(width(r[i]) for r in [header, *body]) for i in range(len(header))]
    out = []
    for r in [header, *body]:
        cells = []
        for i, cell in enumerate(r):
            fill = " " * (widths[i] - width(cell))
            cells.append(fill + cell if i in right else cell + fill)
        out.append((indent + "  ".join(cells)).rstrip())
    return out


# --- counts -----------------------------------------------------------------------------------


def level_columns(levels: int) -> list[Level]:
    return [Level.high, Level.low] if levels == 2 else [Level.high, Level.medium, Level.low]


def office_groups(rows: list[Row]) -> list[tuple[Point, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.point.source.rel, []).append(r)
    return [(rs[0].point, rs) for _, rs in sorted(groups.items())]


def counts_header(levels: int) -> list[str]:
    cols = level_columns(levels)
    return (
        ["单位", "风险点"]
        + [f"申报{l.label}" for l in cols]
        + ["未填写"]
        + [f"规则{l.label}" for l in cols]
        + ["不一致"]
    )


def counts_row(name: str, rows: list[Row], levels: int) -> list[str]:
    cols = level_columns(levels)
    return (
        [name, str(len(rows))]
        + [str(sum(1 for r in rows if r.declared is l)) for l in cols]
        + [str(sum(1 for r in rows if r.status == MISSING))]
        + [str(sum(1 for r in rows if r.computed is l)) for l in cols]
        + [str(sum(1 for r in rows if not r.ok))]
    )


def summary_line(c: Classification) -> str:
    return (
        f"共 {len(c.rows)} 个风险点：一致 {c.count(AGREES)}，有说明 {c.count(EXPLAINED)}，"
        f"不一致 {c.count(DISAGREES)}，未填写 {c.count(MISSING)}；"
        f"自动预警 {len(c.warnings)} 条，跨单位定级不一致 {len(c.inconsistencies)} 组"
    )


def rule_line(c: Classification) -> str:
    s = c.repo.settings.hotspot
    return (
        f"预警规则（fxfk.yaml hotspot）：{c.year}年案件数全市前 {s.top} 名且不少于 {max(s.min_cases, 1)} 件，"
        f"或达到{c.year - 1 if c.year else ''}年的 {s.rise_ratio:g} 倍且不少于 {max(s.min_cases, 1)} 件，"
        "而没有标记易发、高发、多发（factors.hotspot）"
    )


def cluster_body(items: list[Cluster], year: int) -> tuple[list[str], list[list[str]]]:
    header = ["名称", "风险点", "已标记高发", f"{year - 1}年", f"{year}年", "占比", "同比"]
    body = []
    for cl in items:
        body.append(
            [
                cl.name, str(cl.points), str(cl.marked), str(cl.previous), str(cl.latest),
                f"{cl.share * 100:.0f}%", "明显上升" if cl.rising else "",
            ]
        )
    return header, body


# --- renderers --------------------------------------------------------------------------------


def render_text(c: Classification) -> str:
    # Titles, names and file names come from the data: a terminal must not act on them.
    return terminal(_render_text(c))


def _render_text(c: Classification) -> str:
    out: list[str] = []
    header = ["ID", "违法风险点", "申报等级", "规则等级", "依据条款", "结论"]
    if not c.rows:
        out.append("没有符合条件的风险点")
    for point, rows in office_groups(c.rows):
        out.append(f"{point.office_name}（{point.office_id}，{point.source.rel}）")
        body = [
            [r.risk.id, r.risk.title, level_label(r.declared), r.computed.label, r.explanation.clause.ref,
             STATUS_LABEL[r.status]]
            for r in rows
        ]
        out += table(header, body)
        out.append("")
        out.append("  定级说明：")
        for r in rows:
            line, column = r.point.locate("level")
            lines = explanation_lines(r)
            if not r.ok:
                lines[-1] += f"（{r.point.source.rel}:{line}:{column}）"
            out += ["  " + s for s in lines]
        counts = dict(zip(counts_header(c.levels), counts_row("", rows, c.levels)))
        cols = level_columns(c.levels)
        out.append(
            "  等级统计：申报 " + "、".join(f"{l.label} {counts['申报' + l.label]}" for l in cols)
            + (f"、未填写 {counts['未填写']}" if counts["未填写"] != "0" else "")
            + "；规则 " + "、".join(f"{l.label} {counts['规则' + l.label]}" for l in cols)
        )
        out.append("")
    if c.rows:
        out.append("全市等级统计")
        body = [counts_row(p.office_name, rs, c.levels) for p, rs in office_groups(c.rows)]
        body.append(counts_row("合计", c.rows, c.levels))
        out += table(counts_header(c.levels), body, right=set(range(1, len(body[0]))))
        out.append("")
    out += _warnings_text(c)
    out.append(summary_line(c))
    return "\n".join(out) + "\n"


def _warnings_text(c: Classification) -> list[str]:
    out = ["自动预警（附件1 二（五））"]
    if c.year is None:
        out += ["  没有案件数据（risks[].cases），无法预警", ""]
        return out
    out.append("  " + rule_line(c))
    if not c.warnings:
        out.append("  没有需要预警的风险点")
    previous = None
    for w in c.warnings:
        line, column = w.point.locate("cases")
        if w.point is not previous:  # both rules may fire for one point: name it once
            out.append(f"  {w.point.risk.id}（{w.point.office_name}）{w.point.risk.title}（{w.point.source.rel}:{line}:{column}）")
            previous = w.point
        out.append(f"    {w.message}")
    out.append("")
    for title, items in ((f"按行业（领域）汇总 {c.year} 年案件", c.by_domain), (f"按地域（单位）汇总 {c.year} 年案件", c.by_office)):
        out.append(title)
        header, body = cluster_body(items, c.year)
        out += table(header, body, right={1, 2, 3, 4, 5})
        out.append("")
    out.append("跨单位定级一致性")
    if not c.inconsistencies:
        out.append("  没有发现同一违法行为在不同单位定级不同")
    for g in c.inconsistencies:
        out.append(f"  处罚依据 {'、'.join(g.articles)}：")
        for p in g.members:
            line, column = p.locate("level")
            out.append(f"    {p.office_name}（{p.office_id}）{p.risk.id} {p.risk.title}：{level_label(p.declared)}（{p.source.rel}:{line}:{column}）")
    out.append("")
    return out


def _warning_items(c: Classification, row: Row) -> list[dict]:
    items = [{"code": w.code, "message": w.message} for w in c.warnings if w.point is row.point]
    items += [
        {"code": "inconsistent-level", "message": g.message}
        for g in c.inconsistencies
        if any(m is row.point for m in g.members)
    ]
    return items


def as_dict(c: Classification, r: Row) -> dict:
    line, column = r.point.locate("level")
    return {
        "office": r.point.office_id,
        "id": r.risk.id,
        "title": r.risk.title,
        "declared": r.declared.value if r.declared is not None else None,
        "computed": r.computed.value,
        "clause": r.explanation.clause.ref,
        "facts": [f.field for f in r.explanation.facts],
        "agrees": r.declared is r.computed,
        "status": r.status,
        "clause_text": r.explanation.clause.wording,
        "overridden": [f.field for f in r.explanation.overridden],
        "level_reason": r.risk.level_reason.strip(),
        "domain": r.risk.domain,
        "file": r.point.source.rel,
        "line": line,
        "warnings": _warning_items(c, r),
    }


def render_json(c: Classification) -> str:
    return json_text(json.dumps([as_dict(c, r) for r in c.rows], ensure_ascii=False, indent=2)) + "\n"


CSV_HEADER = ["单位标识", "单位", "编号", "违法风险点", "领域", "申报等级", "规则等级", "依据条款", "定级事实", "结论", "预警"]


def render_csv(c: Classification) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in c.rows:
        writer.writerow(
            csv_cell(v)  # no cell may become a live formula in Excel
            for v in [
                r.point.office_id, r.point.office_name, r.risk.id, r.risk.title, r.risk.domain,
                level_label(r.declared), r.computed.label, r.explanation.clause.ref, facts_text(r),
                STATUS_LABEL[r.status], "；".join(w["code"] for w in _warning_items(c, r)),
            ]
        )
    # A BOM so that Excel on Windows, where these tables are opened, reads the text as UTF-8.
    return "\ufeff" + buf.getvalue()


_md = md  # every data-derived text in the Markdown report is shown literally


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md(x) for x in r) + " |" for r in body]
    return out


def render_markdown(c: Classification) -> str:
    out = ["# 风险等级核对（fxfk classify）", ""]
    for point, rows in office_groups(c.rows):
        out += [f"## {_md(point.office_name)}（{_md(point.office_id)}）", ""]
        body = [
            [r.risk.id, r.risk.title, level_label(r.declared), r.computed.label,
             f"{r.explanation.clause.ref}「{r.explanation.clause.wording}」", facts_text(r) or "—", STATUS_LABEL[r.status]]
            for r in rows
        ]
        out += _md_table(["ID", "违法风险点", "申报等级", "规则等级", "依据条款", "定级事实", "结论"], body)
        out.append("")
        notes = [f"- {_md(verdict(r))}（{_md(r.risk.id)}）" for r in rows if r.status != AGREES]
        if notes:
            out += notes + [""]
    if c.rows:
        out += ["## 全市等级统计", ""]
        body = [counts_row(p.office_name, rs, c.levels) for p, rs in office_groups(c.rows)]
        body.append(counts_row("合计", c.rows, c.levels))
        out += _md_table(counts_header(c.levels), body) + [""]
    out += ["## 自动预警", ""]
    if c.year is None:
        out += ["没有案件数据（risks[].cases），无法预警。", ""]
    else:
        out += [rule_line(c) + "。", ""]
        out += [f"- **{_md(w.point.risk.id)}**（{_md(w.point.office_name)}）{_md(w.point.risk.title)}：{_md(w.message)}" for w in c.warnings]
        if not c.warnings:
            out.append("没有需要预警的风险点。")
        out.append("")
        for title, items in ((f"### 按行业（领域）汇总 {c.year} 年案件", c.by_domain), (f"### 按地域（单位）汇总 {c.year} 年案件", c.by_office)):
            header, body = cluster_body(items, c.year)
            out += [title, ""] + _md_table(header, body) + [""]
    out += ["## 跨单位定级一致性", ""]
    if not c.inconsistencies:
        out += ["没有发现同一违法行为在不同单位定级不同。", ""]
    for g in c.inconsistencies:
        out.append(f"- 处罚依据 {_md('、'.join(g.articles))}：" + "；".join(
            f"{_md(p.office_name)} {_md(p.risk.id)} {level_label(p.declared)}" for p in g.members))
    if c.inconsistencies:
        out.append("")
    out.append(summary_line(c))
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv, "markdown": render_markdown}


def render_edits(edits, fmt: str) -> str:
    """What ``--write`` changed: one line per level, or a JSON list for scripts."""
    if fmt == "json":
        return json_text(json.dumps(
            [
                {
                    "file": e.change.rel, "line": e.line, "id": e.change.risk_id,
                    "from": e.change.old.value if e.change.old is not None else None,
                    "to": e.change.new.value, "inserted": e.inserted,
                }
                for e in edits
            ],
            ensure_ascii=False, indent=2,
        )) + "\n"
    if not edits:
        return "没有需要修改的等级：所有申报等级都与规则一致或已在 level_reason 中说明\n"
    out = []
    for e in edits:
        if e.change.old is None:
            old = "（未填写）" if e.inserted else "（无效值）"
        else:
            old = f"“{e.change.old.label}”"
        how = "补写" if e.inserted else "修改"
        out.append(f"{e.change.rel}:{e.line}: {how} {e.change.risk_id} 的 level：{old} → “{e.change.new.label}”")
    files = len({e.change.rel for e in edits})
    out.append(f"已修改 {files} 个文件中的 {len(edits)} 处等级；文件的其他内容未改动")
    return terminal("\n".join(out)) + "\n"
