"""Issue 13: what is committed beside the data (symlinks in .fxfk-cache, odd file names, huge blobs)
never makes fxfk touch anything outside its own cache, and problems of the machine (read-only or full
disk, a file that cannot be read) are usage/environment errors (exit 2, Chinese), not internal ones."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, fxfk_command, run_fxfk, run_fxfk_subprocess
from fxfk.load import cache

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
    # A real process, so that a run hanging on the pipe is killed by the timeout instead of hanging pytest.
    run = run_fxfk_subprocess("validate", "--root", str(checkout), env=env, timeout=30)
    assert run.code == 0, run.err
    assert secret.read_text(encoding="utf-8") == "keep"
    # The run stored fresh entries in place of the links.
    assert all(not e.is_symlink() for e in entries if e.name.endswith(".s"))


def test_cache_unit_symlinked_top_is_never_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
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


def test_cache_writes_replace_planted_links_and_never_take_their_mode(tmp_path, monkeypatch):
    """The key and an entry are new 0600 files renamed over a planted link: the link's target keeps
    its bytes, and its mode (0644 here) is not passed on to what fxfk writes."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache._key.cache_clear()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")  # not 32 bytes: not taken as a key
    victim.chmod(0o644)
    key_path = tmp_path / "xdg" / "fxfk" / "cache-key"
    key_path.parent.mkdir(parents=True)
    key_path.symlink_to(victim)
    try:
        assert cache._key() is not None
        assert not key_path.is_symlink() and stat.S_IMODE(key_path.stat().st_mode) == 0o600
        root = tmp_path / "root"
        root.mkdir()
        store = cache.FileCache(root, "flavour")
        digest = store.digest(b"x")
        store.put(digest, "s", cache.dumps(1))
        entry = store._entry(digest, "s")
        entry.unlink()
        entry.symlink_to(victim)
        store.put(digest, "s", cache.dumps(2))
        assert not entry.is_symlink() and stat.S_IMODE(entry.stat().st_mode) == 0o600
        assert store.get(digest, "s") == 2
        assert victim.read_text(encoding="utf-8") == "keep" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    finally:
        cache._key.cache_clear()


# --- item 12: problems of the machine are exit 2 with a Chinese message naming the path ---------------


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (so that os calls can be made to fail): (code, stderr, stdout)."""
    from fxfk.cli.app import main

    monkeypatch.setenv("FXFK_NO_CACHE", "1")
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    captured = capsys.readouterr()
    return exit_.value.code, captured.err, captured.out


def _publish_repo(tmp_path: Path, corpus: str = "publish") -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / corpus, target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


def _environment_error(run_code: int, err: str, *needles: str) -> None:
    assert run_code == 2, err
    assert "内部错误" not in err and "Traceback" not in err
    for needle in needles:
        assert needle in err, err


def test_out_below_a_file_is_an_environment_error(tmp_path):
    repo = _publish_repo(tmp_path, "report")
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "plain.txt" / "reports"
    run = run_fxfk("report", "--root", str(repo), "--date", "2020-01-15", "--out", str(out))
    _environment_error(run.code, run.err, str(tmp_path / "plain.txt"), "无法")


def test_too_long_output_name_is_an_environment_error(tmp_path):
    repo = _publish_repo(tmp_path)
    out = tmp_path / ("公开" * 100)
    run = run_fxfk("publish", "--root", str(repo), "--date", "2020-01-15", "--out", str(out))
    _environment_error(run.code, run.err, "文件名过长", "公开公开")


def test_full_disk_on_standard_output(tmp_path):
    repo = _publish_repo(tmp_path)
    with open("/dev/full", "w") as full:  # a real process: its standard output is the file descriptor
        proc = subprocess.run([*fxfk_command(), "validate", "--root", str(repo)], stdout=full,
                              stderr=subprocess.PIPE, env={**os.environ, "FXFK_NO_CACHE": "1"}, timeout=60)
    err = proc.stderr.decode("utf-8")
    _environment_error(proc.returncode, err, "标准输出", "磁盘已满")


def test_full_disk_while_writing_a_report(tmp_path, monkeypatch, capsys):
    """ENOSPC from a write() carries no file name: the message names the output folder."""
    import fxfk.publish.output

    repo = _publish_repo(tmp_path, "report")
    out = tmp_path / "reports"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fxfk.publish.output, "_swap", full)
    code, err, stdout = _main(monkeypatch, capsys, "report", "--root", str(repo), "--date", "2020-01-15", "--out", str(out))
    _environment_error(code, err, str(out), "磁盘已满")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # no half-written folder left


def test_full_disk_while_publishing(tmp_path, monkeypatch, capsys):
    """The same for publish: the message names --out, and nothing is left behind."""
    import fxfk.publish.output

    repo = _publish_repo(tmp_path)
    out = tmp_path / "public"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fxfk.publish.output, "_swap", full)
    code, err, stdout = _main(monkeypatch, capsys, "publish", "--root", str(repo), "--date", "2020-01-15", "--out", str(out))
    _environment_error(code, err, str(out), "磁盘已满")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_read_only_output_folder(tmp_path, monkeypatch, capsys):
    import fxfk.publish.output

    repo = _publish_repo(tmp_path)
    out = tmp_path / "public"

    def read_only(*args, dir=None, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))

    monkeypatch.setattr(fxfk.publish.output.tempfile, "mkdtemp", read_only)
    code, err, stdout = _main(monkeypatch, capsys, "publish", "--root", str(repo), "--date", "2020-01-15", "--out", str(out))
    _environment_error(code, err, str(tmp_path), "只读")


@pytest.mark.parametrize(
    "args",
    [
        ("publish", "--date", "2150-01-01"),
        ("publish", "--date", "1970-01-01"),
        ("report", "--date", "9999-12-31"),
        ("deadlines", "--today", "9999-12-31"),
        ("deadlines", "--guidance", "--today", "9999-12-31"),
        ("diff", "--date", "2100-01-01"),
    ],
)
def test_dates_outside_the_supported_range_are_usage_errors(tmp_path, args):
    repo = _publish_repo(tmp_path)
    command, *rest = args
    extra = ["--out", str(tmp_path / "out")] if command in ("publish", "report") else []
    run = run_fxfk(command, "--root", str(repo), *rest, *extra, env={"FXFK_NO_CACHE": "1"})
    _environment_error(run.code, run.err, rest[-1], "1980-01-01", "2099-12-31")
    assert not (tmp_path / "out").exists()


def test_date_overflow_in_the_deadlines_command_is_not_an_internal_error(tmp_path, monkeypatch, capsys):
    """Whatever date arithmetic still overflows (say, a huge guidance_days) is exit 2, in Chinese."""
    import fxfk.tasks.guidance

    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "deadlines", repo, ignore=shutil.ignore_patterns(".fxfk-cache"))

    def overflow(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(fxfk.tasks.guidance, "guidance_report", overflow)
    code, err, stdout = _main(monkeypatch, capsys, "deadlines", "--guidance", "--root", str(repo), "--today", "2020-03-01")
    _environment_error(code, err, "超出", "guidance_days")


def test_os_error_messages_name_path_and_cause():
    from fxfk.errors import os_error_message

    assert os_error_message(PermissionError(errno.EACCES, "Permission denied", "/x/y")) == "无法访问“/x/y”：权限不足"
    assert os_error_message(OSError(errno.ENOSPC, "No space left on device")) == "读写文件时出错：磁盘已满"
    assert os_error_message(OSError(errno.ENOSPC, "No space left on device"), "out") == "无法写入“out”：磁盘已满"
    assert "文件名过长" in os_error_message(OSError(errno.ENAMETOOLONG, "File name too long", "a" * 300))
    assert "只读文件系统" in os_error_message(OSError(errno.EROFS, "Read-only file system", "/r"))
    assert "路径不存在" in os_error_message(FileNotFoundError(errno.ENOENT, "No such file or directory", "/n"))
    # An errno without a Chinese text keeps the system's own words.
    assert "Weird failure" in os_error_message(OSError(errno.ENOTTY, "Weird failure", "/t"))


# --- item 11: classify --write checks the point at the very line it rewrites -------------------------


def _classify_repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "classify", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


@pytest.mark.parametrize(
    "edit",
    [
        ("  - id: E-002\n", "  - id: E-009\n"),  # another point now stands at risks[1]
        ("    level: '低'   # 去年定的\n", "    level: '高'   # 去年定的\n"),  # someone set the level meanwhile
    ],
)
def test_classify_write_refuses_when_the_file_changed_in_between(tmp_path, monkeypatch, capsys, edit):
    import fxfk.rules.classify

    repo = _classify_repo(tmp_path)
    east = repo / "data/risks/east.yaml"
    original = fxfk.rules.classify.classify

    def classify_then_edit(*args, **kwargs):
        result = original(*args, **kwargs)
        text = east.read_text(encoding="utf-8")
        assert edit[0] in text
        east.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
        return result

    monkeypatch.setattr(fxfk.rules.classify, "classify", classify_then_edit)
    stamp = {p: p.read_bytes() for p in (repo / "data/risks").iterdir()}
    stamp[east] = stamp[east].decode("utf-8").replace(edit[0], edit[1]).encode("utf-8")  # the edit in between
    code, err, stdout = _main(monkeypatch, capsys, "classify", "--root", str(repo), "--write")
    _environment_error(code, err, "data/risks/east.yaml", "E-002", "未修改")
    assert {p: p.read_bytes() for p in (repo / "data/risks").iterdir()} == stamp  # no file written at all


def test_level_writer_checks_id_and_old_level():
    from fxfk.edit.level_lines import LevelChange, edit_text
    from fxfk.errors import FxfkError
    from fxfk.models import Level

    text = "office:\n  id: x\nrisks:\n  - id: A-1\n    level: 低\n  - id: A-2\n    level: 高\n"
    out, _ = edit_text(text, "r.yaml", [LevelChange("r.yaml", 0, "A-1", Level.low, Level.high)])
    assert "    level: 高\n  - id: A-2" in out
    with pytest.raises(FxfkError, match="A-2"):
        edit_text(text, "r.yaml", [LevelChange("r.yaml", 0, "A-2", Level.low, Level.high)])
    with pytest.raises(FxfkError, match="A-1"):
        edit_text(text, "r.yaml", [LevelChange("r.yaml", 0, "A-1", Level.medium, Level.high)])
    with pytest.raises(FxfkError, match="A-1"):  # expected missing, but a level is there
        edit_text(text, "r.yaml", [LevelChange("r.yaml", 0, "A-1", None, Level.high)])


# --- item 14 (diff part): size limit, unreadable files, non-UTF-8 names ------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **_GIT_ENV}, check=True, capture_output=True)


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "gitdiff" / "base", repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def _diff(repo: Path, *args: str):
    run = run_fxfk("diff", *args, "--format", "json", "--date", "2019-12-01", cwd=repo)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run.json()


def test_diff_refuses_blobs_over_the_size_limit(git_repo):
    big = git_repo / "data/risks/huge.yaml"
    with big.open("w", encoding="utf-8") as fh:
        line = "# " + "填充" * 40 + "\n"
        while fh.tell() < 6 * 1024 * 1024:
            fh.write(line)
        fh.write("office: [\n")  # would be a syntax error if it were parsed at all
    _git(git_repo, "add", "-A")
    _git(git_repo, "commit", "-q", "-m", "huge")
    report = _diff(git_repo, "main~0", "HEAD")  # both committed: the blob is read with git
    for side in ("base", "head"):
        assert report[side]["unreadable"] == ["data/risks/huge.yaml"]
        assert [d["code"] for d in report[side]["first_errors"]] == ["file-too-large"]
    report = _diff(git_repo, "HEAD")  # the work tree: read from disk
    assert [d["code"] for d in report["head"]["first_errors"]] == ["file-too-large"]


def test_diff_never_reads_a_blob_over_the_size_limit(git_repo, monkeypatch):
    """Refused before reading (a 2 GB blob must not be loaded into memory), not after."""
    import datetime as dt

    from fxfk.diff import compare, git

    big = git_repo / "data/risks/huge.yaml"
    big.write_bytes(b"# " + b"x" * (6 * 1024 * 1024) + b"\n")
    _git(git_repo, "add", "-A")
    _git(git_repo, "commit", "-q", "-m", "huge")
    big.unlink()
    real = git._git
    big_outputs = []

    def spy(*args, **kwargs):
        proc = real(*args, **kwargs)
        if len(proc.stdout) > git.DEFAULT_MAX_BYTES:
            big_outputs.append(args[1:3])
        return proc

    monkeypatch.setattr(git, "_git", spy)
    report = compare.run_diff(git_repo, "HEAD", None, dt.date(2019, 12, 1), [])
    assert report.base.unreadable == ["data/risks/huge.yaml"]
    assert big_outputs == []


def test_diff_reports_a_non_utf8_file_name(git_repo):
    name = os.fsencode(git_repo / "data/risks") + b"/\xff\xfe.yaml"
    with open(name, "wb") as fh:
        fh.write((CORPUS / "gitdiff/base/data/risks/beta.yaml").read_bytes())
    _git(git_repo, "add", "-A")
    _git(git_repo, "commit", "-q", "-m", "odd name")
    for args in (("main~0", "HEAD"), ("HEAD",)):
        run = run_fxfk("diff", *args, "--date", "2019-12-01", cwd=git_repo)
        assert run.code == 0, run.err
        assert "data/risks/\ufffd\ufffd.yaml" in run.out
        assert "UTF-8" in run.out
        report = _diff(git_repo, *args)
        assert report["head"]["unreadable"] == ["data/risks/\ufffd\ufffd.yaml"]


def test_diff_reports_an_unreadable_file(git_repo, monkeypatch, capsys):
    """A file of the work tree that cannot be read is listed as such (as validate does), not a crash."""
    import builtins

    target = git_repo / "data/risks/beta.yaml"
    real = builtins.open

    def locked(file, *args, **kwargs):  # as Windows does while another program holds the file
        if Path(file) == target if isinstance(file, (str, Path)) else False:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", locked)
    monkeypatch.chdir(git_repo)
    code, err, stdout = _main(monkeypatch, capsys, "diff", "HEAD", "--date", "2019-12-01")
    assert code == 0, err
    assert "以下文件无法读取，未参与比较：data/risks/beta.yaml" in stdout
    assert "data/risks/beta.yaml:1:1 无法读取文件：权限不足" in stdout
