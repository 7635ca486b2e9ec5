"""`fxfk publish` renders only what changed: unchanged files are linked from the previous output.

Through the CLI: the output after any change is byte-identical to a from-scratch publish, and only
the files that depend on the change are new (their inode and mtime); every input that reaches the
output (a register, fxfk.yaml, the law catalogue, a template, the date) re-renders what it decides.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_fxfk
from corpus_generator import generate
from fxfk.publish.reuse import Manifests

FORMATS = "html,md,csv,xlsx,docx"
ENV = {"FXFK_JOBS": "1", "FXFK_NO_CACHE": "0"}  # the manifest lives in the cache


TOOL = ["tool-1"]


@pytest.fixture(autouse=True)
def fixed_tool(monkeypatch):
    """The tool's fingerprint, fixed: it follows every source file's mtime, and other work on this
    checkout may touch one between two runs of a test (then nothing is reused, rightly)."""
    from functools import lru_cache

    from fxfk.load import cache

    monkeypatch.setattr(cache, "tool_fingerprint", lru_cache(maxsize=1)(lambda: TOOL[0]))
    yield
    TOOL[0] = "tool-1"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return generate(tmp_path / "repo", offices=4, risks=6)


def publish(repo: Path, out: Path, *extra: str, date: str = "2019-12-31", formats: str = FORMATS):
    run = run_fxfk("publish", "--root", str(repo), "--date", date, "-f", formats, "--out", str(out), *extra, env=ENV)
    assert run.code == 0, run.err
    return run


def state(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file's (inode, mtime_ns, bytes), the marker aside."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def changed(before: dict, after: dict) -> set[str]:
    """Names whose file is new (another inode or mtime)."""
    assert set(before) == set(after)
    return {n for n in after if before[n][:2] != after[n][:2]}


def same_bytes_as_fresh(repo: Path, out: Path, tmp_path: Path, *extra: str, date: str = "2019-12-31",
                        formats: str = FORMATS) -> None:
    fresh = tmp_path / "fresh"
    publish(repo, fresh, "--rebuild", *extra, date=date, formats=formats)
    a, b = state(out), state(fresh)
    assert list(a) == list(b)
    assert [n for n in a if a[n][2] != b[n][2]] == []


CITY = {"_city.html", "_city.md", "_city.csv", "_city.docx", "_city.no-penalty.html", "_city.no-penalty.md",
        "_city.no-penalty.csv", "_city.no-penalty.docx", "index.html", "risk-lists.xlsx"}


def office_files(oid: str) -> set[str]:
    return {f"{oid}{kind}.{ext}" for kind in ("", ".no-penalty") for ext in ("html", "md", "csv", "docx")}


def test_one_edited_register_rerenders_its_office_and_the_city_files(repo, tmp_path):
    out = tmp_path / "public"
    first = publish(repo, out)
    assert "重新生成 42 个，沿用上次未变的 0 个" in first.out
    before = state(out)
    manifest = Manifests(repo, True).read(out)
    assert set(manifest[0]) == set(before)  # every file listed, nothing in the output folder but the lists
    again = publish(repo, out)
    assert "重新生成 0 个，沿用上次未变的 42 个" in again.out
    assert changed(before, state(out)) == set()
    assert Manifests(repo, True).read(out) == manifest  # (a reused city list keeps its sections' places)

    path = repo / "data/risks/office-00002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0371-60000002", "0371-60000099"), encoding="utf-8")
    run = publish(repo, out)
    after = state(out)
    assert changed(before, after) == office_files("office-00002") | CITY
    assert "0371-60000099" in after["office-00002.html"][2].decode() and "0371-60000099" in after["_city.md"][2].decode()
    assert f"重新生成 {len(CITY) + 8} 个" in run.out
    same_bytes_as_fresh(repo, out, tmp_path)


def test_city_sections_are_read_back_from_the_previous_city_list(repo, tmp_path):
    out = tmp_path / "public"
    publish(repo, out, formats="html,md,csv")
    manifest = Manifests(repo, True).read(out)[0]
    for name in ("_city.html", "_city.md", "_city.csv"):
        assert len(manifest[name].sections) == 4, name
    # A section read back is what the manifest says is there: corrupt the recorded bytes behind fxfk's back
    # (keeping size and mtime), and the city list shows it, while the office's own list does not change.
    city = out / "_city.html"
    data = bytearray(city.read_bytes())
    at = data.index(b'id="o-office-00003"')
    start = next(a for _, a, b in manifest["_city.html"].sections if a <= at < b)
    st = city.stat()
    marker = "ZZSECTIONZZ".encode()
    data[start + 20:start + 20 + len(marker)] = marker
    city.write_bytes(bytes(data))
    os.utime(city, ns=(st.st_atime_ns, st.st_mtime_ns))
    path = repo / "data/risks/office-00000.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0371-60000000", "0371-60000077"), encoding="utf-8")
    publish(repo, out, formats="html,md,csv")
    assert b"ZZSECTIONZZ" in (out / "_city.html").read_bytes()  # reused, not rendered
    assert b"0371-60000077" in (out / "_city.html").read_bytes()  # re-rendered section


def test_a_hand_edited_or_missing_file_is_rendered_again(repo, tmp_path):
    out = tmp_path / "public"
    publish(repo, out)
    (out / "office-00001.md").write_text("改过了\n", encoding="utf-8")
    (out / "office-00003.no-penalty.csv").unlink()
    # Same size and inode, another mtime (set explicitly: the file system's clock step may be coarse).
    page = out / "office-00002.html"
    before_edit = page.stat()
    page.write_bytes(page.read_bytes().replace(b"<!DOCTYPE html>", b"<!doctype html>"))
    stamp = before_edit.st_mtime_ns
    os.utime(page, ns=(stamp + 10**9, stamp + 10**9))
    before = state(out) | {"office-00003.no-penalty.csv": (0, 0, b"")}
    publish(repo, out)
    assert changed(before, state(out)) == {"office-00001.md", "office-00001.no-penalty.md",
                                           "office-00003.csv", "office-00003.no-penalty.csv",
                                           "office-00002.html", "office-00002.no-penalty.html"}
    same_bytes_as_fresh(repo, out, tmp_path)


@pytest.mark.parametrize("what", ["settings", "laws", "template", "date", "tool", "rebuild"])
def test_every_input_that_reaches_the_output_rerenders_all(repo, tmp_path, what):
    out = tmp_path / "public"
    publish(repo, out)
    before = state(out)
    date = "2019-12-31"
    extra: tuple[str, ...] = ()
    if what == "settings":
        (repo / "fxfk.yaml").write_text("organization: 另一个市商务局\n", encoding="utf-8")
    elif what == "laws":
        laws = repo / "data/laws.yaml"
        laws.write_text(laws.read_text(encoding="utf-8").replace("issuer: 商务部\n", "issuer: 中华人民共和国商务部\n", 1),
                        encoding="utf-8")
    elif what == "template":
        (repo / "templates/publish").mkdir(parents=True)
        (repo / "templates/publish/no_penalty.md.j2").write_text(
            '{% extends "default:no_penalty.md.j2" %}\n', encoding="utf-8")
    elif what == "date":
        date = "2020-01-15"
    elif what == "tool":
        TOOL[0] = "tool-2"
    else:
        extra = ("--rebuild",)
    run = publish(repo, out, *extra, date=date)
    assert "沿用上次未变的 0 个" in run.out
    assert changed(before, state(out)) == set(before)
    same_bytes_as_fresh(repo, out, tmp_path, date=date)


def test_with_a_template_override_only_an_unchanged_repository_reuses(repo, tmp_path):
    # The repository's own templates see the whole view: an office's page may show another office.
    (repo / "templates/publish").mkdir(parents=True)
    (repo / "templates/publish/risk_list.md.j2").write_text(
        '{% extends "default:risk_list.md.j2" %}\n', encoding="utf-8")
    out = tmp_path / "public"
    publish(repo, out, formats="md")
    before = state(out)
    assert "重新生成 0 个" in publish(repo, out, formats="md").out
    path = repo / "data/risks/office-00002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0371-60000002", "0371-60000099"), encoding="utf-8")
    publish(repo, out, formats="md")
    assert changed(before, state(out)) == set(before)
    same_bytes_as_fresh(repo, out, tmp_path, formats="md")


def test_a_killed_run_leaves_the_old_output(repo, tmp_path, monkeypatch):
    out = tmp_path / "public"
    publish(repo, out)
    before = state(out)
    path = repo / "data/risks/office-00002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0371-60000002", "0371-60000099"), encoding="utf-8")
    from fxfk.publish import city

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(city, "finish", killed)
    assert run_fxfk("publish", "--root", str(repo), "--date", "2019-12-31", "-f", FORMATS, "--out", str(out),
                    env=ENV).code == 130
    assert state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "repo"]


@pytest.mark.parametrize("edit", ["phone", "one point fewer"])
def test_html_md_csv_after_one_edit_build_only_what_changed(repo, tmp_path, edit, monkeypatch):
    """Without XLSX and DOCX, an unchanged office is not even built: the manifest's summary serves the
    index and the city list's head. One point fewer renumbers the city list's sections after that office."""
    from fxfk.public import view as public_view

    out = tmp_path / "public"
    publish(repo, out, formats="html,md,csv")
    before = state(out)
    path = repo / "data/risks/office-00001.yaml"
    text = path.read_text(encoding="utf-8")
    if edit == "phone":
        text = text.replace("0371-60000001", "0371-60000055")
    else:
        assert "    status: published\n" in text
        text = text.replace("    status: published\n", "    status: approved\n", 1)
    path.write_text(text, encoding="utf-8")
    built: list[str] = []
    original = public_view.office_list
    monkeypatch.setattr(public_view, "office_list", lambda src, *a, **k: built.append(src.rel) or original(src, *a, **k))
    run = publish(repo, out, formats="html,md,csv")
    # (One point fewer: the sections after office-00001 are renumbered, their offices not built.)
    assert built == ["data/risks/office-00001.yaml"]
    if edit == "phone":
        expected = {n for n in CITY | office_files("office-00001") if n.rsplit(".", 1)[1] in ("html", "md", "csv")}
        assert changed(before, state(out)) == expected
    assert "沿用上次未变的" in run.out
    same_bytes_as_fresh(repo, out, tmp_path, formats="html,md,csv")


def test_an_unchanged_office_s_no_penalty_items_come_back_from_the_manifest(tmp_path):
    """east is not built after west's edit: the city no-penalty list takes east's item from its summary."""
    import shutil

    from conftest import CORPUS

    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "publish", repo)
    out = tmp_path / "public"
    publish(repo, out, date="2020-01-15", formats="html,md,csv")
    west = repo / "data/risks/west.yaml"
    west.write_text(west.read_text(encoding="utf-8").replace("西区庚公开风险点", "西区庚公开风险点（修订）"), encoding="utf-8")
    run = publish(repo, out, date="2020-01-15", formats="html,md,csv")
    assert "沿用上次未变的 6 个" in run.out  # east's six lists
    assert "东区甲第一批公开风险点" in (out / "_city.no-penalty.md").read_text(encoding="utf-8")
    same_bytes_as_fresh(repo, out, tmp_path, date="2020-01-15", formats="html,md,csv")


def test_the_manifest_is_this_machine_s_and_never_in_the_output(repo, tmp_path):
    """The output holds the lists and the marker only; the manifest is a signed cache entry, so an output
    folder that comes back from elsewhere (a pull request, another machine) is rendered whole, and
    without the cache nothing is reused."""
    out = tmp_path / "public"
    publish(repo, out, formats="html,md,csv")
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".fxfk-publish"]
    assert "沿用上次未变的 0 个" in run_fxfk("publish", "--root", str(repo), "--date", "2019-12-31", "-f", "html,md,csv",
                                        "--out", str(out), env={"FXFK_JOBS": "1", "FXFK_NO_CACHE": "1"}).out
    # Another machine's key (or a forged entry) verifies nothing: everything is rendered.
    publish(repo, out, formats="html,md,csv")
    key = Path(os.environ["XDG_CACHE_HOME"]) / "fxfk" / "cache-key"
    saved = key.read_bytes()
    try:
        key.write_bytes(b"k" * 32)
        from fxfk.load import cache

        cache._key.cache_clear()
        assert "沿用上次未变的 0 个" in publish(repo, out, formats="html,md,csv").out
    finally:
        key.write_bytes(saved)
        cache._key.cache_clear()
    # A copy of the output (same bytes and times, new inodes) is not taken for the files written.
    publish(repo, out, formats="html,md,csv")
    assert "沿用上次未变的 0 个" not in publish(repo, out, formats="html,md,csv").out
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(out, copy)
    shutil.rmtree(out)
    copy.rename(out)
    assert "沿用上次未变的 0 个" in publish(repo, out, formats="html,md,csv").out
