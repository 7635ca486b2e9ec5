"""Whatever an editor saves, `fxfk validate` ends with exit 0 or 1 and located messages.

CI runs a bounded number of examples; scripts/fuzz_validate.py runs many more.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_strategies import Sandbox, check_outcome, mutated

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
