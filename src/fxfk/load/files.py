"""Which files of a data repository are read, and what is wrong with the ones that are not.

A data repository is a folder with ``fxfk.yaml`` and/or ``data/`` (layout in data-format.md).
Only paths are looked at here; :mod:`fxfk.load.repository` reads and loads the files found.

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

import os
from dataclasses import dataclass, field
from pathlib import Path

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError

SETTINGS_FILE = "fxfk.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


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


def relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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


LAWS_FILES = ("data/laws.yaml", "data/laws.yml")  # the first is read when both are there


def second_catalogue(rel: str) -> Diagnostic:
    """``data/laws.yml`` next to ``data/laws.yaml``, which alone is read."""
    return Diagnostic(rel, 1, 1, "stray-file", "error", "", "已有法规目录 data/laws.yaml，fxfk 不读取这个文件；请把两者合并为 data/laws.yaml")


def _stray(root: Path, path: Path, message: str) -> Diagnostic:
    return Diagnostic(relative(root, path), 1, 1, "stray-file", "error", "", message)


class _Inside:
    """Whether paths stay inside the data root once symlinks are resolved."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)

    def __call__(self, path: Path) -> bool:
        real = os.path.realpath(path)  # a symlink loop resolves to some path, and then is no file
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)


def _outside(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(
        relative(root, path), 1, 1, "outside-root", "error", "",
        "这是一个指向数据仓库之外的符号链接；fxfk 只读取数据仓库之内的文件，未读取它。请换成普通文件（或指向仓库之内的链接）",
    )


def _not_a_file(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(
        relative(root, path), 1, 1, "not-a-file", "error", "",
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
    laws = [root / rel for rel in LAWS_FILES if os.path.lexists(root / rel)]
    if laws and _take(root, laws[0], inside, found):
        found.laws = laws[0]
    if len(laws) > 1:
        found.diagnostics.append(second_catalogue(relative(root, laws[1])))
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


def _entry_is(entry: os.DirEntry[str], kind: str) -> bool:
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
