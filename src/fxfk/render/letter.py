"""`fxfk guide letter`: the 行政指导提示函 (风险提示告知书) an office sends a business about one risk point.

One letter per addressee: title, 主送, the risk in plain words (conduct, harm), the provisions broken
and the legal liability (penalty articles and the discretion tiers), what to check and correct by
when, the help the office offers (its 指导 and 疏导 measures: the ones addressed to the business;
建议/警示/宣传 measures are the agency's own work), where to ask (the office's phone), 落款 and date.

The letter is computed from the register (:class:`Letter`), then drawn as Markdown and HTML from the
sandboxed templates of ``templates/guide/`` (a data repository's ``templates/guide/`` overrides them)
and as a portrait DOCX in the GB/T 9704 letter layout (:mod:`fxfk.render.docx`). Business names are
only ever in the letters: nothing here writes to the register.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from fxfk.dates import chinese_date
from fxfk.errors import FxfkError
from fxfk.load.repository import Repository
from fxfk.models import Register, Risk, Status
from fxfk.models.enums import BasisRole, MeasureKind
from fxfk.models.text import echo
from fxfk.rules.personal_data import find_personal_numbers
from fxfk.tasks.guidance import GuidanceReport

FORMATS = ("docx", "html", "md")
# Measures a letter offers the business: what the office does *for* it (指导, 疏导).
HELP_KINDS = (MeasureKind.guide, MeasureKind.channel)
GENERIC_ADDRESSEE = "各有关经营者"
NAME_LIMIT = 100  # characters of an addressee's name


@dataclass(frozen=True)
class Letter:
    risk_id: str
    title: str  # the letter's title
    risk_title: str  # 违法风险点
    level: str  # 高风险 / 中风险 / 低风险
    addressee: str  # 主送
    office: str  # 落款: the issuing office
    phone: str  # may be empty
    responsible: str  # 责任单位: who answers when there is no phone
    party: str
    conduct: str
    harm: str
    violated: tuple[str, ...]  # 《法》（文号）第七条：excerpt
    liability: tuple[str, ...]  # the penalty and coercion articles, same form
    tiers: tuple[tuple[str, str], ...]  # (违法情形, 处罚裁量)
    discretion_text: str
    no_penalty: str  # 免罚适用条件, "" when the point is not on the no-penalty list
    help: tuple[str, ...]
    date: dt.date
    correct_by: dt.date

    def texts(self) -> list[str]:
        """Every text the letter prints (for the personal-number scan)."""
        return [self.title, self.addressee, self.office, self.phone, self.responsible, self.party, self.conduct,
                self.harm, *self.violated, *self.liability, *(a + b for a, b in self.tiers), self.discretion_text,
                self.no_penalty, *self.help]


def _law(name: str) -> str:
    return "《" + name.strip().strip("《》") + "》"


def _basis_line(law: str, number: str | None, article: str, excerpt: str | None) -> str:
    head = _law(law) + (f"（{number}）" if number else "") + article
    return f"{head}：{excerpt}" if excerpt else head


def find_risk(repo: Repository, risk_id: str) -> tuple[Register, Risk]:
    """The register holding ``risk_id`` and the point; a located Chinese error when there is none."""
    for src in repo.valid_registers():
        for risk in src.valid_model.risks:
            if risk.id == risk_id:
                return src.valid_model, risk
    lowered = [r.id for s in repo.valid_registers() for r in s.valid_model.risks if r.id.lower() == risk_id.lower()]
    hint = f"；是否是 {lowered[0]}？" if lowered else "；风险点编号见 fxfk classify 的第一列"
    raise FxfkError(f"没有编号为“{echo(risk_id)}”的风险点{hint}")


def require_published(register: Register, risk: Risk, day: dt.date) -> None:
    """A letter goes to businesses: only for a point public on ``day`` (a draft is not reviewed yet)."""
    from fxfk.tasks.guidance import published_on

    if published_on(register, risk, day) is not None:
        return
    batch = next((b for b in register.batches if b.id == risk.batch), None)
    why = (f"所在批次的公布日期是 {batch.date.isoformat()}" if risk.status is Status.published and batch is not None
           else f"状态是“{risk.status.label}”")
    raise FxfkError(f"风险点 {risk.id} 在 {day.isoformat()} 不在公开清单上（{why}）；提示函只为已公布的风险点生成")


def check_addressee(name: str, position: int) -> str:
    """An addressee's name as given, or a Chinese error: empty, too long, or holding a personal number."""
    cleaned = " ".join(name.split())
    where = f"--to 第 {position} 个单位名称"
    if not cleaned:
        raise FxfkError(f"{where}为空")
    if len(cleaned) > NAME_LIMIT:
        raise FxfkError(f"{where}超过 {NAME_LIMIT} 个字")
    found = find_personal_numbers(cleaned)
    if found:
        raise FxfkError(f"{where}含有{found[0].label}（{found[0].masked}）；提示函不写个人信息，请只写单位名称")
    return cleaned


def build_letter(register: Register, risk: Risk, date: dt.date, addressee: str | None, within_days: int) -> Letter:
    from fxfk.public.view import level_label

    def lines(roles: tuple[BasisRole, ...]) -> tuple[str, ...]:
        return tuple(_basis_line(b.law, b.number, b.article, b.excerpt) for b in risk.basis if b.role in roles)

    tiers: tuple[tuple[str, str], ...] = ()
    text = ""
    if isinstance(risk.discretion, list):
        tiers = tuple((t.circumstance, t.sanction) for t in risk.discretion)
    elif risk.discretion:
        text = risk.discretion
    letter = Letter(
        risk_id=risk.id,
        title=f"关于防范“{risk.title}”违法风险的提示函",
        risk_title=risk.title,
        level=level_label(risk.level),
        addressee=addressee or GENERIC_ADDRESSEE,
        office=register.office.name,
        phone=register.office.phone or "",
        responsible=risk.responsible,
        party=risk.party or "",
        conduct=risk.conduct or "",
        harm=risk.harm or "",
        violated=lines((BasisRole.violated,)),
        liability=lines((BasisRole.penalty, BasisRole.coercion)),
        tiers=tiers,
        discretion_text=text,
        no_penalty=(risk.no_penalty_condition or "符合轻微违法行为免罚清单的适用条件") if risk.no_penalty else "",
        help=tuple(m.text for m in risk.measures if m.kind in HELP_KINDS),
        date=date,
        correct_by=date + dt.timedelta(days=within_days),
    )
    found = [(t, f) for t in letter.texts() for f in find_personal_numbers(t)]
    if found:
        text_, f = found[0]
        raise FxfkError(f"风险点 {risk.id} 的提示函中含有{f.label}（{f.masked}）：“{echo(text_[:40])}”；"
                        "提示函不写个人信息，请先修改登记册")
    return letter


# --- file names --------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')


def file_stem(letter: Letter, named: bool) -> str:
    """``JS-YFK-001`` or ``JS-YFK-001-某某美容店``: a name every file system takes."""
    if not named:
        return letter.risk_id
    safe = _UNSAFE.sub("_", letter.addressee).strip("._")[:60]
    return f"{letter.risk_id}-{safe}" if safe else letter.risk_id


# --- rendering ---------------------------------------------------------------------------------


def render_text(letter: Letter, fmt: str, root: Path) -> str:
    """Markdown or HTML from the sandboxed templates (``templates/guide/letter.<fmt>.j2``)."""
    from fxfk.render.templates import environment, render

    env = environment(root, "guide")
    return render(env, f"letter.{fmt}.j2", hint="提示函模板可用的字段见 fxfk 的 templates/guide/", letter=letter,
                  sections=sections)


def render_docx(letter: Letter) -> bytes:
    """A portrait A4 letter: title, 主送 flush left, numbered sections in 黑体, 落款 and date."""
    from fxfk.render import docx as d

    doc = d.new_document(letter.title, letter.date, letter.office, landscape=False)
    d.title(doc, letter.title)
    d.paragraph(doc, f"{letter.addressee}：", indent=False)
    for head, body in sections(letter):
        if head:
            d.heading(doc, head)
        for line in body:
            d.paragraph(doc, line)
    d.closing(doc, letter.office, letter.date)
    return d.save_document(doc, letter.date)


def sections(letter: Letter) -> list[tuple[str, list[str]]]:
    """The letter's body as (heading, paragraphs): the DOCX's text; the templates follow the same order."""
    intro = (f"为帮助你单位依法经营、防范违法风险，根据行政相对人法律风险防控工作安排，现将“{letter.risk_title}”"
             f"（{letter.level}）有关事项提示如下。")
    risk = []
    if letter.party:
        risk.append(f"涉及对象：{letter.party}。")
    if letter.conduct:
        risk.append(f"常见表现：{letter.conduct}。")
    if letter.harm:
        risk.append(f"可能后果：{letter.harm}。")
    basis = [f"相关规定：{line}" for line in letter.violated]
    basis += [f"法律责任：{line}" for line in letter.liability]
    if letter.tiers:
        basis.append("处罚裁量标准：")
        basis += [f"{k}. {c}：{s}。" for k, (c, s) in enumerate(letter.tiers, 1)]
    elif letter.discretion_text:
        basis.append(f"处罚裁量标准：{letter.discretion_text}")
    if letter.no_penalty:
        basis.append(f"该违法行为已列入轻微违法行为免罚清单，适用条件：{letter.no_penalty}")
    check = [f"请你单位对照上述规定开展自查，发现问题的，请于{chinese_date(letter.correct_by)}前改正。"]
    if letter.help:
        check.append(f"{letter.office}可以提供以下帮助：")
        check += [f"{k}. {h}。" for k, h in enumerate(letter.help, 1)]
    ask = (f"如有疑问，请咨询{letter.office}，联系电话：{letter.phone}。" if letter.phone
           else f"如有疑问，请咨询{letter.responsible}。")
    out = [("", [intro]), ("一、风险提示", risk), ("二、法律依据和法律责任", basis), ("三、自查整改", check),
           ("四、咨询方式", [ask, "本函为行政指导，不是行政处罚决定。"])]
    return [(h, [_sentence(p) for p in b]) for h, b in out if b]


def _sentence(text: str) -> str:
    return re.sub(r"([。；！？])。$", r"\1", text)


def render_letter(letter: Letter, fmt: str, root: Path) -> bytes:
    if fmt == "docx":
        return render_docx(letter)
    return render_text(letter, fmt, root).encode("utf-8")


def write_letters(folder: Path, letters: list[Letter], formats: list[str], root: Path, named: bool) -> list[Path]:
    """Every letter in every format into ``folder`` (a temporary folder the caller swaps in)."""
    written: list[Path] = []
    seen: set[str] = set()
    for letter in letters:
        stem = file_stem(letter, named)
        n = 2
        while stem in seen:  # two names that sanitise alike
            stem = f"{file_stem(letter, named)}-{n}"
            n += 1
        seen.add(stem)
        for fmt in formats:
            path = folder / f"{stem}.{fmt}"
            path.write_bytes(render_letter(letter, fmt, root))
            written.append(path)
    return written


# --- fxfk guide due: the plan ------------------------------------------------------------------


def render_plan(report: GuidanceReport, fmt: str, *, color: bool = False, columns: int | None = None) -> str:
    """The due points (:func:`fxfk.tasks.guidance.due_plan`) as one numbered list (text) or JSON."""
    import json

    from fxfk.render.escaping import json_text, terminal
    from fxfk.render.tasks import STYLE
    from fxfk.render.text import color as paint
    from fxfk.render.text import fit
    from fxfk.tasks.status import TaskState, describe_days

    if fmt == "json":
        return json_text(json.dumps([g.as_json() for g in report.rows], ensure_ascii=False, indent=2)) + "\n"
    every = "，".join(f"{lv.label}风险每 {n} 天" for lv, n in report.intervals.items())
    out = [f"行政指导计划：截至 {report.today.isoformat()}，应当开展行政指导的已公布风险点 {len(report.rows)} 个"
           f"（{every}至少一次，提前 {report.due_soon_days} 天提醒；按风险等级、社会关注度排序）", ""]
    for k, g in enumerate(report.rows, 1):
        mark = paint(g.status.mark, STYLE[g.status] if color else None)
        attention = f"（社会关注度{g.attention.label}）" if g.attention else ""
        last = f"上次指导 {g.last_guidance.isoformat()}" if g.last_guidance else f"公布（{g.published.isoformat()}）后从未指导"
        out.append(f"{k:>3}. {mark} {g.level.label}风险  {terminal(g.risk_id)}  {terminal(g.title)}{attention}")
        out.append(f"     {terminal(g.office_name)}；{last}，应于 {g.due.isoformat()} 前指导，"
                   f"{describe_days(g.status, g.working_days_left)}")
    if not report.rows:
        out.append("没有需要开展行政指导的已公布风险点。")
    else:
        n = {s: sum(1 for g in report.rows if g.status is s) for s in (TaskState.overdue, TaskState.due_soon)}
        out += ["", f"合计：{TaskState.overdue.label} {n[TaskState.overdue]}，{TaskState.due_soon.label} {n[TaskState.due_soon]}。"
                "加 --letters 为每个风险点生成提示函；指导后用 fxfk guide log 记录。"]
    if report.note:
        out.append(report.note)
    return fit("\n".join(out) + "\n", columns)
