"""Options shared by several commands."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    import datetime as dt

    from fxfk.options import Options

RootOption = typer.Option(
    None, "--root", help="数据仓库目录（含 fxfk.yaml 或 data/）；缺省时从当前目录向上查找。",
    file_okay=False, show_default=False,
)


def resolve_root(root: Optional[Path]) -> Path:
    from fxfk.load.files import find_root

    return find_root(Path.cwd(), root)


def load_options(day: "dt.date | None" = None, no_cache: bool = False) -> "Options":
    """The options of a command run: its day (``--date``/``--today``) and the documented environment
    variables, read here and nowhere in the core — ``FXFK_NO_CACHE=1`` (like ``--no-cache``),
    ``FXFK_JOBS=N`` (worker processes), ``FXFK_PURE_YAML=1`` (the pure-Python parser)."""
    from fxfk.options import Options

    jobs = os.environ.get("FXFK_JOBS", "")
    return Options(
        date=day,
        cache=not no_cache and os.environ.get("FXFK_NO_CACHE") != "1",
        jobs=max(1, int(jobs)) if jobs.isdigit() else None,
        pure_yaml=os.environ.get("FXFK_PURE_YAML") == "1",
    )


# The days a user may give on the command line. Outputs are stamped with the day (zip files, as in
# .xlsx and .docx, hold years 1980 to 2107 only) and deadlines are computed from it (a few years past
# 9999 would overflow), so the supported span is 1980-01-01 to 2099-12-31: wide enough for any real
# report, with room left for the arithmetic.
FIRST_DAY = (1980, 1, 1)
LAST_DAY = (2099, 12, 31)


def parse_day(value: Optional[str], option: str = "--date") -> "dt.date":
    """A YYYY-MM-DD option value (default today); anything else is a usage error (exit 2).

    Only days from 1980-01-01 to 2099-12-31 are accepted (see FIRST_DAY, LAST_DAY): zip timestamps
    in the .xlsx/.docx outputs cannot hold a year before 1980 or after 2107, and date arithmetic on a
    day near 9999 overflows. A day outside is refused as a usage error, before anything is done.
    """
    import datetime as dt

    from fxfk.errors import FxfkError
    from fxfk.models.text import echo
    from fxfk.models.types import parse_iso_date

    if value is None:
        return dt.date.today()
    try:
        day = parse_iso_date(value)
    except Exception:  # pydantic's error type; the message below says what is expected
        day = _real_day(value)  # a real day refused for its range by the data model: say so below
        if day is None:
            raise FxfkError(f"{option} “{echo(value)}”不是有效日期；应写成 YYYY-MM-DD，例如 2019-09-16") from None
    first, last = dt.date(*FIRST_DAY), dt.date(*LAST_DAY)
    if not first <= day <= last:
        raise FxfkError(f"{option} “{echo(value)}”超出支持的范围；日期应在 {first} 至 {last} 之间")
    return day


@contextmanager
def date_arithmetic(setting: str = "天数设置"):
    """Turn a date that overflows (a day plus a huge interval from fxfk.yaml) into a usage error.

    The range of --date/--today is checked up front, but an interval read from the settings may
    still carry a day past 9999: that is a problem of the settings, not a defect (exit 2, not 3).
    """
    from fxfk.errors import FxfkError

    try:
        yield
    except OverflowError:
        raise FxfkError(f"日期计算超出范围（超过 9999 年）；请检查 fxfk.yaml 中的{setting}是否过大") from None
    except ValueError as exc:
        if "out of range" not in str(exc):  # datetime's wording; any other ValueError is a defect
            raise
        raise FxfkError(f"日期计算超出范围（超过 9999 年）；请检查 fxfk.yaml 中的{setting}是否过大") from None


def _real_day(value: str) -> "dt.date | None":
    import datetime as dt
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


# --- one way to say the same thing -----------------------------------------------------------------

DateOption = typer.Option(
    None, "--date", metavar="〈日期〉",
    help="按哪一天计算（YYYY-MM-DD），缺省为今天；固定它可得到可重复的结果。", show_default=False,
)
# Every --office takes an office's id (jinshui), its name (金水区商务局) or a kind (county, 县区商务局),
# repeated or comma-separated: see office_ids.
OFFICE_HELP = "单位标识（如 jinshui）、单位名称（如 金水区商务局）或单位类型（county/division/affiliate）；可重复，也可用逗号分隔。"
# Markdown is "markdown" in some commands' help and "md" in others': both are accepted everywhere.
FORMAT_ALIASES = {"md": "markdown"}


def choice(value: str, option: str, allowed: "list[str]", aliases: "dict[str, str] | None" = None) -> str:
    """``value`` of a choice option as its canonical spelling; ``-`` and ``_`` are the same
    (``due-soon`` = ``due_soon``), as are the ``aliases``. Anything else is a usage error (exit 2)."""
    from fxfk.errors import FxfkError
    from fxfk.models.text import echo

    spelled = value.strip().lower()
    spelled = (aliases or {}).get(spelled, spelled)
    for name in allowed:
        if spelled.replace("_", "-") == name.replace("_", "-"):
            return name
    raise FxfkError(f"{option} “{echo(value)}”无效；可选：{'、'.join(allowed)}")


def formats_list(values: "list[str] | None") -> "list[str] | None":
    """``--format html,markdown`` of publish and report: their files call Markdown ``md``."""
    if not values:
        return values
    return [",".join("md" if p.strip().lower() == "markdown" else p for p in v.split(",")) for v in values]


def office_ids(data_root: Path, values: "Optional[list[str]]", options: "Options") -> "list[str] | None":
    """The office ids meant by ``--office`` values: ids, names or kinds, repeated or comma-separated.

    Ids pass as they are (each command says when one is unknown); a name or a kind needs the offices
    of the repository, which are then read once (with the cache, as every command reads them).
    """
    names = [n.strip() for item in values or () for n in item.split(",") if n.strip()]
    if not names:
        return None
    import re

    from fxfk.models.enums import OfficeKind

    kinds = OfficeKind.lookup()
    if all(re.fullmatch(r"[a-z][a-z0-9-]*", n) and n not in kinds for n in names):
        return list(dict.fromkeys(names))
    offices = _offices(data_root, options)
    return list(dict.fromkeys(i for n in names for i in _office_ids(n, offices, kinds)))


def _offices(data_root: Path, options: "Options") -> list:
    import fxfk

    repo = fxfk.load_repository(data_root, options)
    return [s.model.office for s in repo.registers if s.model is not None]


def _office_ids(name: str, offices: list, kinds: dict) -> list[str]:
    from fxfk.errors import FxfkError
    from fxfk.models.text import echo

    if any(o.id == name for o in offices):
        return [name]
    if name in kinds:
        of_kind = [o.id for o in offices if o.kind is kinds[name]]
        if not of_kind:  # an empty selection would read as "all offices"
            raise FxfkError(f"--office “{echo(name)}”：没有这一类型的单位")
        return of_kind
    plain = "".join(name.split())
    named = [o.id for o in offices if "".join(o.name.split()) == plain]
    if named:
        return named
    known = "、".join(f"{o.name}（{o.id}）" for o in offices) or "（没有登记册）"
    raise FxfkError(f"--office “{echo(name)}”既不是单位标识、单位名称，也不是单位类型（county/division/affiliate）；已有单位：{known}")
