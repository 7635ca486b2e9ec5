"""Rules that look at one register at a time (data-format.md, 附件1).

They see only their own file and the settings, so their findings are computed where the file is
parsed (in a worker process, for big repositories) and cached with it. Rules that compare files
live in :mod:`fxfk.rules.repository`; that module also runs these on registers that were not checked when
they were loaded.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from fxfk.diagnostics import Diagnostic, Severity, format_path
from fxfk.models import ActivityKind, BasisRole, Level, Register, Settings, Status
from fxfk.rules.law_names import loose_key
from fxfk.rules.levels import explain

if TYPE_CHECKING:
    from fxfk.load.repository import SourceFile
    from fxfk.load.yamlload import Loc


def diag(source: SourceFile[Any], loc: Loc, code: str, message: str, severity: Severity = "error", key: bool = False) -> Diagnostic:
    line, column = source.loaded.locate(loc, key=key)
    return Diagnostic(source.rel, line, column, code, severity, format_path(loc), message)


REVIEWED = (Status.approved, Status.published, Status.retired)


def check_batch_ids_unique(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    seen: dict[int, int] = {}
    for i, batch in enumerate(src.valid_model.batches):
        if batch.id in seen:
            yield diag(src, ("batches", i, "id"), "duplicate-batch-id",
                       f"批次号 {batch.id} 重复（batches[{seen[batch.id]}] 已使用）；同一文件中批次号必须唯一")
        else:
            seen[batch.id] = i


def check_published_risk_has_batch(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    """A published point names a batch of its own file, dated on or after its consultation end."""
    batches = {b.id: b for b in src.valid_model.batches}
    for i, risk in enumerate(src.valid_model.risks):
        if risk.batch is not None and risk.batch not in batches:
            known = "、".join(str(b) for b in sorted(batches)) or "（本文件没有定义批次）"
            yield diag(src, ("risks", i, "batch"), "unknown-batch",
                       f"批次 {risk.batch} 在本文件的 batches 中不存在；已有批次：{known}")
            continue
        if risk.status is Status.published and risk.batch is None:
            yield diag(src, ("risks", i, "status"), "published-without-batch",
                       "状态为已公布，但没有写 batch（公布批次）；请填写本文件 batches 中的批次号")
            continue
        if risk.batch is not None and risk.consultation is not None:
            batch = batches[risk.batch]
            if batch.date < risk.consultation.end:
                yield diag(
                    src, ("risks", i, "batch"), "batch-before-consultation",
                    f"第{risk.batch}批的公布日期 {batch.date} 早于征求意见截止日期 {risk.consultation.end}；"
                    "应先充分征求意见，再公布（附件1 二（三））",
                )


def check_reviewed_risk_has_consultation_and_measures(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    for i, risk in enumerate(src.valid_model.risks):
        if risk.status not in REVIEWED:
            continue
        if risk.consultation is None:
            yield diag(src, ("risks", i, "status"), "consultation-missing",
                       f"状态为“{risk.status.label}”，但没有 consultation（征求意见）记录；"
                       "审定前必须充分征求意见（附件1 二（三））")
        if not risk.measures:
            yield diag(src, ("risks", i, "status"), "measures-missing",
                       f"状态为“{risk.status.label}”，但没有 measures（防控措施）；至少需要一项防控措施（附件1 二（二））")


def check_consultation_figures(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    for i, risk in enumerate(src.valid_model.risks):
        c = risk.consultation
        if c is None:
            continue
        if c.end < c.start:
            yield diag(src, ("risks", i, "consultation", "end"), "consultation-dates",
                       f"征求意见截止日期 {c.end} 早于开始日期 {c.start}")
        if c.adopted > c.comments:
            yield diag(src, ("risks", i, "consultation", "adopted"), "adopted-exceeds-comments",
                       f"采纳意见数 {c.adopted} 大于收到意见数 {c.comments}")


_GUIDANCE_FIELDS = ("counterparts", "corrected")


_SURVEY_FIELDS = ("respondents", "satisfied")


def check_activity_figures(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    for i, act in enumerate(src.valid_model.activities):
        for name in _GUIDANCE_FIELDS:
            if getattr(act, name) is not None and act.kind is not ActivityKind.guidance:
                yield diag(src, ("activities", i, name), "field-for-other-kind",
                           f"{name} 只用于行政指导（kind: guidance），本条是“{act.kind.label}”")
        for name in _SURVEY_FIELDS:
            if getattr(act, name) is not None and act.kind is not ActivityKind.survey:
                yield diag(src, ("activities", i, name), "field-for-other-kind",
                           f"{name} 只用于调查（kind: survey），本条是“{act.kind.label}”")
        if act.corrected is not None:
            if act.counterparts is None:
                yield diag(src, ("activities", i, "corrected"), "corrected-without-counterparts",
                           "写了 corrected（已纠正数），但没有 counterparts（指导的行政相对人数）")
            elif act.corrected > act.counterparts:
                yield diag(src, ("activities", i, "corrected"), "corrected-exceeds-counterparts",
                           f"已纠正数 {act.corrected} 大于指导的行政相对人数 {act.counterparts}")
        if act.satisfied is not None:
            if act.respondents is None:
                yield diag(src, ("activities", i, "satisfied"), "satisfied-without-respondents",
                           "写了 satisfied（满意数），但没有 respondents（调查对象数）")
            elif act.satisfied > act.respondents:
                yield diag(src, ("activities", i, "satisfied"), "satisfied-exceeds-respondents",
                           f"满意数 {act.satisfied} 大于调查对象数 {act.respondents}")


def check_no_penalty_condition(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    for i, risk in enumerate(src.valid_model.risks):
        if risk.no_penalty and not risk.no_penalty_condition.strip():
            yield diag(src, ("risks", i, "no_penalty"), "no-penalty-condition",
                       "列入免罚清单（no_penalty: true）时必须写明 no_penalty_condition（免罚适用条件），"
                       "例如“1. 违法行为轻微；2. 及时改正；3. 没有造成危害后果”")


def check_attention_order(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    """附件1 二（一）先梳理社会公众关注度高的违法风险点: a high-attention point still at draft or
    consulting while a point of lower declared attention (medium, low) is already published.
    A point without ``attention`` is not compared: its attention is unknown, not low."""
    published = [(r.id, r.attention) for r in src.valid_model.risks
                 if r.status is Status.published and (r.attention is Level.medium or r.attention is Level.low)]
    if not published:
        return
    for i, risk in enumerate(src.valid_model.risks):
        if risk.attention is not Level.high or risk.status not in (Status.draft, Status.consulting):
            continue
        lower = "、".join(f"{rid}（关注度{attention.label}）" for rid, attention in published[:3])
        more = f"等 {len(published)} 个" if len(published) > 3 else ""
        yield diag(
            src, ("risks", i, "status"), "attention-order",
            f"社会关注度高的风险点仍为“{risk.status.label}”，而本单位社会关注度较低的 {lower}{more}已公布；"
            "应先梳理、公布社会公众关注度高的违法风险点（附件1 二（一））",
            severity="warning",
        )


def check_basis_has_penalty_or_coercion(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    for i, risk in enumerate(src.valid_model.risks):
        if risk.factors.unclear_law:
            continue
        if not any(b.role in (BasisRole.penalty, BasisRole.coercion) for b in risk.basis):
            yield diag(src, ("risks", i, "basis"), "basis-without-penalty",
                       "依据中没有处罚依据（role: penalty）或强制依据（role: coercion）；"
                       "公开清单须写明行政处罚和行政强制等依据。法律确无明确规定的，请在 factors 中设 unclear_law: true")


def check_declared_level(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    """附件1 一: the declared level equals the rules' result unless ``level_reason`` says why."""
    levels = settings.levels
    for i, risk in enumerate(src.valid_model.risks):
        if levels == 2 and risk.level is Level.medium:
            yield diag(src, ("risks", i, "level"), "medium-in-two-levels",
                       "fxfk.yaml 设定为两级划分（levels: 2，只分高、低），不能使用“中”；请改为 高 或 低")
            continue
        if risk.attention is Level.medium and levels == 2:
            yield diag(src, ("risks", i, "attention"), "medium-in-two-levels",
                       "fxfk.yaml 设定为两级划分（levels: 2），社会关注度不能使用“中”")
        why = explain(risk.factors, levels)
        if risk.level is not why.level and not risk.level_reason.strip():
            facts = "、".join(f.field for f in why.facts) or "没有设定任何定级事实"
            yield diag(
                src, ("risks", i, "level"), "level-mismatch",
                f"申报等级为“{risk.level.label}”，但按{why.clause.cite()}应为“{why.level.label}”"
                f"（定级事实：{facts}）；请改为 {why.level.label}，或在 level_reason 中说明理由",
            )


# 《行政强制法》 articles that apply to every unpaid money obligation, so citing them says nothing about
# the conduct: 第四十五条 加处罚款或者滞纳金, 第四十六条 行政机关强制执行或申请法院强制执行上述金钱给付,
# 第五十三条 申请人民法院强制执行, 第五十四条 申请前催告. Were they enough, every fined conduct would be 高.
# The act itself sets no measure for any conduct (第十条、第十三条: a law, regulation or local
# regulation on that conduct does), so these are the articles a register might mistake for one.
GENERIC_COERCION_ARTICLES = {
    key: label
    for label, numbers in (("第四十五条", ("四十五", "45")), ("第四十六条", ("四十六", "46")),
                           ("第五十三条", ("五十三", "53")), ("第五十四条", ("五十四", "54")))
    for key in (f"第{n}条" for n in numbers)
}
_COERCION_ACT = "行政强制法"


def _generic_coercion_article(law: str, article: str) -> str | None:
    """The generic 行政强制法 article this basis cites (as 第四十五条), or None."""
    if loose_key(law) != _COERCION_ACT:
        return None
    text = "".join(unicodedata.normalize("NFKC", article).split())
    for key, label in GENERIC_COERCION_ARTICLES.items():
        if text.startswith(key):  # 第四十五条第一款 is 第四十五条; 第一百四十五条 does not start with it
            return label
    return None


def check_coercion_not_only_generic(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    """``factors.coercion`` resting only on the 行政强制法 articles that follow any unpaid fine (附件1 一（一）)."""
    for i, risk in enumerate(src.valid_model.risks):
        if not risk.factors.coercion:
            continue
        coercion = [b for b in risk.basis if b.role is BasisRole.coercion]
        generic = [_generic_coercion_article(b.law, b.article) for b in coercion]
        if not coercion or not all(generic):
            continue
        articles = list(dict.fromkeys(g for g in generic if g))
        cited, these = "、".join(articles), ("这些条款" if len(articles) > 1 else "该条")
        yield diag(
            src, ("risks", i, "factors", "coercion"), "coercion-generic-basis",
            f"coercion: true，但强制依据只有《行政强制法》{cited}：{these}适用于任何逾期不缴纳罚款的当事人，"
            "不是这一违法行为特有的强制，照此每个处以罚款的违法行为都会定为高风险。附件1 一（一）的"
            "“行政强制措施、行政强制执行”应是针对这一违法行为设定的查封、扣押等措施或强制执行："
            "请引用设定它的法律、法规条款（role: coercion）；没有的，请改为 coercion: false 并按其余定级事实重新定级",
            severity="warning", key=True,
        )


def check_consultation_period_and_parties(src: SourceFile[Register], settings: Settings) -> Iterator[Diagnostic]:
    """An approved or published point consulted for fewer days than ``consultation_min_days``, or
    without hearing any 行政相对人 or industry association (附件1 二（三）): warnings, as the rules
    say 一般 (a shorter period may be explained) and a party's name is free text."""
    from fxfk.rules import consultation as rule

    minimum = settings.consultation_min_days
    for i, risk in enumerate(src.valid_model.risks):
        c = risk.consultation
        if c is None or risk.status not in (Status.approved, Status.published) or c.end < c.start:
            continue
        days = rule.period_days(c)
        if minimum and days < minimum:
            yield diag(src, ("risks", i, "consultation", "end"), "consultation-too-short",
                       f"征求意见期限 {c.start} 至 {c.end} 共 {days} 日，短于 fxfk.yaml 设定的 {minimum} 日"
                       f"（{rule.PERIOD_SOURCE}：{rule.PERIOD_WORDING}）；期限较短的，请在公布材料中说明理由",
                       severity="warning")
        if not any(rule.hears_businesses(p) for p in c.parties):
            yield diag(src, ("risks", i, "consultation", "parties"), "consultation-no-businesses",
                       f"征求意见对象（{'、'.join(c.parties)}）中没有行政相对人（企业、经营者）或行业协会商会；"
                       f"应充分听取企业和行业协会商会的意见（{rule.PARTIES_SOURCE}）",
                       severity="warning")


RegisterCheck = Callable[["SourceFile[Register]", Settings], Iterable[Diagnostic]]

REGISTER_CHECKS: list[RegisterCheck] = [
    check_batch_ids_unique,
    check_published_risk_has_batch,
    check_reviewed_risk_has_consultation_and_measures,
    check_consultation_figures,
    check_activity_figures,
    check_no_penalty_condition,
    check_attention_order,
    check_basis_has_penalty_or_coercion,
    check_declared_level,
    check_coercion_not_only_generic,
    check_consultation_period_and_parties,
]


def check_register(source: SourceFile[Register], settings: Settings) -> list[Diagnostic]:
    """Every one-register rule on a register whose model is valid."""
    return [d for check in REGISTER_CHECKS for d in check(source, settings)]
