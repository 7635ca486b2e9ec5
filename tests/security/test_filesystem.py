"""Issue 13: what is committed beside the data (symlinks in .fxfk-cache, odd file names, huge blobs)
never makes fxfk touch anything outside its own cache, and problems of the machine (read-only or full
disk, a file that cannot be read) are usage/environment errors (exit 2, Chinese), not internal ones."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk
from fxfk import cache

# A cache key outside the checkout, so that the cache is really used by the subprocesses.
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}


@pytest.fixture
def env(tmp_path: Path) -> dict:
    return {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "FXFK_NO_CACHE": "0"}


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """tmp/checkout (a valid repository) beside tmp/victim/keep.txt (something that must survive)."""
    target = tmp_path / "checkout"
    shutil.copytree(CORPUS / "base", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "keep.txt").write_text("keep", encoding="utf-8")
    return target


def _snapshot(folder: Path) -> dict:
    """Every regular file below ``folder`` (the cache key in xdg/ aside), by relative path."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files if p.relative_to(folder).parts[0] != "xdg"}


# --- item 1: the cache never follows a symlink -----------------------------------------------------


@pytest.mark.parametrize("target", ["..", ".", "data"])
def test_symlinked_cache_folder_deletes_nothing(checkout, env, target):
    """`ln -s .. .fxfk-cache` once made validate rmtree the folders beside the checkout."""
    tmp = checkout.parent
    before = _snapshot(tmp)
    (checkout / ".fxfk-cache").symlink_to(target)
    for _ in range(2):
        run = run_fxfk("validate", "--root", str(checkout), env=env)
        assert run.code == 0, run.err
    assert _snapshot(tmp) == before  # nothing deleted, nothing written (the cache was skipped)
    assert {p.name for p in tmp.iterdir()} >= {"checkout", "victim"}
    assert (checkout / ".fxfk-cache").is_symlink()


def test_links_inside_a_real_cache_folder_are_not_followed(checkout, env):
    """A linked .gitignore is not written through; links named like old-version folders are not removed
    through, while a real old-version folder still goes."""
    top = checkout / ".fxfk-cache"
    top.mkdir()
    planted = checkout.parent / "victim" / "planted.txt"
    (top / ".gitignore").symlink_to(planted)  # dangling: "exists()" says no
    (top / "0123456789abcdef").symlink_to(checkout.parent / "victim", target_is_directory=True)
    (top / "data").symlink_to(checkout / "data", target_is_directory=True)
    stale = top / "fedcba9876543210" / "ab"
    stale.mkdir(parents=True)
    (stale / "cd.s").write_bytes(b"old")
    run = run_fxfk("validate", "--root", str(checkout), env=env)
    assert run.code == 0, run.err
    assert not planted.exists()
    assert (checkout.parent / "victim" / "keep.txt").exists()
    assert (checkout / "data" / "risks").is_dir()
    assert not (top / "fedcba9876543210").exists()


def _real_fingerprint_folder(checkout: Path, env: dict) -> Path:
    assert run_fxfk("validate", "--root", str(checkout), env=env).code == 0
    folders = [p for p in (checkout / ".fxfk-cache").iterdir() if p.is_dir()]
    assert len(folders) == 1
    return folders[0]


def test_symlinked_fingerprint_folder_is_not_written_through(checkout, env):
    folder = _real_fingerprint_folder(checkout, env)
    shutil.rmtree(folder)
    outside = checkout.parent / "victim"
    folder.symlink_to(outside, target_is_directory=True)
    run = run_fxfk("validate", "--root", str(checkout), env=env)
    assert run.code == 0, run.err
    assert [p.name for p in outside.iterdir()] == ["keep.txt"]


def test_symlinked_shard_folders_are_not_written_through(checkout, env):
    folder = _real_fingerprint_folder(checkout, env)
    outside = checkout.parent / "victim"
    for shard in list(folder.iterdir()):
        shutil.rmtree(shard)
    for n in range(256):
        (folder / f"{n:02x}").symlink_to(outside, target_is_directory=True)
    run = run_fxfk("validate", "--root", str(checkout), env=env)
    assert run.code == 0, run.err
    assert [p.name for p in outside.iterdir()] == ["keep.txt"]


def test_symlinked_entries_are_neither_read_nor_written_through(checkout, env, tmp_path):
    """An entry linked to a file outside is not overwritten; one linked to a pipe does not hang the run."""
    folder = _real_fingerprint_folder(checkout, env)
    secret = tmp_path / "victim" / "keep.txt"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    entries = sorted(p for p in folder.rglob("*") if p.is_file())
    assert entries
    for i, entry in enumerate(entries):
        entry.unlink()
        entry.symlink_to(fifo if i % 2 else secret)
    proc = subprocess.run(
        ["fxfk", "validate", "--root", str(checkout)], env={**os.environ, **env}, capture_output=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    assert secret.read_text(encoding="utf-8") == "keep"
    # The run stored fresh entries in place of the links.
    assert all(not e.is_symlink() for e in entries if e.name.endswith(".s"))


def test_cache_unit_symlinked_top_is_never_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("FXFK_NO_CACHE", raising=False)
    cache._key.cache_clear()
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / cache.CACHE_DIR).symlink_to(outside, target_is_directory=True)
    store = cache.FileCache(root, "flavour")
    digest = store.digest(b"x")
    store.put(digest, "s", cache.dumps(1))
    assert store.get(digest, "s") is None
    assert list(outside.iterdir()) == []
    cache._key.cache_clear()
