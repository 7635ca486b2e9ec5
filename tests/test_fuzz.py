"""Whatever an editor (or a hostile pull request) saves, `fxfk validate` ends with exit 0 or 1 and
located messages.

CI runs a bounded number of examples; scripts/fuzz_validate.py runs many more of the damaged files.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_strategies import Sandbox, check_outcome, fast_path_agrees, hostile, mutated

EXAMPLES = int(os.environ.get("FXFK_FUZZ_EXAMPLES", "150"))


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()  # without the cache: conftest sets FXFK_NO_CACHE=1 for the whole session
    yield box
    box.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_damaged_files_never_crash_validate(sandbox, case):
    target, raw = case
    check_outcome(*sandbox.run(target, raw))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=hostile())
def test_hostile_shapes_never_crash_validate(sandbox, case):
    target, raw = case
    code, out, err = sandbox.run(target, raw)
    check_outcome(code, out, err)
    assert len(out) < 2_000_000  # diagnostics are capped per file
    text = raw.decode("utf-8")
    fast_path_agrees(text)  # where the fast reader takes it, libyaml reads the same
