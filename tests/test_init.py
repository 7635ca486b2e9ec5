"""fxfk init: a new data repository that validates at once, with CI files that call real commands."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
import typer.main
import yaml

from conftest import REPO, run_fxfk

SOURCE = "https://git.example.org/zzsw/fxfk.git"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

EXPECTED_FILES = [
    ".github/workflows/deadlines.yml",
    ".github/workflows/fxfk.yml",
    ".gitignore",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "data/risks/example.yaml",
    "data/tasks/2021.yaml",
    "fxfk.yaml",
    "schemas/laws.schema.json",
    "schemas/register.schema.json",
    "schemas/settings.schema.json",
    "schemas/tasks.schema.json",
]


@pytest.fixture(scope="module")
def initialized(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "新仓库"
    run = run_fxfk("init", str(target), "--organization", "新郑市商务局: 法规科", "--year", "2021", "--source", SOURCE)
    assert run.code == 0, run.err
    return target


def test_writes_the_files_and_validates_at_once(initialized: Path):
    written = sorted(p.relative_to(initialized).as_posix() for p in initialized.rglob("*") if p.is_file())
    assert written == EXPECTED_FILES
    run = run_fxfk("validate", "--strict", cwd=initialized)
    assert run.code == 0, run.out
    assert run.out == "检查了 3 个文件：0 个错误，0 个警告\n"
    settings = yaml.safe_load((initialized / "fxfk.yaml").read_text(encoding="utf-8"))
    assert settings["organization"] == "新郑市商务局: 法规科"  # quoted where YAML needs it
    tasks = yaml.safe_load((initialized / "data/tasks/2021.yaml").read_text(encoding="utf-8"))
    assert tasks["year"] == 2021 and tasks["title"] == "2021年度工作任务表"
    assert [t["id"] for t in tasks["tasks"]] == ["1", "2.1", "2.2", "3.1", "3.2", "3.3", "4", "5.1", "5.2"]


def test_deadlines_work_on_the_new_repository(initialized: Path):
    run = run_fxfk("deadlines", "--today", "2021-08-01", "--format", "json", cwd=initialized)
    assert run.code == 0, run.err


def test_schema_lines_resolve(initialized: Path):
    for rel in ("fxfk.yaml", "data/risks/example.yaml", "data/tasks/2021.yaml"):
        first = (initialized / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (initialized / rel).parent / first.split("$schema=", 1)[1]
        assert target.is_file(), (rel, target)


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "repo"
    (target / "data/risks").mkdir(parents=True)
    (target / "fxfk.yaml").write_text("organization: 旧\n", encoding="utf-8")
    (target / "data/risks/example.yaml").write_text("x: 1\n", encoding="utf-8")
    run = run_fxfk("init", str(target), "--organization", "某县商务局", "--year", "2021", "--source", SOURCE)
    assert run.code == 2
    assert "不会覆盖" in run.err and "  data/risks/example.yaml\n  fxfk.yaml" in run.err
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "data/risks/example.yaml", "fxfk.yaml"]
    assert (target / "fxfk.yaml").read_text(encoding="utf-8") == "organization: 旧\n"


def _commands(initialized: Path) -> list[tuple[str, list[str]]]:
    """Every `fxfk …` command line in the generated CI files, split as the shell would."""
    found = []
    for rel in (".github/workflows/fxfk.yml", ".github/workflows/deadlines.yml", ".gitlab-ci.yml"):
        doc = yaml.safe_load((initialized / rel).read_text(encoding="utf-8"))
        scripts: list[str] = []
        if "jobs" in doc:
            for job in doc["jobs"].values():
                scripts += [step["run"] for step in job["steps"] if "run" in step]
        else:
            for job in doc.values():
                if isinstance(job, dict):
                    scripts += job.get("script", []) + job.get("before_script", [])
        for script in scripts:
            for line in script.splitlines():
                words = shlex.split(line.replace("${{", "X").replace("}}", "X").replace(";", " ; "))
                while "fxfk" in words:
                    words = words[words.index("fxfk") + 1:]
                    end = next((i for i, w in enumerate(words) if w in (">", ">>", "|", "||", "&&", ";")), len(words))
                    found.append((rel, words[:end]))
                    words = words[end:]
    return found


def test_workflows_are_yaml_and_call_commands_that_exist(initialized: Path):
    from fxfk.cli.app import _usage_errors, app

    root = typer.main.get_command(app)
    commands = _commands(initialized)
    assert {tuple(words[:1]) for _, words in commands} >= {("validate",), ("diff",), ("deadlines",)}
    for rel, words in commands:
        command = root.commands.get(words[0])
        assert command is not None, (rel, words)
        # Parsing (without running) rejects unknown options and values outside a choice.
        ctx = command.make_context(words[0], list(words[1:]))
        assert ctx.params, (rel, words)
        with pytest.raises(_usage_errors()):
            command.make_context(words[0], [*words[1:], "--no-such-option"])
    # the JUnit report GitLab reads is what validate --format junit writes
    gitlab = yaml.safe_load((initialized / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["validate"]["artifacts"]["reports"]["junit"] == "fxfk-junit.xml"
    assert "--format junit > fxfk-junit.xml" in gitlab["validate"]["script"][0]


def test_pre_commit_config_uses_this_repositorys_hook(initialized: Path):
    config = yaml.safe_load((initialized / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [hooks[0]["id"]] == ["fxfk-validate"]
    assert hooks[0]["entry"] == "fxfk validate" and hooks[0]["language"] == "python"
    import re

    pattern = re.compile(hooks[0]["files"])
    assert pattern.search("fxfk.yaml") and pattern.search("data/risks/jinshui.yaml")
    assert not pattern.search(".github/workflows/fxfk.yml")


def test_source_option_sets_the_install_and_hook_location(tmp_path: Path):
    from fxfk.edit.init import init_files
    from fxfk.edit.origin import Origin

    files = init_files("某局", 2022, Origin("https://git.example.org/fzb/fxfk.git", COMMIT, "测试"))
    install = f'pip install "fxfk @ git+https://git.example.org/fzb/fxfk.git@{COMMIT}"'
    for rel in (".github/workflows/fxfk.yml", ".github/workflows/deadlines.yml", ".gitlab-ci.yml"):
        assert install in files[rel], rel
    config = yaml.safe_load(files[".pre-commit-config.yaml"])
    assert config["repos"][0]["repo"] == "https://git.example.org/fzb/fxfk.git" and config["repos"][0]["rev"] == COMMIT
    text = "".join(files.values())
    assert "{%" not in text and "{{" not in text.replace("${{ github.", "")  # every template tag rendered
    assert "v0.1.0" not in text and "fxfk==" not in text  # no tag or index release that does not exist


def test_without_a_commit_the_line_installs_the_default_branch():
    from fxfk.edit.init import init_files
    from fxfk.edit.origin import Origin

    files = init_files("某局", 2022, Origin("https://git.example.org/fzb/fxfk.git", None, ""))
    assert 'pip install "fxfk @ git+https://git.example.org/fzb/fxfk.git"\n' in files[".gitlab-ci.yml"]
    assert yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][0]["rev"] == "main"


def test_the_running_checkout_gives_the_commit(tmp_path: Path):
    """Run from this git checkout, init pins the CI to its HEAD; --source only replaces the URL."""
    from fxfk.edit.origin import find_origin

    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    origin = find_origin("file:///somewhere/fxfk")
    assert origin.url == "file:///somewhere/fxfk" and origin.commit is not None
    # HEAD may move while the tests run (other commits): the commit must be one of this repository's.
    known = subprocess.run(["git", "-C", str(REPO), "cat-file", "-t", origin.commit], capture_output=True, text=True)
    assert known.stdout.strip() == "commit"


@pytest.mark.parametrize("url, said", [
    ("git@host.example:zzsw/fxfk.git", "ssh://"),
    ('https://x.example/a".git', "引号"),
    ("https://x.example/$(id).git", "$"),
    ("fxfk", "git 仓库地址"),
])
def test_source_urls_that_would_not_install_are_refused(tmp_path: Path, url, said):
    run = run_fxfk("init", str(tmp_path / "new"), "--organization", "某县商务局", "--source", url)
    assert run.code == 2 and "--source" in run.err and said in run.err, run.err
    assert not (tmp_path / "new").exists()


def test_organization_has_no_default(tmp_path: Path):
    """Not on a terminal (no prompt possible), --organization is required: never 郑州市商务局 by default."""
    run = run_fxfk("init", str(tmp_path / "new"), "--source", SOURCE)
    assert run.code == 2 and "缺少 --organization" in run.err
    assert not (tmp_path / "new").exists()
    assert "郑州市商务局" not in run_fxfk("init", "--help").out.split("示例")[0]


def test_the_area_word_follows_the_organization():
    from fxfk.edit.init import init_files
    from fxfk.edit.origin import Origin
    from fxfk.rules.hotspots import area_word

    assert [area_word(o) for o in ("郑州市商务局", "中牟县商务局", "惠济区商务局", "新郑市商务局", "郑州市惠济区商务局", None)] == [
        "全市", "全县", "全区", "全市", "全区", "全市"]
    origin = Origin(SOURCE, COMMIT, "测试")
    assert "由市局政策法规处评估" in init_files("郑州市商务局", 2022, origin)["data/tasks/2022.yaml"]
    assert "由惠济区商务局评估" in init_files("惠济区商务局", 2022, origin)["data/tasks/2022.yaml"]


def test_values_are_written_as_given_never_read_as_template_text():
    from fxfk.edit.init import init_files
    from fxfk.edit.origin import Origin

    organization = "@@YEAR@@{{ year }}{% raw %}局"
    files = init_files(organization, 2022, Origin("https://git.example.org/{{ year }}.git", COMMIT, "{{ year }}"))
    assert yaml.safe_load(files["fxfk.yaml"])["organization"] == organization
    assert "repo: https://git.example.org/{{ year }}.git\n" in files[".pre-commit-config.yaml"]
    workflow = files[".github/workflows/fxfk.yml"]
    assert "GH_TOKEN: ${{ github.token }}\n" in workflow  # GitHub's expressions, left to GitHub
