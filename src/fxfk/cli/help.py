"""Help pages in Chinese, laid out by display width.

typer renders help through click's ``HelpFormatter``: English headings (Usage, Options, Arguments),
English type names (``<str>``, ``<list[str]>``), ``[default: …]`` and ``[required]``, and a wrapper that
counts characters, splits paths and joins the lines of a Chinese paragraph with spaces. The vendored
click of typer ≥ 0.23 does not go through gettext, so a catalogue cannot translate it; instead every
command and group of the app is given a class (:class:`ChineseCommand`, :class:`ChineseGroup`) whose
``format_help`` writes the page that :func:`render_help` builds from the command's parameters.

The page is wrapped by :func:`fxfk.render.text.wrap` (a CJK character takes two columns; no word,
path or option is split). An indented paragraph of a docstring — the examples — is kept verbatim, so
that it can be copied. Usage errors are worded in :mod:`fxfk.cli.usage` with the same names.
"""

from __future__ import annotations

import inspect
import os
import shutil
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from fxfk.render.text import width as display_width
from fxfk.render.text import wrap

# What the value of a parameter is, by the parameter's name: shown after options, as arguments.
METAVARS = {
    "date": "〈日期〉",
    "year": "〈年份〉",
    "office": "〈单位〉",
    "office_id": "〈单位标识〉",
    "root": "〈目录〉",
    "out": "〈目录〉",
    "directory": "〈目录〉",
    "output": "〈文件〉",
    "paths": "〈路径〉",
    "level": "〈等级〉",
    "domain": "〈领域〉",
    "law": "〈法规〉",
    "title": "〈文字〉",
    "prefix": "〈前缀〉",
    "name": "〈名称〉",
    "organization": "〈名称〉",
    "kind": "〈单位类型〉",
    "source": "〈地址〉",
    "base": "〈基准版本〉",
    "head": "〈对比版本〉",
    "format": "〈格式〉",
}
HELP_TEXT = "显示本帮助并退出。"
# Help pages are read on screen: as wide as the terminal, but not wider than this.
MAX_COLUMNS = 100
DEFAULT_COLUMNS = 80


def help_columns() -> int:
    """The width of a help page: ``COLUMNS`` when set, else the terminal's (80 when not a terminal),
    at most :data:`MAX_COLUMNS` and at least 40."""
    value = os.environ.get("COLUMNS", "")
    columns = int(value) if value.isdigit() and int(value) > 0 else shutil.get_terminal_size((DEFAULT_COLUMNS, 24)).columns
    return max(40, min(columns, MAX_COLUMNS))


# --- parameters -----------------------------------------------------------------------------------


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _choices(param: Any) -> list[str]:
    """The values a parameter accepts, when it is a choice (click's Choice or typer's enum)."""
    found = getattr(getattr(param, "type", None), "choices", None)
    descriptor = getattr(param, "type_descriptor", None)
    if found is None and descriptor is not None and getattr(descriptor, "is_choice", False):
        found = descriptor.choices
    return [str(getattr(c, "value", c)) for c in found or ()]


def metavar(param: Any) -> str:
    """The Chinese name of a parameter's value: 〈日期〉, 〈单位〉 … or the choices ``a|b``."""
    given = getattr(param, "metavar", None)
    if given and (not given.isascii() or "|" in given):  # 〈…〉 or a list of choices
        return given
    choices = _choices(param)
    if choices:
        return "|".join(choices)
    if param.name in METAVARS:
        return METAVARS[param.name]
    return "〈值〉"


def argument_name(param: Any) -> str:
    """How an argument is written in a usage line: 〈单位〉, or [〈路径〉…] when optional or repeated."""
    name = metavar(param)
    if getattr(param, "nargs", 1) != 1:
        name += "…"
    return name if param.required else f"[{name}]"


def long_name(param: Any) -> str:
    """The option's name as a user writes it: the first long one (aliases are listed in its help)."""
    names = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    return names[0]


def _option_names(param: Any, help_option: bool) -> str:
    longs = [o for o in param.opts if o.startswith("--")]
    shorts = [o for o in param.opts if not o.startswith("--")]
    names = ", ".join([*shorts, *longs[:1]])
    if not getattr(param, "is_flag", False) and not help_option:
        names += " " + metavar(param)
    return names


def _default_text(param: Any) -> str:
    if getattr(param, "show_default", None) is False or getattr(param, "is_flag", False):
        return ""
    value = param.default
    if value is None or value == () or value == [] or callable(value):
        return ""
    return str(getattr(value, "value", value))


def _param_help(param: Any, help_option: bool) -> str:
    text = HELP_TEXT if help_option else (getattr(param, "help", None) or "")
    notes = []
    aliases = [o for o in param.opts if o.startswith("--")][1:]
    if aliases:
        notes.append("也可写作 " + "、".join(aliases))
    default = _default_text(param)
    if default and "缺省" not in text:
        notes.append(f"缺省 {default}")
    if param.required:
        notes.append("必填")
    if notes:
        text += "（" + "；".join(notes) + "）"
    return text


def usage_line(command: Any, ctx: Any) -> str:
    """``用法：fxfk validate [选项] [〈路径〉…]``."""
    pieces = [ctx.command_path, "[选项]"]
    pieces += [argument_name(p) for p in command.params if _is_argument(p) and not getattr(p, "hidden", False)]
    if isinstance(command, TyperGroup):
        pieces.append("〈命令〉 [参数]…")
    return "用法：" + " ".join(pieces)


# --- paragraphs -----------------------------------------------------------------------------------


def _join(lines: list[str]) -> str:
    """The lines of one paragraph as one line: a space where a line break stood between Latin text
    and anything but Chinese punctuation (「due_soon_days 天内」), none between two Chinese characters
    (「最大序号」)."""
    text = ""
    for line in (s.strip() for s in lines):
        if text and _spaced(text[-1], line[0]):
            text += " "
        text += line
    return text


def _spaced(before: str, after: str) -> bool:
    wide = display_width(before) == 2, display_width(after) == 2
    if all(wide):
        return False
    return not ((wide[0] and not before.isalnum()) or (wide[1] and not after.isalnum()))


def paragraphs(text: str, indent: str, columns: int) -> list[str]:
    """A docstring's paragraphs wrapped to ``columns``; an indented paragraph (an example) verbatim."""
    out: list[str] = []
    for block in inspect.cleandoc(text).partition("\f")[0].split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if out:
            out.append("")
        if lines[0].startswith(" "):
            out += [indent + line.rstrip() for line in lines]  # copyable: never re-wrapped
        else:
            out += wrap(indent + _join(lines), columns, indent)
    return out


def summary(command: Any) -> str:
    """A command's line in its group's list: its short help, or the first sentence of its help up to
    the first top-level 「：」 (what it is, without the list of what it shows)."""
    if getattr(command, "short_help", None):
        return str(command.short_help)
    first = _join(inspect.cleandoc(command.help or "").split("\n\n")[0].split("\n"))
    first = first.split("。")[0]
    depth = 0
    for i, c in enumerate(first):
        depth += c in "（(「“" and 1 or 0
        depth -= c in "）)」”" and 1 or 0
        if c == "：" and depth == 0:
            return first[:i]
    return first


def _definitions(rows: list[tuple[str, str]], columns: int) -> list[str]:
    """Two columns: names, then their help wrapped beside them (under them when the name is long)."""
    if not rows:
        return []
    names = min(max(display_width(n) for n, _ in rows), 28)
    text_at = 2 + names + 2
    out = []
    for name, text in rows:
        if display_width(name) > names:
            out.append("  " + name)
            out += wrap(" " * text_at + text, columns, " " * text_at) if text else []
            continue
        first = "  " + name + " " * (names - display_width(name) + 2)
        out += wrap(first + text, columns, " " * text_at) if text else [first.rstrip()]
    return out


def render_help(command: Any, ctx: Any, columns: int | None = None) -> str:
    """The whole help page of ``command``: usage, description, arguments, options, commands."""
    columns = columns or help_columns()
    out = wrap(usage_line(command, ctx), columns, "      ")
    if command.help:
        out += [""] + paragraphs(command.help, "  ", columns)
    help_option = command.get_help_option(ctx)
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if _is_argument(param):
            arguments.append((argument_name(param).strip("[]"), _param_help(param, False)))
        else:
            is_help = param is help_option
            options.append((_option_names(param, is_help), _param_help(param, is_help)))
    if arguments:
        out += ["", "参数："] + _definitions(arguments, columns)
    if options:
        out += ["", "选项："] + _definitions(options, columns)
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, summary(sub)))
        if rows:
            out += ["", "命令："] + _definitions(rows, columns)
    return "\n".join(out) + "\n"


class ChineseCommand(TyperCommand):
    """A command whose help page is :func:`render_help`'s."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))


class ChineseGroup(TyperGroup):
    """A group whose help page is :func:`render_help`'s."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))


def use_chinese_help(app: typer.Typer) -> None:
    """Give every command and group registered on ``app`` (and on its sub-apps) the Chinese help page,
    whoever registered them."""
    for info in app.registered_commands:
        base = info.cls or TyperCommand
        if not issubclass(base, ChineseCommand):
            info.cls = type(f"Chinese{base.__name__}", (ChineseCommand, base), {})
    for group in app.registered_groups:
        group.cls = ChineseGroup
        if group.typer_instance is not None:
            use_chinese_help(group.typer_instance)
