"""Which files fxfk reads: never one outside the repository, and never a data file silently skipped.

Decisions tested here (documented in fxfk.load.repository):
* a symlink (file or folder) whose target stays inside the data root is read like the file itself;
  one that leads outside is an error naming only the link, and its target is never opened;
* every file in data/risks/ and data/tasks/ is read, or is an error saying what to rename it to;
  tolerated there: hidden files that are not YAML (.gitkeep, .DS_Store), README* and Windows
  Explorer's Thumbs.db / desktop.ini;
* elsewhere under data/, any YAML file except laws.yaml is an error; other files are left alone.
"""

from __future__ import annotations

import os

import pytest

from conftest import run_fxfk

SECRET = "TOPSECRET-VALUE-42"
# Looks like /etc/passwd: the lines a loader would have quoted back in its diagnostics.
PASSWD = "root:x:0:0:root:/root:/bin/bash\nsecretuser:x:1000:1000::/home/secretuser:/bin/sh\n"


def _validate(repo, env=None):
    run = run_fxfk("validate", "-f", "json", "--root", str(repo), env=env)
    assert "Traceback" not in run.err and "内部错误" not in run.err, run.err[-2000:]
    return run


def _found(run):
    return [(d["file"], d["line"], d["column"], d["severity"], d["code"]) for d in run.json()["diagnostics"]]


@pytest.fixture
def outside(tmp_path):
    """A folder beside the repository holding things no data file may reach."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd").write_text(PASSWD, encoding="utf-8")
    (folder / "secret.yaml").write_text(f"office:\n  id: {SECRET}\n", encoding="utf-8")
    (folder / "secret-name-1.yaml").write_text("a: 1\n", encoding="utf-8")
    return folder


def _no_leak(run):
    assert "secretuser" not in run.out + run.err
    assert SECRET not in run.out + run.err
    assert "secret-name" not in run.out + run.err


# --- symlinks ---------------------------------------------------------------------------------


def test_register_symlinked_outside_the_root_is_refused_unread(base_repo, outside):
    os.symlink(outside / "passwd", base_repo / "data/risks/x.yaml")
    run = _validate(base_repo)
    assert run.code == 1
    assert _found(run) == [("data/risks/x.yaml", 1, 1, "error", "outside-root")]
    assert "数据仓库之外" in run.json()["diagnostics"][0]["message"]
    _no_leak(run)


def test_register_symlinked_to_etc_passwd(base_repo):
    os.symlink("/etc/passwd", base_repo / "data/risks/x.yaml")
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/x.yaml", 1, 1, "error", "outside-root")]
    assert "root:x" not in run.out and "/bin/" not in run.out


def test_risks_folder_symlinked_outside_is_refused(base_repo, outside):
    for name in os.listdir(base_repo / "data/risks"):
        (base_repo / "data/risks" / name).rename(outside / name)
    (base_repo / "data/risks").rmdir()
    os.symlink(outside, base_repo / "data/risks")
    run = _validate(base_repo)
    assert run.code == 1
    found = _found(run)
    assert ("data/risks", 1, 1, "error", "outside-root") in found
    # nothing under the link was read: the task table's offices are now unknown
    assert {f[0] for f in found} == {"data/risks", "data/tasks/2019.yaml"}
    _no_leak(run)


def test_data_folder_symlinked_outside_is_refused(base_repo, outside):
    (base_repo / "data").rename(base_repo / "moved")
    os.symlink(outside, base_repo / "data")
    run = _validate(base_repo)
    assert run.code == 1
    assert ("data", 1, 1, "error", "outside-root") in _found(run)
    _no_leak(run)


def test_settings_file_symlinked_outside_is_refused(base_repo, outside):
    (outside / "fxfk.yaml").write_text(f"organization: {SECRET}\n", encoding="utf-8")
    (base_repo / "fxfk.yaml").unlink()
    os.symlink(outside / "fxfk.yaml", base_repo / "fxfk.yaml")
    run = _validate(base_repo)
    assert run.code == 1
    assert _found(run) == [("fxfk.yaml", 1, 1, "error", "outside-root")]
    _no_leak(run)


def test_task_table_symlinked_outside_is_refused(base_repo, outside):
    (base_repo / "data/tasks/2019.yaml").unlink()
    os.symlink(outside / "secret.yaml", base_repo / "data/tasks/2019.yaml")
    run = _validate(base_repo)
    assert ("data/tasks/2019.yaml", 1, 1, "error", "outside-root") in _found(run)
    _no_leak(run)


def test_law_catalogue_symlinked_outside_is_refused(base_repo, outside):
    os.symlink(outside / "secret.yaml", base_repo / "data/laws.yaml")
    run = _validate(base_repo)
    assert _found(run) == [("data/laws.yaml", 1, 1, "error", "outside-root")]
    _no_leak(run)


def test_stray_symlink_elsewhere_is_named_not_read(base_repo, outside):
    (base_repo / "data/old").mkdir()
    os.symlink(outside / "secret.yaml", base_repo / "data/old/x.yaml")
    os.symlink(outside, base_repo / "data/linked")  # a folder link: not followed, nothing listed
    run = _validate(base_repo)
    assert _found(run) == [("data/old/x.yaml", 1, 1, "error", "stray-file")]
    _no_leak(run)


def test_symlink_inside_the_root_is_read_and_outside_is_not(base_repo, outside):
    shared = base_repo / "shared"
    shared.mkdir()
    (base_repo / "data/risks/beta.yaml").rename(shared / "beta.yaml")
    os.symlink("../../shared/beta.yaml", base_repo / "data/risks/beta.yaml")
    os.symlink(outside / "secret.yaml", base_repo / "data/risks/gamma.yaml")
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/gamma.yaml", 1, 1, "error", "outside-root")]
    assert run.json()["files"] == 4  # fxfk.yaml, alpha, beta (through its link), the task table
    _no_leak(run)


def test_dangling_symlink_is_an_error(base_repo):
    os.symlink("nowhere.yaml", base_repo / "data/risks/gone.yaml")
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/gone.yaml", 1, 1, "error", "not-a-file")]


def test_symlink_loop_is_an_error(base_repo):
    os.symlink("loop.yaml", base_repo / "data/risks/loop.yaml")
    run = _validate(base_repo)
    assert [f[4] for f in _found(run)] == ["not-a-file"]


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, hint",
    [
        ("X.YAML", "请改名为 x.yaml"),
        ("gamma.Yml", "请改名为 gamma.yaml"),
        (".yaml", "文件名缺少单位标识；请改名为 <单位标识>.yaml"),
        (".gamma.yml", "请改名为 gamma.yaml"),
        ("gamma.yml.bak", "如果它才是要用的文件，请改名为 gamma.yaml"),
        ("huiji.yaml.txt", "请改名为 huiji.yaml（Windows 记事本可能隐藏了 .txt 扩展名）"),
        ("huiji.txt", "请改名为 huiji.yaml"),
        ("huiji", "请改名为 huiji.yaml"),
        ("huiji.yaml.bak", "备份"),
        ("huiji.yaml~", "备份"),
        ("登记册.docx", "data/risks/"),
    ],
)
def test_file_in_risks_that_is_not_read_is_an_error(base_repo, name, hint):
    (base_repo / "data/risks" / name).write_text("office: {}\n", encoding="utf-8")
    run = _validate(base_repo)
    assert run.code == 1
    assert _found(run) == [(f"data/risks/{name}", 1, 1, "error", "stray-file")]
    assert hint in run.json()["diagnostics"][0]["message"]


@pytest.mark.parametrize("name, hint", [("2020.YML", "请改名为 2020.yaml"), ("2020.yaml.txt", "记事本")])
def test_file_in_tasks_that_is_not_read_is_an_error(base_repo, name, hint):
    (base_repo / "data/tasks" / name).write_text("year: 2020\n", encoding="utf-8")
    run = _validate(base_repo)
    assert _found(run) == [(f"data/tasks/{name}", 1, 1, "error", "stray-file")]
    assert hint in run.json()["diagnostics"][0]["message"]


def test_files_in_subfolders_of_risks_are_errors(base_repo):
    (base_repo / "data/risks/2019").mkdir()
    (base_repo / "data/risks/2019/gamma.yaml").write_text("office: {}\n", encoding="utf-8")
    (base_repo / "data/risks/2019/scan.pdf").write_bytes(b"%PDF")
    run = _validate(base_repo)
    assert _found(run) == [
        ("data/risks/2019/gamma.yaml", 1, 1, "error", "stray-file"),
        ("data/risks/2019/scan.pdf", 1, 1, "error", "stray-file"),
    ]


def test_stray_yaml_elsewhere_under_data_is_an_error(base_repo):
    (base_repo / "data/jinshui.yaml").write_text("office: {}\n", encoding="utf-8")
    (base_repo / "data/Laws.YAML").write_text("laws: []\n", encoding="utf-8")
    run = _validate(base_repo)
    assert run.code == 1
    assert _found(run) == [
        ("data/Laws.YAML", 1, 1, "error", "stray-file"),
        ("data/jinshui.yaml", 1, 1, "error", "stray-file"),
    ]
    assert "请改名为 laws.yaml" in run.json()["diagnostics"][0]["message"]


def test_only_tolerated_files_stay_silent(base_repo):
    for folder in ("data/risks", "data/tasks", "data"):
        for name in (".gitkeep", ".DS_Store", "README.md", "Thumbs.db", "desktop.ini"):
            (base_repo / folder / name).write_text("x", encoding="utf-8")
    (base_repo / "data/notes.txt").write_text("x", encoding="utf-8")
    (base_repo / "data/attachments").mkdir()
    (base_repo / "data/attachments/scan.pdf").write_bytes(b"%PDF")
    (base_repo / "data/risks/README.YAML").write_text("x: 1\n", encoding="utf-8")  # YAML: never tolerated
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/README.YAML", 1, 1, "error", "stray-file")]


def test_hidden_yaml_file_is_an_error(base_repo):
    (base_repo / "data/risks/.gamma.yaml").write_text("office: {}\n", encoding="utf-8")
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/.gamma.yaml", 1, 1, "error", "stray-file")]
    assert "请改名为 gamma.yaml" in run.json()["diagnostics"][0]["message"]


def test_second_law_catalogue_is_an_error(base_repo):
    (base_repo / "data/laws.yaml").write_text("laws: []\n", encoding="utf-8")
    (base_repo / "data/laws.yml").write_text("laws: []\n", encoding="utf-8")
    run = _validate(base_repo)
    assert ("data/laws.yml", 1, 1, "error", "stray-file") in _found(run)


def test_special_file_named_like_a_register_is_not_opened(base_repo):
    os.mkfifo(base_repo / "data/risks/fifo.yaml")  # opening it would block for ever
    run = _validate(base_repo)
    assert _found(run) == [("data/risks/fifo.yaml", 1, 1, "error", "not-a-file")]
