"""Finding a data repository and loading every file in it into models.

A data repository is a folder with ``fxfk.yaml`` and/or ``data/`` (layout in data-format.md).
Loading never raises for bad data: every problem becomes a diagnostic, and a file that cannot be
read or does not fit its model is kept (with ``model=None``) so that other files are still checked.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError
from fxfk.model_errors import diagnostics_from
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.yamlload import DEFAULT_MAX_BYTES, LoadedYaml, load_file

M = TypeVar("M", bound=BaseModel)

SETTINGS_FILE = "fxfk.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceFile(Generic[M]):
    rel: str  # relative to the data root, forward slashes
    path: Path
    loaded: LoadedYaml
    model: M | None = None

    @property
    def stem(self) -> str:
        return self.path.stem

    def locate(self, *loc, key: bool = False) -> tuple[int, int]:
        return self.loaded.locate(tuple(loc), key=key)


@dataclass
class Repository:
    root: Path
    settings: Settings
    settings_file: SourceFile[Settings] | None = None
    registers: list[SourceFile[Register]] = field(default_factory=list)
    task_tables: list[SourceFile[TaskTable]] = field(default_factory=list)
    laws: SourceFile[LawCatalogue] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def files(self) -> list[SourceFile]:
        out: list[SourceFile] = []
        if self.settings_file:
            out.append(self.settings_file)
        out += self.registers + self.task_tables
        if self.laws:
            out.append(self.laws)
        return out

    def valid_registers(self) -> list[SourceFile[Register]]:
        return [f for f in self.registers if f.model is not None]

    def valid_task_tables(self) -> list[SourceFile[TaskTable]]:
        return [f for f in self.task_tables if f.model is not None]

    def task_table(self, year: int) -> TaskTable | None:
        for f in self.valid_task_tables():
            if f.model.year == year:
                return f.model
        return None


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """``--root`` if given, else the nearest folder upwards that holds fxfk.yaml or data/."""
    if explicit is not None:
        if not explicit.is_dir():
            raise FxfkError(f"数据目录“{explicit}”不存在或不是目录")
        if not ((explicit / SETTINGS_FILE).is_file() or (explicit / "data").is_dir()):
            raise FxfkError(f"“{explicit}”不是数据仓库：其中既没有 {SETTINGS_FILE}，也没有 data/ 目录")
        return explicit
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file() or (folder / "data").is_dir():
            return folder
    raise FxfkError(
        f"找不到数据仓库：从“{here}”向上没有哪个目录含有 {SETTINGS_FILE} 或 data/；"
        "请在数据仓库中运行，或用 --root 指定"
    )


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _load(root: Path, path: Path, model: type[M], max_bytes: int, pure: bool) -> SourceFile[M]:
    rel = _rel(root, path)
    loaded = load_file(path, rel, max_bytes=max_bytes, pure=pure)
    source: SourceFile[M] = SourceFile(rel, path, loaded)
    if loaded.data is not None and not loaded.diagnostics:
        try:
            source.model = model.model_validate(loaded.data)
        except ValidationError as exc:
            loaded.diagnostics.extend(diagnostics_from(exc, loaded, model))
        else:
            loaded.data = None  # the model holds it now; the plain copy would only cost memory
            # The model took them as text (a boolean field would have refused them): say so.
            for line, column, word in loaded.yaml11_words:
                loaded.diagnostics.append(
                    Diagnostic(
                        rel, line, column, "yaml11-boolean-word", "warning", "",
                        f"“{word}”没有加引号：fxfk 把它当作文字，但按 YAML 1.1 读取的工具会把它当成布尔值；"
                        f"如确为文字，请写成 \"{word}\"",
                    )
                )
    return source


def load_repository(root: Path, max_bytes: int = DEFAULT_MAX_BYTES, pure: bool = False) -> Repository:
    # Loading allocates millions of small acyclic objects that all stay alive: the cyclic garbage
    # collector would rescan them again and again for nothing (3× the parse time on 10,000 points).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_repository(root, max_bytes, pure)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load_repository(root: Path, max_bytes: int, pure: bool) -> Repository:
    repo = Repository(root=root, settings=Settings())
    settings_path = root / SETTINGS_FILE
    if settings_path.is_file():
        repo.settings_file = _load(root, settings_path, Settings, max_bytes, pure)
        if repo.settings_file.model is not None:
            repo.settings = repo.settings_file.model

    data = root / "data"
    repo.registers = [_load(root, p, Register, max_bytes, pure) for p in _yaml_files(data / "risks")]
    repo.task_tables = [_load(root, p, TaskTable, max_bytes, pure) for p in _yaml_files(data / "tasks")]
    for name in ("laws.yaml", "laws.yml"):
        if (data / name).is_file():
            repo.laws = _load(root, data / name, LawCatalogue, max_bytes, pure)
            break

    for source in repo.files:
        repo.diagnostics.extend(source.loaded.diagnostics)
    repo.diagnostics.extend(_stray_files(root, data))
    return repo


def _stray_files(root: Path, data: Path) -> list[Diagnostic]:
    """YAML files where fxfk does not look: probably misplaced, so say so instead of ignoring them."""
    if not data.is_dir():
        return []
    known = {data / "risks", data / "tasks", data / "laws.yaml", data / "laws.yml"}
    out = []
    for path in sorted(data.rglob("*")):
        if path.suffix not in YAML_SUFFIXES or not path.is_file():
            continue
        if path in known or path.parent in known:
            continue
        out.append(
            Diagnostic(
                _rel(root, path), 1, 1, "stray-file", "warning", "",
                "fxfk 不读取这个文件：登记册应放在 data/risks/<单位标识>.yaml，任务表放在 data/tasks/<年份>.yaml，"
                "法规目录为 data/laws.yaml",
            )
        )
    return out
