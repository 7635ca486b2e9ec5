"""`fxfk init`: a new data repository that validates at once and whose CI installs this fxfk.

The Jinja2 templates under ``templates/init/`` (stored without leading dots, which package data
globs would skip) are rendered into the new folder. The issuing body (``organization``) has no
default: a county that took the city's name would publish its lists as the city's. Its name also
gives the area word (全市, 全县, 全区: :func:`fxfk.rules.hotspots.area_word`). The CI files install
fxfk from git at the commit that ran ``init`` (:mod:`fxfk.edit.origin`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fxfk import __version__
from fxfk.edit.origin import Origin, find_origin, url_problem
from fxfk.edit.scaffold import yaml_text
from fxfk.errors import FxfkError
from fxfk.models.text import NAME_MAX, echo, text_problem
from fxfk.models.types import TASK_YEAR_MIN, YEAR_MAX

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

# template path (inside templates/init) → path in the new repository
INIT_FILES = {
    "fxfk.yaml.j2": "fxfk.yaml",
    "data/risks/example.yaml.j2": "data/risks/example.yaml",
    "data/tasks/tasks.yaml.j2": "data/tasks/{year}.yaml",
    "gitignore.j2": ".gitignore",
    "github/workflows/fxfk.yml.j2": ".github/workflows/fxfk.yml",
    "github/workflows/deadlines.yml.j2": ".github/workflows/deadlines.yml",
    "gitlab-ci.yml.j2": ".gitlab-ci.yml",
    "pre-commit-config.yaml.j2": ".pre-commit-config.yaml",
}


def _template(name: str) -> str:
    folder = resources.files("fxfk").joinpath("templates").joinpath("init")
    for part in name.split("/"):
        folder = folder.joinpath(part)
    return folder.read_text(encoding="utf-8")


def _init_environment() -> ImmutableSandboxedEnvironment:
    # Only our own templates are rendered here, but with the same sandbox as a user's (render/templates):
    # an undefined name is an error, not an empty string in a CI file. The GitHub workflows'
    # ${{ … }} expressions are wrapped in {% raw %}.
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment as Sandbox

    env = Sandbox(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml_text"] = yaml_text
    return env


@dataclass
class InitResult:
    root: Path
    written: list[str]
    origin: Origin  # where the CI files install fxfk from


def init_files(organization: str, year: int, origin: Origin) -> dict[str, str]:
    """Relative path → text of every file ``fxfk init`` writes (the JSON schemas included).

    ``origin`` must have a URL (:func:`fxfk.edit.origin.find_origin`, checked by :func:`init_repository`).
    """
    from fxfk.models.schema import SCHEMAS, render
    from fxfk.rules.hotspots import area_word

    area = area_word(organization)
    values = {
        "organization": organization,
        "area": area,
        # who evaluates the bonus and deduction rows (附件2 5.1, 5.2): the city bureau's 政策法规处,
        # or in one county's repository that county bureau itself
        "evaluator": "市局政策法规处" if area == "全市" else organization,
        "year": year,
        "fxfk_pip": origin.pip_requirement(),
        "fxfk_repo": origin.url,
        "fxfk_commit": origin.commit or "",
        "fxfk_how": origin.how,
        "version": __version__,
    }
    env = _init_environment()
    out = {}
    for template, target in INIT_FILES.items():
        out[target.format(year=year)] = env.from_string(_template(template)).render(values)
    for name, model in SCHEMAS.items():
        out[f"schemas/{name}"] = render(model)
    return out


ORGANIZATION_MISSING = (
    "缺少 --organization（发布机关）：它印在公开清单（“发布单位”）和报告的标题上，没有缺省值；"
    "请写明本单位，如 --organization 中牟县商务局"
)


def init_repository(target: Path, organization: str | None, year: int, source: str | None = None,
                    origin: Origin | None = None) -> InitResult:
    """Write a new data repository; ``origin`` (default: :func:`find_origin` of ``source``) is
    where its CI installs fxfk from."""
    if not TASK_YEAR_MIN <= year <= YEAR_MAX:
        raise FxfkError(f"年度 {year} 无效；应为 {TASK_YEAR_MIN} 到 {YEAR_MAX} 之间的年份")
    if organization is not None:
        problem = text_problem(organization, NAME_MAX)
        if not organization.strip():
            raise FxfkError("--organization（发布机关）不能为空")
        if problem is not None:
            raise FxfkError(f"--organization（发布机关）{problem[1]}")
    if source is not None:
        # It is written into CI files: a line break or a quote there would add YAML or shell of its own.
        wrong = url_problem(source)
        if wrong is not None:
            raise FxfkError(f"--source “{echo(source)}”无效：{wrong}")
    if organization is None:
        raise FxfkError(ORGANIZATION_MISSING)
    if origin is None:
        origin = find_origin(source)
    if origin.url is None:
        raise FxfkError(
            "不知道生成的 CI 从哪里安装 fxfk（fxfk 不在 PyPI 上）：请用 --source 给出 fxfk 的 git 仓库地址，"
            "如 --source https://…/fxfk.git（CI 安装运行本命令的这个 fxfk 的提交"
            + (f" {origin.commit[:12]}" if origin.commit else "") + "）"
        )
    if target.exists() and not target.is_dir():
        raise FxfkError(f"“{target}”已存在且不是目录")
    files = init_files(organization, year, origin)
    existing = sorted(rel for rel in files if (target / rel).exists())
    if existing:
        raise FxfkError(
            f"“{target}”中已有以下文件，fxfk init 不会覆盖它们（什么也没有写）：\n"
            + "\n".join(f"  {rel}" for rel in existing)
        )
    for rel in sorted(files):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on every system (the tests compare them).
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(files[rel])
    return InitResult(target, sorted(files), origin)


def default_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year
