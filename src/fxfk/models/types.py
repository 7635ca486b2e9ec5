"""Field types shared by the models: the base model, identifiers, bounded numbers, ISO dates.

Text fields are in :mod:`fxfk.models.text`, the bilingual enumerations in :mod:`fxfk.models.enums`.

The YAML loader (fxfk.load.yamlload) only ever produces str, int, bool, None, lists and dicts, so the
types here are strict: a text field given ``true`` or ``12`` is an error that says to quote it,
never a silent "True"/"12".

A data repository is untrusted input (a pull request), and what ``fxfk validate`` accepts is what
every other command (classify, deadlines, report, publish) works on. So every field is bounded once
(text in :mod:`fxfk.models.text`, the rest here), and the bounds are in the JSON Schema:

======================  =====================================================================
text (every str)        no C0 control character except tab and line feed (carriage return is
                        refused: a lone CR breaks Markdown tables and CSV rows), no DEL, no C1
                        control (U+0080–U+009F), no bidi embedding/override/isolate (U+202A–U+202E,
                        U+2066–U+2069: they make a list read differently from what it says)
ids, references, phone  at most ``ID_MAX`` (64) characters
names, titles, numbers  at most ``NAME_MAX`` (200) characters
free text               at most ``TEXT_MAX`` (10,000) characters
counts (cases, people)  0 … ``COUNT_MAX`` (10,000,000)
batch numbers           1 … ``BATCH_MAX`` (1,000)
years of case counts    ``YEAR_MIN`` … ``YEAR_MAX`` (1949 … 2100); task tables from 2000
dates                   1949-01-01 … 2100-12-31 (sums of a date and ``DAYS_MAX`` stay in range)
days (settings)         up to ``DAYS_MAX`` (3,650, ten years)
points (scoring)        −100 … 100
ratios (rise_ratio)     1 … 1,000 (in fxfk.models.settings)
======================  =====================================================================

With these bounds no arithmetic of the checks, reports or deadlines can overflow: the largest sum
is 150,000 points × 10,000,000 cases, far below what a float holds exactly.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from fxfk.models.text import ID_MAX, echo


class StrictModel(BaseModel):
    """Base of every model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


# --- Windows reserved names --------------------------------------------------------------------

# A file named after a DOS device (CON, NUL.yaml, com1.txt…) cannot be checked out on Windows.
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def is_windows_reserved(name: str) -> bool:
    """Whether ``name`` (a file name or stem, any case, with or without extensions) is a DOS device name."""
    return name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED


def windows_safe_alternative(name: str) -> str:
    """A valid office id (and file stem) close to a reserved ``name``: ``con`` → ``con-1``."""
    base = re.sub(r"[^a-z0-9-]", "", name.split(".", 1)[0].lower()) or "office"
    if not base[0].isalpha():
        base = "office-" + base
    return f"{base[:38]}-1"


def windows_reserved_message(what: str, name: str) -> str:
    return (
        f"{what}“{echo(name)}”是 Windows 的保留设备名，这样命名的文件在 Windows 上无法检出；"
        f"请换一个名字，例如 {windows_safe_alternative(name)}"
    )


def _not_windows_reserved(value: str) -> str:
    if is_windows_reserved(value):
        raise PydanticCustomError("windows_reserved_name", windows_reserved_message("单位标识", value))
    return value


OFFICE_ID_PATTERN = r"^[a-z][a-z0-9-]{1,39}$"
RISK_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
_RESERVED_ID_PATTERN = "^(con|prn|aux|nul|com[1-9]|lpt[1-9])$"

# Patterns are checked by pydantic's Rust regex, where ``$`` is the end of the text. In Python,
# ``$`` also matches before a final newline: match them with ``re.fullmatch`` only.
OfficeId = Annotated[
    str,
    StringConstraints(strict=True, max_length=40, pattern=OFFICE_ID_PATTERN),
    AfterValidator(_not_windows_reserved),
    Field(json_schema_extra={"not": {"pattern": _RESERVED_ID_PATTERN}}),
]
RiskId = Annotated[str, StringConstraints(strict=True, max_length=ID_MAX, pattern=RISK_ID_PATTERN)]


# --- numbers -------------------------------------------------------------------------------------

COUNT_MAX = 10_000_000
BATCH_MAX = 1_000
YEAR_MIN, YEAR_MAX = 1949, 2100
TASK_YEAR_MIN = 2000
DAYS_MAX = 3_650
POINTS_MAX = 100

Count = Annotated[int, Field(strict=True, ge=0, le=COUNT_MAX)]  # cases, comments, people
PositiveCount = Annotated[int, Field(strict=True, ge=1, le=COUNT_MAX)]
BatchId = Annotated[int, Field(strict=True, ge=1, le=BATCH_MAX)]
Year = Annotated[int, Field(strict=True, ge=YEAR_MIN, le=YEAR_MAX)]
TaskYear = Annotated[int, Field(strict=True, ge=TASK_YEAR_MIN, le=YEAR_MAX)]
Days = Annotated[int, Field(strict=True, ge=1, le=DAYS_MAX)]
DaysOrZero = Annotated[int, Field(strict=True, ge=0, le=DAYS_MAX)]
Points = Annotated[int, Field(strict=True, ge=-POINTS_MAX, le=POINTS_MAX)]

# --- list lengths --------------------------------------------------------------------------------
# Far above any real register (an office has 30-80 points), low enough that pydantic stops at once:
# unbounded, a 5 MB file of "- {}" lines made pydantic build six million errors (5.7 GB) first.
MAX_ITEMS = 200  # basis entries, measures, tiers, causes, parties, amendment dates of one item
MAX_POINTS = 5_000  # points of one register, laws of the catalogue, points named by one activity
MAX_BATCHES = BATCH_MAX
MAX_ACTIVITIES = 20_000

# The former names, bounded like the rest.
NonNegativeInt = Count
PositiveInt = PositiveCount


# --- dates ---------------------------------------------------------------------------------------

DATE_MIN = _dt.date(YEAR_MIN, 1, 1)
DATE_MAX = _dt.date(YEAR_MAX, 12, 31)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date_range_error(value: Any) -> PydanticCustomError:
    return PydanticCustomError(
        "date_range",
        "日期“{value}”超出范围；应在 {first} 到 {last} 之间",
        {"value": echo(value), "first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat()},
    )


def parse_iso_date(value: Any) -> Any:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        if not DATE_MIN <= value <= DATE_MAX:
            raise _date_range_error(value.isoformat())
        return value
    if isinstance(value, str):
        m = _ISO_DATE.fullmatch(value.strip())
        if m:
            try:
                day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise PydanticCustomError(
                    "date_invalid",
                    "日期“{value}”不存在（该月没有这一天）；请写一个真实的日期，格式 YYYY-MM-DD",
                    {"value": echo(value)},
                ) from None
            if not DATE_MIN <= day <= DATE_MAX:
                raise _date_range_error(value)
            return day
    raise PydanticCustomError(
        "date_format",
        "“{value}”不是日期；应写成 YYYY-MM-DD，例如 2019-09-16",
        {"value": echo(value)},
    )


Date = Annotated[
    _dt.date,
    BeforeValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]


def _id_text(value: Any) -> Any:
    # `task: 3` is natural to write; a plain decimal integer reads the same as its text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if 0 <= value <= COUNT_MAX else value
    return value


_TASK_ID = r"^[0-9A-Za-z][0-9A-Za-z.\-]*$"
TaskId = Annotated[
    str,
    BeforeValidator(_id_text),
    StringConstraints(strict=True, min_length=1, max_length=ID_MAX, pattern=_TASK_ID),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": _TASK_ID, "maxLength": ID_MAX},
            {"type": "integer", "minimum": 0, "maximum": COUNT_MAX},
        ]
    }),
]

SchemaVersion = Annotated[
    Literal[1],
    Field(description="数据格式版本，目前只有 1"),
]

