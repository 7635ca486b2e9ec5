"""Rendering the report: a user template that fails late (after most of the HTML is produced) leaves
no report and no half-written file, and keeps the previous output; the message names the template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CORPUS / "report", root)
    return root


def _report(root: Path, out: Path, fmt: str):  # type: ignore[no-untyped-def]
    return run_fxfk("report", "--root", str(root), "--out", str(out), "--date", "2019-12-31", "-f", fmt)


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("failing", ["{{ no_such_figure }}", "{{ 1 // 0 }}"])
def test_a_user_template_failing_at_the_end_leaves_the_old_report(tmp_path: Path, fmt: str, failing: str) -> None:
    root = _repo(tmp_path)
    out = tmp_path / "reports"
    assert _report(root, out, fmt).code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before
    user = root / "templates" / "report" / f"report.{fmt}.j2"
    user.parent.mkdir(parents=True)
    # the footer is the last thing written: the body has been produced by then
    body = "{% extends \"default:report." + fmt + ".j2\" %}{% block footer %}" + failing + "{% endblock %}\n"
    if fmt == "md":  # the Markdown template has no blocks: fail after all of it
        body = "{% include \"default:report.md.j2\" %}" + failing + "\n"
    user.write_text(body, encoding="utf-8")
    r = _report(root, out, fmt)
    assert r.code == 2, (r.code, r.err)
    assert "Traceback" not in r.err and "内部错误" not in r.err
    assert "模板" in r.err and f"report.{fmt}.j2" in r.err, r.err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]  # no temp folder left
