"""`deadlines --guidance` at scale: one model per register, the same rows as the per-point code it replaced.

The reference below is the code of fxfk.tasks.guidance before issue 19 (each point looked up its batch
and its last guidance, the offices were chosen from models built a second time, working days were
walked one day at a time); the new code must give the same rows and the same calendar caveat.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fxfk.load.repository import Repository, SourceFile
from fxfk.models.enums import LEVEL_ORDER
from fxfk.models.register import attention_rank
from fxfk.options import Options
from fxfk.render.tasks import _flat_json
from fxfk.rules.validation import validate
from fxfk.tasks.guidance import GuidanceStatus, guidance_state, guidance_statuses, last_guidance, published_on
from fxfk.tasks.status import select_offices
from fxfk.tasks.workdays import WorkCalendar

sys.path.insert(0, str(Path(__file__).parent))
from corpus_generator import generate  # noqa: E402


class WalkCalendar(WorkCalendar):
    """The calendar as it counted before: one day at a time."""

    def count(self, first: dt.date, last: dt.date) -> int:
        return sum(self.is_workday(first + dt.timedelta(days=i)) for i in range((last - first).days + 1))


def reference_statuses(repo: Repository, today: dt.date, offices: list[str] | None, calendar: WorkCalendar) -> list[GuidanceStatus]:
    order = {o.id: k for k, o in enumerate(select_offices(repo, offices))}
    sources = sorted((src for src in repo.valid_registers() if src.valid_facts.office.id in order),
                     key=lambda src: order[src.valid_facts.office.id])
    days, soon = repo.settings.guidance_days, repo.settings.due_soon_days
    out: list[GuidanceStatus] = []
    for reg in ((src.load_model() or src.valid_model) for src in sources):
        rows = []
        for risk in reg.risks:
            published = published_on(reg, risk, today)
            if published is None:
                continue
            interval = getattr(days, risk.level.value)
            last = last_guidance(reg, risk.id, today)
            due = (last or published) + dt.timedelta(days=interval)
            rows.append(GuidanceStatus(
                risk_id=risk.id, title=risk.title, office_id=reg.office.id, office_name=reg.office.name,
                level=risk.level, attention=risk.attention, interval=interval, published=published, last_guidance=last,
                due=due, status=guidance_state(due, today, soon), working_days_left=calendar.working_days_left(today, due),
            ))
        rows.sort(key=lambda g: (LEVEL_ORDER[g.level], attention_rank(g.attention), -g.status.severity, g.due, g.risk_id))
        out += rows
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """12 offices × 15 points, each office's guidance naming three points (the first is never
    published); office-00001 guided again late in 2026, so that only its next guidance falls in a year
    the holiday data does not cover (the caveat then depends on --office)."""
    root = generate(tmp_path_factory.mktemp("guidance") / "c", 12, 15)
    for path in sorted((root / "data" / "risks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        o = path.stem[-5:]
        old = f"    risks: [O{o}-R000]\n"
        assert text.count(old) == 1
        text = text.replace(old, f"    risks: [O{o}-R000, O{o}-R001, O{o}-R002]\n")
        if path.stem == "office-00001":
            text += ("  - date: 2026-11-20\n    kind: guidance\n    note: 回访\n    risks: [O00001-R001]\n"
                     "    counterparts: 1\n    corrected: 1\n")
        path.write_text(text, encoding="utf-8")
    return root


def _repo(root: Path, cache: bool) -> Repository:
    # As fxfk.guidance loads it: facts only with the cache (models rebuilt one at a time), whole without.
    result = validate(root, Options(cache=cache, jobs=1), facts_only=cache)
    assert not result.errors
    return result.loaded_repo


@pytest.mark.parametrize("today", [dt.date(2019, 12, 31), dt.date(2026, 11, 30)])
@pytest.mark.parametrize("offices", [None, ["office-00001"], ["office-00002", "office-00007"], ["county"]])
def test_same_rows_and_caveat_as_the_per_point_code(corpus, today, offices):
    old_cal, new_cal = WalkCalendar(), WorkCalendar()
    expected = reference_statuses(_repo(corpus, cache=False), today, offices, old_cal)
    for cache in (False, True):
        calendar = WorkCalendar()
        assert guidance_statuses(_repo(corpus, cache), today, offices, calendar) == expected
        assert calendar.fallback_years == old_cal.fallback_years
    guidance_statuses(_repo(corpus, True), today, offices, new_cal)
    late = today.year == 2026 and offices in (None, ["office-00001"], ["county"])
    assert (new_cal.fallback_note() is not None) is late
    assert len({g.office_id for g in expected}) == (12 if offices in (None, ["county"]) else len(offices))


def test_each_register_model_is_built_once(corpus, monkeypatch):
    repo = _repo(corpus, cache=True)
    built: list[str] = []
    original = SourceFile.load_model

    def counting(self):
        built.append(self.rel)
        return original(self)

    monkeypatch.setattr(SourceFile, "load_model", counting)
    rows = guidance_statuses(repo, dt.date(2019, 12, 31), ["office-00003"])
    assert {g.office_id for g in rows} == {"office-00003"} and rows
    assert sorted(built) == sorted(src.rel for src in repo.registers) and len(built) == 12


def test_cli_caveat_only_for_the_chosen_offices(corpus, fxfk):
    args = ["deadlines", "--root", str(corpus), "--guidance", "--date", "2026-11-30", "--format", "json", "--office"]
    late = fxfk(*args, "office-00001")
    assert late.code == 0 and "2027年" in late.err and '"last_guidance": "2026-11-20"' in late.out
    other = fxfk(*args, "office-00002")
    assert other.code == 0 and other.err == "" and '"office": "office-00002"' in other.out


@given(st.lists(st.dictionaries(st.text(max_size=8), st.one_of(st.none(), st.text(), st.integers(), st.booleans()),
                                min_size=1, max_size=7), max_size=5))
def test_guidance_json_layout_is_json_dumps_byte_for_byte(rows):
    assert _flat_json(rows) == json.dumps(rows, ensure_ascii=False, indent=2)
