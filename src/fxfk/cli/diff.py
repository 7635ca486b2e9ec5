"""`fxfk diff`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import FORMAT_ALIASES, RootOption, choice, parse_day, resolve_root
from fxfk.cli.output import OutputOption, emit, text_columns

FORMATS = ["text", "json", "markdown"]
FAIL_ON = ["level-down", "unpublish"]  # level_down is accepted too


def diff_command(
    base: Optional[str] = typer.Argument(None, help="基准版本（分支、标签或提交）；缺省为 HEAD 与默认分支的合并基点。", show_default=False),
    head: Optional[str] = typer.Argument(None, help="对比版本；缺省为工作区（包括未提交的修改）。", show_default=False),
    root: Optional[Path] = RootOption,
    format: str = typer.Option(
        "text", "--format", "-f", metavar="|".join(FORMATS), help="输出格式：text、json 或 markdown（也可写 md；可直接贴为合并请求评论）。"
    ),
    fail_on: Optional[List[str]] = typer.Option(
        None, "--fail-on", metavar="|".join(FAIL_ON),
        help="审查规则，可重复：level-down（降低风险等级却没写 level_reason）、unpublish（直接删除已公布的风险点而不是改为已废止）。违反时退出码为 1。",
        show_default=False,
    ),
    date: Optional[str] = typer.Option(None, "--date", metavar="〈日期〉", help="按哪一天判断“对外公开”（YYYY-MM-DD），缺省为今天。", show_default=False),
    output: Optional[Path] = OutputOption,
) -> None:
    """按含义比较 git 中两个版本的数据：新增、删除、废止的风险点，等级变化（附条款），状态变化和将对外公开的风险点，依据和防控措施的变化，新的公布批次，任务表的变化。

    缺省的基准是 HEAD 与默认分支（origin/HEAD，没有则 main，再没有则 master）的合并基点，对比的是工作区。
    某一版本的数据未通过校验时照样比较，并在开头说明；无法读取的文件不参与比较。

    退出码：0 完成，1 违反 --fail-on 的规则，2 用法错误（不是 git 仓库、版本不存在等）。

    示例：

        fxfk diff

        fxfk diff main HEAD --format markdown --output diff.md

        fxfk diff origin/main HEAD --fail-on level-down --fail-on unpublish
    """
    from fxfk.diff.compare import run_diff
    from fxfk.diff.report import Rule
    from fxfk.render.diff import RENDERERS, render_text

    chosen = choice(format, "--format", FORMATS, FORMAT_ALIASES)
    rules = [Rule(choice(r, "--fail-on", FAIL_ON)) for r in fail_on or ()]
    day = parse_day(date, "--date")
    report = run_diff(resolve_root(root), base, head, day, rules)
    if chosen == "text":
        emit(render_text(report, columns=text_columns(output)), output)
    else:
        emit(RENDERERS[chosen](report), output)
    raise typer.Exit(1 if report.violations else 0)
