"""`fxfk validate` as a library call: load everything, run every check, sort the findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fxfk.diagnostics import Diagnostic, cap_per_file, count
from fxfk.errors import FxfkError
from fxfk.load.repository import Repository, load_repository
from fxfk.options import Options
from fxfk.rules.register import check_register
from fxfk.rules.repository import run_checks


@dataclass
class ValidationResult:
    # None only when a refusal shows some findings as fxfk validate would (fxfk.errors.DataRefused).
    repo: Repository | None
    files: int
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> int:
        # including those a file's "more-diagnostics" line stands for (see fxfk.diagnostics)
        return count(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return count(self.diagnostics)[1]

    @property
    def loaded_repo(self) -> Repository:
        """``repo`` of a result that validate returned, where it is never None."""
        if self.repo is None:
            raise TypeError("this ValidationResult only shows a refusal's findings: it has no repository")
        return self.repo

    def ok(self, strict: bool = False) -> bool:
        return self.errors == 0 and not (strict and self.warnings)


def load(root: Path, options: Options | None = None, progress: Callable[[int, int], None] | None = None,
         facts_only: bool = False) -> Repository:
    """Every file of the repository, each register checked by the one-register rules as it is parsed
    (and cached with it). The one way commands load a repository; ``facts_only`` is for validate."""
    return load_repository(root, options, progress=progress, facts_only=facts_only, check_register=check_register)


def validate_repository(repo: Repository, only: list[str] | None = None) -> ValidationResult:
    """All diagnostics of ``repo``; with ``only`` (paths relative to the root) just those files'.

    Cross-file checks always look at every file — a duplicate id in another office still counts —
    but only findings located in the selected files are reported. Each file shows at most
    ``MAX_PER_FILE`` findings and one line counting the rest (:func:`fxfk.diagnostics.cap_per_file`).
    """
    diagnostics = repo.diagnostics + run_checks(repo)
    files = len(repo.files)
    if only is not None:
        selected = set(only)
        diagnostics = [d for d in diagnostics if d.file in selected or any(d.file.startswith(s.rstrip("/") + "/") for s in selected)]
        files = sum(1 for f in repo.files if f.rel in selected or any(f.rel.startswith(s.rstrip("/") + "/") for s in selected))
    diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.code))
    return ValidationResult(repo, files, cap_per_file(diagnostics))


def require_data(root: Path, repo: Repository) -> Repository:
    """``repo``, unless ``root`` holds no data file at all (an error, not an empty success)."""
    if not repo.files and not repo.diagnostics:  # (a data folder linked out of the root is reported)
        raise FxfkError(f"“{root}”中没有找到数据文件（fxfk.yaml、data/risks/*.yaml、data/tasks/*.yaml）")
    return repo


def validate(root: Path, options: Options | None = None, paths: list[Path] | None = None,
             progress: Callable[[int, int], None] | None = None, facts_only: bool = False) -> ValidationResult:
    """Load ``root`` (see :func:`load`) and run every check; ``options.date`` decides which batches
    are public. With ``paths``, only findings in those files or folders are reported."""
    repo = require_data(root, load(root, options, progress, facts_only))
    only: list[str] | None = None
    if paths:
        only = []
        for p in paths:
            resolved = p.resolve()
            try:
                rel = resolved.relative_to(root.resolve()).as_posix()
            except ValueError:
                raise FxfkError(f"“{p}”不在数据仓库“{root}”之内") from None
            if not resolved.exists():
                raise FxfkError(f"“{p}”不存在")
            only.append("" if rel == "." else rel)
        if "" in only:
            only = None
    return validate_repository(repo, only)
