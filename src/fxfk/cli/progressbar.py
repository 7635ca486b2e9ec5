"""Progress bars for long runs — on a terminal only.

Nothing is drawn when stderr is not a terminal (redirected output, pipes) or in CI (``CI`` is set,
as GitHub Actions, GitLab CI and Jenkins do), so logs stay clean.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Callable, Iterator, Optional

ProgressCallback = Callable[[int, int], None]

# Below this many items a bar only flickers.
MIN_ITEMS = 50


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("FXFK_NO_PROGRESS"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Optional[ProgressCallback]]:
    """Yields ``update(done, total)`` drawing a transient bar on stderr, or None when unwanted."""
    if not wanted():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < MIN_ITEMS:
            return
        if task is None:
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()
