"""Running many independent pieces of work (one per office) on every core, in order.

Rendering 3,000 offices' lists is the bulk of ``fxfk publish`` on a province's data, and each
office's files depend only on the already-built view. With ``fork`` the worker processes inherit
that view (and the compiled templates) as they are, so nothing but the task's index and the
names it wrote cross between processes. Results come back in task order, so the output (and the
list of files written) is the same as when everything runs in one process.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, TypeVar

T = TypeVar("T")

# Below this many tasks, starting worker processes costs more than it saves.
MIN_TASKS = 64

_TASKS: list[Callable[[], list[Any]]] = []


def _run(index: int) -> list[Any]:
    return _TASKS[index]()


def run_in_order(tasks: list[Callable[[], list[T]]], workers: int, done: Callable[[], None] | None = None,
                 meanwhile: Callable[[], None] | None = None, each: Callable[[T], None] | None = None) -> list[T]:
    """The concatenated results of ``tasks`` in their order; ``done()`` after each task.

    Tasks run in ``workers`` forked processes when there are enough of them (and fork exists),
    else here. A task's exception propagates either way. ``meanwhile()`` runs in this process while
    the workers work (first, without workers); its exception propagates, after the workers stop.
    ``each(result)``: for each result as it comes in order (while later tasks still run); then
    the results are not kept, and the list returned is empty.
    """
    global _TASKS
    out: list[T] = []
    if workers > 1 and len(tasks) >= MIN_TASKS and "fork" in multiprocessing.get_all_start_methods():
        _TASKS = tasks  # set before the pool forks: the workers inherit it
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = pool.map(_run, range(len(tasks)), chunksize=8)  # (submitted now)
                if meanwhile:
                    try:
                        meanwhile()
                    except BaseException:
                        pool.shutdown(cancel_futures=True)  # (the results are not wanted now)
                        raise
                for result in results:
                    _take(out, result, each)
                    if done:
                        done()
        finally:
            _TASKS = []
        return out
    if meanwhile:
        meanwhile()
    for task in tasks:
        _take(out, task(), each)
        if done:
            done()
    return out


def _take(out: list[T], result: list[T], each: Callable[[T], None] | None) -> None:
    if each is None:
        out += result
    else:
        for item in result:
            each(item)
