"""`fxfk import`: one table row → one imported point, with what needs a person's eye.

Nothing is lost: every non-empty cell either fills a field or is named in an issue of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fxfk.edit.import_map import (
    TODO_ARTICLE,
    TODO_LAW,
    BasisEntry,
    measure_kind,
    parse_level,
    split_basis,
    split_lines,
    split_tiers,
)
from fxfk.edit.import_table import Layout
from fxfk.models import Level, MeasureKind

TODO_DOMAIN = "待填写：行业/领域"


@dataclass
class Issue:
    where: str  # 清单.xlsx 第1张表 第7行
    message: str
    needs_person: bool = True  # False: for information (text above the header, dropped columns)


@dataclass
class Point:
    where: str
    seq: str = ""
    title: str = ""
    domain: str = ""
    level: Level | None = None
    level_word: str = ""
    basis: list[BasisEntry] = field(default_factory=list)
    discretion: str | list[tuple[str, str]] | None = None
    measures: list[tuple[MeasureKind, str]] = field(default_factory=list)
    responsible: str = ""
    no_penalty: list[str] = field(default_factory=list)
    party: str = ""
    conduct: str = ""
    harm: str = ""
    attention: Level | None = None
    notes: list[str] = field(default_factory=list)
    id: str = ""
    level_reason: str = ""


def _one_line(text: str) -> str:
    # A title, domain or unit split over lines in a cell is one name.
    return "".join(part.strip() for part in text.split("\n"))


def rows_to_points(layout: Layout, first_is_low: bool, issues: list[Issue]) -> list[Point]:
    table = layout.table
    points: list[Point] = []
    header = [table.rows[r] for r in layout.header_rows]
    section = ""  # a full-width row such as 「一、单用途商业预付卡」: the domain of the rows below it
    has_domain = any(c.field == "domain" for c in layout.columns)
    where_table = table.where(0).rsplit(" ", 1)[0]
    heading = "" if has_domain else table.heading()
    if heading and not table.word:
        section = heading
        issues.append(Issue(where_table, f"表中没有行业/领域列，已用工作表名“{heading}”作为各行的行业/领域", needs_person=False))
    for k, text in enumerate(table.before):
        if heading and k == len(table.before) - 1:
            section = heading
            issues.append(Issue(where_table, f"表格上方的标题“{text}”已作为表中各行的行业/领域", needs_person=False))
        else:
            issues.append(Issue(where_table, f"表格上方的文字“{_short(text)}”未导入", needs_person=False))
    for r in range(layout.first_data_row, len(table.rows)):
        row = table.rows[r]
        where = table.where(r)
        filled = [t for t in row if t.strip()]
        if not filled or row in header:
            continue
        merged_row = len(set(filled)) == 1 and len(filled) > 1  # one cell across the table: a heading
        if merged_row or len(filled) == 1 and len(row) > 2 and not _title_of(layout, row):
            text = filled[0]
            # 「一、单用途商业预付卡」 names a domain; 「填报人：张三」 or a long note does not.
            names_domain = merged_row and not has_domain and len(text) <= 30 and not re.search(r"[：:]", text)
            issues.append(Issue(where, f"整行文字“{text}”不是风险点，未导入" + ("；已作为下面各行的行业/领域" if names_domain else ""),
                                needs_person=not merged_row))
            if names_domain:
                section = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*|^\d+[、.．]\s*", "", text).strip()
            continue
        if not _title_of(layout, row):
            cells = "；".join(f"{c.label}：{row[c.index]}" for c in layout.columns if row[c.index].strip())
            issues.append(Issue(where, f"这一行没有违法风险点名称，未导入；内容：{cells}"))
            continue
        points.append(_point(layout, row, where, first_is_low, issues, section if not has_domain else ""))
    return points


def _title_of(layout: Layout, row: list[str]) -> str:
    return next((row[c.index].strip() for c in layout.columns if c.field == "title"), "")


def _point(layout: Layout, row: list[str], where: str, first_is_low: bool, issues: list[Issue], section: str) -> Point:
    p = Point(where, domain=section)
    for col in layout.columns:
        text = row[col.index].strip()
        if not text or col.field in (None, "-"):
            continue
        f = col.field
        if f == "seq":
            p.seq = _one_line(text)
        elif f == "title":
            p.title = _one_line(text)
        elif f == "domain":
            p.domain = _one_line(text)
        elif f == "responsible":
            p.responsible = _one_line(text)
        elif f == "level":
            p.level_word = text
            p.level = parse_level(text, first_is_low)
            if p.level is None:
                issues.append(Issue(where, f"风险等级“{text}”无法识别，已按没有定级事实时的等级导入；请核对"))
        elif f == "attention":
            p.attention = parse_level(text, first_is_low)
            if p.attention is None:
                p.notes.append(f"{col.label}：{text}")
                issues.append(Issue(where, f"社会关注度“{text}”无法识别，已写入注释；请核对"))
        elif f == "basis":
            _basis(p, col.label, col.role, text, where, issues)
        elif f == "discretion":
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            p.discretion = split_tiers(lines) or text
        elif f == "measures":
            _measures(p, text, where, issues)
        elif f == "no_penalty":
            p.no_penalty.append(f"{col.label}：{text}" if len([c for c in layout.columns if c.field == "no_penalty"]) > 1 else text)
        elif f in ("party", "conduct", "harm"):
            setattr(p, f, text)
        elif f == "note":
            p.notes.append(f"{col.label}：{text}")
            issues.append(Issue(where, f"“{col.label}”列的内容“{_short(text)}”没有对应字段，已写入该风险点的注释", needs_person=False))
    if not p.domain:
        p.domain = TODO_DOMAIN
        issues.append(Issue(where, "没有行业/领域，已写“待填写：行业/领域”"))
    if not p.basis:
        issues.append(Issue(where, "没有行政处罚和行政强制等依据，已写“待填写”的依据；请补写"))
    elif not any(b.role in ("penalty", "coercion") for b in p.basis):
        # Every point needs a penalty or coercion basis (basis-without-penalty): a placeholder says so.
        p.basis.append(BasisEntry("penalty", TODO_LAW, TODO_ARTICLE))
        issues.append(Issue(where, "只有违法依据，没有处罚依据；已加一条“待填写”的处罚依据，请补写"))
    return p


def _short(text: str, n: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n] + "……"


def _basis(p: Point, label: str, role: str | None, text: str, where: str, issues: list[Issue]) -> None:
    split = split_basis(text, role)
    p.basis += split.entries
    if split.no_law:
        issues.append(Issue(where, f"“{label}”中没有可识别的《法规名称》，原文已整段放入条文摘录，请拆分为法规名称和条款：{_short(text)}"))
    for law in split.no_article:
        issues.append(Issue(where, f"“{label}”中《{law}》没有写明条款，已写“{TODO_ARTICLE}”"))
    for rest in split.leftover:
        issues.append(Issue(where, f"“{label}”中的文字“{rest}”不属于任何一条依据，未导入；请核对"))
    if split.discretion:
        tiers = split_tiers(split.discretion)
        p.discretion = tiers or "\n".join(split.discretion)


def _measures(p: Point, text: str, where: str, issues: list[Issue]) -> None:
    items, before, split = split_lines(text)
    if before:
        issues.append(Issue(where, f"防控措施编号前的文字“{before}”未导入；请核对"))
    if not split and re.search(r"[；;]", text):
        issues.append(Issue(where, f"防控措施“{_short(text)}”未能拆分为逐项措施，已作为一项导入；请拆分"))
    for item in items:
        p.measures.append(measure_kind(item))
