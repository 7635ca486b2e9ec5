"""The published pages in a real headless Chromium: the table must be in the rendered DOM."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import CORPUS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_index_and_office_page_render_their_tables(fxfk, tmp_path):
    out = tmp_path / "public"
    r = fxfk("publish", "--root", str(CORPUS / "publish"), "--out", str(out), "--date", "2020-01-15", "-f", "html")
    assert r.code == 0, r.err
    for page, expected in (("index.html", "东区商务局"), ("east.html", "东区乙第二批公开风险点")):
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (out / page).as_uri()],
            capture_output=True, text=True, encoding="utf-8", timeout=90,
        )
        dom = proc.stdout
        assert "<table" in dom and "<tbody>" in dom, page
        assert expected in dom, page
        assert 'lang="zh-CN"' in dom
