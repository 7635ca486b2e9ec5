"""JSON Schemas generated from the models (never written by hand).

Titles and descriptions are the Chinese labels, so an editor with the YAML language server shows
them on hover and offers the enumerations' English tokens and Chinese labels for completion.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fxfk.models import LawCatalogue, Register, Settings, TaskTable
from fxfk.models.types import DATE_MAX, DATE_MIN

SCHEMAS: dict[str, type[BaseModel]] = {
    "register.schema.json": Register,
    "tasks.schema.json": TaskTable,
    "settings.schema.json": Settings,
    "laws.schema.json": LawCatalogue,
}


def _limits(node: dict[str, Any], prefix: str = "") -> list[str]:
    """What a field's schema bounds, in words: "最多 200 个字符", "取值 0–10000000", a date range."""
    notes = []
    if "maxLength" in node:
        notes.append(f"{prefix}最多 {node['maxLength']} 个字符")
    if "maximum" in node:
        notes.append(f"{prefix}取值 {node.get('minimum', '')}–{node['maximum']}")
    if node.get("format") == "date":
        notes.append(f"{prefix}{DATE_MIN.isoformat()} 到 {DATE_MAX.isoformat()} 之间")
    members = [m for key in ("anyOf", "oneOf") for m in node.get(key, ()) if isinstance(m, dict)]
    # Text or number (a task id): say what the text may be.
    texts = [n for m in members if m.get("type") == "string" for n in _limits(m, prefix)]
    notes += texts or [n for m in members for n in _limits(m, prefix)]
    if isinstance(node.get("items"), dict):
        notes += _limits(node["items"], "每项")
    if isinstance(node.get("additionalProperties"), dict):
        notes += _limits(node["additionalProperties"], "每个值")
    return notes


def _document_limits(node: object) -> None:
    """Append each field's bounds to its description: editors show descriptions, not maxLength."""
    if isinstance(node, list):
        for item in node:
            _document_limits(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _document_limits(value)
    if "title" in node and "properties" not in node:
        notes = list(dict.fromkeys(_limits(node)))
        if notes:
            limit = "；".join(notes)
            described = node.get("description", "")
            if not described:
                node["description"] = limit
            elif described.endswith("）"):
                node["description"] = f"{described}；{limit}"
            else:
                node["description"] = f"{described}（{limit}）"


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    _document_limits(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render(model: type[BaseModel]) -> str:
    return json.dumps(schema_for(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written
