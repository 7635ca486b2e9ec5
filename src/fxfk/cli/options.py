"""Options shared by several commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

RootOption = typer.Option(
    None, "--root", help="数据仓库目录（含 fxfk.yaml 或 data/）；缺省时从当前目录向上查找。",
    file_okay=False, show_default=False,
)


def resolve_root(root: Optional[Path]) -> Path:
    from fxfk.repository import find_root

    return find_root(Path.cwd(), root)


def parse_day(value: Optional[str], option: str = "--date") -> "dt.date":
    """A YYYY-MM-DD option value (default today); anything else is a usage error (exit 2)."""
    import datetime as dt

    from fxfk.errors import FxfkError
    from fxfk.models.types import parse_iso_date

    if value is None:
        return dt.date.today()
    try:
        return parse_iso_date(value)
    except Exception:  # pydantic's error type; the message below says what is expected
        raise FxfkError(f"{option} “{value}”不是有效日期；应写成 YYYY-MM-DD，例如 2019-09-16") from None


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()
