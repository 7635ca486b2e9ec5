"""Field types shared by the models: bilingual enumerations, strict text, ISO dates, bounded numbers.

The YAML loader (fxfk.load.yamlload) only ever produces str, int, bool, None, lists and dicts, so the
types here are strict: a text field given ``true`` or ``12`` is an error that says to quote it,
never a silent "True"/"12".

A data repository is untrusted input (a pull request), and what ``fxfk validate`` accepts is what
every other command (classify, deadlines, report, publish) works on. So every field is bounded here,
once, and the bounds are in the JSON Schema:

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
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema


class StrictModel(BaseModel):
    """Base of every model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class LabelledEnum(str, Enum):
    """An enumeration whose members are written as the English token or the Chinese label."""

    label: str

    def __new__(cls, token: str, label: str, *aliases: str):
        member = str.__new__(cls, token)
        member._value_ = token
        member.label = label
        member._aliases = aliases
        return member

    @classmethod
    def lookup(cls) -> dict[str, LabelledEnum]:
        table = cls.__dict__.get("_lookup_table")
        if table is None:
            table = {}
            for m in cls:
                table[m.value] = m
                table[m.label] = m
                for a in m._aliases:
                    table[a] = m
            cls._lookup_table = table
        return table

    @classmethod
    def describe(cls) -> str:
        return "、".join(f"{m.value}（{m.label}）" for m in cls)

    def __str__(self) -> str:
        return self.label


def _enum_field(enum: type[LabelledEnum], what: str):
    table = enum.lookup()

    def parse(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        if isinstance(value, str):
            member = table.get(value.strip())
            if member is not None:
                return member
        raise PydanticCustomError(
            "enum_value",
            "“{value}”不是有效的{what}；可用的值：{choices}",
            {"value": echo(value), "what": what, "choices": enum.describe()},
        )

    return Annotated[enum, BeforeValidator(parse), WithJsonSchema(_enum_schema(enum, what))]


def _enum_schema(enum: type[LabelledEnum], what: str) -> dict:
    # Editors then offer both spellings; the models accept both.
    return {
        "type": "string",
        "enum": list(enum.lookup()),
        "description": f"{what}：" + enum.describe(),
    }


def echo(value: Any) -> str:
    """A short, escaped excerpt of a value as the user wrote it, for messages (see fxfk.load.model_errors)."""
    from fxfk.load.model_errors import echo as _echo  # model_errors imports this module

    return _echo(value)


show_value = echo  # the former name


class Level(LabelledEnum):
    high = ("high", "高", "高风险")
    medium = ("medium", "中", "中风险")
    low = ("low", "低", "低风险")


LEVEL_ORDER = {Level.high: 0, Level.medium: 1, Level.low: 2}


class Status(LabelledEnum):
    draft = ("draft", "草稿")
    consulting = ("consulting", "征求意见")
    approved = ("approved", "已审定")
    published = ("published", "已公布")
    retired = ("retired", "已废止")


class OfficeKind(LabelledEnum):
    county = ("county", "县（市、区）商务局", "县(市、区)商务局", "县区商务局")
    division = ("division", "机关处室")
    affiliate = ("affiliate", "局属单位")


class BasisRole(LabelledEnum):
    violated = ("violated", "违法依据")
    penalty = ("penalty", "处罚依据")
    coercion = ("coercion", "强制依据")


class MeasureKind(LabelledEnum):
    advise = ("advise", "建议")
    channel = ("channel", "疏导")
    warn = ("warn", "警示")
    publicize = ("publicize", "宣传")
    guide = ("guide", "指导")
    other = ("other", "其他")


class ActivityKind(LabelledEnum):
    training = ("training", "培训")
    test = ("test", "测试")
    model_site = ("model_site", "示范点指导")
    consultation = ("consultation", "征求意见")
    publication = ("publication", "公布")
    publicity = ("publicity", "宣传")
    guidance = ("guidance", "行政指导")
    survey = ("survey", "调查")
    evaluation = ("evaluation", "评估")
    other = ("other", "其他")


class LawRank(LabelledEnum):
    law = ("law", "法律")
    administrative_regulation = ("administrative_regulation", "行政法规")
    department_rule = ("department_rule", "部门规章")
    local_regulation = ("local_regulation", "地方性法规")
    local_rule = ("local_rule", "地方政府规章")
    normative_document = ("normative_document", "规范性文件")


LevelField = _enum_field(Level, "风险等级")
StatusField = _enum_field(Status, "状态")
OfficeKindField = _enum_field(OfficeKind, "单位类型")
BasisRoleField = _enum_field(BasisRole, "依据类型")
MeasureKindField = _enum_field(MeasureKind, "防控措施类型")
ActivityKindField = _enum_field(ActivityKind, "活动类型")
LawRankField = _enum_field(LawRank, "效力层级")

# --- text -------------------------------------------------------------------------------------

ID_MAX = 64
NAME_MAX = 200
TEXT_MAX = 10_000

# C0 controls except tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates.
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
_CONTROL_NAMES = {"\r": "回车符；换行请直接换行", "\x00": "空字符", "\x1b": "终端转义符 ESC"}
_BIDI_NAME = "双向文字控制符，会使文字显示的顺序与实际内容不同"


def control_character(char: str) -> bool:
    return CONTROL.match(char) is not None


def text_problem(text: str, max_length: int) -> tuple[str, str] | None:
    """(error type, Chinese message) if ``text`` is too long or holds a control character, else None."""
    if len(text) > max_length:
        return "text_too_long", f"文字过长：{len(text)} 个字符，此处最多 {max_length} 个字符"
    m = CONTROL.search(text)
    if m is None:
        return None
    char = m.group()
    name = _BIDI_NAME if "\u202a" <= char <= "\u2069" else _CONTROL_NAMES.get(char)
    detail = f"第 {m.start() + 1} 个字符" + (f"，{name}" if name else "")
    return "control_character", f"含有控制字符 U+{ord(char):04X}（{detail}），请删除"


@dataclass(frozen=True)
class TextRule:
    """The rule of every text field: at most ``max_length`` characters, no control character.

    Checked in Python after pydantic's own str checks: ``len`` is O(1) on a str and one regex search
    costs less than a Rust pattern, which would first convert the text to UTF-8 (measured).
    """

    max_length: int

    def validator(self) -> Any:
        # A closure with its lookups bound: it runs for every text of every file (~1,200 a register).
        def check(value: str, _limit: int = self.max_length, _search: Any = CONTROL.search) -> str:
            if len(value) > _limit or _search(value) is not None:
                kind, message = text_problem(value, _limit)
                raise PydanticCustomError(kind, message)
            return value

        return check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.validator(), handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict:
        out = handler(schema)
        out["maxLength"] = self.max_length
        return out


def _text(max_length: int, required: bool = False) -> Any:
    if required:  # not blank: checked by pydantic, so the messages stay those of before
        return Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"\S"), TextRule(max_length)]
    return Annotated[str, StringConstraints(strict=True), TextRule(max_length)]


# Text: a str and nothing else; Required text must not be blank. Every str field of every model
# is one of these (tests/security/test_models.py walks the models to make sure).
Text = _text(TEXT_MAX)  # free text: descriptions, reasons, excerpts, notes
RequiredText = _text(TEXT_MAX, required=True)
Name = _text(NAME_MAX)  # names, titles, law names, document numbers, articles, deadlines
RequiredName = _text(NAME_MAX, required=True)
ShortText = _text(ID_MAX)  # phone numbers
Reference = _text(ID_MAX, required=True)  # office ids or kinds named in a task table


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
