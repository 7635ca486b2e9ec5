"""Finding a data repository and loading every file in it into models.

A data repository is a folder with ``fxfk.yaml`` and/or ``data/`` (layout in data-format.md).
Loading never raises for bad data: every problem becomes a diagnostic, and a file that cannot be
read or does not fit its model is kept (with ``model=None``) so that other files are still checked.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError
from fxfk.model_errors import diagnostics_from
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.cache import FileCache
from fxfk.cache import dumps as cache_dumps
from fxfk.cache import enabled as cache_enabled
from fxfk.yamlload import DEFAULT_MAX_BYTES, LoadedYaml, load_bytes, too_large, unreadable

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
    # The day that separates public batches from scheduled ones in checks (``validate --date``).
    today: dt.date = field(default_factory=dt.date.today)

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


def _validate(loaded: LoadedYaml, model: type[M]) -> M | None:
    """The model of a parsed file, or None with the model's errors added to its diagnostics."""
    if loaded.data is None or loaded.diagnostics:
        return None
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as exc:
        loaded.diagnostics.extend(diagnostics_from(exc, loaded, model))
        return None
    loaded.data = None  # the model holds it now; the plain copy would only cost memory
    # The model took them as text (a boolean field would have refused them): say so.
    for line, column, word in loaded.yaml11_words:
        loaded.diagnostics.append(
            Diagnostic(
                loaded.rel, line, column, "yaml11-boolean-word", "warning", "",
                f"“{word}”没有加引号：fxfk 把它当作文字，但按 YAML 1.1 读取的工具会把它当成布尔值；"
                f"如确为文字，请写成 \"{word}\"",
            )
        )
    return result


def _parse(rel: str, path: Path, raw: bytes, model: type[M], pure: bool) -> SourceFile[M]:
    loaded = load_bytes(raw, rel, path=path, pure=pure)
    return SourceFile(rel, path, loaded, _validate(loaded, model))


def _parse_in_worker(job: tuple) -> tuple:
    """Runs in a worker process: parse one file and give back what the parent needs.

    A clean result is pickled once, as ``(model, diagnostics)``: the same bytes go into the cache
    and back to the parent. A file with errors goes back whole (its plain data is still needed).
    """
    rel, path, model, pure, cache = job
    gc.disable()
    raw = path.read_bytes()
    source = _parse(rel, path, raw, model, pure)
    if source.model is None:
        source.loaded._root = None  # node trees are rebuilt on demand from the file
        return "failed", (source.loaded, source.model)
    payload = cache_dumps((source.model, source.loaded.diagnostics))
    if cache is not None:
        cache.put_payload(raw, payload)
    return "clean", payload


def _from_cached(job: "_Job", value: tuple, pure: bool) -> SourceFile:
    model_value, diagnostics = value
    loaded = LoadedYaml(job.rel, diagnostics=[replace(d, file=job.rel) for d in diagnostics], path=job.path, pure=pure)
    return SourceFile(job.rel, job.path, loaded, model_value)


Progress = Callable[[int, int], None]


@dataclass
class _Job:
    rel: str
    path: Path
    raw: bytes | None = None
    source: SourceFile | None = None


# Below this much work, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def _workers() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    if os.environ.get("FXFK_JOBS", "").isdigit():
        available = int(os.environ["FXFK_JOBS"])
    return max(1, min(available, 8))


def _load_all(
    root: Path, paths: list[Path], model: type[M], max_bytes: int, pure: bool, progress: Progress | None
) -> list[SourceFile[M]]:
    """Load files: from the cache when unchanged, else parse — in parallel when it pays."""
    cache = FileCache(root, f"{model.__name__}:{max_bytes}:{'pure' if pure else 'c'}") if cache_enabled() else None
    jobs = [_Job(_rel(root, p), p) for p in paths]
    done = 0
    misses: list[_Job] = []
    for job in jobs:
        try:
            size = job.path.stat().st_size
            if size > max_bytes:  # refused before reading
                job.source = SourceFile(job.rel, job.path, too_large(job.rel, size, max_bytes))
            else:
                job.raw = job.path.read_bytes()
        except OSError as exc:
            job.source = SourceFile(job.rel, job.path, unreadable(job.rel, exc))
        if job.raw is not None and cache is not None:
            hit = cache.get(job.raw)
            if hit is not None:
                job.source = _from_cached(job, hit, pure)
        if job.source is not None:
            done += 1
            if progress:
                progress(done, len(jobs))
        else:
            misses.append(job)

    workers = _workers()
    if workers > 1 and len(misses) >= PARALLEL_MIN_FILES and sum(len(j.raw) for j in misses) >= PARALLEL_MIN_BYTES:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(_parse_in_worker, [(j.rel, j.path, model, pure, cache) for j in misses], chunksize=4)
            for job, (kind, value) in zip(misses, results):
                if kind == "clean":
                    job.source = _from_cached(job, pickle.loads(value), pure)
                else:
                    loaded, model_value = value
                    job.source = SourceFile(job.rel, job.path, loaded, model_value)
                done += 1
                if progress:
                    progress(done, len(jobs))
    else:
        for job in misses:
            job.source = _parse(job.rel, job.path, job.raw, model, pure)
            if cache is not None and job.source.model is not None:  # only clean parses are kept
                cache.put(job.raw, (job.source.model, job.source.loaded.diagnostics))
            done += 1
            if progress:
                progress(done, len(jobs))
    return [job.source for job in jobs]



def load_repository(
    root: Path, max_bytes: int = DEFAULT_MAX_BYTES, pure: bool = False, progress: Progress | None = None
) -> Repository:
    """Load every file of the data repository. ``progress(done, total)`` is told about each file."""
    # Loading allocates millions of small acyclic objects that all stay alive: the cyclic garbage
    # collector would rescan them again and again for nothing (3× the parse time on 10,000 points).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_repository(root, max_bytes, pure, progress)
    finally:
        # What was loaded lives as long as the command: keep it out of later collections too.
        gc.freeze()
        if gc_was_enabled:
            gc.enable()


def _load_repository(root: Path, max_bytes: int, pure: bool, progress: Progress | None) -> Repository:
    repo = Repository(root=root, settings=Settings())
    settings_path = root / SETTINGS_FILE
    if settings_path.is_file():
        repo.settings_file = _load_all(root, [settings_path], Settings, max_bytes, pure, None)[0]
        if repo.settings_file.model is not None:
            repo.settings = repo.settings_file.model

    data = root / "data"
    repo.registers = _load_all(root, _yaml_files(data / "risks"), Register, max_bytes, pure, progress)
    repo.task_tables = _load_all(root, _yaml_files(data / "tasks"), TaskTable, max_bytes, pure, None)
    for name in ("laws.yaml", "laws.yml"):
        if (data / name).is_file():
            repo.laws = _load_all(root, [data / name], LawCatalogue, max_bytes, pure, None)[0]
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
