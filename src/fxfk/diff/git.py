"""The git side of ``fxfk diff``: revisions, and the data files of a revision or the work tree as bytes.

A revision's files are listed with ``git ls-tree`` and read by object id (``git cat-file blob``), so
no name is parsed by git. Both sides come from a pull request, so reading is careful: a file or blob
over the per-file size limit of ``fxfk validate`` (``DEFAULT_MAX_BYTES``) is reported and never read
(blob sizes come from ``git ls-tree -l``); a file that cannot be read, and a file name that is not
UTF-8 (git stores names as bytes), are reported as unreadable files of that side, with the name
shown with U+FFFD in place of the bad bytes.

The default base is the merge base of HEAD with the default branch: ``origin/HEAD`` when the clone
knows it, else ``main``, else ``master``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError, os_error_cause
from fxfk.load.files import SETTINGS_FILE, YAML_SUFFIXES
from fxfk.load.yamlload import LoadedYaml, too_large
from fxfk.options import DEFAULT_MAX_BYTES

# A side's files by path relative to the data root: the bytes to parse, or why they were not read.
Files = dict[str, "bytes | LoadedYaml"]

def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise FxfkError("找不到 git 命令；fxfk diff 需要安装 git") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise FxfkError(f"git {' '.join(args)} 失败：{message}")
    return proc


@dataclass(frozen=True)
class GitRepo:
    top: Path  # the work tree's top folder
    prefix: str  # the data root relative to it, "" or "sub/dir/"

    def path(self, rel: str) -> str:
        return self.prefix + rel


def open_git(data_root: Path) -> GitRepo:
    proc = _git(data_root, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise FxfkError(f"“{data_root}”不在 git 仓库中；fxfk diff 比较的是 git 中的两个版本，请在数据仓库的 git 工作区中运行")
    top = Path(os.fsdecode(proc.stdout.rstrip(b"\r\n"))).resolve()  # a non-UTF-8 folder name is still a path
    rel = data_root.resolve().relative_to(top).as_posix()
    return GitRepo(top, "" if rel == "." else rel + "/")


def resolve_revision(git: GitRepo, rev: str) -> str:
    """The commit id of ``rev``, or a clear error."""
    proc = _git(git.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise FxfkError(f"git 仓库中找不到版本“{rev}”；请写分支名、标签或提交号（可用 git log --oneline 查看）")
    return proc.stdout.decode("ascii").strip()


def default_branch(git: GitRepo) -> str:
    """origin/HEAD if the clone knows it, else main, else master."""
    proc = _git(git.top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", check=False)
    candidates = [proc.stdout.decode("utf-8", "replace").strip()] if proc.returncode == 0 else []
    candidates += ["main", "master"]
    for name in candidates:
        if name and _git(git.top, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False).returncode == 0:
            return name
    raise FxfkError("没有给出 BASE，且找不到默认分支（origin/HEAD、main、master 都不存在）；请写明要比较的版本，例如 fxfk diff main")


def default_base(git: GitRepo) -> tuple[str, str]:
    """(label, commit) of the merge base of HEAD with the default branch."""
    branch = default_branch(git)
    head = resolve_revision(git, "HEAD")
    proc = _git(git.top, "merge-base", branch, head, check=False)
    if proc.returncode != 0:
        raise FxfkError(f"HEAD 与默认分支 {branch} 没有共同的祖先提交；请写明要比较的版本")
    return f"{branch} 的合并基点", proc.stdout.decode("ascii").strip()



def _wanted(rel: str) -> bool:
    p = PurePosixPath(rel)
    if p.suffix not in YAML_SUFFIXES:
        return rel == SETTINGS_FILE
    parent = p.parent.as_posix()
    return rel == SETTINGS_FILE or parent in ("data/risks", "data/tasks") or rel in ("data/laws.yaml", "data/laws.yml")


def _shown(name: bytes) -> tuple[str, bool]:
    """A name as text, and whether it was valid UTF-8 (else the bad bytes show as U+FFFD)."""
    try:
        return name.decode("utf-8"), True
    except UnicodeDecodeError:
        return name.decode("utf-8", "replace"), False


def _bad_name(rel: str) -> LoadedYaml:
    loaded = LoadedYaml(rel)
    loaded.diagnostics.append(Diagnostic(
        rel, 1, 1, "unreadable", "error", "",
        "文件名不是有效的 UTF-8 编码（无法识别的字节显示为 �），未读取；请把文件改为 UTF-8 的名称，例如单位标识或年份",
    ))
    return loaded


def revision_files(git: GitRepo, commit: str) -> Files:
    paths = [git.path(SETTINGS_FILE), git.path("data")]
    # -l: each blob's size, so that a blob over the limit is never read; -z: names as raw bytes.
    listing = _git(git.top, "ls-tree", "-r", "-z", "-l", commit, "--", *paths).stdout
    prefix = os.fsencode(git.prefix)
    out: Files = {}
    for record in filter(None, listing.split(b"\0")):
        meta, _, full = record.partition(b"\t")
        fields = meta.split()
        if len(fields) != 4 or fields[1] != b"blob" or not full.startswith(prefix):
            continue  # a submodule, or outside the data root
        rel, utf8 = _shown(full[len(prefix):])
        if not _wanted(rel):
            continue
        if not utf8:
            out[rel] = _bad_name(rel)
            continue
        size = int(fields[3])
        if size > DEFAULT_MAX_BYTES:  # refused before reading, as fxfk validate does
            out[rel] = too_large(rel, size, DEFAULT_MAX_BYTES)
            continue
        out[rel] = _git(git.top, "cat-file", "blob", fields[2].decode("ascii")).stdout
    return out


def _read_limited(path: Path, rel: str) -> bytes | LoadedYaml:
    """The bytes of a work-tree file, never more than the size limit, or why not."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > DEFAULT_MAX_BYTES:
                return too_large(rel, size, DEFAULT_MAX_BYTES)
            raw = fh.read(DEFAULT_MAX_BYTES + 1)  # the file may grow meanwhile
    except OSError as exc:
        loaded = LoadedYaml(rel)  # as yamlload.unreadable, with the cause in Chinese
        loaded.diagnostics.append(Diagnostic(rel, 1, 1, "unreadable", "error", "", f"无法读取文件：{os_error_cause(exc)}"))
        return loaded
    if len(raw) > DEFAULT_MAX_BYTES:
        return too_large(rel, len(raw), DEFAULT_MAX_BYTES)
    return raw


def worktree_files(root: Path) -> Files:
    found: list[tuple[str, Path]] = []
    if (root / SETTINGS_FILE).is_file():
        found.append((SETTINGS_FILE, root / SETTINGS_FILE))
    for folder in ("data/risks", "data/tasks"):
        if (root / folder).is_dir():
            for p in sorted((root / folder).iterdir()):
                if p.is_file() and p.suffix in YAML_SUFFIXES:
                    found.append((f"{folder}/{p.name}", p))
    for name in ("data/laws.yaml", "data/laws.yml"):
        if (root / name).is_file():
            found.append((name, root / name))
    out: Files = {}
    for rel, path in found:
        # A name that is not UTF-8 arrives with surrogate escapes: show it, do not read it.
        shown, utf8 = _shown(os.fsencode(rel))
        out[shown] = _read_limited(path, shown) if utf8 else _bad_name(shown)
    return out

