"""`fxfk init`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def init_command(
    directory: Path = typer.Argument(..., help="新数据仓库的目录（不存在会创建；已有的文件不会被覆盖）。", file_okay=False),
    organization: str = typer.Option("郑州市商务局", "--organization", help="发布机关名称，写入 fxfk.yaml，印在公开清单上。"),
    year: Optional[int] = typer.Option(None, "--year", help="年度工作任务表的年份，缺省为今年。", show_default=False),
    source: Optional[str] = typer.Option(
        None, "--source",
        help="fxfk 的 git 仓库地址：CI 从这里安装 fxfk，pre-commit 从这里取钩子。缺省时 CI 用 pip install fxfk，pre-commit 的地址需要手工填写。",
        show_default=False,
    ),
) -> None:
    """新建一个数据仓库：fxfk.yaml、示例登记册、年度任务表、JSON Schema、.gitignore、GitHub Actions 与 GitLab CI 配置、.pre-commit-config.yaml。

    生成后 fxfk validate 立即通过。目录中已有同名文件时什么也不写，列出这些文件并以退出码 2 结束。

    示例：

        fxfk init 新郑市商务局风险防控 --organization 新郑市商务局 --year 2020
    """
    from fxfk.edit.scaffold import default_year, init_repository

    result = init_repository(directory, organization, year or default_year(), source)
    typer.echo(f"已在“{directory}”中创建 {len(result.written)} 个文件：")
    for rel in result.written:
        typer.echo(f"  {rel}")
    typer.echo("下一步：把 data/risks/example.yaml 改为本单位的登记册（或 fxfk new office …），然后运行 fxfk validate。")
    if not result.source_given:
        typer.echo(".pre-commit-config.yaml 中的 repo 地址是占位符，请改为 fxfk 的 git 仓库地址（或重新运行并加 --source）。")
