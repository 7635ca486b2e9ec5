"""`fxfk classify`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fxfk.cli.options import FORMAT_ALIASES, OFFICE_HELP, RootOption, choice, load_options, office_ids, resolve_root
from fxfk.cli.output import OutputOption, emit, emit_chunks, text_columns

FORMATS = ["text", "json", "csv", "markdown"]


def classify_command(
    root: Optional[Path] = RootOption,
    office: Optional[List[str]] = typer.Option(None, "--office", help="只看这些单位：" + OFFICE_HELP, show_default=False),
    level: Optional[str] = typer.Option(
        None, "--level", help="只看申报等级或规则等级为此等级的风险点：high/medium/low 或 高/中/低。", show_default=False
    ),
    domain: Optional[str] = typer.Option(None, "--domain", help="只看这个行业/领域（与 domain 字段相同）。", show_default=False),
    format: str = typer.Option(
        "text", "--format", "-f", metavar="|".join(FORMATS), help="输出格式：text、json、csv 或 markdown（也可写 md）。"
    ),
    write: bool = typer.Option(
        False, "--write", help="把缺失的、或与规则不一致且没有 level_reason 的 level 改为规则等级（只改这些行）。"
    ),
    output: Optional[Path] = OutputOption,
) -> None:
    """逐个风险点说明风险等级的依据（附件1 一），并给出自动预警和跨单位定级不一致提示。

    每个风险点列出：规则给出的等级、决定等级的条款原文、触发它的定级事实、申报等级，以及二者一致、不一致、或不一致但已在 level_reason 中说明。

    自动预警按 fxfk.yaml 的 hotspot 设置，从 risks[].cases 找出案件数居全市前列或同比明显上升、却没有标记易发高发多发的风险点。

    退出码：0 所有申报等级与规则一致或已说明（--write：已全部改好）；1 有不一致或未填写的等级，或登记册、fxfk.yaml 无法读取（此时只列出这些错误）；2 用法错误，或 --write 无法安全修改（此时不写任何文件）。

    示例：

        fxfk classify

        fxfk classify --office 金水区商务局 --level 高

        fxfk classify --format json --output levels.json

        fxfk classify --write
    """
    import fxfk
    from fxfk.load.gcpause import gc_paused
    from fxfk.render import classify as render

    chosen = choice(format, "--format", FORMATS, FORMAT_ALIASES)
    data_root = resolve_root(root)
    options = load_options()
    offices = office_ids(data_root, office, options)
    # Unreadable registers or ambiguous ids are refused (fxfk.DataRefused, shown by cli/app.py).
    result = fxfk.classify(data_root, options, offices=offices, level=level, domain=domain)
    if not write:
        if chosen in ("json", "text"):  # as it is made: 150,000 rows are too big to hold
            chunks = render.json_chunks(result) if chosen == "json" else render.text_chunks(result, text_columns(output))
            with gc_paused():  # rendering makes acyclic lists and tuples of text: a collection finds nothing
                emit_chunks(chunks, output)
        else:
            emit(render.render(result, chosen, columns=text_columns(output), workers=options.workers()), output)
        raise typer.Exit(0 if result.ok else 1)

    from fxfk.edit import level_lines

    changes = [
        level_lines.LevelChange(r.point.source.rel, r.point.index, r.risk.id, r.declared, r.computed)
        for r in result.rows
        if r.needs_write
    ]
    edits = level_lines.apply(data_root, changes) if changes else []
    emit(render.render_edits(edits, chosen), output)

