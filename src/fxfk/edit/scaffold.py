"""`fxfk init` and `fxfk new`: files a legal officer should not have to write from memory.

``init`` renders the Jinja2 templates under ``templates/init/`` (stored without leading dots, which
package data globs would skip) into a new data repository. ``new risk`` appends text to a register: the
rest of the file stays byte for byte as it was, comments included — the file is never re-dumped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from fxfk import __version__
from fxfk.errors import FxfkError
from fxfk.files import write_atomically
from fxfk.load.yamlload import decode, load_text
from fxfk.models import Factors, OfficeKind, Register
from fxfk.models.text import NAME_MAX, echo, text_problem
from fxfk.models.types import (
    OFFICE_ID_PATTERN,
    TASK_YEAR_MIN,
    YEAR_MAX,
    is_windows_reserved,
    windows_reserved_message,
)
from fxfk.options import Options
from fxfk.rules.levels import explain
from fxfk.rules.validation import load

# Placeholder text of a new point's required fields: it passes validation (non-blank text) but
# says plainly that it is still to be written. `fxfk publish` never shows drafts.
TODO = "待填写"
# Where pre-commit fetches the hook from when --source is not given: to be replaced by the office.
SOURCE_PLACEHOLDER = "https://example.invalid/fxfk.git"

# template path (inside templates/init) → path in the new repository
INIT_FILES = {
    "fxfk.yaml.j2": "fxfk.yaml",
    "data/risks/example.yaml.j2": "data/risks/example.yaml",
    "data/tasks/tasks.yaml.j2": "data/tasks/{year}.yaml",
    "gitignore.j2": ".gitignore",
    "github/workflows/fxfk.yml.j2": ".github/workflows/fxfk.yml",
    "github/workflows/deadlines.yml.j2": ".github/workflows/deadlines.yml",
    "gitlab-ci.yml.j2": ".gitlab-ci.yml",
    "pre-commit-config.yaml.j2": ".pre-commit-config.yaml",
}


def _template(name: str) -> str:
    return resources.files("fxfk").joinpath("templates", "init", *name.split("/")).read_text(encoding="utf-8")


def _init_environment():
    # Only our own templates are rendered here, but with the same sandbox as a user's (render/templates):
    # an undefined name is an error, not an empty string in a CI file. The GitHub workflows'
    # ${{ … }} expressions are wrapped in {% raw %}.
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml_text"] = _yaml_text
    return env


# Matched with fullmatch: with ``$``, "甲\n" would pass as plain and lose its line break.
_PLAIN_SAFE = re.compile(r"[^\W\d_][\w（）()《》〔〕【】、，。；“”·.-]*")
_QUOTED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _yaml_text(value: str) -> str:
    """A YAML scalar for any text: plain when that reads back as the same text, else double-quoted."""
    from fxfk.load.yamlload import YAML11_BOOLEANS

    plain_words = YAML11_BOOLEANS | {"true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL"}
    if _PLAIN_SAFE.fullmatch(value) and value not in plain_words:
        return value
    # Escaped, never raw: a raw line break in quotes reads back as a space, a raw control character
    # not at all. (The models then refuse control characters with a located message.)
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _QUOTED_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), value) + '"'


@dataclass
class InitResult:
    root: Path
    written: list[str]
    source_given: bool


def init_files(organization: str, year: int, source: str | None) -> dict[str, str]:
    """Relative path → text of every file ``fxfk init`` writes (the JSON schemas included)."""
    from fxfk.models.schema import SCHEMAS, render

    values = {
        "organization": organization,
        "year": year,
        "fxfk_pip": f"fxfk @ git+{source}@v{__version__}" if source else f"fxfk=={__version__}",
        "fxfk_repo": source or SOURCE_PLACEHOLDER,
        "version": __version__,
    }
    env = _init_environment()
    out = {}
    for template, target in INIT_FILES.items():
        out[target.format(year=year)] = env.from_string(_template(template)).render(values)
    for name, model in SCHEMAS.items():
        out[f"schemas/{name}"] = render(model)
    return out


def init_repository(target: Path, organization: str, year: int, source: str | None = None) -> InitResult:
    if not TASK_YEAR_MIN <= year <= YEAR_MAX:
        raise FxfkError(f"年度 {year} 无效；应为 {TASK_YEAR_MIN} 到 {YEAR_MAX} 之间的年份")
    problem = text_problem(organization, NAME_MAX)
    if problem is not None:
        raise FxfkError(f"--organization（发布机关）{problem[1]}")
    if source is not None and (not source or re.search(r"[\s\x00-\x1f\x7f-\x9f]", source)):
        # It is written into CI files: a line break there would add YAML of its own.
        raise FxfkError(f"--source “{echo(source)}”无效：应为 git 仓库地址，不能为空，不能含空白或控制字符")
    if target.exists() and not target.is_dir():
        raise FxfkError(f"“{target}”已存在且不是目录")
    files = init_files(organization, year, source)
    existing = sorted(rel for rel in files if (target / rel).exists())
    if existing:
        raise FxfkError(
            f"“{target}”中已有以下文件，fxfk init 不会覆盖它们（什么也没有写）：\n"
            + "\n".join(f"  {rel}" for rel in existing)
        )
    for rel in sorted(files):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on every system (the tests compare them).
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(files[rel])
    return InitResult(target, sorted(files), source is not None)


# --- fxfk new office -------------------------------------------------------------------------------


def _office_kind(kind: str) -> OfficeKind:
    member = OfficeKind.lookup().get(kind.strip())
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
        f"  name: {_yaml_text(name)}\n"
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
    _check_register(text, path.relative_to(root).as_posix())
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
    return _yaml_text(value)


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


def _check_register(text: str, rel: str) -> None:
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


def _top_key(root: MappingNode, name: str):
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == name:
            return k, v
    return None


def _last_scalar(node):
    """The last node with a trustworthy end: block collections end where the next token starts
    (after blank lines and comments), so descend to their last scalar or flow collection."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
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
    nl = "\r\n" if "\r\n" in text else "\n"
    found = _top_key(root, "risks")

    def block(indent: int) -> str:
        pad = " " * indent
        body = [pad + "- " + lines[0]] + [pad + "  " + line for line in lines[1:]]
        return nl.join(body) + nl

    if found is None:
        # No risks: key: put it before activities: if there is one (the usual order), else at the end.
        acts = _top_key(root, "activities")
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
        eol = _after_line(text, end)
        rest = text[end:eol].rstrip("\r\n")
        if not rest.strip():  # nothing after the brackets: drop the space before them too
            head, rest = head.rstrip(" "), ""
        ending = text[eol - len(nl):eol] if text[eol - len(nl):eol] == nl else nl
        indent = key.start_mark.column + 2
        new = head + rest + ending + block(indent) + text[eol:]
        return new, key.start_mark.line + 2
    if isinstance(value, ScalarNode) and value.value in ("", "~", "null"):
        # "risks:" with nothing after it: the item goes on the next line.
        eol = _after_line(text, key.start_mark.index)
        prefix = "" if text[eol - 1:eol] == "\n" else nl
        new = text[:eol] + prefix + block(key.start_mark.column + 2) + text[eol:]
        return new, key.start_mark.line + 2
    if not isinstance(value, SequenceNode):
        raise FxfkError(f"{rel}:{value.start_mark.line + 1}:{value.start_mark.column + 1}：risks 应是列表")
    end = _last_scalar(value).end_mark.index
    # A block scalar ends at the start of the next line; anything else at the end of its text.
    at = end if end > 0 and text[end - 1] == "\n" else _after_line(text, end)
    prefix = "" if at == 0 or text[at - 1] == "\n" else nl
    new = text[:at] + prefix + block(value.start_mark.column) + text[at:]
    return new, new.count("\n", 0, at + len(prefix)) + 1


def new_risk(root: Path, office: str, title: str | None = None, domain: str | None = None,
             prefix: str | None = None, options: Options | None = None) -> NewRisk:
    repo = load(root, options)  # the one way commands load a repository: registers checked and cached
    source = next((s for s in repo.registers if s.stem == office), None)
    if source is None:
        known = "、".join(sorted(s.stem for s in repo.registers)) or "（没有任何登记册）"
        raise FxfkError(f"没有单位“{echo(office)}”的登记册（data/risks/{echo(office)}.yaml）；已有单位：{known}。新建单位：fxfk new office {echo(office)} --name … --kind …")
    if source.model is None:
        first = source.loaded.diagnostics[0] if source.loaded.diagnostics else None
        where = f"{first.location()}：{first.message}" if first else source.rel
        raise FxfkError(f"登记册未通过校验，不能追加风险点；请先修正：{where}")
    for value, option in ((title, "--title"), (domain, "--domain")):
        if value is not None and not value.strip():
            raise FxfkError(f"{option} 不能为空")
    all_ids = {r.id for s in repo.valid_registers() for r in s.model.risks}
    own = source.model.risks
    rid = next_risk_id(office, [r.id for r in own], [r.domain for r in own], all_ids, domain, prefix)
    lines = risk_skeleton(rid, title, domain, source.model.office.name, repo.settings.levels)
    raw = source.path.read_bytes()
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text, problems = decode(raw, source.rel)
    if text is None:  # pragma: no cover - the model loaded, so the text decoded
        raise FxfkError(problems[0].message)
    new, line = insert_risk(text, lines, source.rel)
    _check_register(new, source.rel)
    write_atomically(source.path, bom + new.encode("utf-8"))
    return NewRisk(source.path, rid, line)


def default_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year
