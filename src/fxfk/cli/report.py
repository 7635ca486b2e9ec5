"""`fxfk report`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import OFFICE_HELP, RootOption, formats_list, load_options, office_ids, parse_day, resolve_root


def report_command(
    root: Optional[Path] = RootOption,
    date: Optional[str] = typer.Option(None, "--date", metavar="〈日期〉", help="报告日期 YYYY-MM-DD：所有数字按这一天计算（缺省今天）。", show_default=False),
    year: Optional[int] = typer.Option(None, "--year", metavar="〈年份〉", help="年度：任务表、工作记录和加减分的年度；缺省为 --date 所在年度的任务表，没有则取最新的一张。", show_default=False),
    office: Optional[List[str]] = typer.Option(None, "--office", help="只报告这些单位：" + OFFICE_HELP, show_default=False),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="输出目录；每次整体替换（缺省 reports/）。", file_okay=False),
    format: Optional[List[str]] = typer.Option(None, "--format", "-f", help="输出格式，逗号分隔或重复：html,md,docx（缺省全部；md 也可写 markdown）。", show_default=False),
) -> None:
    """生成给市商务局领导的进展与评估报告（附件1 二（六）、附件2）。

    内容：总体情况（各单位风险点按等级、状态）、工作漏斗（已梳理 → 征求意见 → 已审定 → 已公布）、
    年度任务完成情况（逾期在前）、各单位工作开展情况（并列出没有记录的单位）、分析评估（公布前一年与公布后
    的案件数、法律遵从度、满意度、建议修订完善和典型案例候选）、考核加减分。HTML 内嵌 SVG 图表，可离线打开、
    A4 打印；另有 Markdown 和 DOCX。分母为 0 的比例写“无数据”。同样的数据和 --date 得到逐字节相同的文件。

    数据有错误（fxfk validate 报错）时拒绝生成，打印错误并以退出码 1 结束。

    示例：

        fxfk report --date 2019-12-31

        fxfk report --date 2019-12-31 --office county --format html,docx
    """
    from fxfk.errors import FxfkError, os_error_message
    from fxfk.report import parse_formats, write_report

    data_root = resolve_root(root)
    formats = parse_formats(formats_list(format))
    day = parse_day(date)
    options = load_options(day)
    offices = office_ids(data_root, office, options)
    try:
        result = write_report(data_root, out, options, year, offices, formats)
    except OSError as exc:
        if exc.filename is not None:
            raise
        # A write() on a full disk names no file: name the output folder (the old one is kept).
        raise FxfkError(os_error_message(exc, out)) from exc
    for note in result.notes:  # e.g. no Chinese font for the DOCX charts: the report is written, say what it lacks
        typer.echo(f"注意：{note}", err=True)
    r = result.report
    typer.echo(
        f"已写入 {len(result.files)} 个文件到 {out}/（报告日期 {day}，{r.year} 年任务表）：{r.offices} 个单位，"
        f"{r.risk_total} 个风险点，已公布 {r.city_funnel.published} 个，逾期任务 {r.task_counts[0][1]} 项"
    )
