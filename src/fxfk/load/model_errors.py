"""Pydantic validation errors turned into located Chinese diagnostics.

Every value of the data that a message repeats goes through :func:`echo`: a short excerpt with
control characters escaped, so a long or hostile value is never printed whole (into a terminal, a
CI log, a JSON report).
"""

from __future__ import annotations

import difflib
import typing
from typing import TYPE_CHECKING, Any, Mapping

from pydantic import BaseModel, ValidationError

from fxfk.diagnostics import Diagnostic, format_path
from fxfk.models.text import echo, text_problem

if TYPE_CHECKING:
    from fxfk.load.yamlload import LoadedYaml


_TAGS = ("discretion-text", "discretion-tiers")


def _data_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union tags and "[key]" markers, which do not name data."""
    return tuple(p for p in loc if p not in _TAGS and p != "[key]")


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc`` (for listing allowed keys)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        cls = _unwrap_model(current)
        if cls is None or part not in cls.model_fields:
            return None
        current = cls.model_fields[part].annotation
    return _unwrap_model(current)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return None
    for arg in typing.get_args(annotation):
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


_PATTERN_HINTS = {
    ("office", "id"): "单位标识应以小写字母开头，只含小写字母、数字和连字符（2–40 个字符），例如 jinshui",
    ("risks", "id"): "风险点编号应以大写字母开头，由大写字母、数字和连字符组成，例如 JS-YFK-001",
    ("risks",): "风险点编号应以大写字母开头，由大写字母、数字和连字符组成，例如 JS-YFK-001",
    ("tasks", "id"): "任务序号应为数字和点组成的编号，例如 \"2.2\"",
    ("task",): "任务序号应为数字和点组成的编号，例如 \"3.3\"",
}


def _pattern_hint(loc: tuple[str | int, ...]) -> str | None:
    names = tuple(p for p in loc if isinstance(p, str))
    for size in (2, 1):
        hint = _PATTERN_HINTS.get(names[-size:])
        if hint:
            return hint
    return None


def _text_problem(error: Mapping[str, Any]) -> tuple[str, str] | None:
    """For a pattern or length error of a str (ids): a control character or the length, said plainly."""
    value = error.get("input")
    if error["type"] not in ("string_pattern_mismatch", "string_too_long") or not isinstance(value, str):
        return None
    max_length = (error.get("ctx") or {}).get("max_length")
    return text_problem(value, max_length if isinstance(max_length, int) else len(value))


def _number_example(text: str) -> str:
    """"-012" → "-12", without int(): a string of 5,000 digits is not an int Python will print."""
    text = text.strip()
    sign = "-" if text.startswith("-") else ""
    return sign + (text.lstrip("+-").lstrip("0") or "0")


def _data_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    """The loaded data at ``loc`` (None where it does not lead anywhere)."""
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _present_keys(data: Any) -> list[str]:
    return [k for k in data if isinstance(k, str)] if isinstance(data, dict) else []


def suggest_keys(name: str, holder: type[BaseModel] | None, present: list[str]) -> list[str]:
    """The fields ``name`` was probably meant to be: close in spelling *and* possible at this place.

    A required field that is missing here is the likeliest meaning: ``bases`` in a risk that has
    ``cases`` but no ``basis`` is ``basis``. Two candidates as likely as each other are both returned
    (``bases`` in a risk that has both: ``basis`` or ``cases``).
    """
    if holder is None or len(name) > 64:
        return []
    allowed = list(holder.model_fields)
    lowered = name.lower()
    scored = []
    for field_name in allowed:
        ratio = difflib.SequenceMatcher(None, lowered, field_name).ratio()
        if ratio < 0.6:
            continue
        missing_required = holder.model_fields[field_name].is_required() and field_name not in present
        rank = 0 if missing_required else 1
        scored.append((rank, -round(ratio, 3), field_name))
    scored.sort()
    if not scored:
        return []
    best = scored[0][:2]
    return [f for rank, ratio, f in scored if (rank, ratio) == best][:2]


def message_for(error: Mapping[str, Any], model: type[BaseModel], data: Any = None) -> str:
    """The Chinese message of one pydantic error; ``data`` (the loaded file) lets it say what is
    written next to the problem (for spelling suggestions)."""
    message = _message(error, model, data)
    hint = _input_method_hint(error)
    return f"{message}；{hint}" if hint else message


def _message(error: Mapping[str, Any], model: type[BaseModel], data: Any) -> str:
    kind = error["type"]
    loc = _data_loc(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        holder = _model_at(model, loc[:-1])
        present = _present_keys(_data_at(data, loc[:-1]))
        typo = [k for k in present if holder is not None and k not in holder.model_fields
                and name in suggest_keys(k, holder, present)]
        if typo:
            return f"缺少必填字段“{name}”；这里的“{echo(typo[0])}”是不是“{name}”的笔误？"
        return f"缺少必填字段“{name}”"
    if kind == "extra_forbidden":
        holder = _model_at(model, loc[:-1])
        allowed = list(holder.model_fields) if holder else []
        close = suggest_keys(name, holder, _present_keys(_data_at(data, loc[:-1])))
        hint = f"是不是{'或'.join(f'“{c}”' for c in close)}？" if close else ""
        listing = f"此处可用的字段：{'、'.join(allowed)}" if allowed else ""
        return f"未知字段“{echo(name)}”（拼写错误？）；{hint}{listing}"
    if kind == "string_type":
        if value is None:
            return "值为空；这里需要填写文字"
        if isinstance(value, (bool, int)):
            return f"这里需要文字，但 YAML 把 {echo(value)} 读成了{'布尔值' if isinstance(value, bool) else '数字'}；请加引号，例如 \"{echo(value)}\""
        return f"这里需要文字，实际是{echo(value)}"
    if kind in ("int_type", "int_parsing"):
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return f"“{echo(value)}”以 0 开头，不按数字读取（YAML 1.1 会把它当成八进制）；请写成不带前导 0 的整数，如 {echo(_number_example(value))}"
        return f"这里需要整数，实际是“{echo(value)}”"
    if kind in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value.strip().lower() in {"yes", "no", "on", "off", "y", "n", "是", "否"}:
            return f"这里需要 true 或 false；“{echo(value)}”在不同的 YAML 版本中含义不同，请改写为 true 或 false"
        return f"这里需要 true 或 false，实际是“{echo(value)}”"
    if kind == "list_type":
        return f"这里需要列表（每项一行，以“- ”开头），实际是{echo(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"这里需要映射（若干行“键: 值”），实际是“{echo(value)}”"
    if kind == "greater_than_equal":
        return f"应不小于 {echo(ctx.get('ge'))}，实际是 {echo(value)}"
    if kind == "less_than_equal":
        return f"应不大于 {echo(ctx.get('le'))}，实际是 {echo(value)}"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项，实际有 {ctx.get('actual_length')} 项；请拆分或删除多余的项"
    if kind == "string_too_short":
        return "不能为空"
    problem = _text_problem(error)
    if problem is not None:
        return problem[1]
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"\S":
            return "不能为空白"
        pattern_hint = _pattern_hint(error["loc"])
        if pattern_hint:
            return f"“{echo(value)}”格式不对；{pattern_hint}"
        return f"“{echo(value)}”格式不对，应符合 {ctx.get('pattern')}"
    if kind == "literal_error":
        if name == "schema_version":
            return f"不认识的数据格式版本 {echo(value)}；本工具认识的版本：1"
        return f"“{echo(value)}”无效；可用的值：{ctx.get('expected')}"
    if kind in ("float_type", "float_parsing"):
        return f"这里需要数字，实际是“{echo(value)}”"
    # Our own PydanticCustomError messages are already Chinese (their values went through echo).
    return str(error["msg"])


# Quotation marks a Chinese input method types instead of ASCII ones: YAML takes them as text.
_CHINESE_QUOTES = "“”‘’「」『』"


def _input_method_hint(error: Mapping[str, Any]) -> str:
    """What a Chinese input method did to a refused text value, named as such (or "")."""
    value = error.get("input")
    if error["type"] == "missing" or error["type"] == "extra_forbidden" or not isinstance(value, str):
        return ""
    text = value.strip()
    hints = []
    if text[:1] in _CHINESE_QUOTES and text[-1:] in _CHINESE_QUOTES:
        inner = echo(text[1:-1])
        hints.append(f"两边是中文引号 {text[0]} {text[-1]}（中文输入法），YAML 不把它们当作引号，而是文字的一部分；"
                     f"请去掉，或改用半角引号，写成 \"{inner}\"")
    if "，" in text:
        loc = _data_loc(error["loc"])
        in_list = bool(loc) and isinstance(loc[-1], int)
        where = "方括号列表 [...] 的各项要用半角逗号“,”分隔，如 [A, B]" if in_list else "如果要写多项，请用半角逗号“,”分隔"
        hints.append(f"其中的“，”是全角逗号（中文输入法）：{where}")
    return "；".join(hints)


def code_for(error: Mapping[str, Any]) -> str:
    problem = _text_problem(error)
    kind = problem[0] if problem is not None else error["type"]
    return _CODES.get(kind, kind.replace("_", "-"))


def diagnostics_from(exc: ValidationError, loaded: LoadedYaml, model: type[BaseModel]) -> list[Diagnostic]:
    out = []
    seen = set()
    for error in exc.errors(include_url=False):
        loc = _data_loc(error["loc"])
        if error["type"] == "missing":
            line, column = loaded.locate(loc[:-1])
        else:
            line, column = loaded.locate(loc, key=error["type"] == "extra_forbidden")
        code = code_for(error)
        diag = Diagnostic(loaded.rel, line, column, code, "error", format_path(loc), message_for(error, model, loaded.data))
        key = (line, column, code, diag.path)
        if key not in seen:  # a dict key and its value can fail on the same spot
            seen.add(key)
            out.append(diag)
    return out


_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "string_type": "not-text",
    "int_type": "not-integer",
    "int_parsing": "not-integer",
    "bool_type": "not-boolean",
    "bool_parsing": "not-boolean",
    "list_type": "not-a-list",
    "dict_type": "not-a-mapping",
    "model_type": "not-a-mapping",
    "model_attributes_type": "not-a-mapping",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "too_short": "too-few-items",
    "too_long": "too-many-items",
    "string_too_short": "empty-text",
    "string_pattern_mismatch": "bad-format",
    "literal_error": "bad-value",
    "enum_value": "bad-enum",
    "date_invalid": "impossible-date",
    "date_format": "bad-date",
    "date_range": "date-out-of-range",
    "control_character": "control-character",
    "text_too_long": "text-too-long",
    "string_too_long": "text-too-long",
    "windows_reserved_name": "windows-reserved-name",
}
