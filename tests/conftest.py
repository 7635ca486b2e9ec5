"""Shared fixtures: a copy of a small valid data repository, and two ways to run the CLI.

``run_fxfk(*args, cwd=, env=)`` runs the command in this process: it calls ``fxfk.cli.app.main``
exactly as the console script does, so exit codes, messages and error handling are the real ones,
without 0.5 s of interpreter start-up and imports per call (issue 14: 93 launches were most of the
suite's time). What a separate process would give for free is set up by hand and undone afterwards:

- environment: the subprocess environment (``GITHUB_*`` dropped, ``NO_COLOR=1``, ``PYTHONIOENCODING=utf-8``,
  plus ``env``) is put into ``os.environ`` for the call and the previous one restored after (the CLI
  itself writes to it: ``validate --no-cache`` sets ``FXFK_NO_CACHE``). ``COLUMNS=80``/``LINES=24``
  unless given: a process writing to a pipe gets that fallback size, while pytest's own process may sit
  on a terminal of any width, and click and rich wrap to it.
- working directory: ``os.chdir(cwd)`` and back.
- streams: stdout and stderr are UTF-8 text wrappers over byte buffers, with the error handlers that
  ``PYTHONIOENCODING=utf-8`` gives a real process (stdout strict, stderr backslashreplace); they have a
  ``.buffer`` for byte writes and no ``fileno()`` (so the CLI's full-disk path can never ``dup2`` over
  pytest's own descriptors). The bytes are decoded as ``subprocess.run(text=True)`` did (universal
  newlines). stdin is empty.
- program name: ``sys.argv[0] = "fxfk"`` and a bare ``__main__`` module, so that click names the
  program ``fxfk`` in usage messages as the console script does (under ``python -m pytest`` it
  would otherwise say ``python -m pytest``).
- process-global state the CLI leaves behind: the garbage collector is re-enabled and unfrozen
  (``fxfk.gcpause`` disables and freezes it for loaded repositories), the cache's ``lru_cache``d key and
  tool fingerprint are cleared (the key's location depends on ``XDG_CACHE_HOME``, which a test may
  change; a fresh process would read both again), and ``--debug`` is reset. fxfk installs no logging
  handlers and no signal handlers; forked workers (repository loading, publish) fork from pytest,
  which is fine.
- exit code: ``SystemExit`` is caught and turned into the code a process would exit with. Any other
  exception escaping ``main`` (there should be none: ``main`` turns everything into exit 3) fails the
  test with its traceback.

``run_fxfk_subprocess`` launches ``[sys.executable, "-m", "fxfk", ...]`` — never a ``fxfk`` found on
``PATH``, so the suite passes whether or not the virtual environment is activated. It is for what only a
real process shows: ``python -m fxfk`` and the console script themselves, real file descriptors
(``/dev/full``, pseudo-terminals, interpreter-level output encoding), concurrency and locks between
processes, and a run that could hang (a FIFO in the cache). Each such test says why in a comment;
``tests/test_subprocess.py`` holds a handful of end-to-end smoke tests on top.

Cache isolation: ``XDG_CACHE_HOME`` points at a temporary folder of the session, so no cache key is
written into ``~/.cache`` and every run of the suite starts without one; and ``FXFK_NO_CACHE=1`` is
set for every test (autouse ``no_cache_by_default``), because dozens of CLI runs read ``tests/corpus/*``
or ``data/`` in place and would write ``.fxfk-cache`` into the checkout — and then test the cold path
on the first run and the warm one on every later run. With the switch, each test takes the same path
every time. (Library calls read no environment: they use the cache only when given
``Options(cache=True)``.) Tests of the cache turn it on and say so: ``tests/test_cache.py`` (its own
key), the symlink tests of ``tests/security/test_filesystem.py`` (``FXFK_NO_CACHE=0``), and an
end-to-end smoke test in ``tests/test_subprocess.py`` (a cold then a warm run give the same output).
At the end of the session, a ``.fxfk-cache`` folder anywhere in the checkout that was created or written
to during the session fails the run (``pytest_sessionfinish`` below; judged by modification time, so a
cache left by a manual run before the session does not count — one made by ``fxfk`` run by hand in the
checkout while the suite runs does).
"""

from __future__ import annotations

import gc
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
CASES_DIR = TESTS / "cases"
REPO = TESTS.parent

_DROPPED = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")  # as if not in a GitHub job
_FIXED = {"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def fxfk_environment(env: dict | None = None) -> dict:
    """The environment a CLI run sees: ours, without GitHub's job variables, no colour, UTF-8 output."""
    full = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    full.update(_FIXED)
    if env:
        full.update(env)
    return full


def _decoded(data: bytes) -> str:
    # What subprocess.run(text=True, encoding="utf-8") gave: strict UTF-8, universal newlines.
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _set_environ(target: dict) -> None:
    for key in [k for k in os.environ if k not in target]:
        del os.environ[key]
    for key, value in target.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _reset_process_state() -> None:
    """Undo what a CLI run leaves in this process (only for the modules already imported)."""
    cli_app = sys.modules.get("fxfk.cli.app")
    if cli_app is not None:
        cli_app._state["debug"] = False
    cache = sys.modules.get("fxfk.load.cache")
    if cache is not None:
        cache._key.cache_clear()
        cache.tool_fingerprint.cache_clear()
    gc.unfreeze()
    gc.enable()


def run_fxfk(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run ``fxfk *args`` in this process, as the console script would run it (see the module docstring)."""
    from fxfk.cli.app import main

    full_env = fxfk_environment(env)
    full_env.setdefault("COLUMNS", "80")
    full_env.setdefault("LINES", "24")
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_main = sys.argv, sys.modules["__main__"]
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    _reset_process_state()
    try:
        _set_environ(full_env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
        sys.stdout, sys.stderr = stdout, stderr
        sys.argv = ["fxfk", *args]
        sys.modules["__main__"] = types.ModuleType("__main__")  # __package__ None: "fxfk", not "python -m"
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("text"): the interpreter prints it and exits 1
                print(exc.code, file=stderr)
                code = 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv, sys.modules["__main__"] = saved_argv, saved_main
        os.chdir(saved_cwd)
        _set_environ(saved_environ)
        _reset_process_state()
    return Run(code, _decoded(out.getvalue()), _decoded(err.getvalue()))


def fxfk_command() -> list[str]:
    """The command line that starts fxfk in a new process, with this interpreter (no PATH lookup)."""
    return [sys.executable, "-m", "fxfk"]


def run_fxfk_subprocess(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> Run:
    """Run ``python -m fxfk *args`` as a real process: only for what needs one (see the module docstring)."""
    proc = subprocess.run(
        [*fxfk_command(), *args], cwd=cwd, env=fxfk_environment(env), capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


# -- cache isolation ----------------------------------------------------------------------------------


def _caches_written_since(start: float) -> list[Path]:
    """Every ``.fxfk-cache`` folder in the checkout in which something was created after ``start``."""
    found = []
    for folder, dirs, _files in os.walk(REPO):
        if ".fxfk-cache" in dirs:
            cache_dir = Path(folder) / ".fxfk-cache"
            inner = [cache_dir, *(Path(f) for f, _d, _f in os.walk(cache_dir))]
            if any(p.stat().st_mtime >= start for p in inner):
                found.append(cache_dir)
        dirs[:] = [d for d in dirs if d not in (".git", ".fxfk-cache", "__pycache__", ".venv", ".hypothesis")]
    return sorted(found)


def pytest_sessionstart(session):
    # The cache key ($XDG_CACHE_HOME/fxfk/cache-key) in a folder of this session, never in ~/.cache; set
    # before collection, and inherited by every subprocess.
    session.config._fxfk_saved_env = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "FXFK_NO_CACHE")}
    session.config._fxfk_xdg = tempfile.mkdtemp(prefix="fxfk-tests-xdg-")
    os.environ["XDG_CACHE_HOME"] = session.config._fxfk_xdg
    os.environ["FXFK_NO_CACHE"] = "1"  # also during collection and in module-scoped fixtures
    session.config._fxfk_start = time.time()


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "_fxfk_xdg"):
        shutil.rmtree(config._fxfk_xdg, ignore_errors=True)
        for key, value in config._fxfk_saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    new = _caches_written_since(config._fxfk_start) if hasattr(config, "_fxfk_start") else []
    if new:
        message = "the tests wrote a cache into the checkout (run on a copy, or pass --no-cache): " + ", ".join(
            str(p.relative_to(REPO)) for p in new
        )
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(message, red=True, bold=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def no_cache_by_default(monkeypatch):
    """Each test starts without the per-file cache (see the module docstring); a test may turn it on."""
    monkeypatch.setenv("FXFK_NO_CACHE", "1")
    yield
    _reset_process_state()  # also after tests that call fxfk.cli.app.main themselves


# -- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    """A copy of tests/corpus/base (valid: two offices, a 2019 task table) to modify freely."""
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


@pytest.fixture
def fxfk():
    return run_fxfk
