"""`fxfk init`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def init_command(
    directory: Path = typer.Argument(..., help="新数据仓库的目录（不存在会创建；已有的文件不会被覆盖）。", file_okay=False),
    organization: Optional[str] = typer.Option(
        None, "--organization",
        help="发布机关名称，如 中牟县商务局：写入 fxfk.yaml，印在公开清单（“发布单位”）和报告的标题上，"
             "也决定清单和预警说“全市”还是“全县”“全区”。没有缺省值：在终端中不写会询问，在脚本中必须写。",
        show_default=False,
    ),
    year: Optional[int] = typer.Option(None, "--year", help="年度工作任务表的年份，缺省为今年。", show_default=False),
    source: Optional[str] = typer.Option(
        None, "--source",
        help="fxfk 的 git 仓库地址（https://…、ssh://… 或 file://…）：生成的 CI 用 pip 从这里安装 fxfk，固定在运行本命令的 "
             "fxfk 的提交上；pre-commit 也从这里取钩子。缺省取 pip 安装 fxfk 时记录的地址，或 fxfk 检出目录的 origin 远程地址；"
             "都没有时必须写。",
        show_default=False,
    ),
) -> None:
    """新建一个数据仓库：fxfk.yaml、示例登记册、年度任务表、JSON Schema、.gitignore、GitHub Actions 与 GitLab CI 配置、.pre-commit-config.yaml。

    生成后 fxfk validate 立即通过。CI 配置用 pip install "fxfk @ git+地址@提交号" 安装运行本命令的这个 fxfk（fxfk 不在
    PyPI 上）。目录中已有同名文件时什么也不写，列出这些文件并以退出码 2 结束。

    示例：

        fxfk init 中牟县风险防控 --organization 中牟县商务局 --source https://git.example.org/zzsw/fxfk.git
    """
    from fxfk.edit.init import default_year, init_repository

    if organization is None and sys.stdin.isatty() and sys.stdout.isatty():
        # Asked, never assumed: a county that took a default city's name would publish under it.
        # (Not on a terminal, init_repository refuses: the other options are checked first.)
        organization = typer.prompt("发布机关名称（印在公开清单和报告上，如 中牟县商务局）")
    result = init_repository(directory, organization, year or default_year(), source)
    typer.echo(f"已在“{directory}”中创建 {len(result.written)} 个文件：")
    for rel in result.written:
        typer.echo(f"  {rel}")
    origin = result.origin
    if origin.commit:
        typer.echo(f"CI 从 {origin.url} 安装 fxfk 的提交 {origin.commit[:12]}（即运行本命令的版本）；这个提交须已推送到该仓库。")
    else:
        typer.echo(f"未能确定运行本命令的 fxfk 的提交号：CI 将安装 {origin.url} 默认分支的最新版本。"
                   "要固定版本，请在 CI 配置的 pip install 一行末尾加上 @提交号，并把 .pre-commit-config.yaml 的 rev 改为同一提交号。")
    typer.echo("下一步：把 data/risks/example.yaml 改为本单位的登记册（或 fxfk new office …），然后运行 fxfk validate。")
