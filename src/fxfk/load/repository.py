"""Finding a data repository and loading every file in it into models.

A data repository is a folder with ``fxfk.yaml`` and/or ``data/`` (layout in data-format.md).
Loading never raises for bad data: every problem becomes a diagnostic, and a file that cannot be
read or does not fit its model is kept (with ``model=None``) so that other files are still checked.

Which files are read (:func:`find_data_files`), for a repository that may come from an untrusted
pull request:

* ``fxfk.yaml``, ``data/risks/*.yaml``, ``data/tasks/*.yaml`` (``.yml`` too) and ``data/laws.yaml``
  (or ``laws.yml``). Nothing is read that resolves outside the data root: a symlink (to a file or
  a folder, ``data`` itself included) leading out is an error naming only the link
  ("outside-root"), and its target is never opened. A symlink that stays inside the root is read
  like the file it points to. Only regular files are opened ("not-a-file" otherwise: a dangling
  link, a FIFO).
* No data file is silently skipped: any other file in ``data/risks/`` or ``data/tasks/`` (or in a
  folder below them) is an error saying what to rename it to ("stray-file"): ``X.YAML``, ``x.Yml``,
  ``.x.yaml``, ``huiji.yaml.txt`` (Windows hides the ``.txt``), ``huiji``, backups. Tolerated
  there: hidden files that are not YAML (``.gitkeep``, ``.DS_Store``, macOS ``._*``), ``README*``,
  and Windows Explorer's ``Thumbs.db`` and ``desktop.ini``. Elsewhere under ``data/`` any YAML
  file but the law catalogue is an error too; other files there are left alone. Folders are never
  followed through symlinks.
"""

from __future__ import annotations

import datetime as dt
import gc
import marshal
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import MAX_PER_FILE, Diagnostic, omitted_line
from fxfk.errors import FxfkError
from fxfk.load.cache import FileCache
from fxfk.load.cache import dumps as cache_dumps
from fxfk.load.cache import enabled as cache_enabled
from fxfk.load.facts import facts_from_plain, plain_facts
from fxfk.load.gcpause import gc_paused
from fxfk.load.model_errors import diagnostics_from
from fxfk.load.yamlload import DEFAULT_MAX_BYTES, LoadedYaml, load_bytes, read_limited
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.rules.register import check_register

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

SETTINGS_FILE = "fxfk.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceFile(Generic[M]):
    rel: str  # relative to the data root, forward slashes
    path: Path
    loaded: LoadedYaml
    # The file's model; for registers loaded for `fxfk validate`, their facts (fxfk.load.facts).
    model: M | None = None
    # True once the one-register rules (fxfk.rules.register) have run and their findings are in loaded.
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

        Valid while the loaded files are not changed; :func:`fxfk.rules.repository.run_checks` starts afresh.
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


class _FirstErrors:
    """A ValidationError that tells only its first ``limit`` errors (all else passes through)."""

    def __init__(self, exc: ValidationError, limit: int):
        self._exc, self._limit = exc, limit

    def errors(self, *args, **kwargs) -> list:
        return self._exc.errors(*args, **kwargs)[: self._limit]

    def __getattr__(self, name: str):
        return getattr(self._exc, name)


def _model_diagnostics(exc: ValidationError, loaded: LoadedYaml, model: type[BaseModel]) -> list[Diagnostic]:
    """The located diagnostics of ``exc``: all of them, or the first ``MAX_PER_FILE`` and a line that
    counts the rest. Locating each error and building its message is what costs (a file of a
    million ``- {}`` lines has six million): only the ones shown are.
    """
    total = exc.error_count()
    raw = 2 * MAX_PER_FILE  # a few of the first may coincide (see diagnostics_from)
    if total <= raw:
        return diagnostics_from(exc, loaded, model)
    found = diagnostics_from(_FirstErrors(exc, raw), loaded, model)  # type: ignore[arg-type]
    shown = found[:MAX_PER_FILE]
    last = shown[-1]
    return shown + [omitted_line(loaded.rel, last.line, last.column, total - raw + len(found) - len(shown), 0)]


def _validate(loaded: LoadedYaml, model: type[M]) -> M | None:
    """The model of a parsed file, or None with the model's errors added to its diagnostics."""
    if loaded.data is None or loaded.diagnostics:
        return None
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as exc:
        loaded.diagnostics.extend(_model_diagnostics(exc, loaded, model))
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

    The parts are marshalled ``(facts, diagnostics)`` and the plain data (see :mod:`fxfk.load.cache`);
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
    raw, refused = read_limited(path, rel, kind.max_bytes)
    if raw is None:
        return "failed", refused
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
        job.raw, refused = read_limited(job.path, job.rel, kind.max_bytes)  # refused before reading
        if refused is not None:
            job.source = SourceFile(job.rel, job.path, refused)
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
                        raw, refused = read_limited(job.path, job.rel, kind.max_bytes)
                        job.source = SourceFile(job.rel, job.path, refused) if raw is None else _parse(job.rel, job.path, raw, kind)[0]
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

    With ``full_models=False`` the registers' ``model`` is their :class:`~fxfk.load.facts.RegisterFacts`
    — all that the cross-file checks of ``fxfk validate`` need, at a fraction of the cost; every
    other command asks for full models. Either way each register has been through the
    one-register rules (``fxfk.rules.register``), whose findings are among ``repo.diagnostics``.
    """
    with gc_paused(keep=True):  # what is loaded lives as long as the command
        return _load_repository(root, max_bytes, pure, progress, full_models)


def _load_repository(root: Path, max_bytes: int, pure: bool, progress: Progress | None, full: bool) -> Repository:
    repo = Repository(root=root, settings=Settings())
    found = find_data_files(root)
    if found.settings is not None:
        repo.settings_file = _load_all(root, [found.settings], _Kind(Settings, max_bytes, pure), None)[0]
        if repo.settings_file.model is not None:
            repo.settings = repo.settings_file.model

    registers = _Kind(Register, max_bytes, pure, settings=repo.settings, full=full)
    repo.registers = _load_all(root, found.registers, registers, progress)
    repo.task_tables = _load_all(root, found.tasks, _Kind(TaskTable, max_bytes, pure), None)
    if found.laws is not None:
        repo.laws = _load_all(root, [found.laws], _Kind(LawCatalogue, max_bytes, pure), None)[0]

    for source in repo.files:
        repo.diagnostics.extend(source.loaded.diagnostics)
    repo.diagnostics.extend(found.diagnostics)
    return repo


@dataclass
class DataFiles:
    """The files to read, and what is wrong with the ones that are not read."""

    settings: Path | None = None
    registers: list[Path] = field(default_factory=list)
    tasks: list[Path] = field(default_factory=list)
    laws: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


_WHAT = {"risks": ("登记册", "<单位标识>"), "tasks": ("任务表", "<年份>")}
# Left alone wherever they are: version control and file managers put them there.
_TOLERATED = {"thumbs.db", "desktop.ini"}
_BACKUP_ENDS = ("~", ".bak", ".orig", ".old", ".tmp", ".swp", ".swo")


def _tolerated(name: str) -> bool:
    lower = name.lower()
    if lower.startswith("._"):  # macOS metadata beside every file copied to a foreign disk
        return True
    if _looks_yaml(lower):  # a YAML file is never skipped silently, whatever its name
        return False
    return lower.startswith(".") or lower in _TOLERATED or lower.startswith("readme")


def _looks_yaml(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(YAML_SUFFIXES) or lower.endswith((".yaml.txt", ".yml.txt"))


def _readable_name(name: str) -> bool:
    return name.endswith(YAML_SUFFIXES) and not name.startswith(".")


def _base(lower: str) -> str:
    """"x" of "x.yaml", ".x.yml", "x.yaml.txt"; "" of ".yaml"."""
    if lower.endswith(".txt"):
        lower = lower[:-4]
    return lower.rsplit(".", 1)[0].lstrip(".") if "." in lower else lower


def _rename_hint(name: str, placeholder: str) -> str:
    """What a file in data/risks or data/tasks that fxfk does not read should be called."""
    lower = name.lower()
    for end in _BACKUP_ENDS:
        if lower.endswith(end) and _looks_yaml(lower[: -len(end)]):
            base = _base(lower[: -len(end)]) or placeholder
            return f"看起来是编辑器留下的备份或临时文件：不需要就删除它；如果它才是要用的文件，请改名为 {base}.yaml"
    notepad = lower.endswith(".txt") and _looks_yaml(lower[:-4])
    if notepad:
        lower = lower[:-4]
    if lower.endswith(YAML_SUFFIXES) or notepad:
        base = _base(lower)
        if not base:
            return f"文件名缺少{placeholder.strip('<>')}；请改名为 {placeholder}.yaml"
        hint = f"请改名为 {base}.yaml"
        return hint + "（Windows 记事本可能隐藏了 .txt 扩展名）" if notepad else hint
    stem, dot, _ = lower.lstrip(".").partition(".")
    if stem and (not dot or lower.endswith(".txt")):
        return f"如果它是{placeholder.strip('<>')}为 {stem} 的数据文件，请改名为 {stem}.yaml；否则请把它移出这个目录"
    return "请把它移出这个目录"


def _stray(root: Path, path: Path, message: str) -> Diagnostic:
    return Diagnostic(_rel(root, path), 1, 1, "stray-file", "error", "", message)


class _Inside:
    """Whether paths stay inside the data root once symlinks are resolved."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)

    def __call__(self, path: Path) -> bool:
        real = os.path.realpath(path)  # a symlink loop resolves to some path, and then is no file
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)


def _outside(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(
        _rel(root, path), 1, 1, "outside-root", "error", "",
        "这是一个指向数据仓库之外的符号链接；fxfk 只读取数据仓库之内的文件，未读取它。请换成普通文件（或指向仓库之内的链接）",
    )


def _not_a_file(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(
        _rel(root, path), 1, 1, "not-a-file", "error", "",
        "这不是一个普通文件（可能是指向不存在的文件的符号链接，或特殊文件），未读取；请换成普通的 YAML 文件",
    )


def _regular(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a symlink loop, a path too long
        return False


def _take(root: Path, path: Path, inside: _Inside, found: DataFiles, link: bool | None = None, regular: bool | None = None) -> bool:
    """True if the data file at ``path`` may be read; else why not goes into ``found``.

    ``link`` and ``regular``, when known from a directory listing, save a system call each.
    """
    if (path.is_symlink() if link is None else link) and not inside(path):
        found.diagnostics.append(_outside(root, path))
        return False
    if not (_regular(path) if regular is None or link else regular):
        found.diagnostics.append(_not_a_file(root, path))
        return False
    return True


def find_data_files(root: Path) -> DataFiles:
    """Every data file to read, and a diagnostic for each one that is not (see the module docstring).

    Only paths are looked at: no file is opened here.
    """
    found = DataFiles()
    inside = _Inside(root)
    settings = root / SETTINGS_FILE
    if os.path.lexists(settings) and _take(root, settings, inside, found):
        found.settings = settings
    data = root / "data"
    if not os.path.lexists(data):
        return found
    if not inside(data):
        found.diagnostics.append(_outside(root, data))
        return found
    if not data.is_dir():
        return found
    for sub in ("risks", "tasks"):
        folder = data / sub
        if not os.path.lexists(folder):
            continue
        if not inside(folder):
            found.diagnostics.append(_outside(root, folder))
        elif folder.is_dir():
            _scan_kind(root, folder, sub, inside, found)
    laws = [data / name for name in ("laws.yaml", "laws.yml") if os.path.lexists(data / name)]
    if laws and _take(root, laws[0], inside, found):
        found.laws = laws[0]
    if len(laws) > 1:
        found.diagnostics.append(_stray(root, laws[1], "已有法规目录 data/laws.yaml，fxfk 不读取这个文件；请把两者合并为 data/laws.yaml"))
    found.diagnostics.extend(_stray_files(root, data))
    return found


def _scan_kind(root: Path, folder: Path, sub: str, inside: _Inside, found: DataFiles) -> None:
    """data/risks or data/tasks: each file is read, tolerated, or an error saying how to rename it."""
    what, placeholder = _WHAT[sub]
    into = found.registers if sub == "risks" else found.tasks
    where = f"data/{sub}/"
    # os.scandir, not Path.iterdir: a province's data/risks holds thousands of files.
    with os.scandir(folder) as entries:
        names = sorted((entry.name, entry.is_symlink(), _entry_is(entry, "dir"), _entry_is(entry, "file")) for entry in entries)
    for name, link, is_dir, is_file in names:
        path = folder / name
        if is_dir:
            if link:  # never followed: its files are not read, so say so once
                found.diagnostics.append(
                    _outside(root, path) if not inside(path) else
                    _stray(root, path, f"fxfk 不读取子目录中的文件：{what}应直接放在 {where} 中")
                )
            else:
                _scan_below(root, path, what, where, found)
        elif _readable_name(name):
            if _take(root, path, inside, found, link, is_file):
                into.append(path)
        elif not _tolerated(name):
            found.diagnostics.append(
                _stray(root, path, f"fxfk 不读取这个文件：{where} 中只放{what} {placeholder}.yaml；{_rename_hint(name, placeholder)}")
            )


def _entry_is(entry: os.DirEntry, kind: str) -> bool:
    try:
        return entry.is_dir() if kind == "dir" else entry.is_file()
    except OSError:  # a symlink loop
        return False


def _scan_below(root: Path, folder: Path, what: str, where: str, found: DataFiles) -> None:
    """A folder inside data/risks or data/tasks: nothing in it is read."""
    for here, subfolders, names in os.walk(folder):
        subfolders.sort()
        for name in sorted(names + [d for d in subfolders if os.path.islink(os.path.join(here, d))]):
            if not _tolerated(name):
                found.diagnostics.append(
                    _stray(root, Path(here) / name, f"fxfk 不读取子目录中的文件：{what}应直接放在 {where} 中，请把它移过去，或移出 {where}")
                )


def _stray_files(root: Path, data: Path) -> list[Diagnostic]:
    """YAML files elsewhere under data/: fxfk does not read them, so they are errors, not ignored."""
    out = []
    for folder, subfolders, names in os.walk(data):  # never into a symlinked folder
        here = Path(folder)
        if here == data:
            subfolders[:] = [d for d in subfolders if d not in ("risks", "tasks")]  # scanned above
        subfolders.sort()
        for name in sorted(names):
            if not _looks_yaml(name) or _tolerated(name):
                continue
            if here == data and name in ("laws.yaml", "laws.yml"):
                continue
            hint = ""
            if here == data and name.lower().startswith("laws."):
                hint = "；如果它是法规目录，请改名为 laws.yaml"
            out.append(
                _stray(
                    root, here / name,
                    "fxfk 不读取这个文件：登记册应放在 data/risks/<单位标识>.yaml，任务表放在 data/tasks/<年份>.yaml，"
                    f"法规目录为 data/laws.yaml{hint}",
                )
            )
    return out
