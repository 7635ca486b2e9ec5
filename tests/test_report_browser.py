"""The report in a real headless Chromium: the charts and tables are in the rendered DOM, offline."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import CORPUS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_report_renders_with_its_charts(fxfk, tmp_path):
    out = tmp_path / "reports"
    r = fxfk("report", "--root", str(CORPUS / "report"), "--date", "2019-12-31", "--out", str(out), "-f", "html")
    assert r.code == 0, r.err
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, text=True, encoding="utf-8", timeout=90,
    )
    dom = proc.stdout
    assert 'lang="zh-CN"' in dom
    # four charts survived parsing as SVG (a malformed one would be cut short), each with its text equivalent
    assert dom.count("<svg") == 4 and dom.count("</svg>") == 4
    assert dom.count("<figcaption>") == 4
    assert "六、考核加减分" in dom and "典型案例候选" in dom and "无数据" in dom
    assert "<tbody>" in dom
