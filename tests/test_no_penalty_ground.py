"""The legal ground of the 免罚清单 by date, article-level changes in the law catalogue, verbatim excerpts
(issue 15 items 1 and 8; fxfk.rules.law_versions, fxfk.rules.law_articles, fxfk.public.view)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, REPO, run_fxfk
from fxfk.models import LawCatalogue
from fxfk.options import Options
from fxfk.rules import law_versions
from fxfk.rules.law_versions import FIRST_OFFENCE_WORDS, article_refs, excerpt_problem, no_penalty_ground
from fxfk.rules.validation import validate

D = dt.date.fromisoformat
OLD, NEW = "第二十七条第二款", "第三十三条第一款"
DATA_CATALOGUE = LawCatalogue.model_validate(yaml.safe_load((REPO / "data" / "laws.yaml").read_text(encoding="utf-8")))


# --- the ground --------------------------------------------------------------------------------


@pytest.mark.parametrize("catalogue", [None, DATA_CATALOGUE], ids=["built-in", "data/laws.yaml"])
@pytest.mark.parametrize("day, article", [
    ("2018-01-01", OLD), ("2021-07-14", OLD), ("2021-07-15", NEW), ("2022-01-10", NEW),
])
def test_the_ground_is_the_article_in_force_on_the_day(catalogue, day, article):
    ground = no_penalty_ground(catalogue, D(day))
    assert ground.law == "中华人民共和国行政处罚法"
    assert ground.articles == (article,)
    words = "及时纠正" if article == OLD else "及时改正"
    assert words in ground.texts[0] and ground.situations[0].startswith("违法行为轻微并" + words)


def test_the_catalogue_gives_the_text_and_number_of_the_day():
    before, after = no_penalty_ground(DATA_CATALOGUE, D("2021-07-14")), no_penalty_ground(DATA_CATALOGUE, D("2021-07-15"))
    assert (before.version, before.number) == ("中华人民共和国行政处罚法（2017年修正）", "中华人民共和国主席令第七十六号")
    assert (after.version, after.number) == ("中华人民共和国行政处罚法（2021年修订）", "中华人民共和国主席令第七十号")
    assert after.texts == ("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",)
    assert no_penalty_ground(DATA_CATALOGUE, D("2009-08-27")).version == "中华人民共和国行政处罚法（2009年修正）"


def test_first_offence_adds_its_sentence_only_where_the_day_has_it():
    assert no_penalty_ground(None, D("2021-07-15"), first_offence=True).situations == (
        "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚",
        "初次违法且危害后果轻微并及时改正的，可以不予行政处罚",
    )
    assert len(no_penalty_ground(None, D("2021-07-14"), first_offence=True).situations) == 1


def test_with_a_catalogue_the_catalogue_decides():
    moved = DATA_CATALOGUE.model_copy(deep=True)
    apl = next(law for law in moved.laws if law.name == "中华人民共和国行政处罚法")
    apl.versions.append(law_versions.LawVersion(
        effective=D("2030-01-01"), name="中华人民共和国行政处罚法（2030年修订）", articles={"no_penalty": "第三十四条"},
    ))
    assert no_penalty_ground(moved, D("2030-01-01")).articles == ("第三十四条",)
    assert no_penalty_ground(moved, D("2029-12-31")).articles == (NEW,)
    # A catalogue that lists the law without versions leaves the built-in switch in charge.
    bare = LawCatalogue(laws=[{"name": "中华人民共和国行政处罚法", "rank": "law"}])
    assert no_penalty_ground(bare, D("2030-01-01")).articles == (NEW,)


def test_article_refs():
    assert article_refs("第九条第一款、第十条第二款") == ["第九条第一款", "第十条第二款"]
    assert article_refs("第七条第一款、第二款") == ["第七条第一款", "第七条第二款"]
    assert article_refs("第四十条第（一）（二）项") == ["第四十条第(一)(二)项"]


# --- publishing on 2021-07-14 and 2021-07-15 ----------------------------------------------------

GAMMA = """\
office: {id: gamma, name: 丙县商务局, kind: county}
batches:
  - {id: 1, date: 2021-07-01}
risks:
  - id: GA-001
    title: 洗染店未明示服务项目
    domain: 洗染
    basis:
      - {role: penalty, law: 洗染业管理办法, article: 第二十四条}
    factors: {minor_correctable: true}
    level: low
    responsible: 丙县商务局
    measures: [{kind: advise, text: 一次性告知}]
    status: published
    consultation: {start: 2021-06-01, end: 2021-06-15, parties: [企业]}
    batch: 1
    no_penalty: true
    no_penalty_condition: 1. 违法行为轻微；2. 及时改正；3. 没有造成危害后果。
  - id: GA-002
    title: 洗染店未明示收费标准
    domain: 洗染
    basis:
      - {role: penalty, law: 洗染业管理办法, article: 第二十四条}
    discretion:
      - {circumstance: 及时改正，没有造成危害后果, sanction: 不予处罚}
      - {circumstance: 拒不改正, sanction: 罚款}
    factors: {minor_correctable: true}
    level: low
    responsible: 丙县商务局
    measures: [{kind: advise, text: 一次性告知}]
    status: published
    consultation: {start: 2021-06-01, end: 2021-06-15, parties: [企业]}
    batch: 1
    no_penalty: true
    no_penalty_condition: 1. 违法行为轻微；2. 及时改正。
"""


def _repo(tmp_path: Path, catalogue: bool) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo)
    (repo / "data" / "risks" / "gamma.yaml").write_text(GAMMA, encoding="utf-8")
    if catalogue:
        shutil.copy(REPO / "data" / "laws.yaml", repo / "data" / "laws.yaml")
        # the corpus cites a law data/ does not: add it so validate stays quiet
        with (repo / "data" / "laws.yaml").open("a", encoding="utf-8") as f:
            f.write("\n  - name: 洗染业管理办法\n    rank: department_rule\n    effective: 2007-07-01\n")
    return repo


def _rows(out: Path) -> list[str]:
    text = (out / "gamma.no-penalty.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("| ") and "洗染店" in line]


@pytest.mark.parametrize("catalogue", [False, True], ids=["built-in", "catalogue"])
def test_publish_cites_the_article_of_each_day(tmp_path, catalogue):
    repo = _repo(tmp_path, catalogue)
    for day, article, other in (("2021-07-14", OLD, NEW), ("2021-07-15", NEW, OLD)):
        out = tmp_path / day
        r = run_fxfk("publish", "--root", str(repo), "--out", str(out), "--date", day, "--format", "md,html,csv")
        assert r.code == 0, r.err
        rows = _rows(out)
        assert len(rows) == 2
        for row in rows:  # with and without a discretion tier saying 不予处罚
            basis = row.split(" | ")[2]
            assert "《中华人民共和国行政处罚法》" in basis and article in basis and other not in basis, row
        # the tier's own words are the situation; the statute's words otherwise
        assert " | 及时改正，没有造成危害后果 | " in rows[1]
        assert ("及时纠正" if article == OLD else "及时改正") in rows[0].split(" | ")[3]
        html = (out / "gamma.no-penalty.html").read_text(encoding="utf-8")
        assert html.count(article) >= 2 and other not in html
        csv = (out / "_city.no-penalty.csv").read_text(encoding="utf-8-sig")
        assert article in csv and other not in csv
        if catalogue:
            number = "主席令第七十六号" if article == OLD else "主席令第七十号"
            assert number in rows[0]


# --- validate -----------------------------------------------------------------------------------


def _validate(repo: Path, day: str):
    result = validate(repo, Options(cache=False, date=D(day)))
    return [(d.severity, d.code, d.path) for d in result.diagnostics if d.code not in ("inconsistent-level",)]


def test_a_condition_citing_the_2017_article_after_2021_07_15_fails_validate(tmp_path):
    repo = _repo(tmp_path, catalogue=True)
    path = repo / "data" / "risks" / "gamma.yaml"
    text = GAMMA.replace("2. 及时改正；3. 没有造成危害后果。", "2. 及时改正；3. 没有造成危害后果。依据《中华人民共和国行政处罚法》（2017年修正）第二十七条第二款。")
    path.write_text(text, encoding="utf-8")
    assert _validate(repo, "2022-01-10") == [
        ("warning", "cited-article-superseded", "risks[0].no_penalty_condition"),
    ]  # right on its batch date (2021-07-01), superseded since: the public list is out of date
    path.write_text(text.replace("date: 2021-07-01", "date: 2021-07-15"), encoding="utf-8")
    found = _validate(repo, "2022-01-10")
    assert ("error", "cited-version-not-in-force", "risks[0].no_penalty_condition") in found
    run = run_fxfk("validate", "--root", str(repo), "--date", "2022-01-10")
    assert run.code == 1 and "第二十七条第二款" in run.out
    # the bare article, without the version's name
    path.write_text(text.replace("date: 2021-07-01", "date: 2021-07-15").replace("（2017年修正）", ""), encoding="utf-8")
    assert _validate(repo, "2022-01-10") == [("error", "cited-article-not-in-force", "risks[0].no_penalty_condition")]
    # before the batch date: a warning
    assert _validate(repo, "2021-07-14") == [("warning", "cited-article-not-in-force", "risks[0].no_penalty_condition")]


@pytest.mark.parametrize("word", FIRST_OFFENCE_WORDS)
def test_first_offence_wording_before_2021_07_15_is_an_error(tmp_path, word):
    repo = _repo(tmp_path, catalogue=False)  # the built-in switch decides without a catalogue
    path = repo / "data" / "risks" / "gamma.yaml"
    text = GAMMA.replace("1. 违法行为轻微；2. 及时改正；3.", f"1. {word}；2. 及时改正；3.")
    path.write_text(text.replace("date: 2021-07-01", "date: 2021-07-14"), encoding="utf-8")
    assert _validate(repo, "2022-01-10") == [("error", "first-offence-without-ground", "risks[0].no_penalty_condition")]
    path.write_text(text.replace("date: 2021-07-01", "date: 2021-07-15"), encoding="utf-8")
    assert _validate(repo, "2022-01-10") == []


def test_data_cites_no_article_out_of_force_and_quotes_verbatim():
    today = dt.date.today()
    for day in (D("2019-12-31"), D("2021-07-14"), D("2021-07-15"), today):
        result = validate(REPO, Options(cache=False, date=day))
        codes = {d.code for d in result.diagnostics}
        assert result.errors == 0, [d for d in result.diagnostics if d.severity == "error"]
        assert not codes & {"cited-article-not-in-force", "cited-version-not-in-force", "cited-article-superseded",
                            "first-offence-without-ground", "excerpt-not-verbatim"}, day
    names = {law.name: law for law in DATA_CATALOGUE.laws}
    assert names["中华人民共和国行政处罚法"].versions and names["中华人民共和国行政强制法"].versions


# --- excerpts -----------------------------------------------------------------------------------

LAW = next(law for law in DATA_CATALOGUE.laws if law.name == "对外劳务合作管理条例")
NINE = "缴存不低于300万元人民币的对外劳务合作风险处置备用金（以下简称备用金）。"
TEN = "备用金使用后，对外劳务合作企业应当自使用之日起20个工作日内将备用金补足到原有数额。"
ARTICLES = "第九条第一款、第十条第二款"


@pytest.mark.parametrize("excerpt", [
    NINE + "……" + TEN, NINE + "…" + TEN, NINE + "......" + TEN, NINE + "「……」" + TEN,
    TEN, NINE.replace("，", ", "),  # width and spaces do not count
])
def test_verbatim_excerpts_pass(excerpt):
    assert excerpt_problem(LAW, ARTICLES, excerpt, D("2019-09-16")) is None


@pytest.mark.parametrize("excerpt, article", [
    (NINE + TEN, ARTICLES),  # joined silently
    (NINE.replace("（以下简称备用金）", "") + "……" + TEN, ARTICLES),  # a word left out without a mark
    (TEN.replace("20", "30"), "第十条第二款"),
    (NINE, "第十条第二款"),  # the right words of another article
])
def test_other_excerpts_are_flagged(excerpt, article):
    problem = excerpt_problem(LAW, article, excerpt, D("2019-09-16"))
    assert problem is not None and "不在《对外劳务合作管理条例》" in problem


def test_excerpts_of_articles_without_text_are_not_judged():
    assert excerpt_problem(LAW, "第九条第一款、第四十一条", "随便什么", D("2019-09-16")) is None
    assert excerpt_problem(LAW, "第九条第一款", "随便什么", D("2011-01-01")) is None  # before any text


def test_a_basis_may_give_the_number_and_article_of_the_text_of_its_batch_date(tmp_path):
    repo = _repo(tmp_path, catalogue=True)
    path = repo / "data" / "risks" / "gamma.yaml"
    cite = ("      - {role: violated, law: 中华人民共和国行政处罚法, number: 中华人民共和国主席令第七十六号, "
            "article: 第二十七条第二款}\n")
    text = GAMMA.replace("      - {role: penalty, law: 洗染业管理办法, article: 第二十四条}\n    factors",
                         "      - {role: penalty, law: 洗染业管理办法, article: 第二十四条}\n" + cite + "    factors", 1)
    path.write_text(text, encoding="utf-8")
    assert _validate(repo, "2022-01-10") == []  # 2021-07-01: the 2017 text, its number and article
    path.write_text(text.replace("date: 2021-07-01", "date: 2021-07-15"), encoding="utf-8")
    assert sorted(_validate(repo, "2022-01-10")) == [
        ("error", "cited-article-not-in-force", "risks[0].basis[1].article"),
        ("error", "law-number-mismatch", "risks[0].basis[1].number"),
    ]


def test_publish_refuses_a_condition_citing_an_article_superseded_by_the_publication_date(tmp_path):
    """Validate only warns (the article was right on the batch date); the list of 2022 would print it."""
    repo = _repo(tmp_path, catalogue=True)
    path = repo / "data" / "risks" / "gamma.yaml"
    path.write_text(GAMMA.replace("2. 及时改正；3. 没有造成危害后果。",
                                  "2. 及时改正；3. 没有造成危害后果。依据《中华人民共和国行政处罚法》（2017年修正）第二十七条第二款。"),
                    encoding="utf-8")
    early = run_fxfk("publish", "--root", str(repo), "--out", str(tmp_path / "early"), "--date", "2021-07-14", "-f", "md")
    assert early.code == 0, early.err  # on its batch's own days the 2017 article was the law
    late = run_fxfk("publish", "--root", str(repo), "--out", str(tmp_path / "late"), "--date", "2022-01-10", "-f", "md")
    assert late.code == 1
    assert "data/risks/gamma.yaml:" in late.err and "cited-version-not-in-force" in late.err and "2022-01-10" in late.err
    assert not (tmp_path / "late").exists()
