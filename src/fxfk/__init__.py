"""fxfk — 行政相对人法律风险防控制度的工具（郑商〔2019〕175号）.

The library API: every command of the ``fxfk`` CLI as a function over a data repository (a folder
with ``fxfk.yaml`` and/or ``data/``). The CLI is a thin layer over these; docs/library.md shows them
at work.

- :func:`load_repository`, :func:`validate` — read and check the data;
- :func:`classify`, :func:`task_status`, :func:`guidance`, :func:`laws_report`, :func:`diff_revisions`
  — compute what ``fxfk classify``, ``fxfk deadlines``, ``fxfk deadlines --guidance``, ``fxfk laws``
  and ``fxfk diff`` show;
- :func:`publish_lists`, :func:`write_report` — write the public lists and the progress report.

(The names differ from the commands where a subpackage has the command's name: ``fxfk.publish``,
``fxfk.report`` and ``fxfk.diff`` are modules.)

Every function takes the repository's root and one :class:`Options` (cache, worker processes,
parser, and ``date``, the day that decides content; default: today, no cache), passed explicitly:
the library reads no environment variable (the CLI reads ``FXFK_NO_CACHE``, ``FXFK_JOBS`` and
``FXFK_PURE_YAML`` into the options). Results are plain objects. Data with errors is refused with
:class:`DataRefused`, whose ``diagnostics`` say where; other user errors (no such office, a path
outside the repository) are :class:`FxfkError`; messages are in Chinese.

Importing ``fxfk`` is cheap: each function imports what it needs (pydantic, Jinja2, openpyxl) when
called.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fxfk.diagnostics import Diagnostic
from fxfk.errors import DataRefused, FxfkError
from fxfk.options import Options

if TYPE_CHECKING:
    from fxfk.diff.report import DiffReport
    from fxfk.load.repository import Repository
    from fxfk.publish import PublishResult
    from fxfk.report import ReportResult
    from fxfk.rules.classify import Classification
    from fxfk.rules.law_report import LawReport
    from fxfk.rules.validation import ValidationResult
    from fxfk.tasks.guidance import GuidanceReport
    from fxfk.tasks.status import TaskReport

__version__ = "0.1.0"

__all__ = [
    "DataRefused",
    "Diagnostic",
    "FxfkError",
    "Options",
    "__version__",
    "classify",
    "diff_revisions",
    "guidance",
    "laws_report",
    "load_repository",
    "publish_lists",
    "task_status",
    "validate",
    "write_report",
]

PathLike = str | os.PathLike[str]
Progress = Callable[[int, int], None]


def load_repository(root: PathLike, options: Options | None = None, *, progress: Progress | None = None) -> Repository:
    """Every file of the repository at ``root``, loaded into models (``fxfk.load.repository.Repository``).

    Never raises for bad data: a file that cannot be read or does not fit its model has
    ``model=None``, and every finding of the files themselves is in ``repo.diagnostics`` (the
    cross-file checks are :func:`validate`'s). ``progress(done, total)`` is told about each register.
    """
    from fxfk.rules.validation import load

    return load(Path(root), options, progress)


def validate(root: PathLike, options: Options | None = None, *, paths: Sequence[PathLike] | None = None,
             progress: Progress | None = None) -> ValidationResult:
    """Check everything, as ``fxfk validate`` does: a ``ValidationResult`` with ``diagnostics``
    (sorted, at most 200 per file), ``errors``, ``warnings``, ``files`` and ``ok()``, and the loaded
    ``repo``. ``options.date`` decides which batches are already public. With ``paths`` (files or
    folders inside ``root``) only their findings are reported; the cross-file rules still read all.

    Raises FxfkError when ``root`` holds no data file or a path is outside it.
    """
    from fxfk.rules.validation import validate as run

    return run(Path(root), options, [Path(p) for p in paths] if paths else None, progress)


def classify(root: PathLike, options: Options | None = None, *, offices: Sequence[str] | None = None,
             level: str | None = None, domain: str | None = None) -> Classification:
    """Each risk point's level by the rules of 附件1 一, with the clause and facts that decide it, the
    declared level, and the early warnings, as ``fxfk classify`` shows them (``Classification``:
    ``rows``, ``ok``). ``offices``, ``level`` (e.g. ``"高"``) and ``domain`` narrow the rows.

    Raises DataRefused when a register or fxfk.yaml cannot be read or ids are ambiguous (the table
    would silently miss points); a missing or invalid ``level`` does not block.
    """
    from fxfk.rules import classify as core

    repo, undeclared, views = core.load(Path(root), options)
    return core.classify(repo, undeclared, offices=list(offices) if offices else None, level=level, domain=domain,
                         views=views)


def _checked(root: PathLike, options: Options | None, command: str, what: str) -> ValidationResult:
    """The validation of ``root`` for a command that does not work on data with errors.

    Validation judges on the real today (as the CLI does); the command's content on ``options.date``.
    """
    from fxfk.rules.validation import validate as run

    options = options or Options()
    # Task status and guidance read facts only (tested equal); with the cache they come without
    # rebuilding 150,000 models. Without it, facts are derived from models anyway: load them whole.
    result = run(Path(root), dataclasses.replace(options, date=None), facts_only=options.cache)
    if result.errors:
        raise DataRefused(f"数据有错误，{command} 不在有错误的数据上{what}；请先修正：", result.diagnostics, files=result.files)
    return result


def task_status(root: PathLike, options: Options | None = None, *, year: int | None = None,
                offices: Sequence[str] | None = None) -> TaskReport:
    """Every task of the year's task table (附件2) and each office's progress on ``options.date``, as
    ``fxfk deadlines`` shows it (``TaskReport``: ``rows`` of ``TaskStatus``, worst first).

    ``year``: the task table (default: that of the date, else the latest); ``offices``: office ids or
    kinds (county/division/affiliate). Raises DataRefused when the data has errors.
    """
    from fxfk.tasks import status

    repo = _checked(root, options, "fxfk deadlines", "计算期限").loaded_repo
    day = (options or Options()).day()
    chosen = year if year is not None else status.default_year(repo, day)
    return status.task_report(repo, chosen, day, list(offices) if offices else None)


def guidance(root: PathLike, options: Options | None = None, *, offices: Sequence[str] | None = None) -> GuidanceReport:
    """The administrative guidance each published risk point is due for on ``options.date`` (附件1
    二（五）), as ``fxfk deadlines --guidance`` shows it (``GuidanceReport``). Raises DataRefused when
    the data has errors.
    """
    from fxfk.tasks import guidance as core

    repo = _checked(root, options, "fxfk deadlines", "计算期限").loaded_repo
    return core.guidance_report(repo, (options or Options()).day(), list(offices) if offices else None)


def laws_report(root: PathLike, options: Options | None = None, *, law: str | None = None,
                unused: bool = False) -> LawReport:
    """The law catalogue on ``options.date``: each law's state and the points citing it, citations
    missing from the catalogue, and the points to review as laws change, as ``fxfk laws`` shows it.

    ``law`` narrows to the laws whose names match; ``unused`` to laws nobody cites. Validation
    errors do not block (citing laws out of force is what this finds), unreadable files do
    (DataRefused); FxfkError when ``law`` matches nothing.
    """
    from fxfk.rules.law_report import laws_report as build
    from fxfk.rules.validation import validate as run

    options = options or Options()
    result = run(Path(root), dataclasses.replace(options, date=None))
    return build(result, options.day(), law=law, unused=unused)


def diff_revisions(root: PathLike, base: str | None = None, head: str | None = None, options: Options | None = None, *,
                   fail_on: Sequence[str] = ()) -> DiffReport:
    """What changes between two git revisions of the data mean, as ``fxfk diff`` shows it
    (``DiffReport``): points added, removed, retired, levels changed (with the clauses), points
    becoming public on ``options.date``, batches and tasks. ``base`` defaults to the merge base with
    the default branch, ``head`` to the working tree; ``fail_on`` (``"level-down"``, ``"unpublish"``)
    fills ``violations``. FxfkError when ``root`` is not in a git repository or a revision is unknown.
    """
    from fxfk.diff import compare

    return compare.run_diff(Path(root), base, head, (options or Options()).day(), list(fail_on))


def publish_lists(root: PathLike, out: PathLike, options: Options | None = None, *, offices: Sequence[str] | None = None,
            formats: Sequence[str] | None = None, progress: Progress | None = None) -> PublishResult:
    """Write the public risk lists and no-penalty lists (附件1 二（四）) for ``options.date`` into the
    folder ``out``, replacing it whole, as ``fxfk publish`` does (``PublishResult``: ``files``,
    ``offices``, ``risks``, ``no_penalty``).

    ``offices``: office ids (default all); ``formats``: some of html, md, csv, xlsx, docx (default
    all). Raises DataRefused when the data has errors or the public content holds personal numbers
    or laws not in force; ``out`` is then left as it was.
    """
    from fxfk.publish import parse_formats
    from fxfk.publish import publish as run

    chosen = parse_formats(list(formats)) if formats else None
    return run(Path(root), Path(out), options, list(offices) if offices else None, chosen, progress)


def write_report(root: PathLike, out: PathLike, options: Options | None = None, *, year: int | None = None,
           offices: Sequence[str] | None = None, formats: Sequence[str] | None = None) -> ReportResult:
    """Write the progress and evaluation report for the city bureau (附件1 二（六）、附件2) on
    ``options.date`` into the folder ``out``, replacing it whole, as ``fxfk report`` does
    (``ReportResult``: ``files``, and ``report`` with every figure).

    ``year``: the task table's year; ``offices``: office ids or kinds; ``formats``: some of html, md,
    docx (default all). Raises DataRefused, with every finding, when the data has errors.
    """
    from fxfk.report import parse_formats
    from fxfk.report import write_report as run

    chosen = parse_formats(list(formats)) if formats else None
    return run(Path(root), Path(out), options, year, list(offices) if offices else None, chosen)
