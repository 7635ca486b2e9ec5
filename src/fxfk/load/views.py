"""What ``fxfk classify`` needs of a register beyond its facts, small enough to cache and load fast.

Classify shows every point's title, reason, 社会关注度, the facts that decide its level and the line of
its ``level``; holding 150,000 full ``Risk`` models for that cost 2.2 GB. A register's *view* is, per
point, a plain tuple of those values (:data:`PlainView`); with its facts (:mod:`fxfk.load.facts`) it
makes one :class:`RiskView` per point, a read-only mirror of the ``Risk`` attributes classify reads
(``tests/test_views.py`` holds the mirror to that promise).

A view is computed from the file's bytes — the fast reader (:func:`fxfk.load.fastyaml.shallow_positions`)
gives the data and the ``level`` positions in one pass, exactly as a full position index would — and is
cached as the part ``c`` of the file's cache entry (:mod:`fxfk.load.cache`), so a warm classify reads
facts and views only, and after one edit only that file's view is computed again. Views missing from the
cache (the first classify after ``fxfk validate``) are computed file by file in worker processes.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeAlias

from fxfk.errors import FxfkError
from fxfk.load import fastyaml
from fxfk.load.cache import FileCache, dumps
from fxfk.load.facts import BasisFacts, RegisterFacts
from fxfk.load.parallel import run_in_order
from fxfk.load.yamlload import load_text, read_limited
from fxfk.load.yamltext import decode
from fxfk.models import Level, Status

# per point: title, level_reason, attention token (None: not set), factor flags (bits, see _FLAGS),
# line and column of its ``level`` (of the point itself when it has none); the hotspot text is in the facts
PlainPoint: TypeAlias = tuple[str, str, str | None, int, int, int]
PlainView: TypeAlias = tuple[PlainPoint, ...]

_FLAGS = ("major_penalty", "coercion", "simple_procedure", "minor_correctable", "rare", "unclear_law")


class FactorView(NamedTuple):
    """``Risk.factors``: the same names, types and values."""

    major_penalty: bool
    coercion: bool
    hotspot: str
    simple_procedure: bool
    minor_correctable: bool
    rare: bool
    unclear_law: bool


class RiskView(NamedTuple):
    """The attributes of ``Risk`` that classify reads (same names, types, values), and where its level is."""

    id: str
    title: str
    domain: str
    level: Level
    level_reason: str
    attention: Level | None
    status: Status
    factors: FactorView
    cases: dict[int, int]
    basis: tuple[BasisFacts, ...]
    line: int  # of ``level`` (1-based), as LoadedYaml.locate(("risks", i, "level")) gives it
    column: int


def _level(token: Any) -> Level | None:
    return Level.from_text(token) if isinstance(token, str) else None  # as the model's enum field reads it


def plain_view(data: Any, locate: Callable[[tuple[str | int, ...]], tuple[int, int]]) -> PlainView | None:
    """The view of a register's plain data (as read from its file; None if it is not a register's shape).

    Only meaningful for data whose model validates (or validates with placeholder levels): values are
    then exactly what the model holds, since text fields are kept as written and the only conversion,
    the 社会关注度 enumeration, is done here the model's way.
    """
    risks = data.get("risks") if isinstance(data, dict) else None
    if not isinstance(risks, list):
        return None if risks is not None else ()
    out = []
    for i, risk in enumerate(risks):
        if not isinstance(risk, dict):
            return None
        factors = risk.get("factors") or {}
        attention = _level(risk.get("attention"))
        flags = sum(1 << n for n, name in enumerate(_FLAGS) if factors.get(name) is True)
        line, column = locate(("risks", i, "level"))
        out.append((
            risk.get("title", ""), risk.get("level_reason", ""), attention.value if attention else None,
            flags, line, column,
        ))
    return tuple(out)


def view_of_text(text: str, rel: str) -> PlainView | None:
    """The view of a register's text: by the fast reader when it takes the file, else by libyaml."""
    fast = fastyaml.shallow_positions(text)
    if fast is not None:
        data, positions = fast
        return plain_view(data, positions.locate)
    loaded = load_text(text, rel)
    return plain_view(loaded.data, loaded.locate) if loaded.data is not None else None


def view_of_file(rel: str, path: Path, max_bytes: int, stored: tuple[FileCache, str] | None) -> PlainView | None:
    """The view of the file at ``path``, cached with the bytes its facts were loaded from (``stored``).

    Raises FxfkError when the file changed meanwhile (its view would not match its facts).
    """
    raw = read_limited(path, rel, max_bytes)[0]
    if raw is None or (stored is not None and stored[0].digest(raw) != stored[1]):
        raise FxfkError(f"“{rel}”在 fxfk 运行期间被修改或删除；请重新运行")
    text = decode(raw, rel)[0]
    view = None if text is None else view_of_text(text, rel)
    if view is not None and stored is not None:
        stored[0].put(stored[1], "c", dumps(view))
    return view


def _task(rel: str, path: Path, max_bytes: int, stored: tuple[FileCache, str] | None) -> list[PlainView | None]:
    return [view_of_file(rel, path, max_bytes, stored)]


Request: TypeAlias = tuple[str, Path, "tuple[FileCache, str] | None"]  # rel, path, where it is cached


def views_of(requests: list[Request], max_bytes: int, workers: int) -> list[PlainView | None]:
    """The view of each file: from the cache, else computed (in ``workers`` processes when many)."""
    found: list[PlainView | None] = [None] * len(requests)
    missing = []
    for n, (_, _, stored) in enumerate(requests):
        view = stored[0].get(stored[1], "c") if stored is not None else None
        if view is None:
            missing.append(n)
        found[n] = view
    tasks: list[Callable[[], list[PlainView | None]]] = [
        partial(_task, requests[n][0], requests[n][1], max_bytes, requests[n][2]) for n in missing
    ]
    for n, view in zip(missing, run_in_order(tasks, workers)):
        found[n] = view
    return found


def risk_views(facts: RegisterFacts, view: PlainView, rel: str) -> tuple[RiskView, ...]:
    """Each point of a register as a :class:`RiskView`; FxfkError if the view is not of these facts."""
    if len(view) != len(facts.risks):
        raise FxfkError(f"“{rel}”在 fxfk 运行期间被修改或删除；请重新运行")
    new, known = tuple.__new__, _FACTORS.get
    out = []
    for r, (title, reason, attention, flags, line, column) in zip(facts.risks, view):
        hotspot = r.factors.hotspot
        factors = known((flags, hotspot)) or _factors(flags, hotspot)
        out.append(new(RiskView, (
            r.id, title, r.domain, r.level, reason, _LEVELS[attention] if attention else None, r.status,
            factors, r.cases, r.basis, line, column,
        )))
    return tuple(out)


_LEVELS = {m.value: m for m in Level}
# Few distinct factor sets exist: points share them (and classify explains each set once).
_FACTORS: dict[tuple[int, str], FactorView] = {}


def _factors(flags: int, hotspot: str) -> FactorView:
    found = _FACTORS.get((flags, hotspot))
    if found is None:
        bits = [bool(flags >> n & 1) for n in range(len(_FLAGS))]
        found = FactorView(bits[0], bits[1], hotspot, *bits[2:])
        if len(_FACTORS) < 100_000:
            _FACTORS[(flags, hotspot)] = found
    return found

