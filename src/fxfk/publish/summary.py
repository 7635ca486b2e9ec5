"""What the city-wide files need of an office whose own files are reused, kept in the manifest.

After one edit, building every office's public list (each register's full model) was most of a
publish. An office whose register, settings, catalogue, templates, date and tool are unchanged (its
*office key*) has its lists, its city sections and its scan results from the previous run; what the
index, the head of the city list and the city no-penalty list still take from it is small: its
names, batches with the level of each point, and its no-penalty items. :func:`summary_of` writes
that into the manifest, :func:`stub_of` makes an :class:`~fxfk.public.view.OfficeList` of it again —
with points that have only a number and a level. Such a *stub* is never rendered as a list: the
writer raises :class:`NeedFull` for it and the run builds that office's view after all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fxfk.public.view import BatchSection, Citation, Excerpt, NoPenaltyItem, OfficeList, PublicRisk


class NeedFull(Exception):
    """The writer would render a stub office's content: build these offices' views and run again."""

    def __init__(self, ids: set[str]):
        super().__init__(", ".join(sorted(ids)))
        self.ids = ids


def _citation(c: Citation) -> list[Any]:
    return [c.law, c.number, list(c.articles), [[e.article, e.text] for e in c.excerpts]]


def _citation_of(v: list[Any]) -> Citation:
    return Citation(str(v[0]), str(v[1]), tuple(map(str, v[2])), tuple(Excerpt(str(a), str(t)) for a, t in v[3]))


def summary_of(o: OfficeList) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "kind": o.kind, "phone": o.phone, "organization": o.organization,
        "batches": [[b.number, b.label, b.date.isoformat(), b.document, b.is_first, [r.level for r in b.risks]]
                    for b in o.batches],
        "no_penalty": [[i.seq, i.title, [_citation(c) for c in i.citations], list(i.situations), i.condition, i.office,
                        _citation(i.ground) if i.ground is not None else None] for i in o.no_penalty],
    }


def stub_of(s: dict[str, Any]) -> OfficeList | None:
    """The office as the city-wide files see it; None for a summary this code cannot read."""
    try:
        name = str(s["name"])
        batches = []
        for number, label, date, document, is_first, levels in s["batches"]:
            day = dt.date.fromisoformat(date)
            risks = tuple(PublicRisk(k, "", str(level), (), "", (), (), "", name, str(label), day)
                          for k, level in enumerate(levels, 1))
            batches.append(BatchSection(int(number), str(label), day, str(document), risks, bool(is_first), (), ()))
        items = tuple(NoPenaltyItem(int(seq), str(title), tuple(_citation_of(c) for c in citations),
                                    tuple(map(str, situations)), str(condition), str(office),
                                    _citation_of(ground) if ground is not None else None)
                      for seq, title, citations, situations, condition, office, ground in s["no_penalty"])
        return OfficeList(str(s["id"]), name, str(s["kind"]), str(s["phone"]), str(s["organization"]),
                          tuple(batches), items)
    except (KeyError, TypeError, ValueError):
        return None
