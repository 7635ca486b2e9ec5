"""Where a report goes and how wide it may be; output that never fails on the console's encoding.

- Encoding: a Chinese Windows console, or output redirected from it, encodes in GBK (code page
  936), which has no ✓, ⚠ or emoji. :func:`install_streams` makes standard output and standard error
  replace what their encoding cannot hold — the marks by look-alikes that GBK has (✓ → √, ✗ → ×,
  ⚠ → ！), anything else by 「?」 — instead of failing with UnicodeEncodeError. ``--output FILE``
  writes UTF-8 whatever the console (:func:`emit`).
- Width (:func:`text_columns`): text reports are wrapped to ``COLUMNS`` when it is set, else to the
  terminal's width when standard output is a terminal; redirected to a file or a pipe, lines are
  left whole (scripts read them), and so is a report written with ``--output``.
"""

from __future__ import annotations

import codecs
import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

import typer

ERRORS = "fxfk-replace"
# Look-alikes in GBK for the marks fxfk prints; the emoji variation selector is dropped.
FALLBACK = {
    "✓": "√", "✔": "√", "✅": "√", "✗": "×", "✘": "×", "❌": "×", "⚠": "！", "\ufe0f": "",
    "🔔": "※", "⬇": "↓", "⬆": "↑",
}
# Narrower than this, wrapping makes more noise than it saves.
MIN_COLUMNS = 40

OutputOption = typer.Option(
    None, "--output", help="把报告写入这个文件（UTF-8 编码，不折行、不着色），而不是显示在屏幕上；Windows 上建议使用。",
    dir_okay=False, show_default=False,
)


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    encoding = error.encoding or "ascii"
    out = []
    for c in error.object[error.start:error.end]:
        substitute = FALLBACK.get(c, "?")
        try:
            substitute.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            substitute = "?" if substitute else ""
        out.append(substitute)
    return "".join(out), error.end


def install_streams() -> None:
    """Make standard output and standard error replace what their encoding cannot hold (see above).

    UTF-8 streams are left alone: they can hold every character fxfk prints.
    """
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _replace)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding in ("utf8", "utf8sig") or reconfigure is None:
            continue
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # pragma: no cover - a closed or unusual stream keeps its errors
            pass


def text_columns(output: Optional[Path] = None) -> int | None:
    """The width to wrap a text report to, or None for whole lines (see the module docstring)."""
    if output is not None:
        return None
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return max(MIN_COLUMNS, int(value))
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is not None and isatty():
        return max(MIN_COLUMNS, shutil.get_terminal_size().columns)
    return None


def emit(text: str, output: Optional[Path] = None, color: bool = False) -> None:
    """Show ``text`` (already ending in a newline), or write it to ``output`` as UTF-8."""
    if output is None:
        # color=: click would strip the escapes when stdout is not a terminal, even under FORCE_COLOR.
        typer.echo(text, nl=False, color=color)
        sys.stdout.flush()
        return
    output.write_bytes(text.encode("utf-8"))
    typer.echo(f"已写入 {output}", err=True)


def emit_chunks(chunks: Iterable[str], output: Optional[Path] = None) -> None:
    """:func:`emit` for text made piece by piece (a province's 150,000 rows): each piece is shown or
    written as it is made, so the whole text is never held at once."""
    if output is None:
        for chunk in chunks:
            emit(chunk)
        return
    with open(output, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk.encode("utf-8"))
    typer.echo(f"已写入 {output}", err=True)
