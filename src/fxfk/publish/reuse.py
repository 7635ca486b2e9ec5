"""Reusing the unchanged files of the previous ``fxfk publish`` (issue 19: one edit, one office re-rendered).

A manifest records, for every file of the last publish into a folder, the *key* of what decided its
bytes and the file's size, mtime and inode as written. The next run computes the key of each file it
is about to write; when the old output has that file with the same key and the same size, mtime and
inode, it is hard-linked into the staged folder (a copy with its times where links are impossible)
instead of rendered. A hand-edited, replaced or missing old file fails that check and is rendered
again. The folder swap stays atomic: the old folder is never written to, a link only adds a name to
its file.

Decisions:

- The manifest lives in the data repository's cache (:class:`fxfk.load.cache.FileCache`, an entry
  named by the output folder's absolute path), never in the output folder: the output is public,
  often committed and deployed, and may come back in an untrusted pull request. A manifest there could
  be forged to make fxfk take a planted file (or an office summary) as already checked; a cache entry
  is only believed when it carries this machine's HMAC. So reuse needs the cache: with ``--no-cache``
  (and the library's default ``Options.cache=False``) everything is rendered, and the output folder
  holds the lists and the ``.fxfk-publish`` marker only, as before reuse existed.
- Because the manifest is per machine, it can record each file's mtime and inode: a file touched in
  any way since (``git checkout``, an editor, a copy) is rendered again. Not noticed: a deliberate edit
  that restores size, mtime and inode — ``--rebuild`` renders everything.
- A key is a SHA-256 over: :func:`fxfk.load.cache.tool_fingerprint` (the code) and the versions of
  Jinja2 (and openpyxl, python-docx when writing XLSX, DOCX), the bytes of the
  built-in templates and of the repository's ``templates/publish/`` (the tool fingerprint covers
  ``.py`` files only), ``fxfk.yaml`` and the law catalogue bytes (organization, levels, the
  no-penalty ground), the run's date, office selection and formats — then the file's format and
  kind and the bytes digest of the registers it shows: its own office's for an office's lists, every
  chosen register's (in list order) for the city-wide files, the index and the XLSX.
- An office's lists depend on the city only through ``view.date`` in the built-in templates. A
  repository's own templates get the whole view and may print any office from any page, so with an
  override every key includes every register's digest: then only an unchanged repository reuses.
- Reused files are not scanned again for personal numbers: the same key means the same tool
  rendered the same inputs into them, and they were scanned when first written; the stat check
  means they are still those bytes.
- The register digest is the cache's key of the bytes the register was loaded from (the snapshot its
  facts and its rebuilt model come from); without the cache (no reuse then anyway) the file's bytes
  as read after validation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from fxfk.load.repository import Repository

VERSION = 2
_FLAVOUR = "publish-manifest"  # the cache's namespace for manifests (FileCache flavour)


def digest_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """SHA-256 over the names (relative to ``root``) and bytes of ``paths``, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        name = path.relative_to(root).as_posix() if root is not None else path.name
        data = path.read_bytes()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def template_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(built-in, repository override) files of the publish templates, each sorted."""
    builtin = Path(__file__).resolve().parent.parent / "templates" / "publish"
    user = root / "templates" / "publish"
    own = sorted(p for p in user.rglob("*") if p.is_file()) if user.is_dir() else []
    return sorted(p for p in builtin.iterdir() if p.is_file()), own


def common_key(root: Path, repo: Repository, date: dt.date, offices: list[str] | None, formats: list[str]) -> str:
    """The key of what every file of this run depends on (see the module's decisions)."""
    from fxfk.load.cache import tool_fingerprint

    builtin, own = template_files(root)
    extra = [f.path for f in (repo.settings_file, repo.laws) if f is not None]
    return key_of(f"v{VERSION}", tool_fingerprint(), _renderers(formats), digest_files(builtin), digest_files(own, root),
                  digest_files(extra), date.isoformat(), ",".join(offices) if offices else "*", ",".join(formats))


def _renderers(formats: list[str]) -> str:
    """Versions of the libraries that write the chosen formats' bytes (an upgrade may change them, and
    fxfk's fingerprint does not see it); read from the modules: package metadata is slow to search."""
    import jinja2

    versions = [f"jinja2={jinja2.__version__}"]
    if "xlsx" in formats:
        import openpyxl

        versions.append(f"openpyxl={openpyxl.__version__}")
    if "docx" in formats:
        import docx

        versions.append(f"python-docx={getattr(docx, '__version__', '?')}")
    return ",".join(versions)


def register_digests(repo: Repository, ids: set[str]) -> dict[str, str]:
    """A SHA-256 of each chosen register's bytes, by office id: the cache's key of the very bytes its
    facts and model come from when loaded with the cache, else of the file as it is now."""
    return {s.valid_facts.office.id: s.stored[1] if s.stored is not None else hashlib.sha256(s.path.read_bytes()).hexdigest()
            for s in repo.valid_registers() if s.valid_facts.office.id in ids}


def key_of(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class Entry:
    key: str
    size: int
    mtime_ns: int
    inode: int
    # For a city-wide list assembled from per-office sections: (section key, start, end) in its bytes.
    sections: list[tuple[str, int, int]] = field(default_factory=list)


def _entry(value: Any) -> Entry | None:
    try:
        sections = [(str(k), int(a), int(b)) for k, a, b in value.get("sections", [])]
        return Entry(str(value["key"]), int(value["size"]), int(value["mtime_ns"]), int(value["inode"]), sections)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


class Manifests:
    """Where the manifest of each output folder is kept: the data repository's cache (see the decisions)."""

    def __init__(self, root: Path, enabled: bool):
        from fxfk.load.cache import FileCache

        self.cache = FileCache(root, _FLAVOUR) if enabled else None

    def _digest(self, out: Path) -> str | None:
        if self.cache is None:
            return None
        return self.cache.digest(os.path.abspath(out).encode("utf-8", "surrogateescape"))

    def read(self, out: Path) -> tuple[dict[str, Entry], dict[str, Any]]:
        """The previous run's files and offices' summaries (by office key); empty when there is none
        this machine wrote (then everything is rendered)."""
        digest = self._digest(out)
        text = self.cache.get(digest, "m") if self.cache is not None and digest is not None else None
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
            return {}, {}
        entries = {name: _entry(value) for name, value in data["files"].items()}
        offices = data.get("offices")
        return ({name: e for name, e in entries.items() if e is not None and isinstance(name, str)},
                offices if isinstance(offices, dict) else {})

    def write(self, out: Path, plan: Reuse) -> None:
        """Record ``plan``'s files (now in ``out``, swapped in with their inodes and mtimes)."""
        from fxfk.load.cache import dumps

        digest = self._digest(out)
        if self.cache is None or digest is None:
            return
        files = {name: {"key": e.key, "size": e.size, "mtime_ns": e.mtime_ns, "inode": e.inode,
                        **({"sections": e.sections} if e.sections else {})} for name, e in sorted(plan.now.items())}
        data = {"version": VERSION, "files": files, "offices": dict(sorted(plan.offices.items()))}
        self.cache.put(digest, "m", dumps(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))


@dataclass
class Reuse:
    """The reuse decisions of one run: ``old`` is the output being replaced (None: render all)."""

    old: Path | None
    common: str  # key of everything all files share
    before: dict[str, Entry] = field(default_factory=dict)
    # office key -> summary (fxfk.publish.summary), of the previous run and of this one
    summaries: dict[str, Any] = field(default_factory=dict)
    offices: dict[str, Any] = field(default_factory=dict)
    now: dict[str, Entry] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, old: Path | None, common: str, manifests: Manifests) -> Reuse:
        before, summaries = manifests.read(old) if old is not None else ({}, {})
        return cls(old, common, before, summaries)

    def key(self, *parts: str) -> str:
        return key_of(self.common, *parts)

    def valid(self, name: str, key: str) -> Entry | None:
        """The old entry of ``name`` when its key is ``key`` and the old file is still what was written."""
        entry = self.unchanged(name)
        return entry if entry is not None and entry.key == key else None

    def unchanged(self, name: str) -> Entry | None:
        """The old entry of ``name`` when the old file is still the one written then (size, mtime, inode)."""
        entry = self.before.get(name)
        if self.old is None or entry is None or "/" in name or name.startswith("."):
            return None
        try:
            st = os.lstat(self.old / name)
        except OSError:
            return None
        if (not stat.S_ISREG(st.st_mode) or st.st_size != entry.size or st.st_mtime_ns != entry.mtime_ns
                or st.st_ino != entry.inode):
            return None
        return entry

    def take(self, folder: Path, names: list[str], key: str) -> bool:
        """Link every one of ``names`` from the old output when all are valid under ``key``."""
        if not names or any(self.valid(name, key) is None for name in names):
            return False
        assert self.old is not None
        for name in names:
            link(self.old / name, folder / name)
            self.reused.add(name)
            self.record(folder, name, key, self.before[name].sections)  # (a city list's sections stay usable)
        return True

    def record(self, folder: Path, name: str, key: str, sections: list[tuple[str, int, int]] | None = None,
               seen: tuple[int, int, int] | None = None) -> None:
        """Note ``name`` as written under ``key``; ``seen``: its (size, mtime_ns, inode), when known."""
        # (the folder is renamed into place: inode and mtime stay)
        self.now[name] = Entry(key, *(seen or stat_of(folder / name)), sections or [])


def stat_of(path: Path) -> tuple[int, int, int]:
    """What :meth:`Reuse.record` notes of a file: (size, mtime_ns, inode)."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def link(src: Path, dst: Path) -> None:
    """A hard link, else a copy keeping the times (recorded anew: see Reuse.record)."""
    try:
        os.link(src, dst)
    except OSError:
        with contextlib.suppress(FileNotFoundError):
            dst.unlink()
        shutil.copy2(src, dst)
