"""One side of ``fxfk diff``: a revision's (or the work tree's) files loaded into a
:class:`~fxfk.load.repository.Repository` and checked, exactly as ``fxfk validate`` loads files from
disk: the one YAML loader (``load_bytes``), the models, and every check. A side whose files do not
load is reported; such a file is left out of the comparison.

The files come from git as bytes, not from a folder, which ``load_repository`` cannot take yet: the
parse of one file below stands in for the loader's own until it can (issue 14).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.diff.git import Files, GitRepo, revision_files, worktree_files
from fxfk.load.model_errors import diagnostics_from
from fxfk.load.repository import SETTINGS_FILE, Repository, SourceFile
from fxfk.load.yamlload import LoadedYaml, load_bytes
from fxfk.models import LawCatalogue, Register, Settings, TaskTable


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
    def unreadable(self) -> list[str]:
        return sorted(f.rel for f in self.repo.files if f.model is None)


def _source(rel: str, raw: bytes | LoadedYaml, model: type[BaseModel]) -> SourceFile:
    if isinstance(raw, LoadedYaml):  # not read: too large, unreadable or a bad name
        return SourceFile(rel, Path(rel), raw)
    loaded = load_bytes(raw, rel)
    source = SourceFile(rel, Path(rel), loaded)
    if loaded.data is not None and not loaded.diagnostics:
        try:
            source.model = model.model_validate(loaded.data)
        except ValidationError as exc:
            loaded.diagnostics.extend(diagnostics_from(exc, loaded, model))
    return source


def build_side(label: str, commit: str | None, files: Files, day: dt.date) -> Side:
    """Load a side's files into a Repository and run every check on it, as fxfk validate does."""
    from fxfk.rules.repository import run_checks

    repo = Repository(root=Path("."), settings=Settings())
    repo.today = day  # checks that depend on the day (scheduled batches) use the diff's --date
    for rel in sorted(files):
        raw = files[rel]
        if rel == SETTINGS_FILE:
            repo.settings_file = _source(rel, raw, Settings)
            if repo.settings_file.model is not None:
                repo.settings = repo.settings_file.model
        elif rel.startswith("data/risks/"):
            repo.registers.append(_source(rel, raw, Register))
        elif rel.startswith("data/tasks/"):
            repo.task_tables.append(_source(rel, raw, TaskTable))
        else:
            repo.laws = _source(rel, raw, LawCatalogue)
    diagnostics = [d for f in repo.files for d in f.loaded.diagnostics]
    diagnostics += run_checks(repo)
    diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return Side(label, commit, repo, diagnostics)


def load_side(git: GitRepo, data_root: Path, label: str, commit: str | None, day: dt.date) -> Side:
    files = worktree_files(data_root) if commit is None else revision_files(git, commit)
    return build_side(label, commit, files, day)
