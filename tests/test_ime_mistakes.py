"""Mistakes a Chinese input method makes, named as such (issue 17).

Each is typed into a copy of the base corpus and validated through the CLI, so the message and the
place are what the officer sees. (The located diagnostics of a few are also case folders under
tests/cases/.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk
from fxfk.load.yamltext import check_traps, flow_list_comma_message, flow_list_commas, unclosed_quote


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", target)
    return target


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / "data/risks/alpha.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _diagnostics(repo: Path, pure: bool = False) -> list[dict]:
    run = run_fxfk("validate", "--root", str(repo), "-f", "json", env={"FXFK_PURE_YAML": "1"} if pure else None)
    return run.json()["diagnostics"]


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_an_unclosed_quote_is_reported_where_it_starts(repo: Path, pure: bool):
    _edit(repo, "    title: 发卡企业未按规定办理单用途商业预付卡备案\n", '    title: "发卡企业未按规定办理单用途商业预付卡备案\n')
    [d] = _diagnostics(repo, pure)
    assert (d["line"], d["column"], d["code"]) == (11, 12, "unclosed-quote")
    assert "引号没有闭合" in d["message"] and "缩进" not in d["message"]


def test_an_unclosed_quote_to_the_end_of_the_file_and_a_chinese_closing_quote():
    code, message, line, column = unclosed_quote('a: 1\nb: "文字”\n')
    assert (code, line, column) == ("unclosed-quote", 2, 4)
    assert "文件末尾" in message and "中文引号" in message


def test_quoted_texts_over_several_lines_and_block_scalars_are_not_unclosed_quotes():
    assert unclosed_quote('a: "第一行\n  第二行"\nb: 1\n') is None
    assert unclosed_quote("a: |\n  他说: \"你好\n  - '再见\nb: 'x'\n") is None
    assert unclosed_quote("a: 'it''s'\nb: \"a\\\"b\"\n") is None


def test_a_full_width_comma_in_a_list_of_ids_is_named(repo: Path):
    _edit(repo, "risks: [AL-YFK-001]", "risks: [AL-YFK-001，AL-XR-001]")
    [d] = _diagnostics(repo)
    assert d["path"] == "activities[1].risks[0]" and "全角逗号" in d["message"] and "[A, B]" in d["message"]


def test_a_full_width_comma_in_a_free_text_list_is_found():
    """``parties: [企业，行业协会]`` is one item to YAML (the check that turns it into a warning is
    fxfk.load.yamltext.flow_list_commas; quoted items are meant as they are)."""
    text = 'consultation:\n  parties: [企业，行业协会]\n  other: ["甲，乙", 丙]\n'
    [(line, column, item, fixed)] = flow_list_commas(text)
    assert (line, column, item, fixed) == (2, 15, "企业，行业协会", "[企业, 行业协会]")
    assert "全角逗号" in flow_list_comma_message(item, fixed) and "[企业, 行业协会]" in flow_list_comma_message(item, fixed)


def test_chinese_quotes_are_named(repo: Path):
    _edit(repo, 'task: "3.1"', "task: “3.1”")
    [d] = _diagnostics(repo)
    assert d["path"] == "activities[0].task" and "中文引号" in d["message"] and '写成 "3.1"' in d["message"]


@pytest.mark.parametrize("written", ["High", "HIGH", "Low", "MEDIUM "])
def test_english_tokens_in_any_case(repo: Path, written: str):
    _edit(repo, "    level: low\n", f"    level: {written}\n")
    _edit(repo, "    status: draft\n", "    status: Draft\n")
    codes = {d["code"] for d in _diagnostics(repo)}
    assert "bad-enum" not in codes


def test_a_misspelt_key_is_suggested_by_what_is_missing_there(repo: Path):
    # `bases` where `basis` is missing: basis, although cases is as close
    _edit(repo, "    basis:\n      - role: violated", "    bases:\n      - role: violated")
    found = {d["code"]: d["message"] for d in _diagnostics(repo)}
    assert "是不是“basis”？" in found["unknown-field"]
    assert "“bases”是不是“basis”的笔误" in found["missing-field"]


def test_a_misspelt_key_next_to_both_candidates_names_both(repo: Path):
    _edit(repo, "    level: 中\n", "    level: 中\n    bases: x\n")
    [d] = _diagnostics(repo)
    assert "是不是“basis”或“cases”？" in d["message"]


def test_the_tab_message_says_how_many_spaces():
    [(code, message, line, column)] = check_traps("office:\n  id: a\n  kind:\n\t\tx: 1\n")
    assert code == "tab-indent" and line == 4 and "应缩进 4 个空格" in message
    [(_, message, _, _)] = check_traps("risks:\n    - id: A\n\t  title: x\n")
    assert "应缩进 6 个空格" in message and "对齐" in message  # the file's own step (4) and the item's column


def test_a_full_width_comma_in_a_free_text_list_is_a_warning_through_validate(repo: Path):
    path = repo / "data" / "risks" / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("parties: [企业, 行业协会]", "parties: [企业，行业协会]"),
                    encoding="utf-8")
    run = run_fxfk("validate", "--root", str(repo))
    assert run.code == 0
    assert "警告 fullwidth-comma-in-list" in run.out and "[企业, 行业协会]" in run.out


def test_a_file_named_in_chinese_is_told_to_use_a_pinyin_id_not_the_name(repo: Path):
    shutil.move(repo / "data" / "risks" / "alpha.yaml", repo / "data" / "risks" / "惠济区商务局.yaml")
    run = run_fxfk("validate", "--root", str(repo))
    assert run.code == 1
    assert "请把文件改名为 alpha.yaml" in run.out and "拼音" in run.out
    assert "把 id 改为" not in run.out  # id: 惠济区商务局 would itself be refused
