"""The text of `fxfk classify` as it is streamed (office by office) and the aligned-table layout under
it: the fast paths must give exactly what the plain rules give."""

from __future__ import annotations

import random
import unicodedata

import pytest

from conftest import CORPUS, run_fxfk
from fxfk.render import text
from fxfk.render.classify import render_text, text_chunks

CLASSIFY = CORPUS / "classify"


def _rule_width(s: str) -> int:
    """The width rule itself (render/text.py's docstring): two columns for W and F, none for colours."""
    s = text._SGR.sub("", s)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def test_width_is_the_east_asian_width_rule():
    # Every character of the Basic Multilingual Plane, alone and amid CJK and ASCII (the fast path for
    # ASCII-and-CJK text, the translate table for the rest).
    for code in range(0x10000):
        c = chr(code)
        for s in (c, f"a{c}中", f"中{c}"):
            assert text.width(s) == _rule_width(s), hex(code)
    for s in ("", "abc", "未取得资质（第2项）", "“引号”—…", "😀中", "\033[1m高\033[0m", "e\u0301", "\u200b中"):
        assert text.width(s) == _rule_width(s), s


_ALPHABET = [*"ab Z9-中文（）、，“”—…·é\u0301\u200b😀\t", "\033[1m", "\033[0m", "ｱ", "가"]
_CJK_AND_ASCII = [*"ab Z9-~中文（）、，가\u3000"]  # (widths from the UTF-8 length)


def _cell(rng: random.Random, alphabet: list[str]) -> str | text.Styled:
    s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
    return text.Styled(s, "red") if rng.random() < 0.02 else s


@pytest.mark.parametrize("seed", range(4))
def test_aligned_columns_equal_cell_by_cell(seed):
    """The column-at-a-time layout of plain strings gives the cell-by-cell lines, byte for byte."""
    rng = random.Random(seed)
    fast = 0
    for _ in range(500):
        n = rng.randint(1, 6)
        alphabet = rng.choice([_ALPHABET, _CJK_AND_ASCII])
        rows = [[_cell(rng, alphabet) for _ in range(n)] for _ in range(rng.randint(1, 8))]
        right = set(rng.sample(range(n), rng.randint(0, n)))
        least = [rng.randint(0, 9) for _ in range(rng.randint(0, n))]
        indent = rng.choice(["", "  ", "    "])
        got = text._aligned(rows[0], rows[1:], indent, right, least)
        assert got == text._aligned_cells(rows, indent, right, least), rows
        fast += all(type(c) is str for r in rows for c in r)
    assert fast > 300  # (most tables took the fast path, half of them with only ASCII and CJK)


def test_table_lines_line_up():
    lines = text.table(["ID", "名称", "数"], [["A-1", "报废机动车回收", "3"], ["B-22", "洗染", "12"]], right={2})
    assert lines == [
        "  ID    名称            数",
        "  A-1   报废机动车回收   3",
        "  B-22  洗染            12",
    ]
    assert len({text.width(line) for line in lines}) == 1


@pytest.mark.parametrize("columns", [None, 60])
def test_text_chunks_are_whole_lines_of_the_report(columns):
    import fxfk

    c = fxfk.classify(CLASSIFY)
    chunks = list(text_chunks(c, columns))
    assert len(chunks) == 2 + 1  # east, west, then the city-wide part
    assert all(chunk.endswith("\n") for chunk in chunks)
    assert chunks[0].startswith("东区商务局（east，data/risks/east.yaml）\n")
    assert "".join(chunks) == render_text(c, columns=columns)
    assert chunks[-1].startswith("全市等级统计\n") and "\n共 6 个风险点" in chunks[-1]


def test_no_rows_says_so_and_has_no_counts():
    import fxfk

    c = fxfk.classify(CLASSIFY, offices=["west"], level="低")
    out = render_text(c)
    assert c.rows == [] and out.startswith("没有符合条件的风险点\n自动预警")
    assert "全市等级统计" not in out and out.endswith("共 0 个风险点：一致 0，有说明 0，不一致 0，未填写 0；自动预警 0 条，跨单位定级不一致 0 组\n")


@pytest.mark.parametrize("env", [{"COLUMNS": "300"}, {"COLUMNS": "50"}])
def test_streamed_text_is_the_text_written_to_a_file(tmp_path, env):
    """Standard output gets the text office by office; --output the whole: the same text (unwrapped)."""
    target = tmp_path / "out.txt"
    written = run_fxfk("classify", "--root", str(CLASSIFY), "--output", str(target), env=env)
    shown = run_fxfk("classify", "--root", str(CLASSIFY), env={"COLUMNS": "100000"})
    assert written.code == shown.code == 1  # (the corpus has a disagreement)
    assert shown.out == target.read_text(encoding="utf-8")
    narrow = run_fxfk("classify", "--root", str(CLASSIFY), env=env)
    import fxfk

    assert narrow.out == render_text(fxfk.classify(CLASSIFY), columns=int(env["COLUMNS"]))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_file_gets_the_text_piece_by_piece(tmp_path, fmt, monkeypatch):
    """--output writes text and JSON as they are made, never the whole at once: the same bytes as stdout."""
    from fxfk.render import classify as render

    def whole(*args, **kwargs):
        raise AssertionError("the whole text was built")

    target = tmp_path / f"out.{fmt}"
    shown = run_fxfk("classify", "--root", str(CLASSIFY), "-f", fmt, env={"COLUMNS": "100000"})
    monkeypatch.setattr(render, "render", whole)
    written = run_fxfk("classify", "--root", str(CLASSIFY), "-f", fmt, "--output", str(target))
    assert written.code == shown.code == 1, written.err
    assert target.read_text(encoding="utf-8") == shown.out
