"""Long fuzzing run of `fxfk validate` (the CI suite runs a bounded number of the same examples).

    python scripts/fuzz_validate.py --examples 10000

Every example damages a valid data file (flipped bytes, deleted or duplicated lines, renamed keys,
swapped types, truncation, random Unicode and full-width punctuation, other encodings) and checks
that validate exits 0 or 1 with located messages and never a traceback or exit 3 — and that
wherever the fast YAML reader (fxfk.load.fastyaml) takes the damaged text, libyaml reads the same.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ["FXFK_NO_CACHE"] = "1"

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz_strategies import Sandbox, check_outcome, fast_path_agrees, hostile, mutated  # noqa: E402
from fxfk.load.yamlload import decode  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10000)
    args = parser.parse_args()
    box = Sandbox()
    outcomes: collections.Counter = collections.Counter()
    start = time.time()

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(mutated(), hostile()))  # damaged files and hostile shapes (issue 13)
    def run(case):
        code, out, err = box.run(*case)
        check_outcome(code, out, err)
        outcomes[code] += 1
        text, _ = decode(case[1], case[0])
        if text is not None and fast_path_agrees(text):  # the fast reader took it, and agreed
            outcomes["fast"] += 1

    try:
        run()
    finally:
        box.close()
    total = outcomes[0] + outcomes[1]
    print(f"{total} examples in {time.time() - start:.0f} s: exit 0 × {outcomes[0]}, exit 1 × {outcomes[1]}; "
          f"no traceback, no exit 3; the fast YAML reader took {outcomes['fast']} of them and agreed with libyaml each time")


if __name__ == "__main__":
    main()
