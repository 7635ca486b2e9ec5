"""Article-level law facts: which text of a law is in force on a day, where a rule sits in it, and
what its articles say (``laws[].versions`` of data/laws.yaml). The checks built on them are
:mod:`fxfk.rules.law_articles`; the public view takes the no-penalty ground from here.

**Versions.** A law's ``versions`` are its successive texts; each is in force from its ``effective``
date until the next one's. ``articles`` maps a *rule key* to the article that carries that rule in
the text, ``texts`` lists articles with their words. The rule keys fxfk knows (identifiers, like
every key of the data, so the file keeps the fast YAML path):

* ``no_penalty`` — 违法行为轻微并及时改正（2021 年前：纠正），没有造成危害后果的，不予行政处罚
  (行政处罚法 1996/2009/2017 第二十七条第二款, 2021 第三十三条第一款 first sentence);
* ``first_offence_no_penalty`` — 初次违法且危害后果轻微并及时改正的，可以不予行政处罚 (首违不罚:
  2021 第三十三条第一款 second sentence; no earlier text has it).

**The ground of a no-penalty item** (:func:`no_penalty_ground`) is the article carrying those rules in
the text of 行政处罚法 in force on the publication day. The catalogue decides when it lists 行政处罚法
with versions that give a ``no_penalty`` article for that day; otherwise (no catalogue, no such entry)
the built-in switch applies: 第二十七条第二款 before 2021-07-15, 第三十三条第一款 from then on.

**Articles** are compared without white space and width differences; 第三十三条 and 第三十三条第一款
are related (one within the other). An article is judged only when some text of the catalogue knows
it (in ``articles`` or ``texts``): one the catalogue knows nowhere may be right, fxfk cannot tell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from fxfk.models import Law, LawCatalogue, LawRank
from fxfk.models.laws import ArticleText, LawVersion
from fxfk.rules.law_names import display_name, law_key

NO_PENALTY = "no_penalty"
FIRST_OFFENCE = "first_offence_no_penalty"
RULES = {
    NO_PENALTY: "不予行政处罚（违法行为轻微并及时改正，没有造成危害后果）",
    FIRST_OFFENCE: "首违不罚（初次违法且危害后果轻微并及时改正的，可以不予行政处罚）",
}

APL_NAME = "中华人民共和国行政处罚法"
APL_2021 = dt.date(2021, 7, 15)  # the 2021 revision takes effect (主席令第七十号)

# 首违不罚 wording: a condition that makes a first offence a ground of no penalty. The 2021 text says
# 初次违法; the others are the ways registers and local lists write the same idea.
FIRST_OFFENCE_WORDS = ("初次违法", "首次违法", "初次违反", "首次违反", "第一次违法", "第一次违反", "首违", "初犯")

_TEXT_2017 = "违法行为轻微并及时纠正，没有造成危害后果的，不予行政处罚。"
_TEXT_2021 = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。"

# The fallback when the catalogue does not say: the same facts as data/laws.yaml, reduced to the switch.
BUILTIN_APL = Law(
    name=APL_NAME, rank=LawRank.law, effective=dt.date(1996, 10, 1),
    versions=[
        LawVersion(effective=dt.date(1996, 10, 1), name=APL_NAME,
                   articles={NO_PENALTY: "第二十七条第二款"}, texts=[ArticleText(article="第二十七条第二款", text=_TEXT_2017)]),
        LawVersion(effective=APL_2021, name=f"{APL_NAME}（2021年修订）",
                   articles={NO_PENALTY: "第三十三条第一款", FIRST_OFFENCE: "第三十三条第一款"},
                   texts=[ArticleText(article="第三十三条第一款", text=_TEXT_2021)]),
    ],
)


def norm(text: str) -> str:
    """Compared without white space and width differences."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def version_on(law: Law, day: dt.date) -> LawVersion | None:
    """The text of ``law`` in force on ``day``: the last version effective on or before it."""
    found = None
    for v in sorted(law.versions, key=lambda v: v.effective):
        if v.effective <= day:
            found = v
    return found


def texts_of(version: LawVersion) -> dict[str, str]:
    """Article (normalised) → its words, in one text; the first entry wins when an article repeats."""
    out: dict[str, str] = {}
    for t in version.texts:
        out.setdefault(norm(t.article), t.text)
    return out


def version_numbers(law: Law, day: dt.date | None) -> set[str]:
    """The 文号 a basis may give for ``law`` on ``day``: its text's then (any text's when no day is known)."""
    if day is None:
        return {v.number for v in law.versions if v.number}
    version = version_on(law, day)
    return {version.number} if version is not None and version.number else set()


_NUM = "〇零一二三四五六七八九十百千0-9"
_ARTICLE_HEAD = re.compile(f"^第[{_NUM}]+条(?:之[{_NUM}]+)?")


def article_refs(article: str) -> list[str]:
    """第九条第一款、第十条第二款 → [第九条第一款, 第十条第二款]; 第七条第一款、第二款 → [..., 第七条第二款]."""
    refs: list[str] = []
    head = ""
    for part in re.split(r"[、，,；;]|和|及", norm(article)):
        if not part:
            continue
        m = _ARTICLE_HEAD.match(part)
        if m:
            head = m.group()
        elif head:
            part = head + part
        refs.append(part)
    return refs


def _related(a: str, b: str) -> bool:
    """The same provision, or one within the other (第三十三条 and 第三十三条第一款)."""
    return a == b or a.startswith(b) or b.startswith(a)


def _articles_of(version: LawVersion) -> set[str]:
    return {norm(a) for a in version.articles.values()} | set(texts_of(version))


def _rules_at(law: Law, ref: str) -> list[str]:
    """The rule keys any text of ``law`` places at (or within) ``ref``."""
    return sorted({k for v in law.versions for k, a in v.articles.items() if _related(norm(a), ref)})


def article_problem(law: Law, ref: str, day: dt.date) -> str | None:
    """Why ``ref`` is not an article of the text of ``law`` in force on ``day`` (Chinese), or None.

    Only articles the catalogue knows from some text are judged; one it knows nowhere is not.
    """
    known = set().union(*(_articles_of(v) for v in law.versions)) if law.versions else set()
    if not any(_related(ref, k) for k in known):
        return None
    current = version_on(law, day)
    if current is not None and any(_related(ref, k) for k in _articles_of(current)):
        return None
    where = [v for v in law.versions if any(_related(ref, k) for k in _articles_of(v))]
    seen = f"《{display_name(where[-1].name)}》" + ("等文本" if len(where) > 1 else "")
    if current is None:
        return f"{ref}见于{seen}，{day} 时这些文本均未施行"
    said = f"{ref}是{seen}的条款，{day} 施行的是《{display_name(current.name)}》"
    rules = _rules_at(law, ref)
    moved = [f"{RULES[k].split('（')[0]}的规定在{current.articles[k]}" if k in current.articles
             else f"{RULES[k].split('（')[0]}在该文本中没有规定" for k in rules if k in RULES]
    return said + ("，其中" + "，".join(moved) if moved else "")


# --- the ground printed on the 免罚清单 ---------------------------------------------------------


@dataclass(frozen=True)
class Ground:
    """The legal ground of a no-penalty item on a day: 《law》（number）article(s), and their words."""

    law: str
    version: str  # the text's name, e.g. 中华人民共和国行政处罚法（2021年修订）
    number: str  # the text's 文号, '' when the catalogue gives none (and on the built-in fallback)
    articles: tuple[str, ...]
    texts: tuple[str, ...]  # per article, '' when unknown
    situations: tuple[str, ...]  # the rules' own words, for 免罚情形 when no discretion tier gives them


def first_offence_wording(text: str) -> bool:
    return any(w in text for w in FIRST_OFFENCE_WORDS)


def _apl(catalogue: LawCatalogue | None) -> Law | None:
    if catalogue is None:
        return None
    for law in catalogue.laws:
        if law_key(law.name) in (law_key(APL_NAME), law_key("行政处罚法")):
            return law
    return None


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text) if s.strip()]


def no_penalty_ground(catalogue: LawCatalogue | None, day: dt.date, first_offence: bool = False) -> Ground:
    """The article(s) of 行政处罚法 that ground a no-penalty item published on ``day``.

    ``first_offence``: the item's conditions make a first offence a ground (首违不罚); its article is
    cited as well when the day's text has one.
    """
    law = _apl(catalogue)
    version = version_on(law, day) if law is not None else None
    if law is None or version is None or NO_PENALTY not in version.articles:
        law, version = BUILTIN_APL, version_on(BUILTIN_APL, day) or BUILTIN_APL.versions[0]
    keys = [NO_PENALTY] + ([FIRST_OFFENCE] if first_offence and FIRST_OFFENCE in version.articles else [])
    articles = tuple(dict.fromkeys(version.articles[k].strip() for k in keys))
    by_article = texts_of(version)
    texts = tuple(by_article.get(norm(a), "").strip() for a in articles)
    builtin = version_on(BUILTIN_APL, day) or BUILTIN_APL.versions[0]
    words = _sentences("".join(texts)) or _sentences("".join(t.text for t in builtin.texts))
    situations = [s for s in words if "初次" not in s][:1]
    if len(keys) > 1:
        situations += [s for s in words if "初次" in s][:1]
    return Ground(
        law=display_name(law.name), version=display_name(version.name), number=(version.number or "").strip(),
        articles=articles, texts=texts, situations=tuple(s.strip().rstrip("。") for s in situations),
    )


# --- citations in a condition text ------------------------------------------------------------


class Mention(NamedTuple):
    law: Law
    label: str  # “2017年修正”, '' when none
    article: str  # 第二十七条第二款, '' when none


def _pattern(law: Law) -> re.Pattern[str]:
    name = display_name(law.name)
    core = name[len("中华人民共和国"):] if name.startswith("中华人民共和国") and len(name) > 7 else name
    return re.compile(
        f"《?(?:中华人民共和国)?{re.escape(core)}\\s*(?:[（(]([^）)]{{1,20}})[）)])?\\s*》?\\s*"
        f"(?:[（(]([^）)]{{1,20}})[）)])?\\s*(第[{_NUM}]+条(?:之[{_NUM}]+)?(?:第[{_NUM}]+款)?(?:第[{_NUM}]+项)?)?"
    )


def mentions(text: str, laws: list[Law]) -> list[Mention]:
    """Citations of ``laws`` (those with versions) in a free text: the law, a version label, an article."""
    found: list[Mention] = []
    for law in laws:
        for m in _pattern(law).finditer(unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）")):
            label = (m.group(1) or m.group(2) or "").strip()
            found.append(Mention(law, label, norm(m.group(3) or "")))
    return found


def label_version(law: Law, label: str) -> LawVersion | None:
    if not label:
        return None
    key = norm(label)
    for v in law.versions:
        if key in norm(v.name):
            return v
    return None


def first_offence_has_ground(catalogue: LawCatalogue | None, day: dt.date) -> bool:
    law = _apl(catalogue)
    version = version_on(law, day) if law is not None else None
    if version is None or NO_PENALTY not in version.articles:
        version = version_on(BUILTIN_APL, day)
    return version is not None and FIRST_OFFENCE in version.articles


_GAP = re.compile(r"…+|\.{3,}|。{3,}")


def echo_text(text: str, n: int, tail: bool = False) -> str:
    """At most ``n`` characters of ``text`` (its end when ``tail``), with …… for the rest."""
    if len(text) <= n:
        return text
    return "……" + text[-n:] if tail else text[:n] + "……"


def excerpt_problem(law: Law, article: str, excerpt: str, day: dt.date) -> str | None:
    """Why ``excerpt`` is not verbatim from the catalogue's text of ``article`` on ``day``, or None
    (also None when the catalogue lacks the text of any cited article: then it cannot judge)."""
    version = version_on(law, day)
    if version is None:
        return None
    texts = {a: norm(t) for a, t in texts_of(version).items()}
    refs = article_refs(article)
    if not refs or any(r not in texts for r in refs):
        return None
    sources = [texts[r] for r in refs]
    for piece in _GAP.split(norm(excerpt)):
        piece = piece.strip("「」“”\"")
        if not piece or any(piece in s for s in sources):
            continue
        # Where it departs from the text: the longest beginning of the piece found in a cited article.
        lo, hi = 0, len(piece)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if any(piece[:mid] in s for s in sources):
                lo = mid
            else:
                hi = mid - 1
        after = echo_text(piece[lo:], 12)
        where = f"“{echo_text(piece[:lo], 12, tail=True)}”之后的“{after}”" if lo else f"“{after}”"
        joined = "；摘录多个条款时，条款之间须用「……」隔开，或分别摘录" if len(refs) > 1 else ""
        return (f"摘录中{where}不在《{display_name(version.name)}》{'、'.join(refs)}的原文中"
                f"（法规目录 data/laws.yaml 中的条文）；摘录须逐字照录，省略处用「……」标明{joined}")
    return None
