"""`fxfk laws` through the real CLI, `fxfk publish` refusing laws not in force, and the repository's
own data/laws.yaml covering every law its registers cite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO

CATALOGUE = """\
laws:
  - name: 单用途商业预付卡管理办法（试行）
    number: 商务部令2012年第9号
    rank: department_rule
    issuer: 商务部
    effective: 2012-11-01
    amended: [2016-08-18, 2020-05-01, 2026-03-01]
    repealed: 2030-01-01
    replaced_by: 单用途商业预付卡管理办法
  - name: 单用途商业预付卡管理办法
    rank: department_rule
    issuer: 商务部
    effective: 2030-01-01
"""

ALPHA_YFK = {
    "office": "alpha", "office_name": "甲区商务局", "risk": "AL-YFK-001",
    "title": "发卡企业未按规定办理单用途商业预付卡备案", "status": "已公布", "batch": 1,
    "batch_date": "2019-09-16", "public": True,
    "citations": [
        {"role": "违法依据", "article": "第七条", "number": "商务部令2012年第9号"},
        {"role": "处罚依据", "article": "第三十六条", "number": "商务部令2012年第9号"},
    ],
}

EXPECTED_JSON = {
    "date": "2024-06-01",
    "catalogue": "data/laws.yaml",
    "laws": [
        {
            "name": "单用途商业预付卡管理办法（试行）", "number": "商务部令2012年第9号", "rank": "部门规章",
            "issuer": "商务部", "effective": "2012-11-01", "repealed": "2030-01-01",
            "replaced_by": "单用途商业预付卡管理办法", "amended": ["2016-08-18", "2020-05-01", "2026-03-01"],
            "state": "现行有效", "points": [ALPHA_YFK],
        },
        {
            "name": "单用途商业预付卡管理办法", "number": None, "rank": "部门规章", "issuer": "商务部",
            "effective": "2030-01-01", "repealed": None, "replaced_by": None, "amended": [], "state": "尚未施行",
            "points": [],
        },
    ],
    "uncatalogued": [
        {
            "name": "洗染业管理办法", "suggestions": [],
            "points": [{
                "office": "alpha", "office_name": "甲区商务局", "risk": "AL-XR-001", "title": "洗染店未明示服务项目和收费标准",
                "status": "草稿", "batch": None, "batch_date": None, "public": False,
                "citations": [{"role": "处罚依据", "article": "第二十四条", "number": "商务部、工商总局、环境保护总局令2007年第5号"}],
            }],
        }
    ],
    "upcoming": [
        {"date": "2026-03-01", "law": "单用途商业预付卡管理办法（试行）", "change": "修订", "replaced_by": None,
         "points": [{"office": "alpha", "risk": "AL-YFK-001", "batch_date": "2019-09-16"}]},
        {"date": "2030-01-01", "law": "单用途商业预付卡管理办法（试行）", "change": "废止", "replaced_by": "单用途商业预付卡管理办法",
         "points": [{"office": "alpha", "risk": "AL-YFK-001", "batch_date": "2019-09-16"}]},
    ],
    "review": [
        {"office": "alpha", "risk": "AL-YFK-001", "batch_date": "2019-09-16", "law": "单用途商业预付卡管理办法（试行）",
         "change": "修订", "date": "2020-05-01", "message": "公布后被引用的法规已于 2020-05-01 修订 — 请复核条款序号和内容"},
    ],
}


@pytest.fixture
def repo(base_repo: Path) -> Path:
    (base_repo / "data/laws.yaml").write_text(CATALOGUE, encoding="utf-8")
    return base_repo


def laws(fxfk, repo: Path, *args: str):
    return fxfk("laws", "--root", str(repo), *args, env={"COLUMNS": "300"})  # whole lines


def test_json_exactly(fxfk, repo):
    r = laws(fxfk, repo, "--date", "2024-06-01", "--format", "json")
    assert r.code == 0, r.err
    assert r.json() == EXPECTED_JSON
    assert r.err == ""  # validate finds only warnings here: no note


def test_text_and_markdown_are_deterministic_and_say_the_same(fxfk, repo):
    first = laws(fxfk, repo, "--date", "2024-06-01")
    assert first.code == 0 and first.out == laws(fxfk, repo, "--date", "2024-06-01").out
    out = first.out
    assert "《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）" in out
    assert "alpha AL-YFK-001（已公布，2019-09-16 第1批）违法依据 第七条；处罚依据 第三十六条" in out
    assert "目录中没有的法规：1 部" in out and "alpha AL-XR-001（草稿）处罚依据 第二十四条" in out
    assert "2030-01-01 《单用途商业预付卡管理办法（试行）》废止，由《单用途商业预付卡管理办法》取代：届时 1 个已公布的风险点将引用已废止的法规 — alpha AL-YFK-001" in out
    assert "公布后被引用的法规已于 2020-05-01 修订" in out
    md = laws(fxfk, repo, "--date", "2024-06-01", "-f", "markdown").out
    assert md.startswith("# 法律法规目录及引用情况\n")
    assert "| alpha | AL-YFK-001 | 已公布 | 2019-09-16 | 违法依据 第七条；处罚依据 第三十六条 |" in md
    assert "## 目录中没有的法规" in md and "### 《洗染业管理办法》" in md


@pytest.mark.parametrize("day, state, upcoming, review", [
    ("2019-09-15", "现行有效", ["2020-05-01", "2026-03-01", "2030-01-01"], []),  # not yet public: nothing to review
    ("2029-12-31", "现行有效", ["2030-01-01"], [("修订", "2020-05-01"), ("修订", "2026-03-01")]),
    ("2030-01-01", "已废止", [], [("修订", "2020-05-01"), ("修订", "2026-03-01"), ("废止", "2030-01-01")]),
])
def test_date_decides_state_upcoming_and_review(fxfk, repo, day, state, upcoming, review):
    doc = laws(fxfk, repo, "--date", day, "-f", "json").json()
    assert doc["laws"][0]["state"] == state
    assert [c["date"] for c in doc["upcoming"]] == upcoming
    assert [(r["change"], r["date"]) for r in doc["review"]] == review
    if day == "2019-09-15":
        assert doc["laws"][0]["points"][0]["public"] is False
        assert "（已公布，计划于 2019-09-16 第1批）" in laws(fxfk, repo, "--date", day).out


def test_law_option_matches_loosely(fxfk, repo):
    doc = laws(fxfk, repo, "--law", "预付卡", "-f", "json", "--date", "2024-06-01").json()
    assert [x["name"] for x in doc["laws"]] == ["单用途商业预付卡管理办法（试行）", "单用途商业预付卡管理办法"]
    assert doc["uncatalogued"] == []
    doc = laws(fxfk, repo, "--law", "洗然业管理办法", "-f", "json").json()  # a typo; cited, not catalogued
    assert doc["laws"] == [] and [x["name"] for x in doc["uncatalogued"]] == ["洗染业管理办法"]
    # exact names, fragments and typos in detail: test_laws.py::test_match_laws


def test_law_option_without_match_suggests_and_exits_2(fxfk, repo):
    r = laws(fxfk, repo, "--law", "商业预付卡备案办法")
    assert r.code == 2 and r.out == ""
    assert "没有与“商业预付卡备案办法”相符的法规" in r.err and "《单用途商业预付卡管理办法》" in r.err
    r = laws(fxfk, repo, "--law", "拍卖")
    assert r.code == 2 and "不带 --law" in r.err and "Traceback" not in r.err


def test_unused(fxfk, repo):
    doc = laws(fxfk, repo, "--unused", "-f", "json").json()
    assert [x["name"] for x in doc["laws"]] == ["单用途商业预付卡管理办法"]
    assert doc["uncatalogued"] == [] and doc["upcoming"] == [] and doc["review"] == []
    out = laws(fxfk, repo, "--unused").out
    assert out.startswith("法规目录中没有风险点引用的法规") and "AL-YFK-001" not in out


def test_without_catalogue_lists_what_is_cited(fxfk, base_repo):
    doc = laws(fxfk, base_repo, "-f", "json").json()
    assert doc["catalogue"] is None and doc["laws"] == []
    assert [x["name"] for x in doc["uncatalogued"]] == ["单用途商业预付卡管理办法（试行）", "洗染业管理办法"]


def test_refuses_unreadable_files_and_notes_check_errors(fxfk, repo):
    (repo / "data/laws.yaml").write_text(CATALOGUE.replace("repealed: 2030-01-01", "repealed: 2019-09-01"), encoding="utf-8")
    r = laws(fxfk, repo, "--date", "2024-06-01")
    assert r.code == 0 and "校验错误" in r.err  # a published point citing a repealed law: listed, and noted
    (repo / "data/laws.yaml").write_text("laws:\n  - name: x\n    rank: 宪法\n", encoding="utf-8")
    r = laws(fxfk, repo)
    assert r.code == 1 and r.out == "" and "data/laws.yaml:3:11" in r.err and "bad-enum" in r.err
    r = laws(fxfk, repo, "--date", "2019-02-30")
    assert r.code == 2 and "--date" in r.err


def test_help_has_an_example(fxfk):
    r = fxfk("laws", "--help")
    assert r.code == 0 and "fxfk laws --law 预付卡" in r.out


# --- publish -------------------------------------------------------------------------------------


def test_publish_refuses_a_law_written_differently_in_the_catalogue(fxfk, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "publish", repo)
    # 《》, a full-width space and half-width brackets: still the law west.yaml cites.
    (repo / "data/laws.yaml").write_text(
        "laws:\n  - name: 《商业特许经营管理条例　》\n    rank: 行政法规\n    effective: 2007-05-01\n"
        "    repealed: 2020-01-01\n", encoding="utf-8")
    out = tmp_path / "public"
    args = ("publish", "--root", str(repo), "--out", str(out), "-f", "md")
    assert fxfk(*args, "--date", "2019-12-31").code == 0
    r = fxfk(*args, "--date", "2020-01-01")
    assert r.code == 1 and "law-repealed" in r.err and "《商业特许经营管理条例》已于 2020-01-01 废止" in r.err
    assert "公布日期 2020-01-01 的清单不能引用已失效的法规" in r.err


# --- the repository's own data -------------------------------------------------------------------


def test_repository_catalogue_covers_every_cited_law(fxfk):
    doc = fxfk("laws", "--root", str(REPO), "--date", "2024-06-01", "-f", "json").json()
    assert doc["catalogue"] == "data/laws.yaml"
    assert doc["uncatalogued"] == []
    cited = [x["name"] for x in doc["laws"] if x["points"]]
    assert "报废机动车回收管理办法" in cited and "单用途商业预付卡管理办法（试行）" in cited
    assert all(x["state"] == "现行有效" for x in doc["laws"] if x["points"])
    v = fxfk("validate", "--root", str(REPO), "--format", "json").json()
    law_codes = {"unknown-law", "law-repealed", "law-not-yet-effective", "law-number-mismatch", "coercion-rank",
                 "coercion-local-regulation", "law-repealed-after-publication", "duplicate-law",
                 "law-repealed-before-effective", "law-amended-outside-validity", "unknown-successor"}
    assert [d for d in v["diagnostics"] if d["code"] in law_codes] == []
    assert v["errors"] == 0


def test_laws_loads_with_the_commands_options(fxfk, repo, tmp_path):
    """fxfk laws validates as every command does: FXFK_* variables and the cache apply, same output."""
    plain = laws(fxfk, repo, "--date", "2024-06-01", "-f", "json")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "FXFK_NO_CACHE": "0"}
    cold = fxfk("laws", "--root", str(repo), "--date", "2024-06-01", "-f", "json", env=env)
    assert any((repo / ".fxfk-cache").rglob("*.s"))
    warm = fxfk("laws", "--root", str(repo), "--date", "2024-06-01", "-f", "json", env=env)
    assert plain.out == cold.out == warm.out and plain.code == cold.code == warm.code
