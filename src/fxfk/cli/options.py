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


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()
