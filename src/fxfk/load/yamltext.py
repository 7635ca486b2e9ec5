"""YAML text before and around the parser: bytes to text, the traps Chinese input methods set,
and YAML's own errors in Chinese.

Split from :mod:`fxfk.load.yamlload` (the loader), which runs :func:`check_traps` only on files the
fast reader steps aside from, and :func:`translate` on the parser's errors.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from fxfk.diagnostics import Diagnostic, excerpt

# Deeper than any data file can legitimately be; protects the recursive walk (and libyaml's).
MAX_DEPTH = 64


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (BOM tolerated); GBK files get a message that says how to fix them."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        try:
            raw.decode("gb18030")
            looks_gbk = any(b >= 0x80 for b in raw)
        except UnicodeDecodeError:
            looks_gbk = False
        if looks_gbk:
            message = (
                "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 记事本等编辑器的默认编码）；"
                "请在记事本中“另存为”并把编码选为 UTF-8，或在 PowerShell 中运行 Get-Content 原文件 -Encoding Default | Set-Content 新文件 -Encoding UTF8（见用户指南“在 Windows 上使用”）"
            )
            code = "encoding-gbk"
        else:
            message = f"文件不是有效的 UTF-8 编码（第 {exc.start + 1} 个字节无法解码）；请以 UTF-8 编码保存"
            code = "encoding"
        return None, [Diagnostic(rel, line, column, code, "error", "", message)]



# --- traps that come before parsing --------------------------------------------------------

_FULLWIDTH_COLON = re.compile(r"^([ \t\u3000]*(?:-[ \t]+)*)([A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：", re.M)
_IDEOGRAPHIC_INDENT = re.compile(r"^([ \t]*(?:-[ \t]*)*)\u3000", re.M)
_TAB_INDENT = re.compile(r"^( *(?:- *)*)\t", re.M)
_DEEP_FLOW = re.compile(r"(?:[\[{][ \t\r\n]*){%d,}" % (MAX_DEPTH + 1))
_NESTED_FLOW = re.compile(r"[\[{][ \t\r\n]*[\[{]")  # pre-filter for _DEEP_FLOW
_COLON_GLUED = re.compile(r"[a-z0-9_]:[^\s:/]")  # cheap pre-filter for the next one
_NO_SPACE_AFTER_COLON = re.compile(r"^([ ]*(?:-[ ]+)*)([a-z_][a-z0-9_]*):(?=[^\s:/])", re.M)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


# (cheap pre-filter, pattern, code, message from the match): traps YAML itself does not name.
# Each regex runs only when its pre-filter says it can match, since this runs on every file.
Trap = tuple[Callable[[str], object], "re.Pattern[str]", str, Optional[Callable[["re.Match[str]"], str]]]
_TRAPS: tuple[Trap, ...] = (
    (lambda t: "：" in t, _FULLWIDTH_COLON, "fullwidth-colon",
     lambda m: f"键“{excerpt(m[2])}”后面是全角冒号“：”（中文输入法）；YAML 只认半角冒号，请改为“{excerpt(m[2])}: ”（半角冒号加一个空格）"),
    (lambda t: "\u3000" in t, _IDEOGRAPHIC_INDENT, "ideographic-space",
     lambda m: "缩进中有全角空格（U+3000，中文输入法）；缩进只能用半角空格，请删除后用空格重新缩进"),
    (lambda t: "\t" in t, _TAB_INDENT, "tab-indent", None),  # message: _tab_message (needs the text)
    (_COLON_GLUED.search, _NO_SPACE_AFTER_COLON, "colon-without-space",
     lambda m: f"键“{excerpt(m[2])}”的冒号后面缺少空格，YAML 会把整行当成一段文字；请写成“{excerpt(m[2])}: 值”"),
)


def check_traps(text: str) -> list[tuple[str, str, int, int]]:
    found: list[tuple[str, str, int, int]] = []
    for guard, pattern, code, message in _TRAPS:
        if guard(text):
            # Matches come in order: count lines from the previous one, not from the start (a file
            # of 100,000 tab-indented lines would otherwise take quadratic time).
            line, line_start, counted = 1, 0, 0
            unit = _indent_unit(text) if message is None else 0
            for m in pattern.finditer(text):
                offset = m.end() - 1
                line += text.count("\n", counted, offset)
                counted = offset
                line_start = text.rfind("\n", line_start, offset) + 1 or line_start
                said = message(m) if message is not None else _tab_message(text, line_start, unit)
                found.append((code, said, line, offset - line_start + 1))
    if '"' in text or "'" in text:
        quote = unclosed_quote(text)
        if quote is not None:
            found.append(quote)
    if _NESTED_FLOW.search(text):
        deep = _DEEP_FLOW.search(text)
        if deep:
            line, col = line_col(text, deep.start())
            found.append(("too-deep", f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构", line, col))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


# --- tabs: how many spaces instead ------------------------------------------------------------

_FIRST_INDENT = re.compile(r"^( +)[^ \t\r\n#-]", re.M)
_LEADING = re.compile(r"[ \t]*(?:-[ \t]+)*")


def _indent_unit(text: str) -> int:
    """The file's indentation step: that of its first indented line written with spaces (else 2)."""
    m = _FIRST_INDENT.search(text)
    return len(m[1]) if m and len(m[1]) <= 8 else 2


def _content_column(line: str) -> int:
    """Where the text of a line starts, after its indentation and any "- " markers (tabs as 0)."""
    prefix = _LEADING.match(line)
    return len(prefix[0].replace("\t", "")) if prefix else 0


def _tab_message(text: str, line_start: int, unit: int) -> str:
    """The tab trap, saying how many spaces the line's indentation should have."""
    end = text.find("\n", line_start)
    line = text[line_start:] if end < 0 else text[line_start:end]
    leading = len(line) - len(line.lstrip(" \t"))
    # The line above (skipping blank lines and comments) says where this one should start.
    above = line_start - 1
    previous = None
    while above > 0:
        start = text.rfind("\n", 0, above) + 1
        candidate = text[start:above].rstrip("\r")
        if candidate.strip() and not candidate.lstrip(" \t").startswith("#"):
            previous = candidate
            break
        above = start - 1
    if previous is None or "\t" in previous[: len(previous) - len(previous.lstrip(" \t"))]:
        return f"缩进中有制表符（Tab）；YAML 缩进只能用空格，请把每个 Tab 换成空格（本文件每级缩进 {unit} 个空格）"
    opens = previous.split(" #")[0].rstrip().endswith(":")
    column = _content_column(previous) + (unit if opens else 0)
    relation = f"比上一行的内容多缩进 {unit} 格" if opens else "与上一行的内容对齐"
    return (
        f"缩进中有制表符（Tab）；YAML 缩进只能用空格：这一行应缩进 {column} 个空格（{relation}），"
        f"请把行首的空白（现为 {leading} 个字符，含 Tab）换成 {column} 个空格"
    )


# --- an unclosed quote: where it starts, not where YAML gives up --------------------------------

# A value (after "key: " or "- ") that starts with a quote, or a block scalar indicator ending a line.
_VALUE_START = re.compile(
    r"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[^\s'"#\[\]{}|>-][^\n]*?:[ ]+)?"""
    r"""(?:(?P<quote>["'])|[|>][-+1-9]*[ ]*(?:\#[^\n]*)?\r?$)""",
    re.M,
)
_DOUBLE_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.S)
_SINGLE_REST = re.compile(r"(?:[^']|'')*'(?!')", re.S)
_KEY_LINE = re.compile(r"^[ ]*(?:-[ ]+)*[A-Za-z_][A-Za-z0-9_]*:(?:[ ]|\r?$)", re.M)


def unclosed_quote(text: str) -> tuple[str, str, int, int] | None:
    """The first quoted value that a missing closing quote makes swallow the lines after it.

    YAML lets a quoted text run over several lines, so it only gives up where the text no longer
    fits — often a hundred lines later, as "缩进不一致". A quote that reaches the end of the file, or
    runs over a line that reads as a key (``title: "…`` then ``domain: …``), is reported where it
    starts. A quoted text deliberately written over several lines is left alone, and so are the
    lines of a block scalar (``|``, ``>``), which are text.
    """
    skip_to = 0
    for m in _VALUE_START.finditer(text):
        if m.start() < skip_to:
            continue
        quote = m["quote"]
        if quote is None:
            # A block scalar: its lines are those indented more than its key (or dash), and blank ones.
            parent = len(m["indent"]) + len(m["dashes"]) - (0 if m["key"] else 2)
            at = text.find("\n", m.end())
            while at >= 0:
                nxt = text.find("\n", at + 1)
                body = text[at + 1:] if nxt < 0 else text[at + 1:nxt]
                if body.strip() and len(body) - len(body.lstrip(" ")) <= parent:
                    break
                at = nxt
            skip_to = len(text) if at < 0 else at + 1
            continue
        opened = m.end() - 1
        rest = (_DOUBLE_REST if quote == '"' else _SINGLE_REST).match(text, opened + 1)
        eol = text.find("\n", opened)
        if rest is not None and (eol < 0 or rest.end() <= eol):
            skip_to = rest.end()
            continue  # closed on its own line
        close = rest.end() - 1 if rest is not None else len(text)
        swallowed = _KEY_LINE.search(text, eol + 1, close) if eol >= 0 else None
        if rest is not None and swallowed is None:
            skip_to = rest.end()
            continue  # a text over several lines, written so on purpose
        line, column = line_col(text, opened)
        first_line = text[opened + 1: eol if eol >= 0 else len(text)]
        if rest is None:
            how = "直到文件末尾也没有结束的引号"
        else:
            how = f"YAML 把下面直到第 {line_col(text, close)[0]} 行的内容都读进了这段文字"
        chinese = "”" if quote == '"' else "’"
        ime = f"（这一行里的 {chinese} 是中文引号，不能结束半角的 {quote}）" if chinese in first_line else ""
        return (
            "unclosed-quote",
            f"引号没有闭合：这一行的值以 {quote} 开始，但这一行没有结束的 {quote}{ime}，{how}；"
            f"请在这段文字末尾补上半角 {quote}，或去掉开头的 {quote}",
            line,
            column,
        )
    return None


# --- a full-width comma in a [...] list ------------------------------------------------------------

_FLOW_LIST = re.compile(r"(?:^[ ]*(?:-[ ]+)*[^\s#\n][^\n]*?:[ ]+|^[ ]*-[ ]+)\[([^\[\]{}\n#]*)\]", re.M)


def flow_list_commas(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, item, fixed list) of each ``[...]`` item with a full-width comma in it.

    ``parties: [企业，行业协会]`` is one item to YAML: the comma a Chinese input method types does
    not separate items. Quoted items are left alone (a comma inside quotes is meant as text).
    """
    if "，" not in text:
        return []
    found: list[tuple[int, int, str, str]] = []
    for m in _FLOW_LIST.finditer(text):
        inner = m[1]
        if "，" not in inner:
            continue
        offset = m.start(1)
        slips: list[tuple[int, int, str]] = []
        fixed: list[str] = []
        for item in inner.split(","):
            word = item.strip()
            if "，" in word and word[:1] not in "\"'":
                slips.append((*line_col(text, offset + item.index("，")), word))
                fixed += [w.strip() for w in word.split("，") if w.strip()]
            elif word:
                fixed.append(word)
            offset += len(item) + 1
        whole = "[" + ", ".join(fixed) + "]"
        found += [(line, column, word, whole) for line, column, word in slips]
    return found


def flow_list_comma_message(item: str, fixed: str) -> str:
    return (
        f"方括号列表中的“{excerpt(item)}”含全角逗号“，”（中文输入法）：YAML 只把半角逗号当作分隔，这里会被读成一项；"
        f"如果是多项，请写成 {excerpt(fixed, 80)}；如果本来就是一项，请给它加上引号"
    )


# --- YAML's own errors, in Chinese ---------------------------------------------------------

_PROBLEMS = [
    ("mapping values are not allowed", "此处不能出现“: ”；如果值里本身含有冒号加空格，请给整个值加引号，或检查上一行的缩进"),
    ("could not find expected ':'", "找不到应有的冒号“:”；请检查这一行是否写成了“键: 值”"),
    ("did not find expected key", "缩进不一致：这一行与同级的键没有对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：这一行与同级的“- ”没有对齐"),
    ("expected <block end>, but found", "缩进不一致：这一行的缩进与上文不匹配"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unexpected ':'", "出现了多余的冒号；值里含有冒号时请给整个值加引号"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头（如 @、`、%）；请给整个值加引号"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found unknown escape character", "双引号字符串中有无效的转义（\\）；请改用单引号，或把 \\ 写成 \\\\"),
    ("expected ',' or ']'", "方括号列表 [...] 没有正确闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号映射 {...} 没有正确闭合或缺少逗号"),
    ("while parsing a block collection", "列表的写法有误：同一级的“- ”必须对齐"),
]


def translate(problem: str | None, context: str | None) -> str:
    text = f"{context or ''} {problem or ''}"
    if "'\\t'" in text or "\\t" in (problem or ""):
        return "缩进或值的开头有制表符（Tab）；YAML 缩进只能用空格"
    for needle, chinese in _PROBLEMS:
        if needle in text:
            return f"YAML 语法错误：{chinese}"
    return f"YAML 语法错误：{excerpt((problem or context or '无法解析').strip(), 120)}"

