"""Facts mirror the model, so cross-file checks find the same on facts as on full models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CASES_DIR, CORPUS, REPO
from fxfk.load.facts import RegisterFacts, facts_of
from fxfk.models import Register
from fxfk.options import Options
from fxfk.rules.validation import load, validate, validate_repository

NO_CACHE = Options(cache=False)


def _mirrors(facts, model, where: str) -> None:
    fields = type(facts)._fields  # every field of a facts type mirrors the model's attribute of that name
    for name in fields:
        mine, theirs = getattr(facts, name), getattr(model, name)
        if isinstance(mine, tuple) and mine and hasattr(mine[0], "_fields"):
            assert len(mine) == len(theirs), f"{where}.{name}"
            for i, (a, b) in enumerate(zip(mine, theirs)):
                _mirrors(a, b, f"{where}.{name}[{i}]")
        elif hasattr(mine, "_fields"):
            _mirrors(mine, theirs, f"{where}.{name}")
        elif isinstance(mine, tuple):
            assert list(mine) == list(theirs), f"{where}.{name}"
        else:
            assert mine == theirs and type(mine) is type(theirs), f"{where}.{name}: {mine!r} != {theirs!r}"


@pytest.mark.parametrize("path", sorted((REPO / "data" / "risks").glob("*.yaml")), ids=lambda p: p.stem)
def test_facts_mirror_the_model(path: Path):
    import yaml

    model = Register.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    facts = facts_of(model)
    assert isinstance(facts, RegisterFacts)
    _mirrors(facts, model, path.stem)


def _case_repos() -> list[str]:
    return ["base", "data"] + sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def _repo_for(case: str, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    if case == "data":
        shutil.copytree(REPO / "data", repo / "data")
        shutil.copy(REPO / "fxfk.yaml", repo / "fxfk.yaml")
        return repo
    shutil.copytree(CORPUS / "base", repo, ignore=shutil.ignore_patterns(".fxfk-cache"))
    if case != "base":
        shutil.copytree(CASES_DIR / case / "files", repo, dirs_exist_ok=True)
    return repo


@pytest.mark.parametrize("case", _case_repos())
def test_facts_and_full_models_give_the_same_findings(case, tmp_path, monkeypatch):
    repo = _repo_for(case, tmp_path)
    full = validate(repo, NO_CACHE)
    facts = validate(repo, NO_CACHE, facts_only=True)
    assert [d.as_dict() for d in facts.diagnostics] == [d.as_dict() for d in full.diagnostics]


@pytest.mark.parametrize("case", ["data", "level-mismatch", "no-penalty-condition", "activity-figures"])
def test_unchecked_registers_are_checked_by_run_checks(case, tmp_path, monkeypatch):
    """Registers built outside load_repository (fxfk diff) get the one-register rules from run_checks."""
    repo = _repo_for(case, tmp_path)
    loaded = load(repo, NO_CACHE)  # checked while parsing, as every command loads
    assert all(source.checked for source in loaded.valid_registers())
    expected = [d.as_dict() for d in validate_repository(loaded).diagnostics]
    for source in loaded.registers:
        source.checked = False
        source.loaded.diagnostics = [d for d in source.loaded.diagnostics if d.code == "yaml11-boolean-word"]
    loaded.diagnostics = [d for f in loaded.files for d in f.loaded.diagnostics]
    assert [d.as_dict() for d in validate_repository(loaded).diagnostics] == expected


def test_every_place_of_a_shared_citation_is_reported(tmp_path, monkeypatch):
    """Thousands of points cite the same basis; one verdict per citation must still reach each place."""
    import yaml

    from corpus_generator import generate

    repo = generate(tmp_path / "repo", offices=6, risks=12)
    laws = repo / "data" / "laws.yaml"
    laws.write_text(
        laws.read_text(encoding="utf-8").replace("    effective: 2012-11-01\n", "    effective: 2012-11-01\n    repealed: 2019-10-01\n"),
        encoding="utf-8",
    )
    expected = set()
    for path in sorted((repo / "data" / "risks").glob("*.yaml")):
        for i, risk in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["risks"]):
            for j, basis in enumerate(risk["basis"]):
                if basis["law"] == "单用途商业预付卡管理办法（试行）":
                    expected.add((f"data/risks/{path.name}", f"risks[{i}].basis[{j}].law"))
    assert len(expected) > 20
    for facts_only in (False, True):
        found = {
            (d.file, d.path)
            for d in validate(repo, NO_CACHE, facts_only=facts_only).diagnostics
            if d.code in ("law-repealed", "law-repealed-after-publication")
        }
        assert found == expected, facts_only


def test_every_valid_register_has_its_facts(tmp_path):
    """``facts`` is the same in both ways of loading, and equals the facts of the full model."""
    repo = _repo_for("base", tmp_path)
    full = load(repo, NO_CACHE)
    facts = load(repo, NO_CACHE, facts_only=True)
    assert full.registers and all(isinstance(s.model, Register) for s in full.registers)
    # ``model`` means one thing: loaded facts_only, a register keeps its facts and no model.
    assert all(s.model is None for s in facts.registers)
    assert [s.rel for s in facts.valid_registers()] == [s.rel for s in full.valid_registers()]
    for a, b in zip(full.registers, facts.registers):
        assert a.facts == b.facts == facts_of(a.model)
    # A model built or patched elsewhere (fxfk diff, classify) gets its facts when they are asked for.
    source = full.registers[0]
    source.facts = None
    assert source.facts == facts_of(source.model)
