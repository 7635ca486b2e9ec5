"""Repository settings: fxfk.yaml (optional; every key has a default)."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, Optional

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from fxfk.models.text import Name, echo
from fxfk.models.types import (
    Count,
    Days,
    DaysOrZero,
    PositiveCount,
    SchemaVersion,
    StrictModel,
)

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
RATIO_MAX = 1_000


def _decimal(value: Any) -> Any:
    # The loader leaves `2.5` as text (it types integers only); read it here, deliberately.
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        # Too big for a float (10**309): infinite, which the bound below refuses.
        return float(value) if value.bit_length() <= 1000 else math.inf
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return float(value)
    raise PydanticCustomError("decimal", "“{value}”不是数字；应写成 2 或 1.5 这样的数", {"value": echo(value)})


# The bounds before the validator: after it, pydantic put them in the JSON Schema as "ge"/"le".
Ratio = Annotated[float, Field(ge=1, le=RATIO_MAX), BeforeValidator(_decimal)]


class Hotspot(StrictModel):
    top: PositiveCount = Field(10, title="全市案件数前 N 名", description="最近一年案件数排名前 N 的风险点参与预警")
    min_cases: Count = Field(5, title="最少案件数")
    rise_ratio: Ratio = Field(
        2.0,
        title="同比上升倍数",
        description="最近一年案件数达到上一年的这么多倍（且不少于 min_cases）也预警",
    )


class GuidanceDays(StrictModel):
    high: Days = Field(90, title="高风险点行政指导间隔（天）")
    medium: Days = Field(180, title="中风险点行政指导间隔（天）")
    low: Days = Field(365, title="低风险点行政指导间隔（天）")


class Settings(StrictModel):
    """Settings for the whole data repository."""

    model_config = {"title": "fxfk 设置（fxfk.yaml）"}

    schema_version: SchemaVersion = 1
    organization: Optional[Name] = Field(None, title="发布机关", description="印在公开清单和报告上的机关名称")
    levels: Literal[2, 3] = Field(3, title="风险等级级数", description="3 = 高/中/低（通知原文）；2 = 高/低")
    hotspot: Hotspot = Field(default_factory=Hotspot, title="自动预警")
    due_soon_days: DaysOrZero = Field(14, title="即将到期提醒天数")
    guidance_days: GuidanceDays = Field(default_factory=GuidanceDays, title="行政指导频次")
    # 0 by default: 第十五条 is about 向社会公开征求意见 on a major decision; the notice's own timetable
    # (附件2: 征求意见 by mid-August) gave targeted consultations of about two weeks.
    consultation_min_days: DaysOrZero = Field(
        0,
        title="征求意见最短期限（天）",
        description="已审定、已公布的风险点，征求意见期限（开始日至截止日，首尾都算）短于此天数的给出警告，"
        "设置时也是 fxfk consult draft 缺省的反馈期限；向社会公开征求意见的，按《重大行政决策程序暂行条例》第十五条"
        "（公开征求意见的期限一般不少于30日）设为 30；0 = 不检查（缺省）",
    )
    evaluation_min_cases: Count = Field(
        5,
        title="评估最少案件数",
        description="报告的分析评估中，比较的各年（公布前一年与公布后各整年）案件数合计少于此数的风险点写“样本过少”，不据以建议修订或列为典型案例",
    )
