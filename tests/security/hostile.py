"""The shared table of hostile strings, and a way to put one into a valid data repository.

Every security test draws its attack strings from ``HOSTILE`` so that a new trick, added here once,
is tried against every output format. ``repo_with`` copies ``tests/corpus/publish`` (a valid
repository whose point EA-001 is public) and replaces one field of EA-001 with a hostile value,
written as a JSON string (a valid YAML double-quoted scalar, so escapes like \\u0001 survive).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PUBLIC_FILE = "data/risks/east.yaml"
PUBLIC_TITLE = "东区甲第一批公开风险点"


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str
    # What must never appear in an output of the given kind (checked by the format's tests).
    attacks: frozenset[str]
    # Whether `fxfk validate` may accept it as a text field (False: it must be refused with a located error).
    valid_text: bool = True


def _h(name: str, text: str, *attacks: str, valid_text: bool = True) -> Hostile:
    return Hostile(name, text, frozenset(attacks), valid_text)


HOSTILE: tuple[Hostile, ...] = (
    _h("formula-hyperlink", '=HYPERLINK("http://evil.example/x","点此")', "formula"),
    _h("formula-plus", "+1+cmd|' /C calc'!A0", "formula"),
    _h("formula-minus", "-2+3", "formula"),
    _h("formula-at", "@SUM(1+1)*cmd|' /C calc'!A0", "formula"),
    _h("formula-tab", "\t=1+1", "formula"),
    _h("formula-cr", "\r=1+1", "formula", valid_text=False),
    _h("fullwidth-equals", "＝1+1", "formula"),
    _h("md-image", "![追踪](http://evil.example/t.png)", "markdown"),
    _h("md-link-js", "[点此办理](javascript:alert(1))", "markdown"),
    _h("md-link", "[付款](https://evil.example/pay)", "markdown"),
    _h("md-autolink", "<https://evil.example/pay>", "markdown", "html"),
    _h("md-heading-newline", "普通标题\n# 紧急通知 [付款](https://evil.example/pay)", "markdown"),
    _h("md-heading-cr", "普通标题\r# 紧急通知 [付款](https://evil.example/pay)", "markdown", valid_text=False),
    _h("md-pipe", "甲|乙|丙", "markdown"),
    _h("md-emphasis", "**加粗** _斜体_ `代码` ~~删除~~", "markdown"),
    _h("md-html-comment", "<!-- 隐藏 -->", "markdown", "html"),
    _h("html-script", "<script>alert(1)</script>", "html", "markdown"),
    _h("html-img", '<img src="http://evil.example/t.png" onerror="alert(1)">', "html", "markdown"),
    _h("html-entity", "&lt;script&gt;", "html"),
    _h("gh-command", "正常\n::add-mask::secret", "github"),
    _h("gh-command-encoded", "%0A::error::伪造", "github"),
    _h("gh-property", "a,b:c", "github"),
    _h("ansi-colour", "\x1b[31m红色\x1b[0m", "terminal", valid_text=False),
    _h("ansi-title", "\x1b]0;被改的标题\x07", "terminal", valid_text=False),
    _h("ansi-clear", "\x1b[2J\x1b[H", "terminal", valid_text=False),
    _h("c0-control", "x\x01y", "control", valid_text=False),
    _h("c1-control", "x\x85y\x9by", "control", valid_text=False),
    _h("bidi-override", "正常\u202e文本", "control", valid_text=False),
    _h("null", "x\x00y", "control", valid_text=False),
)

BY_NAME = {h.name: h for h in HOSTILE}


def yaml_string(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=True)


def repo_with(tmp_path: Path, field: str = "title", value: str = "", *, risk: str = "EA-001") -> Path:
    """A copy of the publish corpus with ``field`` of point ``risk`` (a one-line text field) set to ``value``.

    ``field`` must already be a one-line ``key: value`` of that point; the line is replaced.
    """
    target = tmp_path / "repo"
    shutil.copytree(CORPUS / "publish", target, ignore=shutil.ignore_patterns(".fxfk-cache"))
    path = target / PUBLIC_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {risk}")
    indent = lines[start].index("-") + 2
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip().startswith("- id: ") and len(line) - len(line.lstrip()) == indent - 2:
            break
        if line.startswith(" " * indent + f"{field}:"):
            lines[i] = " " * indent + f"{field}: {yaml_string(value)}"
            path.write_text("\n".join(lines), encoding="utf-8")
            return target
    raise KeyError(f"{risk} has no one-line field {field!r}")
