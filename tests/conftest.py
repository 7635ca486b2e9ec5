"""Shared fixtures: a copy of a small valid data repository, and ways to run the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
CASES_DIR = TESTS / "cases"
REPO = TESTS.parent


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_fxfk(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run the installed console script as a user would (a real subprocess)."""
    exe = shutil.which("fxfk")
    command = [exe] if exe else [sys.executable, "-m", "fxfk"]
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")}
    full_env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [*command, *args], cwd=cwd, env=full_env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    """A copy of tests/corpus/base (valid: two offices, a 2019 task table) to modify freely."""
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    return target


@pytest.fixture
def fxfk():
    return run_fxfk
