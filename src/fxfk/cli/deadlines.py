"""`fxfk deadlines`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from fxfk.cli.options import RootOption, date_arithmetic, load_options, parse_day, resolve_root, use_color

if TYPE_CHECKING:
    from fxfk.tasks.guidance import GuidanceReport
    from fxfk.tasks.status import TaskReport


class DeadlinesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(str, Enum):
    overdue = "overdue"
    due_soon = "due_soon"


def deadlines_command(
    root: Optional[Path] = RootOption,
    year: Optional[int] = typer.Option(None, "--year", help="任务表年度；缺省为 --today 所在年度的任务表，没有则取最新的一张。", show_default=False),
    today: Optional[str] = typer.Option(None, "--today", help="按哪一天计算状态（YYYY-MM-DD），缺省为今天；固定它可得到可重复的结果。", show_default=False),
    office: Optional[List[str]] = typer.Option(None, "--office", help="只看这些单位：单位标识或单位类型（county/division/affiliate），可重复，也可用逗号分隔。", show_default=False),
    format: DeadlinesFormat = typer.Option(DeadlinesFormat.text, "--format", "-f", help="输出格式：text、json 或 markdown。"),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="有任何条目达到该状态或更严重时以退出码 1 结束：overdue（已逾期）或 due_soon（即将到期及已逾期）。", show_default=False),
    guidance: bool = typer.Option(False, "--guidance", help="改为列出已公布风险点的行政指导期限（按风险等级的 guidance_days）。"),
) -> None:
    """跟踪年度工作任务表（附件2）：各单位每项任务的完成情况、逾期和即将到期的事项。

    完成情况由各单位登记册中的工作记录（activities）计算：写明 task 的记录，或类型等于任务 counts 的记录，
    按 count 累加，达到 target（未设则 1 次）即完成。状态：已完成、逾期完成、已逾期、即将到期（due_soon_days
    天内，缺省 14）、进行中、无固定时限。剩余/逾期天数按国家法定节假日和调休安排计算工作日。

    数据有错误（fxfk validate 报错）时拒绝计算，打印错误并以退出码 1 结束。

    示例：

        fxfk deadlines --today 2019-09-10

        fxfk deadlines --office jinshui --format json

        fxfk deadlines --fail-on overdue

        fxfk deadlines --guidance --today 2020-03-01
    """
    import sys

    import fxfk
    from fxfk.render import tasks as render
    from fxfk.tasks import status

    data_root = resolve_root(root)
    day = parse_day(today, "--today")
    names = [n.strip() for item in office or () for n in item.split(",") if n.strip()] or None
    options = load_options(day)

    # Data with errors is refused (fxfk.DataRefused, shown by cli/app.py).
    report: TaskReport | GuidanceReport
    if guidance:
        with date_arithmetic("行政指导频次 guidance_days"):
            report = fxfk.guidance(data_root, options, offices=names)
    else:
        with date_arithmetic("即将到期提醒天数 due_soon_days"):
            report = fxfk.task_status(data_root, options, year=year, offices=names)

    color = format is DeadlinesFormat.text and use_color()
    # color=: click would strip the escapes when stdout is not a terminal, even under FORCE_COLOR.
    typer.echo(render.render(report, format.value, color=color), nl=False, color=color)
    if format is DeadlinesFormat.json and report.note:
        # The JSON stays a plain list for tools; the calendar caveat goes to the human.
        typer.echo(report.note, err=True)
    threshold = status.TaskState(fail_on.value) if fail_on else None
    sys.stdout.flush()
    raise typer.Exit(1 if status.fails((r.status for r in report.rows), threshold) else 0)
