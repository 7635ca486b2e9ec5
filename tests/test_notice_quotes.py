"""Every quotation fxfk shows as the notice's words is a verbatim part of the notice (issue 15).

The notice is docs/notice-2019-175.md (郑商〔2019〕175号, a public document, copied verbatim from the
project's seed text). Its transcription breaks lines inside words and mixes full- and half-width
punctuation (「原因,结合」), so both sides are compared after removing white space and folding
width (NFKC) — nothing else. A quotation that joins parts that are not adjacent in the notice marks
the gap with 「……」, and each part must be in the notice on its own.

What counts as "shown as the notice's words":

* the clauses and facts of :mod:`fxfk.rules.levels` (what validate, classify and diff cite);
* every 「…」 in what the CLI prints (classify in three- and two-level mode, validate messages);
* every 「…」 or “…” that follows a reference to the notice (附件1 …, 附件2 …, 通知 …, 正文 …) in the
  code, the templates, the docs, README.md and the field reference generator;
* the 通知原文 column of the user guide's level table, and the 附件2 rows of the `fxfk init` task table.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import CASES_DIR, CORPUS, REPO, run_fxfk
from fxfk.rules.levels import FACTS, HIGH, LOW, MEDIUM, TWO_LEVEL_REST, explain

NOTICE_COPY = REPO / "docs" / "notice-2019-175.md"
SEED = REPO.parent / "shared" / "seed" / "notice-2019-175.md"
HEADER_END = "\n---\n"  # the copy's header (what it is, where it comes from) ends at the first rule


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split(HEADER_END, 1)[1]


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


NOTICE = norm(_body(NOTICE_COPY))


def _in_notice(part: str) -> bool:
    text = norm(part)
    if "N" in text:  # “N 月中旬”: N stands for any number the notice writes there
        return re.search(re.escape(text).replace("N", r"\d+"), NOTICE) is not None
    return text in NOTICE


def misquoted(quotation: str) -> list[str]:
    """The parts of a quotation (split at 「……」) that are not in the notice; [] when it is verbatim."""
    parts = [p for p in quotation.split("……") if norm(p)]
    return [p for p in parts if not _in_notice(p)] or ([] if parts else [quotation])


def assert_verbatim(quotation: str, where: str) -> None:
    bad = misquoted(quotation)
    assert not bad, f"{where}: 「{quotation}」 is shown as the notice's words, but the notice has no {bad}"


# -- the copy ------------------------------------------------------------------------------------


def test_the_copy_says_what_it_is_and_where_it_comes_from():
    header = NOTICE_COPY.read_text(encoding="utf-8").split(HEADER_END, 1)[0]
    assert "郑商〔2019〕175号" in header and "公开的政府文件" in header
    assert "附件1" in NOTICE and "除了高风险和低风险之外的其他违法行为" in NOTICE


@pytest.mark.skipif(not SEED.exists(), reason="the project's seed text is not next to this checkout")
def test_the_copy_is_the_seed_text_unchanged():
    assert _body(NOTICE_COPY).strip("\n") == SEED.read_text(encoding="utf-8").strip("\n")


def test_a_misquotation_is_caught():
    assert misquoted("除了高风险之外的其他违法行为（只分高、低两级时归为低风险）")  # issue 15 item 2
    assert misquoted("实施重大行政处罚……的违法行为") == []
    assert misquoted("实施重大行政处罚……只分高、低两级")
    assert misquoted("N 月中旬") == [] and misquoted("N 月上旬")


# -- the level rules -----------------------------------------------------------------------------


def test_every_clause_and_fact_quotes_the_notice():
    for clause in (HIGH, LOW, MEDIUM):
        assert clause.quoted
        assert_verbatim(clause.wording, clause.ref)
        assert clause.cite() == f"{clause.ref}「{clause.wording}」"
    for fact in FACTS:
        assert_verbatim(fact.wording, f"factors.{fact.field}")
        for part in fact.wording.split("……"):
            assert part in fact.clause.wording, fact.field


def test_the_two_level_rule_is_never_shown_as_a_quotation():
    assert not TWO_LEVEL_REST.quoted
    shown = TWO_LEVEL_REST.cite()
    assert "「" not in shown and "」" not in shown
    assert shown.startswith("本单位") and "fxfk.yaml levels: 2" in shown

    class NoFacts:
        major_penalty = coercion = simple_procedure = minor_correctable = rare = unclear_law = False
        hotspot = ""

    assert explain(NoFacts(), 2).clause is TWO_LEVEL_REST


# -- what the CLI prints -------------------------------------------------------------------------

CORNER = re.compile(r"「([^」]*)」")
# A quotation introduced by a reference to the notice: 附件1 二（五）“…”, 通知 四“…”, 正文五“…”,
# 附件1 一（一）的“…”. The gap may not cross a clause (，；。), a line or another quotation.
REF = re.compile(r"(?:附件\s*[12]|通知|正文|notice)[^「“」”，；。\n]{0,40}?[「“]([^」”\n]{1,300})[」”]")


def _quotations(text: str) -> list[str]:
    return CORNER.findall(text) + REF.findall(text)


def _repo_with(case: str | None, tmp_path: Path, levels: int = 3) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo)
    if case:
        shutil.copytree(CASES_DIR / case / "files", repo, dirs_exist_ok=True)
    if levels == 2:
        settings = repo / "fxfk.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "levels: 2\n", encoding="utf-8")
    return repo


def _outputs(repo: Path) -> str:
    runs = [
        run_fxfk("classify", "--root", str(repo)),
        run_fxfk("classify", "--root", str(repo), "-f", "markdown"),
        run_fxfk("validate", "--root", str(repo), "--date", "2019-12-31"),
    ]
    for run in runs:
        assert "Traceback" not in run.err, run.err
    return "\n".join(run.out for run in runs)


@pytest.mark.parametrize("levels", [3, 2])
def test_every_quotation_the_cli_prints_is_verbatim(tmp_path, levels):
    texts = []
    for case in ("level-mismatch", "coercion-generic-basis"):
        texts.append(_outputs(_repo_with(case, tmp_path / case, levels)))
    classify = tmp_path / "classify"
    shutil.copytree(CORPUS / "classify", classify)  # hotspot warnings quote 附件1 一（一）
    if levels == 2:
        (classify / "fxfk.yaml").write_text(
            (classify / "fxfk.yaml").read_text(encoding="utf-8") + "levels: 2\n", encoding="utf-8")
    texts.append(_outputs(classify))
    out = "\n".join(texts)
    found = _quotations(out)
    assert len(found) > 10, out
    for quotation in found:
        assert_verbatim(quotation, f"fxfk output ({levels} levels)")
    if levels == 2:
        assert "本单位的两级划分（fxfk.yaml levels: 2" in out
        assert "两级划分）「" not in out


def test_the_level_mismatch_message_cites_the_local_rule_in_two_level_mode(tmp_path):
    repo = _repo_with("level-mismatch", tmp_path, levels=2)
    run = run_fxfk("validate", "--root", str(repo), "-f", "json", "--date", "2019-12-31")
    messages = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "level-mismatch"]
    assert messages
    local = [m for m in messages if "本单位的两级划分" in m]
    assert local and all("「" not in m for m in local), messages


# -- code, templates and documentation -------------------------------------------------------------

# Adjacent string literals ("…附件1 一（一）的"\n  "“行政强制措施…”") are one message.
_JOINED = re.compile(r"\"\s*\n\s*(?:[rf]|rf|fr)?\"")


def _sources() -> list[Path]:
    src = REPO / "src" / "fxfk"
    docs = [p for p in sorted((REPO / "docs").glob("*.md")) if p != NOTICE_COPY]
    return [*sorted(src.rglob("*.py")), *sorted((src / "templates").rglob("*.j2")), *docs,
            REPO / "README.md", REPO / "scripts" / "gen_docs.py"]


def test_every_quotation_of_the_notice_in_code_and_docs_is_verbatim():
    seen = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            text = _JOINED.sub("", text)
        for quotation in REF.findall(text):
            seen += 1
            assert_verbatim(quotation, str(path.relative_to(REPO)))
    assert seen > 40  # the pattern still finds the quotations it was written for


def test_the_user_guide_level_table_quotes_the_notice():
    rows = [line for line in (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| 附件1 一（")]
    assert len(rows) == 3
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert_verbatim(cells[1], f"docs/user-guide.md: {cells[0]}")


def test_the_init_task_table_takes_its_rows_from_annex_2():
    annex2 = _body(NOTICE_COPY).split("## 附件 2", 1)[1]
    template = (REPO / "src" / "fxfk" / "templates" / "init" / "data" / "tasks" / "tasks.yaml.j2").read_text(encoding="utf-8")
    rows = re.findall(r"^\s+(?:item|content|deadline): (.+)$", template, re.MULTILINE)
    assert len(rows) >= 27
    for text in rows:
        assert norm(text) in norm(annex2), f"tasks.yaml.j2: “{text}” is not a row of 附件2"
