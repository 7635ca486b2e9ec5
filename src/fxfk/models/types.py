"""Field types shared by the models: bilingual enumerations, strict text, ISO dates.

The YAML loader (fxfk.yamlload) only ever produces str, int, bool, None, lists and dicts, so the
types here are strict: a text field given ``true`` or ``12`` is an error that says to quote it,
never a silent "True"/"12".
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError


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
            {"value": show_value(value), "what": what, "choices": enum.describe()},
        )

    return Annotated[enum, BeforeValidator(parse), WithJsonSchema(_enum_schema(enum, what))]


def _enum_schema(enum: type[LabelledEnum], what: str) -> dict:
    # Editors then offer both spellings; the models accept both.
    return {
        "type": "string",
        "enum": list(enum.lookup()),
        "description": f"{what}：" + enum.describe(),
    }


def show_value(value: Any) -> str:
    """A value as the user wrote it in YAML, for messages."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "（空）"
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    return str(value)


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

# Text: a str and nothing else; Required text must not be blank.
Text = Annotated[str, StringConstraints(strict=True)]
RequiredText = Annotated[str, StringConstraints(strict=True, min_length=1, pattern=r"\S")]

NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]
PositiveInt = Annotated[int, Field(strict=True, ge=1)]

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_iso_date(value: Any) -> Any:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        m = _ISO_DATE.match(value.strip())
        if m:
            try:
                return _dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise PydanticCustomError(
                    "date_invalid",
                    "日期“{value}”不存在（该月没有这一天）；请写一个真实的日期，格式 YYYY-MM-DD",
                    {"value": value},
                ) from None
    raise PydanticCustomError(
        "date_format",
        "“{value}”不是日期；应写成 YYYY-MM-DD，例如 2019-09-16",
        {"value": show_value(value)},
    )


Date = Annotated[
    _dt.date,
    BeforeValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]


def _id_text(value: Any) -> Any:
    # `task: 3` is natural to write; a plain decimal integer reads the same as its text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_TASK_ID = r"^[0-9A-Za-z][0-9A-Za-z.\-]*$"
TaskId = Annotated[
    str,
    BeforeValidator(_id_text),
    StringConstraints(strict=True, min_length=1, pattern=_TASK_ID),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": _TASK_ID}, {"type": "integer", "minimum": 0}]}),
]

SchemaVersion = Annotated[
    Literal[1],
    Field(description="数据格式版本，目前只有 1"),
]
