"""fxfk classify's per-register views (fxfk.load.views): they mirror the models, locate ``level`` as the
full position index does, are cached as part ``c`` and recomputed for a changed file, and the JSON
written row by row is byte for byte ``json.dumps`` of the whole list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, run_fxfk
from corpus_generator import generate
from fxfk.errors import FxfkError
from fxfk.load import cache, fastyaml
from fxfk.load.views import view_of_file
from fxfk.options import Options
from fxfk.render.classify import as_dict, json_chunks, render_json
from fxfk.render.escaping import json_text
from fxfk.rules import classify as core
from fxfk.rules.validation import load

CLASSIFY = CORPUS / "classify"
WIDE = {"COLUMNS": "300"}
FORMATS = ("text", "json", "csv", "markdown")

# Spellings the model reads in its own way: bilingual, upper case and padded enumerations, CRLF line
# ends, a title libyaml must read (a block scalar), a level written as a flow list (refused by the model).
ODD = """office:
  id: odd
  name: 奇特商务局
  kind: county
risks:
  - id: O-001
    title: |
      多行标题
    domain: 拍卖
    basis:
      - {role: penalty, law: 拍卖管理办法, article: 第三十五条}
    factors: {major_penalty: true, hotspot: 2019年 全区}
    level: ' High '
    attention: 高
    responsible: 科
  - id: O-002
    title: "带引号的标题"
    domain: 洗染
    basis:
      - role: penalty
        law: 洗染业管理办法
        article: 第二十四条
    factors:
      rare: true
      unclear_law: true
    level: 低
    level_reason: ''
    attention: LOW
    responsible: 科
"""


@pytest.fixture(autouse=True)
def private_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache._key.cache_clear()
    yield
    cache._key.cache_clear()


def _registers() -> list[Path]:
    return sorted(CLASSIFY.rglob("risks/*.yaml")) + sorted((REPO / "data" / "risks").glob("*.yaml"))


def _mirror(root: Path) -> int:
    """The views classify loads equal the views of each register's full model; returns the points compared."""
    repo, _, views = core.load(root, Options())
    compared = 0
    for src in repo.valid_registers():
        src.model = src.load_model()
        theirs = core.model_views(src)  # from the full model, located with LoadedYaml.locate
        mine = views[src.rel]
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs):
            assert a._replace(factors=None, basis=None) == b._replace(factors=None, basis=None)
            assert tuple(a.factors) == tuple(getattr(b.factors, name) for name in a.factors._fields)
            assert [tuple(x) for x in a.basis] == [(x.role, x.law, x.number, x.article, x.excerpt) for x in b.basis]
            compared += 1
    return compared


def test_views_mirror_the_models_on_every_register_of_the_project(tmp_path):
    compared = 0
    for path in _registers():
        root = tmp_path / path.stem
        (root / "data" / "risks").mkdir(parents=True)
        shutil.copy(path, root / "data" / "risks" / path.name)
        compared += _mirror(root)
    assert compared >= 47 + 6  # data/'s points and the classify corpus's


def test_views_mirror_odd_spellings_and_crlf(tmp_path):
    for name, text in (("lf", ODD), ("crlf", ODD.replace("\n", "\r\n"))):
        root = tmp_path / name
        (root / "data" / "risks").mkdir(parents=True)
        (root / "data" / "risks" / "odd.yaml").write_bytes(text.encode("utf-8"))
        assert _mirror(root) == 2
    assert fastyaml.parse(ODD) is None  # the block scalar: libyaml's reading was the one compared


def test_shallow_positions_locate_as_the_full_index(tmp_path):
    generate(tmp_path / "g", 3, 20)
    for path in _registers() + sorted((tmp_path / "g").rglob("*.yaml")):
        text = path.read_bytes().decode("utf-8-sig")
        full, shallow = fastyaml.positions(text), fastyaml.shallow_positions(text)
        if full is None:
            assert shallow is None
            continue
        assert shallow is not None and shallow[0] == fastyaml.parse(text)
        for loc in full.paths():
            for n in range(min(len(loc), 3) + 1):
                assert shallow[1].locate(loc[:n]) == full.locate(loc[:n]), (path, loc[:n])
    # a level written as a block node is found where it starts, not inside
    text = "risks:\n  - id: A\n    level:\n      - high\n"
    assert fastyaml.shallow_positions(text)[1].locate(("risks", 0, "level")) == (4, 7)  # type: ignore[index]


def test_json_is_json_dumps_of_the_whole_list(tmp_path):
    target = tmp_path / "repo"
    shutil.copytree(CLASSIFY, target)
    repo, undeclared, views = core.load(target, Options())
    c = core.classify(repo, undeclared, views=views)
    assert [r.explanation for r in core.classify(repo, undeclared).rows] == [r.explanation for r in c.rows]
    assert c.warnings and c.inconsistencies and any(r.declared is None for r in c.rows)
    expected = json_text(json.dumps([as_dict(c, r) for r in c.rows], ensure_ascii=False, indent=2)) + "\n"
    assert render_json(c) == expected
    assert "".join(json_chunks(c, rows=2)) == expected
    c.rows = []
    assert render_json(c) == json.dumps([]) + "\n"


def _outputs(root: Path, env: dict | None = None) -> dict[str, tuple[int, str]]:
    """Every format's exit code and output; with the cache unless ``env`` says otherwise."""
    out = {}
    for fmt in FORMATS:
        run = run_fxfk("classify", "--root", str(root), "--format", fmt, env={**WIDE, "FXFK_NO_CACHE": "0", **(env or {})})
        out[fmt] = (run.code, run.out)
    return out


def _views_cached(root: Path) -> list[Path]:
    return sorted((root / ".fxfk-cache").rglob("*.c"))


def test_warm_classify_after_an_edit_is_a_fresh_run(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CLASSIFY, root)
    assert run_fxfk("validate", "--root", str(root), env={"FXFK_NO_CACHE": "0"}).code == 1  # fills parts s and d
    assert _views_cached(root) == [] and list((root / ".fxfk-cache").rglob("*.d"))
    first = _outputs(root)
    # west's view; east (levels missing: classified with placeholders, see classify.load) has none
    assert len(_views_cached(root)) == 1
    assert _outputs(root) == first == _outputs(root, {"FXFK_NO_CACHE": "1"})

    west = root / "data" / "risks" / "west.yaml"
    west.write_text(west.read_text(encoding="utf-8").replace("level: medium", "level: 低\n    level_reason: 改过"), encoding="utf-8")
    before = set(_views_cached(root))
    warm = _outputs(root)
    assert len(set(_views_cached(root)) - before) == 1  # only the edited file's view is new
    assert warm == _outputs(root, {"FXFK_NO_CACHE": "1"})
    assert "改过" in warm["json"][1] and warm != first


def test_a_view_is_only_trusted_for_the_bytes_and_key_it_was_made_with(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CLASSIFY, root)
    fresh = _outputs(root, {"FXFK_NO_CACHE": "1"})
    _outputs(root)
    for entry in _views_cached(root):  # damaged or foreign entries are ignored, and made again
        entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert _outputs(root) == fresh
    # the view cached for the old bytes is not the edited file's: the new title shows
    west = root / "data" / "risks" / "west.yaml"
    west.write_text(west.read_text(encoding="utf-8").replace("家政机构未公示收费标准", "家政机构未公示价格"), encoding="utf-8")
    edited = _outputs(root)
    assert "家政机构未公示价格" in edited["json"][1] and "家政机构未公示收费标准" not in edited["json"][1]
    assert edited == _outputs(root, {"FXFK_NO_CACHE": "1"})


def test_a_file_changed_while_classify_runs_is_refused(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(CLASSIFY, root)
    repo = load(root, Options(cache=True), facts_only=True)
    src = repo.registers[1]  # west: valid
    assert src.stored is not None
    src.path.write_text(src.path.read_text(encoding="utf-8") + "\n# 改\n", encoding="utf-8")
    with pytest.raises(FxfkError, match="被修改"):
        view_of_file(src.rel, src.path, 5_000_000, src.stored)


def test_views_made_in_worker_processes_match(tmp_path):
    """More registers than fxfk.load.parallel.MIN_TASKS: views are computed in worker processes."""
    root = generate(tmp_path / "many", 70, 3)
    serial = _outputs(root, {"FXFK_JOBS": "1", "FXFK_NO_CACHE": "1"})
    assert _outputs(root, {"FXFK_JOBS": "2"}) == serial
    assert len(_views_cached(root)) == 70
    assert _outputs(root, {"FXFK_JOBS": "2"}) == serial
