"""`fxfk consult draft` and `fxfk consult tally` (附件1 二（三）充分征求意见)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import OFFICE_HELP, DateOption, RootOption, load_options, office_ids, parse_day, resolve_root

app = typer.Typer(
    help=(
        "征求意见（附件1 二（三））：生成发给企业、行业协会商会的征求意见稿和意见反馈表，汇总收回的反馈表。\n\n"
        "示例：\n\n"
        "    fxfk consult draft --office 二七区商务局 --deadline 2019-12-10 --out 征求意见\n\n"
        "    fxfk consult tally 反馈表/*.xlsx --write"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

FORMATS = ("docx", "html", "md")
MARKER = ".fxfk-consult"
MARKER_TEXT = "本目录由 fxfk consult draft 生成，每次运行整体替换。\n"


def _repository(data_root: Path, command: str, what: str):  # -> Repository
    """The loaded repository; data with errors is refused as every command refuses it."""
    import dataclasses

    import fxfk
    from fxfk.errors import DataRefused

    options = load_options()
    result = fxfk.validate(data_root, dataclasses.replace(options, date=None))
    if result.errors:
        raise DataRefused(f"数据有错误，{command} 不在有错误的数据上{what}；请先修正：", result.diagnostics, files=result.files)
    return result.loaded_repo


def _formats(value: str) -> list[str]:
    from fxfk.errors import FxfkError
    from fxfk.models.text import echo

    chosen = []
    for part in value.split(","):
        name = {"markdown": "md"}.get(part.strip().lower(), part.strip().lower())
        if name not in FORMATS:
            raise FxfkError(f"--format “{echo(part)}”无效；可选：{'、'.join(FORMATS)}（可用逗号分隔多个）")
        chosen.append(name)
    return list(dict.fromkeys(chosen))


@app.command("draft")
def draft_command(
    office: Optional[List[str]] = typer.Option(None, "--office", help="只要这些单位的风险点：" + OFFICE_HELP, show_default=False),
    risk: Optional[List[str]] = typer.Option(
        None, "--risk", metavar="〈编号〉", help="只要这些风险点（任何状态），如 EQ-JZ-002；可重复，也可用逗号分隔。缺省为状态为“征求意见”的全部风险点。",
        show_default=False,
    ),
    format: str = typer.Option("docx,html,md", "--format", "-f", metavar="docx,html,md", help="征求意见稿的格式，逗号分隔；反馈表总是生成 XLSX。"),
    out: Path = typer.Option(Path("征求意见"), "--out", "-o", metavar="〈目录〉", help="输出目录；每次整体替换（缺省 征求意见/）。", file_okay=False),
    deadline: Optional[str] = typer.Option(
        None, "--deadline", metavar="〈日期〉", help="反馈截止日期（YYYY-MM-DD）；缺省为印发日期起算满 30 日（fxfk.yaml 设了 consultation_min_days 的，满该天数）。",
        show_default=False,
    ),
    date: Optional[str] = DateOption,
    root: Optional[Path] = RootOption,
) -> None:
    """生成征求意见稿（封面函 + 逐项列出的风险点）和意见反馈表。

    征求意见稿逐项写明违法风险点、拟定的风险等级及其所依据的附件1 一的条款、行政处罚和行政强制等依据、裁量标准、防控措施和责任单位，编号为“第N项”，便于反馈时引用；不含案件数、原因分析、社会关注度等内部字段。封面函写明征求意见的内容、反馈截止日期、反馈方式和登记册中的联系电话。

    输出目录中：征求意见稿.docx（GB/T 9704 公文格式）、.html、.md；意见反馈表.xlsx 和 .docx（发给企业）；意见反馈表（处理用）.xlsx 和 .docx（多“是否采纳”“理由”两列，供经办人汇总）。

    示例：

        fxfk consult draft

        fxfk consult draft --risk EQ-JZ-002 --deadline 2019-12-10 --date 2019-11-25 --out 征求意见
    """
    from fxfk.dates import chinese_date
    from fxfk.publish.output import write_atomically
    from fxfk.render.consult import write_drafts
    from fxfk.rules.consultation import build_draft

    formats = _formats(format)
    day = parse_day(date)
    until = parse_day(deadline, "--deadline") if deadline else None
    data_root = resolve_root(root)
    offices = office_ids(data_root, office, load_options())
    risks = [r.strip() for item in risk or () for r in item.replace("，", ",").split(",") if r.strip()]
    repo = _repository(data_root, "fxfk consult draft", "生成征求意见稿")
    draft = build_draft(repo, day, until, offices, risks)
    files = write_atomically(out, data_root, lambda tmp: write_drafts(draft, data_root, tmp, formats),
                             MARKER, MARKER_TEXT, what="征求意见稿", command="fxfk consult draft")
    typer.echo(f"已写入 {len(files)} 个文件到 {out}/：{len(draft.items)} 项风险点，反馈截止{chinese_date(draft.deadline)}")


@app.command("tally")
def tally_command(
    forms: List[Path] = typer.Argument(..., metavar="〈反馈表.xlsx〉...", help="收回的意见反馈表（XLSX），可以多个。", dir_okay=False),
    write: bool = typer.Option(False, "--write", help="把各风险点的收到意见数、采纳数和反馈单位写入登记册的 consultation，并追加一条征求意见工作记录（只改这些行）。"),
    date: Optional[str] = DateOption,
    root: Optional[Path] = RootOption,
) -> None:
    """汇总收回的意见反馈表：逐个风险点统计收到的意见数、采纳数（按“是否采纳”一栏）和反馈单位。

    按风险点编号、风险点名称或序号（含“第N项”）对应到风险点；行的顺序、空行、合并单元格都不影响汇总。对应不到任何风险点的意见逐条列出，不会被丢弃。

    --write：用汇总结果替换 consultation 的 comments、adopted，把新的反馈单位追加到 parties，并在 activities 末尾追加一条 kind: consultation 的工作记录（日期取 --date）；文件其余部分一字不改。有对应不到的意见时不写入。

    退出码：0 全部意见都已对应（--write：已写入）；1 有对应不到的意见；2 用法错误、反馈表无法读取或无法安全修改（此时不写任何文件）。

    示例：

        fxfk consult tally 反馈表1.xlsx 反馈表2.xlsx

        fxfk consult tally 反馈表/*.xlsx --write --date 2019-12-11
    """
    from fxfk.edit import consult_tally
    from fxfk.errors import FxfkError
    from fxfk.render.consult import tally_text

    day = parse_day(date)
    for path in forms:
        if not path.is_file():
            raise FxfkError(f"找不到反馈表“{path}”")
    data_root = resolve_root(root)
    repo = _repository(data_root, "fxfk consult tally", "汇总意见")
    result = consult_tally.tally(repo, forms)
    typer.echo(tally_text(result), nl=False)
    if result.unmatched:
        if write:
            typer.echo("有对应不到风险点的意见，未写入登记册；请在反馈表中写明风险点编号或序号后重新汇总。", err=True)
        raise typer.Exit(1)
    if write and result.points:
        changed = consult_tally.apply(data_root, result, day)
        typer.echo(f"已写入 {'、'.join(changed)}")
