"""fxfk.load.locate: many nodes located in worker processes give what locating each one here gives."""

from __future__ import annotations

from pathlib import Path

from corpus_generator import generate
from fxfk.load.locate import locate_many
from fxfk.load.parallel import MIN_TASKS
from fxfk.options import Options
from fxfk.rules.validation import load


def test_locate_many_matches_locate_in_any_order(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", MIN_TASKS + 6, 3)  # enough files to use the workers
    repo = load(root, Options(cache=False))
    requests = [
        (src.loaded, loc)
        for src in repo.registers
        for loc in (("risks", 2, "level"), ("risks", 0, "level"), ("risks", 9, "level"), ("office",))
    ]
    requests.reverse()  # files interleaved with themselves is fine too
    requests += requests[:5]
    expected = [loaded.locate(loc) for loaded, loc in requests]
    assert locate_many(requests, workers=2) == expected
    assert locate_many(requests, workers=1) == expected
