"""Issue 19: the tag-stripped reading of an HTML/Markdown file is scanned only when a tag can join digits.

``fxfk.publish.safety.file_texts`` used to return two texts for every HTML and Markdown file: as
written, and with tags replaced by spaces. The second is now left out when no tag sits between
characters that can become digits; then every number it holds is one the first holds too, so the
diagnostics of ``scan_rendered`` are the same.
"""

from __future__ import annotations

import html

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fxfk.publish import safety
from fxfk.publish.safety import file_texts, scan_rendered
from fxfk.rules.personal_data import find_personal_numbers

PIECES = ["<b>", "</b>", "</td><td>", "<br>", "<br/>", '<a href="tel:13912345678">', "</a>", "<!-- 1 -->", "<", ">",
          "&#49;", "&#49", "&#x31;", "&#X31", "&shy;", "&shy", "&ZeroWidthSpace;", "&nbsp;", "&amp;", "&#8203;",
          "&sup1", "&sup2;", "&#65297;", "&#x1D7CF", "９", "&lt;b&gt;", "139", "1234", "5678", "13912345678", "138", "110105",
          "19491231", "002X", "0371-", "罚款", "元", " ", "-", "+86", "86", "\u200b", "\u00ad", "１", "３", "①",
          "甲", "a", "y", ";", "\n"]
documents = st.lists(st.sampled_from(PIECES) | st.text(max_size=2), max_size=40).map("".join)


def _digits(texts: list[str]) -> set[str]:
    return {f.digits for t in texts for f in find_personal_numbers(t)}


@settings(max_examples=4000, deadline=None)
@given(documents)
@example("139<br>1234 5678")
@example("139&shy<b>12345678")  # an entity without ";" ending in a letter, then a tag
@example("13&#x1D7CF<b>12345678")  # a hex reference ending in a letter (a mathematical 1)
@example("139&#8203;<b>12345678")  # ";" ending an entity
@example("139<b>&#49;2345678")  # "&" after the tag
@example("13９<b>12345678")  # a full-width digit before the tag
@example("139<b>１2345678")  # and after it
@example("13912345&#x31<b>&#8203;5678")
@example("86<b>13912345678")
@example("罚款<b></b>13912345678")
@example("13912345678<i>元</i>")
def test_without_a_joining_tag_the_stripped_text_adds_no_number(document):
    document = document.encode().decode("utf-8-sig")  # as file_texts reads it: without a leading BOM
    written = html.unescape(document)
    stripped = html.unescape(safety._TAG.sub(" ", document))
    if safety._joining_tag().search(document) is None:
        assert _digits([stripped]) <= _digits([written]), document
        assert file_texts("x.html", document.encode()) == [written]
    else:
        assert file_texts("x.md", document.encode()) == [written, stripped]


def test_a_number_split_by_a_tag_is_still_found(tmp_path):
    (tmp_path / "a.html").write_text("<p>联系139<br>1234 5678</p>\n<p>１３８<b>\u200b1234</b>5678</p>\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("| 负责人 | 13<!-- x -->9 |\n| 139<br>12345678 |\n", encoding="utf-8")
    problems = scan_rendered(tmp_path, ["a.html", "b.md"], "out")
    assert [(p.file, p.message.split("（")[1][:11]) for p in problems] == [
        ("out/a.html", "139****5678"), ("out/a.html", "138****5678"), ("out/b.md", "139****5678")]


def test_bytes_are_judged_as_the_written_file(tmp_path):
    files = {"a.html": "<p>139<br>1234 5678</p>", "b.md": "| 0371-66660001 |", "c.csv": "１３９１２３４５６７８",
             "d.html": "<b title=\"13912345678\">甲</b>", "e.md": "罚款13000000000元"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert safety.holds_personal_numbers(name, text.encode()) == bool(scan_rendered(tmp_path, [name], "")), name
    assert [n for n, t in files.items() if safety.holds_personal_numbers(n, t.encode())] == ["a.html", "c.csv", "d.html"]
    # The text before it is encoded (what fxfk writes) is judged alike, a CSV's byte order mark included.
    assert [n for n, t in files.items() if safety.holds_personal_numbers(n, t)] == ["a.html", "c.csv", "d.html"]
    assert safety.file_texts("x.csv", "\ufeff１３９") == safety.file_texts("x.csv", "\ufeff１３９".encode())


def test_usual_pages_need_one_reading():
    page = "<tr><td class=\"seq\">12</td><th>回收经营者未按规定备案（第3项）</th></tr>\n<p>咨询电话：<a href=\"tel:0371-60000000\">0371-60000000</a></p>\n"
    assert len(file_texts("office.html", page.encode())) == 1
    assert len(file_texts("office.md", "1\\. 建议：告知<br>2\\. 警示：提示函\n".encode())) == 1
