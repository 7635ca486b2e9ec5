"""`fxfk import`: which column is which field, and how a cell's text splits into fields.

Pure text functions, no files: header words → fields, level words → levels, a basis cell → basis
entries (law in 《》, articles, excerpt), a measures cell → items with a guessed kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fxfk.models import Level, MeasureKind

# Fields a column can fill ("-" drops a column on purpose). ``note`` goes into a comment on the point
# and into the report; ``seq`` into the point's source comment.
FIELDS = {
    "seq": "序号", "title": "违法风险点", "domain": "行业/领域", "level": "风险等级", "basis": "依据",
    "discretion": "裁量标准", "measures": "防控措施", "responsible": "责任单位", "no_penalty": "免罚情形/适用条件",
    "party": "行政相对人", "conduct": "违法行为表现形式", "harm": "危害后果", "attention": "社会关注度",
    "note": "备注（写入注释）", "-": "不导入",
}
SINGLE = ("seq", "title", "domain", "level", "responsible", "attention")  # one column at most

# Checked in this order, exact match first, then "contains": 违法行为表现形式 is conduct, not title.
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seq", ("序号", "编号", "序")),
    ("conduct", ("违法行为表现形式", "表现形式")),
    ("party", ("行政相对人", "相对人", "管理对象")),
    ("harm", ("危害后果",)),
    ("attention", ("社会关注度", "关注度")),
    ("no_penalty", ("免罚情形", "适用条件", "免罚条件", "不予处罚情形")),
    ("basis", ("法律依据", "违法依据", "处罚依据", "设定依据", "实施依据", "强制依据", "依据")),
    ("discretion", ("裁量标准", "裁量基准")),
    ("measures", ("防控措施", "防范措施", "预防措施", "措施")),
    ("responsible", ("责任单位", "责任科室", "责任部门", "责任处室", "实施主体")),
    ("level", ("风险等级", "风险级别", "等级", "级别")),
    ("domain", ("所属领域", "行业", "类别", "领域")),
    ("title", ("违法风险点", "风险点名称", "违法行为", "风险事项", "事项名称", "风险点")),
    ("note", ("备注", "公布单位", "公布批次", "公布日期")),
)
_HEADER_MAX = 24  # a header cell is short; longer text is data


def header_field(text: str) -> str | None:
    word = re.sub(r"\s+", "", text)
    if not word or len(word) > _HEADER_MAX:
        return None
    for name, words in HEADER_WORDS:
        if word in words:
            return name
    for name, words in HEADER_WORDS:
        if any(w in word for w in words if len(w) > 1):
            return name
    return None


def basis_role(header: str) -> str | None:
    """The role a basis column gives its entries; None when the header does not say."""
    if "违法依据" in header:
        return "violated"
    if "处罚依据" in header or "设定依据" in header:  # 设定依据: the provision that sets the penalty
        return "penalty"
    if "强制依据" in header:
        return "coercion"
    return None


# --- levels ---------------------------------------------------------------------------------------

_WORDS = {"重大": Level.high, "较大": Level.medium, "一般": Level.low, "高": Level.high, "中": Level.medium, "低": Level.low,
          "较低": Level.low}
_NUMBERS = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3, "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "I": 1, "II": 2, "III": 3}


def parse_level(text: str, first_is_low: bool = False) -> Level | None:
    """高/中/低, 高风险…, 重大/较大/一般(风险), 一级/二级/三级 (一级 = 高 unless ``first_is_low``)."""
    word = re.sub(r"\s+", "", text)
    found = Level.from_text(word)
    if found is not None:
        return found
    word = re.sub(r"(风险点?|等级)$", "", word)
    if word in _WORDS:
        return _WORDS[word]
    m = re.fullmatch(r"(一|二|三|[123]|Ⅰ|Ⅱ|Ⅲ|III|II|I)级?", word)
    if m:
        n = _NUMBERS[m[1]]
        if first_is_low:
            n = 4 - n
        return (Level.high, Level.medium, Level.low)[n - 1]
    return None


# --- basis ------------------------------------------------------------------------------------------

_NUM = "[一二三四五六七八九十百千零〇两0-9]+"
_ITEM = rf"[（(]?{_NUM}[)）]?"
_ART = rf"第{_NUM}条(?:之{_NUM})?(?:第{_NUM}款)?(?:第{_ITEM}项)?"
_PART = rf"第{_NUM}款(?:第{_ITEM}项)?|第{_ITEM}项"
_ONE = rf"(?:{_ART}|{_PART})"
_ARTICLES = re.compile(rf"\s*(?:的)?({_ONE}(?:\s*[、，,和及与]\s*{_ONE})*)")
_ONE_RE = re.compile(_ONE)
_LAW = re.compile(r"《([^《》]+)》")
_NUMBER = re.compile(r"\s*[（(]([^（）()]*[令号][^（）()]*)[）)]")
_EXCERPT_LINE = re.compile(rf"^({_ART})\s*(?:规定)?\s*[：:](.*)$")
_COLON = re.compile(r"^\s*(?:规定|之规定)?\s*[：:]\s*")
_FILLER = re.compile(r"(?:予以|给予|进行)?(?:行政)?处罚|[依据根按照违反了的规定之及和与、，,；;。.：:\s“”\"'（）()]+")
TODO_LAW = "待填写：法律法规名称"
TODO_ARTICLE = "待填写：条款"


@dataclass
class BasisEntry:
    role: str
    law: str
    article: str
    number: str = ""
    excerpt: str = ""
    unsure: bool = False  # the column did not say which role: imported as penalty


@dataclass
class SplitBasis:
    entries: list[BasisEntry] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)  # text that fits no entry: goes to the report
    no_law: bool = False  # text without a recognisable 《law》
    no_article: list[str] = field(default_factory=list)  # laws cited without an article
    discretion: list[str] = field(default_factory=list)  # lines after 裁量标准： (the published form)


def _articles(text: str) -> list[str]:
    """第七条、第三十六条 → both; 第七条第一款、第二款 → 第七条第一款, 第七条第二款."""
    out: list[str] = []
    for m in _ONE_RE.finditer(text):
        art = m.group()
        if not art.startswith("第") or "条" not in art:
            head = re.match(rf"第{_NUM}条(?:之{_NUM})?", out[-1]) if out else None
            if head:
                if "项" in art and "款" not in art and "款" in out[-1]:
                    head = re.match(rf"第{_NUM}条(?:之{_NUM})?第{_NUM}款", out[-1]) or head
                art = head.group() + art
        out.append(art)
    return out


def split_basis(text: str, role: str | None) -> SplitBasis:
    result = SplitBasis()
    the_role = role or "penalty"
    in_discretion = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if in_discretion or re.match(r"^(裁量标准|裁量基准)[：:]", line):
            rest = re.sub(r"^(裁量标准|裁量基准)[：:]", "", line).strip() if not in_discretion else line
            in_discretion = True
            if rest:
                result.discretion.append(rest)
            continue
        laws = list(_LAW.finditer(line))
        if not laws:
            m = _EXCERPT_LINE.match(line)
            if m and result.entries:
                _attach_excerpt(result, m[1], m[2].strip())
            elif result.entries and (result.entries[-1].excerpt or _COLON.search(line) is None):
                last = result.entries[-1]  # the article's text going on over several lines
                last.excerpt = (last.excerpt + "\n" + line).strip() if last.excerpt else line
            else:
                result.leftover.append(line)
            continue
        before = _FILLER.sub("", line[: laws[0].start()])
        if before:
            result.leftover.append(line[: laws[0].start()].strip())
        for k, m in enumerate(laws):
            end = laws[k + 1].start() if k + 1 < len(laws) else len(line)
            tail = line[m.end():end]
            number = ""
            nm = _NUMBER.match(tail)
            if nm:
                number, tail = nm[1].strip(), tail[nm.end():]
            am = _ARTICLES.match(tail)
            articles = _articles(am[1]) if am else []
            if am:
                tail = tail[am.end():]
            excerpt = ""
            cm = _COLON.match(tail)
            if cm:
                excerpt, tail = tail[cm.end():].strip(), ""
            if _FILLER.sub("", tail):
                result.leftover.append(tail.strip())
            law = m[1].strip()
            entry_role, unsure = the_role, role is None
            if role is None:  # the column did not say: 违反《…》 is the violated rule, 依据《…》…处罚 the penalty
                lead = line[laws[k - 1].end() if k else 0:m.start()]
                if "违反" in lead:
                    entry_role, unsure = "violated", False
                elif re.search(r"依据|根据|按照", lead) and re.search(r"处罚|罚款", line[m.end():end]):
                    entry_role, unsure = "penalty", False
            if not articles:
                result.no_article.append(law)
                articles = [TODO_ARTICLE]
            for j, art in enumerate(articles):
                result.entries.append(BasisEntry(entry_role, law, art, number, excerpt if j == len(articles) - 1 else "",
                                                 unsure=unsure))
    if not result.entries and (result.leftover or text.strip()):
        # Nothing recognisable: one placeholder entry holding the whole text, for a person to split.
        result.no_law = True
        result.entries.append(BasisEntry(the_role, TODO_LAW, TODO_ARTICLE, excerpt=text.strip(), unsure=role is None))
        result.leftover = []
    return result


def _attach_excerpt(result: SplitBasis, article: str, excerpt: str) -> None:
    """第三十六条：…… under a citation line: the excerpt of that article of the last law cited."""
    law = result.entries[-1].law
    for entry in reversed(result.entries):
        if entry.law == law and entry.article == article:
            entry.excerpt = (entry.excerpt + "\n" + excerpt).strip() if entry.excerpt else excerpt
            return
    last = result.entries[-1]
    result.entries.append(BasisEntry(last.role, law, article, last.number, excerpt, last.unsure))


# --- numbered cells ---------------------------------------------------------------------------------

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = "一二三四五六七八九十"
_MARKERS = (
    re.compile(r"[（(](\d{1,2})[)）]"),
    re.compile(r"(?:^|(?<=[\s。；;：:，,]))(\d{1,2})\s*[.．、)）](?!\d)"),
    re.compile(f"([{_CIRCLED}])"),
    re.compile(rf"(?:^|(?<=[\s。；;：:]))([{_CN}])[、是]"),
)


def _number_of(token: str) -> int:
    if token in _CIRCLED:
        return _CIRCLED.index(token) + 1
    if token in _CN:
        return _CN.index(token) + 1
    return int(token)


def split_numbered(text: str) -> tuple[list[str], str] | None:
    """Items numbered 1．2．, （1）（2）, ①②, 一、二、 (inline or one per line), and the text before
    the first; None when the text is not numbered from 1."""
    for pattern in _MARKERS:
        chain: list[re.Match[str]] = []
        for m in pattern.finditer(text):
            if _number_of(m[1]) == len(chain) + 1:
                chain.append(m)
        if len(chain) < 2:
            continue
        items = []
        for k, m in enumerate(chain):
            end = chain[k + 1].start() if k + 1 < len(chain) else len(text)
            items.append(text[m.end():end].strip().rstrip("；;").strip())
        return [i for i in items if i], text[: chain[0].start()].strip()
    return None


def split_lines(text: str) -> tuple[list[str], str, bool]:
    """(items, text before the items, whether the cell could be split)."""
    numbered = split_numbered(text)
    if numbered is not None:
        return numbered[0], numbered[1], True
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines, "", True
    return lines, "", False


_KIND_WORDS = (
    (MeasureKind.publicize, ("宣传", "公示", "普法", "宣讲", "公布", "发放", "张贴")),
    (MeasureKind.warn, ("警示", "告知", "提醒", "提示", "约谈", "曝光", "预警")),
    (MeasureKind.guide, ("指导", "培训", "辅导", "帮扶")),
    (MeasureKind.advise, ("建议",)),
    (MeasureKind.channel, ("疏导", "调解", "协调", "引导")),
)


def measure_kind(text: str) -> tuple[MeasureKind, str]:
    """The kind written as a prefix (建议：…, as fxfk publish writes it), or guessed from its words."""
    m = re.match(r"^(建议|疏导|警示|宣传|指导|其他)[：:]\s*", text)
    if m:
        kind = MeasureKind.from_text(m[1])
        if kind is not None:
            return kind, text[m.end():].strip()
    # The word that comes first says what the measure is: 指导企业公示章程 is guidance, not publicity.
    found = [(text.find(w), k) for k, (kind, words) in enumerate(_KIND_WORDS) for w in words if w in text]
    if found:
        return _KIND_WORDS[min(found)[1]][0], text
    return MeasureKind.other, text


def split_tiers(lines: list[str]) -> list[tuple[str, str]] | None:
    """Numbered 情形：处罚 lines (the published form of tiers), else None."""
    items: list[str] = []
    for line in lines:
        m = re.match(r"^\s*(\d{1,2})\s*[.．、]\s*(.*)$", line)
        if not m or int(m[1]) != len(items) + 1:
            return None
        items.append(m[2])
    tiers = []
    for item in items:
        if "：" not in item:
            return None
        a, b = item.split("：", 1)
        if not a.strip() or not b.strip():
            return None
        tiers.append((a.strip(), b.strip()))
    return tiers or None
