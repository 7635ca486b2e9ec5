"""`fxfk new risk` and `fxfk new office`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from fxfk.cli.options import RootOption, resolve_root

app = typer.Typer(
    help=(
        "新建风险点或单位登记册的骨架（只追加文字，文件其余部分一字不改）。\n\n"
        "示例：\n\n"
        "    fxfk new office jinshui --name 金水区商务局 --kind county\n\n"
        "    fxfk new risk jinshui --title 发卡企业未报送业务信息 --domain 预付卡"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("risk")
def new_risk_command(
    office: str = typer.Argument(..., metavar="OFFICE", help="单位标识（data/risks/<单位标识>.yaml）。"),
    title: Optional[str] = typer.Option(None, "--title", help="违法风险点；缺省写“待填写：违法风险点”。", show_default=False),
    domain: Optional[str] = typer.Option(None, "--domain", help="行业/领域；也决定编号前缀（沿用本单位该领域已有的前缀）。", show_default=False),
    prefix: Optional[str] = typer.Option(None, "--prefix", help="编号前缀，如 JS-YFK；缺省按下面的规则推定。", show_default=False),
    root: Optional[Path] = RootOption,
) -> None:
    """在单位登记册的 risks 末尾追加一个新风险点的骨架（状态为草稿），编号取下一个空号。

    编号规则：前缀取 --prefix；否则取本单位同一领域（--domain）最后一个风险点的前缀；否则取本单位最后一个
    风险点的前缀；单位还没有风险点时用单位标识的大写加“-”（如 ERQI-）。序号为所有登记册中该前缀的最大
    序号加 1，位数与已有编号相同（至少 3 位）。必填字段中未给出的写“待填写：…”，能通过校验，但一看便知要补写。

    示例：

        fxfk new risk jinshui --title 发卡企业未报送业务信息 --domain 预付卡
    """
    from fxfk.cli.options import load_options
    from fxfk.edit.scaffold import new_risk

    data_root = resolve_root(root)
    result = new_risk(data_root, office, title, domain, prefix, load_options())
    rel = result.path.relative_to(data_root).as_posix()
    typer.echo(f"已在 {rel}:{result.line} 追加风险点 {result.id}（草稿）；请补写“待填写”的内容。")


@app.command("office")
def new_office_command(
    office_id: str = typer.Argument(..., metavar="ID", help="单位标识：小写字母开头，只含小写字母、数字和连字符，如 jinshui。"),
    name: str = typer.Option(..., "--name", help="单位名称，如 金水区商务局。"),
    kind: str = typer.Option(..., "--kind", help="单位类型：county（县（市、区）商务局）、division（机关处室）或 affiliate（局属单位）。"),
    root: Optional[Path] = RootOption,
) -> None:
    """新建单位登记册 data/risks/<ID>.yaml（单位信息，空的批次、风险点和工作记录）。已存在时不覆盖。

    示例：

        fxfk new office jinshui --name 金水区商务局 --kind county
    """
    from fxfk.edit.scaffold import new_office

    data_root = resolve_root(root)
    path = new_office(data_root, office_id, name, kind)
    typer.echo(f"已创建 {path.relative_to(data_root).as_posix()}；新增风险点：fxfk new risk {office_id}")
