"""The library API (``fxfk/__init__.py``) and its page, docs/library.md: every example on the page runs
on a copy of the repository's data and prints exactly what the page says it prints."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import pydoc
import re
import shutil
import subprocess
import sys

import pytest

import fxfk
from conftest import REPO

PAGE = REPO / "docs" / "library.md"
API = [name for name in fxfk.__all__ if callable(getattr(fxfk, name)) and not isinstance(getattr(fxfk, name), type)]


def examples() -> list[tuple[str, str]]:
    """(code, printed output) of each ```python block and the ```text block right after it."""
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(r"```python\n(.*?)```\s*```text\n(.*?)```", text, re.DOTALL)
    assert found, "no example on the page"
    return found


def run(code: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(PAGE), "exec"), namespace)  # noqa: S102 - the page's own examples
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """The repository's data, copied, as the current directory (the page runs in the repository root)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "fxfk.yaml", root / "fxfk.yaml")
    monkeypatch.chdir(root)
    return root


def test_every_example_on_the_page_prints_what_the_page_says(data_copy):
    namespace: dict = {}
    for code, expected in examples():
        if "DataRefused" in code:
            continue  # needs broken data: the next test
        assert run(code, namespace) == expected, code
    assert (data_copy / "public" / "index.html").is_file() and (data_copy / "reports" / "report.md").is_file()


def test_the_refusal_example_on_broken_data(data_copy):
    """The page's example of DataRefused, with the full-width colon it describes."""
    register = data_copy / "data" / "risks" / "jinshui.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("  name: ", "  name： ", 1), encoding="utf-8")
    setup, _ = examples()[0]
    namespace: dict = {}
    run(setup, namespace)
    [(code, expected)] = [(code, expected) for code, expected in examples() if "DataRefused" in code]
    assert run(code, namespace) == expected
    assert not (data_copy / "reports").exists()


def test_help_shows_every_api_function():
    page = pydoc.render_doc(fxfk, renderer=pydoc.plaintext)
    assert set(API) == {"load_repository", "validate", "classify", "task_status", "guidance", "laws_report",
                        "diff_revisions", "publish_lists", "write_report"}
    for name in API:
        first_line = getattr(fxfk, name).__doc__.strip().splitlines()[0]
        assert f"    {name}(" in page and first_line in page, name
    for name in ("Options", "DataRefused", "FxfkError", "Diagnostic"):
        assert f"class {name}" in page
    # The page lists every function too.
    text = PAGE.read_text(encoding="utf-8")
    assert all(f"`fxfk.{name}(" in text for name in API)


def test_import_is_light():
    """A real process: only a fresh interpreter shows what ``import fxfk`` itself imports."""
    heavy = ("pydantic", "jinja2", "openpyxl", "docx", "yaml", "typer", "click", "rich")
    code = f"import sys, fxfk; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_options_are_one_frozen_value():
    options = fxfk.Options()
    assert (options.date, options.cache, options.jobs, options.pure_yaml) == (None, False, None, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.cache = False  # type: ignore[misc]
    with pytest.raises(ValueError):
        fxfk.Options(jobs=0)
    assert fxfk.Options(jobs=20).workers() == 8 and fxfk.Options(jobs=1).workers() == 1


def test_library_reads_no_environment(data_copy, monkeypatch):
    """FXFK_NO_CACHE is the CLI's business: the library does what its options say, and by default
    writes nothing into the data repository."""
    monkeypatch.setenv("FXFK_NO_CACHE", "1")
    fxfk.validate(data_copy, fxfk.Options(cache=True))
    assert (data_copy / ".fxfk-cache").is_dir()
    shutil.rmtree(data_copy / ".fxfk-cache")
    monkeypatch.setenv("FXFK_NO_CACHE", "0")
    fxfk.validate(data_copy)
    assert not (data_copy / ".fxfk-cache").exists()


def test_refusals_carry_their_diagnostics(data_copy, tmp_path):
    register = data_copy / "data" / "risks" / "jinshui.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("  name: ", "  name： ", 1), encoding="utf-8")
    options = fxfk.Options(cache=False)
    for call in (
        lambda: fxfk.publish_lists(data_copy, tmp_path / "public", options),
        lambda: fxfk.write_report(data_copy, tmp_path / "reports", options),
        lambda: fxfk.task_status(data_copy, options),
        lambda: fxfk.guidance(data_copy, options),
        lambda: fxfk.classify(data_copy, options),
    ):
        with pytest.raises(fxfk.DataRefused) as refused:
            call()
        assert refused.value.exit_code == 1
        assert [(d.file, d.code) for d in refused.value.diagnostics if d.severity == "error"] == [
            ("data/risks/jinshui.yaml", "fullwidth-colon")
        ]


def test_diff_revisions_on_a_git_repository(data_copy):
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=data_copy,
                       check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "data")
    register = data_copy / "data" / "risks" / "jinshui.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace("  name: 金水区商务局", "  name: 金水区商务局（改）", 1),
                        encoding="utf-8")
    report = fxfk.diff_revisions(data_copy, "HEAD", None, fxfk.Options(cache=False), fail_on=["level-down"])
    assert type(report).__name__ == "DiffReport" and report.violations == []
    assert report.base.label == "HEAD"
