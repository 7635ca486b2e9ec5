"""Unit tests of fxfk.render.escaping over the whole shared table of hostile strings, one per format."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fxfk.render import escaping  # noqa: E402
from hostile import BY_NAME, HOSTILE  # noqa: E402

IDS = [h.name for h in HOSTILE]
# Extra strings of this file (not in hostile.py): block starts and bare links.
EXTRA = (
    "-2 个列表", "+ 列表", "1. 有序", "2) 有序", "---", "===", "> 引用", "    缩进代码", "```", "~~~",
    "| 表 | 格 |", "[引用]: https://evil.example", "https://evil.example/pay", "www.evil.example",
    "`` ` ``", "\\", "第1.2条", "__init__", "_甲_", "a_b_c", "2.2", "-", "==", "甲\u2028# 标题", "甲\u2029# 标题", "甲\x85# 标题", "甲\r\n# 标题",
)
ALL_TEXTS = [h.text for h in HOSTILE] + list(EXTRA)


def render(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def visible(rendered: str) -> str:
    """The text a reader sees: tags dropped (``<br>`` as a line break), entities decoded."""
    text = re.sub(r"<br\s*/?>", "\n", rendered)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def expected_text(value: str) -> str:
    parts = re.split("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", value)
    return "\n".join(escaping.terminal(p).strip() for p in parts)


# Each context puts the value where data goes in fxfk's Markdown: the tags the context itself makes.
CONTEXTS = {
    "line-start": ("{}\n", ()),
    "heading": ("# {}\n", ("h1",)),
    "list-item": ("- 甲 {}\n", ("ul", "li")),
    "table": ("| 序号 | 名称 |\n|---|---|\n| 1 | {} |\n", ("table", "thead", "tbody", "tr", "th", "td")),
    "paragraph": ("前文 {} 后文\n", ()),
}


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize("text", ALL_TEXTS, ids=IDS + [f"extra-{k}" for k in range(len(EXTRA))])
def test_markdown_renders_data_as_literal_text(text, context):
    template, own = CONTEXTS[context]
    rendered = render(template.format(escaping.md(text)))
    tags = set(re.findall(r"<([a-z0-9]+)", rendered)) - {"br", "p"} - set(own)
    assert not tags, f"{context}: data made markup {tags}: {rendered!r}"
    assert "<p>" not in rendered or context in ("line-start", "paragraph"), rendered
    assert not re.search(r"<[^>]*\b(href|src)=", rendered)
    # Readable and lossless: the reader sees the value itself (controls as visible escapes).
    shown = visible(rendered).strip()
    want = expected_text(text)
    assert want.strip("\n") in shown, (shown, want)


def test_markdown_leaves_cjk_and_plain_text_alone():
    text = "违反《单用途商业预付卡管理办法（试行）》第七条，咨询电话 0371-66660001：未备案（2019年）"
    assert escaping.md(text) == text
    assert escaping.md("甲\n乙") == "甲<br>乙"
    assert escaping.md("a\n") == "a<br>"  # a trailing newline of a YAML block keeps its <br>
    assert escaping.md("level_reason 2.2 -2+3 =1") == "level_reason 2.2 -2+3 =1"  # cannot be markup here


def test_markdown_code_span_cannot_be_closed():
    for text in ALL_TEXTS:
        rendered = render(f"见 {escaping.md_code(text)}\n")
        assert rendered.count("<code>") == 1 and "<a " not in rendered and "<img" not in rendered, rendered


@pytest.mark.parametrize("h", [h for h in HOSTILE if "formula" in h.attacks], ids=lambda h: h.name)
def test_csv_cell_neutralises_formulas(h):
    cell = escaping.csv_cell(h.text)
    if h.text.startswith("＝"):
        assert cell == h.text  # a full-width equals sign is not a formula to Excel or LibreOffice
        return
    assert cell == "'" + h.text
    buf = io.StringIO()
    csv.writer(buf).writerow([cell])
    assert next(csv.reader(io.StringIO(buf.getvalue())))[0][0] == "'"


def test_csv_cell_keeps_numbers_and_ordinary_text():
    assert escaping.csv_cell(-3) == -3 and escaping.csv_cell(2.5) == 2.5
    for text in ("0371-66660001", "东区", "2019-09-16", "第七条", ""):
        assert escaping.csv_cell(text) == text


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_terminal_text_has_no_control_or_bidi_characters(h):
    out = escaping.terminal(h.text)
    bad = [c for c in out if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
           or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]
    assert not bad, repr(out)
    if "terminal" in h.attacks or "control" in h.attacks:
        assert out != h.text and "\\x" in out or "\\u" in out


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_github_data_and_property_stay_on_one_command(h):
    line = f"::error file={escaping.gh_property(h.text)},title={escaping.gh_property(h.text)}::{escaping.gh_data(h.text)}"
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    props = line[len("::error "):line.index("::", 2)]
    assert props.count(",") == 1 and props.count("=") >= 2
    assert "%" not in escaping.gh_data(h.text).replace("%25", "").replace("%0A", "").replace("%0D", "")


def test_github_escapes_are_the_documented_ones():
    assert escaping.gh_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escaping.gh_property("a,b:c") == "a%2Cb%3Ac"
    assert escaping.gh_data(BY_NAME["gh-command-encoded"].text) == "%250A::error::伪造"


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_xml_text_is_well_formed(h):
    root = ET.Element("a", message=escaping.xml_text(h.text))
    root.text = escaping.xml_text(h.text)
    parsed = ET.fromstring(ET.tostring(root, encoding="unicode"))
    # XML parsers turn a raw CR into LF: the same text otherwise.
    assert parsed.text == escaping.xml_text(h.text).replace("\r", "\n")


@pytest.mark.parametrize("h", HOSTILE, ids=IDS)
def test_json_text_is_the_same_value_without_raw_controls(h):
    doc = escaping.json_text(json.dumps({"title": h.text}, ensure_ascii=False))
    assert json.loads(doc) == {"title": h.text}
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", doc.replace("\n", ""))
