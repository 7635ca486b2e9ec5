"""`fxfk import` (the module is import_: ``import`` is a Python keyword)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import RootOption, choice, load_options, resolve_root

FORMATS = ["text", "json"]


def import_command(
    file: Path = typer.Argument(..., metavar="〈文件〉", help="单位现有的清单：Excel（.xlsx）或 Word（.docx）。", dir_okay=False),
    office: str = typer.Option(..., "--office", metavar="〈单位标识〉", help="导入到哪个单位：data/risks/<单位标识>.yaml；没有时新建。"),
    name: Optional[str] = typer.Option(None, "--name", metavar="〈名称〉", help="新建登记册时的单位名称；缺省取表格上方的“填报单位”或标题。", show_default=False),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="county|division|affiliate", help="新建登记册时的单位类型；名称以区/县/市商务局结尾时缺省为 county。", show_default=False),
    sheet: Optional[List[str]] = typer.Option(None, "--sheet", metavar="〈名称〉", help="只导入这些工作表（可重复）；缺省导入每个有表头的工作表。", show_default=False),
    maps: Optional[List[str]] = typer.Option(None, "--map", metavar="〈列名=字段〉", help="指定某列导入哪个字段（可重复），如 --map 检查事项=title；--map 列名=- 表示有意不导入这一列。", show_default=False),
    status: str = typer.Option("draft", "--status", metavar="〈状态〉", help="导入的风险点的状态：缺省 draft（草稿，不会公开）。"),
    prefix: Optional[str] = typer.Option(None, "--prefix", metavar="〈前缀〉", help="编号前缀，如 JS-YFK；缺省与 fxfk new risk 相同。", show_default=False),
    first_level_low: bool = typer.Option(False, "--first-level-low", help="“一级/二级/三级”按一级最低读取（缺省一级最高：一级 = 高）。"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示将导入什么和需要人工核对的地方，不写任何文件。"),
    format: str = typer.Option("text", "--format", "-f", metavar="|".join(FORMATS), help="报告格式：text 或 json。"),
    root: Optional[Path] = RootOption,
) -> None:
    """把单位现有的违法风险点清单（Excel 或 Word 表格）导入登记册，不丢失任何内容。

    按表头用词找到表头（可以有标题行、“填报单位：… 日期：…”行和两行表头），合并单元格的内容属于它跨过的每一行；
    依据拆成法规名称、条款和条文摘录（“违法依据”列为 violated，“处罚依据”列为 penalty，未区分的按 penalty
    导入并注明待核），防控措施按编号或分行拆成逐项措施并推断措施类型，风险等级识别 高/中/低、重大/较大/一般、
    一级/二级/三级。每个风险点取下一个空号，状态为草稿，并在注释中写明来源行。表中每个非空单元格都进入
    某个字段，或列在报告中；不知道导入哪个字段的列会使导入停止，并给出应使用的 --map。

    报告列出需要人工核对的地方：无法识别的等级、没有《法规名称》的依据、未能拆分的措施、重名的风险点、
    不在法规目录中的法规。定级事实（factors）留空，补写后运行 fxfk classify 核对等级。

    旧版 .xls/.doc 请先在 Excel/Word 中另存为 .xlsx/.docx。

    退出码：0 已导入（或 --dry-run 已列出）；2 文件无法读取、有列无法对应、或参数错误（此时不写任何文件）。

    示例：

        fxfk import 金水区风险点清单.xlsx --office jinshui --dry-run

        fxfk import 清单.docx --office jinshui --name 金水区商务局 --kind county --map 检查内容=conduct
    """
    from fxfk.edit import import_yaml
    from fxfk.edit.table_import import import_table

    chosen = choice(format, "--format", FORMATS, {})
    data_root = resolve_root(root)
    result = import_table(
        data_root, file, office, name=name, kind=kind, sheets=sheet, maps=maps, status=status,
        dry_run=dry_run, first_is_low=first_level_low, prefix=prefix, options=load_options(),
    )
    typer.echo(import_yaml.render_json(result) if chosen == "json" else import_yaml.render_text(result), nl=False)
