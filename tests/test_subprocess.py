"""End-to-end smoke tests in real processes.

Every other CLI test runs ``fxfk.cli.app.main`` in pytest's process (``conftest.run_fxfk``). These few
start ``python -m fxfk`` (or the console script) as a user does, so that what only a real process has
is covered once: the entry points themselves, imports from a cold interpreter, the interpreter's own
handling of output encodings and of the exit code, and the cache key in ``$XDG_CACHE_HOME`` used across
runs. Tests elsewhere that need a process for their own reason (``/dev/full``, a pseudo-terminal, two
writers at once, a lock held by another process, a run that could hang) say so where they are.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, fxfk_environment, run_fxfk_subprocess
from fxfk import __version__


def _copy(corpus: str, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / corpus
    shutil.copytree(CORPUS / corpus, target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


def test_python_dash_m_version():
    run = run_fxfk_subprocess("--version")
    assert (run.code, run.out, run.err) == (0, f"fxfk {__version__}\n", "")


def test_console_script_is_declared_and_runs(base_repo):
    """The ``fxfk`` command users type: declared in the package metadata, installed beside this interpreter."""
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert [e.value for e in scripts if e.name == "fxfk"] == ["fxfk.cli.app:main"]
    script = Path(sys.executable).parent / ("fxfk.exe" if os.name == "nt" else "fxfk")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable} (fxfk is not installed in this environment)")
    proc = subprocess.run([str(script), "validate"], cwd=base_repo, env=fxfk_environment(), capture_output=True,
                          text=True, encoding="utf-8", timeout=120, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "检查了 4 个文件：0 个错误，0 个警告\n", "")


def test_findings_are_exit_1(base_repo):
    alpha = base_repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("comments: 12", "comments: 1"), encoding="utf-8")
    run = run_fxfk_subprocess("validate", cwd=base_repo)
    assert run.code == 1, run.err
    assert "data/risks/alpha.yaml:34:16: 错误 adopted-exceeds-comments" in run.out


def test_usage_error_is_exit_2_and_names_the_program():
    run = run_fxfk_subprocess("validate", "--formats", "yaml")
    assert run.code == 2
    assert "用法：python -m fxfk validate" in run.err and "Traceback" not in run.err


def test_no_data_is_exit_2_in_chinese(tmp_path):
    run = run_fxfk_subprocess("validate", "--root", str(tmp_path))
    assert run.code == 2
    assert run.err.startswith("fxfk：") and "Traceback" not in run.err


def test_gbk_terminal_gets_chinese_it_can_show(base_repo):
    """A Windows console in code page 936: the interpreter encodes standard output as GBK."""
    proc = subprocess.run([sys.executable, "-m", "fxfk", "validate"], cwd=base_repo, capture_output=True,
                          env=fxfk_environment({"PYTHONIOENCODING": "gbk"}), timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("gbk") == "检查了 4 个文件：0 个错误，0 个警告\n"


def test_cold_and_warm_cache_give_the_same_outputs(tmp_path):
    """With the cache on (as for users; the rest of the suite runs without it), a second run reads the
    cache and writes exactly what the first one wrote."""
    repo = _copy("publish", tmp_path)
    env = {"FXFK_NO_CACHE": "0"}
    outputs = []
    for name in ("cold", "warm"):
        validate = run_fxfk_subprocess("validate", "--format", "json", "--date", "2020-01-15", cwd=repo, env=env)
        assert validate.code == 0, validate.err
        out = tmp_path / name
        publish = run_fxfk_subprocess("publish", "--date", "2020-01-15", "--out", str(out), cwd=repo, env=env)
        assert publish.code == 0, publish.err
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        outputs.append((validate.out, publish.out.replace(str(out), "<out>"), files))
    assert (repo / ".fxfk-cache").is_dir()
    assert (Path(os.environ["XDG_CACHE_HOME"]) / "fxfk" / "cache-key").is_file()  # the session's, not ~/.cache
    assert outputs[1] == outputs[0]


def test_deadlines_on_a_fixed_day(tmp_path):
    repo = _copy("deadlines", tmp_path)
    run = run_fxfk_subprocess("deadlines", "--today", "2019-09-10", "--format", "json", cwd=repo)
    assert run.code == 0, run.err
    assert run.json()
