"""A progress bar on a terminal; nothing of the kind in CI logs or redirected output."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest

from conftest import fxfk_command
from corpus_generator import generate


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("big") / "repo", offices=60, risks=2)


def _run_on_terminal(args, env):
    """Run fxfk with stdout and stderr on a pseudo-terminal; return everything it drew.

    A real process: the terminal is a file descriptor of its own, not something to fake in pytest's."""
    controller, worker = pty.openpty()
    proc = subprocess.Popen([*fxfk_command(), *args], stdin=worker, stdout=worker, stderr=worker, env=env, close_fds=True)
    os.close(worker)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(controller)
    return proc.returncode, b"".join(chunks).decode("utf-8", errors="replace")


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR", "FXFK_NO_PROGRESS")}
    env.update({"FXFK_NO_CACHE": "1", "COLUMNS": "100", "TERM": "xterm"}, **extra)
    return env


def test_terminal_shows_a_progress_bar(big_repo):
    code, screen = _run_on_terminal(["validate", "--root", str(big_repo)], _env())
    assert code == 0, screen
    assert "解析登记册" in screen
    assert "检查了 63 个文件" in screen


def test_no_bar_in_ci(big_repo):
    code, screen = _run_on_terminal(["validate", "--root", str(big_repo)], _env(CI="true"))
    assert code == 0
    assert "解析登记册" not in screen


def test_no_bar_when_redirected(big_repo):
    proc = subprocess.run([*fxfk_command(), "validate", "--root", str(big_repo)], capture_output=True, text=True, env=_env())
    assert proc.returncode == 0
    assert "解析登记册" not in proc.stdout + proc.stderr


def test_publish_shows_offices_rendered_on_a_terminal(big_repo, tmp_path):
    out = tmp_path / "public"
    code, screen = _run_on_terminal(
        ["publish", "--root", str(big_repo), "--date", "2019-12-31", "--format", "md,csv", "--out", str(out)], _env()
    )
    assert code == 0, screen
    assert "生成公开清单" in screen
    code, screen = _run_on_terminal(
        ["publish", "--root", str(big_repo), "--date", "2019-12-31", "--format", "md", "--out", str(out)], _env(CI="1")
    )
    assert code == 0 and "生成公开清单" not in screen
