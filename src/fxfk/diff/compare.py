"""`fxfk diff`: what a change means for the registers, not which lines moved.

Both sides are read with the ``git`` command (``git ls-tree`` to list the data files of a revision,
``git show REV:path`` to read each one) and loaded from text through the one YAML loader and the
models, exactly as ``fxfk validate`` loads files from disk. The working tree is read from disk the
same way. A side whose files do not load is reported; such a file is left out of the comparison
(its points are neither "added" nor "removed": nothing can be said about them).

The default base is the merge base of HEAD with the default branch: ``origin/HEAD`` when the
clone knows it, else ``main``, else ``master``.

Both sides come from a pull request, so reading is careful: a file or blob over the per-file size
limit of ``fxfk validate`` (``DEFAULT_MAX_BYTES``) is reported and never read (blob sizes come from
``git ls-tree -l``); a file that cannot be read, and a file name that is not UTF-8 (git stores names
as bytes), are reported as unreadable files of that side, with the name shown with U+FFFD in place of
the bad bytes. Blobs are read by object id (``git cat-file blob``), so no name is parsed by git.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import Diagnostic
from fxfk.errors import FxfkError, os_error_cause
from fxfk.load.model_errors import diagnostics_from
from fxfk.load.repository import SETTINGS_FILE, YAML_SUFFIXES, Repository, SourceFile
from fxfk.load.yamlload import DEFAULT_MAX_BYTES, LoadedYaml, decode, load_text, too_large
from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.models.types import LEVEL_ORDER, Status
from fxfk.rules.levels import explain

# --- git --------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
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


# --- one side: files as text → models ------------------------------------------------------------


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


def _revision_files(git: GitRepo, commit: str) -> dict[str, bytes | LoadedYaml]:
    paths = [git.path(SETTINGS_FILE), git.path("data")]
    # -l: each blob's size, so that a blob over the limit is never read; -z: names as raw bytes.
    listing = _git(git.top, "ls-tree", "-r", "-z", "-l", commit, "--", *paths).stdout
    prefix = os.fsencode(git.prefix)
    out: dict[str, bytes | LoadedYaml] = {}
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


def _worktree_files(root: Path) -> dict[str, bytes | LoadedYaml]:
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
    out: dict[str, bytes | LoadedYaml] = {}
    for rel, path in found:
        # A name that is not UTF-8 arrives with surrogate escapes: show it, do not read it.
        shown, utf8 = _shown(os.fsencode(rel))
        out[shown] = _read_limited(path, shown) if utf8 else _bad_name(shown)
    return out


def _source(rel: str, raw: bytes | LoadedYaml, model: type[BaseModel]) -> SourceFile:
    if isinstance(raw, LoadedYaml):  # not read: too large, unreadable or a bad name
        return SourceFile(rel, Path(rel), raw)
    text, problems = decode(raw, rel)
    if text is None:
        loaded = LoadedYaml(rel)
        loaded.diagnostics.extend(problems)
        return SourceFile(rel, Path(rel), loaded)
    loaded = load_text(text, rel)
    source = SourceFile(rel, Path(rel), loaded)
    if loaded.data is not None and not loaded.diagnostics:
        try:
            source.model = model.model_validate(loaded.data)
        except ValidationError as exc:
            loaded.diagnostics.extend(diagnostics_from(exc, loaded, model))
    return source


def build_side(label: str, commit: str | None, files: dict[str, bytes | LoadedYaml], day: dt.date) -> Side:
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
    files = _worktree_files(data_root) if commit is None else _revision_files(git, commit)
    return build_side(label, commit, files, day)


# --- the comparison --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class _Point:
    office: str
    risk: Any
    batches: dict
    levels: int

    def public_on(self, day: dt.date) -> bool:
        batch = self.batches.get(self.risk.batch)
        return self.risk.status is Status.published and batch is not None and batch.date <= day

    def clause(self) -> dict:
        why = explain(self.risk.factors, self.levels)
        return {"level": why.level.label, "ref": why.clause.ref, "wording": why.clause.wording,
                "facts": [f.field for f in why.facts]}


def _points(side: Side) -> dict[str, _Point]:
    out = {}
    for src in side.repo.valid_registers():
        batches = {b.id: b for b in src.model.batches}
        for risk in src.model.risks:
            out.setdefault(risk.id, _Point(src.model.office.id, risk, batches, side.repo.settings.levels))
    return out


def _skipped(base: Side, head: Side) -> set[str]:
    """Register files that failed to load on either side: their points cannot be compared."""
    return set(base.unreadable) | set(head.unreadable)


def _basis_text(b) -> str:
    law = b.law if b.law.startswith("《") else f"《{b.law}》"
    return f"{b.role.label} {law}{b.article}"


def _list_change(old: list, new: list, show) -> dict | None:
    old_s, new_s = [show(x) for x in old], [show(x) for x in new]
    added = [s for s in new_s if s not in old_s]
    removed = [s for s in old_s if s not in new_s]
    if not added and not removed:
        if _plain(old) == _plain(new):
            return None
        return {"added": [], "removed": [], "edited": True}
    return {"added": added, "removed": removed, "edited": False}


_OTHER_FIELDS = ("title", "domain", "party", "conduct", "harm", "discretion", "factors", "level_reason",
                 "causes", "responsible", "attention", "consultation", "batch", "no_penalty",
                 "no_penalty_condition", "cases")


def _point_summary(p: _Point, day: dt.date) -> dict:
    r = p.risk
    return {"id": r.id, "office": p.office, "title": r.title, "level": r.level.label, "status": r.status.label,
            "public": p.public_on(day)}


def _compare_point(rid: str, old: _Point, new: _Point, day: dt.date) -> dict | None:
    a, b = old.risk, new.risk
    change: dict[str, Any] = {"id": rid, "office": new.office, "title": b.title}
    if a.level is not b.level:
        lowered = LEVEL_ORDER[b.level] > LEVEL_ORDER[a.level]
        change["level"] = {
            "old": a.level.label, "new": b.level.label, "lowered": lowered,
            "old_clause": old.clause(), "new_clause": new.clause(), "level_reason": b.level_reason.strip(),
        }
    if a.status is not b.status:
        change["status"] = {"old": a.status.label, "new": b.status.label}
    was, now = old.public_on(day), new.public_on(day)
    if was != now:
        change["public"] = {"old": was, "new": now}
    basis = _list_change(a.basis, b.basis, _basis_text)
    if basis:
        change["basis"] = basis
    measures = _list_change(a.measures, b.measures, lambda m: f"{m.kind.label}：{m.text}")
    if measures:
        change["measures"] = measures
    other = [f for f in _OTHER_FIELDS if _plain(getattr(a, f)) != _plain(getattr(b, f))]
    if old.office != new.office:
        other.insert(0, "office")
    if other:
        change["fields"] = other
    return change if len(change) > 3 else None


def _batches(side: Side) -> dict[tuple[str, int], dt.date]:
    return {(src.model.office.id, b.id): b.date for src in side.repo.valid_registers() for b in src.model.batches}


def _batch_changes(base: Side, head: Side, skipped: set[str], day: dt.date) -> list[dict]:
    skip_offices = {PurePosixPath(r).stem for r in skipped}
    old, new = _batches(base), _batches(head)
    out = []
    for key in sorted(set(old) | set(new)):
        if key[0] in skip_offices or old.get(key) == new.get(key):
            continue
        kind = "added" if key not in old else "removed" if key not in new else "changed"
        out.append({
            "office": key[0], "batch": key[1], "change": kind,
            "old_date": old[key].isoformat() if key in old else None,
            "new_date": new[key].isoformat() if key in new else None,
            # a batch dated after the day is scheduled: its points are not public yet
            "scheduled": key in new and new[key] > day,
        })
    return out


def _tables(side: Side) -> dict[int, Any]:
    return {f.model.year: f.model for f in side.repo.valid_task_tables()}


def _task_text(t) -> str:
    return f"{t.item}：{t.content}（{t.deadline}）"


def _task_changes(base: Side, head: Side, skipped: set[str]) -> list[dict]:
    old_t, new_t = _tables(base), _tables(head)
    skip_years = {PurePosixPath(r).stem for r in skipped}
    out = []
    for year in sorted(set(old_t) | set(new_t)):
        if str(year) in skip_years:
            continue
        a, b = old_t.get(year), new_t.get(year)
        if a is not None and b is not None and _plain(a) == _plain(b):
            continue
        entry: dict[str, Any] = {"year": year, "change": "added" if a is None else "removed" if b is None else "changed",
                                 "tasks": [], "scoring": None}
        old_rows = {t.id: t for t in (a.tasks if a else [])}
        new_rows = {t.id: t for t in (b.tasks if b else [])}
        for tid in sorted(set(old_rows) | set(new_rows), key=_task_sort_key):
            x, y = old_rows.get(tid), new_rows.get(tid)
            if x is not None and y is not None and _plain(x) == _plain(y):
                continue
            row: dict[str, Any] = {"id": tid, "change": "added" if x is None else "removed" if y is None else "changed",
                                   "text": _task_text(y or x)}
            if x is not None and y is not None:
                row["fields"] = {
                    f: {"old": _plain(getattr(x, f)), "new": _plain(getattr(y, f))}
                    for f in type(x).model_fields if _plain(getattr(x, f)) != _plain(getattr(y, f))
                }
            entry["tasks"].append(row)
        scoring = _list_change(a.scoring if a else [], b.scoring if b else [],
                               lambda s: f"{s.office} {s.date.isoformat()} {s.points:+d}：{s.reason}")
        entry["scoring"] = scoring
        out.append(entry)
    return out


def _task_sort_key(tid: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in tid.split("."))


def _side_summary(side: Side) -> dict:
    return {
        "label": side.label,
        "commit": side.commit,
        "valid": not side.errors,
        "errors": len(side.errors),
        "unreadable": side.unreadable,
        "first_errors": [d.as_dict() for d in side.errors[:5]],
    }


def compare(base: Side, head: Side, day: dt.date, fail_on: list[str]) -> dict:
    """Every meaningful difference between two sides, as plain data (the JSON output)."""
    skipped = _skipped(base, head)
    skip_offices = {PurePosixPath(r).stem for r in skipped if r.startswith("data/risks/")}
    old_p, new_p = _points(base), _points(head)

    def comparable(rid: str) -> bool:
        p = new_p.get(rid) or old_p.get(rid)
        # A point whose file failed to load on one side is not "added" or "removed".
        return p.office not in skip_offices

    added, removed, retired, changed = [], [], [], []
    for rid in sorted(set(new_p) - set(old_p)):
        if comparable(rid):
            added.append(_point_summary(new_p[rid], day))
    for rid in sorted(set(old_p) - set(new_p)):
        if comparable(rid):
            removed.append(_point_summary(old_p[rid], day) | {"was_published": old_p[rid].risk.status is Status.published})
    for rid in sorted(set(old_p) & set(new_p)):
        c = _compare_point(rid, old_p[rid], new_p[rid], day)
        if c is None:
            continue
        if c.get("status", {}).get("new") == Status.retired.label:
            retired.append(c)
        else:
            changed.append(c)

    becomes_public = sorted(
        [p["id"] for p in added if p["public"]] + [c["id"] for c in retired + changed if c.get("public", {}).get("new")]
    )
    no_longer_public = sorted(
        [p["id"] for p in removed if p["public"]] + [c["id"] for c in retired + changed if c.get("public", {}).get("old")]
    )

    violations = []
    if "level-down" in fail_on:
        for c in changed + retired:
            lv = c.get("level")
            if lv and lv["lowered"] and not lv["level_reason"]:
                violations.append({
                    "rule": "level-down", "id": c["id"],
                    "message": f"{c['id']} 的风险等级由“{lv['old']}”降为“{lv['new']}”，但没有填写 level_reason（定级说明）",
                })
    if "unpublish" in fail_on:
        for p in removed:
            if p["was_published"]:
                violations.append({
                    "rule": "unpublish", "id": p["id"],
                    "message": f"{p['id']} 已公布，却被直接删除；已公布的风险点应改为 status: retired（已废止），保留记录",
                })
    if fail_on and skipped:
        violations.append({
            "rule": "unreadable", "id": None,
            "message": "有文件无法读取（" + "、".join(sorted(skipped)) + "），无法检查 --fail-on 规则；请先修正这些文件",
        })

    return {
        "base": _side_summary(base),
        "head": _side_summary(head),
        "date": day.isoformat(),
        "levels": {"base": base.repo.settings.levels, "head": head.repo.settings.levels},
        "offices": _office_changes(base, head, skipped),
        "added": added,
        "removed": removed,
        "retired": retired,
        "changed": changed,
        "becomes_public": becomes_public,
        "no_longer_public": no_longer_public,
        "batches": _batch_changes(base, head, skipped, day),
        "tasks": _task_changes(base, head, skipped),
        "skipped_files": sorted(skipped),
        "fail_on": sorted(set(fail_on)),
        "violations": violations,
    }


def _office_changes(base: Side, head: Side, skipped: set[str]) -> dict:
    skip = {PurePosixPath(r).stem for r in skipped if r.startswith("data/risks/")}
    old = {s.model.office.id: s.model.office.name for s in base.repo.valid_registers() if s.stem not in skip}
    new = {s.model.office.id: s.model.office.name for s in head.repo.valid_registers() if s.stem not in skip}
    return {
        "added": [{"id": k, "name": new[k]} for k in sorted(set(new) - set(old))],
        "removed": [{"id": k, "name": old[k]} for k in sorted(set(old) - set(new))],
    }


def is_empty(report: dict) -> bool:
    keys = ("added", "removed", "retired", "changed", "batches", "tasks")
    return not any(report[k] for k in keys) and not report["offices"]["added"] and not report["offices"]["removed"] \
        and report["levels"]["base"] == report["levels"]["head"]


# --- output ---------------------------------------------------------------------------------------


def render_json(report: dict) -> str:
    from fxfk.render.escaping import json_text

    return json_text(json.dumps(report, ensure_ascii=False, indent=2)) + "\n"


_CHANGE = {"added": "新增", "removed": "删除", "changed": "修改"}


def _lines(report: dict, md: bool) -> list[str]:
    """The report as lines; Markdown and text differ only in headings, code spans and bullets.

    In Markdown (posted as a pull-request comment) every data-derived text goes through ``esc`` or
    ``code``; text output is made safe for a terminal as a whole by ``render_text``.
    """
    from fxfk.render.escaping import md as md_text
    from fxfk.render.escaping import md_code

    def code(s: str) -> str:
        return md_code(s) if md else s

    def head(s: str) -> str:
        return f"### {s}" if md else f"【{s}】"

    def esc(s: str) -> str:
        return md_text(s) if md else s

    out: list[str] = []
    for key, name in (("base", "基准"), ("head", "对比")):
        s = report[key]
        if not s["valid"]:
            out.append(f"⚠️ {name}版本 {s['label']} 未通过校验：{s['errors']} 个错误（前 {len(s['first_errors'])} 个如下）。")
            for d in s["first_errors"]:
                out.append(f"  - {code(d['file'] + ':' + str(d['line']) + ':' + str(d['column']))} {esc(d['message'])}")
        if s["unreadable"]:
            out.append(f"⚠️ {name}版本中以下文件无法读取，未参与比较：" + "、".join(code(f) for f in s["unreadable"]))
    if report["violations"]:
        out.append("")
        out.append(head("❌ 违反审查规则（--fail-on）"))
        for v in report["violations"]:
            out.append(f"- {code(v['rule'])} {esc(v['message'])}")
    if report["becomes_public"]:
        out.append("")
        out.append(head(f"🔔 将对外公开（截至 {report['date']}）"))
        out.append("- " + "、".join(code(r) for r in report["becomes_public"]))
    if report["no_longer_public"]:
        out.append("")
        out.append(head(f"不再公开（截至 {report['date']}）"))
        out.append("- " + "、".join(code(r) for r in report["no_longer_public"]))
    if report["levels"]["base"] != report["levels"]["head"]:
        out += ["", head("设置"), f"- 风险等级级数：{report['levels']['base']} → {report['levels']['head']}"]
    offices = report["offices"]
    if offices["added"] or offices["removed"]:
        out += ["", head("单位")]
        out += [f"- 新增单位 {code(o['id'])} {esc(o['name'])}" for o in offices["added"]]
        out += [f"- 删除单位 {code(o['id'])} {esc(o['name'])}" for o in offices["removed"]]
    if report["added"]:
        out += ["", head(f"新增风险点（{len(report['added'])}）")]
        for p in report["added"]:
            out.append(f"- {code(p['id'])}（{esc(p['office'])}）{esc(p['title'])} — {p['level']}风险，{p['status']}")
    if report["removed"]:
        out += ["", head(f"删除的风险点（{len(report['removed'])}）")]
        for p in report["removed"]:
            note = "（⚠️ 原为已公布，应改为已废止而不是删除）" if p["was_published"] else ""
            out.append(f"- {code(p['id'])}（{esc(p['office'])}）{esc(p['title'])} — 原为{p['level']}风险，{p['status']}{note}")
    if report["retired"]:
        out += ["", head(f"废止的风险点（{len(report['retired'])}）")]
        for c in report["retired"]:
            out.append(f"- {code(c['id'])}（{esc(c['office'])}）{esc(c['title'])}：{c['status']['old']} → {c['status']['new']}")
    if report["changed"]:
        out += ["", head(f"修改的风险点（{len(report['changed'])}）")]
        for c in report["changed"]:
            out.append(f"- {code(c['id'])}（{esc(c['office'])}）{esc(c['title'])}")
            out += ["  " + line for line in _change_lines(c, code, esc)]
    if report["batches"]:
        out += ["", head("公布批次")]
        for b in report["batches"]:
            if b["change"] == "added":
                text = f"新增第{b['batch']}批，公布日期 {b['new_date']}"
                if b["scheduled"]:
                    text += f"（晚于 {report['date']}，计划中，尚未公开）"
            elif b["change"] == "removed":
                text = f"删除第{b['batch']}批（原公布日期 {b['old_date']}）"
            else:
                text = f"第{b['batch']}批公布日期 {b['old_date']} → {b['new_date']}"
            out.append(f"- {code(b['office'])} {text}")
    if report["tasks"]:
        out += ["", head("年度工作任务表")]
        for t in report["tasks"]:
            out.append(f"- {t['year']} 年任务表：{_CHANGE[t['change']]}")
            for row in t["tasks"]:
                detail = ""
                if row.get("fields"):
                    detail = "；" + "，".join(
                        f"{f}：{_show(v['old'])} → {_show(v['new'])}" for f, v in row["fields"].items()
                    )
                out.append(f"  - {_CHANGE[row['change']]}任务 {code(row['id'])} {esc(row['text'])}{esc(detail)}")
            if t["scoring"]:
                out += [f"  - 新增加减分：{esc(s)}" for s in t["scoring"]["added"]]
                out += [f"  - 删除加减分：{esc(s)}" for s in t["scoring"]["removed"]]
    if is_empty(report):
        out += ["", "数据的内容没有变化。"]
    return out


def _show(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _change_lines(c: dict, code, esc) -> list[str]:
    out = []
    if "level" in c:
        lv = c["level"]
        arrow = "⬇️ 降低" if lv["lowered"] else "⬆️ 提高"
        out.append(f"- 风险等级：{lv['old']} → {lv['new']}（{arrow}）")
        for name, cl in (("原", lv["old_clause"]), ("新", lv["new_clause"])):
            facts = "、".join(code(f) for f in cl["facts"]) or "无"
            out.append(f"  - {name}：按{esc(cl['ref'])}「{esc(cl['wording'])}」应为{cl['level']}（定级事实：{facts}）")
        out.append(f"  - 定级说明：{esc(lv['level_reason'])}" if lv["level_reason"] else "  - 定级说明：（未填写）")
    if "status" in c:
        out.append(f"- 状态：{c['status']['old']} → {c['status']['new']}")
    if "public" in c:
        out.append("- 🔔 由此对外公开" if c["public"]["new"] else "- 由此不再公开")
    for key, name in (("basis", "依据"), ("measures", "防控措施")):
        if key in c:
            ch = c[key]
            out += [f"- 新增{name}：{esc(s)}" for s in ch["added"]]
            out += [f"- 删除{name}：{esc(s)}" for s in ch["removed"]]
            if ch["edited"]:
                out.append(f"- {name}的文字有修改")
    if "fields" in c:
        out.append("- 其他修改的字段：" + "、".join(code(f) for f in c["fields"]))
    return out


def _title(report: dict) -> str:
    def name(s: dict) -> str:
        return s["label"] + (f"（{s['commit'][:12]}）" if s["commit"] and s["commit"] != s["label"] else "")

    return f"{name(report['base'])} → {name(report['head'])}"


def render_text(report: dict) -> str:
    from fxfk.render.escaping import terminal

    title = f"fxfk diff：{_title(report)}"
    # Titles, messages and file names come from the data: a terminal must not act on them.
    return terminal("\n".join([title, *_lines(report, md=False)]).rstrip()) + "\n"


def render_markdown(report: dict) -> str:
    title = f"## 风险点登记册变更：{_title(report)}"
    body = _lines(report, md=True)
    return "\n".join([title, "", *body]).rstrip().replace("\n\n\n", "\n\n") + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


def run_diff(data_root: Path, base: str | None, head: str | None, day: dt.date, fail_on: list[str]) -> dict:
    git = open_git(data_root)
    if base is None:
        base_label, base_commit = default_base(git)
    else:
        base_label, base_commit = base, resolve_revision(git, base)
    head_commit = None if head is None else resolve_revision(git, head)
    head_label = "工作区" if head is None else head
    base_side = load_side(git, data_root, base_label, base_commit, day)
    head_side = load_side(git, data_root, head_label, head_commit, day)
    return compare(base_side, head_side, day, fail_on)
