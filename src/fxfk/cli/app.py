"""The `fxfk` command: one typer app, one place that turns errors into exit codes.

Exit codes: 0 clean, 1 findings, 2 usage error or no data found, 3 unexpected internal error,
130 interrupted. The machine refusing (a read-only or full disk, a missing or unreadable path, a name
too long: any OSError) is not a defect of fxfk: it is exit 2 with a Chinese message naming the path
and the cause. Commands import the core (pydantic, jinja2 …) inside their functions so that
`fxfk --help` starts fast.
"""

from __future__ import annotations

import sys
from typing import Protocol, cast

import typer

from fxfk import __version__
from fxfk.cli.help import ChineseGroup, use_chinese_help

app = typer.Typer(
    cls=ChineseGroup,  # help pages in Chinese (fxfk.cli.help)
    name="fxfk",
    help="行政相对人法律风险防控制度（郑商〔2019〕175号）的数据校验、分级、期限跟踪与公布工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fxfk {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="出现内部错误时打印完整的 Python 调用栈。"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本并退出。"),
) -> None:
    _state["debug"] = debug


def _register() -> None:
    from fxfk.cli import classify, deadlines, diff, guide, init, laws, new, publish, report, schema, validate

    # In the order of the work: check, grade, track, publish, evaluate; then the git helpers.
    app.command("validate")(validate.validate_command)
    app.command("classify")(classify.classify_command)
    app.command("deadlines")(deadlines.deadlines_command)
    app.add_typer(guide.app, name="guide")
    app.command("publish")(publish.publish_command)
    app.command("report")(report.report_command)
    app.command("laws")(laws.laws_command)
    app.command("diff")(diff.diff_command)
    app.command("init")(init.init_command)
    app.add_typer(new.app, name="new")
    app.add_typer(__import__("fxfk.cli.consult", fromlist=["app"]).app, name="consult")
    app.command("import")(__import__("fxfk.cli.import_", fromlist=["import_"]).import_command)
    app.command("schema")(schema.schema_command)
    use_chinese_help(app)


_register()


class _UsageError(Protocol):
    """What both click's ClickException and typer's vendored copy of it offer."""

    exit_code: int

    def show(self) -> None: ...


def _usage_errors() -> tuple[type[Exception], ...]:
    # typer >= 0.23 vendors click as typer._click; older versions use click itself.
    found: list[type[Exception]] = []
    try:
        from typer._click.exceptions import ClickException as VendoredClickException

        found.append(VendoredClickException)
    except ImportError:
        pass
    try:
        import click

        found.append(click.ClickException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(found)


def main(argv: list[str] | None = None) -> None:
    from fxfk.cli import output, usage
    from fxfk.errors import DataRefused, FxfkError

    usage_errors = _usage_errors()
    output.install_streams()  # a GBK console replaces ✓ and ⚠ rather than failing (fxfk.cli.output)

    try:
        code = app(args=argv, standalone_mode=False)
        _flush(sys.stdout)  # a full disk under `> file` shows here, not after the exit code is chosen
    except DataRefused as exc:
        _show_refusal(exc)
        code = exc.exit_code
    except FxfkError as exc:
        from fxfk.render.escaping import terminal

        typer.echo(f"fxfk：{terminal(exc.message)}", err=True)  # messages can carry data-derived paths
        code = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("已中断", err=True)
        code = 130
    except usage_errors as exc:
        error = cast(_UsageError, exc)  # one of _usage_errors(): a ClickException, vendored or not
        usage.show(error)  # in Chinese (fxfk.cli.usage)
        code = error.exit_code
    except BrokenPipeError:
        code = 0
    except SystemExit:
        # Click ends a run whose reader closed the pipe (`fxfk classify | head`) with exit 1, after
        # swapping in streams that swallow the rest; a reader that stopped reading is no failure.
        if type(sys.stdout).__name__ != "PacifyFlushWrapper":
            raise
        code = 0
    except OSError as exc:
        if _state["debug"]:
            import traceback

            traceback.print_exc()
        from fxfk.render.escaping import terminal

        typer.echo(f"fxfk：{terminal(_environment_message(exc))}", err=True)
        code = 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _state["debug"]:
            import traceback

            traceback.print_exc()
        typer.echo(
            f"fxfk：内部错误（{type(exc).__name__}: {exc}）。这是 fxfk 的缺陷，不是数据的问题；"
            "加 --debug 重新运行可看到调用栈，请附在问题报告中。",
            err=True,
        )
        code = 3
    sys.exit(code if isinstance(code, int) else 0)


def _show_refusal(exc) -> None:
    """The one place a refusal (fxfk.errors.DataRefused) is shown: its findings and its message."""
    from fxfk.render.diagnostics import diagnostic_line, render_text
    from fxfk.render.escaping import terminal
    from fxfk.rules.validation import ValidationResult

    if exc.files is None:
        for d in exc.diagnostics:
            typer.echo(diagnostic_line(d), err=True)
        typer.echo(f"fxfk：{terminal(exc.message)}", err=True)
    else:  # as fxfk validate shows them, under the message
        typer.echo(f"{terminal(exc.message)}\n", err=True)
        typer.echo(render_text(ValidationResult(None, exc.files, exc.diagnostics)), err=True, nl=False)


def _flush(stream) -> None:
    stream.flush()  # a frame of its own whose local names the stream (see _from_stdout)


def _environment_message(exc: OSError) -> str:
    from fxfk.errors import os_error_message

    if exc.filename is None and _from_stdout(exc):
        _silence_stdout()
        return os_error_message(exc, "标准输出").replace("“标准输出”", "标准输出")
    return os_error_message(exc)


def _from_stdout(exc: OSError) -> bool:
    """Whether the failed call was a write to standard output (``> file`` on a full disk): the
    innermost Python frame of the error holds the stream it wrote to (click's echo: ``file``)."""
    streams = {id(s) for s in (sys.stdout, sys.__stdout__, getattr(sys.stdout, "buffer", None)) if s is not None}
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return any(id(value) in streams for value in tb.tb_frame.f_locals.values())


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's own flush at exit does not
    fail again with an English message of its own."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
