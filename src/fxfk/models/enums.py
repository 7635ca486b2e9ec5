"""Bilingual enumerations: each member is written as its English token or its Chinese label."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from fxfk.models.text import echo

if TYPE_CHECKING:
    from typing_extensions import Self


class LabelledEnum(str, Enum):
    """An enumeration whose members are written as the English token or the Chinese label."""

    _value_: str  # the English token (the members are written as (token, label, *aliases))
    value: str  # (mypy reads a str-mixin enum's value as Any otherwise)
    label: str
    _aliases: tuple[str, ...]
    _lookup_table: ClassVar[dict[str, LabelledEnum]]

    def __new__(cls, token: str, label: str, *aliases: str) -> Self:
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
    def from_text(cls, text: str) -> Self | None:
        """The member written as ``text``: the English token in any case (High, HIGH), or a label."""
        table = cls.lookup()
        text = text.strip()
        member = table.get(text) or table.get(text.lower())
        return member  # type: ignore[return-value]  # the table holds members of cls only

    @classmethod
    def describe(cls) -> str:
        return "、".join(f"{m.value}（{m.label}）" for m in cls)

    def __str__(self) -> str:
        return self.label


def _enum_field(enum: type[LabelledEnum], what: str) -> Any:  # an Annotated[...] type form
    table = enum.lookup()

    def parse(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        if isinstance(value, str):
            text = value.strip()
            member = table.get(text) or table.get(text.lower())  # as from_text(): High, HIGH are high
            if member is not None:
                return member
        raise PydanticCustomError(
            "enum_value",
            "“{value}”不是有效的{what}；可用的值：{choices}",
            {"value": echo(value), "what": what, "choices": enum.describe()},
        )

    return Annotated[enum, BeforeValidator(parse), WithJsonSchema(_enum_schema(enum, what))]


def _enum_schema(enum: type[LabelledEnum], what: str) -> dict[str, Any]:
    # Editors then offer both spellings; the models accept both.
    return {
        "type": "string",
        "enum": list(enum.lookup()),
        "description": f"{what}：" + enum.describe(),
    }


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


if TYPE_CHECKING:
    # The checker sees the member type a field holds once validated; pydantic sees the parser.
    LevelField = Level
    StatusField = Status
    OfficeKindField = OfficeKind
    BasisRoleField = BasisRole
    MeasureKindField = MeasureKind
    ActivityKindField = ActivityKind
    LawRankField = LawRank
else:
    LevelField = _enum_field(Level, "风险等级")
    StatusField = _enum_field(Status, "状态")
    OfficeKindField = _enum_field(OfficeKind, "单位类型")
    BasisRoleField = _enum_field(BasisRole, "依据类型")
    MeasureKindField = _enum_field(MeasureKind, "防控措施类型")
    ActivityKindField = _enum_field(ActivityKind, "活动类型")
    LawRankField = _enum_field(LawRank, "效力层级")
