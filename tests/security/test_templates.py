"""Issue 13 item 3: a data repository's templates are hostile input.

Every user template runs in Jinja's sandbox, sees only the public view, is read only from inside
``templates/<folder>/`` of the repository, and every public file it produces is scanned for personal
numbers before anything is written. A template that breaks a rule is a usage error (exit 2) with a
Chinese message naming the template; it never runs a command, never exits 3 and never leaves output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, run_fxfk
from hostile import PUBLIC_TITLE, repo_with

SECRET = "ZZSECRETZZ"


def publish(repo: Path, out: Path, fmt: str = "md"):
    return run_fxfk("publish", "--root", str(repo), "--out", str(out), "--date", "2020-01-15", "-f", fmt)


def report(repo: Path, out: Path, fmt: str = "md"):
    return run_fxfk("report", "--root", str(repo), "--out", str(out), "--date", "2019-12-31", "-f", fmt)


def user_template(repo: Path, text: str, name: str = "risk_list.md.j2", folder: str = "publish") -> Path:
    path = repo / "templates" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_refused(r, out: Path, *, code: int = 2, name: str = "risk_list.md.j2") -> None:
    assert r.code == code, (r.code, r.err)
    assert "Traceback" not in r.err and "内部错误" not in r.err
    assert "模板" in r.err and name in r.err, r.err
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]  # no temp folder left


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return repo_with(tmp_path, "title", PUBLIC_TITLE)


@pytest.mark.parametrize(
    "expression",
    [
        "lipsum.__globals__['os'].popen('touch {flag}').read()",
        "cycler.__init__.__globals__['os'].popen('touch {flag}').read()",
        "joiner.__init__.__globals__['os'].popen('touch {flag}').read()",
        "''.__class__.__mro__[1].__subclasses__()",
        "basis_text.__globals__['__builtins__']['__import__']('os').popen('touch {flag}').read()",
        "view.__class__.__init__.__globals__['__builtins__']['open']('{flag}', 'w')",
    ],
)
def test_template_cannot_run_commands(repo, tmp_path, expression):
    flag = tmp_path / "pwned"
    user_template(repo, "{{ " + expression.format(flag=flag) + " }}\n")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert not flag.exists()
    assert_refused(r, out)


def test_template_cannot_read_a_raw_register(repo, tmp_path):
    register = repo / "data/risks/east.yaml"
    user_template(repo, "{{ basis_text.__globals__['__builtins__']['open']('" + str(register) + "').read() }}\n")
    out = tmp_path / "public"
    assert_refused(publish(repo, out), out)


def test_report_template_cannot_reach_modules_or_files(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo, ignore=shutil.ignore_patterns(".fxfk-cache"))
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    out = tmp_path / "reports"
    for text in (
        "{{ F.__builtins__['open']('" + str(secret) + "').read() }}\n",
        "{{ F.Repository }}{{ F.build_report }}\n",
        "{{ lipsum.__globals__['os'].popen('echo " + SECRET + "').read() }}\n",
    ):
        user_template(repo, text, "report.md.j2", "report")
        r = report(repo, out)
        assert_refused(r, out, name="report.md.j2")
        assert SECRET not in r.out + r.err


def test_report_template_still_renders_the_builtin_figures(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(CORPUS / "base", repo, ignore=shutil.ignore_patterns(".fxfk-cache"))
    user_template(repo, '{% extends "default:report.html.j2" %}{% block footer %}本地{{ F.TYPICAL_CASES }}{% endblock %}\n',
                  "report.html.j2", "report")
    out = tmp_path / "reports"
    r = report(repo, out, "html,md")
    assert r.code == 0, r.err
    assert "本地" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "target",
    ["outside", "../../data/risks/east.yaml"],
)
def test_symlinked_template_outside_the_templates_folder_is_refused(repo, tmp_path, target):
    outside = tmp_path / "secret.j2"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    link = repo / "templates/publish/risk_list.md.j2"
    link.parent.mkdir(parents=True)
    os.symlink(outside if target == "outside" else target, link)
    out = tmp_path / "public"
    r = publish(repo, out)
    assert_refused(r, out)
    assert "模板目录之外" in r.err


def test_symlinked_templates_folder_outside_the_repository_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "publish").mkdir(parents=True)
    (elsewhere / "publish/risk_list.md.j2").write_text(SECRET + "\n", encoding="utf-8")
    os.symlink(elsewhere, repo / "templates")
    out = tmp_path / "public"
    assert_refused(publish(repo, out), out)


def test_symlink_inside_the_templates_folder_is_fine(repo, tmp_path):
    folder = repo / "templates/publish"
    folder.mkdir(parents=True)
    (folder / "mine.md.j2").write_text("# 本地模板\n", encoding="utf-8")
    os.symlink("mine.md.j2", folder / "risk_list.md.j2")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 0, r.err
    assert (out / "east.md").read_text(encoding="utf-8") == "# 本地模板\n"


@pytest.mark.parametrize(
    "include",
    ["../../data/risks/east.yaml", "/etc/passwd", "default:../../../../../../etc/passwd", "..\\..\\data\\risks\\east.yaml"],
)
def test_include_cannot_leave_the_templates_folder(repo, tmp_path, include):
    # Regression guard: Jinja's loaders already refuse ".." and absolute names; this keeps it so.
    user_template(repo, '{% include "' + include.replace("\\", "\\\\") + '" %}\n')
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 2 and "ZZLEAKZZ" not in r.err and "root:" not in r.err
    assert not out.exists()


@pytest.mark.parametrize(
    "text",
    [
        "{{ 1 / 0 }}\n",
        "{{ 7 ** 2000000 }}\n",
        "{{ 'x' * 10000000 }}\n",
        "{% for i in range(1000000) %}{% endfor %}\n",
        "{{ view.offices[0].risks[0].title.encode('gbk').decode('ascii') }}\n",
        "{% set x = [] %}{{ x.append(1) }}\n",
    ],
)
def test_runtime_errors_and_unbounded_work_in_a_template_are_usage_errors(repo, tmp_path, text):
    user_template(repo, text)
    out = tmp_path / "public"
    assert_refused(publish(repo, out), out)


def test_error_names_the_included_template(repo, tmp_path):
    user_template(repo, "{% include 'part.md.j2' %}\n")
    user_template(repo, "前文\n{{ lipsum.__globals__ }}\n", "part.md.j2")
    out = tmp_path / "public"
    assert_refused(publish(repo, out), out, name="part.md.j2")


@pytest.mark.parametrize("fmt, name", [("md", "risk_list.md.j2"), ("html", "risk_list.html.j2")])
def test_personal_number_written_by_a_template_refuses_the_publication(repo, tmp_path, fmt, name):
    user_template(repo, "{{ view.date }} 联系人 139 1234 5678\n", name)
    out = tmp_path / "public"
    r = publish(repo, out, fmt)
    assert r.code == 1, r.err
    assert f"east.{fmt}" in r.err and "139****5678" in r.err and "public-mobile-number" in r.err
    assert "1234 5678" not in r.err and "Traceback" not in r.err
    assert not out.exists()


def test_personal_number_assembled_from_two_fields_is_caught_in_the_output(tmp_path):
    # Each field alone is harmless; the template puts them side by side.
    repo = repo_with(tmp_path, "responsible", "科室139")
    path = repo / "data/risks/east.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 东区甲第一批公开风险点", "title: 12345678号"),
                    encoding="utf-8")
    user_template(repo, "{% for r in offices[0].risks %}{{ r.responsible }}{{ r.title }}\n{% endfor %}")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 1, r.err
    assert "east.md" in r.err and "139****5678" in r.err and not out.exists()


def test_builtin_templates_pass_the_output_scan(tmp_path):
    repo = repo_with(tmp_path, "title", PUBLIC_TITLE)
    out = tmp_path / "public"
    r = run_fxfk("publish", "--root", str(repo), "--out", str(out), "--date", "2020-01-15")
    assert r.code == 0, r.err


def test_environment_is_sandboxed_and_exposes_only_pure_helpers(tmp_path):
    from jinja2.sandbox import SandboxedEnvironment

    from fxfk.render.templates import environment

    for folder in ("publish", "report"):
        env = environment(tmp_path, folder)
        assert isinstance(env, SandboxedEnvironment)
        assert "lipsum" not in env.globals


def test_public_view_holds_only_plain_values():
    """The context a template gets: frozen dataclasses of str, int, date and tuples — no Repository, no paths."""
    from fxfk.public import view as view_module
    from fxfk.publish import prepare

    built = prepare(CORPUS / "publish", dt.date(2020, 1, 15))
    seen = set()

    def walk(value, where):
        if isinstance(value, (str, int, bool, type(None), dt.date)):
            return
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")
            return
        assert dataclasses.is_dataclass(value) and type(value).__module__ == view_module.__name__, where
        assert type(value).__dataclass_params__.frozen, where
        if id(value) in seen:
            return
        seen.add(id(value))
        for f in dataclasses.fields(value):
            walk(getattr(value, f.name), f"{where}.{f.name}")

    walk(built.view, "view")
