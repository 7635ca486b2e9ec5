"""An office's risk register: data/risks/<office-id>.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional, Union

from pydantic import Discriminator, Field, Tag

from fxfk.models.enums import (
    LEVEL_ORDER,
    ActivityKindField,
    BasisRoleField,
    Level,
    LevelField,
    MeasureKindField,
    OfficeKindField,
    Status,
    StatusField,
)
from fxfk.models.text import Name, RequiredName, RequiredText, ShortText, Text
from fxfk.models.types import (
    MAX_ACTIVITIES,
    MAX_BATCHES,
    MAX_ITEMS,
    MAX_POINTS,
    OFFICE_ID_PATTERN,
    RISK_ID_PATTERN,
    BatchId,
    Count,
    Date,
    OfficeId,
    PositiveCount,
    RiskId,
    SchemaVersion,
    StrictModel,
    TaskId,
    Year,
)

__all__ = ["OFFICE_ID_PATTERN", "RISK_ID_PATTERN", "OfficeId", "RiskId"]  # re-exported: their former home


def attention_rank(attention: Level | None) -> int:
    """Where a point's 社会关注度 puts it in a work list: high, medium, low, then unset.

    附件1 二（一）: 先梳理社会公众关注度高的违法风险点. The one order every work list uses
    (fxfk classify, deadlines --guidance, the report's points not yet published).
    """
    return len(LEVEL_ORDER) if attention is None else LEVEL_ORDER[attention]


def public_on(published: bool, batch_date: dt.date | None, date: dt.date) -> bool:
    """附件1 二(四) as the spec reads it: a point is public on ``date`` when it is published (``status:
    published``) and its batch is dated on or before ``date`` (``batch_date`` None: no batch, or one the
    register does not list). The one statement of the rule: the lists, the report, the guidance
    deadlines, the law checks and ``fxfk diff`` all ask it."""
    return published and batch_date is not None and batch_date <= date


class Office(StrictModel):
    id: OfficeId = Field(
        title="单位标识",
        description="小写字母开头，只含小写字母、数字和连字符，2–40 个字符；与文件名相同；不能是 Windows 保留名（con、nul、com1 等）",
    )
    name: RequiredName = Field(title="单位名称")
    kind: OfficeKindField = Field(title="单位类型")
    phone: Optional[ShortText] = Field(None, title="联系电话", description="公开清单上印出的咨询电话")


class Batch(StrictModel):
    id: BatchId = Field(title="批次号", description="正整数，文件内唯一：1 = 第一批")
    date: Date = Field(title="公布日期", description="晚于今天的批次是计划中的批次，尚未公开")
    document: Optional[Name] = Field(None, title="公布文号", description="可选：公布该批清单的文件文号")


class Basis(StrictModel):
    role: BasisRoleField = Field(title="依据类型")
    law: RequiredName = Field(title="法律法规名称", description="可带或不带书名号《》")
    number: Optional[Name] = Field(None, title="文号", description="例如 商务部令2012年第9号")
    article: RequiredName = Field(title="条款", description="例如 第三十六条")
    excerpt: Optional[Text] = Field(None, title="条文摘录")


class DiscretionTier(StrictModel):
    circumstance: RequiredText = Field(title="违法情形")
    sanction: RequiredText = Field(title="处罚裁量")


def _discretion_tag(value: Any) -> str:
    return "discretion-text" if isinstance(value, str) else "discretion-tiers"


Discretion = Annotated[
    Union[
        Annotated[Text, Tag("discretion-text")],
        Annotated[list[DiscretionTier], Field(max_length=MAX_ITEMS), Tag("discretion-tiers")],
    ],
    Discriminator(_discretion_tag),
]


class Factors(StrictModel):
    major_penalty: bool = Field(False, title="可能导致重大行政处罚")
    coercion: bool = Field(False, title="可能导致行政强制措施或行政强制执行")
    hotspot: Text = Field("", title="易发、高发、多发", description="非空 = 某一时段、某一地域、某一行业易发、高发、多发（写明何时何地）")
    simple_procedure: bool = Field(False, title="适用简易程序")
    minor_correctable: bool = Field(False, title="违法行为轻微，经行政指导能及时纠正，未造成危害后果")
    rare: bool = Field(False, title="偶发、少见")
    unclear_law: bool = Field(False, title="法律没有明确规定，需要包容审慎监管")


class Causes(StrictModel):
    agency: list[RequiredText] = Field(default_factory=list, max_length=MAX_ITEMS, title="行政机关方面的原因")
    counterpart: list[RequiredText] = Field(default_factory=list, max_length=MAX_ITEMS, title="行政相对人方面的原因")


class Measure(StrictModel):
    kind: MeasureKindField = Field(title="措施类型")
    text: RequiredText = Field(title="措施内容")


class Consultation(StrictModel):
    start: Date = Field(title="征求意见开始日期")
    end: Date = Field(title="征求意见截止日期")
    parties: list[RequiredName] = Field(min_length=1, max_length=MAX_ITEMS, title="征求意见对象", description="至少一个，例如 企业、行业协会")
    comments: Count = Field(0, title="收到意见数")
    adopted: Count = Field(0, title="采纳意见数")



class Risk(StrictModel):
    id: RiskId = Field(title="风险点编号", description="大写字母开头，如 JS-YFK-001；在所有登记册中唯一")
    title: RequiredName = Field(title="违法风险点")
    domain: RequiredName = Field(title="行业/领域")
    party: Optional[Name] = Field(None, title="行政相对人")
    conduct: Optional[Text] = Field(None, title="违法行为表现形式")
    harm: Optional[Text] = Field(None, title="危害后果")
    basis: list[Basis] = Field(min_length=1, max_length=MAX_ITEMS, title="行政处罚和行政强制等依据")
    discretion: Optional[Discretion] = Field(None, title="裁量标准", description="一段文字，或按情形分档的列表")
    factors: Factors = Field(default_factory=Factors, title="定级事实")
    level: LevelField = Field(title="风险等级")
    level_reason: Text = Field("", title="定级说明", description="申报等级与规则等级不同时必须说明理由")
    causes: Causes = Field(default_factory=Causes, title="原因分析")
    measures: list[Measure] = Field(default_factory=list, max_length=MAX_ITEMS, title="防控措施")
    responsible: RequiredName = Field(title="责任单位")
    attention: Optional[LevelField] = Field(
        None, title="社会关注度", description="高的先梳理、先公布（附件1 二（一））；工作清单按它排序"
    )
    status: StatusField = Field(Status.draft, title="状态", description="缺省为 draft（草稿），草稿永远不会公开")
    consultation: Optional[Consultation] = Field(None, title="征求意见")
    batch: Optional[BatchId] = Field(None, title="公布批次")
    no_penalty: bool = Field(False, title="列入轻微违法行为免罚清单")
    no_penalty_condition: Text = Field("", title="免罚适用条件")
    cases: dict[Year, Count] = Field(
        default_factory=dict, title="各年办结案件数", description="年份: 件数，例如 2018: 11"
    )


class Activity(StrictModel):
    date: Date = Field(title="日期")
    kind: ActivityKindField = Field(title="活动类型")
    task: Optional[TaskId] = Field(None, title="对应任务", description="任务表中的序号，如 \"3.3\"")
    count: PositiveCount = Field(1, title="次数")
    risks: list[RiskId] = Field(default_factory=list, max_length=MAX_POINTS, title="涉及的风险点")
    note: Text = Field("", title="说明（内部）")
    counterparts: Optional[Count] = Field(None, title="指导的行政相对人数", description="仅用于行政指导")
    corrected: Optional[Count] = Field(None, title="其中已纠正数", description="仅用于行政指导")
    respondents: Optional[Count] = Field(None, title="调查对象数", description="仅用于调查")
    satisfied: Optional[Count] = Field(None, title="其中满意数", description="仅用于调查")


class Register(StrictModel):
    """One office's risk register."""

    model_config = {"title": "风险点登记册（data/risks/<单位标识>.yaml）"}

    schema_version: SchemaVersion = 1
    office: Office = Field(title="单位")
    batches: list[Batch] = Field(default_factory=list, max_length=MAX_BATCHES, title="公布批次")
    risks: list[Risk] = Field(default_factory=list, max_length=MAX_POINTS, title="违法风险点")
    activities: list[Activity] = Field(default_factory=list, max_length=MAX_ACTIVITIES, title="工作记录")


class RiskPublicFields(StrictModel):
    """The fields of a :class:`Risk` a public list reads (:mod:`fxfk.public.view`), declared and validated
    exactly as there; the others are skipped unread. Building a province's lists validates about 40 %
    less (``tests/test_public_fields.py`` holds the declarations to :class:`Risk`'s)."""

    model_config = {**StrictModel.model_config, "extra": "ignore"}

    title: RequiredName = Field(title="违法风险点")
    basis: list[Basis] = Field(min_length=1, max_length=MAX_ITEMS, title="行政处罚和行政强制等依据")
    discretion: Optional[Discretion] = Field(None, title="裁量标准", description="一段文字，或按情形分档的列表")
    level: LevelField = Field(title="风险等级")
    measures: list[Measure] = Field(default_factory=list, max_length=MAX_ITEMS, title="防控措施")
    responsible: RequiredName = Field(title="责任单位")
    status: StatusField = Field(Status.draft, title="状态", description="缺省为 draft（草稿），草稿永远不会公开")
    batch: Optional[BatchId] = Field(None, title="公布批次")
    no_penalty: bool = Field(False, title="列入轻微违法行为免罚清单")
    no_penalty_condition: Text = Field("", title="免罚适用条件")


class RegisterPublicFields(StrictModel):
    """The fields of a :class:`Register` a public list reads: the office, the batches and each point's
    :class:`RiskPublicFields` (a register already found valid, rebuilt from the cache for publishing)."""

    model_config = {**StrictModel.model_config, "extra": "ignore"}

    office: Office = Field(title="单位")
    batches: list[Batch] = Field(default_factory=list, max_length=MAX_BATCHES, title="公布批次")
    risks: list[RiskPublicFields] = Field(default_factory=list, max_length=MAX_POINTS, title="违法风险点")
