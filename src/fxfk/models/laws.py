"""The optional catalogue of laws cited: data/laws.yaml."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from fxfk.models.enums import LawRankField
from fxfk.models.text import Name, RequiredName
from fxfk.models.types import MAX_ITEMS, MAX_POINTS, Date, SchemaVersion, StrictModel


class Law(StrictModel):
    name: RequiredName = Field(title="名称", description="与 basis[].law 的写法一致（书名号可有可无）")
    number: Optional[Name] = Field(None, title="文号")
    rank: LawRankField = Field(title="效力层级")
    issuer: Optional[Name] = Field(None, title="制定机关")
    effective: Optional[Date] = Field(None, title="施行日期")
    repealed: Optional[Date] = Field(None, title="废止日期")
    replaced_by: Optional[Name] = Field(None, title="替代的法规")
    amended: list[Date] = Field(default_factory=list, max_length=MAX_ITEMS, title="修订/修正日期")


class LawCatalogue(StrictModel):
    model_config = {"title": "法律法规目录（data/laws.yaml）"}

    schema_version: SchemaVersion = 1
    laws: list[Law] = Field(default_factory=list, max_length=MAX_POINTS, title="法律法规")
