"""The benchmarks' floors (benchmarks/floors.py) do the work of the command they stand for, and
bench_scale.py picks its rows as documented: a floor that drifted from its command measures nothing."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(Path(__file__).parent))
import bench_scale  # noqa: E402
from floors import FLOORS  # noqa: E402

from corpus_generator import generate  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("floors") / "c", 4, 10)


def floor(name: str, corpus: Path, out: Path) -> str:
    proc = subprocess.run([sys.executable, "-c", FLOORS[name], str(corpus), str(out)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    *body, split = proc.stdout.splitlines()
    assert split.startswith("read+validate ") and ", the rest " in split
    return "\n".join(body)


def test_deadlines_floor_computes_what_fxfk_deadlines_shows(corpus, tmp_path, fxfk):
    rows = json.loads(floor("deadlines", corpus, tmp_path))
    shown = fxfk("deadlines", "--root", str(corpus), "--today", "2019-11-10", "--format", "json")
    assert shown.code == 0, shown.err
    keys = ("task", "office", "status", "due", "done", "target", "working_days_left")
    assert [{k: r[k] for k in keys} for r in rows] == [{k: r[k] for k in keys} for r in json.loads(shown.out)]
    assert {r["status"] for r in rows} >= {"done", "overdue"}


def test_classify_floor_explains_every_point_as_fxfk_classify(corpus, tmp_path, fxfk):
    rows = json.loads(floor("classify", corpus, tmp_path))
    shown = fxfk("classify", "--root", str(corpus), "--format", "json")
    assert shown.code == 0, shown.err
    keys = ("office", "id", "declared", "computed", "clause", "facts", "agrees", "overridden")
    assert [{k: r[k] for k in keys} for r in rows] == [{k: r[k] for k in keys} for r in json.loads(shown.out)]
    assert len(rows) == 40


def test_publish_floor_writes_every_office_and_the_city_in_three_formats(corpus, tmp_path):
    floor("publish", corpus, tmp_path)
    stems = ["city"] + [f"office-{i:05d}" for i in range(4)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{s}.{e}" for s in stems for e in ("csv", "html", "md"))
    with open(tmp_path / "city.csv", encoding="utf-8-sig", newline="") as f:
        city = list(csv.reader(f))
    assert len(city) == 1 + 4 * 8  # every published point (4 in 5), all batches public on 2019-12-31
    assert "<td>O00000-R001<td>" in (tmp_path / "office-00000.html").read_text(encoding="utf-8")


def test_report_floor_counts_per_office(corpus, tmp_path):
    floor("report", corpus, tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "风险点 40 个，已公布 32 个" in page and page.count("<tr><td>") == 4


def test_bench_rows_floors_off_by_default_and_only_by_name():
    default = [name for name, _, _ in bench_scale.chosen_rows(None, floors=False)]
    assert not any(n.startswith("floor-") for n in default)
    assert {"classify-edit", "publish-edit", "guidance"} <= set(default)
    assert {n for n, _, _ in bench_scale.chosen_rows(None, floors=True)} == set(bench_scale.NAMES)
    only = bench_scale.chosen_rows("publish-edit, floor-report", floors=False)
    assert [n for n, _, _ in only] == ["publish-edit", "floor-report"]
    with pytest.raises(SystemExit, match="unknown row nope"):
        bench_scale.chosen_rows("classify,nope", floors=False)


def test_bench_markdown_rows_with_the_ratio_to_cold_validate():
    table = bench_scale.markdown([("fxfk validate (cold, no cache)", 10.0, 264.0, 0), ("fxfk classify", 14.0, 900.4, 0)])
    assert table.splitlines()[-1] == "| fxfk classify | 14.0 s | 900 MB | 0 | 1.40× |"
