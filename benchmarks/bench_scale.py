"""Province scale: every command on a generated corpus of N offices × M points (issue #9).

    python benchmarks/bench_scale.py [--offices 3000] [--risks 50] [--keep DIR [--reuse]] [--no-floor]

One run measures wall time and peak memory (max RSS of the process and its workers) of
  fxfk validate (cold: no cache), validate again after changing one office file (warm cache),
  classify, deadlines, publish --format html,md,csv, report --format html,
plus the bare-loader floor (CSafeLoader + model_validate over the same files, one process).
Targets: validate < 20 s and < 2 GB; warm validate < 3 s; publish < 60 s. The warm run is
measured three times (a different office file changed each time): this machine's timings vary
by ±20 % from run to run.
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
from bench_validate import FLOOR  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from corpus_generator import generate  # noqa: E402


def run_measured(command: list[str], env: dict) -> tuple[float, float, int, str]:
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "last = (p.stdout.strip().splitlines() or p.stderr.strip().splitlines() or [''])[-1]\n"
        "print(json.dumps([wall, peak, p.returncode, last[:160]]))\n"
    )
    import json

    proc = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, env=env)
    wall, peak, rc, last = json.loads(proc.stdout)
    return wall, peak, rc, last


def speed_probe() -> float:
    """Seconds for a fixed pure-Python loop: this VM's speed drifts by up to 1.7× over the day,
    so every run prints it (before and after) to make runs comparable."""
    start = time.perf_counter()
    sum(i * i for i in range(3_000_000))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=3000)
    parser.add_argument("--risks", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use the corpus already there (generating 150,000 points takes a while)")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare-loader floor (~2 min at 150,000 points)")
    args = parser.parse_args()

    fxfk = shutil.which("fxfk") or sys.exit("fxfk is not installed: pip install .")
    tmp = tempfile.mkdtemp(prefix="fxfk-scale-")
    corpus = args.keep or Path(tmp) / "corpus"
    try:
        start = time.perf_counter()
        if not (args.reuse and args.keep and (corpus / "data" / "risks").is_dir()):
            generate(corpus, args.offices, args.risks)
        else:  # its cache would make the cold run warm
            shutil.rmtree(corpus / ".fxfk-cache", ignore_errors=True)
        files = list((corpus / "data" / "risks").glob("*.yaml"))
        size = sum(p.stat().st_size for p in files) / 1024 / 1024
        print(f"corpus: {args.offices} offices × {args.risks} points = {args.offices * args.risks} points, "
              f"{size:.0f} MB, generated in {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs")
        env = {**os.environ, "FXFK_NO_PROGRESS": "1"}
        cold = {**env, "FXFK_NO_CACHE": "1"}
        out = Path(tmp) / "out"
        rows = [
            ("floor: CSafeLoader + model_validate", [sys.executable, "-c", FLOOR, str(corpus)], env),
            ("fxfk validate (cold, no cache)", [fxfk, "validate", "--root", str(corpus)], cold),
            ("fxfk validate (fills the cache)", [fxfk, "validate", "--root", str(corpus)], env),
            ("fxfk validate (one file changed) #1", None, env),
            ("fxfk validate (one file changed) #2", None, env),
            ("fxfk validate (one file changed) #3", None, env),
            ("fxfk classify", [fxfk, "classify", "--root", str(corpus), "--format", "json"], env),
            ("fxfk deadlines", [fxfk, "deadlines", "--root", str(corpus), "--today", "2019-11-10", "--format", "json"], env),
            ("fxfk publish html,md,csv", [fxfk, "publish", "--root", str(corpus), "--date", "2019-12-31",
                                          "--format", "html,md,csv", "--out", str(out / "public")], env),
            ("fxfk report html", [fxfk, "report", "--root", str(corpus), "--date", "2019-12-31",
                                  "--format", "html", "--out", str(out / "reports")], env),
        ]
        print(f"speed probe: {speed_probe():.2f} s (a fixed loop; compare runs only at similar values)")
        print(f"{'command':38} {'wall':>8} {'peak MB':>8}  exit  last line")
        if args.no_floor:
            rows = rows[1:]
        for n, (label, command, run_env) in enumerate(rows, start=int(args.no_floor)):
            if command is None:  # a different office each time, as successive pull requests would
                victim = sorted(files)[len(files) // 2 + n]
                victim.write_text(victim.read_text(encoding="utf-8").replace("按计划开展", "按计划认真开展", 1), encoding="utf-8")
                command = [fxfk, "validate", "--root", str(corpus)]
            wall, peak, rc, last = run_measured(command, run_env)
            print(f"{label:38} {wall:7.1f}s {peak:8.0f}  {rc:4}  {last}", flush=True)
        print(f"speed probe: {speed_probe():.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
