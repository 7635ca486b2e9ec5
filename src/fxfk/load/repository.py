"""Loading every file of a data repository into models.

Which files are read is decided by :mod:`fxfk.load.files`. Loading never raises for bad data: every
problem becomes a diagnostic, and a file that cannot be read or does not fit its model is kept (with
``model=None``) so that other files are still checked. How files are read (cache, worker processes,
parser, size limit) is the caller's :class:`fxfk.options.Options`.
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Literal, TypeVar, cast

from pydantic import BaseModel

from fxfk.diagnostics import Diagnostic, Severity
from fxfk.load.cache import FileCache
from fxfk.load.cache import dumps as cache_dumps
from fxfk.load.facts import PlainFacts, RegisterFacts, facts_from_plain, facts_of, plain_facts
from fxfk.load.files import find_data_files, relative
from fxfk.load.gcpause import gc_paused
from fxfk.load.validation import validate as _validate
from fxfk.load.yamlload import LoadedYaml, load_bytes, read_limited
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.options import Options

if TYPE_CHECKING:
    from collections.abc import Sequence

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S", bound=BaseModel)
T = TypeVar("T")


@dataclass
class SourceFile(Generic[M]):
    rel: str  # relative to the data root, forward slashes
    path: Path
    loaded: LoadedYaml
    # The file's model; None when the file does not fit it, or for a register loaded with
    # facts_only=True (then only ``facts`` is kept).
    model: M | None = None
    # True once the one-register rules (fxfk.rules.register) have run and their findings are in loaded.
    checked: bool = False
    _facts: RegisterFacts | None = field(default=None, repr=False)
    _rebuild: Callable[..., Any] | None = field(default=None, repr=False)  # facts_only: (source, fields=None) -> model
    # The cache and key of the bytes it was loaded from (None without the cache): later parts of
    # the same snapshot (fxfk.load.views) are stored and found under it.
    stored: tuple[FileCache, str] | None = field(default=None, repr=False)

    def load_model(self) -> M | None:
        """The model, or for a register loaded facts_only one built now (from the cache, else the
        file) and not kept: commands that need whole registers one at a time hold only one."""
        return self.model if self.model is not None or self._rebuild is None else self._rebuild(self)

    def load_fields(self, fields: type[S]) -> S | M | None:
        """As :meth:`load_model`, built as ``fields``: a slice of the model (e.g. ``RegisterPublicFields``)."""
        return self.model if self.model is not None or self._rebuild is None else self._rebuild(self, fields)

    @property
    def facts(self) -> RegisterFacts | None:
        """A valid register's facts (fxfk.load.facts): what the cross-file checks need. Loaded with the
        file, or derived once from a model built elsewhere (fxfk diff, a model patched by classify)."""
        if self._facts is None and isinstance(self.model, Register):
            self._facts = facts_of(self.model)
        return self._facts

    @facts.setter
    def facts(self, value: RegisterFacts | None) -> None:
        self._facts = value

    @property
    def valid_model(self) -> M:
        """The model of a file known to fit it (one of ``Repository.valid_*()``, or given to a
        one-register rule); ValueError when it has none (a bug: it does not fit, or was loaded facts_only)."""
        if self.model is None:
            raise ValueError(f"{self.rel}: no model")
        return self.model

    @property
    def valid_facts(self) -> RegisterFacts:
        """The facts of a register known to be valid (one of ``Repository.valid_registers()``)."""
        if (facts := self.facts) is None:
            raise ValueError(f"{self.rel}: no facts")
        return facts

    @property
    def stem(self) -> str:
        return self.path.stem

    def locate(self, *loc: int | str, key: bool = False) -> tuple[int, int]:
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
    _derived: dict[object, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, once per key: for values several checks need on big repositories.

        Valid while the loaded files are not changed; :func:`fxfk.rules.repository.run_checks` starts afresh.
        """
        if key not in self._derived:
            self._derived[key] = compute()
        value: T = self._derived[key]  # what compute() gave for this key
        return value

    def forget_derived(self) -> None:
        self._derived.clear()

    @property
    def files(self) -> list[SourceFile[Any]]:
        out: list[SourceFile[Any]] = []
        if self.settings_file:
            out.append(self.settings_file)
        out += self.registers + self.task_tables
        if self.laws:
            out.append(self.laws)
        return out

    def valid_registers(self) -> list[SourceFile[Register]]:
        """Registers that fit their model: each has its ``facts``, and its ``model`` unless loaded facts_only."""
        return [f for f in self.registers if f.model is not None or f.facts is not None]

    def valid_task_tables(self) -> list[SourceFile[TaskTable]]:
        return [f for f in self.task_tables if f.model is not None]

    def task_table(self, year: int) -> TaskTable | None:
        for f in self.task_tables:
            if f.model is not None and f.model.year == year:
                return f.model
        return None


# The one-register rules, given by the caller (fxfk.rules.register.check_register): loading sits
# below the rules and does not import them.
RegisterCheck = Callable[[SourceFile[Register], Settings], "Sequence[Diagnostic]"]


@dataclass(frozen=True)
class FileKind(Generic[M]):
    """What files are loaded as, and everything besides their bytes that decides the result.

    Sent to worker processes as it is (a module-level ``check`` function pickles by name).
    """

    model: type[M]
    max_bytes: int
    pure: bool
    # Registers: the settings their one-register rules depend on, and those rules (None: not run
    # while parsing — then fxfk.rules.repository.run_checks runs them on the full models).
    settings: Settings | None = None
    check: RegisterCheck | None = None
    # Registers: build full models (True) or only the facts that cross-file checks need.
    full: bool = True

    def __post_init__(self) -> None:
        if self.check is not None and self.settings is None:
            raise ValueError("a register check needs the settings it runs with")

    @property
    def registers(self) -> bool:
        return self.model is Register

    @property
    def flavour(self) -> str:
        settings = self.settings.model_dump_json() if self.check is not None and self.settings is not None else ""
        return f"{self.model.__name__}:{self.max_bytes}:{'pure' if self.pure else 'c'}:{settings}"


def parse_file(rel: str, path: Path, raw: bytes, kind: FileKind[M], on_disk: bool = True) -> tuple[SourceFile[M], bytes | None, bytes | None]:
    """Parse, validate and check one file: its SourceFile and, when it is clean, its cache parts.

    The parts are marshalled ``(facts, diagnostics)`` and the plain data (see :mod:`fxfk.load.cache`);
    a file whose shape is wrong has no parts: it is parsed again next time, to locate its errors.
    Bytes that are not ``on_disk`` (fxfk diff's, from git) keep their text, to locate findings, and
    have no cache parts.
    """
    loaded = load_bytes(raw, rel, path=path if on_disk else None, pure=kind.pure, max_bytes=kind.max_bytes)
    data = loaded.data
    source = SourceFile(rel, path, loaded, _validate(loaded, kind.model))
    if source.model is None:
        return source, None, None
    facts = None
    if kind.registers:
        # kind.model is Register: so are the file's type and its (validated) model.
        register, model = cast("SourceFile[Register]", source), cast(Register, source.model)
        if kind.check is not None and kind.settings is not None:  # (FileKind has both or neither)
            loaded.diagnostics.extend(kind.check(register, kind.settings))
            register.checked = True
        facts = plain_facts(model)
        register.facts = facts_from_plain(facts)
        if not kind.full:
            source.model = None  # only the facts are kept (the cross-file checks read nothing else)
    if not on_disk:
        return source, None, None
    diagnostics = [(d.line, d.column, d.code, d.severity, d.path, d.message) for d in loaded.diagnostics]
    return source, cache_dumps((facts, diagnostics)), cache_dumps(data)


# What a clean file's cache part "s" holds: its facts (registers) and its diagnostics' fields.
Summary = tuple[PlainFacts | None, list[tuple[int, int, str, Severity, str, str]]]
# A worker's answer: a clean file's marshalled summary and data, or a failed file's LoadedYaml.
_WorkerResult = tuple[Literal["failed"], LoadedYaml] | tuple[Literal["clean"], bytes, bytes | None]


def _parse_in_worker(job: tuple[str, Path, FileKind[Any], FileCache | None]) -> _WorkerResult:
    """Runs in a worker process: parse one file and give back what the parent needs.

    A clean file goes back as its cache parts (the same bytes go into the cache): the facts and
    diagnostics, plus the plain data when the parent wants full models. A file with errors goes
    back as its LoadedYaml (diagnostics, and the plain data its messages may still need).
    Everything that decides the result comes in ``job`` (the kind holds the options' parser and
    size limit): a worker reads no setting of its own.
    """
    rel, path, kind, cache = job
    gc.disable()
    read = read_limited(path, rel, kind.max_bytes)
    if read[0] is None:
        return "failed", read[1]
    raw = read[0]
    source, summary, data = parse_file(rel, path, raw, kind)
    if summary is None:
        source.loaded._root = None  # node trees are rebuilt on demand from the file
        return "failed", source.loaded
    if cache is not None and data is not None:  # (a clean parse has both parts)
        digest = cache.digest(raw)
        cache.put(digest, "s", summary)
        cache.put(digest, "d", data)
    return "clean", summary, data if kind.full else None


def _from_parts(job: _Job, summary: Summary, data: Any, kind: FileKind[M]) -> SourceFile[M] | None:
    """A clean file rebuilt from its cache parts (None if they do not fit: then it is parsed)."""
    plain, diagnostics = summary
    loaded = LoadedYaml(job.rel, diagnostics=[Diagnostic(job.rel, *d) for d in diagnostics], path=job.path, pure=kind.pure)
    try:
        facts = facts_from_plain(plain) if plain is not None else None  # (registers have facts, others none)
        model = kind.model.model_validate(data) if kind.full else None
    except Exception:  # noqa: BLE001 - parts that do not fit only cost a re-parse
        return None
    return SourceFile(job.rel, job.path, loaded, model, checked=kind.check is not None, _facts=facts)


Progress = Callable[[int, int], None]


@dataclass
class _Job:
    rel: str
    path: Path
    raw: bytes = b""  # the file's bytes, while it waits to be parsed here
    digest: str | None = None
    source: SourceFile[Any] | None = None


# Below this much work, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def _from_cache(job: _Job, cache: FileCache, kind: FileKind[M]) -> SourceFile[M] | None:
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


def _load_all(root: Path, paths: list[Path], kind: FileKind[M], options: Options, progress: Progress | None) -> list[SourceFile[M]]:
    """Load files: from the cache when unchanged, else parse — in parallel when it pays."""
    cache = FileCache(root, kind.flavour) if options.cache else None
    jobs = [_Job(relative(root, p), p) for p in paths]
    done = 0
    misses: list[_Job] = []
    for job in jobs:
        read = read_limited(job.path, job.rel, kind.max_bytes)  # refused before reading
        if read[0] is None:
            job.source = SourceFile(job.rel, job.path, read[1])
        else:
            job.raw = read[0]
            if cache is not None:
                job.source = _from_cache(job, cache, kind)
        if job.source is not None:
            job.raw = b""
            done += 1
            if progress:
                progress(done, len(jobs))
        else:
            misses.append(job)

    workers = options.workers()
    if workers > 1 and len(misses) >= PARALLEL_MIN_FILES and sum(len(j.raw) for j in misses) >= PARALLEL_MIN_BYTES:
        for job in misses:
            job.raw = b""  # workers read the files themselves: cheaper than sending the bytes
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(_parse_in_worker, [(j.rel, j.path, kind, cache) for j in misses], chunksize=4)
            for job, result in zip(misses, results):
                if result[0] == "clean":
                    job.source = _from_parts(job, marshal.loads(result[1]), result[2] and marshal.loads(result[2]), kind)
                    if job.source is None:  # cannot happen unless the worker's model differs: parse here
                        read = read_limited(job.path, job.rel, kind.max_bytes)
                        job.source = SourceFile(job.rel, job.path, read[1]) if read[0] is None else parse_file(job.rel, job.path, read[0], kind)[0]
                else:
                    job.source = SourceFile(job.rel, job.path, result[1])
                done += 1
                if progress:
                    progress(done, len(jobs))
    else:
        for job in misses:
            job.source, summary, data = parse_file(job.rel, job.path, job.raw, kind)
            if cache is not None and summary is not None and data is not None:  # only clean parses are kept
                digest = job.digest or cache.digest(job.raw)
                cache.put(digest, "s", summary)
                cache.put(digest, "d", data)
            job.raw = b""
            done += 1
            if progress:
                progress(done, len(jobs))
    if cache is not None:
        for job in jobs:
            if job.source is not None and job.digest is not None:
                job.source.stored = (cache, job.digest)
    if not kind.full:
        from fxfk.load.rebuild import full_model

        for job in jobs:
            if job.source is not None and job.source.facts is not None:
                job.source._rebuild = partial(full_model, kind, cache, job.digest)
    return cast("list[SourceFile[M]]", [job.source for job in jobs])  # every job has its source now


def load_repository(
    root: Path,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
    facts_only: bool = False,
    check_register: RegisterCheck | None = None,
) -> Repository:
    """Load every file of the data repository. ``progress(done, total)`` is told about each file.

    ``check_register`` (:func:`fxfk.rules.register.check_register`) runs the one-register rules
    while each register is parsed, and its findings are cached with the file and are among
    ``repo.diagnostics``; without it they are left to :func:`fxfk.rules.repository.run_checks`.
    Every valid register has its :class:`~fxfk.load.facts.RegisterFacts` in ``facts``. With
    ``facts_only=True`` (which needs ``check_register``) no full register model is built — all that
    the cross-file checks of ``fxfk validate`` need, at a fraction of the cost.
    """
    options = options or Options()
    if facts_only and check_register is None:
        raise ValueError("facts_only needs check_register: facts cannot be checked afterwards")
    with gc_paused(keep=True):  # what is loaded lives as long as the command
        return _load_repository(root, options, progress, not facts_only, check_register)


def _load_repository(root: Path, options: Options, progress: Progress | None, full: bool,
                     check: RegisterCheck | None) -> Repository:
    repo = Repository(root=root, settings=Settings(), today=options.day())
    found = find_data_files(root)
    size, pure = options.max_bytes, options.pure_yaml
    if found.settings is not None:
        repo.settings_file = _load_all(root, [found.settings], FileKind(Settings, size, pure), options, None)[0]
        if repo.settings_file.model is not None:
            repo.settings = repo.settings_file.model

    registers = FileKind(Register, size, pure, settings=repo.settings, check=check, full=full)
    repo.registers = _load_all(root, found.registers, registers, options, progress)
    repo.task_tables = _load_all(root, found.tasks, FileKind(TaskTable, size, pure), options, None)
    if found.laws is not None:
        repo.laws = _load_all(root, [found.laws], FileKind(LawCatalogue, size, pure), options, None)[0]

    for source in repo.files:
        repo.diagnostics.extend(source.loaded.diagnostics)
    repo.diagnostics.extend(found.diagnostics)
    return repo
