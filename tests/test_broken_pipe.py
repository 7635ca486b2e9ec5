"""A reader that stops reading (`fxfk classify | head`) is no failure: exit 0, nothing on stderr."""

from __future__ import annotations

import subprocess

import pytest

from conftest import fxfk_command, fxfk_environment
from corpus_generator import generate


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    # More output than a pipe holds (64 KB), so that a write fails once the reader is gone.
    return generate(tmp_path_factory.mktemp("pipe") / "repo", offices=40, risks=30)


@pytest.mark.parametrize("args", [["classify"], ["classify", "-f", "json"]])
def test_a_closed_pipe_ends_the_run_quietly(big, args):
    proc = subprocess.Popen([*fxfk_command(), *args, "--root", str(big)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=fxfk_environment({"FXFK_NO_CACHE": "1"}))
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "内部错误" not in err
