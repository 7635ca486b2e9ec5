"""The per-file cache (.fxfk-cache/) and parallel parsing give exactly what a plain parse gives."""

from __future__ import annotations

import shutil

import pytest

from conftest import CASES_DIR, CORPUS, run_fxfk
from fxfk.load import cache, repository
from fxfk.options import Options
from fxfk.rules.validation import validate

CACHED = Options(cache=True)


@pytest.fixture(autouse=True)
def private_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache._key.cache_clear()
    yield
    cache._key.cache_clear()


def _as_dicts(result):
    return [d.as_dict() for d in result.diagnostics]


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr(repository, "parse_file", refuse)


def test_second_run_reads_unchanged_files_from_the_cache(base_repo, monkeypatch):
    first = validate(base_repo, CACHED)
    assert (base_repo / ".fxfk-cache").is_dir()
    _no_parsing(monkeypatch)
    second = validate(base_repo, CACHED)
    assert _as_dicts(second) == _as_dicts(first)
    assert [f.model for f in second.repo.registers] == [f.model for f in first.repo.registers]


def test_changed_file_is_parsed_again(base_repo):
    validate(base_repo, CACHED)
    alpha = base_repo / "data/risks/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("comments: 12", "comments: 1"), encoding="utf-8")
    codes = [d.code for d in validate(base_repo, CACHED).diagnostics]
    assert codes == ["adopted-exceeds-comments"]


def test_cached_warnings_keep_their_positions(base_repo):
    beta = base_repo / "data/risks/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("name: 市场体系建设处", "name: on"), encoding="utf-8")
    first = _as_dicts(validate(base_repo, CACHED))
    assert [d["code"] for d in first] == ["yaml11-boolean-word"]
    assert _as_dicts(validate(base_repo, CACHED)) == first


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_corrupt_cache_entries_are_ignored(base_repo, damage, monkeypatch):
    expected = _as_dicts(validate(base_repo, CACHED))
    entries = [p for p in (base_repo / ".fxfk-cache").rglob("*") if p.suffix in (".s", ".d")]
    assert len(entries) == 2 * len(list((base_repo).rglob("*.yaml")))
    for entry in entries:
        blob = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(blob[: len(blob) // 2])
        elif damage == "flip":
            at = len(blob) - 1  # the last byte of the payload
            entry.write_bytes(blob[:at] + bytes([blob[at] ^ 0xFF]))
        else:
            entry.write_bytes(b"\x80\x04not marshal at all")
    parsed = []
    original = repository.parse_file

    def counting(*args, **kwargs):
        parsed.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(repository, "parse_file", counting)
    assert _as_dicts(validate(base_repo, CACHED)) == expected
    assert len(parsed) == len(entries) // 2


def test_a_cache_made_with_another_key_is_never_trusted(base_repo, tmp_path, monkeypatch):
    """A .fxfk-cache committed by someone else (another key) is not unpickled."""
    validate(base_repo, CACHED)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    cache._key.cache_clear()
    parsed = []
    original = repository.parse_file
    monkeypatch.setattr(repository, "parse_file", lambda *a, **k: parsed.append(a[0]) or original(*a, **k))
    validate(base_repo, CACHED)
    assert parsed  # everything parsed again


@pytest.mark.parametrize("args, env", [((), {"FXFK_NO_CACHE": "1"}), (("--no-cache",), {})], ids=["environment", "option"])
def test_no_cache_when_disabled(base_repo, args, env):
    run = run_fxfk("validate", *args, cwd=base_repo, env=env)
    assert run.code == 0
    assert not (base_repo / ".fxfk-cache").exists()


@pytest.mark.parametrize("command", ["publish", "report"])
def test_no_cache_reaches_publish_and_report(base_repo, tmp_path, command):
    run = run_fxfk(command, "--date", "2019-12-31", "--out", str(tmp_path / "out"), cwd=base_repo, env={"FXFK_NO_CACHE": "1"})
    assert run.code == 0, run.err
    assert not (base_repo / ".fxfk-cache").exists()


def test_library_callers_choose_the_cache(base_repo):
    validate(base_repo, Options(cache=False))
    assert not (base_repo / ".fxfk-cache").exists()
    validate(base_repo)
    assert not (base_repo / ".fxfk-cache").exists()  # the library's default: nothing written
    validate(base_repo, CACHED)
    assert (base_repo / ".fxfk-cache").is_dir()


def test_jobs_from_the_environment_reach_the_loader(base_repo, monkeypatch):
    """FXFK_JOBS is read by the CLI only, and passed down in the options."""
    seen = []
    original = repository._load_all
    monkeypatch.setattr(repository, "_load_all", lambda *a: seen.append(a[3].workers()) or original(*a))
    assert run_fxfk("validate", cwd=base_repo, env={"FXFK_JOBS": "3"}).code == 0
    assert set(seen) == {3}


def test_read_only_checkout_still_validates(base_repo):
    (base_repo / ".fxfk-cache").write_text("not a folder", encoding="utf-8")
    assert validate(base_repo, CACHED).errors == 0


def test_parallel_parsing_gives_the_same_diagnostics(tmp_path, monkeypatch):
    """Every case folder's registers side by side, parsed in worker processes and serially."""
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo)
    for case in sorted(p for p in CASES_DIR.iterdir() if (p / "files" / "data" / "risks").is_dir()):
        for path in (case / "files" / "data" / "risks").glob("*.yaml"):
            shutil.copy(path, repo / "data" / "risks" / f"{case.name}.yaml")
    monkeypatch.setattr(repository, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(repository, "PARALLEL_MIN_BYTES", 0)
    parallel = _as_dicts(validate(repo, Options(cache=False, jobs=2)))
    serial = _as_dicts(validate(repo, Options(cache=False, jobs=1)))
    assert parallel == serial
    assert len(serial) > 20
    facts = validate(repo, Options(cache=False, jobs=2), facts_only=True)
    assert _as_dicts(facts) == serial
    assert all(f.model is None for f in facts.repo.registers)


def test_validate_reads_only_the_facts_part(base_repo, monkeypatch):
    """`fxfk validate` rebuilds no full model from the cache: the data parts may even be gone."""
    first = _as_dicts(validate(base_repo, CACHED, facts_only=True))
    for entry in (base_repo / ".fxfk-cache").rglob("*.d"):
        entry.unlink()
    parsed = []
    original = repository.parse_file
    monkeypatch.setattr(repository, "parse_file", lambda *a, **k: parsed.append(a[0]) or original(*a, **k))
    second = validate(base_repo, CACHED, facts_only=True)
    # Settings, task tables and the law catalogue are always full models: only they are parsed.
    assert parsed and not [rel for rel in parsed if rel.startswith("data/risks/")]
    assert _as_dicts(second) == first
    assert all(type(f.facts).__name__ == "RegisterFacts" and f.model is None for f in second.repo.registers)


def test_full_models_come_back_from_the_cache(base_repo, monkeypatch):
    first = validate(base_repo, CACHED)
    _no_parsing(monkeypatch)
    second = validate(base_repo, CACHED)
    assert [f.model for f in second.repo.registers] == [f.model for f in first.repo.registers]
    assert all(type(f.model).__name__ == "Register" for f in second.repo.registers)


def test_settings_are_part_of_the_key(base_repo):
    """The one-register rules depend on fxfk.yaml (levels: 2): changing it re-checks every register."""
    assert validate(base_repo, CACHED).errors == 0
    settings = base_repo / "fxfk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "levels: 2\n", encoding="utf-8")
    assert "medium-in-two-levels" in {d.code for d in validate(base_repo, CACHED).diagnostics}


def test_folders_of_other_tool_versions_are_removed(base_repo):
    stale = base_repo / ".fxfk-cache" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "cd.s").write_bytes(b"old")
    validate(base_repo, CACHED)
    folders = [p.name for p in (base_repo / ".fxfk-cache").iterdir() if p.is_dir()]
    assert folders == [cache.tool_fingerprint()]


def test_signed_parts_that_do_not_fit_the_model_are_parsed_again(base_repo, monkeypatch):
    """A genuine entry whose data no longer fits the model (say, a hand-edited cache) is not trusted."""
    expected = validate(base_repo, CACHED)
    for entry in (base_repo / ".fxfk-cache").rglob("*.d"):
        store = cache.FileCache(base_repo, "unused")
        digest = entry.parent.name + entry.stem
        store.put(digest, "d", cache.dumps({"not": "a register"}))
    parsed = []
    original = repository.parse_file
    monkeypatch.setattr(repository, "parse_file", lambda *a, **k: parsed.append(a[0]) or original(*a, **k))
    again = validate(base_repo, CACHED)
    assert _as_dicts(again) == _as_dicts(expected)
    assert [f.model for f in again.repo.registers] == [f.model for f in expected.repo.registers]
    assert sorted(parsed) == sorted(f.rel for f in expected.repo.files)
