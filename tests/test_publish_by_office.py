"""Publishing office by office (fxfk.publish.offices) writes and refuses exactly what the whole view does.

``-f html,md,csv`` on two or more offices is published office by office; adding ``xlsx`` to the formats
takes the whole-view way (fxfk.publish.pages), so the two can be compared on the same data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, run_fxfk
from corpus_generator import generate
from fxfk.load import parallel

BY_OFFICE = "html,md,csv"
WHOLE_VIEW = "html,md,csv,xlsx"  # (the XLSX holds every point: the whole view is built)


def _publish(repo: Path, out: Path, formats: str, date: str, jobs: str = "1", cache: bool = False):
    env = {"FXFK_JOBS": jobs, "FXFK_NO_CACHE": "0" if cache else "1"}  # (the manifest lives in the cache)
    return run_fxfk("publish", "--root", str(repo), "--date", date, "-f", formats, "--out", str(out), env=env)


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".html", ".md", ".csv")}


def _copy(source: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(source / "data", repo / "data")
    shutil.copy(source / "fxfk.yaml", repo / "fxfk.yaml")
    return repo


@pytest.fixture(autouse=True)
def fixed_tool(monkeypatch):
    """The tool fingerprint (in the publish manifest's keys) follows the mtimes of the package's source
    files, which other work on the checkout may touch between two runs: fixed here."""
    from functools import lru_cache

    from fxfk.load import cache

    monkeypatch.setattr(cache, "tool_fingerprint", lru_cache(maxsize=1)(lambda: "tool"))


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("many") / "repo", offices=14, risks=4)


@pytest.mark.parametrize("which, date", [("corpus", "2020-01-15"), ("data", "2019-12-31"), ("many", "2019-12-31")])
def test_office_by_office_writes_what_the_whole_view_writes(which, date, many, tmp_path, monkeypatch):
    repo = {"corpus": CORPUS / "publish", "data": REPO, "many": many}[which]
    repo = many if which == "many" else _copy(repo, tmp_path)
    monkeypatch.setattr(parallel, "MIN_TASKS", 4)  # worker processes from 4 offices on
    whole = _publish(repo, tmp_path / "whole", WHOLE_VIEW, date)
    assert whole.code == 0, whole.err
    for jobs in ("1", "2"):
        run = _publish(repo, tmp_path / f"by-office-{jobs}", BY_OFFICE, date, jobs)
        assert run.code == 0, run.err
        mine, theirs = _files(tmp_path / f"by-office-{jobs}"), _files(tmp_path / "whole")
        assert list(mine) == list(theirs)
        assert [name for name in mine if mine[name] != theirs[name]] == []
        # The summary line counts the same offices, points and no-penalty items.
        assert run.out.splitlines()[-1].split("：", 1)[1].split("；")[0] == \
            whole.out.splitlines()[-1].split("：", 1)[1].split("；")[0]


def test_after_an_edit_only_that_office_is_built_and_the_rest_is_the_same(many, tmp_path, monkeypatch):
    from fxfk.public import view as public_view

    repo = _copy(many, tmp_path)
    out = tmp_path / "public"
    assert _publish(repo, out, BY_OFFICE, "2019-12-31", cache=True).code == 0
    path = sorted((repo / "data/risks").glob("*.yaml"))[3]
    text = path.read_text(encoding="utf-8")
    assert "    status: published\n" in text
    path.write_text(text.replace("    status: published\n", "    status: approved\n", 1), encoding="utf-8")
    built: list[str] = []
    original = public_view.office_list
    monkeypatch.setattr(public_view, "office_list", lambda src, *a, **k: built.append(src.rel) or original(src, *a, **k))
    run = _publish(repo, out, BY_OFFICE, "2019-12-31", cache=True)
    assert run.code == 0, run.err
    assert built == [f"data/risks/{path.name}"], run.out
    assert "沿用上次未变的" in run.out and "沿用上次未变的 0 个" not in run.out
    fresh = tmp_path / "fresh"
    assert _publish(repo, fresh, WHOLE_VIEW, "2019-12-31").code == 0
    assert _files(out) == _files(fresh)


def _refusals(repo: Path, tmp_path: Path, date: str) -> None:
    """Both ways refuse with the same diagnostics and message, and write nothing."""
    runs = {formats: _publish(repo, tmp_path / formats.replace(",", "-"), formats, date, "2")
            for formats in (BY_OFFICE, WHOLE_VIEW)}
    by_office, whole = runs[BY_OFFICE], runs[WHOLE_VIEW]
    assert by_office.code == whole.code == 1, by_office.err
    assert by_office.err == whole.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # nothing written, no staging left


def test_a_personal_number_refuses_from_a_worker(tmp_path, monkeypatch):
    repo = _copy(CORPUS / "publish", tmp_path)
    path = repo / "data/risks/east.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("对逾期未备案的企业发出提示函", "联系13912345678"),
                    encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    _refusals(repo, tmp_path, "2020-01-15")
    run = _publish(repo, tmp_path / "again", BY_OFFICE, "2020-01-15", "2")
    assert "data/risks/east.yaml:" in run.err and "public-mobile-number" in run.err and "13912345678" not in run.err
    shutil.rmtree(tmp_path / "again", ignore_errors=True)


def test_a_law_repealed_before_the_publication_date_refuses_from_a_worker(tmp_path, monkeypatch):
    """Valid today (a warning), but the list of 2019-12-31 would cite a law repealed on 2019-12-01."""
    repo = _copy(REPO, tmp_path)
    laws = repo / "data" / "laws.yaml"
    text = laws.read_text(encoding="utf-8")
    entry = "    issuer: 国务院\n    effective: 2019-06-01\n"  # 报废机动车回收管理办法
    assert entry in text
    laws.write_text(text.replace(entry, entry + "    repealed: 2019-12-01\n", 1), encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    _refusals(repo, tmp_path, "2019-12-31")


def test_a_number_only_the_rendered_file_shows_is_refused(tmp_path, monkeypatch):
    """The last net works office by office too: a number the field scan missed (here: switched off) is
    found in the written files, and the field holding it is named."""
    from fxfk.publish import safety

    repo = _copy(CORPUS / "publish", tmp_path)
    path = repo / "data/risks/west.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 西区", "title: 联系13912345678西区", 1), encoding="utf-8")
    monkeypatch.setattr(safety, "scan_personal_data", lambda texts: iter(()))
    out = tmp_path / "public"
    run = _publish(repo, out, BY_OFFICE, "2020-01-15")
    assert run.code == 1, run.err
    assert "west.html" in run.err and "_city.md" in run.err and "139****5678" in run.err
    assert not out.exists()


def test_which_publications_go_office_by_office(tmp_path):
    from fxfk.publish.offices import applies

    assert applies(tmp_path, ["html", "md", "csv"], 2)
    assert applies(tmp_path, ["md"], 3000)
    assert not applies(tmp_path, ["html"], 1)  # one office's city list takes the office layout
    assert not applies(tmp_path, ["html", "xlsx"], 5)
    assert not applies(tmp_path, ["docx"], 5)
    (tmp_path / "templates" / "publish").mkdir(parents=True)
    (tmp_path / "templates" / "publish" / "risk_list.md.j2").write_text("{{ title }}\n", encoding="utf-8")
    assert not applies(tmp_path, ["md"], 5)  # the repository's own templates see the whole view


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_city_section_is_derived_from_the_office_list_s_own_render(fmt, tmp_path):
    """The batch sections are rendered once: the city section takes the office list's, headings one
    level down and numbers moved, and is then exactly what rendering it would give."""
    import datetime as dt

    from fxfk.public.view import build_view
    from fxfk.publish import city
    from fxfk.render.templates import environment
    from fxfk.rules.validation import load

    repo = _copy(CORPUS / "publish", tmp_path)
    view = build_view(load(repo), dt.date(2020, 1, 15)).view
    env = environment(repo)
    for office in view.offices:
        body = city.office_body(env, fmt, view, office)
        derived = city.section_body(fmt, body, office, 41)
        assert derived is not None, office.id
        assert city.section_bytes(env, fmt, view, office, 41, body) == city.section_bytes(env, fmt, view, office, 41)
        if office.risks:
            assert derived != body and "42" in derived
    # A text that is not exactly the office's sections is not taken.
    # (A Markup string escapes what is added to it: data cannot add a heading.)
    from markupsafe import Markup

    office = next(o for o in view.offices if o.risks)
    body = city.office_body(env, fmt, view, office)
    assert city.section_body(fmt, body + Markup("<h2>x</h2>") if fmt == "html" else body + "\n## x", office, 41) is None
    if fmt == "html":
        assert city.section_body(fmt, body + "<h2>x</h2>", office, 41) is not None


def test_renumbering_finds_a_row_on_the_first_line_too():
    from fxfk.publish.city import renumber

    assert renumber("md", b"| 1 | a |\n| 2 | b 3 |\n", 5, 2) == b"| 6 | a |\n| 7 | b 3 |\n"
    assert renumber("md", b"### x\n\n| 1 | a |\n", 40, 1) == b"### x\n\n| 41 | a |\n"
    assert renumber("md", b"| 1 | a |\n", 5, 2) is None  # not the office's points


@pytest.mark.parametrize("edit", ["duplicate point id", "duplicate office id", "unknown batch"])
def test_validation_refuses_as_before_while_the_workers_render(edit, many, tmp_path, monkeypatch):
    """Office by office the repository-wide checks run while the workers render: the same refusal as the
    whole-view way (which checks first), nothing written — even when the data cannot be rendered."""
    repo = _copy(many, tmp_path)
    first, second = sorted((repo / "data/risks").glob("*.yaml"))[2:4]
    text = second.read_text(encoding="utf-8")
    if edit == "duplicate point id":
        text = text.replace("id: O00003-R001", "id: O00002-R001", 1)
    elif edit == "duplicate office id":
        text = text.replace("  id: office-00003\n", "  id: office-00002\n", 1)
    else:
        text = text.replace("    batch: 1\n", "    batch: 9\n", 1)
    assert text != second.read_text(encoding="utf-8") and first.stem == "office-00002"
    second.write_text(text, encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_TASKS", 4)
    _refusals(repo, tmp_path, "2019-12-31")


def test_chosen_offices_are_published_office_by_office_as_by_the_whole_view(many, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", 2)
    chosen = ["--office", "office-00005", "--office", "office-00001", "--office", "office-00012"]
    outs = {}
    for formats in (BY_OFFICE, WHOLE_VIEW):
        out = tmp_path / formats.replace(",", "-")
        run = run_fxfk("publish", "--root", str(many), "--date", "2019-12-31", "-f", formats, "--out", str(out), *chosen,
                       env={"FXFK_JOBS": "2", "FXFK_NO_CACHE": "1"})
        assert run.code == 0, run.err
        outs[formats] = _files(out)
    assert outs[BY_OFFICE] == outs[WHOLE_VIEW]
    assert "所选单位" in outs[BY_OFFICE]["_city.md"].decode("utf-8")
    assert sorted(name.split(".")[0] for name in outs[BY_OFFICE]) == sorted(
        ["_city"] * 6 + ["index"] + [o for o in chosen if o.startswith("office")] * 6)
