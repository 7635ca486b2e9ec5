"""`fxfk classify --write`: only level lines change; everything else stays byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS
from fxfk.edit.level_lines import LevelChange, edit_text, spelling
from fxfk.errors import FxfkError
from fxfk.load.yamlload import load_text
from fxfk.models import Level

CLASSIFY = CORPUS / "classify"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CLASSIFY, target)
    return target


def test_write_changes_only_the_level_lines(fxfk, repo):
    east, west = repo / "data/risks/east.yaml", repo / "data/risks/west.yaml"
    before_east, before_west = east.read_bytes(), west.read_bytes()
    assert fxfk("classify", "--root", str(repo), "-f", "json").code == 1

    run = fxfk("classify", "--root", str(repo), "--write")
    assert run.code == 0, run.err
    assert "data/risks/east.yaml:33: 修改 E-002 的 level：“低” → “中”" in run.out
    assert "data/risks/east.yaml:64: 补写 E-004 的 level：（未填写） → “高”" in run.out
    assert west.read_bytes() == before_west  # nothing to fix there

    old = before_east.decode("utf-8").splitlines(keepends=True)
    new = east.read_bytes().decode("utf-8").splitlines(keepends=True)
    # one line inserted (E-004), one line changed in place (E-002, quotes and comment kept)
    assert new[63] == "    level: 高\n"
    assert new[:63] + new[64:] != old
    changed = [(a, b) for a, b in zip(old, new[:63] + new[64:]) if a != b]
    assert changed == [("    level: '低'   # 去年定的\n", "    level: '中'   # 去年定的\n")]

    # now everything agrees, and a second --write is a no-op
    assert fxfk("classify", "--root", str(repo)).code == 0
    again = fxfk("classify", "--root", str(repo), "--write")
    assert again.code == 0 and "没有需要修改的等级" in again.out
    assert east.read_bytes().decode("utf-8").splitlines(keepends=True) == new


def test_without_write_nothing_is_written(fxfk, repo):
    def stamp():  # the data; the speed cache (.fxfk-cache, filled or not as the run pleases) aside
        return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in repo.rglob("*")
                if p.is_file() and ".fxfk-cache" not in p.relative_to(repo).parts}

    before = stamp()
    for fmt in ("text", "json"):
        fxfk("classify", "--root", str(repo), "-f", fmt)
    assert stamp() == before


def test_write_respects_filters_and_reports_json(fxfk, repo):
    run = fxfk("classify", "--root", str(repo), "--write", "--level", "高", "-f", "json")
    assert run.code == 0
    assert run.json() == [
        {"file": "data/risks/east.yaml", "line": 64, "id": "E-004", "from": None, "to": "high", "inserted": True}
    ]
    text = (repo / "data/risks/east.yaml").read_text(encoding="utf-8")
    assert "level: '低'   # 去年定的" in text  # E-002 (中/低) was not selected


def test_write_keeps_crlf_and_bom(fxfk, repo):
    east = repo / "data/risks/east.yaml"
    original = east.read_bytes().replace(b"\n", b"\r\n")
    east.write_bytes(b"\xef\xbb\xbf" + original)
    assert fxfk("classify", "--root", str(repo), "--write").code == 0
    data = east.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    inserted = "    level: 高\r\n".encode()
    at = data.rindex(inserted)  # E-004's new line (E-001 has an identical one further up)
    rest = data[:at] + data[at + len(inserted):]
    assert rest.replace("level: '中'".encode(), "level: '低'".encode()) == b"\xef\xbb\xbf" + original


# --- the line edit, unit by unit ----------------------------------------------------------------

DOC = """\
office:
  id: x
risks:
  - id: A
    factors:
      rare: true   # 偶发
{level}
    responsible: 科
  - id: B
    responsible: 科
"""


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """The line edit relies on node positions: both YAML parsers must give the same result."""
    if request.param == "pure":
        import functools

        from fxfk.edit import level_lines
        from fxfk.load import yamlload

        monkeypatch.setattr(level_lines, "load_text", functools.partial(yamlload.load_text, pure=True))
    return request.param


def edit(text: str, *changes: tuple[int, Level]) -> str:
    # The writer checks that the point at risks[i] is still the one classified, with the same level.
    risks = load_text(text, "f.yaml").data["risks"]

    def old(i: int) -> Level | None:
        return Level.lookup().get(str(risks[i].get("level")).strip())

    out, _ = edit_text(text, "f.yaml", [LevelChange("f.yaml", i, risks[i]["id"], old(i), lvl) for i, lvl in changes])
    return out


@pytest.mark.parametrize(
    "written,expected",
    [
        ("    level: high", "    level: low"),
        ("    level: 高风险", "    level: 低风险"),
        ('    level: "高"  # 注释', '    level: "低"  # 注释'),
        ("    level:", "    level: 低"),
        ("    level:   # 待定", "    level: 低   # 待定"),
        ("    level: 中高", "    level: 低"),
    ],
)
@pytest.mark.usefixtures("parser")
def test_values_are_replaced_in_the_same_spelling_and_quoting(written, expected):
    assert edit(DOC.format(level=written), (0, Level.low)) == DOC.format(level=expected)


@pytest.mark.usefixtures("parser")
def test_insertion_follows_the_file_spelling_and_the_field_order():
    text = DOC.format(level="    level: medium")
    out = edit(text, (1, Level.high))
    assert out == text.replace("  - id: B\n", "  - id: B\n    level: high\n")


@pytest.mark.usefixtures("parser")
def test_insertion_after_factors_block_and_at_end_without_trailing_newline():
    text = "risks:\n  - id: A\n    factors:\n      rare: true\n\n    cases:\n      2019: 1"
    assert edit(text, (0, Level.low)) == "risks:\n  - id: A\n    factors:\n      rare: true\n    level: 低\n\n    cases:\n      2019: 1"
    text = "risks:\n  - id: A\n    factors:\n      rare: true"
    assert edit(text, (0, Level.low)) == text + "\n    level: 低"


@pytest.mark.usefixtures("parser")
def test_flow_style_points_are_refused_not_mangled():
    with pytest.raises(FxfkError, match="单行"):
        edit("risks:\n  - {id: A, level: 中}\n", (0, Level.high))


def test_spelling():
    assert spelling("medium", Level.high, "") == "high"
    assert spelling(None, Level.high, "低风险") == "高风险"
    assert spelling(None, Level.high, "") == "高"


def test_two_level_mode_writes_low_for_medium(fxfk, repo):
    settings = repo / "fxfk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "levels: 2\n", encoding="utf-8")
    run = fxfk("classify", "--root", str(repo), "--write", "--office", "west")
    assert run.code == 0 and "W-002 的 level：“中” → “低”" in run.out
    assert "    level: low\n" in (repo / "data/risks/west.yaml").read_text(encoding="utf-8")
    assert fxfk("validate", "data/risks/west.yaml", cwd=repo).code == 0


def test_invalid_level_value_is_replaced(fxfk, repo):
    west = repo / "data/risks/west.yaml"
    west.write_text(west.read_text(encoding="utf-8").replace("    level: medium\n", "    level: 中等\n"), encoding="utf-8")
    run = fxfk("classify", "--root", str(repo), "--office", "west", "--write")
    assert run.code == 0 and "data/risks/west.yaml:30: 修改 W-002 的 level：（无效值） → “中”" in run.out
    assert "    level: medium\n" in west.read_text(encoding="utf-8")  # spelled like the file's other levels
