"""The report in a real headless Chromium: the charts and tables are in the rendered DOM, offline."""

from __future__ import annotations

import shutil
import subprocess
from xml.etree import ElementTree as ET

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
    # four charts, each drawn wide and narrow, survived parsing as SVG (a malformed one would be cut short),
    # each with its text equivalent; the two drawings of a chart carry different element ids
    assert dom.count("<svg") == 8 and dom.count("</svg>") == 8
    for key in ("levels", "funnel", "cases", "tasks"):
        assert dom.count(f'id="chart-{key}-title"') == 1 and dom.count(f'id="chart-{key}-narrow-title"') == 1
    assert dom.count("<figcaption>") == 4
    assert "六、考核加减分" in dom and "典型案例候选" in dom and "无数据" in dom
    assert "<tbody>" in dom


def test_the_narrow_chart_wraps_long_names_and_keeps_its_text_legible():
    # what a 390-px phone shows (tests/test_print.py measures it there): 360 px wide, every text at least 12 px,
    # a name longer than the line wrapped onto a second one, any text well-formed XML
    from fxfk.report.charts import NARROW, stacked_bars

    long_name = "郑州市商务局对外投资和经济合作处" * 2
    rows = [(long_name, [3, 4]), ("甲<b>&\x01", [0, 1])]
    chart = stacked_bars("x", "标题\x01", "摘要", rows, [("已逾期", "#b0161e"), ("已完成", "#2f7d4a")], "项")
    svg = ET.fromstring(chart.svg_narrow)
    assert svg.get("viewBox") == f"0 0 {NARROW} {svg.get('height')}" and NARROW == 360
    texts = svg.findall("{http://www.w3.org/2000/svg}text")
    assert texts and all(int(t.get("font-size")) >= 12 for t in texts)
    assert all(0 <= float(t.get("x")) <= NARROW for t in texts)
    lines = [t.text for t in texts if t.get("x") == "8.0"]  # the names, at the left margin (the legend is indented)
    assert "".join(lines[:-1]) == long_name and len(lines) == 3, lines  # two lines for the long name
    # the page carries both drawings, so their element ids differ
    assert 'id="chart-x-narrow-title"' in chart.svg_narrow and 'id="chart-x-title"' in chart.svg
    assert stacked_bars("x", "标题\x01", "摘要", rows, [("已逾期", "#b0161e"), ("已完成", "#2f7d4a")], "项") == chart
