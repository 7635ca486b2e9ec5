"""Province scale: every command on a generated corpus of N offices × M points (issues #9, 19).

    python benchmarks/bench_scale.py [--offices 3000] [--risks 50] [--keep DIR [--reuse]]
                                     [--floors] [--only NAME,...] [--markdown]

One run measures wall time and peak memory (max RSS of the process and its workers) of
  fxfk validate (cold: no cache), validate again after changing one office file (warm cache),
  classify, classify after one edit (JSON and text), deadlines, deadlines --guidance, publish --format html,md,csv,
  publish after one edit, report --format html,
and with --floors the floor of each command (benchmarks/floors.py and bench_validate.FLOOR: a bare
single-process loop doing the same work, every file parsed with CSafeLoader; slow, so off by default).
--only runs the rows named (see ROWS; a floor named there runs without --floors); what a row needs
(a filled cache, an earlier publish) is then prepared unmeasured. --markdown prints the table again as
Markdown rows at the end. The "one file changed" rows change a different office file each time, as
successive pull requests would. This machine's timings vary by ±20 % from run to run.
Targets (issue 19): every command ≤ 1.5 × cold validate and < 1 GB; after one edit, validate and
classify < 3 s, publish < 5 s.
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
from floors import FLOORS  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from corpus_generator import generate  # noqa: E402


def run_measured(command: list[str], env: dict) -> tuple[float, float, int, str]:
    # The output goes to files, as `fxfk classify > rows.json` would write it: read through a pipe and
    # decoded by the measuring process, 100 MB of JSON took that process's CPU from the command's.
    code = (
        "import resource, subprocess, sys, time, json, tempfile\n"
        "out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=out, stderr=err)\n"
        "wall = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "def tail(f):\n"
        "    f.seek(max(0, f.seek(0, 2) - 4096))\n"
        "    return f.read().decode('utf-8', 'replace').strip().splitlines()\n"
        "last = (tail(out) or tail(err) or [''])[-1]\n"
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


# (name for --only, label, what it runs): a floor, "fxfk …" arguments after --root, or an edit-and-rerun.
ROWS: list[tuple[str, str, str]] = [
    ("floor-validate", "floor: validate (CSafeLoader + model)", "floor"),
    ("validate-cold", "fxfk validate (cold, no cache)", "fxfk"),
    ("validate-fill", "fxfk validate (fills the cache)", "fxfk"),
    ("validate-edit", "fxfk validate (one file changed) #1", "edit"),
    ("validate-edit", "fxfk validate (one file changed) #2", "edit"),
    ("validate-edit", "fxfk validate (one file changed) #3", "edit"),
    ("classify", "fxfk classify", "fxfk"),
    ("classify-edit", "fxfk classify (one file changed)", "edit"),
    ("classify-text-edit", "fxfk classify, text (one file changed)", "edit"),
    ("floor-classify", "floor: classify", "floor"),
    ("deadlines", "fxfk deadlines", "fxfk"),
    ("guidance", "fxfk deadlines --guidance", "fxfk"),
    ("floor-deadlines", "floor: deadlines", "floor"),
    ("publish", "fxfk publish html,md,csv", "fxfk"),
    ("publish-edit", "fxfk publish (one file changed)", "edit"),
    ("floor-publish", "floor: publish", "floor"),
    ("report", "fxfk report html", "fxfk"),
    ("floor-report", "floor: report", "floor"),
]
NAMES = list(dict.fromkeys(name for name, _, _ in ROWS))
FLOOR_CODE = {"floor-validate": FLOOR, **{f"floor-{name}": code for name, code in FLOORS.items()}}


def fxfk_args(name: str, corpus: Path, out: Path) -> list[str]:
    """The command of a row (and of its "-edit" row), without the fxfk executable."""
    root = ["--root", str(corpus)]
    command = name.removesuffix("-edit").removesuffix("-cold").removesuffix("-fill")
    return {
        "validate": ["validate", *root],
        "classify": ["classify", *root, "--format", "json"],
        "classify-text": ["classify", *root],  # (the default format)
        "deadlines": ["deadlines", *root, "--today", "2019-11-10", "--format", "json"],
        "guidance": ["deadlines", *root, "--guidance", "--today", "2019-11-10", "--format", "json"],
        "publish": ["publish", *root, "--date", "2019-12-31", "--format", "html,md,csv", "--out", str(out / "public")],
        "report": ["report", *root, "--date", "2019-12-31", "--format", "html", "--out", str(out / "reports")],
    }[command]


def edit_one(files: list[Path], n: int) -> Path:
    """Change the n-th office file past the middle: a published point's title (so that classify and the
    public lists change), or where that title is not found an activity's note."""
    victim = sorted(files)[(len(files) // 2 + n) % len(files)]
    text = victim.read_text(encoding="utf-8")
    changed = text.replace("（第2项）", "（第2项，修订）", 1) if text.count("（第2项）") == 1 else text.replace("按计划开展", "按计划认真开展", 1)
    victim.write_text(changed, encoding="utf-8")
    return victim


def chosen_rows(only: str | None, floors: bool) -> list[tuple[str, str, str]]:
    if only is None:
        return [row for row in ROWS if floors or row[2] != "floor"]
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        sys.exit(f"--only: unknown row {', '.join(unknown)}; rows: {', '.join(NAMES)}")
    return [row for row in ROWS if row[0] in names]


def markdown(results: list[tuple[str, float, float, int]]) -> str:
    """The table as Markdown rows; the ratio is to cold validate when it was measured in this run."""
    cold = next((wall for label, wall, _, _ in results if label.startswith("fxfk validate (cold")), None)
    lines = ["| 项目 | 耗时 | 内存峰值 | 退出码 | ÷ 冷启动校验 |", "|---|---|---|---|---|"]
    for label, wall, peak, rc in results:
        ratio = f"{wall / cold:.2f}×" if cold else ""
        lines.append(f"| {label} | {wall:.1f} s | {peak:.0f} MB | {rc} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offices", type=int, default=3000)
    parser.add_argument("--risks", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use the corpus already there (generating 150,000 points takes a while)")
    parser.add_argument("--floors", action="store_true",
                        help="also run the floors (bare loops, every file parsed: several minutes at 150,000 points)")
    parser.add_argument("--no-floor", action="store_true", help="the default now; kept for old command lines")
    parser.add_argument("--only", metavar="NAME,...", help="run only these rows: " + ", ".join(NAMES))
    parser.add_argument("--markdown", action="store_true", help="print the table again as Markdown rows at the end")
    args = parser.parse_args()
    rows = chosen_rows(args.only, args.floors)

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
        print(f"corpus: {len(files)} offices × {args.risks} points = {len(files) * args.risks} points, "
              f"{size:.0f} MB, generated in {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs")
        env = {**os.environ, "FXFK_NO_PROGRESS": "1"}
        cold = {**env, "FXFK_NO_CACHE": "1"}
        out = Path(tmp) / "out"
        print(f"speed probe: {speed_probe():.2f} s (a fixed loop; compare runs only at similar values)")
        print(f"{'command':38} {'wall':>8} {'peak MB':>8}  exit  last line")
        done: set[str] = set()  # rows run (measured or prepared): what later rows need
        results: list[tuple[str, float, float, int]] = []
        edits = 0
        for name, label, kind in rows:
            command: list[str]
            if kind == "floor":
                command = [sys.executable, "-c", FLOOR_CODE[name], str(corpus), str(out / name)]
            else:
                command = [fxfk, *fxfk_args(name, corpus, out)]
            if kind != "floor" and name not in ("validate-cold", "validate-fill"):
                # Warm rows: the cache filled first; an edit row: its command run once before the edit.
                before = name.removesuffix("-edit")
                for need in ["validate-fill"] + ([before] if kind == "edit" and before != "validate" else []):
                    if need not in done:
                        run_measured([fxfk, *fxfk_args(need, corpus, out)], env)
                        print(f"{'(prepared: ' + need + ')':38}", flush=True)
                        done.add(need)
            if kind == "edit":
                edit_one(files, edits)
                edits += 1
            wall, peak, rc, last = run_measured(command, cold if name == "validate-cold" else env)
            done.add(name)
            results.append((label, wall, peak, rc))
            print(f"{label:38} {wall:7.1f}s {peak:8.0f}  {rc:4}  {last}", flush=True)
        print(f"speed probe: {speed_probe():.2f} s")
        if args.markdown:
            print(markdown(results))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
