"""JSON Schemas generated from the models (never written by hand).

Titles and descriptions are the Chinese labels, so an editor with the YAML language server shows
them on hover and offers the enumerations' English tokens and Chinese labels for completion.
"""

from __future__ import annotations

import json
from pathlib import Path

from fxfk.models import LawCatalogue, Register, Settings, TaskTable

SCHEMAS = {
    "register.schema.json": Register,
    "tasks.schema.json": TaskTable,
    "settings.schema.json": Settings,
    "laws.schema.json": LawCatalogue,
}


def schema_for(model) -> dict:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render(model) -> str:
    return json.dumps(schema_for(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written
