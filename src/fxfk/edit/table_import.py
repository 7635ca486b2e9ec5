"""`fxfk import`: an office's existing risk list (Excel or Word) into its register, losing nothing.

The tables are read (:mod:`fxfk.edit.import_read`), their headers found (:mod:`fxfk.edit.import_table`),
each row becomes a point (:mod:`fxfk.edit.import_points`), and the points are appended to
``data/risks/<office>.yaml`` as text (:func:`fxfk.edit.scaffold.insert_risk`: the register's other
bytes stay as they were), or a new register is written. Every point keeps its source row as a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fxfk.edit.import_points import Issue, Point, rows_to_points
from fxfk.edit.import_read import read_tables
from fxfk.edit.import_table import check_columns, find_layout, parse_map
from fxfk.edit.import_yaml import point_lines
from fxfk.edit.scaffold import check_register_text, insert_risk, new_office_text, next_risk_id
from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.yamltext import decode
from fxfk.models import Factors, Level, OfficeKind, Status
from fxfk.models.text import NAME_MAX, TEXT_MAX, echo, text_problem
from fxfk.models.types import OFFICE_ID_PATTERN, is_windows_reserved, windows_reserved_message
from fxfk.options import Options
from fxfk.rules.law_names import law_key
from fxfk.rules.laws import Catalogue
from fxfk.rules.levels import explain
from fxfk.rules.validation import load


@dataclass
class ImportResult:
    file: str
    register: str  # data/risks/<office>.yaml
    created: bool  # a new register (else appended to the existing one)
    written: bool  # False with --dry-run
    points: list[Point] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    first_is_low: bool = False

    @property
    def needs_person(self) -> list[Issue]:
        return [i for i in self.issues if i.needs_person]


def _office_name_from(texts: list[str]) -> str:
    """填报单位：××区商务局 or a title 「××区商务局违法风险点清单」 above the header."""
    for text in texts:
        m = re.search(r"填报单位[：:]\s*([^\s　：:]+?)(?=\s|　|日期|填报|$)", text)
        if m:
            return m[1]
    for text in texts:
        m = re.match(r"^\s*(\S+?)(?:行政相对人)?(?:违法风险点|法律风险)", text)
        if m:
            return m[1]
    return ""


def import_table(root: Path, path: Path, office: str, name: str | None = None, kind: str | None = None,
                 sheets: list[str] | None = None, maps: list[str] | None = None, status: str = "draft",
                 dry_run: bool = False, first_is_low: bool = False, prefix: str | None = None,
                 options: Options | None = None) -> ImportResult:
    if not re.fullmatch(OFFICE_ID_PATTERN, office):
        raise FxfkError(f"--office“{echo(office)}”不是有效的单位标识：应以小写字母开头，只含小写字母、数字和连字符，例如 jinshui")
    if is_windows_reserved(office):
        raise FxfkError(windows_reserved_message("单位标识", office))
    the_status = Status.from_text(status)
    if the_status is None:
        raise FxfkError(f"--status“{echo(status)}”无效；可用的值：{Status.describe()}")
    overrides = parse_map(maps or [])
    tables = read_tables(path, sheets)
    layouts = []
    issues: list[Issue] = []
    for table in tables:
        layout = find_layout(table, overrides)
        if layout is None:
            if any(any(c.strip() for c in row) for row in table.rows):
                issues.append(Issue(table.where(0).rsplit(" ", 1)[0], "没有找到表头（序号、违法风险点、风险等级……），这个表没有导入"))
            continue
        layouts.append(layout)
    if not layouts:
        raise FxfkError(f"“{echo(path.name)}”中没有找到违法风险点清单的表头（至少应有“违法风险点”和另外两列，如“风险等级”“防控措施”）；"
                        "若表头用词不同，请用 --map 列名=字段 指定，例如 --map 风险名称=title")
    check_columns(layouts)
    above: list[str] = []
    points: list[Point] = []
    for layout in layouts:
        above += layout.table.before
        for r, text in layout.above:
            above.append(text)
            issues.append(Issue(layout.table.where(r), f"表头上方的文字“{text}”未导入（标题或填报信息）", needs_person=False))
        for col in layout.columns:
            if col.field == "-" and col.has_data:
                issues.append(Issue(layout.table.where(layout.header_rows[0]).rsplit(" ", 1)[0],
                                    f"按 --map 不导入列“{col.label}”", needs_person=False))
        points += rows_to_points(layout, first_is_low, issues)
    if not points:
        raise FxfkError(f"“{echo(path.name)}”的表格中没有风险点（表头下面没有填写违法风险点的行）")

    repo = load(root, options)
    source = next((s for s in repo.registers if s.stem == office), None)
    rel = f"data/risks/{office}.yaml"
    if source is not None and source.model is None:
        first = source.loaded.diagnostics[0] if source.loaded.diagnostics else None
        where = f"{first.location()}：{first.message}" if first else source.rel
        raise FxfkError(f"登记册未通过校验，不能导入；请先修正：{where}")
    office_name = source.model.office.name if source is not None and source.model is not None else (name or _office_name_from(above))
    if source is None:
        if not office_name.strip():
            raise FxfkError(f"还没有单位“{office}”的登记册，表格中也没有写明填报单位；请用 --name 给出单位名称，例如 --name 金水区商务局")
        problem = text_problem(office_name, NAME_MAX)
        if problem is not None:
            raise FxfkError(f"单位名称{problem[1]}")
        if kind is None:
            kind = "county" if re.search(r"[县区市]商务局$", office_name) else None
        if kind is None or OfficeKind.from_text(kind) is None:
            raise FxfkError(f"还没有单位“{office}”的登记册；请用 --kind 给出单位类型：{OfficeKind.describe()}")
        text = new_office_text(office, office_name, kind)
        bom = b""
    else:
        raw = source.path.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        decoded, problems = decode(raw, source.rel)
        if decoded is None:  # pragma: no cover - the model loaded, so the text decoded
            raise FxfkError(problems[0].message)
        text = decoded

    levels = repo.settings.levels
    rule_level = explain(Factors(), levels).level
    own = source.model.risks if source is not None and source.model is not None else []
    own_ids, own_domains = [r.id for r in own], [r.domain for r in own]
    all_ids = {r.id for s in repo.valid_registers() if s.facts is not None for r in s.facts.risks}
    titles: dict[str, str] = {}
    for risk in own:
        titles.setdefault(risk.title.strip(), f"{rel} 中的 {risk.id}")
    catalogue = Catalogue.of(repo)
    missing_laws: dict[str, str] = {}
    for p in points:
        p.id = next_risk_id(office, own_ids, own_domains, all_ids, p.domain, prefix)
        own_ids.append(p.id)
        own_domains.append(p.domain)
        all_ids.add(p.id)
        if not p.responsible:
            p.responsible = office_name
            issues.append(Issue(p.where, f"没有责任单位，已写本单位名称“{office_name}”"))
        if p.level is None:
            p.level = rule_level
        elif levels == 2 and p.level is Level.medium:
            issues.append(Issue(p.where, f"风险等级“{p.level_word}”是中，但 fxfk.yaml 设定为两级划分；已按高导入，请核对"))
            p.level = Level.high
        if p.level is not rule_level:
            p.level_reason = "沿用原清单的定级；定级事实（factors）待补写，补写后运行 fxfk classify 核对"
        if p.title in titles:
            issues.append(Issue(p.where, f"违法风险点“{p.title}”与{titles[p.title]}重名；请核对是否重复"))
        else:
            titles[p.title] = f"{p.where}（{p.id}）"
        if catalogue is not None:
            for b in p.basis:
                if not b.law.startswith("待填写") and catalogue.find(b.law) is None and law_key(b.law) not in missing_laws:
                    missing_laws[law_key(b.law)] = b.law
                    issues.append(Issue(p.where, f"《{b.law}》不在法规目录 data/laws.yaml 中；请把它加入目录，或改用目录中的名称"))

    result = ImportResult(path.name, rel, source is None, not dry_run, points, issues, first_is_low)
    for layout in layouts:
        for col in layout.columns:
            if col.field == "basis" and col.role is None and col.has_data and any(b.unsure for p in points for b in p.basis):
                issues.append(Issue(layout.table.where(layout.header_rows[0]).rsplit(" ", 1)[0],
                                    f"列“{col.label}”没有区分违法依据和处罚依据，其中的依据已按处罚依据（penalty）导入；请逐条核对"))
    # In the order of the file: table by table, row by row (the table's own notes first).
    issues.sort(key=lambda i: [int(n) for n in re.findall(r"第(\d+)(?:张表|个表格|行)", i.where)])
    for p in points:
        _check_lengths(p)
    text = _insert_all(text, [point_lines(p, the_status) for p in points], rel)
    check_register_text(text, rel)
    if not dry_run:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, bom + text.encode("utf-8"), mode=0o644 if source is None else None)
    return result


def _insert_all(text: str, items: list[list[str]], rel: str) -> str:
    """``text`` with every item appended to ``risks:``: the first placed by :func:`insert_risk`, the
    others right after it with the same indentation (parsing once, not once per point)."""
    text, line = insert_risk(text, items[0], rel)
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    first = lines[line - 1] if 0 < line <= len(lines) else ""
    if not first.lstrip(" ").startswith("- " + items[0][0]):  # pragma: no cover - insert_risk's line is exact
        for item in items[1:]:
            text, _line = insert_risk(text, item, rel)
        return text
    pad = first[: len(first) - len(first.lstrip(" "))]
    end = line - 1 + len(items[0])
    block = "".join(pad + "- " + item[0] + nl + "".join(pad + "  " + x + nl for x in item[1:]) for item in items[1:])
    return "".join(lines[:end]) + block + "".join(lines[end:])


def _check_lengths(p: Point) -> None:
    """A cell the register cannot hold (too long, control characters), named by its source row."""
    names = [("违法风险点", p.title), ("行业/领域", p.domain), ("责任单位", p.responsible), ("行政相对人", p.party)]
    names += [(f"依据《{b.law}》", v) for b in p.basis for v in (b.law, b.number, b.article)]
    texts = [("违法行为表现形式", p.conduct), ("危害后果", p.harm)] + [("条文摘录", b.excerpt) for b in p.basis]
    texts += [("防控措施", t) for _k, t in p.measures] + [("免罚情形", "\n".join(p.no_penalty))]
    if isinstance(p.discretion, str):
        texts.append(("裁量标准", p.discretion))
    elif p.discretion:
        texts += [("裁量标准", a + b) for a, b in p.discretion]
    for what, value, limit in [(w, v, NAME_MAX) for w, v in names] + [(w, v, TEXT_MAX) for w, v in texts]:
        problem = text_problem(value, limit)
        if problem is not None:
            raise FxfkError(f"{p.where}：{what}{problem[1]}；请在原表中修改后重新导入（未写入任何文件）")
