"""Jinja2 for the HTML and Markdown lists.

Built-in templates ship in the package (fxfk/templates/publish/). A data repository's
``templates/publish/`` comes first, file by file (ChoiceLoader); a template there can extend the
built-in one of the same name as ``default:<name>`` (PrefixLoader) instead of copying it.
HTML is autoescaped; an undefined variable is an error, never an empty cell.
"""

from __future__ import annotations

from pathlib import Path

from fxfk.errors import FxfkError
from fxfk.publish import plain
from fxfk.publish.view import chinese_date

TEMPLATE_DIR = "templates/publish"


def _autoescape(name: str | None) -> bool:
    return bool(name) and (name.endswith(".html") or name.endswith(".html.j2"))


def md_cell(value) -> str:
    """A Markdown table cell: no pipes or raw HTML, line breaks as <br>."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("\r\n", "\n")
    return "<br>".join(part.strip() for part in text.split("\n"))


def environment(root: Path, folder: str = "publish"):
    """Templates of ``fxfk/templates/<folder>/``, overridden by the repository's ``templates/<folder>/``."""
    import jinja2

    builtin = jinja2.PackageLoader("fxfk", f"templates/{folder}")
    loaders = []
    user = root / "templates" / folder
    if user.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(user)))
    loaders.append(builtin)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PrefixLoader({"default": builtin}, delimiter=":"), *loaders]),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = chinese_date
    env.filters["md_cell"] = md_cell
    env.globals.update(
        basis_text=plain.basis_text,
        measures_text=plain.measures_text,
        citation_lines=plain.citation_lines,
        numbered=plain.numbered,
        RISK_COLUMNS=plain.RISK_COLUMNS,
        NO_PENALTY_COLUMNS=plain.NO_PENALTY_COLUMNS,
    )
    return env


def render(env, name: str, hint: str = "公开清单只提供公开字段", **context) -> str:
    import jinja2

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise FxfkError(f"模板 {exc.filename or exc.name or name} 第 {exc.lineno} 行语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise FxfkError(f"找不到模板“{exc.name}”（渲染 {name} 时）") from None
    except jinja2.UndefinedError as exc:
        raise FxfkError(f"模板 {name} 使用了不存在的变量或字段：{exc.message}；{hint}") from None
    except jinja2.TemplateError as exc:
        raise FxfkError(f"模板 {name} 渲染失败：{exc}") from None
