"""A register loaded facts_only gives its full model on demand (SourceFile.load_model), not kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from fxfk.errors import FxfkError
from fxfk.options import Options
from fxfk.rules.validation import load


@pytest.mark.parametrize("cache", [True, False])
def test_load_model_matches_a_full_load(tmp_path: Path, cache: bool) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".fxfk-cache"))
    options = Options(cache=cache)
    full = {s.rel: s.model for s in load(root, options).registers}
    light = load(root, options, facts_only=True)  # (with the cache: read from what the first load put there)
    assert light.valid_registers()
    for src in light.valid_registers():
        assert src.model is None
        assert src.load_model() == full[src.rel]
        assert src.model is None  # not kept


def test_load_model_of_a_file_changed_meanwhile_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".fxfk-cache"))
    src = load(root, Options(cache=False), facts_only=True).valid_registers()[0]
    src.path.write_text("office: [\n", encoding="utf-8")
    with pytest.raises(FxfkError, match="运行期间被修改"):
        src.load_model()


def test_deadlines_and_guidance_on_facts_only_match_full_models() -> None:
    """What fxfk deadlines computes is the same on a repository loaded facts_only (models one at a time)."""
    import datetime as dt

    from fxfk.tasks import guidance, status

    day = dt.date(2019, 11, 10)
    options = Options(cache=False)
    full, light = load(REPO, options), load(REPO, options, facts_only=True)
    year = status.default_year(full, day)
    assert status.task_report(light, year, day) == status.task_report(full, year, day)
    assert status.task_report(light, year, day, ["county"]) == status.task_report(full, year, day, ["county"])
    assert guidance.guidance_report(light, day) == guidance.guidance_report(full, day)
