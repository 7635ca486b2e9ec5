"""Regenerate the generated parts of docs/: the field tables and the command reference.

    python scripts/gen_docs.py           # rewrite docs/data-format.md and docs/commands.md
    python scripts/gen_docs.py --check   # exit 1 if either is out of date (tests/test_docs.py does this)

Only the text between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` is replaced; the Chinese prose
around the markers is written by hand.

- ``fields:<Model>`` in docs/data-format.md: one table per model, read from the pydantic models (field
  order, titles, descriptions, required, defaults) and their JSON Schemas (types, bounds, patterns,
  enumerations) — the same schemas editors use. A nested model without a block of its own is rendered
  right after the model that contains it, so a model added later is never silently left out.
  ``RULES`` below adds, per field, the rule fxfk enforces and the clause of the notice it serves; a key
  that names a field the models no longer have is an error, so renaming a field cannot go unnoticed.
- ``commands`` in docs/commands.md: the ``--help`` of every command and subcommand, as the CLI prints it
  at a fixed width of 100 columns without colour.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from enum import Enum
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # document the checkout's models, not whatever is installed

DATA_FORMAT = ROOT / "docs" / "data-format.md"
COMMANDS = ROOT / "docs" / "commands.md"

BLOCK = re.compile(r"(<!-- BEGIN (?P<name>[^ ]+) -->\n)(?P<body>.*?)(<!-- END (?P=name) -->)", re.S)

# Where each model sits in a file, for the headings ("risks[].basis[]").
ROOT_MODELS = ("Settings", "Register", "TaskTable", "LawCatalogue")

# Per field: the rule fxfk enforces beyond its type (diagnostic codes in `…`) and the notice's clause.
# 附件1 = 《行政相对人法律风险防控制度（试行）》, 附件2 = 2019年度工作任务表, 通知 = 郑商〔2019〕175号 正文.
RULES: dict[str, str] = {
    "*.schema_version": "其他版本报错，并列出 fxfk 认识的版本",
    "Settings.organization": "未设置时公开清单用单位名称。附件1 二（四）",
    "Settings.levels": "3 为通知的三级（附件1 一）。2 是本单位的做法，不是通知的规定（通知没有两级划分）：附件1 一（三）"
    "的情形归为低，公开清单上也就没有“中”；`中` 不是有效等级（`medium-in-two-levels`）",
    "Settings.hotspot": "自动预警 `hotspot-top`、`hotspot-rise`。附件1 二（五）“分析识别、自动预警、主动介入”",
    "Hotspot.top": "前 N 名规则：最近一年案件数全市排名在前 N 名以内（并列名次相同）。附件1 二（五）",
    "Hotspot.min_cases": "两条规则都要求最近一年至少这么多件（至少 1 件）。附件1 二（五）",
    "Hotspot.rise_ratio": "同比上升规则：最近一年 ≥ 倍数 × 上一年（上一年须有记录，写 0 也算）。"
    "附件1 一（一）“易发、高发、多发”、二（五）",
    "Settings.due_soon_days": "任务和行政指导“即将到期”的提醒窗口（`fxfk deadlines`、`fxfk report`）。附件2",
    "Settings.guidance_days": "已公布风险点至少多久要有一次行政指导（`fxfk deadlines --guidance`）。"
    "附件1 二（五）“根据风险等级，提前介入、主动提醒”",
    "Register.office": "每个单位一个登记册；单位是通知的发文对象之一。附件1 二（四）公开清单列出单位",
    "Register.batches": "附件1 二（四）“成熟一批、公布一批”",
    "Register.risks": "附件1 二（一）梳理违法风险点",
    "Register.activities": "计算任务完成情况、行政指导期限和分析评估。附件1 二（四）至（六）、附件2",
    "Office.id": "与文件名不同时报错（`office-id-file-name`）；在所有登记册中唯一（`duplicate-office-id`）",
    "Office.name": "印在公开清单上",
    "Office.kind": "通知的发文对象：各县（市、区）商务局、机关各处室、局属各有关单位；任务表的 `offices` 可按类型选单位",
    "Office.phone": "公开；写成手机号时拒绝公布（固定电话不受影响）。附件1 二（四）“便于行政相对人知晓”",
    "Batch.id": "文件内唯一（`duplicate-batch-id`）",
    "Batch.date": "日期晚于 `--date`（缺省今天）的批次是计划中的，其中的风险点不公开。附件1 二（四）",
    "Batch.document": "印在公开清单的批次标题中",
    "Risk.id": "重复时报错（`duplicate-risk-id`）",
    "Risk.title": "公开。附件1 二（一）",
    "Risk.domain": "不公开；按行业汇总案件数和评估（“某一行业”）。附件1 一（一）、二（六）",
    "Risk.party": "不公开。附件1 二（一）",
    "Risk.conduct": "不公开。附件1 二（一）“违法行为表现形式”",
    "Risk.harm": "不公开。附件1 二（一）“危害后果”",
    "Risk.basis": "公开；至少一条 `penalty` 或 `coercion`，除非 `factors.unclear_law`（`basis-without-penalty`）。"
    "附件1 二（四）“行政处罚和行政强制等依据”",
    "Risk.discretion": "公开；处罚为“不予处罚”的档列为免罚情形。附件1 二（四）“（含裁量标准）”",
    "Risk.factors": "不公开；决定规则等级。附件1 一",
    "Risk.level": "公开；与规则等级不同且没有 `level_reason` 时报错（`level-mismatch`）；跨单位不一致时警告"
    "（`inconsistent-level`）。附件1 一",
    "Risk.level_reason": "不公开；`fxfk diff --fail-on level-down` 要求降级时填写。附件1 一",
    "Risk.causes": "不公开。附件1 二（二）",
    "Risk.measures": "公开；状态为已审定及以后时至少一项（`measures-missing`）。附件1 二（二）",
    "Risk.responsible": "公开。附件1 二（四）“责任单位”",
    "Risk.attention": "不公开；两级划分时不能为中。定级、行政指导期限和报告中“尚未公布的风险点”都按 高、中、低、未填 排序；同一单位中关注度高的风险点仍是草稿或征求意见、而关注度较低的已公布时警告（`attention-order`）。通知 三“梳理一批社会关注度高的”，附件1 二（一）",
    "Risk.status": "只有已公布、且批次日期不晚于公布日期的风险点公开；已废止的不参加预警和比较。附件1 二（三）、二（四）",
    "Risk.consultation": "不公开；状态为已审定、已公布、已废止时必填（`consultation-missing`）。附件1 二（三）",
    "Risk.batch": "状态为已公布时必填（`published-without-batch`）；须是本文件的批次（`unknown-batch`），"
    "其日期不早于征求意见截止日期（`batch-before-consultation`）。附件1 二（四）",
    "Risk.no_penalty": "列入轻微违法行为免罚清单。通知 四“探索梳理轻微违法行为免罚清单”",
    "Risk.no_penalty_condition": "`no_penalty: true` 时必填（`no-penalty-condition`）；印在免罚清单上。只写事实，实施依据由 fxfk 按公布日期生成；引用了当日未施行的条款时报错（`cited-article-not-in-force`），2021-07-15 前的批次写“初次违法”等首违不罚字样是错误（`first-offence-without-ground`）",
    "Risk.cases": "不公开；自动预警、公布前后对比。附件1 二（一）“已办结的行政执法案件”、二（五）、二（六）",
    "Basis.role": "强制依据须是法律、行政法规，或地方性法规设定的查封、扣押：引用规章及以下报错（`coercion-rank`），"
    "引用地方性法规时提示核对（`coercion-local-regulation`）。《行政强制法》第十条（第三款：地方性法规只可以设定"
    "查封场所、设施或者财物和扣押财物）、第十三条（强制执行由法律设定）。附件1 二（四）“行政处罚和行政强制等依据”",
    "Basis.law": "有法规目录时须在目录中（`unknown-law`），在公布日期有效（`law-repealed`、`law-not-yet-effective`）",
    "Basis.number": "有法规目录时须与目录的文号一致（`law-number-mismatch`）",
    "Basis.article": "公开；目录记有条款版本时，须是批次日期施行文本中的条款（`cited-article-not-in-force`）",
    "Basis.excerpt": "公开；目录有该条原文时须逐字照录，省略处用「……」（`excerpt-not-verbatim`）",
    "DiscretionTier.circumstance": "公开；处罚为“不予处罚”的档，其情形就是免罚清单的免罚情形",
    "DiscretionTier.sanction": "公开",
    "Factors.major_penalty": "高。附件1 一（一）“实施重大行政处罚”",
    "Factors.coercion": "高。附件1 一（一）“行政强制措施、行政强制执行”：指针对这一违法行为设定的查封、扣押等强制措施或"
    "强制执行。强制依据只有《行政强制法》第四十五条、第四十六条、第五十三条、第五十四条（任何逾期不缴纳罚款都适用的"
    "加处罚款、强制执行、申请人民法院强制执行）时警告（`coercion-generic-basis`）",
    "Factors.hotspot": "高。附件1 一（一）“某一时段、某一地域、某一行业易发、高发、多发”；没写而案件数突出时预警",
    "Factors.simple_procedure": "低。附件1 一（二）“适用简易程序实施行政处罚”",
    "Factors.minor_correctable": "低。附件1 一（二）",
    "Factors.rare": "低。附件1 一（二）“偶发、少见”",
    "Factors.unclear_law": "低；且不要求处罚或强制依据。附件1 一（二）",
    "Causes.agency": "附件1 二（二）1",
    "Causes.counterpart": "附件1 二（二）2",
    "Measure.kind": "附件1 二（二）的例子：建议、疏导、警示",
    "Measure.text": "公开",
    "Consultation.start": "附件1 二（三）",
    "Consultation.end": "不早于开始日期（`consultation-dates`）；公布批次不早于它",
    "Consultation.parties": "国办发〔2019〕9号：充分听取企业和行业协会商会意见。附件1 二（三）",
    "Consultation.comments": "附件2 第3项“梳理违法风险点、制定防控措施时征求意见情况”",
    "Consultation.adopted": "不大于收到意见数（`adopted-exceeds-comments`）",
    "Activity.date": "只计任务表年度内、不晚于计算日（报告日期）的记录",
    "Activity.kind": "没写 `task` 时按任务的 `counts` 计入。附件2",
    "Activity.task": "须是该年任务表中的序号（`no-task-table`、`unknown-task`）；写了就只计入这一项",
    "Activity.count": "累加到任务的 `target`",
    "Activity.risks": "须是已有的风险点（`unknown-risk`）；行政指导记录据此计算行政指导期限",
    "Activity.note": "不公开",
    "Activity.counterparts": "只用于 `guidance`（`field-for-other-kind`）；法律遵从度的分母。附件1 二（六）",
    "Activity.corrected": "须有 `counterparts` 且不大于它（`corrected-without-counterparts`、"
    "`corrected-exceeds-counterparts`）；法律遵从度的分子",
    "Activity.respondents": "只用于 `survey`（`field-for-other-kind`）；社会公众满意度的分母。附件1 二（六）",
    "Activity.satisfied": "须有 `respondents` 且不大于它（`satisfied-without-respondents`、"
    "`satisfied-exceeds-respondents`）；社会公众满意度的分子",
    "TaskTable.year": "与文件名一致（`task-year-file-name`）",
    "TaskTable.title": "如 2019年度工作任务表（附件2 的标题）",
    "TaskTable.document": "下达任务表的文件，如 郑商〔2019〕175号",
    "TaskTable.tasks": "附件2 各行",
    "TaskTable.scoring": "附件2 第5项 加减分项；通知 五",
    "Task.id": "表内唯一（`duplicate-task-id`）。附件2 序号",
    "Task.item": "附件2 工作事项",
    "Task.content": "附件2 工作内容",
    "Task.deadline": "写法见[完成时限的写法](#完成时限的写法)，其他写法报错（`bad-deadline`）。附件2 完成时限",
    "Task.target": "附件2 “（不少于 3 次）”；`counts` 写成映射时不能再写（`target-with-kinds`）",
    "Task.counts": "写一种类型：这一类工作记录即使没写 `task` 也计入，按 `target` 计数；写成映射（如 `{publication: 1, publicity: 1}`）：每一种都达到各自的次数才算完成（全部满足），完成日期是最后一种达到的那天。附件2 3.2“公布和广泛宣传情况”",
    "Task.offices": "已有的单位标识，或 county/division/affiliate 及其中文名（`unknown-office`）",
    "Score.office": "须有登记册（`unknown-office`）",
    "Score.date": "报告只计不晚于报告日期的",
    "Score.points": "为 0 时警告（`zero-points`）。通知 五",
    "Score.referred": "扣分已建议依纪依法追责时写 true；加分写 true 是错误（`referred-bonus`）；报告逐项显示。附件2 5.2“建议有关单位依纪依法进行责任追究”",
    "Score.reason": "通知 五：加分如“积极探索、敢于创新、成效显著”，扣分如“执法不作为或者乱作为、执法牟利、粗暴执法等情形”",
    "LawCatalogue.laws": "有这个文件时才核对依据",
    "Law.name": "名称不得重复（`duplicate-law`）；比较时忽略书名号、空格和全角/半角",
    "Law.number": "与依据的 `number` 比较（`law-number-mismatch`）",
    "Law.rank": "决定能否作为强制依据（`coercion-rank`）",
    "Law.issuer": "只作记录，`fxfk laws` 列出；不参与检查",
    "Law.effective": "公布日期早于施行日期时不能公开引用（`law-not-yet-effective`）",
    "Law.repealed": "当天起不再有效（`law-repealed`）；须晚于施行日期（`law-repealed-before-effective`）；"
    "公布之后废止的提示复核（`law-repealed-after-publication`）",
    "Law.replaced_by": "须是目录中的法规（`unknown-successor`）",
    "Law.amended": "写修订文本开始施行的日期；须在施行期内（`law-amended-outside-validity`）；公布之后修订的提示复核",
    "Law.versions": "有了它，免罚清单的实施依据按公布日期取当日施行文本的条款；引用条款按批次日期核对（`cited-article-not-in-force`、`cited-version-not-in-force`、`cited-article-superseded`）",
    "LawVersion.effective": "按先后排列、不能重复（`law-versions-order`）；须在法规施行期内（`law-version-outside-validity`）",
    "LawVersion.articles": "规则名见[文本与条款](#文本与条款versions)；不认识的规则名警告（`unknown-rule-key`）",
    "LawVersion.texts": "有原文时，依据的 `excerpt` 须逐字出自所引条款（`excerpt-not-verbatim`）",
    "ArticleText.text": "逐字照录；省略处在摘录中用「……」标出",
}

TYPE_WORDS = {"string": "文字", "integer": "整数", "number": "数", "boolean": "true/false"}


def _models() -> dict:
    """Every model reachable from the four file models, by class name (the JSON Schemas' $defs keys)."""
    import typing

    from pydantic import BaseModel

    import fxfk.models as m

    found = {}

    def visit(tp):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ in found:
                return
            found[tp.__name__] = tp
            for info in tp.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(tp):
            visit(arg)

    for root in ROOT_MODELS:
        visit(getattr(m, root))
    return found


def _enums() -> list:
    from fxfk.models.enums import LabelledEnum

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return list(walk(LabelledEnum))


class Fields:
    """The field tables of every model reachable from the four files."""

    def __init__(self) -> None:
        from fxfk.models.schema import schema_for

        models = _models()
        self.schemas = {}  # model name -> its JSON Schema (properties, required)
        self.paths = {}  # model name -> where it sits in its file, e.g. "risks[].basis[]"
        self.file = {}  # model name -> the root model it belongs to
        self.children = {}  # model name -> nested model names, in field order
        self.models = {}
        for root in ROOT_MODELS:
            schema = schema_for(models[root])
            defs = schema.get("$defs", {})
            self._walk(root, schema, defs, "", root, models)
        self.enums = _enums()
        self._check_rules()

    def _walk(self, name, schema, defs, path, root, models) -> None:
        self.schemas[name] = (schema, defs)
        self.paths[name] = path
        self.file[name] = root
        self.models[name] = models[name]
        self.children[name] = []
        for field, prop in schema.get("properties", {}).items():
            for ref, suffix in self._refs(prop):
                if ref in self.schemas:
                    continue
                sub_path = (f"{path}." if path else "") + field + suffix
                self.children[name].append(ref)
                self._walk(ref, defs[ref], defs, sub_path, root, models)

    def _refs(self, prop, suffix=""):
        if "$ref" in prop:
            yield prop["$ref"].rsplit("/", 1)[-1], suffix
        if prop.get("type") == "array" and "items" in prop:
            yield from self._refs(prop["items"], suffix + "[]")
        if isinstance(prop.get("additionalProperties"), dict):
            yield from self._refs(prop["additionalProperties"], suffix + ".*")
        for key in ("anyOf", "oneOf", "allOf"):
            for alt in prop.get(key, ()):
                yield from self._refs(alt, suffix)

    def _check_rules(self) -> None:
        known = {f"{m}.{f}" for m, (s, _) in self.schemas.items() for f in s.get("properties", {})}
        stale = sorted(k for k in RULES if not k.startswith("*.") and k not in known)
        if stale:
            raise SystemExit(
                "gen_docs: RULES in scripts/gen_docs.py names fields the models do not have: "
                + ", ".join(stale) + " — update RULES to the models' field names"
            )

    # -- rendering -------------------------------------------------------------------------------

    def heading(self, name) -> str:
        title = self._model_title(name)
        path = self.paths[name]
        where = f"`{path}`" if path else "文件顶层"
        return f"### {title}（{where}）"

    def _model_title(self, name) -> str:
        root = self.file[name]
        if name == root:
            return {"Settings": "设置", "Register": "登记册", "TaskTable": "任务表", "LawCatalogue": "法规目录"}[name]
        # The title of the field that holds the model, e.g. 单位 for Register.office.
        for parent, kids in self.children.items():
            if name in kids:
                schema, _ = self.schemas[parent]
                for field, prop in schema["properties"].items():
                    if any(ref == name for ref, _ in self._refs(prop)):
                        return self.models[parent].model_fields[field].title or field
        return name

    def anchor(self, name) -> str:
        return github_slug(self.heading(name).lstrip("# "))

    def render_block(self, name, own_blocks) -> str:
        out = [self.table(name)]
        for child in self._descendants_without_block(name, own_blocks):
            out.append(self.table(child))
        return "\n".join(out)

    def _descendants_without_block(self, name, own_blocks):
        for child in self.children[name]:
            if child in own_blocks:
                continue
            yield child
            yield from self._descendants_without_block(child, own_blocks)

    def table(self, name) -> str:
        model = self.models[name]
        schema, defs = self.schemas[name]
        required = set(schema.get("required", ()))
        rows = [
            self.heading(name),
            "",
            "| 字段 | 名称 | 类型 | 必填/缺省 | 取值与约束 | 说明 | 规则与条款 |",
            "|---|---|---|---|---|---|---|",
        ]
        for field, prop in schema.get("properties", {}).items():
            info = model.model_fields[field]
            kind, values = self.describe(prop, defs)
            title = info.title or prop.get("title") or ""
            note = info.description or ""  # the schema description repeats the bounds shown in their own column
            if field == "schema_version":
                title = "数据格式版本"
            if _is_enum_description(note):
                note = ""  # the enum schema's generated description only repeats the values column
            rule = RULES.get(f"{name}.{field}", RULES.get(f"*.{field}", ""))
            if field in required:
                need = "必填"
            else:
                default = self.default(info, prop)
                need = f"可选，缺省{default}" if default else "可选"
            cells = (f"`{field}`", title, kind, need, values, _sentence(note), _sentence(rule))
            rows.append("| " + " | ".join(cell(c) for c in cells) + " |")
        return "\n".join(rows) + "\n"

    def describe(self, prop, defs):
        """(type in Chinese, allowed values and bounds) for one property of a JSON Schema."""
        alts = prop.get("anyOf") or prop.get("oneOf")
        if alts:
            parts = [a for a in alts if a.get("type") != "null"]
            kinds, values = zip(*(self.describe(a, defs) for a in parts)) if parts else ((), ())
            kind = "，或".join(dict.fromkeys(kinds))
            value = "；".join(v for v in dict.fromkeys(values) if v)
            return kind, value
        if "$ref" in prop:
            ref = prop["$ref"].rsplit("/", 1)[-1]
            return f"映射，见[{self._model_title(ref)}](#{self.anchor(ref)})", ""
        typ = prop.get("type")
        if "enum" in prop or "const" in prop:
            allowed = prop.get("enum", [prop.get("const")])
            enum = self._labelled(allowed)
            if enum is not None:
                shown = "、".join(f"`{m.value}`（{m.label}）" for m in enum)
                aliases = [a for m in enum for a in m._aliases]
                if aliases:
                    shown += "；也可写 " + "、".join(aliases)
                return "枚举", shown
            return TYPE_WORDS.get(typ, typ or ""), "、".join(f"`{v}`" for v in allowed)
        if typ == "array":
            item_kind, item_values = self.describe(prop.get("items", {}), defs)
            bounds = _bounds(prop, "minItems", "maxItems", "项")
            return f"列表，每项为{item_kind}", "；".join(v for v in (bounds, item_values) if v)
        if typ == "object":
            extra = prop.get("additionalProperties")
            if isinstance(extra, dict):
                v_kind, v_values = self.describe(extra, defs)
                return f"映射，值为{v_kind}", v_values
            return "映射", ""
        if typ == "string":
            if prop.get("format") == "date":
                return "日期", "YYYY-MM-DD"
            values = []
            pattern = prop.get("pattern")
            if pattern == r"\S":
                values.append("不能为空")
            elif pattern:
                values.append(f"格式 `{pattern}`")
            length = _bounds(prop, "minLength", "maxLength", "个字符", skip_min=1 if pattern == r"\S" else 0)
            if length:
                values.append(length)
            return "文字", "；".join(values)
        if typ in ("integer", "number"):
            return TYPE_WORDS[typ], _number_bounds(prop)
        return TYPE_WORDS.get(typ, typ or "任意"), ""

    def _labelled(self, allowed):
        for enum in self.enums:
            if set(allowed) == set(enum.lookup()):
                return list(enum)
        return None

    def default(self, info, prop) -> str:
        from pydantic import BaseModel
        from pydantic_core import PydanticUndefined

        if info.default_factory is not None:
            value = info.default_factory()
        elif info.default is not PydanticUndefined:
            value = info.default
        else:
            return ""
        if isinstance(value, BaseModel):
            return "为其中各项的缺省值"
        if value is None:
            return ""  # not written: nothing to show
        if value == "" and isinstance(value, str):
            return "为空"
        if value in ([], {}):
            return "为空"
        if isinstance(value, bool):
            return f" `{str(value).lower()}`"
        if isinstance(value, Enum):
            value = value.value  # an enumeration member prints as its label; show the token
        if isinstance(value, str):
            enum = self._labelled(prop.get("enum", ()))
            label = next((f"（{m.label}）" for m in enum or () if m.value == value), "")
            return f" `{value}`{label}"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f" `{value}`"


def _sentence(text: str) -> str:
    text = text.strip().rstrip("。；;")
    return text + "。" if text else ""


def _is_enum_description(text: str) -> bool:
    return bool(re.match(r"^[^：]+：\w+（[^）]+）(、\w+（[^）]+）)*$", text))


def _bounds(prop, lo_key, hi_key, unit, skip_min=0) -> str:
    lo, hi = prop.get(lo_key), prop.get(hi_key)
    if lo is not None and lo <= skip_min:
        lo = None
    if lo is not None and hi is not None:
        return f"{lo}～{hi} {unit}"
    if lo is not None:
        return f"至少 {lo} {unit}"
    if hi is not None:
        return f"至多 {hi} {unit}"
    return ""


def _number_bounds(prop) -> str:
    parts = []
    for key, sign in (("minimum", "≥"), ("ge", "≥"), ("exclusiveMinimum", ">"),
                      ("maximum", "≤"), ("le", "≤"), ("exclusiveMaximum", "<")):
        if key in prop:
            parts.append(f"{sign} {prop[key]}")
    return "、".join(parts)


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def github_slug(heading: str, seen: dict | None = None) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    import unicodedata

    text = re.sub(r"</?[A-Za-z][^>]*>", "", heading).strip().lower()
    kept = "".join(
        c for c in text
        if c in " -_" or unicodedata.category(c)[0] in "LMN"
    )
    slug = kept.replace(" ", "-")
    if seen is not None:
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        if n:
            slug = f"{slug}-{n}"
    return slug


# -- the command reference ---------------------------------------------------------------------


def _help_pages() -> list[tuple[str, str]]:
    """(command path, its --help) for every command, depth first in the CLI's own order."""
    import typer
    from typer.testing import CliRunner

    from fxfk.cli.app import app

    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    saved = {k: os.environ.get(k) for k in env}
    pages = []

    def visit(command, path):
        result = runner.invoke(app, [*path, "--help"], prog_name="fxfk", env=env)
        if result.exit_code != 0:
            raise SystemExit(f"gen_docs: `fxfk {' '.join(path)} --help` ended with {result.exit_code}:\n{result.output}")
        pages.append((" ".join(["fxfk", *path]), result.output))
        sub = getattr(command, "commands", None)
        if sub:
            for name in command.list_commands(None):
                visit(sub[name], [*path, name])

    try:
        visit(typer.main.get_command(app), [])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return pages


def render_commands() -> str:
    pages = _help_pages()
    out = ["命令一览：", ""]
    for name, _ in pages:
        out.append(f"- [`{name}`](#{github_slug(name)})")
    out.append("")
    for name, text in pages:
        body = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
        out += [f"## `{name}`", "", "```text", body, "```", ""]
    return "\n".join(out)


# -- putting it together -----------------------------------------------------------------------


def _replace_blocks(text: str, render) -> str:
    def sub(m):
        return m.group(1) + render(m.group("name")).rstrip("\n") + "\n" + m.group(4)

    return BLOCK.sub(sub, text)


def render_data_format(text: str) -> str:
    fields = Fields()
    own = {m.group("name").split(":", 1)[1] for m in BLOCK.finditer(text) if m.group("name").startswith("fields:")}
    unknown = sorted(own - set(fields.schemas))
    if unknown:
        raise SystemExit(f"gen_docs: docs/data-format.md has blocks for models that do not exist: {', '.join(unknown)}")
    missing = [r for r in ROOT_MODELS if r not in own]
    if missing:
        raise SystemExit(f"gen_docs: docs/data-format.md needs a block <!-- BEGIN fields:{missing[0]} --> … <!-- END fields:{missing[0]} -->")

    def render(name):
        kind, _, model = name.partition(":")
        if kind != "fields":
            raise SystemExit(f"gen_docs: unknown block {name} in docs/data-format.md")
        return fields.render_block(model, own)

    return _replace_blocks(text, render)


def render_commands_page(text: str) -> str:
    def render(name):
        if name != "commands":
            raise SystemExit(f"gen_docs: unknown block {name} in docs/commands.md")
        return render_commands()

    return _replace_blocks(text, render)


def generate() -> dict[Path, str]:
    """Every generated page with its blocks filled in from the current code: path -> full text."""
    out = {}
    for path, render in ((DATA_FORMAT, render_data_format), (COMMANDS, render_commands_page)):
        out[path] = render(path.read_text(encoding="utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the pages are up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate().items():
        if path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.write_bytes(text.encode("utf-8"))
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path.relative_to(ROOT).as_posix()}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
