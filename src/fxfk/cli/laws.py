"""`fxfk laws`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from fxfk.cli.options import FORMAT_ALIASES, RootOption, choice, resolve_root
from fxfk.cli.output import OutputOption, emit, text_columns

FORMATS = ["text", "json", "markdown"]


def laws_command(
    root: Optional[Path] = RootOption,
    law: Optional[str] = typer.Option(None, "--law", help="只看这部法规：名称可写简称或片段（忽略书名号、空格、全角/半角、“（试行）”和“中华人民共和国”），匹配多部时全部列出。", show_default=False),
    unused: bool = typer.Option(False, "--unused", help="只列出法规目录中没有任何风险点引用的法规。"),
    date: Optional[str] = typer.Option(None, "--date", metavar="〈日期〉", help="按哪一天判断法规是否有效、哪些变化尚未发生（YYYY-MM-DD，缺省今天）。", show_default=False),
    format: str = typer.Option("text", "--format", "-f", metavar="|".join(FORMATS), help="输出格式：text、json 或 markdown（也可写 md）。"),
    output: Optional[Path] = OutputOption,
) -> None:
    """法律法规目录（data/laws.yaml）：每部法规被哪些风险点引用，以及即将发生的废止和修订。

    列出目录中的每部法规（文号、效力层级、施行/修订/废止日期、在 --date 当天是否有效）和引用它的
    风险点（单位、编号、状态、公布批次、依据条款）；登记册引用了但目录中没有的法规单独列出，附最接近的
    目录名称。最后是两份清单：--date 之后已知的废止或修订日期到来时，哪些已公布的风险点将引用已废止
    或已修订的法规；以及公布之后所引法规已经修订或废止、需要复核的风险点。

    数据有校验错误时照常列出（引用失效法规正是本命令要找的问题），并在标准错误输出提示；
    有文件无法读取（YAML 或字段格式错误）时拒绝运行，打印这些错误并以退出码 1 结束。
    --law 找不到任何法规时给出最接近的名称，退出码 2。

    示例：

        fxfk laws

        fxfk laws --law 预付卡

        fxfk laws --unused

        fxfk laws --date 2019-09-01 --format json --output laws.json
    """
    from fxfk.cli.options import load_options, parse_day
    from fxfk.errors import DataRefused
    from fxfk.render import diagnostics
    from fxfk.render.laws import RENDERERS, render_text
    from fxfk.rules.law_report import laws_report
    from fxfk.rules.validation import ValidationResult, validate

    chosen = choice(format, "--format", FORMATS, FORMAT_ALIASES)
    data_root = resolve_root(root)
    day = parse_day(date)
    result = validate(data_root, load_options(day))  # FXFK_* and the cache, as every command
    try:
        report = laws_report(result, day, law=law, unused=unused)
    except DataRefused as refused:
        # Printed here until cli/app.py prints every DataRefused's diagnostics itself (issue 14).
        files = len({d.file for d in refused.diagnostics})
        typer.echo(refused.message + "\n", err=True)
        typer.echo(diagnostics.render_text(ValidationResult(result.repo, files, refused.diagnostics)), err=True, nl=False)
        raise typer.Exit(1) from None
    if chosen == "text":
        emit(render_text(report, columns=text_columns(output)), output)
    else:
        emit(RENDERERS[chosen](report), output)
    if result.errors:
        typer.echo(f"注意：数据中有 {result.errors} 个校验错误，用 fxfk validate 查看。", err=True)
