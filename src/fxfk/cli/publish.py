"""`fxfk publish`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import OFFICE_HELP, RootOption, formats_list, load_options, office_ids, parse_day, resolve_root


def publish_command(
    root: Optional[Path] = RootOption,
    out: Path = typer.Option(Path("public"), "--out", "-o", help="输出目录；每次发布整体替换（缺省 public/）。", file_okay=False),
    date: Optional[str] = typer.Option(None, "--date", metavar="〈日期〉", help="公布日期 YYYY-MM-DD：只公布此日及以前的批次（缺省今天）。", show_default=False),
    office: Optional[List[str]] = typer.Option(None, "--office", help="只发布这些单位（缺省全部单位）：" + OFFICE_HELP, show_default=False),
    format: Optional[List[str]] = typer.Option(
        None, "--format", "-f", help="输出格式，逗号分隔或重复：html,md,csv,xlsx,docx（缺省全部；md 也可写 markdown）。", show_default=False
    ),
    rebuild: bool = typer.Option(
        False, "--rebuild", help="全部重新生成。缺省时，数据、设置、模板和选项都未变、上次写出后也未被改动的文件直接沿用上次的。"
    ),
) -> None:
    """生成公开的违法风险点清单和轻微违法行为免罚清单（附件1 二（四））。

    只公布状态为“已公布”、且所属批次的公布日期不晚于 --date 的风险点，只输出公开字段
    （违法风险点、风险等级、依据及裁量标准、防控措施、责任单位）。数据校验有错误、公开内容含
    身份证号或手机号、或引用的法规在公布日期已废止/未施行时，拒绝公布（退出码 1）。先写入临时
    目录，全部成功后才替换输出目录。只重新生成内容有变化的文件（如改动过登记册的单位的清单和
    全市清单），其余文件沿用上次发布的；--rebuild 全部重新生成。

    示例：

        fxfk publish

        fxfk publish --date 2019-12-31 --office jinshui --format html,xlsx
    """
    from fxfk.cli.progressbar import progress_bar
    from fxfk.dates import chinese_date
    from fxfk.errors import FxfkError, os_error_message
    from fxfk.publish import parse_formats, publish

    data_root = resolve_root(root)
    formats = parse_formats(formats_list(format))
    day = parse_day(date)
    options = load_options(day)
    offices = office_ids(data_root, office, options)
    try:
        with progress_bar("生成公开清单") as progress:
            result = publish(data_root, out, options, offices, formats, progress, reuse=not rebuild)
    except OSError as exc:
        if exc.filename is not None:
            raise
        # A write() on a full disk names no file: name the output folder (the old one is kept).
        raise FxfkError(os_error_message(exc, out)) from exc
    typer.echo(
        f"已写入 {len(result.files)} 个文件到 {out}/（数据截至{chinese_date(day)}）：{result.offices} 个单位，"
        f"{result.risks} 个公开风险点，{result.no_penalty} 项免罚事项；"
        f"其中重新生成 {len(result.files) - result.reused} 个，沿用上次未变的 {result.reused} 个"
    )
