"""The report reads each register without its full model (fxfk.report.sources), in worker processes
when there are many: the same figures and the same bytes as from whole models in one process."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, run_fxfk
from corpus_generator import generate
from fxfk.load.cache import CACHE_DIR
from fxfk.load.repository import SourceFile, load_repository
from fxfk.options import Options
from fxfk.report import figures, prepare
from fxfk.report.figures import build_report
from fxfk.report.sources import from_data, from_model
from fxfk.rules.validation import load

DAY = dt.date(2019, 12, 31)


def _copy(source: Path, tmp_path: Path) -> Path:
    """The data repository at ``source`` (its settings and data/ only) in a folder of its own."""
    root = tmp_path / "repo"
    shutil.copytree(source / "data", root / "data")
    shutil.copy(source / "fxfk.yaml", root / "fxfk.yaml")
    return root


@pytest.mark.parametrize("corpus", [REPO, CORPUS / "report"], ids=["repository", "report-corpus"])
def test_input_from_the_cached_data_is_that_of_the_full_model(tmp_path: Path, corpus: Path) -> None:
    root = _copy(corpus, tmp_path)
    options = Options(cache=True)
    full = {s.rel: s.model for s in load(root, options).registers}  # (fills the cache)
    light = load(root, options, facts_only=True).valid_registers()
    assert light
    for src in light:
        assert src.model is None and src.stored is not None
        got = from_data(src.valid_facts, src.stored[0].get(src.stored[1], "d"))
        model = full[src.rel]
        assert model is not None and got == from_model(model)
        assert [p.title for p in got.points] == [r.title for r in model.risks]


def test_input_of_data_that_is_not_the_facts_is_none(tmp_path: Path) -> None:
    root = _copy(CORPUS / "report", tmp_path)
    src = load(root, Options(cache=True), facts_only=True).valid_registers()[0]
    assert src.stored is not None
    data = src.stored[0].get(src.stored[1], "d")
    assert from_data(src.valid_facts, data) is not None
    assert from_data(src.valid_facts, {**data, "risks": data["risks"][:-1]}) is None  # another snapshot
    assert from_data(src.valid_facts, None) is None
    assert from_data(src.valid_facts, [data]) is None


def _refuse_full_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(self: SourceFile) -> None:
        raise AssertionError(f"full model of {self.rel} rebuilt")

    monkeypatch.setattr(SourceFile, "load_model", refused)


def test_report_from_the_cache_builds_no_full_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(CORPUS / "report", tmp_path)
    expected = build_report(load_repository(root, Options(cache=False)), DAY)
    load(root, Options(cache=True))  # as after fxfk validate
    _refuse_full_models(monkeypatch)
    assert prepare(root, DAY, options=Options(cache=True, jobs=1)) == expected


def test_report_without_the_cached_data_rebuilds_the_models(tmp_path: Path) -> None:
    """A cache that has the facts but lost the data (or never had it): the full models, same figures."""
    root = _copy(CORPUS / "report", tmp_path)
    expected = build_report(load_repository(root, Options(cache=False)), DAY)
    load(root, Options(cache=True))
    data = list((root / CACHE_DIR).rglob("*.d"))
    assert data
    for entry in data:
        entry.unlink()
    assert prepare(root, DAY, options=Options(cache=True, jobs=1)) == expected


def test_report_in_worker_processes_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough registers for worker processes (load.parallel.MIN_TASKS): the same bytes as in one process."""
    root = generate(tmp_path / "many", 70, 3)
    shared = []
    real = figures.run_in_order

    def counting(tasks, workers, done=None):  # type: ignore[no-untyped-def]
        shared.append((len(tasks), workers))
        return real(tasks, workers, done)

    monkeypatch.setattr(figures, "run_in_order", counting)
    monkeypatch.delenv("FXFK_NO_CACHE")  # the way after fxfk validate: registers from the cache    assert run_fxfk("validate", "--root", str(root)).code == 0
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        run = run_fxfk("report", "--root", str(root), "--date", "2019-12-31", "--format", "html,md", "--out", str(out),
                       env={"FXFK_JOBS": jobs})
        assert run.code == 0, run.err
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert shared == [(70, 1), (70, 2)]  # 70 registers ≥ MIN_TASKS: the second run forked its workers
    assert outputs[0] == outputs[1] and b"70" in outputs[0][Path("report.html")]


def test_domain_compliance_counts_an_activity_once_in_each_domain_it_names() -> None:
    """Grouped in one pass (figures._evaluate_domains): the per-domain rule of tests/test_report.py, across domains."""
    from fxfk.models import Activity
    from fxfk.report.content import PointEvaluation, Ratio

    def point(rid: str, domain: str) -> PointEvaluation:
        return PointEvaluation(rid, "标题", "单位", domain, "高", dt.date(2019, 1, 1), 2018, None, (), Ratio(0, 0))

    def guidance(risks: list[str], counterparts: int, corrected: int) -> Activity:
        return Activity.model_validate({"date": dt.date(2019, 5, 1), "kind": "guidance", "risks": risks,
                                        "counterparts": counterparts, "corrected": corrected})

    points = [point("A-1", "甲"), point("A-2", "甲"), point("B-1", "乙"), point("C-1", "丙")]
    acts = [guidance(["A-1", "A-2", "B-1"], 10, 8), guidance(["A-2"], 5, 5), guidance(["X-9"], 100, 0)]
    domains = {d.domain: d for d in figures._evaluate_domains(points, acts)}
    assert list(domains) == ["丙", "乙", "甲"]  # sorted, as before
    assert domains["甲"].compliance == Ratio(13, 15)  # the first activity once, though it names
    assert domains["乙"].compliance == Ratio(8, 10)  # and once more in 乙
    assert domains["丙"].compliance == Ratio(0, 0) and domains["甲"].points == 2


@pytest.mark.parametrize("day", [dt.date(2019, 1, 1), dt.date(2019, 3, 1), dt.date(2019, 6, 30), DAY, dt.date(2020, 6, 1)])
def test_public_on_a_point_is_the_public_lists_rule(day: dt.date) -> None:
    """figures._public reads a report's point as fxfk.public.view.is_public reads the Risk."""
    from fxfk.public.view import is_public

    seen = set()
    for corpus in (REPO, CORPUS / "report"):
        for src in load_repository(corpus, Options(cache=False)).valid_registers():
            reg = src.valid_model
            inp, batches = from_model(reg), {b.id: b for b in reg.batches}
            for point, risk in zip(inp.points, reg.risks):
                public = figures._public(point, inp.batches, day)
                assert public == is_public(risk, batches, day), risk.id
                seen.add(public)
    assert seen == {True, False} or day == dt.date(2019, 1, 1)


def test_a_register_changed_meanwhile_is_reported_from_a_worker(tmp_path: Path) -> None:
    """The rebuild's refusal (a file changed after it was validated) crosses from the worker process as is."""
    from fxfk.errors import FxfkError

    root = generate(tmp_path / "many", 70, 2)
    repo = load(root, Options(cache=True), facts_only=True)
    for entry in (root / CACHE_DIR).rglob("*.d"):  # no cached data: the full model from the file
        entry.unlink()
    last = repo.valid_registers()[-1]
    last.path.write_text("office: [\n", encoding="utf-8")
    with pytest.raises(FxfkError, match="运行期间被修改"):
        build_report(repo, DAY, workers=2)
