"""`fxfk report` as a library call: the progress and evaluation report for the city bureau.

Steps: refuse while validation finds errors (figures on broken data would mislead leadership) →
compute the figures (:mod:`fxfk.report.figures`) and charts (:mod:`fxfk.report.charts`) → render
HTML and Markdown from templates (``templates/report/``) and DOCX (:mod:`fxfk.report.docx`) into a
temporary folder → swap it in as the output folder, like ``fxfk publish``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Sequence

from fxfk.errors import DataRefused
from fxfk.options import Options

if TYPE_CHECKING:
    from fxfk.report.content import Report

FORMATS = ("html", "md", "docx")
NAME = "report"  # report.html, report.md, report.docx
MARKER = ".fxfk-report"
MARKER_TEXT = "此目录由 fxfk report 生成，每次生成报告会整体替换。\n"
REFUSED = "数据有错误，fxfk report 不在有错误的数据上生成报告；请先修正："


@dataclass
class ReportResult:
    """What ``fxfk report`` wrote: the folder, the figures (``fxfk.report.figures.Report``), the file names."""

    out: Path
    report: Report
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. no CJK font for the DOCX charts


def parse_formats(values: list[str] | None) -> list[str]:
    """``html,md`` or repeated options; default all three, in a fixed order."""
    from fxfk.publish import parse_formats as parse

    return parse(values, FORMATS)


def prepare(root: Path, date: dt.date, year: int | None = None, offices: Sequence[str] | None = None,
            options: Options | None = None) -> Report:
    """Validate, then compute every figure for ``date``; returns the Report.

    Raises :class:`~fxfk.errors.DataRefused` with every finding when the data has errors: figures
    on broken data would mislead.
    """
    from fxfk.report.figures import build_report
    from fxfk.rules.validation import validate

    # Validation judges on the real today (a batch dated later is scheduled), the figures on ``date``.
    # Facts only: the figures take each register's titles, office and activities in turn
    # (build_report), from the cache; without one that would parse every file twice, so whole models
    # are loaded at once.
    options = options or Options()
    result = validate(root, dataclasses.replace(options, date=None), facts_only=options.cache)
    if result.errors:
        raise DataRefused(REFUSED, result.diagnostics, files=result.files)
    names = [n.strip() for item in offices or () for n in item.split(",") if n.strip()] or None
    repo = result.repo
    if repo is None:  # (validate returns the repository whenever it found no errors)
        raise DataRefused(REFUSED, result.diagnostics, files=result.files)
    return build_report(repo, date, year, names, options.workers())


def title_of(report: Report) -> str:
    org = report.organization
    scope = "" if report.all_offices else "（所选单位）"
    return f"{org}{report.year}年行政相对人法律风险防控工作进展与评估报告{scope}"


def render_all(folder: Path, root: Path, report: Report, formats: list[str], notes: list[str] | None = None) -> list[str]:
    """Write the chosen formats into ``folder``; ``notes`` collects what the user should be told."""
    from fxfk.load.gcpause import gc_paused
    from fxfk.publish import tidy_markdown
    from fxfk.render.templates import environment, render, render_file
    from fxfk.report import figures
    from fxfk.report.charts import all_charts
    from fxfk.tasks.status import describe_days

    charts = all_charts(report)
    title = title_of(report)
    written = []
    if "html" in formats or "md" in formats:
        env = environment(root, "report")
        # Constants only, never the module: through it a template would reach Repository and every import.
        constants = SimpleNamespace(FUNNEL_STAGES=figures.FUNNEL_STAGES, TYPICAL_CASES=figures.TYPICAL_CASES)
        env.globals.update(F=constants, ActivityKind=figures.ActivityKind, Status=figures.Status,
                           definitions=figures.definitions(report.min_cases), describe_days=describe_days,
                           SCHEDULED=figures.SCHEDULED, APPROVED=list(figures.Status).index(figures.Status.approved))
        env.filters["num"] = figures.number
        env.filters["signed"] = figures.signed
        hint = "报告模板只能使用报告中的数据"
        # ~10 short-lived objects a cell, none in a cycle: the collector is paused (it found nothing)
        if "html" in formats:
            with gc_paused():  # written as it is produced: 100 MB of HTML on a province's data
                render_file(env, "report.html.j2", folder / f"{NAME}.html", hint, report=report, charts=charts, title=title)
            written.append(f"{NAME}.html")
        if "md" in formats:
            with gc_paused():
                text = tidy_markdown(render(env, "report.md.j2", hint, report=report, charts=charts, title=title))
            (folder / f"{NAME}.md").write_bytes(text.encode("utf-8"))
            written.append(f"{NAME}.md")
    if "html" in formats:
        # The same pictures as files, for slides and documents (the HTML inlines its own copies).
        (folder / "charts").mkdir()
        for key, chart in charts.items():
            (folder / "charts" / f"{key}.svg").write_bytes(chart.svg.encode("utf-8"))
            written.append(f"charts/{key}.svg")
    if "docx" in formats:
        from fxfk.report.docx import report_docx

        (folder / f"{NAME}.docx").write_bytes(report_docx(report, charts, title, notes))
        written.append(f"{NAME}.docx")
    return written


def write_report(root: Path, out: Path, options: Options | None = None, year: int | None = None,
                 offices: Sequence[str] | None = None, formats: list[str] | None = None) -> ReportResult:
    """Write the report for ``options.date`` (default today) into ``out``, replacing it whole.

    ``year``: the task table's year (default: that of the date, else the latest); ``offices``: office
    ids or kinds (county/division/affiliate), also comma-separated; ``formats``: some of
    :data:`FORMATS` (default all).
    """
    from fxfk.publish.output import write_atomically

    options = options or Options()
    chosen = list(formats) if formats else list(FORMATS)
    report = prepare(root, options.day(), year, offices, options)
    notes: list[str] = []
    files = write_atomically(out, root, lambda tmp: render_all(tmp, root, report, chosen, notes),
                             MARKER, MARKER_TEXT, what="报告", command="fxfk report")
    return ReportResult(out, report, files, notes)
