"""One side of ``fxfk diff``: a revision's (or the work tree's) files loaded into a
:class:`~fxfk.load.repository.Repository` and checked, exactly as ``fxfk validate`` loads files from
disk: the one loader (:func:`fxfk.load.memory.load_files`), then every check. A side whose files
do not load is reported; such a file is left out of the comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from fxfk.diagnostics import Diagnostic, count
from fxfk.diff.git import Files, GitRepo, revision_files, worktree_files
from fxfk.load.memory import load_files
from fxfk.load.repository import Repository
from fxfk.options import Options
from fxfk.rules.register import check_register
from fxfk.rules.repository import run_checks


@dataclass
class Side:
    label: str  # how the user named it: a revision, or 工作区
    commit: str | None  # None = working tree
    repo: Repository
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def error_count(self) -> int:
        """Every error, counting those a file's "more-diagnostics" line stands for (the loader shows
        at most MAX_PER_FILE model errors of a file, as fxfk validate does)."""
        return count(self.diagnostics)[0]

    @property
    def unreadable(self) -> list[str]:
        return sorted(f.rel for f in self.repo.files if f.model is None)


def build_side(label: str, commit: str | None, files: Files, day: dt.date) -> Side:
    """Load a side's files and run every check on them, as fxfk validate does; ``day`` (the diff's
    --date) decides which batches are already public."""
    repo = load_files(files, Options(date=day), check_register=check_register)
    diagnostics = repo.diagnostics + run_checks(repo)
    diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return Side(label, commit, repo, diagnostics)


def load_side(git: GitRepo, data_root: Path, label: str, commit: str | None, day: dt.date) -> Side:
    files = worktree_files(data_root) if commit is None else revision_files(git, commit)
    return build_side(label, commit, files, day)
