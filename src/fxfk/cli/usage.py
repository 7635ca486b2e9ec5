"""Usage errors (a missing argument, an unknown option, a value of the wrong kind) in Chinese.

click words them in English (「Error: Missing argument 'directory'.」) and typer's vendored copy of
click does not go through gettext, so there is no catalogue to install. Instead :func:`show` words
each kind of error again from what the exception carries (its class, parameter, option name and the
value refused), with the names of :mod:`fxfk.cli.help`:

    用法：fxfk init [选项] 〈目录〉
    错误：缺少参数 〈目录〉。
    查看帮助：fxfk init -h

The classes are matched by name, so that click's own and typer's vendored copy are both understood.
A message not recognised is still shown, after a Chinese lead, rather than lost.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from fxfk.cli import help as chinese


def _classes(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _param_name(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return chinese.metavar(param)
    return chinese.long_name(param)


def _refused_value(exc: BaseException) -> str | None:
    """The value the user gave, from pydantic's error (typer ≥ 0.23) or click's message."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # noqa: BLE001 - only a hint for the message
            found = []
        if found and "input" in found[0]:
            return str(found[0]["input"])
    match = re.search(r"'((?:[^'\\]|\\.)*)' is not", str(getattr(exc, "message", "")))
    return match.group(1) if match else None


def _kind_of_value(param: Any) -> str:
    choices = chinese._choices(param)
    if choices:
        return "应为 " + "、".join(choices) + " 之一"
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None) or getattr(getattr(param, "type", None), "name", None)
    if annotation is int or annotation == "integer":
        return "应为整数"
    return "请检查这个值"


def message(exc: BaseException) -> str:
    """The Chinese sentence for one usage error."""
    names = _classes(exc)
    text = str(getattr(exc, "message", "") or "")
    param = getattr(exc, "param", None)
    if "MissingParameter" in names:
        if param is None:
            return "缺少参数。"
        if getattr(param, "param_type_name", "") == "argument":
            return f"缺少参数 {_param_name(param)}。"
        return f"缺少选项 {_param_name(param)}（必填）。"
    if "NoSuchOption" in names:
        option = getattr(exc, "option_name", "")
        near = sorted(getattr(exc, "possibilities", None) or ())
        return f"没有选项 {option}。" + (f"是不是要写 {'、'.join(near)}？" if near else "")
    if "BadOptionUsage" in names:
        option = getattr(exc, "option_name", "")
        if "does not take" in text:
            return f"选项 {option} 后面不带值。"
        return f"选项 {option} 后面要写一个值。"
    if "BadParameter" in names:
        return _bad_parameter(exc, param, text)
    if text.startswith("Got unexpected extra argument"):
        extra = re.search(r"\(([^()]*)\)\s*$", text)
        return f"多余的参数：“{extra.group(1) if extra else text}”。"
    match = re.match(r"No such command '(.*?)'", text)
    if match:
        near = re.findall(r"'([^']*)'", text[match.end():])
        return f"没有命令“{match.group(1)}”。" + (f"是不是要写 {'、'.join(near)}？" if near else "")
    if text.startswith("Missing command"):
        return "缺少命令。"
    return f"命令行有误（{text}）。"


def _bad_parameter(exc: BaseException, param: Any, text: str) -> str:
    name = _param_name(param) if param is not None else "参数"
    value = _refused_value(exc)
    shown = f"“{value}”" if value is not None else ""
    path = re.search(r"'(.*)' (does not exist|is a file|is a directory|is not readable|is not writable)", text)
    if path:
        why = {
            "does not exist": "不存在",
            "is a file": "是文件，这里要一个目录",
            "is a directory": "是目录，这里要一个文件",
            "is not readable": "无法读取",
            "is not writable": "无法写入",
        }[path.group(2)]
        return f"{name} 的路径“{path.group(1)}”{why}。"
    return f"{name} 的值{shown}无效：{_kind_of_value(param)}。"


def show(exc: Any) -> None:
    """Print a usage error as fxfk words it: the usage line, the error, where help is."""
    import typer

    ctx = getattr(exc, "ctx", None)
    if "NoArgsIsHelpError" in _classes(exc) and ctx is not None:
        typer.echo(ctx.get_help(), err=True)  # the command alone: its help page, as click does
        return
    lines = []
    if ctx is not None:
        lines.append(chinese.usage_line(ctx.command, ctx))
    lines.append("错误：" + message(exc))
    if ctx is not None:
        names = getattr(ctx, "help_option_names", None) or ["--help"]
        lines.append(f"查看帮助：{ctx.command_path} {names[0]}")
    typer.echo("\n".join(lines), err=True)
    sys.stderr.flush()
