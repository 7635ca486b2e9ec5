"""The optional catalogue of laws cited: data/laws.yaml."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from fxfk.models.enums import LawRankField
from fxfk.models.text import Name, RequiredName, RequiredText
from fxfk.models.types import MAX_ITEMS, MAX_POINTS, Date, SchemaVersion, StrictModel


class ArticleText(StrictModel):
    """One article's words in one text of a law."""

    model_config = {"title": "条文原文"}

    article: RequiredName = Field(title="条款", description="如“第三十三条第一款”，与依据的 article 写法相同")
    text: RequiredText = Field(title="原文", description="逐字照录，含标点")


class LawVersion(StrictModel):
    """One text of a law, from the day it took effect until the next version's (second-round addition)."""

    model_config = {"title": "法规的一个文本（版本）"}

    effective: Date = Field(title="本文本施行日期", description="到下一个文本的施行日期前一天为止；按日期先后排列、不能重复（`law-versions-order`），"
        "在法规的施行期内（`law-version-outside-validity`）")
    name: RequiredName = Field(
        title="文本名称", description="如“中华人民共和国行政处罚法（2021年修订）”；条件文字写明“（2017年修正）”时按此核对"
    )
    number: Optional[Name] = Field(None, title="本文本的文号", description="如“中华人民共和国主席令第七十号”")
    articles: dict[RequiredName, RequiredName] = Field(
        default_factory=dict, max_length=MAX_ITEMS, title="规则所在条款",
        description="规则名: 条款，例如 no_penalty: 第三十三条第一款；某规则在一个文本中没有对应条款时不写。"
        "规则名：no_penalty（违法行为轻微并及时改正、没有造成危害后果的，不予行政处罚），"
        "first_offence_no_penalty（初次违法且危害后果轻微并及时改正的，可以不予行政处罚）；其他规则名警告（`unknown-rule-key`）。"
        "引用的条款只见于其他文本时报告（`cited-article-not-in-force`）",
    )
    texts: list[ArticleText] = Field(
        default_factory=list, max_length=MAX_ITEMS, title="条文原文",
        description="逐条的原文（只收逐字核对过的条文）；有原文时，引用它的条文摘录须逐字一致，"
        "省略处用「……」标明（`excerpt-not-verbatim`）",
    )


class Law(StrictModel):
    name: RequiredName = Field(title="名称", description="与 basis[].law 的写法一致（书名号可有可无）")
    number: Optional[Name] = Field(None, title="文号")
    rank: LawRankField = Field(title="效力层级")
    issuer: Optional[Name] = Field(None, title="制定机关")
    effective: Optional[Date] = Field(None, title="施行日期")
    repealed: Optional[Date] = Field(None, title="废止日期")
    replaced_by: Optional[Name] = Field(None, title="替代的法规")
    amended: list[Date] = Field(default_factory=list, max_length=MAX_ITEMS, title="修订/修正日期")
    versions: list[LawVersion] = Field(
        default_factory=list, max_length=MAX_ITEMS, title="文本（版本）",
        description="各次修订、修正后的文本及其施行日期，用于按日期确定某一规定所在的条款（条款号的变化）和核对条文摘录",
    )


class LawCatalogue(StrictModel):
    model_config = {"title": "法律法规目录（data/laws.yaml）"}

    schema_version: SchemaVersion = 1
    laws: list[Law] = Field(default_factory=list, max_length=MAX_POINTS, title="法律法规")
