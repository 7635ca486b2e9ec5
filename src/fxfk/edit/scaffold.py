"""`fxfk new`: text a legal officer should not have to write from memory (``fxfk init`` is :mod:`fxfk.edit.init`).

``new risk`` appends text to a register: the rest of the file stays byte for byte as it was, comments
included — the file is never re-dumped. ``new office`` writes a register's skeleton.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.repository import Repository
from fxfk.load.yamlload import load_text
from fxfk.load.yamltext import decode
from fxfk.models import Factors, OfficeKind, Register
from fxfk.models.text import NAME_MAX, echo, text_problem
from fxfk.models.types import (
    OFFICE_ID_PATTERN,
    is_windows_reserved,
    windows_reserved_message,
)
from fxfk.options import Options
from fxfk.rules.levels import explain
from fxfk.rules.validation import load

# Placeholder text of a new point's required fields: it passes validation (non-blank text) but
# says plainly that it is still to be written. `fxfk publish` never shows drafts.
TODO = "待填写"

# Matched with fullmatch: with ``$``, "甲\n" would pass as plain and lose its line break.
_PLAIN_SAFE = re.compile(r"[^\W\d_][\w（）()《》〔〕【】、，。；“”·.-]*")
_QUOTED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def yaml_text(value: str) -> str:
    """A YAML scalar for any text: plain when that reads back as the same text, else double-quoted."""
    from fxfk.load.yamlload import YAML11_BOOLEANS

    plain_words = YAML11_BOOLEANS | {"true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL"}
    if _PLAIN_SAFE.fullmatch(value) and value not in plain_words:
        return value
    # Escaped, never raw: a raw line break in quotes reads back as a space, a raw control character
    # not at all. (The models then refuse control characters with a located message.)
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _QUOTED_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), value) + '"'


# --- fxfk new office -------------------------------------------------------------------------------


def _office_kind(kind: str) -> OfficeKind:
    member = OfficeKind.from_text(kind)
    if member is None:
        raise FxfkError(f"“{echo(kind)}”不是有效的单位类型；可用的值：{OfficeKind.describe()}")
    return member


def new_office_text(office_id: str, name: str, kind: str) -> str:
    member = _office_kind(kind)
    return (
        "# yaml-language-server: $schema=../../schemas/register.schema.json\n"
        f"# {' '.join(name.split())}的违法风险点登记册。新增风险点：fxfk new risk {office_id}\n"  # one comment line
        "office:\n"
        f"  id: {office_id}\n"
        f"  name: {yaml_text(name)}\n"
        f"  kind: {member.value}\n"
        "\n"
        "batches: []\n"
        "\n"
        "risks: []\n"
        "\n"
        "activities: []\n"
    )


def new_office(root: Path, office_id: str, name: str, kind: str) -> Path:
    if not re.fullmatch(OFFICE_ID_PATTERN, office_id):
        raise FxfkError(f"单位标识“{echo(office_id)}”无效：应以小写字母开头，只含小写字母、数字和连字符，2 到 40 个字符，例如 jinshui")
    if is_windows_reserved(office_id):
        raise FxfkError(windows_reserved_message("单位标识", office_id))
    if not name.strip():
        raise FxfkError("--name（单位名称）不能为空")
    problem = text_problem(name, NAME_MAX)
    if problem is not None:
        raise FxfkError(f"--name（单位名称）{problem[1]}")
    path = root / "data" / "risks" / f"{office_id}.yaml"
    if path.exists():
        raise FxfkError(f"“{path.relative_to(root).as_posix()}”已存在，fxfk new office 不会覆盖它")
    text = new_office_text(office_id, name, kind)
    check_register_text(text, path.relative_to(root).as_posix())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never replaces a file
        fh.write(text)
    return path


# --- fxfk new risk ---------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def _split_id(rid: str) -> tuple[str, int, int] | None:
    """"JS-YFK-007" → ("JS-YFK-", 7, 3); None when the id does not end in a number."""
    m = _NUMBERED.match(rid)
    return (m[1], int(m[2]), len(m[2])) if m else None


def next_risk_id(office_id: str, own_ids: list[str], own_domains: list[str], all_ids: set[str],
                 domain: str | None = None, prefix: str | None = None) -> str:
    """The next free id of an office.

    The prefix is ``prefix`` if given; else that of the office's last point in the same domain;
    else that of the office's last numbered point; else the office id in capitals plus "-". The
    number is one more than the highest number with that prefix in any register (ids are unique
    across all registers), written with as many digits as the office uses (at least 3).
    """
    numbered = [(s, d) for s, d in ((_split_id(i), dom) for i, dom in zip(own_ids, own_domains)) if s]
    if prefix is None:
        same_domain = [s for s, d in numbered if domain and d == domain]
        if same_domain:
            prefix = same_domain[-1][0]
        elif numbered:
            prefix = numbered[-1][0][0]
        else:
            prefix = office_id.upper() + "-"
    elif not prefix.endswith("-"):
        prefix += "-"
    if not re.fullmatch(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-", prefix) or len(prefix) > 40:
        raise FxfkError(f"编号前缀“{echo(prefix)}”无效：应为大写字母开头、只含大写字母、数字和连字符，例如 JS-YFK-")
    width = max([3] + [s[2] for s in (_split_id(i) for i in all_ids) if s and s[0] == prefix])
    numbers = [s[1] for s in (_split_id(i) for i in all_ids) if s and s[0] == prefix]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n:0{width}d}" in all_ids:
        n += 1
    return f"{prefix}{n:0{width}d}"


def _q(value: str) -> str:
    return yaml_text(value)


def risk_skeleton(rid: str, title: str | None, domain: str | None, responsible: str, levels: int) -> list[str]:
    """The new point's lines (without indentation): required fields only, placeholders to fill in."""
    level = explain(Factors(), levels).level
    return [
        f"id: {rid}",
        f"title: {_q(title) if title else TODO + '：违法风险点'}",
        f"domain: {_q(domain) if domain else TODO + '：行业/领域'}",
        "basis:",
        "  - role: penalty",
        f"    law: {TODO}：法律法规名称",
        f"    article: {TODO}：条款",
        "factors: {}          # 定级事实：major_penalty、coercion、hotspot、simple_procedure、minor_correctable、rare、unclear_law",
        f"level: {level.label}" + " " * (14 - 2 * len(level.label)) + "# 没有定级事实时的等级；填写 factors 后运行 fxfk classify 核对",
        "measures: []         # 防控措施：- kind: advise ↵ text: …（审定前至少一项）",
        f"responsible: {_q(responsible)}",
        "status: draft        # 草稿不会公开",
    ]


@dataclass
class NewRisk:
    path: Path
    id: str
    line: int  # where the point starts (1-based)


def check_register_text(text: str, rel: str) -> None:
    loaded = load_text(text, rel)
    problems = list(loaded.diagnostics)
    if loaded.ok:
        from pydantic import ValidationError

        from fxfk.load.model_errors import diagnostics_from

        try:
            Register.model_validate(loaded.data)
        except ValidationError as exc:
            problems += diagnostics_from(exc, loaded, Register)
    if problems:
        first = problems[0]
        raise FxfkError(f"{first.location()}：{first.message}（文件未修改）")


def top_key(root: MappingNode, name: str) -> tuple[ScalarNode, Node] | None:
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == name:
            return k, v
    return None


def last_scalar(node: Node) -> Node:
    """The last node with a trustworthy end: block collections end where the next token starts
    (after blank lines and comments), so descend to their last scalar or flow collection."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def after_line(text: str, index: int) -> int:
    """Index just after the newline that ends the line holding ``index`` (or the end of text)."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def insert_risk(text: str, lines: list[str], rel: str) -> tuple[str, int]:
    """``text`` with one more item in ``risks:``; returns the new text and the item's first line.

    Only text is inserted (and, for ``risks: []``, the ``[]`` removed): every other byte stays.
    """
    loaded = load_text(text, rel, pure=True)  # the pure parser: marks count characters
    if not loaded.ok:
        first = loaded.diagnostics[0]
        raise FxfkError(f"{first.location()}：{first.message}；请先修正这个文件")
    root = loaded.root
    if not isinstance(root, MappingNode):  # pragma: no cover - a register that loaded is a mapping
        raise FxfkError(f"{rel}：文件顶层必须是“键: 值”的映射")
    nl = "\r\n" if "\r\n" in text else "\n"
    found = top_key(root, "risks")

    def block(indent: int) -> str:
        pad = " " * indent
        body = [pad + "- " + lines[0]] + [pad + "  " + line for line in lines[1:]]
        return nl.join(body) + nl

    if found is None:
        # No risks: key: put it before activities: if there is one (the usual order), else at the end.
        acts = top_key(root, "activities")
        at = _line_start(text, acts[0].start_mark.index) if acts else len(text)
        prefix = "" if at == 0 or text[at - 1] == "\n" else nl
        insert = prefix + "risks:" + nl + block(2) + (nl if acts else "")
        new = text[:at] + insert + text[at:]
        return new, new.count("\n", 0, at + len(prefix)) + 2
    key, value = found
    if isinstance(value, SequenceNode) and value.flow_style:
        if value.value:
            raise FxfkError(f"{rel}:{value.start_mark.line + 1}:{value.start_mark.column + 1}：risks 写成了方括号列表 [...]，"
                            "fxfk new risk 只能在“- ”列表中追加；请改为每项一行“- ”的写法")
        # risks: []  →  risks:  (keeping any comment on that line) + the new item below it
        start, end = value.start_mark.index, value.end_mark.index
        head = text[:start]
        eol = after_line(text, end)
        rest = text[end:eol].rstrip("\r\n")
        if not rest.strip():  # nothing after the brackets: drop the space before them too
            head, rest = head.rstrip(" "), ""
        ending = text[eol - len(nl):eol] if text[eol - len(nl):eol] == nl else nl
        indent = key.start_mark.column + 2
        new = head + rest + ending + block(indent) + text[eol:]
        return new, key.start_mark.line + 2
    if isinstance(value, ScalarNode) and value.value in ("", "~", "null"):
        # "risks:" with nothing after it: the item goes on the next line.
        eol = after_line(text, key.start_mark.index)
        prefix = "" if text[eol - 1:eol] == "\n" else nl
        new = text[:eol] + prefix + block(key.start_mark.column + 2) + text[eol:]
        return new, key.start_mark.line + 2
    if not isinstance(value, SequenceNode):
        raise FxfkError(f"{rel}:{value.start_mark.line + 1}:{value.start_mark.column + 1}：risks 应是列表")
    end = last_scalar(value).end_mark.index
    # A block scalar ends at the start of the next line; anything else at the end of its text.
    at = end if end > 0 and text[end - 1] == "\n" else after_line(text, end)
    prefix = "" if at == 0 or text[at - 1] == "\n" else nl
    new = text[:at] + prefix + block(value.start_mark.column) + text[at:]
    return new, new.count("\n", 0, at + len(prefix)) + 1


def _no_register(repo: Repository, office: str) -> str:
    """Why ``fxfk new risk OFFICE`` found no register, with a next command that works."""
    known = "、".join(sorted(s.stem for s in repo.registers)) or "（没有任何登记册）"
    named = [s for s in repo.valid_registers() if s.facts is not None and s.facts.office.name.strip() == office.strip()]
    if named:  # the office's name where its id belongs
        return (f"“{echo(office)}”是单位名称，不是单位标识；它的登记册是 {named[0].rel}，"
                f"请运行 fxfk new risk {named[0].stem}")
    head = f"没有单位“{echo(office)}”的登记册（data/risks/{echo(office)}.yaml）；已有单位：{known}。"
    if re.fullmatch(OFFICE_ID_PATTERN, office) and not is_windows_reserved(office):
        return head + f"新建单位：fxfk new office {office} --name 单位名称 --kind 单位类型"
    # Never suggest a command that fails: a name like 惠济区商务局 is not an id (lowercase letters).
    kind = "county" if re.search(r"[县区市]商务局$", office) else "单位类型"
    name = echo(office) if text_problem(office, NAME_MAX) is None and office.strip() else "单位名称"
    return head + (
        "新建单位：fxfk new office 单位标识 --name " + name + f" --kind {kind}"
        "（单位标识只能用小写字母、数字和连字符，以小写字母开头，通常取单位名称的拼音，如 jinshui、huiji）"
    )


def new_risk(root: Path, office: str, title: str | None = None, domain: str | None = None,
             prefix: str | None = None, options: Options | None = None) -> NewRisk:
    repo = load(root, options)  # the one way commands load a repository: registers checked and cached
    source = next((s for s in repo.registers if s.stem == office), None)
    if source is None:
        raise FxfkError(_no_register(repo, office))
    if source.model is None:
        first = source.loaded.diagnostics[0] if source.loaded.diagnostics else None
        where = f"{first.location()}：{first.message}" if first else source.rel
        raise FxfkError(f"登记册未通过校验，不能追加风险点；请先修正：{where}")
    for value, option in ((title, "--title"), (domain, "--domain")):
        if value is not None and not value.strip():
            raise FxfkError(f"{option} 不能为空")
    all_ids = {r.id for s in repo.valid_registers() if s.facts is not None for r in s.facts.risks}
    own = source.model.risks
    rid = next_risk_id(office, [r.id for r in own], [r.domain for r in own], all_ids, domain, prefix)
    lines = risk_skeleton(rid, title, domain, source.model.office.name, repo.settings.levels)
    raw = source.path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text, problems = decode(raw, source.rel)
    if text is None:  # pragma: no cover - the model loaded, so the text decoded
        raise FxfkError(problems[0].message)
    new, line = insert_risk(text, lines, source.rel)
    check_register_text(new, source.rel)
    write_atomically(source.path, bom + new.encode("utf-8"))
    return NewRisk(source.path, rid, line)
