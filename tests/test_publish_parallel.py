"""Publishing many offices on several cores writes exactly what one process writes."""

from __future__ import annotations

import pytest

from conftest import run_fxfk
from corpus_generator import generate
from fxfk.load import parallel

# publish runs in this process (conftest.run_fxfk), so a lower threshold reaches it: worker processes
# render from 8 offices on, and 14 offices (not 70 DOCX files twice) show the same as 64 would.
FEW_TASKS = 8


@pytest.fixture(autouse=True)
def fixed_tool(monkeypatch):
    """The tool fingerprint (in the publish manifest's keys) follows the mtimes of the package's source
    files, which other work on the checkout may touch between two runs: fixed here."""
    from functools import lru_cache

    from fxfk.load import cache

    monkeypatch.setattr(cache, "tool_fingerprint", lru_cache(maxsize=1)(lambda: "tool"))


@pytest.fixture(scope="module")
def many_offices(tmp_path_factory):
    # More offices than the threshold, so that the pages are rendered in worker processes.
    return generate(tmp_path_factory.mktemp("many") / "repo", offices=FEW_TASKS + 6, risks=3)


def _publish(repo, out, jobs: str, formats: str = "html,md,csv,docx"):
    run = run_fxfk("publish", "--root", str(repo), "--date", "2019-12-31", "--format", formats, "--out", str(out),
                   env={"FXFK_JOBS": jobs, "FXFK_NO_CACHE": "1"})
    assert run.code == 0, run.err
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_parallel_rendering_writes_the_same_files(many_offices, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", FEW_TASKS)
    serial = _publish(many_offices, tmp_path / "serial", "1")
    parallel_ = _publish(many_offices, tmp_path / "parallel", "2")
    assert len(serial) > 4 * parallel.MIN_TASKS
    assert list(parallel_) == list(serial)
    different = [name for name in serial if serial[name] != parallel_[name]]
    assert different == []


def test_run_in_order_keeps_the_order_and_raises(monkeypatch):
    tasks = [lambda i=i: [i] for i in range(parallel.MIN_TASKS + 5)]
    seen = []
    assert parallel.run_in_order(tasks, 2, lambda: seen.append(1)) == list(range(len(tasks)))
    assert len(seen) == len(tasks)
    taken: list[int] = []  # each result as it comes, in order; meanwhile runs while the workers work
    assert parallel.run_in_order(tasks, 2, None, lambda: taken.append(-1), taken.append) == []
    assert taken == [-1, *range(len(tasks))]

    def boom():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        parallel.run_in_order(tasks[:-1] + [boom], 2)


def test_incremental_publish_in_workers_writes_what_a_fresh_one_writes(many_offices, tmp_path, monkeypatch):
    """One point fewer early in the city list renumbers every section after it: those are rendered in
    worker processes and streamed with the reused ones into the same bytes as a fresh publish."""
    import shutil

    monkeypatch.setattr(parallel, "MIN_TASKS", FEW_TASKS)
    repo = tmp_path / "repo"
    shutil.copytree(many_offices, repo)
    out = tmp_path / "out"
    for jobs in ("1", "2"):
        run = run_fxfk("publish", "--root", str(repo), "--date", "2019-12-31", "--format", "html,md,csv", "--out",
                       str(out), env={"FXFK_JOBS": jobs, "FXFK_NO_CACHE": "0"})  # (the manifest is in the cache)
        assert run.code == 0, run.err
        if jobs == "1":
            path = repo / "data/risks/office-00000.yaml"
            text = path.read_text(encoding="utf-8")
            assert "    status: published\n" in text
            path.write_text(text.replace("    status: published\n", "    status: approved\n", 1), encoding="utf-8")
    assert "沿用上次未变的" in run.out and "沿用上次未变的 0 个" not in run.out
    fresh = _publish(repo, tmp_path / "fresh", "1", "html,md,csv")
    again = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert list(again) == list(fresh)
    assert [name for name in fresh if fresh[name] != again[name]] == []
