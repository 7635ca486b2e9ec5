"""Jinja2 for the HTML and Markdown lists.

Built-in templates ship in the package (fxfk/templates/publish/). A data repository's
``templates/publish/`` comes first, file by file (ChoiceLoader); a template there can extend the
built-in one of the same name as ``default:<name>`` (PrefixLoader) instead of copying it.
HTML is autoescaped; an undefined variable is an error, never an empty cell.

A data repository is hostile input, and so are its templates. Every template (built-in and user)
runs in Jinja's ``ImmutableSandboxedEnvironment``: no ``_``-attributes, no mutation of lists or
dicts, ``range`` capped at 100,000 items; ``lipsum`` (a way to the ``os`` module, and random text) is
removed, and ``*``/``**`` are capped so one expression cannot eat the memory. The context is the frozen
public view (or the report's figures) and pure helper functions — nothing that reads files. User
templates are read only from files that resolve inside the repository's ``templates/<folder>/``
(symlinks out of it are refused). Any failure of a user template is a usage error (exit 2) naming the
template. Not bounded: nested loops (100,000 × 100,000 iterations) — CI's job timeout is the limit.

Attribute access is the sandbox's hot spot (a 30,000-point publish reads about 1.5 million
attributes). For fxfk's own frozen dataclasses and NamedTuples (the public view, the report's
figures) a declared field or property is returned directly: the sandbox would return exactly that
value (the name has no ``_``, the object is neither a mutable builtin nor a function, type, frame or
generator, and the value is not a ``str.format`` method). Everything else, and every name not
declared, goes through the sandbox unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableMapping, MutableSequence, MutableSet
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fxfk.dates import chinese_date
from fxfk.errors import FxfkError
from fxfk.public import plain
from fxfk.render.escaping import md

if TYPE_CHECKING:  # jinja2 is imported when a template is rendered (startup time)
    import jinja2
    from jinja2.runtime import Context
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from fxfk.public.view import OfficeList

TEMPLATE_DIR = "templates/publish"


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html", ".html.j2"))


_MD_SEEN: dict[str, str] = {}  # md of texts already escaped: the same basis, measures and units recur on every list


def md_cell(value: object) -> str:
    """Data as Markdown text or a table cell: shown literally, line breaks as <br> (fxfk.render.escaping.md)."""
    if type(value) is not str:
        return md(value)
    found = _MD_SEEN.get(value)
    if found is None:
        found = md(value)
        if len(_MD_SEEN) < 20_000 and len(value) < 4_000:  # (bounded: a few MB whatever the data)
            _MD_SEEN[value] = found
    return found


# Bounds for one template expression (``'x' * n``, ``a ** b``): as large as the sandbox's range.
MAX_REPEAT = 100_000
MAX_POWER_BITS = 100_000


def plain_fields(cls: type) -> frozenset[str]:
    """The attribute names of ``cls`` a template may read without the sandbox's checks: the declared
    fields and properties, cached or not (no ``_`` names) of a frozen dataclass or NamedTuple defined in fxfk; none
    for any other type (user code cannot define types: templates get only fxfk's)."""
    if not cls.__module__.startswith("fxfk.") or issubclass(
        cls, (MutableSet, MutableMapping, MutableSequence, deque, type, types.FunctionType, types.MethodType)
    ):
        return frozenset()
    if dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        names = {f.name for f in dataclasses.fields(cls)}
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        names = set(cls._fields)
    else:
        return frozenset()
    # functools.cached_property too (the report's figures): the sandbox would return the same computed value
    names |= {n for k in cls.__mro__ for n, v in vars(k).items() if isinstance(v, (property, functools.cached_property))}
    return frozenset(n for n in names if not n.startswith("_"))


_PLAIN: dict[type, frozenset[str]] = {}  # plain_fields of each type seen, for the sandbox's getattr
_METHOD_TYPES = (types.MethodType, types.BuiltinMethodType)


def _sandbox_class() -> type[ImmutableSandboxedEnvironment]:
    from jinja2.exceptions import SecurityError
    from jinja2.runtime import Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def getattr(self, obj: Any, attribute: str) -> Any | Undefined:
            # The fast path of the module docstring; the value check keeps str.format wrapped.
            names = _PLAIN.get(type(obj))
            if names is None:
                names = _PLAIN[type(obj)] = plain_fields(type(obj))
            if attribute in names:
                try:
                    value = getattr(obj, attribute)
                except AttributeError:
                    pass
                else:
                    if not isinstance(value, _METHOD_TYPES):
                        return value
            return super().getattr(obj, attribute)

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"重复后的长度超过 {MAX_REPEAT}")
            elif (isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                    and right * abs(left).bit_length() > MAX_POWER_BITS):
                raise SecurityError(f"乘方结果超过 {MAX_POWER_BITS} 位二进制")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _confined_loader(user: Path, root: Path) -> jinja2.FileSystemLoader:
    """A FileSystemLoader for ``user`` that refuses any file resolving outside ``root/templates/<folder>``."""
    import jinja2

    # The folder as it would be without symlinks above it: a symlinked templates/ leads elsewhere.
    inside = root.resolve() / user.relative_to(root)

    class Confined(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            if not real.is_relative_to(inside):
                raise UserTemplateError(
                    f"模板“{template}”指向模板目录之外（{real}），已拒绝使用；"
                    f"自定义模板只能是仓库 {user.relative_to(root).as_posix()}/ 中的文件"
                )
            return source, filename, uptodate

    return Confined(str(user))


def environment(root: Path, folder: str = "publish") -> ImmutableSandboxedEnvironment:
    """Templates of ``fxfk/templates/<folder>/``, overridden by the repository's ``templates/<folder>/``."""
    import jinja2

    builtin = jinja2.PackageLoader("fxfk", f"templates/{folder}")
    loaders: list[jinja2.BaseLoader] = []
    user = root / "templates" / folder
    if user.is_dir():
        loaders.append(_confined_loader(user, root))
    loaders.append(builtin)
    env = _sandbox_class()(
        loader=jinja2.ChoiceLoader([jinja2.PrefixLoader({"default": builtin}, delimiter=":"), *loaders]),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # (one run renders thousands of files: no stat of every template for each)
    )
    env.globals.pop("lipsum", None)
    env.filters["cn_date"] = chinese_date
    env.filters["md_cell"] = md_cell
    env.globals.update(
        basis_text=plain.basis_text,
        measures_text=plain.measures_text,
        citation_lines=plain.citation_lines,
        numbered=plain.numbered,
        RISK_COLUMNS=plain.RISK_COLUMNS,
        NO_PENALTY_COLUMNS=plain.NO_PENALTY_COLUMNS,
        level_notes=level_notes,
    )
    return env


def level_notes(offices: Iterable[OfficeList]) -> list[tuple[str, str]]:
    """(level label, the clause as :meth:`fxfk.rules.levels.Clause.cite` quotes it) for each level the
    lists contain, highest first: the lists' 说明 gives the notice's words, never fxfk's own."""
    from fxfk.public.view import level_label
    from fxfk.rules.levels import HIGH, LOW, MEDIUM

    present = {r.level for o in offices for r in o.risks}
    return [(level_label(c.level), c.cite()) for c in (HIGH, MEDIUM, LOW) if level_label(c.level) in present]


class UserTemplateError(FxfkError):
    """A template of the data repository cannot be used (exit 2, like every template problem)."""


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in ``exc``'s traceback (Jinja rewrites them)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _user_template(filename: str) -> bool:
    """Whether ``filename`` is one of the repository's templates (not one shipped with fxfk)."""
    builtin = Path(__file__).resolve().parent.parent / "templates"
    return not Path(filename).resolve().is_relative_to(builtin)


def _where(exc: BaseException, name: str) -> str:
    frame = _template_frame(exc)
    if frame is None:
        return f"模板 {name}"
    return f"模板 {Path(frame[0]).name}（{frame[0]} 第 {frame[1]} 行，渲染 {name} 时）"


def render(env: jinja2.Environment, name: str, hint: str = "公开清单只提供公开字段", **context: Any) -> str:
    with _template_errors(name, hint):
        return env.get_template(name).render(**context)


def render_file(env: jinja2.Environment, name: str, path: Path, hint: str = "公开清单只提供公开字段", **context: Any) -> None:
    """:func:`render` written to ``path`` (UTF-8) as it is produced: the same bytes, without holding the
    whole text and its pieces at once (a province's report is 100 MB of HTML)."""
    with _template_errors(name, hint), open(path, "wb") as fh:
        pieces: list[str] = []
        for piece in env.get_template(name).generate(**context):
            pieces.append(piece)
            if len(pieces) >= 4096:
                fh.write("".join(pieces).encode("utf-8"))
                pieces.clear()
        fh.write("".join(pieces).encode("utf-8"))


@contextmanager
def _template_errors(name: str, hint: str) -> Iterator[None]:
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        yield
    except UserTemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise FxfkError(f"模板 {exc.filename or exc.name or name} 第 {exc.lineno} 行语法错误：{exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise FxfkError(f"找不到模板“{exc.name}”（渲染 {name} 时）") from None
    except SecurityError as exc:
        raise UserTemplateError(
            f"{_where(exc, name)}试图进行不允许的操作，已拒绝：{exc}；模板在沙箱中运行，"
            "不能访问以下划线开头的属性、修改数据或调用读写文件和系统的功能"
        ) from None
    except jinja2.UndefinedError as exc:
        raise FxfkError(f"{_where(exc, name)}使用了不存在的变量或字段：{exc.message}；{hint}") from None
    except jinja2.TemplateError as exc:
        raise FxfkError(f"{_where(exc, name)}渲染失败：{exc}") from None
    except Exception as exc:
        # A user template can divide by zero or overflow; only a failure inside fxfk's own
        # templates (or the helpers they call) is a bug.
        frame = _template_frame(exc)
        if frame is None or not _user_template(frame[0]):
            raise
        raise UserTemplateError(f"{_where(exc, name)}渲染失败：{type(exc).__name__}: {exc}") from None
