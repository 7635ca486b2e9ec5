"""How a command reads the data repository: one value, passed explicitly from the caller down.

The core never reads the environment. The CLI builds an :class:`Options` from its own options and
the documented environment variables (``FXFK_NO_CACHE``, ``FXFK_JOBS``, ``FXFK_PURE_YAML``; see
:func:`fxfk.cli.options.load_options`), and library users build one themselves. Worker processes
get it as an argument, never through the environment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The one per-file size limit: every reader of data files (also of git blobs) applies it.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Options:
    """What decides how data is read and on which day it is judged.

    The defaults are the CLI's but for the cache: a library call writes nothing into the data
    repository unless asked (``cache=True``); the CLI asks unless ``--no-cache``/``FXFK_NO_CACHE=1``.

    - ``date``: the day that decides content — which batches are public (validate, publish), which
      deadlines have passed (task status, guidance), which laws are in force (laws), the report's
      figures. ``None``: today, read once per call (:meth:`day`).
    - ``cache``: read and write the per-file cache in ``<data root>/.fxfk-cache/`` (its key lives in
      ``$XDG_CACHE_HOME/fxfk/``), so unchanged files are not parsed again; ``False`` (the default)
      parses every file and writes nothing there.
    - ``jobs``: how many processes parse files and render lists on big repositories; ``None``: one
      per available core, at most 8. ``1`` never starts a worker process.
    - ``pure_yaml``: use PyYAML's pure-Python parser instead of libyaml (slower; for comparing the two).
    - ``max_bytes``: files larger than this are refused unread (an error, not an exception).
    """

    date: dt.date | None = None
    cache: bool = False
    jobs: int | None = None
    pure_yaml: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {self.jobs}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")

    def day(self) -> dt.date:
        """``date``, or today when it is not set."""
        return self.date if self.date is not None else dt.date.today()

    def workers(self) -> int:
        """Worker processes for work that can be shared out: ``jobs``, or the available cores (≤ 8)."""
        if self.jobs is not None:
            return min(self.jobs, 8)
        import os

        try:
            available = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            available = os.cpu_count() or 1
        return max(1, min(available, 8))
