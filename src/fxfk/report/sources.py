"""Each register as the report reads it (:class:`OfficeInput`), without rebuilding its full model.

The report needs, of a register's points, their facts (:mod:`fxfk.load.facts`: id, domain, level,
status, batch, cases) plus two texts the facts lack, the title and the 社会关注度; of the rest only
the office and the activities. Validating a whole ``Register`` (50 points with their basis, measures,
causes…) for that is ~95% of the work: from the cached data of the very bytes the facts came from,
only the office and the activities go through the model (``Register`` without points: the same
values as the full model's), the titles are taken as written (text fields are never converted) and
the 社会关注度 is read the model's way (:meth:`LabelledEnum.from_text`). Whatever does not look like
that data (no cache, an entry gone) falls back to the full model, so both ways give equal inputs
(``tests/test_report_sources.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from fxfk.load.facts import RegisterFacts
from fxfk.load.repository import SourceFile
from fxfk.models import Level, Register, Status


class Point(NamedTuple):
    """What the report reads of one ``Risk``: the same names, types and values."""

    id: str
    title: str
    domain: str
    level: Level
    status: Status
    batch: int | None
    cases: dict[int, int]
    attention: Level | None


class OfficeInput(NamedTuple):
    register: Register  # its office and activities; no batches, no points (see ``batches``, ``points``)
    batches: dict[int, dt.date]  # batch id → publication date
    points: tuple[Point, ...]


def from_model(reg: Register) -> OfficeInput:
    points = tuple(Point(r.id, r.title, r.domain, r.level, r.status, r.batch, r.cases, r.attention) for r in reg.risks)
    return OfficeInput(reg.model_copy(update={"batches": [], "risks": []}), {b.id: b.date for b in reg.batches}, points)


def from_data(facts: RegisterFacts, data: Any) -> OfficeInput | None:
    """From a valid register's plain data (as cached) and its facts; None if ``data`` is not of them."""
    if not isinstance(data, dict) or not isinstance(data.get("risks", []), list):
        return None
    risks = data.get("risks", [])
    if len(risks) != len(facts.risks) or not all(isinstance(r, dict) and isinstance(r.get("title"), str) for r in risks):
        return None
    try:  # (valid a moment ago; a surprise only means the slow way)
        slim = Register.model_validate({k: v for k, v in data.items() if k not in ("batches", "risks")})
    except ValueError:
        return None
    points = []
    for f, raw in zip(facts.risks, risks):
        attention = raw.get("attention")
        level = Level.from_text(attention) if isinstance(attention, str) else None
        if attention is not None and level is None:
            return None
        points.append(Point(f.id, raw["title"], f.domain, f.level, f.status, f.batch, f.cases, level))
    return OfficeInput(slim, {b.id: b.date for b in facts.batches}, tuple(points))


def office_input(src: SourceFile[Register]) -> OfficeInput | None:
    """One valid register's input: from its model when loaded, else from the cache, else its rebuilt model."""
    if src.model is None and src.stored is not None and src.facts is not None:
        cache, digest = src.stored
        found = from_data(src.facts, cache.get(digest, "d"))
        if found is not None:
            return found
    reg = src.load_model()
    return from_model(reg) if reg is not None else None
