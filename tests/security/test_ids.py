"""Issue 13 item 15: ids that later commands (and Windows checkouts) can trust.

* every id pattern matches the whole value: ``$`` also matches before a trailing newline in
  Python, so ``fxfk new office $'abc\\n'`` used to create ``data/risks/abc\\n.yaml``;
* Windows reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, in any case, with or
  without an extension) are refused as office ids and as data file names: such a file cannot be
  checked out on Windows, where the legal officers work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_fxfk
from fxfk.models.types import is_windows_reserved, windows_safe_alternative

RESERVED = ["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"]


def _validate(repo: Path) -> tuple[int, list[dict]]:
    run = run_fxfk("validate", "--format", "json", "--root", str(repo))
    assert "Traceback" not in run.err, run.err
    return run.code, run.json()["diagnostics"]


def _register(office_id: str) -> str:
    return (
        "office:\n"
        f"  id: {office_id}\n"
        "  name: 丙县商务局\n"
        "  kind: county\n"
    )


def test_new_office_refuses_an_id_with_a_trailing_newline(base_repo: Path):
    run = run_fxfk("new", "office", "gamma\n", "--name", "丙县商务局", "--kind", "county", "--root", str(base_repo))
    assert run.code == 2, run.out + run.err
    assert "单位标识" in run.err and "\n.yaml" not in run.err
    assert sorted(p.name for p in (base_repo / "data/risks").iterdir()) == ["alpha.yaml", "beta.yaml"]


@pytest.mark.parametrize("name", RESERVED)
def test_new_office_refuses_windows_reserved_names_and_suggests_a_valid_one(base_repo: Path, name: str):
    run = run_fxfk("new", "office", name, "--name", "丙县商务局", "--kind", "county", "--root", str(base_repo))
    assert run.code == 2, run.out + run.err
    assert "Windows" in run.err and "保留" in run.err
    assert not (base_repo / "data/risks" / f"{name}.yaml").exists()
    suggestion = windows_safe_alternative(name)
    assert f"例如 {suggestion}" in run.err
    ok = run_fxfk("new", "office", suggestion, "--name", "丙县商务局", "--kind", "county", "--root", str(base_repo))
    assert ok.code == 0, ok.err
    assert _validate(base_repo)[0] == 0


@pytest.mark.parametrize("name", ["con", "nul", "com1", "lpt9"])
def test_a_register_with_a_reserved_office_id_is_refused(base_repo: Path, name: str):
    (base_repo / f"data/risks/{name}.yaml").write_text(_register(name), encoding="utf-8")
    code, diags = _validate(base_repo)
    assert code == 1
    found = [d for d in diags if d["code"] == "windows-reserved-name"]
    assert [(d["file"], d["line"], d["path"]) for d in found] == [(f"data/risks/{name}.yaml", 2, "office.id")]
    assert f"例如 {windows_safe_alternative(name)}" in found[0]["message"]


@pytest.mark.parametrize("stem", ["NUL", "aux", "Com3", "con.old"])
def test_a_data_file_with_a_reserved_name_is_refused(base_repo: Path, stem: str):
    (base_repo / f"data/risks/{stem}.yaml").write_text(_register("gamma"), encoding="utf-8")
    code, diags = _validate(base_repo)
    assert code == 1
    found = [d for d in diags if d["code"] == "windows-reserved-name"]
    assert [d["file"] for d in found] == [f"data/risks/{stem}.yaml"], diags
    # The usual advice for a mismatch must not suggest the reserved name as the id.
    for d in diags:
        assert f"把 id 改为 {stem}" not in d["message"]


def test_reserved_name_unit():
    for name in ["con", "CON", "Con", "nul.txt", "NUL.tar.gz", "com1", "COM9.yaml", "lpt5", "aux ", "prn.yaml"]:
        assert is_windows_reserved(name), name
    for name in ["console", "com", "com0", "lpt10", "null", "auxiliary", "con-1", "east", "2019"]:
        assert not is_windows_reserved(name), name


@pytest.mark.parametrize("name", RESERVED)
def test_the_suggestion_is_itself_a_valid_office_id(name: str):
    from fxfk.models.register import OFFICE_ID_PATTERN

    suggestion = windows_safe_alternative(name)
    assert re.fullmatch(OFFICE_ID_PATTERN, suggestion) and not is_windows_reserved(suggestion)


# --- what fxfk new and fxfk init write is read back as given, or refused -------------------------------


def test_new_risk_keeps_a_trailing_line_break_of_the_title(base_repo: Path):
    """``$`` let "标题\\n" pass as a plain scalar: the line break was silently lost."""
    import yaml

    run = run_fxfk("new", "risk", "alpha", "--title", "标题\n", "--domain", "洗染", "--root", str(base_repo))
    assert run.code == 0, run.err
    risks = yaml.safe_load((base_repo / "data/risks/alpha.yaml").read_text(encoding="utf-8"))["risks"]
    assert risks[-1]["title"] == "标题\n"


def test_new_office_refuses_a_name_that_would_break_out_of_its_comment(base_repo: Path):
    run = run_fxfk("new", "office", "gamma", "--name", "丙县\x85batches: evil", "--kind", "county", "--root", str(base_repo))
    assert run.code == 2, run.out + run.err
    assert "U+0085" in run.err
    assert not (base_repo / "data/risks/gamma.yaml").exists()


@pytest.mark.parametrize(
    "option, value, shown",
    [("--organization", "测试\u202e局", "U+202E"), ("--source", "https://example.org/x.git\n    - run: evil", "--source")],
    ids=["organization", "source"],
)
def test_init_refuses_control_characters_in_what_it_writes(tmp_path: Path, option, value, shown):
    target = tmp_path / "new"
    run = run_fxfk("init", str(target), option, value, "--year", "2020")
    assert run.code == 2, run.out + run.err
    assert shown in run.err and "\n    - run" not in run.err
    assert not target.exists() or not any(target.iterdir())
