"""Issue 19: the public texts kept for the safety net are small (they live until the files are written)."""

from __future__ import annotations

import datetime as dt
import sys

from conftest import CORPUS
from fxfk.publish import prepare


def test_public_texts_are_tuples_sharing_their_locations():
    built = prepare(CORPUS / "publish", dt.date(2020, 1, 15))
    texts = built.texts
    assert texts and all(isinstance(t, tuple) and sys.getsizeof(t) <= 64 for t in texts)
    first: dict[tuple[object, ...], tuple[object, ...]] = {}
    for t in texts:
        assert first.setdefault(t.loc, t.loc) is t.loc, t.loc  # equal locations: one tuple
    assert len(first) < len(texts)  # the corpus has two registers with the same field paths
    again = prepare(CORPUS / "publish", dt.date(2020, 1, 15)).texts
    assert all(a.loc is b.loc for a, b in zip(texts, again))
