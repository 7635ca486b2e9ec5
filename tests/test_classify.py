"""`fxfk classify` through the real CLI, on tests/corpus/classify (east: agree / disagree /
explained / missing; west: agrees; hotspot top and rise; one cross-office inconsistency)."""

from __future__ import annotations

import csv
import functools
import io
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, run_fxfk

CLASSIFY = CORPUS / "classify"


WIDE = {"COLUMNS": "300"}


@functools.lru_cache(maxsize=None)
def on_corpus(*args: str):
    """Runs on the read-only corpus are shared between tests: each costs a process start."""
    # A wide terminal: these tests read whole lines and the table (at 80 columns it becomes blocks,
    # tests/test_cli_width.py).
    return run_fxfk("classify", "--root", str(CLASSIFY), *args, env=WIDE)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CLASSIFY, target)
    return target


def by_id(rows):
    return {r["id"]: r for r in rows}


def test_json_shape_and_verdicts(fxfk):
    run = on_corpus("-f", "json")
    assert run.code == 1, run.err  # E-002 disagrees without a reason, E-004 has no level
    rows = run.json()
    assert [r["id"] for r in rows] == ["E-001", "E-002", "E-003", "E-004", "W-001", "W-002"]
    required = {"office", "id", "title", "declared", "computed", "clause", "facts", "agrees"}
    assert all(required <= set(r) for r in rows)
    rows = by_id(rows)
    assert {k: rows["E-001"][k] for k in required} == {
        "office": "east", "id": "E-001", "title": "未取得资质擅自从事报废机动车回收",
        "declared": "high", "computed": "high", "clause": "附件1 一（一）", "facts": ["coercion"], "agrees": True,
    }
    assert rows["E-001"]["overridden"] == ["rare"]
    assert (rows["E-002"]["declared"], rows["E-002"]["computed"], rows["E-002"]["agrees"], rows["E-002"]["status"]) == (
        "low", "medium", False, "disagrees")
    assert rows["E-002"]["clause"] == "附件1 一（三）" and rows["E-002"]["facts"] == []
    assert (rows["E-003"]["declared"], rows["E-003"]["computed"], rows["E-003"]["status"]) == ("high", "low", "explained")
    assert rows["E-003"]["agrees"] is False and rows["E-003"]["facts"] == ["simple_procedure"]
    assert (rows["E-004"]["declared"], rows["E-004"]["computed"], rows["E-004"]["status"]) == (None, "high", "missing")
    assert rows["W-002"]["status"] == "agrees" and rows["W-002"]["declared"] == "medium"


def test_json_carries_the_warnings_of_each_point(fxfk):
    rows = by_id(on_corpus("-f", "json").json())
    codes = {rid: sorted(w["code"] for w in r["warnings"]) for rid, r in rows.items()}
    assert codes == {
        "E-001": ["hotspot-top"],
        "E-002": ["hotspot-rise", "inconsistent-level"],
        "E-003": [],
        "E-004": [],  # marked as hotspot already
        "W-001": ["hotspot-top", "inconsistent-level"],
        "W-002": ["hotspot-rise"],
    }


def test_text_table_explanations_counts_and_warnings(fxfk):
    run = on_corpus()
    assert run.code == 1
    out = run.out
    assert "东区商务局（east，data/risks/east.yaml）" in out
    # the clause that decided, in the notice's words, and the facts
    assert "「实施……行政强制措施、行政强制执行的违法行为」——coercion" in out
    assert "同时符合附件1 一（二）（rare），但高风险条款优先" in out
    assert "「某一时段、某一地域、某一行业易发、高发、多发的违法行为」——hotspot: 2019年东区拍卖行集中开业，未备案高发" in out
    assert "申报等级“低”与规则等级“中”不同，且没有 level_reason" in out and "data/risks/east.yaml:33:12" in out
    assert "已在 level_reason 中说明：本区洗染店集中" in out
    assert "没有填写有效的 level；按规则应为“高”" in out
    assert "等级统计：申报 高 2、中 0、低 1、未填写 1；规则 高 2、中 1、低 1" in out
    assert "自动预警" in out and "排第 1 位" in out and "2.7 倍" in out
    # east writes "(试行)" half-width, west "（试行）": one law (law_key), shown as first written (east)
    assert "处罚依据 《单用途商业预付卡管理办法(试行)》第三十六条" in out
    assert out.rstrip().endswith("共 6 个风险点：一致 3，有说明 1，不一致 1，未填写 1；自动预警 4 条，跨单位定级不一致 1 组")


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_text_columns_line_up_with_chinese(fxfk):
    lines = on_corpus().out.splitlines()
    start = lines.index("东区商务局（east，data/risks/east.yaml）") + 1
    table = lines[start:start + 5]
    assert table[0].split() == ["ID", "违法风险点", "申报等级", "规则等级", "依据条款", "结论"]
    for heading in ("申报等级", "规则等级", "依据条款", "结论"):
        col = _display_width(table[0][: table[0].index(heading)])
        # every row has a cell starting at the same display column, preceded by a space
        for row in table[1:]:
            prefix = ""
            for ch in row:
                if _display_width(prefix) >= col:
                    break
                prefix += ch
            assert _display_width(prefix) == col and prefix.endswith(" "), (heading, row)
    city = lines.index("全市等级统计")
    widths = {_display_width(line) for line in lines[city + 1: city + 5]}
    assert len(widths) == 1, lines[city + 1: city + 5]


def test_exit_zero_when_everything_agrees_or_is_explained(fxfk):
    run = on_corpus("--office", "west")
    assert run.code == 0, run.out
    assert "东区商务局" not in run.out.split("自动预警")[0]
    # E-003 disagrees but is explained
    run = on_corpus("--domain", "洗染", "-f", "json")
    assert run.code == 0 and [r["id"] for r in run.json()] == ["E-003"]


def test_level_filter_matches_declared_or_rule_level(fxfk):
    rows = on_corpus("--level", "中", "-f", "json").json()
    assert [r["id"] for r in rows] == ["E-002", "W-002"]  # E-002: rule 中, declared 低
    rows = on_corpus("--level", "low", "-f", "json").json()
    assert [r["id"] for r in rows] == ["E-002", "E-003"]


def test_filters_do_not_change_the_city_wide_ranking(fxfk):
    rows = on_corpus("--office", "west", "-f", "json").json()
    [top] = [w for w in by_id(rows)["W-001"]["warnings"] if w["code"] == "hotspot-top"]
    assert "排第 2 位" in top["message"]
    # the inconsistency names the other office even when only west is shown
    assert any("east" in w["message"] for w in by_id(rows)["W-001"]["warnings"])


@pytest.mark.parametrize(
    "args,needle",
    [
        (("--office", "nowhere"), "没有单位“nowhere”的登记册；已有单位：east、west"),
        (("--level", "极高"), "--level“极高”无效"),
        (("--domain", "典当"), "没有领域为“典当”的风险点"),
    ],
)
def test_bad_options_are_usage_errors(fxfk, args, needle):
    run = on_corpus(*args)
    assert run.code == 2 and needle in run.err and "Traceback" not in run.err


def test_csv_and_markdown(fxfk):
    run = on_corpus("-f", "csv")
    assert run.out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(run.out.lstrip("\ufeff"))))
    assert rows[0][:8] == ["单位标识", "单位", "编号", "违法风险点", "领域", "申报等级", "规则等级", "依据条款"]
    assert rows[2][2] == "E-002" and rows[2][5:8] == ["低", "中", "附件1 一（三）"] and rows[2][9] == "不一致"
    assert len(rows) == 7
    md = on_corpus("-f", "markdown").out
    assert "| E-003 | 洗染店未明示服务项目和收费标准 | 高 | 低 |" in md and "## 跨单位定级一致性" in md


def test_output_is_deterministic(fxfk):
    for fmt in ("text", "csv"):  # json and markdown come from the same rows
        a = on_corpus("-f", fmt)
        b = fxfk("classify", "--root", str(CLASSIFY), "-f", fmt, env=WIDE)
        assert a.out == b.out and a.out


def test_two_level_mode(fxfk, repo):
    settings = repo / "fxfk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "levels: 2\n", encoding="utf-8")
    run = fxfk("classify", "--root", str(repo), "-f", "json")
    rows = by_id(run.json())
    assert {r["computed"] for r in rows.values()} <= {"high", "low"}
    assert rows["E-002"]["computed"] == "low" and rows["E-002"]["clause"] == "本单位两级划分（levels: 2）"
    assert rows["E-002"]["clause_quoted"] is False and "「" not in rows["E-002"]["clause_text"]
    assert rows["E-002"]["status"] == "agrees"  # declared 低 is right with two levels
    assert rows["W-002"]["status"] == "disagrees"  # 中 is not a level in two-level mode
    text = fxfk("classify", "--root", str(repo), env=WIDE).out
    assert "申报中" not in text and "规则中" not in text
    assert "两级划分（levels: 2）不能使用“中”" in text
    # the local rule is named as this repository's setting, never quoted as the notice's words
    assert "本单位的两级划分（fxfk.yaml levels: 2，只分高、低：高风险以外的归为低风险）——没有设定" in text
    assert "（两级划分）「" not in text
    assert fxfk("classify", "--root", str(repo), "--level", "中").code == 2


def test_validate_shows_the_warnings(fxfk, repo):
    # validate skips a register that does not fit the model: give E-004 its level first
    east = repo / "data" / "risks" / "east.yaml"
    east.write_text(east.read_text(encoding="utf-8").replace("    responsible: 东区商务局市场科\n\n", "    level: 高\n    responsible: 东区商务局市场科\n\n"), encoding="utf-8")
    run = fxfk("validate", "--root", str(repo), "-f", "json")
    found = sorted((d["file"], d["code"], d["severity"]) for d in run.json()["diagnostics"] if d["severity"] == "warning")
    assert found == [
        ("data/risks/east.yaml", "hotspot-rise", "warning"),
        ("data/risks/east.yaml", "hotspot-top", "warning"),
        ("data/risks/east.yaml", "inconsistent-level", "warning"),
        ("data/risks/west.yaml", "hotspot-rise", "warning"),
        ("data/risks/west.yaml", "hotspot-top", "warning"),
    ]  # one finding per conduct, at its first point of the least common level (here east's)


def test_the_base_corpus_has_no_warnings(fxfk):
    run = fxfk("validate", "--root", str(CORPUS / "base"))
    assert run.code == 0 and "0 个警告" in run.out


def test_unreadable_register_blocks_with_the_errors(fxfk, repo):
    (repo / "data" / "risks" / "west.yaml").write_text("office:\n  id: west\n  name: 西区\n  kind: county\nrisks:\n  - id: W-1\n    title: x\n", encoding="utf-8")
    run = fxfk("classify", "--root", str(repo), "-f", "json")
    assert run.code == 1 and run.out == ""
    assert "无法可靠地分级" in run.err and "data/risks/west.yaml:6:5" in run.err


def test_ambiguous_ids_block_and_nothing_else_of_validate_does(fxfk, repo):
    """A risk id used twice (or an office id) makes rows indistinguishable: refused with its location.
    Other repository-wide findings (an office id unlike its file name) are validate's, not classify's."""
    west = repo / "data" / "risks" / "west.yaml"
    first_west = next(line.split(":", 1)[1].strip() for line in west.read_text(encoding="utf-8").splitlines()
                      if line.startswith("  - id:"))
    west.write_text(west.read_text(encoding="utf-8").replace(f"  - id: {first_west}\n", "  - id: E-001\n", 1),
                    encoding="utf-8")
    run = fxfk("classify", "--root", str(repo), "-f", "json")
    assert run.code == 1 and run.out == ""
    assert "无法可靠地分级" in run.err and "duplicate-risk-id" in run.err and "data/risks/west.yaml:" in run.err

    west.write_text(west.read_text(encoding="utf-8").replace("  - id: E-001\n", f"  - id: {first_west}\n", 1),
                    encoding="utf-8")
    west.rename(west.with_name("west-office.yaml"))
    assert fxfk("validate", "--root", str(repo)).code == 1  # office-id-file-name
    assert fxfk("classify", "--root", str(repo), "-f", "json").code in (0, 1)
    run = fxfk("classify", "--root", str(repo), "-f", "json")
    assert "无法可靠地分级" not in run.err


def test_errors_elsewhere_do_not_block(fxfk, repo):
    tasks = repo / "data" / "tasks"
    tasks.mkdir()
    (tasks / "2019.yaml").write_text("year: 2019\ntitle: 表\ntasks:\n  - id: '1'\n    item: a\n    content: b\n    deadline: 某天\n", encoding="utf-8")
    assert fxfk("validate", "--root", str(repo)).code == 1
    assert fxfk("classify", "--root", str(repo), "--office", "west").code == 0


def test_help_has_an_example(fxfk):
    run = fxfk("classify", "--help")
    assert run.code == 0 and "示例" in run.out and "fxfk classify --write" in run.out


@pytest.mark.skipif(not (REPO / "data" / "risks").is_dir(), reason="repository data not present")
def test_repository_data_exercises_a_hotspot_and_an_inconsistency(fxfk):
    rows = fxfk("classify", "--root", str(REPO), "-f", "json").json()
    codes = {w["code"] for r in rows for w in r["warnings"]}
    assert codes & {"hotspot-top", "hotspot-rise"}, "data/ has no hotspot warning"
    assert "inconsistent-level" in codes, "data/ has no cross-office inconsistency"


def test_one_grouped_finding_per_conduct_however_many_points(tmp_path: Path):
    """60 offices cite one penalty article at different levels: one warning of bounded length (levels
    with counts, a few examples), not 60 warnings each naming all 60 points; classify's JSON has them all."""
    root = tmp_path / "province"
    shutil.copytree(CORPUS / "base", root)
    levels = ["高", "中", "低"]
    for n in range(60):
        (root / "data/risks" / f"o{n:03d}.yaml").write_text(
            f"office:\n  id: o{n:03d}\n  name: 第{n}县商务局\n  kind: county\nrisks:\n"
            f"  - id: O{n:03d}-001\n    title: 洗染店未明示收费标准\n    domain: 洗染\n    basis:\n"
            f"      - role: penalty\n        law: 洗染业管理办法\n        article: 第二十四条\n"
            f"    level: {levels[0] if n < 50 else levels[1 + n % 2]}\n    level_reason: 本地情况\n"
            f"    responsible: 第{n}县商务局\n    status: draft\n",
            encoding="utf-8",
        )
    found = [d for d in run_fxfk("validate", "--root", str(root), "-f", "json").json()["diagnostics"]
             if d["code"] == "inconsistent-level"]
    [d] = found
    # 61 points: alpha's AL-XR-001 (低) too
    assert "在 61 个单位的 61 个风险点中定级不同（高 50 个、中 5 个、低 6 个）" in d["message"], d["message"]
    assert "另有 56 个，完整列表见 fxfk classify --format json" in d["message"] and len(d["message"]) < 600
    assert d["file"] == "data/risks/o050.yaml"  # the first point of the least common level (中)
    rows = run_fxfk("classify", "--root", str(root), "-f", "json").json()
    flagged = [r for r in rows if any(w["code"] == "inconsistent-level" for w in r["warnings"])]
    assert len(flagged) == 61


def test_a_county_repository_ranks_its_own_area(tmp_path):
    """Warnings say 全县 for a county bureau's repository, as validate does (area_word)."""
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "classify", repo)
    settings = repo / "fxfk.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("测试市商务局", "中牟县商务局"), encoding="utf-8")
    out = run_fxfk("classify", "--root", str(repo)).out
    assert "在全县 6 个风险点中排第 1 位" in out and "在全市" not in out
