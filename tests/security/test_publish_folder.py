"""Issue 13 item 13: one output folder, one writer; leftovers of a killed run are cleaned.

``write_atomically`` (shared by fxfk publish and fxfk report) holds ``.<out>.fxfk-lock`` in the
output's parent: a second run on the same folder exits 2 at once. Temporary folders of a run killed
with ``kill -9`` are removed by the next run — only those named like fxfk's and holding its marker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, fxfk_command, fxfk_environment, run_fxfk, run_fxfk_subprocess
from hostile import PUBLIC_TITLE, repo_with

BUSY = "另一个 fxfk 正在写入"


def publish_args(repo: Path, out: Path) -> list[str]:
    return ["publish", "--root", str(repo), "--out", str(out), "--date", "2020-01-15", "-f", "md"]


def report_args(repo: Path, out: Path) -> list[str]:
    return ["report", "--root", str(repo), "--out", str(out), "--date", "2019-12-31", "-f", "md"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return repo_with(tmp_path, "title", PUBLIC_TITLE)


@pytest.fixture
def report_repo(tmp_path: Path) -> Path:
    target = tmp_path / "report-repo"
    shutil.copytree(CORPUS / "base", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


def hold_lock(out: Path):
    fcntl = pytest.importorskip("fcntl")  # the Windows lock (msvcrt) is exercised by the unit test below
    fd = os.open(out.parent / f".{out.name}.fxfk-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def leftovers(parent: Path, out: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.parametrize("command", ["publish", "report"])
def test_second_writer_on_the_same_folder_exits_2(repo, report_repo, tmp_path, command):
    out = tmp_path / "out"
    args = publish_args(repo, out) if command == "publish" else report_args(report_repo, out)
    assert run_fxfk(*args).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fd = hold_lock(out)
    try:
        r = run_fxfk_subprocess(*args)  # another process: a lock between processes is what is tested
    finally:
        os.close(fd)
    assert r.code == 2, r.err
    assert BUSY in r.err and str(out) in r.err and "请稍后再试" in r.err and "Traceback" not in r.err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    assert leftovers(tmp_path, out) == [f".{out.name}.fxfk-lock"]  # only the one the test holds
    assert run_fxfk(*args).code == 0  # free again once released


def test_two_concurrent_runs_never_crash_or_leave_folders(repo, tmp_path):
    out = tmp_path / "public"
    assert run_fxfk(*publish_args(repo, out)).code == 0
    env = fxfk_environment()
    for _ in range(3):  # two real processes at once: the race is between processes
        procs = [subprocess.Popen([*fxfk_command(), *publish_args(repo, out)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, encoding="utf-8") for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        for code, err in results:
            if code == 2:
                assert BUSY in err
        assert leftovers(tmp_path, out) == []
        assert (out / "east.md").is_file() and (out / ".fxfk-publish").is_file()


def fake_leftover(parent: Path, name: str, marker: str | None) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "east.md").write_text("半成品\n", encoding="utf-8")
    if marker:
        (folder / marker).write_text("x\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command, marker", [("publish", ".fxfk-publish"), ("report", ".fxfk-report")])
def test_leftovers_of_a_killed_run_are_removed_and_user_folders_kept(repo, report_repo, tmp_path, command, marker):
    out = tmp_path / "out"
    args = publish_args(repo, out) if command == "publish" else report_args(report_repo, out)
    stale_tmp = fake_leftover(tmp_path, ".out.k3j_9x2a.tmp", ".fxfk-staging")  # killed while filling
    stale_old = fake_leftover(tmp_path, ".out.ab12cd34.old", marker)  # killed during the swap
    users = [
        fake_leftover(tmp_path, ".out.zz99yy88.tmp", None),  # no marker: not ours
        fake_leftover(tmp_path, ".out.mine.tmp", ".fxfk-staging"),  # not mkdtemp's naming
        fake_leftover(tmp_path, ".other.ab12cd34.tmp", ".fxfk-staging"),  # another output's
    ]
    os.symlink(stale_tmp, tmp_path / ".out.linklink.tmp")
    r = run_fxfk(*args)
    assert r.code == 0, r.err
    assert not stale_tmp.exists()
    assert not stale_old.exists()
    for folder in users:
        assert (folder / "east.md").read_text(encoding="utf-8") == "半成品\n", folder
    assert (tmp_path / ".out.linklink.tmp").is_symlink()  # a symlink is never followed into


def test_a_run_leaves_neither_its_lock_file_nor_its_staging_marker(repo, tmp_path):
    # Guards the new mechanism itself: the lock file and the staging marker are fxfk's business only.
    out = tmp_path / "public"
    assert run_fxfk(*publish_args(repo, out)).code == 0
    assert leftovers(tmp_path, out) == []
    assert not (out / ".fxfk-staging").exists()


def test_unit_lock_is_exclusive_and_released(tmp_path):
    from fxfk.errors import FxfkError
    from fxfk.publish.output import output_lock

    out = tmp_path / "public"
    with output_lock(out) as held:
        assert held
        with pytest.raises(FxfkError) as info:
            with output_lock(out):
                pass
        assert info.value.exit_code == 2 and BUSY in info.value.message
    with output_lock(out) as held:
        assert held
    assert not (tmp_path / ".public.fxfk-lock").exists()
