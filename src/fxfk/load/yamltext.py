"""YAML text before and around the parser: bytes to text, the traps Chinese input methods set,
and YAML's own errors in Chinese.

Split from :mod:`fxfk.load.yamlload` (the loader), which runs :func:`check_traps` only on files the
fast reader steps aside from, and :func:`translate` on the parser's errors.
"""

from __future__ import annotations

import re

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
                "请在编辑器中“另存为”UTF-8 编码，或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件"
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
_TRAPS = (
    (lambda t: "：" in t, _FULLWIDTH_COLON, "fullwidth-colon",
     lambda m: f"键“{excerpt(m[2])}”后面是全角冒号“：”（中文输入法）；YAML 只认半角冒号，请改为“{excerpt(m[2])}: ”（半角冒号加一个空格）"),
    (lambda t: "\u3000" in t, _IDEOGRAPHIC_INDENT, "ideographic-space",
     lambda m: "缩进中有全角空格（U+3000，中文输入法）；缩进只能用半角空格，请删除后用空格重新缩进"),
    (lambda t: "\t" in t, _TAB_INDENT, "tab-indent",
     lambda m: "缩进中有制表符（Tab）；YAML 缩进只能用空格，请把 Tab 换成空格"),
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
            for m in pattern.finditer(text):
                offset = m.end() - 1
                line += text.count("\n", counted, offset)
                counted = offset
                line_start = text.rfind("\n", line_start, offset) + 1 or line_start
                found.append((code, message(m), line, offset - line_start + 1))
    if _NESTED_FLOW.search(text):
        deep = _DEEP_FLOW.search(text)
        if deep:
            line, col = line_col(text, deep.start())
            found.append(("too-deep", f"嵌套层数超过 {MAX_DEPTH} 层；数据文件不需要这么深的结构", line, col))
    found.sort(key=lambda f: (f[2], f[3]))
    return found


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

