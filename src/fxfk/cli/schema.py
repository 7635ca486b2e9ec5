"""`fxfk schema`."""

from __future__ import annotations

from pathlib import Path

import typer


def schema_command(
    out: Path = typer.Option(Path("schemas"), "--out", "-o", help="写入 JSON Schema 的目录。", file_okay=False),
) -> None:
    """由数据模型生成 JSON Schema（供编辑器自动补全和标出错误）。

    生成 register.schema.json、tasks.schema.json、settings.schema.json、laws.schema.json。

    示例：

        fxfk schema --out schemas
    """
    from fxfk.models.schema import write_schemas

    for path in write_schemas(out):
        typer.echo(f"已写入 {path}")
