"""What `fxfk consult draft` puts before businesses and associations (附件1 二（三）充分征求意见).

The draft shows the public view of each point (title, basis, discretion standard, measures,
responsible office) plus what is being consulted on: the proposed level and the clause of 附件1 一
behind it. Internal fields (``cases``, ``causes``, ``attention``, ``level_reason``, notes) have no
field here, so no renderer can print them.

Also the two judgements the validate rule ``consultation-*`` needs: how long a consultation ran and
whether its parties include a 行政相对人 or an industry association.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fxfk.errors import FxfkError
from fxfk.load.repository import Repository
from fxfk.models import Consultation, Register, Risk, Status
from fxfk.models.text import echo
from fxfk.rules.law_names import display_name
from fxfk.rules.levels import explain

# 《重大行政决策程序暂行条例》（国务院令第713号）第十五条 sets the period of a public consultation;
# the minimum itself is the setting consultation_min_days (fxfk.yaml).
PERIOD_SOURCE = "《重大行政决策程序暂行条例》（国务院令第713号）第十五条"
PERIOD_WORDING = "公开征求意见的期限一般不少于30日"
DEFAULT_DAYS = 30  # the draft's reply period when fxfk.yaml sets no minimum
# 附件1 二（三） names this notice (国办发〔2019〕9号) as the rule for whom to hear: 企业和行业协会商会.
PARTIES_SOURCE = "附件1 二（三）和国办发〔2019〕9号"

_ASSOCIATION_WORDS = ("协会", "商会", "联合会", "联盟")
# A 消费者协会 hears consumers, not the businesses the points are about.
_NOT_INDUSTRY = ("消费者协会", "消协", "消费者权益保护委员会")
# 区市场监督管理局、街道办、管委会: authorities, whatever words of trade their names hold.
_AUTHORITY_ENDINGS = ("局", "委", "委员会", "管委会", "政府", "厅", "办", "办公室", "处", "科", "队")
_COUNTERPART_WORDS = ("行政相对人", "企业", "公司", "经营者", "商户", "个体工商户", "机构", "门店",
                      "网点", "被特许人", "特许人", "市场", "商场", "超市", "店")


def period_days(c: Consultation) -> int:
    """Days the consultation was open, its first and last day both counted (8月1日至8月30日 = 30日)."""
    return (c.end - c.start).days + 1


def hears_businesses(party: str) -> bool:
    """Whether a party of ``consultation.parties`` is a 行政相对人 or an industry association (行业协会商会)."""
    text = party.strip()
    if any(w in text for w in _NOT_INDUSTRY) or text.endswith(_AUTHORITY_ENDINGS):
        return False
    # 经销商、供应商、回收商: a trade named by its business
    return text.endswith("商") or any(w in text for w in _ASSOCIATION_WORDS + _COUNTERPART_WORDS)


@dataclass(frozen=True)
class Tier:
    circumstance: str
    sanction: str


@dataclass(frozen=True)
class ConsultItem:
    seq: int  # 第N项: what a reply cites
    risk_id: str
    office_id: str
    office: str  # office name
    title: str
    domain: str
    level: str  # 高风险 / 中风险 / 低风险 (proposed)
    clause: str  # Clause.cite() of the rule that gives the proposed level
    citations: tuple[str, ...]  # 《法》（文号）第X条
    discretion: str
    tiers: tuple[Tier, ...]
    measures: tuple[tuple[str, str], ...]  # (kind label, text)
    responsible: str


@dataclass(frozen=True)
class OfficeContact:
    id: str
    name: str
    phone: str


@dataclass(frozen=True)
class ConsultDraft:
    organization: str
    date: dt.date
    deadline: dt.date
    offices: tuple[OfficeContact, ...]
    items: tuple[ConsultItem, ...]

    @property
    def title(self) -> str:
        owner = self.offices[0].name if len(self.offices) == 1 else self.organization
        return f"{owner}行政相对人违法风险点及防控措施（征求意见稿）"


# --- what comes back: fxfk consult tally (fxfk.edit.consult_tally reads the forms) -----------------


@dataclass
class PointTally:
    risk_id: str
    title: str
    rel: str  # register file, relative to the data root
    index: int  # risks[index]
    comments: int = 0
    adopted: int = 0
    parties: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unmatched:
    file: str
    row: int
    reason: str
    text: str


@dataclass
class Tally:
    files: list[str]
    points: list[PointTally]
    unmatched: list[Unmatched]


def _citations(risk: Risk) -> tuple[str, ...]:
    groups: dict[tuple[str, str], list[str]] = {}
    for basis in risk.basis:
        articles = groups.setdefault((display_name(basis.law), (basis.number or "").strip()), [])
        if basis.article.strip() not in articles:
            articles.append(basis.article.strip())
    return tuple(f"《{law}》{f'（{number}）' if number else ''}{'、'.join(a)}" for (law, number), a in groups.items())


def _item(seq: int, risk: Risk, register: Register, levels: int) -> ConsultItem:
    why = explain(risk.factors, levels)
    d = risk.discretion
    text = d.strip() if isinstance(d, str) else ""
    tiers = tuple(Tier(t.circumstance.strip(), t.sanction.strip()) for t in d) if isinstance(d, list) else ()
    # The declared level is what is proposed; the clause is the rule's, whose level it normally is.
    clause = why.clause.cite() if why.level is risk.level else f"{why.clause.cite()}（规则等级为{why.level.label}，申报等级另有说明）"
    return ConsultItem(
        seq, risk.id, register.office.id, register.office.name, risk.title.strip(), risk.domain.strip(),
        f"{risk.level.label}风险", clause, _citations(risk), text, tiers,
        tuple((m.kind.label, m.text.strip()) for m in risk.measures), risk.responsible.strip(),
    )


def build_draft(repo: Repository, date: dt.date, deadline: dt.date | None = None,
                offices: list[str] | None = None, risk_ids: list[str] | None = None) -> ConsultDraft:
    """The points in status consulting (or those named by ``risk_ids``, any status) of ``offices``."""
    registers = [s for s in repo.registers if s.model is not None]
    known = {s.valid_model.office.id for s in registers}
    for office in offices or ():
        if office not in known:
            raise FxfkError(f"--office：没有单位“{echo(office)}”；已有单位：{'、'.join(sorted(known))}")
    wanted = {r.strip() for r in risk_ids or () if r.strip()}
    found: set[str] = set()
    items: list[ConsultItem] = []
    contacts: list[OfficeContact] = []
    for src in sorted(registers, key=lambda s: s.valid_model.office.id):
        register = src.valid_model
        if offices and register.office.id not in offices:
            continue
        chosen = [r for r in register.risks if (r.id in wanted if wanted else r.status is Status.consulting)]
        found.update(r.id for r in chosen)
        if chosen:
            contacts.append(OfficeContact(register.office.id, register.office.name, (register.office.phone or "").strip()))
        items += [_item(len(items) + k, r, register, repo.settings.levels) for k, r in enumerate(chosen, 1)]
    missing = sorted(wanted - found)
    if missing:
        raise FxfkError(f"--risk：没有风险点 {'、'.join(echo(m) for m in missing)}" + ("（或不在 --office 所选单位中）" if offices else ""))
    if not items:
        raise FxfkError("没有状态为“征求意见”（consulting）的风险点；请用 --risk 指定要征求意见的风险点")
    day = deadline or date + dt.timedelta(days=(repo.settings.consultation_min_days or DEFAULT_DAYS) - 1)
    if day < date:
        raise FxfkError(f"--deadline {day} 早于印发日期 {date}")
    return ConsultDraft(repo.settings.organization or "", date, day, tuple(contacts), tuple(items))
