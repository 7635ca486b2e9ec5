"""The strict loader, on both parsers: libyaml (CParser) and pure Python."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk
from fxfk.load import yamlnodes
from fxfk.load.yamlload import load_file, load_text
from fxfk.options import Options
from fxfk.rules.validation import validate

PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]
if not yamlnodes.HAVE_LIBYAML:  # pragma: no cover
    PARSERS = [pytest.param(True, id="pure")]


def codes(result):
    return [(d.line, d.column, d.code) for d in result.diagnostics]


@pytest.mark.parametrize("pure", PARSERS)
def test_only_core_scalars_are_typed(pure):
    text = "a: 1\nb: no\nc: 010\nd: 2019-02-30\ne: '12'\nf: ~\ng: 1.5\nh: true\ni: On\nj: -3\n"
    result = load_text(text, "x.yaml", pure=pure)
    assert result.data == {
        "a": 1, "b": "no", "c": "010", "d": "2019-02-30", "e": "12",
        "f": None, "g": "1.5", "h": True, "i": "On", "j": -3,
    }
    assert result.yaml11_words == [(2, 4, "no"), (9, 4, "On")]


@pytest.mark.parametrize("pure", PARSERS)
def test_alias_bomb_is_refused_without_expanding(pure):
    # 9 levels of 9-fold aliases: 387 million leaves if anything expanded it.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        ref = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{ref}]")
    tracemalloc.start()
    result = load_text("\n".join(lines) + "\n", "bomb.yaml", pure=pure)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert codes(result) == [(1, 5, "anchor-alias")]
    assert result.data is None
    assert peak < 5 * 1024 * 1024


@pytest.mark.parametrize("pure", PARSERS)
def test_python_tags_are_never_executed(pure, tmp_path):
    marker = tmp_path / "pwned"
    text = f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
    result = load_text(text, "x.yaml", pure=pure)
    assert codes(result) == [(1, 4, "explicit-tag")]
    assert not marker.exists()


@pytest.mark.parametrize("pure", PARSERS)
def test_anchor_without_alias_is_refused_too(pure):
    assert codes(load_text("a: &x 1\n", "x.yaml", pure=pure)) == [(1, 4, "anchor-alias")]


def test_asterisk_in_text_is_not_an_alias():
    result = load_text("a: 备注*重要\nb: A&B 公司\n", "x.yaml")
    assert result.data == {"a": "备注*重要", "b": "A&B 公司"}


def test_file_over_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 2048 + b"\n")
    result = load_file(path, "big.yaml", max_bytes=1024)
    assert codes(result) == [(1, 1, "file-too-large")]
    assert "超过上限" in result.diagnostics[0].message


def test_default_size_limit_is_5_mb(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as fh:
        fh.write(b"a: |\n")
        fh.write((b"  " + b"x" * 98 + b"\n") * (5 * 1024 * 1024 // 100 + 10))
    assert codes(load_file(path, "big.yaml")) == [(1, 1, "file-too-large")]


def test_deep_flow_nesting_fails_fast():
    result = load_text("a: " + "[" * 100000 + "]" * 100000 + "\n", "deep.yaml")
    assert codes(result) == [(1, 4, "too-deep")]


@pytest.mark.parametrize("pure", PARSERS)
def test_locate_maps_model_paths_to_positions(pure):
    text = "office:\n  id: x\nrisks:\n  - id: A\n    basis:\n      - law: 某法\n"
    result = load_text(text, "x.yaml", pure=pure)
    assert result.locate(("risks", 0, "basis", 0, "law")) == (6, 14)
    assert result.locate(("risks", 0, "basis", 0, "law"), key=True) == (6, 9)
    assert result.locate(("risks", 0, "missing")) == (4, 5)
    assert result.locate(("risks", 7)) == (4, 3)


def test_both_parsers_agree_on_every_case(tmp_path):
    """Every case folder gives the same diagnostics with libyaml and with pure Python."""
    cases = Path(__file__).parent / "cases"
    for case in sorted(p for p in cases.iterdir() if p.is_dir()):
        repo = tmp_path / case.name
        shutil.copytree(CORPUS / "base", repo)
        shutil.copytree(case / "files", repo, dirs_exist_ok=True)
        fast = validate(repo, Options(cache=False)).diagnostics
        slow = validate(repo, Options(cache=False, pure_yaml=True)).diagnostics
        assert [d.as_dict() for d in fast] == [d.as_dict() for d in slow], case.name


def test_pure_parser_is_chosen_by_the_caller():
    assert yamlnodes.loader_class(pure=True) is yamlnodes._PyLoader
    if yamlnodes.HAVE_LIBYAML:
        assert yamlnodes.loader_class() is yamlnodes._CLoader


def test_pure_parser_can_be_forced_by_environment(base_repo, monkeypatch):
    """FXFK_PURE_YAML=1 is read by the CLI and reaches the loader in the options."""
    from fxfk.load import repository

    seen = []
    original = repository.load_bytes
    monkeypatch.setattr(repository, "load_bytes", lambda *a, **k: seen.append(k["pure"]) or original(*a, **k))
    assert run_fxfk("validate", "--no-cache", "--root", str(base_repo), env={"FXFK_PURE_YAML": "1"}).code == 0
    assert seen and all(seen)
    seen.clear()
    assert run_fxfk("validate", "--no-cache", "--root", str(base_repo)).code == 0
    assert seen and not any(seen)
