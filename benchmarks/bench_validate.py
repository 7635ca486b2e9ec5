"""Benchmark `fxfk validate` against its floor and against check-jsonschema.

    python benchmarks/bench_validate.py [--offices 200] [--risks 50] [--repeat 3]

Measures, on one generated corpus (tests/corpus_generator.py):
  * fxfk validate (the installed command, wall time, best of --repeat);
  * the floor: a bare loop of yaml.load(CSafeLoader) + Register.model_validate over the same files,
    in one process (what any pydantic+pyyaml checker must at least do);
  * check-jsonschema with the schema exported by `fxfk schema` (if installed);
  * `fxfk --help` start-up time.
Targets (issue #2): validate ≤ 1.3 × floor (the floor includes interpreter start-up and imports,
as the command does), ≥ 5 × faster than check-jsonschema, --help < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from corpus_generator import generate  # noqa: E402

FLOOR = r"""
import sys, yaml
from pathlib import Path
from fxfk.models import Register, TaskTable
root = Path(sys.argv[1])
for p in sorted((root / "data" / "risks").glob("*.yaml")):
    Register.model_validate(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
for p in sorted((root / "data" / "tasks").glob("*.yaml")):
    TaskTable.model_validate(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
"""


# The same floor with the cyclic GC paused, as fxfk itself does while loading: the fairest floor.
FLOOR_NO_GC = "import gc; gc.disable()\n" + FLOOR


# The comparison is parse against parse: no .fxfk-cache (bench_scale.py measures the cache).
ENV = {**os.environ, "FXFK_NO_CACHE": "1", "FXFK_NO_PROGRESS": "1"}


def best_of(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{command[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--risks", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    fxfk = shutil.which("fxfk") or sys.exit("fxfk is not installed: pip install .")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.offices, args.risks)
        files = sorted((corpus / "data" / "risks").glob("*.yaml"))
        size = sum(p.stat().st_size for p in files) / 1024 / 1024
        print(f"corpus: {args.offices} offices × {args.risks} risk points, {len(files)} files, {size:.1f} MB")

        check = subprocess.run([fxfk, "validate", "--root", str(corpus)], capture_output=True, text=True)
        print(f"fxfk validate exit {check.returncode}: {check.stdout.strip().splitlines()[-1]}")

        validate = best_of([fxfk, "validate", "--root", str(corpus)], args.repeat)
        floor = best_of([sys.executable, "-c", FLOOR, str(corpus)], args.repeat)
        floor_no_gc = best_of([sys.executable, "-c", FLOOR_NO_GC, str(corpus)], args.repeat)
        help_time = best_of([fxfk, "--help"], max(args.repeat, 5))
        print(f"fxfk validate            {validate:7.2f} s")
        print(f"floor (CSafeLoader+model) {floor:6.2f} s   ratio {validate / floor:.2f}× (target ≤ 1.3×)")
        print(f"floor, GC paused         {floor_no_gc:7.2f} s   ratio {validate / floor_no_gc:.2f}×")

        checker = shutil.which("check-jsonschema")
        if checker:
            schema = Path(tmp) / "schemas"
            subprocess.run([fxfk, "schema", "--out", str(schema)], check=True, capture_output=True)
            cj = best_of([checker, "--schemafile", str(schema / "register.schema.json"), *map(str, files)], 1)
            print(f"check-jsonschema         {cj:7.2f} s   fxfk is {cj / validate:.1f}× faster (target ≥ 5×)")
        else:
            print("check-jsonschema         not installed (pip install check-jsonschema)")
        print(f"fxfk --help              {help_time:7.3f} s   (target < 0.3 s)")


if __name__ == "__main__":
    main()
