"""fxfk import: an office's existing Excel/Word risk list into register drafts, losing nothing.

Every fixture is built here with openpyxl/python-docx in a shape real lists have: a merged title
row, a 填报单位 row, merged domain cells, two header rows, numbered multi-line cells, a Word file
with two tables and text between them.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_fxfk
from fxfk.edit.import_map import parse_level, split_basis, split_numbered
from fxfk.models import Level

LAW = "单用途商业预付卡管理办法（试行）"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "fxfk.yaml", root / "fxfk.yaml")
    return root


def register(root: Path, office: str) -> dict:
    return yaml.safe_load((root / f"data/risks/{office}.yaml").read_text("utf-8"))


def by_title(reg: dict) -> dict[str, dict]:
    return {r["title"]: r for r in reg["risks"]}


def citations(risk: dict) -> list[tuple[str, str]]:
    return [(b["law"], b["article"]) for b in risk["basis"]]


def measures(risk: dict) -> list[tuple[str, str]]:
    return [(m["kind"], m["text"]) for m in risk["measures"]]


# --- fixture 1: merged title, 填报单位 row, merged domain cells, numbered measures ------------------


def county_list(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "风险点清单"
    ws.append(["惠济区商务局违法风险点清单"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：惠济区商务局　　　日期：2019年8月1日"])
    ws.merge_cells("A2:H2")
    ws.append(["序号", "违法风险点", "所属领域", "风险等级", "法律依据", "防控措施", "责任科室", "备注"])
    ws.append([1, "发卡企业未按规定办理备案", "单用途商业预付卡", "高", f"《{LAW}》第七条、第三十六条",
               "1．加强备案政策宣传。2．对新开业门店上门告知备案义务。3．定期检查", "市场科", "2018年投诉较多"])
    ws.append([2, "发卡企业未公示单用途卡章程", None, "较大风险",
               f"依据《{LAW}》第十四条：发卡企业或售卡企业应公示或向购卡人提供单用途卡章程。",
               "1．发放示范文本\n2．指导企业在收银台公示章程", "市场科", None])
    ws.merge_cells("C4:C5")  # the domain spans both points
    ws.append([3, "拍卖企业未按规定备案", "拍卖", "特别", "拍卖法有关规定", "张贴告示；约谈负责人", None, None])
    return _save(wb, path)


def _save(wb, path: Path) -> Path:
    wb.save(path)
    return path


def test_merged_title_and_domain_cells_numbered_measures(repo: Path, tmp_path: Path):
    src = county_list(tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", cwd=repo)
    assert run.code == 0, run.err
    reg = register(repo, "huiji")
    assert reg["office"] == {"id": "huiji", "name": "惠济区商务局", "kind": "county"}  # from 填报单位
    points = by_title(reg)
    assert list(points) == ["发卡企业未按规定办理备案", "发卡企业未公示单用途卡章程", "拍卖企业未按规定备案"]
    a, b, c = points.values()
    assert [a["id"], b["id"], c["id"]] == ["HUIJI-001", "HUIJI-002", "HUIJI-003"]
    assert a["domain"] == b["domain"] == "单用途商业预付卡"  # the merged cell belongs to both rows
    assert c["domain"] == "拍卖"
    assert (a["level"], b["level"]) == ("高", "中")
    assert citations(a) == [(LAW, "第七条"), (LAW, "第三十六条")]
    assert all(x["role"] == "penalty" for x in a["basis"])  # 法律依据 does not say: penalty, with a note
    assert citations(b) == [(LAW, "第十四条")]
    assert b["basis"][0]["excerpt"] == "发卡企业或售卡企业应公示或向购卡人提供单用途卡章程。"
    assert measures(a) == [("publicize", "加强备案政策宣传。"), ("warn", "对新开业门店上门告知备案义务。"), ("other", "定期检查")]
    assert measures(b) == [("publicize", "发放示范文本"), ("guide", "指导企业在收银台公示章程")]
    assert (a["responsible"], b["responsible"]) == ("市场科", "市场科")
    assert c["responsible"] == "惠济区商务局"  # no responsible unit: the office, reported
    assert all(r["status"] == "draft" and r["factors"] == {} for r in reg["risks"])
    # c: unknown level word, basis without 《》, measures not split: all in the report, nothing lost
    assert c["basis"][0]["excerpt"] == "拍卖法有关规定"
    assert measures(c) == [("publicize", "张贴告示；约谈负责人")]
    assert "风险等级“特别”无法识别" in run.out
    assert "没有可识别的《法规名称》" in run.out and "未能拆分为逐项措施" in run.out
    assert "清单.xlsx 第1张表（风险点清单） 第6行" in run.out
    assert "没有责任单位" in run.out
    text = (repo / "data/risks/huiji.yaml").read_text("utf-8")
    assert "- id: HUIJI-001  # 来源：清单.xlsx 第1张表（风险点清单） 第4行（序号 1）" in text
    assert "# 备注：2018年投诉较多" in text  # 备注 kept as a comment on its point
    assert "表头上方的文字“惠济区商务局违法风险点清单”" in run.out
    assert run_fxfk("validate", cwd=repo).code == 0
    classify = run_fxfk("classify", "--office", "huiji", cwd=repo)
    assert "HUIJI-001" in classify.out and "有说明" in classify.out  # 高 declared, rules say otherwise


def test_dry_run_writes_nothing_and_json_report(repo: Path, tmp_path: Path):
    src = county_list(tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--dry-run", "--format", "json", cwd=repo)
    assert run.code == 0, run.err
    assert not (repo / "data/risks/huiji.yaml").exists()
    data = json.loads(run.out)
    assert data["written"] is False and data["register"] == "data/risks/huiji.yaml"
    assert [p["id"] for p in data["points"]] == ["HUIJI-001", "HUIJI-002", "HUIJI-003"]
    assert any("特别" in i["message"] and i["needs_person"] for i in data["issues"])


# --- fixture 2: two header rows, （1） measures, numbered levels, two sheets, appending ----------------


def two_header_list(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "预付卡"
    ws.append(["序号", "风险事项", "风险级别", "依据", None, "防范措施", "责任部门"])
    ws.append([None, None, None, "违法依据", "处罚依据", None, None])
    for col in "ABCFG":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("D1:E1")
    ws.append([1, "发卡企业未按规定报送业务信息", "一级", f"《{LAW}》第二十四条", f"《{LAW}》第三十八条",
               "（1）约谈提醒（2）纳入重点监管名单", "市场科"])
    ws2 = wb.create_sheet("家政")
    ws2.append(["序号", "风险事项", "风险级别", "依据", None, "防范措施", "责任部门"])
    ws2.append([None, None, None, "违法依据", "处罚依据", None, None])
    for col in "ABCFG":
        ws2.merge_cells(f"{col}1:{col}2")
    ws2.merge_cells("D1:E1")
    ws2.append([1, "家庭服务机构未公开服务项目", "三级", "《家庭服务业管理暂行办法》第十三条第一款第（一）项",
                "《家庭服务业管理暂行办法》第三十二条", "①宣传法规\n②上门指导", "服务业科"])
    return _save(wb, path)


def test_two_header_rows_and_numbered_levels_appended_byte_for_byte(repo: Path, tmp_path: Path):
    src = two_header_list(tmp_path / "两行表头.xlsx")
    path = repo / "data/risks/jinshui.yaml"
    before = path.read_text("utf-8")
    run = run_fxfk("import", str(src), "--office", "jinshui", cwd=repo)
    assert run.code == 0, run.err
    after = path.read_text("utf-8")
    ops = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert len(ops) == 1 and ops[0][0] == "insert", ops  # the register's own bytes are untouched
    points = by_title(register(repo, "jinshui"))
    a, b = points["发卡企业未按规定报送业务信息"], points["家庭服务机构未公开服务项目"]
    assert a["id"].startswith("JS-") and a["status"] == "draft"
    assert [(x["role"], x["article"]) for x in a["basis"]] == [("violated", "第二十四条"), ("penalty", "第三十八条")]
    assert [(x["role"], x["article"]) for x in b["basis"]] == [("violated", "第十三条第一款第（一）项"), ("penalty", "第三十二条")]
    assert (a["level"], b["level"]) == ("高", "低")  # 一级 = 高 by default
    assert measures(a) == [("warn", "约谈提醒"), ("other", "纳入重点监管名单")]
    assert measures(b) == [("publicize", "宣传法规"), ("guide", "上门指导")]
    assert (a["responsible"], b["responsible"]) == ("市场科", "服务业科")
    assert (a["domain"], b["domain"]) == ("预付卡", "家政")  # one sheet per domain, no domain column
    assert "一级 = 高" in run.out
    assert "# 来源：两行表头.xlsx 第2张表（家政） 第3行" in after
    assert run_fxfk("validate", cwd=repo).code == 0


def test_first_level_low_flips_numbered_levels_and_sheet_selects(repo: Path, tmp_path: Path):
    src = two_header_list(tmp_path / "两行表头.xlsx")
    run = run_fxfk("import", str(src), "--office", "jinshui", "--sheet", "预付卡", "--first-level-low", "--dry-run", "-f", "json", cwd=repo)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert [(p["title"], p["level"]) for p in data["points"]] == [("发卡企业未按规定报送业务信息", "low")]


# --- fixture 3: a Word file with two tables -------------------------------------------------------


def word_list(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("中牟县商务局违法风险点清单")
    t1 = document.add_table(rows=3, cols=6)
    for c, text in enumerate(["序号", "违法行为", "行业", "风险等级", "处罚依据", "预防措施"]):
        t1.cell(0, c).text = text
    t1.cell(1, 0).text, t1.cell(2, 0).text = "1", "2"
    t1.cell(1, 1).text = "拍卖企业未按规定备案"
    t1.cell(2, 1).text = "拍卖企业未公示拍卖规则"
    merged = t1.cell(1, 2).merge(t1.cell(2, 2))  # 行业 merged over both rows
    merged.text = "拍卖"
    t1.cell(1, 3).text, t1.cell(2, 3).text = "重大", "一般"
    t1.cell(1, 4).text = "《拍卖管理办法》第二十一条、第四十八条"
    t1.cell(2, 4).text = "《拍卖管理办法》第三十条"
    t1.cell(1, 5).text = "宣传拍卖法规\n提醒企业按时备案"
    t1.cell(2, 5).text = "指导企业公示规则"
    document.add_paragraph("二、成品油")
    t2 = document.add_table(rows=2, cols=5)
    for c, text in enumerate(["序号", "风险点名称", "等级", "设定依据", "防控措施"]):
        t2.cell(0, c).text = text
    for c, text in enumerate(["1", "成品油零售企业超范围经营", "中风险", "《成品油市场管理办法》第十五条", "1、定期巡查\n2、行政指导"]):
        t2.cell(1, c).text = text
    document.save(str(path))
    return path


def test_word_file_with_two_tables(repo: Path, tmp_path: Path):
    src = word_list(tmp_path / "清单.docx")
    run = run_fxfk("import", str(src), "--office", "zhongmou", cwd=repo)
    assert run.code == 0, run.err
    points = by_title(register(repo, "zhongmou"))
    a, b, c = points["拍卖企业未按规定备案"], points["拍卖企业未公示拍卖规则"], points["成品油零售企业超范围经营"]
    assert a["domain"] == b["domain"] == "拍卖"
    assert (a["level"], b["level"], c["level"]) == ("高", "低", "中")
    assert citations(a) == [("拍卖管理办法", "第二十一条"), ("拍卖管理办法", "第四十八条")]
    assert [x["role"] for x in a["basis"]] == ["penalty", "penalty"]  # 处罚依据
    assert citations(b) == [("拍卖管理办法", "第三十条")]
    assert c["basis"][0]["role"] == "penalty"  # 设定依据: the provision setting the penalty
    assert measures(a) == [("publicize", "宣传拍卖法规"), ("warn", "提醒企业按时备案")]
    assert measures(b) == [("guide", "指导企业公示规则")]
    assert measures(c) == [("other", "定期巡查"), ("guide", "行政指导")]
    assert c["domain"] == "成品油"  # table 2 has no 行业 column: the heading 「二、成品油」 above it
    text = (repo / "data/risks/zhongmou.yaml").read_text("utf-8")
    assert "# 来源：清单.docx 第2个表格 第2行（序号 1）" in text
    assert run_fxfk("validate", cwd=repo).code == 0


# --- round trip: fxfk publish --format xlsx, imported back ---------------------------------------


def test_round_trip_of_a_published_list(repo: Path, tmp_path: Path):
    out = tmp_path / "pub"
    run = run_fxfk("publish", "--office", "erqi", "--format", "xlsx", "--out", str(out), "--date", "2020-01-01", cwd=repo)
    assert run.code == 0, run.err
    original = [r for r in register(repo, "erqi")["risks"] if r["status"] == "published"]
    run = run_fxfk("import", str(out / "risk-lists.xlsx"), "--office", "erqi2", "--name", "二七区（导入）",
                   "--kind", "county", "--sheet", "二七区商务局", cwd=repo)
    assert run.code == 0, run.err
    imported = register(repo, "erqi2")["risks"]
    assert [r["title"] for r in imported] == [r["title"] for r in original]
    levels = {"high": "高", "medium": "中", "low": "低"}
    assert [r["level"] for r in imported] == [levels.get(r["level"], r["level"]) for r in original]
    for new, old in zip(imported, original):
        assert [(b["law"], b.get("number"), b["article"], b.get("excerpt")) for b in new["basis"]] == \
            [(b["law"], b.get("number"), b["article"], b.get("excerpt")) for b in old["basis"]]
        kinds = {"advise": "advise", "建议": "advise", "疏导": "channel", "警示": "warn", "宣传": "publicize", "指导": "guide"}
        assert measures(new) == [(kinds.get(m["kind"], m["kind"]), m["text"]) for m in old["measures"]]
        assert new["responsible"] == old["responsible"]
        assert new.get("discretion") == old.get("discretion")
    assert run_fxfk("validate", cwd=repo).code == 0


# --- refusals --------------------------------------------------------------------------------------


def test_unmapped_column_stops_the_import(repo: Path, tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "违法风险点", "风险等级", "处罚依据", "检查频次"])
    ws.append([1, "发卡企业未按规定办理备案", "高", f"《{LAW}》第三十六条", "每季度一次"])
    src = _save(wb, tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", cwd=repo)
    assert run.code == 2
    assert "列“检查频次”" in run.err and "--map 检查频次=-" in run.err and "--map 检查频次=note" in run.err
    assert not (repo / "data/risks/huiji.yaml").exists()
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", "--map", "检查频次=-", cwd=repo)
    assert run.code == 0, run.err
    assert "按 --map 不导入列“检查频次”" in run.out  # dropped on purpose, and said so
    shutil.rmtree(repo / "data/risks/huiji.yaml", ignore_errors=True)
    (repo / "data/risks/huiji.yaml").unlink()
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", "--map", "检查频次=note", cwd=repo)
    assert run.code == 0, run.err
    assert "# 检查频次：每季度一次" in (repo / "data/risks/huiji.yaml").read_text("utf-8")


@pytest.mark.parametrize("name, hint", [("清单.xls", ".xlsx"), ("清单.doc", ".docx")])
def test_old_formats_are_told_to_save_as_new(repo: Path, tmp_path: Path, name: str, hint: str):
    src = tmp_path / name
    src.write_bytes(b"\xd0\xcf\x11\xe0")
    run = run_fxfk("import", str(src), "--office", "huiji", cwd=repo)
    assert run.code == 2 and f"另存为”{hint}" in run.err


# --- the splitters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("word, level", [
    ("高", Level.high), ("中风险", Level.medium), ("低风险", Level.low), ("较大风险", Level.medium),
    ("一般风险", Level.low), ("重大", Level.high), ("一级", Level.high), ("二级", Level.medium), ("三级", Level.low),
])
def test_level_words(word: str, level: Level):
    assert parse_level(word) is level


def test_numbered_levels_flip():
    assert parse_level("一级", first_is_low=True) is Level.low
    assert parse_level("三级", first_is_low=True) is Level.high
    assert parse_level("很高") is None


def test_basis_with_number_excerpt_lines_and_discretion():
    text = (f"《{LAW}》（商务部令2012年第9号）第七条第（三）项、第三十六条\n第三十六条：处以1万元以上3万元以下罚款。\n"
            "裁量标准：\n1. 情节轻微：责令限期改正\n2. 逾期不改：罚款")
    split = split_basis(text, None)
    assert [(e.law, e.number, e.article, e.excerpt) for e in split.entries] == [
        (LAW, "商务部令2012年第9号", "第七条第（三）项", ""),
        (LAW, "商务部令2012年第9号", "第三十六条", "处以1万元以上3万元以下罚款。"),
    ]
    assert split.discretion == ["1. 情节轻微：责令限期改正", "2. 逾期不改：罚款"]
    assert all(e.unsure for e in split.entries)


def test_articles_sharing_an_article_number():
    split = split_basis("《拍卖法》第十二条第一款、第二款", "violated")
    assert [e.article for e in split.entries] == ["第十二条第一款", "第十二条第二款"]


def test_numbered_items():
    assert split_numbered("1．甲。2．乙。3．丙") == (["甲。", "乙。", "丙"], "")
    assert split_numbered("（1）甲；（2）乙") == (["甲", "乙"], "")
    assert split_numbered("①甲②乙") == (["甲", "乙"], "")
    assert split_numbered("措施：\n1、甲\n2、乙") == (["甲", "乙"], "措施：")
    assert split_numbered("2019年检查1次") is None


def test_only_violated_basis_gets_a_penalty_placeholder(repo: Path, tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "违法风险点", "风险等级", "违法依据", "责任单位"])
    ws.append([1, "发卡企业未按规定办理备案", "中", f"《{LAW}》第七条", "市场科"])
    src = _save(wb, tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", cwd=repo)
    assert run.code == 0, run.err
    risk = register(repo, "huiji")["risks"][0]
    assert [(b["role"], b["law"]) for b in risk["basis"]] == [("violated", LAW), ("penalty", "待填写：法律法规名称")]
    assert "没有处罚依据" in run.out
    assert run_fxfk("validate", cwd=repo).code == 0


def test_heading_rows_duplicates_and_a_second_import(repo: Path, tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "违法风险点", "风险等级", "处罚依据", "防控措施"])
    ws.append(["一、单用途商业预付卡"] * 5)
    ws.merge_cells("A2:E2")
    ws.append([1, "发卡企业未按规定办理备案", "高", f"《{LAW}》第三十六条", "上门指导"])
    ws.append([2, "发卡企业未按规定办理备案", "高", f"《{LAW}》第三十六条", "上门指导"])
    ws.append(["填报人：张三"])
    src = _save(wb, tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", cwd=repo)
    assert run.code == 0, run.err
    risks = register(repo, "huiji")["risks"]
    assert [r["domain"] for r in risks] == ["单用途商业预付卡", "单用途商业预付卡"]  # the heading row above them
    assert "第3行（HUIJI-001）重名" in run.out
    assert "整行文字“填报人：张三”不是风险点，未导入" in run.out
    run = run_fxfk("import", str(src), "--office", "huiji", cwd=repo)  # again: appended, numbered on
    assert run.code == 0, run.err
    assert [r["id"] for r in register(repo, "huiji")["risks"]] == [f"HUIJI-00{k}" for k in range(1, 5)]
    assert "data/risks/huiji.yaml 中的 HUIJI-001重名" in run.out
    assert run_fxfk("validate", cwd=repo).code == 0


def test_bad_inputs_are_refused_without_writing(repo: Path, tmp_path: Path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    run = run_fxfk("import", str(broken), "--office", "huiji", cwd=repo)
    assert run.code == 2 and "不是有效的 .xlsx 文件" in run.err
    src = county_list(tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "惠济区", cwd=repo)
    assert run.code == 2 and "不是有效的单位标识" in run.err
    run = run_fxfk("import", str(src), "--office", "huiji", "--sheet", "没有这张表", cwd=repo)
    assert run.code == 2 and "没有工作表“没有这张表”" in run.err
    run = run_fxfk("import", str(src), "--office", "huiji", "--map", "备注", cwd=repo)
    assert run.code == 2 and "列名=字段" in run.err
    assert not (repo / "data/risks/huiji.yaml").exists()


def test_a_list_of_eighty_points(repo: Path, tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "违法风险点", "所属领域", "风险等级", "违法依据", "处罚依据", "防控措施", "责任单位"])
    for k in range(1, 81):
        ws.append([k, f"第{k}个违法风险点", "单用途商业预付卡", "中", f"《{LAW}》第七条", f"《{LAW}》第三十六条",
                   "1．宣传\n2．指导", "市场科"])
    src = _save(wb, tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", cwd=repo)
    assert run.code == 0, run.err
    assert len(register(repo, "huiji")["risks"]) == 80


def test_a_cell_too_long_for_a_title_is_named_by_its_row(repo: Path, tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "违法风险点", "风险等级", "处罚依据"])
    ws.append([1, "长" * 201, "高", f"《{LAW}》第三十六条"])
    src = _save(wb, tmp_path / "清单.xlsx")
    run = run_fxfk("import", str(src), "--office", "huiji", "--name", "惠济区商务局", cwd=repo)
    assert run.code == 2 and "清单.xlsx 第1张表（Sheet） 第2行：违法风险点文字过长" in run.err
    assert not (repo / "data/risks/huiji.yaml").exists()


def test_basis_roles_from_the_words_when_the_column_does_not_say():
    split = split_basis("违反《拍卖管理办法》第七条，依据《拍卖管理办法》第三十六条予以处罚", None)
    assert [(e.role, e.article, e.unsure) for e in split.entries] == [("violated", "第七条", False), ("penalty", "第三十六条", False)]
    assert split.leftover == []
    split = split_basis("《拍卖管理办法》第三十六条", None)
    assert [(e.role, e.unsure) for e in split.entries] == [("penalty", True)]


def test_word_table_with_a_title_row_two_header_rows_and_a_footer(repo: Path, tmp_path: Path):
    import docx

    document = docx.Document()
    t = document.add_table(rows=5, cols=6)
    t.cell(0, 0).merge(t.cell(0, 5)).text = "金水区商务局违法风险点清单"
    for c, text in ((0, "序号"), (1, "违法风险点"), (2, "风险等级"), (5, "责任单位")):
        t.cell(1, c).text = text
        t.cell(1, c).merge(t.cell(2, c))
    t.cell(1, 3).merge(t.cell(1, 4)).text = "依据"
    t.cell(2, 3).text, t.cell(2, 4).text = "违法依据", "处罚依据"
    for c, text in enumerate(["1", "拍卖企业未备案", "二级", "《拍卖管理办法》第二十一条", "《拍卖管理办法》第四十八条", "流通科"]):
        t.cell(3, c).text = text
    t.cell(4, 0).merge(t.cell(4, 5)).text = "填报人：李四"
    src = tmp_path / "表.docx"
    document.save(str(src))
    run = run_fxfk("import", str(src), "--office", "jinshui", cwd=repo)
    assert run.code == 0, run.err
    risk = register(repo, "jinshui")["risks"][-1]
    assert (risk["title"], risk["level"], risk["responsible"]) == ("拍卖企业未备案", "中", "流通科")
    assert [(b["role"], b["article"]) for b in risk["basis"]] == [("violated", "第二十一条"), ("penalty", "第四十八条")]
    assert "表头上方的文字“金水区商务局违法风险点清单”" in run.out
    assert "整行文字“填报人：李四”不是风险点，未导入\n" in run.out
