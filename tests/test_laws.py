"""Rules of the law catalogue (fxfk.rules.laws, names in fxfk.rules.law_names): name matching, validity by day, and every validate check
with batch dates just before, on and after a law's effective and repeal dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fxfk.load.repository import load_repository
from fxfk.models import Law, LawCatalogue
from fxfk.rules import law_names, laws
from fxfk.rules.validation import validate_repository

D = dt.date.fromisoformat
YFK = "单用途商业预付卡管理办法（试行）"


# --- names ---------------------------------------------------------------------------------------


def test_law_key_ignores_marks_spaces_and_width_but_not_trial():
    key = law_names.law_key(YFK)
    assert law_names.law_key("《单用途商业预付卡管理办法(试行)》") == key
    assert law_names.law_key(" 单用途 商业预付卡管理办法　（试行） ") == key  # ideographic space too
    assert law_names.law_key("〈单用途商业预付卡管理办法（试行）〉") == key
    assert law_names.law_key("单用途商业预付卡管理办法") != key  # 试行 and final versions are different laws
    assert law_names.law_key("外商投资法") != law_names.law_key("中华人民共和国外商投资法")


def test_loose_key_drops_trial_and_prc_prefix_for_suggestions_only():
    assert law_names.loose_key(YFK) == law_names.loose_key("单用途商业预付卡管理办法") == "单用途商业预付卡管理办法"
    assert law_names.loose_key("《中华人民共和国外商投资法》") == "外商投资法"
    assert law_names.loose_key("中华人民共和国") == "中华人民共和国"  # never empty
    assert law_names.loose_key("家庭服务业管理暂行办法") == "家庭服务业管理暂行办法"  # 暂行 inside the name stays


def test_number_key():
    assert law_names.number_key("商务部令２０１２年第 9 号") == law_names.number_key("商务部令2012年第9号")
    assert law_names.number_key("郑商[2019]175号") == law_names.number_key("郑商〔2019〕175号") == law_names.number_key("郑商【2019】175号")
    assert law_names.number_key("国务院令第715号") != law_names.number_key("国务院令第307号")


NAMES = ["单用途商业预付卡管理办法（试行）", "报废机动车回收管理办法", "报废汽车回收管理办法",
         "中华人民共和国外商投资法", "外商投资信息报告办法", "汽车销售管理办法", "家庭服务业管理暂行办法"]


@pytest.mark.parametrize("query, first", [
    ("单用途商业预付卡管理办法", "单用途商业预付卡管理办法（试行）"),  # only 试行 differs
    ("外商投资法", "中华人民共和国外商投资法"),  # the short title
    ("报废机动车回收管理条例", "报废机动车回收管理办法"),  # a typo in the kind of instrument
    ("家庭服务业管理办法", "家庭服务业管理暂行办法"),
    ("汽车销售管理办", "汽车销售管理办法"),  # a fragment
])
def test_closest_puts_the_right_name_first(query, first):
    assert law_names.closest(query, NAMES)[0] == first


def test_closest_gives_nothing_for_unrelated_names_and_lists_a_law_once():
    assert law_names.closest("洗染业管理办法", NAMES) == []
    assert law_names.closest("单用途商业预付卡管理办法", [YFK, f"《{YFK}》", "汽车销售管理办法"]) == [YFK]
    assert len(law_names.closest("管理办法", NAMES, n=3)) <= 3


def test_match_laws():
    assert law_names.match_laws("《单用途商业预付卡管理办法(试行)》", NAMES) == [YFK]  # exact: that one only
    assert law_names.match_laws("报废", NAMES) == ["报废机动车回收管理办法", "报废汽车回收管理办法"]  # several
    assert law_names.match_laws("外商投资法", NAMES) == ["中华人民共和国外商投资法"]
    assert law_names.match_laws("报废机动车回收管里办法", NAMES) == ["报废机动车回收管理办法"]  # typo
    assert law_names.match_laws("拍卖管理办法", NAMES) == []


# --- validity by day -----------------------------------------------------------------------------


def law(**kw) -> Law:
    return Law.model_validate({"name": YFK, "rank": "department_rule", **kw})


@pytest.mark.parametrize("day, expected", [
    ("2012-10-31", False), ("2012-11-01", True), ("2012-11-02", True),  # effective
    ("2019-05-31", True), ("2019-06-01", False), ("2019-06-02", False),  # repealed: out of force that day
])
def test_in_force_boundaries(day, expected):
    item = law(effective="2012-11-01", repealed="2019-06-01")
    assert laws.in_force(item, D(day)) is expected
    assert (laws.not_in_force_reason(item, D(day)) is None) is expected
    assert (laws.state_label(item, D(day)) == "现行有效") is expected


def test_open_ended_law_is_always_in_force():
    assert laws.in_force(law(), D("1900-01-01")) and laws.state_label(law(), D("2100-01-01")) == "现行有效"


# --- the checks, through a real repository on disk ----------------------------------------------

REGISTER = """\
office:
  id: gamma
  name: 丙县商务局
  kind: county
batches:
  - id: 1
    date: {batch}
risks:
  - id: GA-001
    title: 发卡企业未按规定办理备案
    domain: 单用途商业预付卡
    basis:
      - role: penalty
        law: 《单用途商业预付卡管理办法（试行）》
        number: {number}
        article: 第三十六条
    level: medium
    responsible: 丙县商务局
    status: {status}
    measures:
      - kind: advise
        text: 一次性告知备案材料
    consultation:
      start: 2019-08-01
      end: 2019-08-15
      parties: [企业]
{batch_line}"""


def make_repo(tmp_path: Path, catalogue: str | None, batch="2019-09-16", status="published",
              with_batch=True, number="商务部令2012年第9号") -> Path:
    root = tmp_path / "repo"
    (root / "data" / "risks").mkdir(parents=True)
    text = REGISTER.format(batch=batch, status=status, number=number,
                           batch_line="    batch: 1\n" if with_batch else "")
    (root / "data" / "risks" / "gamma.yaml").write_text(text, encoding="utf-8")
    if catalogue is not None:
        (root / "data" / "laws.yaml").write_text(catalogue, encoding="utf-8")
    return root


def catalogue(**kw) -> str:
    lines = ["laws:", f"  - name: {YFK}", "    number: 商务部令2012年第9号", "    rank: department_rule"]
    lines += [f"    {k}: {v}" for k, v in kw.items()]
    return "\n".join(lines) + "\n"


def findings(root: Path, today: str = "2019-12-31") -> list[tuple[str, str]]:
    repo = load_repository(root)
    # What `fxfk validate --date` sets; by default a fixed day after every batch here, not the clock.
    repo.today = D(today)
    result = validate_repository(repo)
    return [(d.severity, d.code) for d in result.diagnostics]


@pytest.mark.parametrize("batch, expected", [
    ("2019-09-15", []),
    ("2019-09-16", [("error", "law-repealed")]),  # on the repeal date the law is gone
    ("2019-09-17", [("error", "law-repealed")]),
])
def test_published_batch_around_the_repeal_date(tmp_path, batch, expected):
    root = make_repo(tmp_path, catalogue(effective="2012-11-01", repealed="2019-09-16"), batch=batch)
    got = findings(root)
    if not expected:  # before the repeal: a published point learns its law will be repealed
        assert got == [("warning", "law-repealed-after-publication")]
    else:
        assert got == expected


@pytest.mark.parametrize("batch, expected", [
    ("2019-09-15", [("error", "law-not-yet-effective")]),
    ("2019-09-16", []),  # in force from its effective date
    ("2019-09-17", []),
])
def test_published_batch_around_the_effective_date(tmp_path, batch, expected):
    root = make_repo(tmp_path, catalogue(effective="2019-09-16"), batch=batch)
    assert findings(root) == expected


@pytest.mark.parametrize("today, severity", [("2019-09-15", "warning"), ("2019-09-16", "error"), ("2019-09-17", "error")])
def test_a_published_point_in_a_scheduled_batch_is_not_public_yet(tmp_path, monkeypatch, today, severity):
    """data-format: a batch dated after today is scheduled, not public — warned, not refused."""
    root = make_repo(tmp_path, catalogue(repealed="2019-09-16"), number="商务部令2012年第10号")
    assert findings(root, today) == [(severity, "law-repealed"), (severity, "law-number-mismatch")]


@pytest.mark.parametrize("batch, expected", [
    ("2019-09-15", []),
    ("2019-09-16", [("warning", "law-repealed")]),
    ("2019-09-17", [("warning", "law-repealed")]),
])
def test_point_not_yet_published_with_a_planned_batch_is_warned(tmp_path, batch, expected):
    root = make_repo(tmp_path, catalogue(effective="2012-11-01", repealed="2019-09-16"), batch=batch, status="approved")
    assert findings(root) == expected


@pytest.mark.parametrize("batch, expected", [
    ("2019-09-15", [("warning", "law-not-yet-effective")]),
    ("2019-09-16", []),
])
def test_point_not_yet_published_before_the_effective_date_is_warned(tmp_path, batch, expected):
    root = make_repo(tmp_path, catalogue(effective="2019-09-16"), batch=batch, status="approved")
    assert findings(root) == expected


def test_draft_without_batch_is_warned_of_any_repeal_date(tmp_path):
    root = make_repo(tmp_path, catalogue(repealed="2030-01-01", replaced_by="单用途商业预付卡管理办法"),
                     status="draft", with_batch=False)
    result = validate_repository(load_repository(root))
    assert sorted((d.severity, d.code) for d in result.diagnostics) == [("warning", "law-repealed"), ("warning", "unknown-successor")]
    message = next(d.message for d in result.diagnostics if d.code == "law-repealed")
    assert "2030-01-01" in message and "尚未公布" in message
    root = make_repo(tmp_path / "b", catalogue(effective="2030-01-01"), status="draft", with_batch=False)
    assert findings(root) == []  # preparing a list for a law still to come is fine


def test_retired_points_are_not_checked(tmp_path):
    root = make_repo(tmp_path, catalogue(repealed="2019-01-01"), status="retired")
    assert findings(root) == []


@pytest.mark.parametrize("status, severity", [("published", "error"), ("approved", "warning")])
def test_number_mismatch_by_status(tmp_path, status, severity):
    root = make_repo(tmp_path, catalogue(), status=status, number="商务部令2012年第10号")
    assert findings(root) == [(severity, "law-number-mismatch")]
    root = make_repo(tmp_path / "w", catalogue(), status=status, number="商务部令２０１２年第 9 号")
    assert findings(root) == []


def test_number_mismatch_names_the_law_the_number_belongs_to(tmp_path):
    cat = catalogue() + "  - name: 报废机动车回收管理办法\n    number: 国务院令第715号\n    rank: administrative_regulation\n"
    root = make_repo(tmp_path, cat, number="国务院令第715号")
    [d] = validate_repository(load_repository(root)).diagnostics
    assert d.code == "law-number-mismatch" and "《报废机动车回收管理办法》" in d.message


def test_unknown_law_suggests_closest_and_its_number(tmp_path):
    cat = "laws:\n  - name: 单用途商业预付卡管理办法\n    number: 商务部令2012年第9号\n    rank: department_rule\n"
    root = make_repo(tmp_path, cat)
    [d] = validate_repository(load_repository(root)).diagnostics
    assert (d.severity, d.code, d.path) == ("warning", "unknown-law", "risks[0].basis[0].law")
    assert "《单用途商业预付卡管理办法》" in d.message and "试行" in d.message


def test_nothing_is_enforced_without_a_catalogue(tmp_path):
    root = make_repo(tmp_path, None, number="随便写的文号")
    assert findings(root) == []


def test_broken_catalogue_only_reports_its_own_errors(tmp_path):
    root = make_repo(tmp_path, "laws:\n  - name: x\n    rank: 宪法\n")
    assert findings(root) == [("error", "bad-enum")]  # not also "unknown-law" for every citation


@pytest.mark.parametrize("rank, expected", [
    ("law", []),
    ("administrative_regulation", []),
    ("local_regulation", [("warning", "coercion-local-regulation")]),
    ("department_rule", [("error", "coercion-rank")]),
    ("local_rule", [("error", "coercion-rank")]),
    ("normative_document", [("error", "coercion-rank")]),
])
def test_coercion_basis_rank(tmp_path, rank, expected):
    root = make_repo(tmp_path, catalogue().replace("department_rule", rank))
    path = root / "data/risks/gamma.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: penalty", "role: coercion")
                    .replace("level: medium", "level: high\n    factors:\n      coercion: true"), encoding="utf-8")
    result = validate_repository(load_repository(root))
    assert [(d.severity, d.code) for d in result.diagnostics] == expected
    for d in result.diagnostics:
        assert "行政强制法第十条" in d.message and "第十三条" in d.message


# --- publish: laws not in force on the publication date ------------------------------------------


class _Source:
    rel = "data/risks/gamma.yaml"

    def locate(self, *loc):
        return 7, 9


@pytest.mark.parametrize("day, code", [
    ("2012-10-31", "law-not-yet-effective"), ("2012-11-01", None),
    ("2019-09-15", None), ("2019-09-16", "law-repealed"), ("2019-09-17", "law-repealed"),
])
def test_laws_not_in_force_for_publish(day, code):
    cat = LawCatalogue.model_validate({"laws": [
        {"name": f"《{YFK}》", "rank": "department_rule", "effective": "2012-11-01", "repealed": "2019-09-16"}]})
    cited = [(_Source(), ("risks", 0, "basis", 0, "law"), "单用途商业预付卡管理办法(试行)", "")]
    got = list(laws.laws_not_in_force(cited, cat, D(day)))
    assert [d.code for d in got] == ([code] if code else [])
    if code:
        assert got[0].location() == "data/risks/gamma.yaml:7:9" and got[0].path == "risks[0].basis[0].law"
    assert list(laws.laws_not_in_force(cited, None, D(day))) == []


def test_one_law_key_for_the_catalogue_and_the_consistency_check():
    """Two spellings are one law everywhere or nowhere (issue 14: the consistency check had its own key)."""
    from fxfk.rules import hotspots

    assert hotspots.law_key is law_names.law_key
    assert law_names.law_key("〈拍卖管理办法〉") == law_names.law_key("拍卖管理办法")
    assert law_names.law_key("商务部令２０１２年第９号") == law_names.law_key("商务部令2012年第9号")


def test_display_name_is_the_name_as_written_without_title_marks():
    assert law_names.display_name(" 《拍卖管理办法》 ") == "拍卖管理办法"
    assert law_names.display_name("单用途商业预付卡管理办法(试行)") == "单用途商业预付卡管理办法(试行)"
