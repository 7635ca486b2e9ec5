"""`fxfk deadlines`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from fxfk.cli.options import (
    FORMAT_ALIASES,
    OFFICE_HELP,
    RootOption,
    choice,
    date_arithmetic,
    load_options,
    office_ids,
    parse_day,
    resolve_root,
    use_color,
)
from fxfk.cli.output import OutputOption, emit, text_columns

if TYPE_CHECKING:
    from fxfk.tasks.guidance import GuidanceReport
    from fxfk.tasks.status import TaskReport

FORMATS = ["text", "json", "markdown"]
# --fail-on's values as the help writes them; due_soon (the JSON's token) is accepted too.
FAIL_ON = ["overdue", "due-soon"]


def deadlines_command(
    root: Optional[Path] = RootOption,
    year: Optional[int] = typer.Option(None, "--year", metavar="〈年份〉", help="任务表年度；缺省为 --date 所在年度的任务表，没有则取最新的一张。", show_default=False),
    date: Optional[str] = typer.Option(
        None, "--date", "--today", metavar="〈日期〉",
        help="按哪一天计算状态（YYYY-MM-DD），缺省为今天；固定它可得到可重复的结果。", show_default=False,
    ),
    office: Optional[List[str]] = typer.Option(None, "--office", help="只看这些单位：" + OFFICE_HELP, show_default=False),
    format: str = typer.Option("text", "--format", "-f", metavar="|".join(FORMATS), help="输出格式：text、json 或 markdown（也可写 md）。"),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", metavar="|".join(FAIL_ON),
        help="有任何条目达到该状态或更严重时以退出码 1 结束：overdue（已逾期）或 due-soon（即将到期及已逾期，也可写 due_soon）。",
        show_default=False,
    ),
    guidance: bool = typer.Option(False, "--guidance", help="改为列出已公布风险点的行政指导期限（按风险等级的 guidance_days）。"),
    output: Optional[Path] = OutputOption,
) -> None:
    """跟踪年度工作任务表（附件2）：各单位每项任务的完成情况、逾期和即将到期的事项。

    完成情况由各单位登记册中的工作记录（activities）计算：写明 task 的记录，或类型等于任务 counts 的记录，
    按 count 累加，达到 target（未设则 1 次）即完成。状态：已完成、逾期完成、已逾期、即将到期（due_soon_days
    天内，缺省 14）、进行中、无固定时限。剩余/逾期天数按国家法定节假日和调休安排计算工作日。

    数据有错误（fxfk validate 报错）时拒绝计算，打印错误并以退出码 1 结束。

    示例：

        fxfk deadlines --date 2019-09-10

        fxfk deadlines --office 金水区商务局 --format json

        fxfk deadlines --fail-on overdue

        fxfk deadlines --guidance --date 2020-03-01 --output 指导期限.txt
    """
    import fxfk
    from fxfk.render import tasks as render
    from fxfk.tasks import status

    chosen = choice(format, "--format", FORMATS, FORMAT_ALIASES)
    threshold = status.TaskState(choice(fail_on, "--fail-on", FAIL_ON).replace("-", "_")) if fail_on else None
    data_root = resolve_root(root)
    day = parse_day(date, "--date")
    options = load_options(day)
    names = office_ids(data_root, office, options)

    # Data with errors is refused (fxfk.DataRefused, shown by cli/app.py).
    report: TaskReport | GuidanceReport
    if guidance:
        with date_arithmetic("行政指导频次 guidance_days"):
            report = fxfk.guidance(data_root, options, offices=names)
    else:
        with date_arithmetic("即将到期提醒天数 due_soon_days"):
            report = fxfk.task_status(data_root, options, year=year, offices=names)

    color = chosen == "text" and output is None and use_color()
    emit(render.render(report, chosen, color=color, columns=text_columns(output)), output, color)
    if chosen == "json" and report.note:
        # The JSON stays a plain list for tools; the calendar caveat goes to the human.
        typer.echo(report.note, err=True)
    raise typer.Exit(1 if status.fails((r.status for r in report.rows), threshold) else 0)
