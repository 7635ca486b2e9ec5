"""`fxfk classify` as text, JSON, CSV and Markdown, and what ``--write`` changed.

Every renderer has the signature ``(result, *, color=False) -> str`` and is listed in
:data:`RENDERERS`, which the CLI indexes by ``--format``; none of them prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any

from fxfk.models import Level
from fxfk.render.escaping import csv_cell, json_text, md, terminal
from fxfk.render.text import fit, table
from fxfk.rules.classify import Classification, LevelStatus, Row, level_at, level_columns, office_groups
from fxfk.rules.hotspots import Cluster, Point
from fxfk.rules.levels import Fact, fact_value

# --- wording ----------------------------------------------------------------------------------


def level_label(level: Level | None) -> str:
    return level.label if level is not None else "—"


def facts_text(row: Row, facts: Sequence[Fact] | None = None) -> str:
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
    if row.status is LevelStatus.agrees:
        return f"申报等级“{computed}”与规则一致"
    if row.status is LevelStatus.missing:
        return f"没有填写有效的 level；按规则应为“{computed}”"
    declared = level_label(row.declared)
    if row.invalid:
        return f"申报等级“{declared}”无效：{row.invalid}；按规则应为“{computed}”"
    if row.status is LevelStatus.explained:
        return f"申报等级“{declared}”与规则等级“{computed}”不同，已在 level_reason 中说明：{row.risk.level_reason.strip()}"
    return f"申报等级“{declared}”与规则等级“{computed}”不同，且没有 level_reason：请改为“{computed}”，或说明理由"


def _explanation_rest(row: Row) -> list[str]:
    """A point's explanation after its first line: the winning clause's facts, clauses overridden, verdict."""
    why = row.explanation
    rest = ([f"    {f.quote()}——{facts_text(row, (f,))}" for f in why.facts] if why.facts
            else [f"    {why.clause.cite()}——没有设定高风险或低风险的定级事实"])
    rest += [f"    同时符合{clause.ref}（{facts_text(row, facts)}），但高风险条款优先，不采用"
             for clause, facts in why.applicable[1:]]
    rest.append(f"    {verdict(row)}")
    return rest


# --- counts -----------------------------------------------------------------------------------


def counts_header(levels: int) -> list[str]:
    cols = level_columns(levels)
    return ["单位", "风险点", *(f"申报{lv.label}" for lv in cols), "未填写", *(f"规则{lv.label}" for lv in cols), "不一致"]


def _count_values(rows: list[Row], levels: int) -> list[int]:
    declared = Counter(map(_DECLARED, rows))
    computed = Counter(map(_COMPUTED, rows))
    status = Counter(map(_STATUS, rows))
    wrong = sum(n for s, n in status.items() if not s.ok)
    cols = level_columns(levels)
    return [len(rows), *(declared[lv] for lv in cols), status[LevelStatus.missing], *(computed[lv] for lv in cols), wrong]


_DECLARED, _COMPUTED, _STATUS = attrgetter("point.declared"), attrgetter("explanation.level"), attrgetter("status")


def city_counts(c: Classification) -> tuple[list[tuple[Point, list[Row]]], list[list[str]]]:
    """The rows per office and the city-wide count table (each office counted once, then 合计, their sum)."""
    groups = office_groups(c.rows)
    values = [_count_values(rows, c.levels) for _, rows in groups]
    body = [[p.office_name, *map(str, v)] for (p, _), v in zip(groups, values)]
    return groups, body + [["合计", *(str(sum(col)) for col in zip(*values))]]


def summary_line(c: Classification) -> str:
    return (
        f"共 {len(c.rows)} 个风险点：一致 {c.count(LevelStatus.agrees)}，有说明 {c.count(LevelStatus.explained)}，"
        f"不一致 {c.count(LevelStatus.disagrees)}，未填写 {c.count(LevelStatus.missing)}；"
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
    return header, [[cl.name, str(cl.points), str(cl.marked), str(cl.previous), str(cl.latest),
                     f"{cl.share * 100:.0f}%", "明显上升" if cl.rising else ""] for cl in items]


# --- text -------------------------------------------------------------------------------------


def render_text(c: Classification, *, color: bool = False, columns: int | None = None) -> str:
    """The text report, wrapped to ``columns`` (None: not wrapped; tables wider than that become blocks)."""
    return "".join(text_chunks(c, columns))


def text_chunks(c: Classification, columns: int | None = None) -> Iterator[str]:
    """:func:`render_text` in pieces (an office's part each), as it is made: 150,000 points are 50 MB of text."""
    groups, city = city_counts(c)
    memo: dict[tuple[object, ...], tuple[tuple[str, ...], str, bool]] = {}  # (_office_lines)
    parts: Iterator[list[str]] = (_office_lines(c, point, rows, counts, columns, memo)
                                  for (point, rows), counts in zip(groups, city))
    for lines in [["没有符合条件的风险点"]] if not c.rows else parts:
        yield _terminal_text(lines, columns)
    tail = ["全市等级统计", *table(counts_header(c.levels), city, right=set(range(1, len(city[0]))), columns=columns),
            ""] if c.rows else []
    yield _terminal_text(tail + _warnings_text(c, columns) + [summary_line(c)], columns)


def _terminal_text(lines: list[str], columns: int | None) -> str:
    # Titles, names and file names come from the data: a terminal must not act on them. (Pieces of
    # whole lines, escaped and wrapped apart, make the same text as the whole.)
    return fit(terminal("\n".join(lines) + "\n"), columns)


_HEADER = ["ID", "违法风险点", "申报等级", "规则等级", "依据条款", "结论"]


def _office_lines(c: Classification, point: Point, rows: list[Row], office_counts: list[str], columns: int | None,
                  memo: dict[tuple[object, ...], tuple[tuple[str, ...], str, bool]]) -> list[str]:
    """One office's table, explanations and counts; ``memo``: the cells and explanations points share, by kind."""
    out = [f"{point.office_name}（{point.office_id}，{point.source.rel}）"]
    body, notes = [], []
    for r in rows:
        p, why, status = r.point, r.explanation, r.status
        risk, declared = p.risk, p.declared
        # All but the id and title depend on these only (a few hundred kinds in 150,000 points).
        kind = (id(why), risk.factors, status, declared, r.invalid, risk.level_reason if status is LevelStatus.explained else "")
        shared = memo.get(kind)
        if shared is None:
            shared = memo[kind] = (
                (level_label(declared), why.level.label, why.clause.ref, status.label),
                f" 规则等级“{why.level.label}”，依据{why.clause.ref if why.facts else ''}：\n"
                + "\n".join("  " + s for s in _explanation_rest(r)), status.ok)
        cells, explanation, ok = shared
        body.append((risk.id, risk.title, *cells))
        notes.append("  " + risk.id + explanation)
        if not ok:  # (the line is shown only where something is to be done)
            line, column = level_at(p)
            notes[-1] += f"（{p.source.rel}:{line}:{column}）"
    out += table(_HEADER, body, columns=columns)
    out += ["", "  定级说明：", *notes]
    counts = dict(zip(counts_header(c.levels), office_counts))
    cols = level_columns(c.levels)
    out.append(
        "  等级统计：申报 " + "、".join(f"{lv.label} {counts['申报' + lv.label]}" for lv in cols)
        + (f"、未填写 {counts['未填写']}" if counts["未填写"] != "0" else "")
        + "；规则 " + "、".join(f"{lv.label} {counts['规则' + lv.label]}" for lv in cols)
    )
    out.append("")
    return out


def _warnings_text(c: Classification, columns: int | None) -> list[str]:
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
        out += table(header, body, right={1, 2, 3, 4, 5}, columns=columns)
        out.append("")
    out.append("跨单位定级一致性")
    if not c.inconsistencies:
        out.append("  没有发现同一违法行为在不同单位定级不同")
    for g in c.inconsistencies:
        out.append(f"  处罚依据 {'、'.join(g.articles)}：")
        for p in g.members:
            line, column = level_at(p)
            out.append(f"    {p.office_name}（{p.office_id}）{p.risk.id} {p.risk.title}：{level_label(p.declared)}（{p.source.rel}:{line}:{column}）")
    out.append("")
    return out


# --- JSON and CSV -----------------------------------------------------------------------------


def as_dict(c: Classification, r: Row) -> dict[str, Any]:
    """One row as JSON (what :func:`render_json` writes, faster), with the line of its ``level``."""
    why = r.explanation
    return {
        "office": r.point.office_id, "id": r.risk.id, "title": r.risk.title,
        "declared": r.declared.value if r.declared is not None else None,
        "computed": r.computed.value, "clause": why.clause.ref, "facts": [f.field for f in why.facts],
        "agrees": r.declared is r.computed, "status": r.status.value, "clause_text": why.clause.wording,
        "clause_quoted": why.clause.quoted,  # false: clause_text is a local setting, not the notice's words
        "overridden": [f.field for f in why.overridden], "level_reason": r.risk.level_reason.strip(),
        "domain": r.risk.domain, "file": r.point.source.rel, "line": level_at(r.point)[0],
        "warnings": [{"code": code, "message": message} for code, message in c.findings(r)],
    }


def render_json(c: Classification, *, color: bool = False, workers: int = 1) -> str:
    """``json.dumps([as_dict(c, r) …], ensure_ascii=False, indent=2)``, faster (tested); ``workers``: unused."""
    return "".join(json_chunks(c))


def json_chunks(c: Classification, rows: int = 1000) -> Iterator[str]:
    """:func:`render_json` in pieces of ``rows`` rows: for 150,000 points the whole is hundreds of MB."""
    if not c.rows:
        yield "[]\n"
        return
    shared: dict[Any, Any] = {}
    for start in range(0, len(c.rows), rows):
        body = ",\n".join(_json_row(c, r, shared) for r in c.rows[start:start + rows])
        yield json_text(("[\n" if start == 0 else ",\n") + body)
    yield "\n]\n"


_quote = json.encoder.encode_basestring  # a string as json.dumps(ensure_ascii=False) writes it


def _strings(items: Sequence[str]) -> str:
    return "[\n" + ",\n".join("      " + _quote(x) for x in items) + "\n    ]" if items else "[]"


def _json_row(c: Classification, r: Row, shared: dict[Any, Any]) -> str:
    """One row as :func:`as_dict` gives it; ``shared``: what rows have in common, written once (an office's
    id and file; the lines from ``declared`` to ``overridden``: a few dozen kinds on a whole province)."""
    q, why, declared, source = _quote, r.explanation, r.declared, r.point.source
    office = shared.get(id(source))
    if office is None:
        office = shared[id(source)] = (q(r.point.office_id), q(source.rel))
    key = (id(why), declared, r.status)
    middle = shared.get(key)
    if middle is None:
        middle = shared[key] = (
            f'    "declared": {q(declared.value) if declared is not None else "null"},\n'
            f'    "computed": {q(r.computed.value)},\n    "clause": {q(why.clause.ref)},\n'
            f'    "facts": {_strings([f.field for f in why.facts])},\n'
            f'    "agrees": {"true" if declared is r.computed else "false"},\n    "status": {q(r.status.value)},\n'
            f'    "clause_text": {q(why.clause.wording)},\n    "clause_quoted": {"true" if why.clause.quoted else "false"},\n'
            f'    "overridden": {_strings([f.field for f in why.overridden])},\n'
        )
    findings = c.findings(r)
    warnings = "[\n" + ",\n".join(f'      {{\n        "code": {q(code)},\n        "message": {q(message)}\n      }}'
                                   for code, message in findings) + "\n    ]" if findings else "[]"
    (office_id, rel), risk = office, r.risk
    return (
        f'  {{\n    "office": {office_id},\n    "id": {q(risk.id)},\n    "title": {q(risk.title)},\n{middle}'
        f'    "level_reason": {q(risk.level_reason.strip())},\n    "domain": {q(risk.domain)},\n'
        f'    "file": {rel},\n    "line": {level_at(r.point)[0]},\n    "warnings": {warnings}\n  }}'
    )


CSV_HEADER = ["单位标识", "单位", "编号", "违法风险点", "领域", "申报等级", "规则等级", "依据条款", "定级事实", "结论", "预警"]


def render_csv(c: Classification, *, color: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in c.rows:
        writer.writerow(
            csv_cell(v)  # no cell may become a live formula in Excel
            for v in [
                r.point.office_id, r.point.office_name, r.risk.id, r.risk.title, r.risk.domain,
                level_label(r.declared), r.computed.label, r.explanation.clause.ref, facts_text(r),
                r.status.label, "；".join(code for code, _ in c.findings(r)),
            ]
        )
    # A BOM so that Excel on Windows, where these tables are opened, reads the text as UTF-8.
    return "\ufeff" + buf.getvalue()


# --- Markdown ---------------------------------------------------------------------------------


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    # every data-derived text in the Markdown report is shown literally
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(md(x) for x in r) + " |" for r in body]
    return out


def render_markdown(c: Classification, *, color: bool = False) -> str:
    out = ["# 风险等级核对（fxfk classify）", ""]
    groups, city = city_counts(c)
    for point, rows in groups:
        out += [f"## {md(point.office_name)}（{md(point.office_id)}）", ""]
        body = [
            [r.risk.id, r.risk.title, level_label(r.declared), r.computed.label,
             r.explanation.clause.cite(), facts_text(r) or "—", r.status.label]
            for r in rows
        ]
        out += _md_table(["ID", "违法风险点", "申报等级", "规则等级", "依据条款", "定级事实", "结论"], body)
        out.append("")
        notes = [f"- {md(verdict(r))}（{md(r.risk.id)}）" for r in rows if r.status is not LevelStatus.agrees]
        if notes:
            out += notes + [""]
    if c.rows:
        out += ["## 全市等级统计", ""]
        out += _md_table(counts_header(c.levels), city) + [""]
    out += ["## 自动预警", ""]
    if c.year is None:
        out += ["没有案件数据（risks[].cases），无法预警。", ""]
    else:
        out += [rule_line(c) + "。", ""]
        out += [f"- **{md(w.point.risk.id)}**（{md(w.point.office_name)}）{md(w.point.risk.title)}：{md(w.message)}" for w in c.warnings]
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
        out.append(f"- 处罚依据 {md('、'.join(g.articles))}：" + "；".join(
            f"{md(p.office_name)} {md(p.risk.id)} {level_label(p.declared)}" for p in g.members))
    if c.inconsistencies:
        out.append("")
    out.append(summary_line(c))
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv, "markdown": render_markdown}


def render(c: Classification, fmt: str, *, color: bool = False, columns: int | None = None, workers: int = 1) -> str:
    """``c`` in ``fmt``; only text is wrapped to ``columns`` (files and machines get whole lines)."""
    if fmt == "text":
        return render_text(c, color=color, columns=columns)
    return RENDERERS[fmt](c, color=color)


# --- --write ----------------------------------------------------------------------------------


def render_edits(edits: Sequence[Any], fmt: str) -> str:
    """What ``--write`` changed: one line per level, or a JSON list for scripts."""
    if fmt == "json":
        return json_text(json.dumps([
            {"file": e.change.rel, "line": e.line, "id": e.change.risk_id,
             "from": e.change.old.value if e.change.old is not None else None,
             "to": e.change.new.value, "inserted": e.inserted}
            for e in edits
        ], ensure_ascii=False, indent=2)) + "\n"
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
