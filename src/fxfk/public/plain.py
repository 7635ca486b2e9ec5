"""Cell texts for the formats without markup (CSV, XLSX, DOCX, Markdown), from the public view."""

from __future__ import annotations

from fxfk.public.view import Citation, NoPenaltyItem, PublicRisk

RISK_COLUMNS = ("序号", "违法风险点", "风险等级", "行政处罚和行政强制等依据（含裁量标准）", "防控措施", "责任单位")
NO_PENALTY_COLUMNS = ("序号", "事项名称", "实施依据", "免罚情形", "适用条件")


def citation_lines(citations: tuple[Citation, ...]) -> list[str]:
    """《办法》（文号）第七条、第三十六条, then each excerpt as 第三十六条：……"""
    lines: list[str] = []
    for c in citations:
        lines.append(c.text)
        for e in c.excerpts:
            lines.append(f"{e.article}：{e.text}")
    return lines


def basis_text(risk: PublicRisk) -> str:
    lines = citation_lines(risk.citations)
    if risk.tiers:
        lines.append("裁量标准：")
        lines += [f"{k}. {t.circumstance}：{t.sanction}" for k, t in enumerate(risk.tiers, 1)]
    elif risk.discretion_text:
        lines.append(f"裁量标准：{risk.discretion_text}")
    return "\n".join(lines)


def measures_text(risk: PublicRisk) -> str:
    if len(risk.measures) == 1:
        m = risk.measures[0]
        return f"{m.kind}：{m.text}"
    return "\n".join(f"{k}. {m.kind}：{m.text}" for k, m in enumerate(risk.measures, 1))


def numbered(items: tuple[str, ...]) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{k}. {s}" for k, s in enumerate(items, 1))


def risk_row(risk: PublicRisk, seq: int | None = None) -> list[int | str]:
    return [seq if seq is not None else risk.seq, risk.title, risk.level, basis_text(risk), measures_text(risk), risk.responsible]


def no_penalty_row(item: NoPenaltyItem, seq: int | None = None) -> list[int | str]:
    return [
        seq if seq is not None else item.seq, item.title, "\n".join(citation_lines(item.citations)),
        numbered(item.situations), item.condition,
    ]
