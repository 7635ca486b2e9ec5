"""The year's task table (附件2) and the assessment points: data/tasks/<year>.yaml."""

from __future__ import annotations

from typing import Annotated, Any, Optional, Union

from pydantic import BeforeValidator, Discriminator, Field, Tag
from pydantic_core import PydanticCustomError

from fxfk.models.enums import ActivityKind, ActivityKindField
from fxfk.models.text import Name, Reference, RequiredName, RequiredText, echo
from fxfk.models.types import (
    MAX_ITEMS,
    MAX_POINTS,
    Date,
    Points,
    PositiveCount,
    SchemaVersion,
    StrictModel,
    TaskId,
    TaskYear,
)

ALL_OFFICES = ("all", "全部")


def _offices(value: Any) -> Any:
    # `offices: all` (or omitted) means every office; store that as None.
    if value is None or (isinstance(value, str) and value.strip() in ALL_OFFICES):
        return None
    if isinstance(value, str):
        raise PydanticCustomError(
            "offices_value",
            "“{value}”无效：应为 all（全部单位），或单位标识、单位类型（county/division/affiliate）组成的列表",
            {"value": echo(value)},
        )
    return value


def _kinds(value: Any) -> Any:
    # {公布: 1, publication: 2} names one kind twice: refuse it rather than keep either target.
    if isinstance(value, dict):
        seen: dict[Any, str] = {}
        for key in value:
            kind = ActivityKind.lookup().get(key.strip()) if isinstance(key, str) else None
            if kind is not None and kind in seen:
                raise PydanticCustomError(
                    "duplicate_kind", "活动类型“{kind}”写了两次（“{first}”和“{second}”）；每种类型只能写一次",
                    {"kind": kind.label, "first": echo(seen[kind]), "second": echo(key)},
                )
            if kind is not None:
                seen[kind] = key
    return value


# `counts: publication` (one kind, the row's `target`) or `counts: {publication: 1, publicity: 1}`
# (all of these kinds, each to its own target). The shape decides the branch, so a mistake in a
# mapping is reported as such and not also as "not an activity kind".
Counts = Annotated[
    Union[
        Annotated[ActivityKindField, Tag("counts-kind")],
        Annotated[
            dict[ActivityKindField, PositiveCount],
            Field(min_length=1, max_length=len(ActivityKind)), BeforeValidator(_kinds), Tag("counts-kinds"),
        ],
    ],
    Discriminator(lambda v: "counts-kinds" if isinstance(v, dict) else "counts-kind"),
]


class Task(StrictModel):
    id: TaskId = Field(title="序号", description="任务表序号，拆分的行加子序号，如 \"2.2\"")
    item: RequiredName = Field(title="工作事项")
    content: RequiredText = Field(title="工作内容")
    deadline: RequiredName = Field(
        title="完成时限",
        description="N月上旬/中旬/下旬/初/底/末、N月D日、年底/年末、YYYY-MM-DD，或 根据工作安排/长期/持续",
    )
    target: Optional[PositiveCount] = Field(None, title="目标次数", description="不少于多少次")
    counts: Optional[Counts] = Field(
        None, title="计入的活动类型",
        description="一种活动类型（次数见 target）；或“类型: 次数”的映射，每种类型都要达到各自的次数，"
                    "如 {publication: 1, publicity: 1}",
    )
    offices: Annotated[Optional[Annotated[list[Reference], Field(max_length=MAX_POINTS)]], BeforeValidator(_offices)] = Field(
        None, title="适用单位", description="all，或单位标识/单位类型的列表；缺省为全部单位"
    )

    def needs(self) -> dict[ActivityKind, int] | None:
        """Every activity kind the row needs with its target (the mapping form: all of them), or None
        for a single kind or none, where ``target`` (default 1) counts whatever links to the row."""
        return dict(self.counts) if isinstance(self.counts, dict) else None


class Score(StrictModel):
    office: Reference = Field(title="单位标识")
    date: Date = Field(title="日期")
    points: Points = Field(title="分值", description="正数加分，负数扣分")
    reason: RequiredText = Field(title="理由")
    referred: Optional[bool] = Field(
        None, title="已建议追责",
        description="扣分时是否已建议有关单位依纪依法进行责任追究（附件2 第5项）；只用于扣分",
    )


class TaskTable(StrictModel):
    model_config = {"title": "年度工作任务表（data/tasks/<年份>.yaml）"}

    schema_version: SchemaVersion = 1
    year: TaskYear = Field(title="年度")
    title: RequiredName = Field(title="标题")
    document: Optional[Name] = Field(None, title="文号")
    tasks: list[Task] = Field(min_length=1, max_length=MAX_ITEMS * 10, title="任务")
    scoring: list[Score] = Field(default_factory=list, max_length=MAX_ITEMS * 10, title="加减分项")
