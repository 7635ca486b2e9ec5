"""`fxfk validate`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import RootOption, choice, load_options, parse_day, resolve_root, use_color
from fxfk.cli.output import OutputOption, emit, text_columns

FORMATS = ["text", "json", "github", "junit"]


def validate_command(
    paths: Optional[List[Path]] = typer.Argument(None, help="只报告这些文件或目录中的问题（跨文件规则仍检查全部数据）。", show_default=False),
    root: Optional[Path] = RootOption,
    format: Optional[str] = typer.Option(
        None, "--format", "-f", metavar="|".join(FORMATS),
        help="输出格式：text、json、github 或 junit（JUnit XML，供 Jenkins、GitLab 显示）；缺省为 text，GITHUB_ACTIONS=true 时为 github。",
        show_default=False,
    ),
    strict: bool = typer.Option(False, "--strict", help="有警告也以退出码 1 结束。"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不读也不写 .fxfk-cache/（逐个文件重新解析）。"),
    date: Optional[str] = typer.Option(
        None, "--date", metavar="〈日期〉",
        help="按哪一天区分已公开和计划中的批次（YYYY-MM-DD），缺省为今天；固定它可得到可重复的结果。", show_default=False,
    ),
    output: Optional[Path] = OutputOption,
) -> None:
    """检查所有登记册、任务表和设置是否正确，错误定位到“文件:行:列”。

    退出码：0 通过（允许有警告，除非 --strict），1 发现问题，2 用法错误或找不到数据，3 内部错误。

    示例：

        fxfk validate

        fxfk validate data/risks/jinshui.yaml --format json

        fxfk validate --output 校验结果.txt
    """
    from fxfk.cli.progressbar import progress_bar
    from fxfk.render import diagnostics
    from fxfk.rules.validation import validate

    chosen = choice(format, "--format", FORMATS) if format else None
    options = load_options(parse_day(date), no_cache)
    data_root = resolve_root(root)
    with progress_bar("解析登记册") as progress:
        # Cross-file checks need only each register's facts, not its full model (fxfk.load.facts).
        result = validate(data_root, options, paths or None, progress=progress, facts_only=True)
    chosen = chosen or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = chosen == "text" and output is None and use_color()
    if chosen == "text":
        text = diagnostics.render_text(result, color=color, columns=text_columns(output))
    elif chosen == "json":
        text = diagnostics.render_json(result)
    elif chosen == "junit":
        text = diagnostics.render_junit(result, strict)
    else:
        text = diagnostics.render_github(result, diagnostics.github_workspace_prefix(str(data_root), os.environ.get("GITHUB_WORKSPACE")))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(diagnostics.render_markdown_table(result))
    emit(text, output, color)
    raise typer.Exit(0 if result.ok(strict) else 1)
