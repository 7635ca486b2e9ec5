"""The report's charts as inline SVG: no JavaScript, no fonts or images fetched, same bytes every run.

Each chart is drawn twice from the same figures: ``svg``, 760 px wide, for desktop screens, print,
the ``charts/`` files and the DOCX pictures; ``svg_narrow``, 360 px wide, that a phone shows at its
drawn size (issue 16): one bar per row under its label, the legend wrapped, text never under 12 px.

Every chart carries its own text equivalent: ``<title>`` and ``<desc>`` (referenced by
``aria-labelledby``) for screen readers, and ``summary`` — the same facts as one sentence — that the
HTML caption and the Markdown/DOCX versions print next to the chart's table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from fxfk.render.escaping import xml_text
from fxfk.report.content import FUNNEL_STAGES, TASK_STATE_ORDER, DomainEvaluation, Ratio, Report, number

FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
LEVEL_COLORS = {"高": "#b0161e", "中": "#c77800", "低": "#2f7d4a"}
STATE_COLORS = {
    "overdue": "#b0161e", "due_soon": "#c77800", "pending": "#4b6f9c",
    "open": "#8c8c8c", "done_late": "#3f8f88", "done": "#2f7d4a",
}
BEFORE_COLOR, AFTER_UP, AFTER_DOWN = "#8c8c8c", "#b0161e", "#2f7d4a"
WIDTH = 760
NARROW = 360  # fits a 390-px phone's text column at its drawn size
PAD = 8  # the narrow chart's side margin
ROW_H = 28
CHAR_W = 13.5  # a CJK character at font-size 13, the width that decides the name column


def label_width(labels: Sequence[str]) -> int:
    """The name column fits the longest office or domain name (long division names are common)."""
    return int(min(300, max([96] + [CHAR_W * len(t) + 14 for t in labels])))


@dataclass(frozen=True)
class Chart:
    key: str  # file stem and element id: levels, funnel, cases, tasks
    title: str
    summary: str  # the text equivalent, one sentence
    svg: str
    svg_narrow: str = ""  # the same chart for a phone screen


def _e(text: object) -> str:
    # The .svg files are XML 1.0, which cannot carry control characters.
    return escape(xml_text(text), quote=True)


def _text(x: float, y: float, text: object, anchor: str = "start", fill: str = "#1f2328", size: int = 13, weight: str = "normal") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}"{bold}>'
            f"{_e(text)}</text>")


def _svg_text(key: str, title: str, summary: str, height: float, body: list[str], width: int = WIDTH) -> str:
    height = int(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="chart-{key}-title chart-{key}-desc" font-family="{FONT}">'
        f'<title id="chart-{key}-title">{_e(title)}</title>'
        f'<desc id="chart-{key}-desc">{_e(summary)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )
    return head + "".join(body) + "</svg>\n"


def _svg(key: str, title: str, summary: str, height: int, body: list[str], narrow: tuple[float, list[str]]) -> Chart:
    """Both variants; the narrow one's element ids differ, as a page carries the two."""
    return Chart(key, title, summary, _svg_text(key, title, summary, height, body),
                 _svg_text(f"{key}-narrow", title, summary, narrow[0], narrow[1], NARROW))


# --- the narrow variant: every row a label line, then its bar across the width ----------------------


def _text_width(text: str, size: int) -> float:
    """Estimated drawn width: a CJK or full-width character is one em, anything else about 0.6 em."""
    return sum(size if ord(c) > 0x2E7F else 0.6 * size for c in text)


def _wrap(text: str, size: int, width: float) -> list[str]:
    """Lines no wider than ``width``, broken between characters (Chinese breaks anywhere)."""
    lines, line = [], ""
    for c in text:
        if line and _text_width(line + c, size) > width:
            lines.append(line)
            line = ""
        line += c
    return [*lines, line] if line or not lines else lines


def _narrow_legend(series: Sequence[tuple[str, str]], y: float) -> tuple[float, list[str]]:
    """The legend items in reading order, wrapping to the next line when one does not fit; the y below it."""
    out: list[str] = []
    x = float(PAD)
    for name, color in series:
        w = 19 + _text_width(name, 13)
        if x > PAD and x + w > NARROW - PAD:
            x, y = float(PAD), y + 22
        out.append(f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" fill="{color}"/>')
        out.append(_text(x + 19, y, name))
        x += w + 14
    return y + 16, out


def _label_lines(label: str, right: str, y: float, size: int = 13) -> tuple[float, list[str]]:
    """A row's name on the left (wrapped), ``right`` (its figure) right-aligned on the first line."""
    room = NARROW - 2 * PAD - _text_width(right, 12) - 10
    out = [_text(NARROW - PAD, y + size + 5, right, "end", "#57606a", 12)] if right else []
    for line in _wrap(xml_text(label), size, room):  # measured as drawn, control characters made visible
        y += size + 5
        out.append(_text(PAD, y, line, size=size))
    return y, out


def _legend(series: Sequence[tuple[str, str]], y: float, x: float) -> list[str]:
    out = []
    for name, color in series:
        out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{color}"/>')
        out.append(_text(x + 19, y, name))
        x += 30 + 14 * len(name) + 10
    return out


def stacked_bars(key: str, title: str, summary: str, rows: Sequence[tuple[str, Sequence[int]]],
                 series: Sequence[tuple[str, str]], unit: str) -> Chart:
    """One horizontal bar per row, split into the series; the count in each part wide enough."""
    top = 44
    label_w = label_width([label for label, _ in rows])
    span = WIDTH - label_w - 60
    biggest = max([sum(v) for _, v in rows] + [1])
    body = _legend(series, 22, label_w)
    for k, (label, values) in enumerate(rows):
        y = top + k * ROW_H
        body.append(_text(label_w - 8, y + 18, label, "end"))
        x = float(label_w)
        for (name, color), v in zip(series, values):
            if not v:
                continue
            w = span * v / biggest
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{ROW_H - 8}" fill="{color}">'
                        f"<title>{_e(label)} {_e(name)}：{v}{unit}</title></rect>")
            if w >= 16:
                body.append(_text(x + w / 2, y + 18, v, "middle", "#ffffff", 12))
            x += w
        body.append(_text(x + 6, y + 18, f"{sum(values)}", fill="#57606a", size=12))
    body.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{top + ROW_H * max(len(rows), 1)}" stroke="#57606a"/>')
    return _svg(key, title, summary, top + ROW_H * max(len(rows), 1) + 12, body,
                _narrow_stacked(rows, series, unit, biggest))


def _narrow_stacked(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[tuple[str, str]], unit: str,
                    biggest: int) -> tuple[float, list[str]]:
    y, body = _narrow_legend(series, 22)
    span = NARROW - 2 * PAD
    for label, values in rows:
        y, lines = _label_lines(label, f"{sum(values)}{unit}", y + 6)
        body += lines
        y += 6
        x = float(PAD)
        for (name, color), v in zip(series, values):
            if not v:
                continue
            w = span * v / biggest
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="20" fill="{color}">'
                        f"<title>{_e(label)} {_e(name)}：{v}{unit}</title></rect>")
            if w >= 16:
                body.append(_text(x + w / 2, y + 15, v, "middle", "#ffffff", 12))
            x += w
        y += 20
    return y + 10, body


def levels_chart(report: Report) -> Chart:
    names = [lv.label for lv in report.levels]
    rows = [(o.name, o.by_level) for o in report.overview]
    parts = "；".join(f"{o.name}：" + "、".join(f"{n} {v}" for n, v in zip(names, o.by_level)) for o in report.overview)
    summary = f"各单位未废止的风险点按等级（高/中/低）计数：{parts or '没有单位'}。"
    return stacked_bars("levels", "各单位风险点等级分布", summary, rows,
                        [(f"{n}风险", LEVEL_COLORS[n]) for n in names], "个")


def tasks_chart(report: Report) -> Chart:
    series = [(s.label, STATE_COLORS[s.value]) for s in TASK_STATE_ORDER]
    rows = list(report.office_task_counts())
    totals = "，".join(f"{s.label} {n}" for s, n in report.task_counts)
    summary = f"{report.year}年任务表各单位任务状态（按单位计数，逾期在前）：合计 {totals}。"
    return stacked_bars("tasks", "各单位任务完成状态", summary, rows, series, "项")


def funnel_chart(report: Report) -> Chart:
    f = report.city_funnel
    top, bar_h = 16, 34
    label_w = label_width(FUNNEL_STAGES)
    span = WIDTH - label_w - 120
    biggest = max(f.identified, 1)
    body = []
    shades = ("#6a7f99", "#4b6f9c", "#345b8c", "#b0161e")
    for k, (stage, v) in enumerate(zip(FUNNEL_STAGES, f.stages)):
        y = top + k * (bar_h + 8)
        w = max(span * v / biggest, 2 if v else 0)
        x = label_w + (span - w) / 2
        body.append(_text(label_w - 8, y + 22, stage, "end", size=14))
        if w:
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{shades[k]}"/>')
        share = f"（{Ratio(v, f.identified).percent}）" if f.identified and k else ""
        body.append(_text(label_w + span + 8, y + 22, f"{v} 个{share}", size=13))
    stages = "，".join(f"{s} {v} 个" for s, v in zip(FUNNEL_STAGES, f.stages))
    summary = f"风险点工作漏斗（合计）：{stages}；已公布占已梳理的 {f.share.percent}。"
    narrow: list[str] = []
    ny = 0.0
    for k, (stage, v) in enumerate(zip(FUNNEL_STAGES, f.stages)):
        share = f"（{Ratio(v, f.identified).percent}）" if f.identified and k else ""
        ny, lines = _label_lines(stage, f"{v} 个{share}", ny + 6, 14)
        narrow += lines
        nw = max((NARROW - 2 * PAD) * v / biggest, 2 if v else 0)
        if nw:
            narrow.append(f'<rect x="{(NARROW - nw) / 2:.1f}" y="{ny + 6:.1f}" width="{nw:.1f}" height="24" fill="{shades[k]}"/>')
        ny += 30
    return _svg("funnel", "风险点工作漏斗：已梳理 → 征求意见 → 已审定 → 已公布", summary, top + 4 * (bar_h + 8) + 8, body,
                (ny + 10, narrow))


def cases_chart(report: Report) -> Chart:
    domains = [d for d in report.evaluation.domains if d.evaluable]
    top, group_h = 44, 46
    label_w = label_width([d.domain for d in domains])
    span = WIDTH - label_w - 80
    values: list[int | Fraction] = [1]
    for d in domains:
        values += (d.before, d.after)
    biggest = max(values)
    series = [("公布前一年", BEFORE_COLOR), ("公布后年均（上升）", AFTER_UP), ("公布后年均（下降或持平）", AFTER_DOWN)]
    body = _legend(series, 22, label_w)
    for k, d in enumerate(domains):
        y = top + k * group_h
        body.append(_text(label_w - 8, y + 24, d.domain, "end"))
        after_color = AFTER_UP if d.after > d.before else AFTER_DOWN
        bars: tuple[tuple[int | Fraction, str, str], ...] = (
            (d.before, BEFORE_COLOR, "公布前一年"), (d.after, after_color, "公布后年均"))
        for j, (v, color, name) in enumerate(bars):
            w = span * float(v) / biggest
            yy = y + 4 + j * 18
            body.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="16" fill="{color}">'
                        f"<title>{_e(d.domain)} {name}：{number(v)} 件</title></rect>")
            body.append(_text(label_w + w + 6, yy + 13, f"{number(v)} 件", size=12, fill="#57606a"))
    if not domains:
        body.append(_text(WIDTH / 2, top + 24, "无数据：没有同时具备公布前一年和公布后案件数的已公布风险点", "middle", "#57606a"))
    parts = "；".join(f"{d.domain} 公布前一年 {d.before} 件、公布后年均 {number(d.after)} 件" for d in domains)
    summary = f"各行业（领域）已公布风险点办结案件数，公布前一年与公布后年均对比：{parts or '无数据'}。"
    height = top + group_h * max(len(domains), 1) + 8
    return _svg("cases", "公布前后案件数对比（按行业/领域）", summary, height, body,
                _narrow_cases(domains, series, biggest))


def _narrow_cases(domains: Sequence[DomainEvaluation], series: Sequence[tuple[str, str]],
                  biggest: int | Fraction) -> tuple[float, list[str]]:
    y, body = _narrow_legend(series, 22)
    span = NARROW - 2 * PAD - 64  # room for "12.5 件" after the longer bar
    for d in domains:
        y, lines = _label_lines(d.domain, "", y + 6)
        body += lines
        after_color = AFTER_UP if d.after > d.before else AFTER_DOWN
        for v, color, name in ((d.before, BEFORE_COLOR, "公布前一年"), (d.after, after_color, "公布后年均")):
            w = span * float(v) / biggest
            y += 4
            body.append(f'<rect x="{PAD}" y="{y:.1f}" width="{w:.1f}" height="18" fill="{color}">'
                        f"<title>{_e(d.domain)} {name}：{number(v)} 件</title></rect>")
            body.append(_text(PAD + w + 6, y + 14, f"{number(v)} 件", size=12, fill="#57606a"))
            y += 18
    if not domains:
        for line in _wrap("无数据：没有同时具备公布前一年和公布后案件数的已公布风险点", 13, NARROW - 2 * PAD):
            y += 20
            body.append(_text(NARROW / 2, y, line, "middle", "#57606a"))
    return y + 10, body


def all_charts(report: Report) -> dict[str, Chart]:
    charts = (levels_chart(report), funnel_chart(report), cases_chart(report), tasks_chart(report))
    return {c.key: c for c in charts}
