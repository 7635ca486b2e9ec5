"""Locating one node in each of many points of many files, on every core.

``fxfk classify --format json`` gives the line of every point's ``level``: on a province's data
that means a position index for each of 3,000 files (~4 ms each), the bulk of the command. Each
file's nodes are located in one task, and the tasks run in worker processes
(:mod:`fxfk.load.parallel`); only the (line, column) pairs come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from fxfk.load.parallel import run_in_order
from fxfk.load.yamlload import LoadedYaml

Loc = tuple[Any, ...]


def _locate_file(loaded: LoadedYaml, locs: list[Loc]) -> list[tuple[int, int]]:
    return [loaded.locate(loc) for loc in locs]


def locate_many(requests: Sequence[tuple[LoadedYaml, Loc]], workers: int = 1) -> list[tuple[int, int]]:
    """``loaded.locate(loc)`` of each request, in their order; one task per file."""
    groups: dict[int, tuple[LoadedYaml, list[int]]] = {}  # by file, in the order first asked for
    for n, (loaded, _) in enumerate(requests):
        groups.setdefault(id(loaded), (loaded, []))[1].append(n)
    tasks: list[Callable[[], list[tuple[int, int]]]] = [partial(_locate_file, loaded, [requests[n][1] for n in ns]) for loaded, ns in groups.values()]
    found = run_in_order(tasks, workers)
    out: list[tuple[int, int]] = [(1, 1)] * len(requests)
    for n, position in zip((n for _, ns in groups.values() for n in ns), found):
        out[n] = position
    return out
