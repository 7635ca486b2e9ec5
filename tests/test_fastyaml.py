"""The fast reader agrees with the strict loader, or steps aside.

``fastyaml.parse`` may return ``None`` for anything; when it returns data, the strict loader must
give exactly that data (same types: ``True`` is not ``1``) and nothing to report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_strategies import fast_path_agrees, mutated
from fxfk.load import fastyaml
from fxfk.load.yamlload import decode

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("FXFK_FUZZ_EXAMPLES", "150"))


def _data_paths(data, path=()):
    """Every path of parsed data, found from the data itself (not from the position index)."""
    yield path
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from _data_paths(value, path + (key,))


def agree(text: str) -> bool:
    took = fast_path_agrees(text)
    if took:
        # Probe every key path too, as the data names it: an index that mixed up key positions and
        # node paths (``key:\n  key: 1``) could hide such paths from its own listing.
        from fxfk.load.yamlload import load_text

        positions = fastyaml.positions(text)
        strict = load_text(text, "x.yaml", fast=False)
        assert strict.root is not None
        for path in _data_paths(fastyaml.parse(text)):
            assert positions.locate(path) == strict.locate(path), (text, path)
            assert positions.locate(path, key=True) == strict.locate(path, key=True), (text, path)
    return took


def all_yaml_files() -> list[Path]:
    roots = [REPO / "data", REPO / "tests", REPO / "src" / "fxfk" / "templates"]
    return sorted(p for root in roots for p in root.rglob("*.y*ml") if ".fxfk-cache" not in p.parts)


@pytest.mark.parametrize("path", all_yaml_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_of_the_project(path):
    text, _ = decode(path.read_bytes(), path.name)
    if text is not None:
        agree(text)


def test_the_real_data_takes_the_fast_path():
    # Otherwise the fast path would be dead code for the files it was written for.
    for path in sorted((REPO / "data").rglob("*.yaml")) + [REPO / "fxfk.yaml"]:
        assert agree(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: -1\nc: +2\nd: 010\ne: 1.5\nf: 0x1F\ng: ~\nh: null\ni: true\nj: FALSE\nk:\n",
        "a: [x, 2, null, true]\nb: []\nc: {}\nd: '它''s'\ne: \"双引号\"\n",
        "a:  x   # comment\nb: # comment\n  - 1\n  -   2\nc:\n- 3\n- 4\nd: e\n",
        "risks:\n  - id: A\n    cases:\n      2017: 8\n      2018: 0\n  -\n    id: B\n  - plain\n",
        "a: http://example.com/a:b\nb: 注意：全角冒号在值里\nc: 中 文 空 格\nd: x#y\n",
        "a: 1\r\nb: 2\r\n",
        # a key named "key" over another "key": key positions and node paths must not mix
        "key:\n  key: 1\n",
        "key:\n  key:\n    key: [1, 2]\n  a:\n    - key: x\n",
    ],
)
def test_the_subset_agrees(text):
    assert agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: no\n",  # YAML 1.1 word: the strict loader warns
        "a: 1\na: 2\n",  # duplicate key
        "a: |\n  block\n",
        "a: plain\n  continued\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: {b: 1}\n",
        "- a\n",
        "a:\n\tb: 1\n",
        "items:\n  - name：x\n",  # full-width colon after a key, in a list item
        "items:\n  - name:x\n",
        "items:\n  - \u3000x\n",
        "a: 1\n---\nb: 2\n",
        "a: 'x' # c\n",
        "a: 'x # not a comment'\n",
        "a: \"x\\ty\"\n",
        "a: b: c\n",
        "'a': 1\n",
        "a: 1\rb: 2\n",
        "a: x\u2028y\n",
        "a: " + "9" * 101 + "\n",  # more digits than an integer may have: the strict loader says so
        "9" * 101 + ": 1\n",
    ],
)
def test_outside_the_subset_it_steps_aside(text):
    assert fastyaml.parse(text) is None


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_damaged_files_agree_or_step_aside(case):
    _, raw = case
    text, _ = decode(raw, "x.yaml")
    if text is not None:
        agree(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(
    ["a:", "a: 1", "b: x", "- y", "- a: 1", "  - z", "  c: 2", "    d: 3", "-", "  -", "e: [1, 2]",
     "f: 'q'", "# c", "", "   ", "g: no", "h: -", "i: - j", "k: x # y", "  - k: 1", "    l: 2",
     "key:", "key: 1", "  key:", "  key: 2", "    key: 3", "  - key: 4"]
), max_size=12))
def test_random_line_soup_agrees_or_steps_aside(lines):
    agree("\n".join(lines) + "\n")
