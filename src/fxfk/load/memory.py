"""A repository from files already in memory: ``fxfk diff`` reads both of its sides from git.

Each file is parsed, validated and checked exactly as :func:`fxfk.load.repository.load_repository`
does a file from disk (:func:`fxfk.load.repository.parse_file`), without the cache or worker
processes: a side is read once, and its bytes are at hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from fxfk.load.files import LAWS_FILES, SETTINGS_FILE, YAML_SUFFIXES, second_catalogue
from fxfk.load.gcpause import gc_paused
from fxfk.load.repository import FileKind, M, RegisterCheck, Repository, SourceFile, parse_file
from fxfk.load.yamlload import LoadedYaml
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.options import Options

_FOLDERS = {"data/risks": "registers", "data/tasks": "tasks"}


def _kind_of(rel: str) -> str:
    if rel == SETTINGS_FILE:
        return "settings"
    if rel in LAWS_FILES:
        return "laws"
    path = PurePosixPath(rel)
    kind = _FOLDERS.get(path.parent.as_posix())
    if kind is None or path.suffix not in YAML_SUFFIXES:
        raise ValueError(f"{rel!r} is not a data file (fxfk.yaml, data/risks/*.yaml, data/tasks/*.yaml, data/laws.yaml)")
    return kind


def load_files(files: Mapping[str, bytes | LoadedYaml], options: Options | None = None, *,
               check_register: RegisterCheck | None = None) -> Repository:
    """A repository of ``files``, keyed by path relative to the data root (``fxfk.yaml``,
    ``data/risks/x.yaml`` …): each ``bytes`` value is loaded as :func:`~fxfk.load.repository.load_repository`
    loads a file from disk; a ``LoadedYaml`` value is a file already refused (too large, unreadable,
    a bad name), kept with ``model=None``. ``check_register`` as for ``load_repository``; the
    repository's ``root`` is ``.`` and its ``today`` is ``options.day()``.
    """
    options = options or Options()
    chosen: dict[str, list[str]] = {"settings": [], "registers": [], "tasks": [], "laws": []}
    for rel in sorted(files):
        chosen[_kind_of(rel)].append(rel)
    repo = Repository(root=Path("."), settings=Settings(), today=options.day())
    size, pure = options.max_bytes, options.pure_yaml

    def load(rel: str, kind: FileKind[M]) -> SourceFile[M]:
        value = files[rel]
        if isinstance(value, LoadedYaml):
            return SourceFile(rel, Path(rel), value)
        return parse_file(rel, Path(rel), value, kind, on_disk=False)[0]

    with gc_paused(keep=True):  # what is loaded lives as long as the command
        for rel in chosen["settings"]:
            repo.settings_file = load(rel, FileKind(Settings, size, pure))
            if repo.settings_file.model is not None:
                repo.settings = repo.settings_file.model
        registers = FileKind(Register, size, pure, settings=repo.settings, check=check_register)
        repo.registers = [load(rel, registers) for rel in chosen["registers"]]
        repo.task_tables = [load(rel, FileKind(TaskTable, size, pure)) for rel in chosen["tasks"]]
        if chosen["laws"]:
            repo.laws = load(chosen["laws"][0], FileKind(LawCatalogue, size, pure))
    for source in repo.files:
        repo.diagnostics.extend(source.loaded.diagnostics)
    repo.diagnostics.extend(second_catalogue(rel) for rel in chosen["laws"][1:])
    return repo
