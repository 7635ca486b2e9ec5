"""The first day of a county's legal officer, end to end (issue 17): init → edit → validate → publish
→ report → the generated CI's install line, run for real.

The repository belongs to 中牟县商务局, so every list and report says so and says 全县 — nothing of
郑州市商务局 or 全市. The CI files install fxfk with the line ``init`` wrote: here it is run in a new
virtual environment against a local clone of this repository (a ``file://`` URL), and the fxfk it
installs validates the new repository and, asked to ``init`` again, pins the same commit.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_fxfk

ORGANIZATION = "中牟县商务局"

# What the officer writes in place of the example: the bureau's market section and one published point.
REGISTER = """\
# yaml-language-server: $schema=../../schemas/register.schema.json
office:
  id: shichang
  name: 中牟县商务局市场股
  kind: division

batches:
  - id: 1
    date: 2019-09-16

risks:
  - id: ZM-YFK-001
    title: 发卡企业未按规定办理单用途商业预付卡备案
    domain: 单用途商业预付卡
    basis:
      - role: violated
        law: 单用途商业预付卡管理办法（试行）
        number: 商务部令2012年第9号
        article: 第七条
      - role: penalty
        law: 单用途商业预付卡管理办法（试行）
        number: 商务部令2012年第9号
        article: 第三十六条
        excerpt: 责令限期改正；逾期仍不改正的，处以1万元以上3万元以下罚款
    factors: {}
    level: Medium          # any case of the English token is the level
    measures:
      - kind: advise
        text: 在备案窗口一次性告知备案材料
    responsible: 中牟县商务局市场股
    status: published
    consultation:
      start: 2019-08-01
      end: 2019-08-15
      parties: [企业, 行业协会]
    batch: 1

activities:
  - date: 2019-08-10
    kind: consultation
    task: "3.1"
    note: 召开座谈会征求意见
"""


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("county")
    repo = root / "中牟县风险防控"
    source = (root / "fxfk-src").as_uri()
    run = run_fxfk("init", str(repo), "--organization", ORGANIZATION, "--year", "2019", "--source", source)
    assert run.code == 0, run.err
    assert "安装 fxfk 的提交" in run.out
    (repo / "data/risks/example.yaml").unlink()
    (repo / "data/risks/shichang.yaml").write_text(REGISTER, encoding="utf-8")
    return repo


def test_validate_publish_report_speak_for_the_county(county: Path):
    run = run_fxfk("validate", "--strict", cwd=county)
    assert run.code == 0, run.out + run.err

    run = run_fxfk("publish", "--date", "2019-12-31", "--format", "html,md", cwd=county)
    assert run.code == 0, run.out + run.err
    city = (county / "public/_city.md").read_text(encoding="utf-8")
    assert f"{ORGANIZATION}违法风险点清单" in city
    assert f"<p>发布单位：{ORGANIZATION}</p>" in (county / "public/_city.html").read_text(encoding="utf-8")
    assert "<h2>全县清单</h2>" in (county / "public/index.html").read_text(encoding="utf-8")

    run = run_fxfk("report", "--date", "2019-12-31", "--format", "md", cwd=county)
    assert run.code == 0, run.out + run.err
    [report] = (county / "reports").glob("*.md")
    assert report.read_text(encoding="utf-8").lstrip("# ").startswith(f"{ORGANIZATION}2019年")

    for path in [*(county / "public").rglob("*"), *(county / "reports").rglob("*"), *county.rglob("*.y*ml")]:
        if path.is_file() and path.suffix in (".md", ".html", ".yaml", ".yml"):
            text = path.read_text(encoding="utf-8")
            assert "郑州市商务局" not in text and "全市" not in text, path


def _install_line(county: Path) -> list[str]:
    """The `pip install …` step of the generated GitHub workflow, as the shell splits it."""
    workflow = yaml.safe_load((county / ".github/workflows/fxfk.yml").read_text(encoding="utf-8"))
    [line] = {step["run"] for job in workflow["jobs"].values() for step in job["steps"]
              if step.get("run", "").startswith("pip install")}
    gitlab = yaml.safe_load((county / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["default"]["before_script"] == [line]  # GitLab installs the same way
    return shlex.split(line)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_generated_install_line_installs_this_fxfk(county: Path, tmp_path: Path):
    words = _install_line(county)
    assert words[:2] == ["pip", "install"] and len(words) == 3
    requirement = words[2]
    commit = requirement.rsplit("@", 1)[1]
    assert len(commit) == 40, requirement
    # The clone is made after init, so it holds the commit init pinned (HEAD may have moved since).
    clone = county.parent / "fxfk-src"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # The requirement exactly as written into the workflow; --no-deps (fxfk's dependencies come from
    # this environment, below) and, where the new environment has setuptools, no build isolation:
    # the test then needs no package index.
    builds = "import setuptools, wheel; assert int(setuptools.__version__.split('.')[0]) >= 68"  # pyproject.toml's
    offline = ["--no-build-isolation"] if subprocess.run([python, "-c", builds], capture_output=True).returncode == 0 else []
    install = subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", *offline, requirement],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    recorded = json.loads(subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.distribution('fxfk').read_text('direct_url.json'))"],
        capture_output=True, text=True, check=True).stdout)
    assert recorded["url"] == clone.as_uri().replace("file:///", "file://localhost/")  # (see fxfk.edit.origin)
    assert recorded["vcs_info"]["commit_id"] == commit

    # Run the installed fxfk, with this environment's packages for its dependencies.
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "zz-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = subprocess.run([python, "-c", "import fxfk; print(fxfk.__file__)"], capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    validate = subprocess.run([python, "-m", "fxfk", "validate", "--strict"], cwd=county, capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    # That fxfk knows where it came from (pip recorded it): a second county needs no --source.
    again = subprocess.run([python, "-m", "fxfk", "init", str(tmp_path / "second"), "--organization", "惠济区商务局"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _install_line(tmp_path / "second") == words
