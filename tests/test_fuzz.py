"""Whatever an editor (or a hostile pull request) saves, `fxfk validate` ends with exit 0 or 1 and
located messages.

CI runs a bounded number of examples; scripts/fuzz_validate.py runs many more of the damaged files.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from fuzz_strategies import TARGETS, Sandbox, check_outcome, fast_path_agrees, mutated

EXAMPLES = int(os.environ.get("FXFK_FUZZ_EXAMPLES", "150"))


@pytest.fixture(scope="module")
def sandbox():
    os.environ["FXFK_NO_CACHE"] = "1"
    box = Sandbox()
    yield box
    box.close()
    os.environ.pop("FXFK_NO_CACHE", None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_damaged_files_never_crash_validate(sandbox, case):
    target, raw = case
    check_outcome(*sandbox.run(target, raw))


# Hostile shapes (issue 13), put anywhere in a valid register at any indentation: integers of
# thousands of digits (Python's int() refuses more than 4,300), a key named "key" over another
# "key", nesting deeper than any data file, and files of thousands of items or errors.
def _hostile_snippets():
    digits = st.sampled_from([101, 4300, 4301, 5000, 20000]).map(lambda n: "9" * n)
    small = st.sampled_from([101, 1000]).map(lambda n: "9" * n)  # (implicit keys: 1,024 at most)
    depth = st.integers(30, 120)
    return st.one_of(
        digits.map(lambda d: f"x: {d}"),
        digits.map(lambda d: f"x: -{d}"),
        digits.map(lambda d: f"x: [1, {d}]"),
        digits.map(lambda d: f"x: {{2018: {d}}}"),
        digits.map(lambda d: f"cases:\n  2018: {d}"),
        digits.map(lambda d: f"? {d}\n: 1"),
        small.map(lambda d: f"{d}: 1"),
        small.map(lambda d: f"x: {{{d}: 1}}"),
        st.sampled_from(["key:\n  key: 1", "key:\n  key:\n    key: [1, 2]", "key:\n  - key: x", "- key:\n    key: 1"]),
        depth.map(lambda n: "\n".join(" " * (2 * i) + "a:" for i in range(n))),
        depth.map(lambda n: "x: " + "[" * n + "]" * n),
        depth.map(lambda n: "x: " + "{a: " * n + "1" + "}" * n),
        st.integers(500, 1500).map(lambda n: "risks:\n" + "- {}\n" * n),
        st.integers(500, 3000).map(lambda n: "x:\n" + "  - 1\n" * n),
        st.integers(200, 1000).map(lambda n: "".join(f"k{i}: {i}\n" for i in range(n))),
    )


@st.composite
def hostile(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(TARGETS))
    lines = (CORPUS / "base" / target).read_text(encoding="utf-8").split("\n")
    at = draw(st.integers(0, len(lines)))
    indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6]))
    snippet = "\n".join(indent + line if line else line for line in draw(_hostile_snippets()).split("\n"))
    if draw(st.booleans()):
        lines = lines[:at] + [snippet] + lines[at:]
    else:
        lines = [snippet]  # the snippet is the whole file
    return target, "\n".join(lines).encode("utf-8")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=hostile())
def test_hostile_shapes_never_crash_validate(sandbox, case):
    target, raw = case
    code, out, err = sandbox.run(target, raw)
    check_outcome(code, out, err)
    assert len(out) < 2_000_000  # diagnostics are capped per file
    text = raw.decode("utf-8")
    fast_path_agrees(text)  # where the fast reader takes it, libyaml reads the same
