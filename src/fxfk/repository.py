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
import marshal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
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
from fxfk.facts import facts_from_plain, plain_facts
from fxfk.file_checks import check_register
from fxfk.gcpause import gc_paused
from fxfk.yamlload import DEFAULT_MAX_BYTES, LoadedYaml, load_bytes, too_large, unreadable

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

SETTINGS_FILE = "fxfk.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceFile(Generic[M]):
    rel: str  # relative to the data root, forward slashes
    path: Path
    loaded: LoadedYaml
    # The file's model; for registers loaded for `fxfk validate`, their facts (fxfk.facts).
    model: M | None = None
    # True once the one-register rules (fxfk.file_checks) have run and their findings are in loaded.
    checked: bool = False

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
    # Values several checks derive from the files (every basis use, every point): see derived().
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, once per key: for values several checks need on big repositories.

        Valid while the loaded files are not changed; :func:`fxfk.checks.run_checks` starts afresh.
        """
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def forget_derived(self) -> None:
        self._derived.clear()

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


@dataclass(frozen=True)
class _Kind:
    """What files are loaded as, and everything besides their bytes that decides the result."""

    model: type[BaseModel]
    max_bytes: int
    pure: bool
    # Registers: the settings their one-register rules depend on (None: other kinds of file).
    settings: Settings | None = None
    # Registers: build full models (True) or only the facts that cross-file checks need.
    full: bool = True

    @property
    def flavour(self) -> str:
        settings = self.settings.model_dump_json() if self.settings is not None else ""
        return f"{self.model.__name__}:{self.max_bytes}:{'pure' if self.pure else 'c'}:{settings}"


def _parse(rel: str, path: Path, raw: bytes, kind: _Kind) -> tuple[SourceFile, bytes | None, bytes | None]:
    """Parse, validate and check one file: its SourceFile and, when it is clean, its cache parts.

    The parts are marshalled ``(facts, diagnostics)`` and the plain data (see :mod:`fxfk.cache`);
    a file whose shape is wrong has no parts: it is parsed again next time, to locate its errors.
    """
    loaded = load_bytes(raw, rel, path=path, pure=kind.pure)
    data = loaded.data
    source = SourceFile(rel, path, loaded, _validate(loaded, kind.model))
    if source.model is None:
        return source, None, None
    facts = None
    if kind.settings is not None:
        loaded.diagnostics.extend(check_register(source, kind.settings))
        source.checked = True
        facts = plain_facts(source.model)
    diagnostics = [(d.line, d.column, d.code, d.severity, d.path, d.message) for d in loaded.diagnostics]
    return source, cache_dumps((facts, diagnostics)), cache_dumps(data)


def _parse_in_worker(job: tuple) -> tuple:
    """Runs in a worker process: parse one file and give back what the parent needs.

    A clean file goes back as its cache parts (the same bytes go into the cache): the facts and
    diagnostics, plus the plain data when the parent wants full models. A file with errors goes
    back as its LoadedYaml (diagnostics, and the plain data its messages may still need).
    """
    rel, path, kind, cache = job
    gc.disable()
    raw = path.read_bytes()
    source, summary, data = _parse(rel, path, raw, kind)
    if summary is None:
        source.loaded._root = None  # node trees are rebuilt on demand from the file
        return "failed", source.loaded
    if cache is not None:
        digest = cache.digest(raw)
        cache.put(digest, "s", summary)
        cache.put(digest, "d", data)
    return "clean", summary, data if kind.full else None


def _from_parts(job: _Job, summary: tuple, data: object, kind: _Kind) -> SourceFile | None:
    """A clean file rebuilt from its cache parts (None if they do not fit: then it is parsed)."""
    facts, diagnostics = summary
    loaded = LoadedYaml(job.rel, diagnostics=[Diagnostic(job.rel, *d) for d in diagnostics], path=job.path, pure=kind.pure)
    try:
        if kind.full:
            model = kind.model.model_validate(data)
        else:
            model = facts_from_plain(facts)
    except Exception:  # noqa: BLE001 - parts that do not fit only cost a re-parse
        return None
    return SourceFile(job.rel, job.path, loaded, model, checked=kind.settings is not None)


Progress = Callable[[int, int], None]


@dataclass
class _Job:
    rel: str
    path: Path
    raw: bytes | None = None
    digest: str | None = None
    source: SourceFile | None = None


# Below this much work, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def worker_count() -> int:
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        available = os.cpu_count() or 1
    if os.environ.get("FXFK_JOBS", "").isdigit():
        available = int(os.environ["FXFK_JOBS"])
    return max(1, min(available, 8))


def _from_cache(job: _Job, cache: FileCache, kind: _Kind) -> SourceFile | None:
    job.digest = cache.digest(job.raw)
    summary = cache.get(job.digest, "s")
    if summary is None:
        return None
    data = None
    if kind.full:
        data = cache.get(job.digest, "d")
        if data is None:
            return None
    return _from_parts(job, summary, data, kind)


def _load_all(root: Path, paths: list[Path], kind: _Kind, progress: Progress | None) -> list[SourceFile]:
    """Load files: from the cache when unchanged, else parse — in parallel when it pays."""
    cache = FileCache(root, kind.flavour) if cache_enabled() else None
    jobs = [_Job(_rel(root, p), p) for p in paths]
    done = 0
    misses: list[_Job] = []
    for job in jobs:
        try:
            size = job.path.stat().st_size
            if size > kind.max_bytes:  # refused before reading
                job.source = SourceFile(job.rel, job.path, too_large(job.rel, size, kind.max_bytes))
            else:
                job.raw = job.path.read_bytes()
        except OSError as exc:
            job.source = SourceFile(job.rel, job.path, unreadable(job.rel, exc))
        if job.raw is not None and cache is not None:
            job.source = _from_cache(job, cache, kind)
        if job.source is not None:
            job.raw = None
            done += 1
            if progress:
                progress(done, len(jobs))
        else:
            misses.append(job)

    workers = worker_count()
    if workers > 1 and len(misses) >= PARALLEL_MIN_FILES and sum(len(j.raw) for j in misses) >= PARALLEL_MIN_BYTES:
        for job in misses:
            job.raw = None  # workers read the files themselves: cheaper than sending the bytes
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(_parse_in_worker, [(j.rel, j.path, kind, cache) for j in misses], chunksize=4)
            for job, result in zip(misses, results):
                if result[0] == "clean":
                    job.source = _from_parts(job, marshal.loads(result[1]), result[2] and marshal.loads(result[2]), kind)
                    if job.source is None:  # cannot happen unless the worker's model differs: parse here
                        job.source = _parse(job.rel, job.path, job.path.read_bytes(), kind)[0]
                else:
                    job.source = SourceFile(job.rel, job.path, result[1])
                done += 1
                if progress:
                    progress(done, len(jobs))
    else:
        for job in misses:
            job.source, summary, data = _parse(job.rel, job.path, job.raw, kind)
            if cache is not None and summary is not None:  # only clean parses are kept
                digest = job.digest or cache.digest(job.raw)
                cache.put(digest, "s", summary)
                cache.put(digest, "d", data)
            if not kind.full and job.source.model is not None:
                job.source.model = facts_from_plain(marshal.loads(summary)[0])
            job.raw = None
            done += 1
            if progress:
                progress(done, len(jobs))
    return [job.source for job in jobs]


def load_repository(
    root: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    pure: bool = False,
    progress: Progress | None = None,
    full_models: bool = True,
) -> Repository:
    """Load every file of the data repository. ``progress(done, total)`` is told about each file.

    With ``full_models=False`` the registers' ``model`` is their :class:`~fxfk.facts.RegisterFacts`
    — all that the cross-file checks of ``fxfk validate`` need, at a fraction of the cost; every
    other command asks for full models. Either way each register has been through the
    one-register rules (``fxfk.file_checks``), whose findings are among ``repo.diagnostics``.
    """
    with gc_paused(keep=True):  # what is loaded lives as long as the command
        return _load_repository(root, max_bytes, pure, progress, full_models)


def _load_repository(root: Path, max_bytes: int, pure: bool, progress: Progress | None, full: bool) -> Repository:
    repo = Repository(root=root, settings=Settings())
    settings_path = root / SETTINGS_FILE
    if settings_path.is_file():
        repo.settings_file = _load_all(root, [settings_path], _Kind(Settings, max_bytes, pure), None)[0]
        if repo.settings_file.model is not None:
            repo.settings = repo.settings_file.model

    data = root / "data"
    registers = _Kind(Register, max_bytes, pure, settings=repo.settings, full=full)
    repo.registers = _load_all(root, _yaml_files(data / "risks"), registers, progress)
    repo.task_tables = _load_all(root, _yaml_files(data / "tasks"), _Kind(TaskTable, max_bytes, pure), None)
    for name in ("laws.yaml", "laws.yml"):
        if (data / name).is_file():
            repo.laws = _load_all(root, [data / name], _Kind(LawCatalogue, max_bytes, pure), None)[0]
            break

    for source in repo.files:
        repo.diagnostics.extend(source.loaded.diagnostics)
    repo.diagnostics.extend(_stray_files(root, data))
    return repo


def _stray_files(root: Path, data: Path) -> list[Diagnostic]:
    """YAML files where fxfk does not look: probably misplaced, so say so instead of ignoring them."""
    if not data.is_dir():
        return []
    out = []
    # os.walk, not Path.rglob: a province's data/risks holds thousands of files, all known.
    for folder, subfolders, names in os.walk(data):
        subfolders.sort()
        here = Path(folder)
        for name in sorted(names):
            if not name.endswith(YAML_SUFFIXES):
                continue
            if here in (data / "risks", data / "tasks") or (here == data and name in ("laws.yaml", "laws.yml")):
                continue
            path = here / name
            if not path.is_file():
                continue
            out.append(
                Diagnostic(
                    _rel(root, path), 1, 1, "stray-file", "warning", "",
                    "fxfk 不读取这个文件：登记册应放在 data/risks/<单位标识>.yaml，任务表放在 data/tasks/<年份>.yaml，"
                    "法规目录为 data/laws.yaml",
                )
            )
    return out
