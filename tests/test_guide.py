"""Issue 21: `fxfk guide` — the 提示函 a point calls for, the plan of points due, and the guidance log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_fxfk

NAME = "某某美容美发店"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The repository's own data, copied."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "fxfk.yaml", root / "fxfk.yaml")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*")) if p.is_file()}


# --- fxfk guide letter ------------------------------------------------------------------------------


def test_letter_for_a_point_of_the_data_field_by_field(repo):
    before = snapshot(repo)
    run = run_fxfk("guide", "letter", "JS-YFK-001", "--to", NAME, "--date", "2020-01-06", cwd=repo)
    assert run.code == 0, run.err
    out = repo / "letters"
    stem = f"JS-YFK-001-{NAME}"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [f"{stem}.{e}" for e in ("docx", "html", "md")]
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    assert lines[0] == "# 关于防范“发卡企业未在开展单用途卡业务之日起30日内办理备案”违法风险的提示函"
    assert f"{NAME}：" in lines  # 主送
    # the risk in plain words
    assert "常见表现：美容美发、健身、洗衣等门店发行会员储值卡，自首次发卡之日起30日内未向区商务局备案。" in lines
    assert "可能后果：预收资金游离于监管之外，经营者闭店时持卡人难以追偿。" in lines
    # basis: the provision broken, then the liability, each with its article and excerpt
    assert ("相关规定：《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）第七条第（三）项：发卡企业应在开展单用途卡业务之日起"
            "30日内按照下列规定办理备案：……（三）其他发卡企业向其工商登记注册地县（市、区）人民政府商务主管部门备案。") in lines
    assert any(line.startswith("法律责任：《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）第三十六条：") for line in lines)
    # the four discretion tiers, in order
    tiers = [line for line in lines if line[:1].isdigit() and "：处" in line or "不予处罚" in line]
    assert tiers == [
        "1\\. 情节轻微，在责令改正期限内完成备案：不予处罚（列入免罚清单）。",
        "2\\. 逾期未改正，经再次督促后完成备案：处1万元以上1.5万元以下罚款。",
        "3\\. 经两次以上督促后才备案：处1.5万元以上2万元以下罚款。",
        "4\\. 拒不备案，或者备案前已发生闭店、拒绝退卡：处2万元以上3万元以下罚款。",
    ]
    assert "该违法行为已列入轻微违法行为免罚清单，适用条件：1. 违法行为轻微；2. 在责令改正期限内完成备案；3. 没有造成危害后果。" in lines
    # what to correct by when (--within 15 days after the date), and the measures addressed to the business
    assert "请你单位对照上述规定开展自查，发现问题的，请于2020年1月21日前改正。" in lines
    assert "1\\. 在区政务服务中心开设预付卡备案窗口，一次性告知备案材料，当日办结。" in lines  # 疏导
    assert "2\\. 对新登记的美容美发、健身、洗衣企业发送备案提醒短信，逐户上门提示。" in lines  # 指导
    assert "办卡前先查备案" not in md  # 宣传 is the office's own work, not the business's
    assert "如有疑问，请咨询金水区商务局，联系电话：0371-63946715。" in lines
    assert lines[-2:] == ["金水区商务局  ", "2020年1月6日"]  # 落款 and date

    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    for text in (f"<p class=\"to\">{NAME}：</p>", "联系电话：0371-63946715", "请于2020年1月21日前改正", "<p>2020年1月6日</p>"):
        assert text in html

    import docx

    document = docx.Document(str(out / f"{stem}.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0].startswith("关于防范") and paragraphs[1] == f"{NAME}："
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "一、风险提示", "二、法律依据和法律责任", "三、自查整改", "四、咨询方式"]
    assert "4. 拒不备案，或者备案前已发生闭店、拒绝退卡：处2万元以上3万元以下罚款。" in paragraphs
    assert paragraphs[-2:] == ["金水区商务局", "2020年1月6日"]
    assert document.sections[0].page_width < document.sections[0].page_height  # a portrait letter

    # the business's name is in the letters only
    assert snapshot(repo) == before


def test_letters_are_the_same_bytes_on_every_run(repo, tmp_path):
    args = ("guide", "letter", "JS-JZ-001", "--to", "甲家政公司", "--to", "乙家政公司", "--date", "2020-01-06")
    assert run_fxfk(*args, "--out", str(tmp_path / "a"), cwd=repo).code == 0
    assert run_fxfk(*args, "--out", str(tmp_path / "b"), cwd=repo).code == 0
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes(), p.name
    assert (tmp_path / "a" / "JS-JZ-001-乙家政公司.docx").is_file()


def test_no_addressee_gives_one_letter_to_all_concerned(repo):
    run = run_fxfk("guide", "letter", "JS-YFK-002", "--format", "md", "--date", "2020-01-06", cwd=repo)
    assert run.code == 0, run.err
    assert "各有关经营者：" in (repo / "letters" / "JS-YFK-002.md").read_text(encoding="utf-8")


def test_a_name_with_a_mobile_number_is_refused_and_nothing_written(repo):
    run = run_fxfk("guide", "letter", "JS-YFK-001", "--to", "某某店 13812345678", cwd=repo)
    assert run.code == 2
    assert "--to 第 1 个单位名称含有手机号码（138****5678）" in run.err
    assert not (repo / "letters").exists()


def test_unknown_point_and_format_are_located_chinese_errors(repo):
    run = run_fxfk("guide", "letter", "JS-YFK-999", cwd=repo)
    assert run.code == 2 and "没有编号为“JS-YFK-999”的风险点" in run.err
    run = run_fxfk("guide", "letter", "JS-YFK-001", "--format", "pdf", cwd=repo)
    assert run.code == 2 and "--format 的值“pdf”无效" in run.err


def test_the_repository_overrides_the_template_in_the_sandbox(repo):
    folder = repo / "templates" / "guide"
    folder.mkdir(parents=True)
    (folder / "letter.md.j2").write_text("{{ letter.addressee }}／{{ letter.phone }}\n", encoding="utf-8")
    run = run_fxfk("guide", "letter", "JS-YFK-001", "--to", NAME, "--format", "md", cwd=repo)
    assert run.code == 0, run.err
    assert (repo / "letters" / f"JS-YFK-001-{NAME}.md").read_text(encoding="utf-8") == f"{NAME}／0371-63946715\n"
    (folder / "letter.md.j2").write_text("{{ letter.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    run = run_fxfk("guide", "letter", "JS-YFK-001", "--format", "md", cwd=repo)
    assert run.code == 2 and "沙箱" in run.err


# --- fxfk guide due ---------------------------------------------------------------------------------


def test_due_on_a_fixed_date_is_the_hand_worked_list(repo):
    # Worked by hand from data/ on 2020-04-30 (high 90, medium 180, low 365 days; due soon = 14 days):
    #   EQ-YFK-001 高 (关注度高): guided 2019-10-24 → due 2020-01-22, overdue
    #   JS-YFK-001 中 (关注度高): guided 2019-10-10 → due 2020-04-07, overdue
    #   JS-YFK-002 中 (关注度高): guided 2019-11-06 → due 2020-05-04, due soon
    #   not due: EQ-YFK-002 (2019-12-04 → 2020-06-01), EQ-JZ-001 and JS-JZ-001 (low, 2019-12 → 2020-12),
    #   JS-JZ-002 (2019-12-11 → 2020-06-08); JS-WZ-001's batch is not out, JS-JZ-003 is retired.
    run = run_fxfk("guide", "due", "--office", "jinshui", "--office", "erqi", "--date", "2020-04-30", "--json", cwd=repo)
    assert run.code == 0, run.err
    assert [(r["risk"], r["due"], r["status"]) for r in run.json()] == [
        ("EQ-YFK-001", "2020-01-22", "overdue"),
        ("JS-YFK-001", "2020-04-07", "overdue"),
        ("JS-YFK-002", "2020-05-04", "due_soon"),
    ]
    text = run_fxfk("guide", "due", "--office", "jinshui,erqi", "--date", "2020-04-30", cwd=repo)
    assert text.code == 0
    assert "应当开展行政指导的已公布风险点 3 个" in text.out
    assert text.out.index("EQ-YFK-001") < text.out.index("JS-YFK-001") < text.out.index("JS-YFK-002")


def test_due_letters_one_folder_per_office(repo, tmp_path):
    out = tmp_path / "plan"
    run = run_fxfk("guide", "due", "--office", "jinshui,erqi", "--date", "2020-04-30", "--letters", "--format", "docx,md",
                   "--out", str(out), cwd=repo)
    assert run.code == 0, run.err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*") if not p.name.startswith(".")) == [
        "erqi/EQ-YFK-001.docx", "erqi/EQ-YFK-001.md",
        "jinshui/JS-YFK-001.docx", "jinshui/JS-YFK-001.md", "jinshui/JS-YFK-002.docx", "jinshui/JS-YFK-002.md",
    ]
    assert "二七区商务局" in (out / "erqi" / "EQ-YFK-001.md").read_text(encoding="utf-8")
    assert "已写入 6 个文件" in run.out


# --- fxfk guide log ---------------------------------------------------------------------------------


def test_log_round_trip(repo):
    path = repo / "data" / "risks" / "jinshui.yaml"
    before = path.read_bytes()
    due = run_fxfk("deadlines", "--guidance", "--office", "jinshui", "--date", "2020-04-30", "--format", "json", cwd=repo)
    assert {r["risk"]: r["status"] for r in due.json()}["JS-YFK-001"] == "overdue"

    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-04-30", "--counterparts", "12", cwd=repo)
    assert run.code == 0, run.err
    assert "已追加 data/risks/jinshui.yaml:369" in run.out
    added = (b"  - date: 2020-04-30\n    kind: guidance\n    risks: [JS-YFK-001]\n    counterparts: 12\n")
    assert path.read_bytes() == before + added  # the only difference: the appended activity

    due = run_fxfk("deadlines", "--guidance", "--office", "jinshui", "--date", "2020-04-30", "--format", "json", cwd=repo)
    row = {r["risk"]: r for r in due.json()}["JS-YFK-001"]
    assert (row["last_guidance"], row["due"], row["status"]) == ("2020-04-30", "2020-10-27", "pending")

    # --corrected later: the same entry (same point, same date), next to its count
    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-04-30", "--corrected", "10", "--note", "逐户上门", cwd=repo)
    assert run.code == 0, run.err
    assert "已修改" in run.out and "已纠正 10" in run.out
    assert path.read_bytes() == before + added + "    corrected: 10\n    note: 逐户上门\n".encode("utf-8")
    assert run_fxfk("validate", cwd=repo).code == 0


def test_log_refusals_leave_the_file_as_it_was(repo):
    path = repo / "data" / "risks" / "jinshui.yaml"
    before = path.read_bytes()
    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-04-30", "--corrected", "3", cwd=repo)
    assert run.code == 2 and "新记录须写 --counterparts" in run.err
    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-04-30", "--counterparts", "2", "--corrected", "3", cwd=repo)
    assert run.code == 2 and "已纠正数 3 大于指导的行政相对人数 2（文件未修改）" in run.err
    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-04-30", "--counterparts", "2", "--note", "联系人 13812345678", cwd=repo)
    assert run.code == 2 and "手机号码" in run.err
    run = run_fxfk("guide", "log", "JS-YFK-001", "--date", "2020-02-30", "--counterparts", "2", cwd=repo)
    assert run.code == 2
    assert path.read_bytes() == before


def test_log_updates_an_entry_written_by_hand_for_several_points(repo):
    # jinshui.yaml has 2019-12-11 guidance for [JS-JZ-001, JS-JZ-002] with counterparts 27, corrected 25
    path = repo / "data" / "risks" / "jinshui.yaml"
    before = path.read_text(encoding="utf-8")
    run = run_fxfk("guide", "log", "JS-JZ-002", "--date", "2019-12-11", "--corrected", "26", cwd=repo)
    assert run.code == 0, run.err
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("    counterparts: 27\n    corrected: 25\n", "    counterparts: 27\n    corrected: 26\n")


def test_log_keeps_crlf_and_bom_and_fills_an_empty_list(repo):
    path = repo / "data" / "risks" / "erqi.yaml"
    crlf = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    assert run_fxfk("guide", "log", "EQ-YFK-001", "--date", "2020-02-01", "--counterparts", "4", cwd=repo).code == 0
    assert path.read_bytes() == crlf + b"  - date: 2020-02-01\r\n    kind: guidance\r\n    risks: [EQ-YFK-001]\r\n    counterparts: 4\r\n"

    assert run_fxfk("new", "office", "huiji", "--name", "惠济区商务局", "--kind", "county", cwd=repo).code == 0
    assert run_fxfk("new", "risk", "huiji", "--title", "家庭服务机构未公示收费标准", cwd=repo).code == 0
    path = repo / "data" / "risks" / "huiji.yaml"
    before = path.read_text(encoding="utf-8")
    assert run_fxfk("guide", "log", "HUIJI-001", "--date", "2020-01-06", "--counterparts", "3", cwd=repo).code == 0
    assert path.read_text(encoding="utf-8") == before.replace(
        "activities: []\n", "activities:\n  - date: 2020-01-06\n    kind: guidance\n    risks: [HUIJI-001]\n    counterparts: 3\n")
    assert run_fxfk("validate", cwd=repo).code == 0


def test_no_letter_for_a_point_not_on_the_public_list(repo):
    run = run_fxfk("guide", "letter", "JS-WZ-001", "--date", "2020-01-06", cwd=repo)
    assert run.code == 2 and "不在公开清单上（所在批次的公布日期是 2027-03-15）" in run.err
    run = run_fxfk("guide", "letter", "JS-JZ-003", "--date", "2020-01-06", cwd=repo)
    assert run.code == 2 and "状态是“已废止”" in run.err
    assert not (repo / "letters").exists()


def test_the_reports_compliance_follows_the_log(repo, tmp_path):
    # jinshui's 2019 guidance: 111 businesses guided, 101 corrected (data/risks/jinshui.yaml)
    args = ("report", "--date", "2019-12-31", "--office", "jinshui", "--format", "md")
    assert run_fxfk(*args, "--out", str(tmp_path / "r1"), cwd=repo).code == 0
    assert "91.0%（101/111）" in next((tmp_path / "r1").glob("*.md")).read_text(encoding="utf-8")
    assert run_fxfk("guide", "log", "JS-YFK-001", "--date", "2019-12-20", "--counterparts", "10", "--corrected", "2", cwd=repo).code == 0
    assert run_fxfk(*args, "--out", str(tmp_path / "r2"), cwd=repo).code == 0
    assert "85.1%（103/121）" in next((tmp_path / "r2").glob("*.md")).read_text(encoding="utf-8")
