"""JSON Schemas are generated from the models and match what fxfk accepts."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import CORPUS, REPO, run_fxfk
from fxfk.models.schema import SCHEMAS, render

PACKAGED = REPO / "src" / "fxfk" / "schemas"
# The checker of this interpreter's environment (a test extra), found without PATH: the suite passes
# whether or not the virtual environment is activated.
CHECK_JSONSCHEMA = [sys.executable, "-m", "check_jsonschema"]
needs_check_jsonschema = pytest.mark.skipif(
    importlib.util.find_spec("check_jsonschema") is None, reason="check-jsonschema not installed"
)


def test_fxfk_schema_writes_every_schema(tmp_path):
    run = run_fxfk("schema", "--out", str(tmp_path / "out"))
    assert run.code == 0
    for name, model in SCHEMAS.items():
        written = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert written == render(model)
        assert json.loads(written)["title"]  # Chinese title of the file kind


@pytest.mark.parametrize("folder", [REPO / "schemas", PACKAGED], ids=["repository", "package"])
def test_committed_schemas_are_up_to_date(folder):
    for name, model in SCHEMAS.items():
        assert (folder / name).read_text(encoding="utf-8") == render(model), (
            f"{folder / name} is stale: run `fxfk schema --out {folder.relative_to(REPO)}`"
        )


def test_enumerations_offer_both_spellings():
    schema = json.loads(render(SCHEMAS["register.schema.json"]))
    level = schema["$defs"]["Risk"]["properties"]["level"]
    assert {"high", "高", "medium", "中", "low", "低"} <= set(level["enum"])
    assert schema["$defs"]["Risk"]["additionalProperties"] is False


@needs_check_jsonschema
def test_valid_files_pass_check_jsonschema():
    files = sorted((CORPUS / "base" / "data" / "risks").glob("*.yaml"))
    proc = subprocess.run(
        [*CHECK_JSONSCHEMA, "--schemafile", str(REPO / "schemas" / "register.schema.json"), *map(str, files)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_check_jsonschema
def test_check_jsonschema_rejects_an_unknown_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("office:\n  id: gamma\n  name: 丙\n  kind: county\n  phnoe: 1\n", encoding="utf-8")
    proc = subprocess.run(
        [*CHECK_JSONSCHEMA, "--schemafile", str(REPO / "schemas" / "register.schema.json"), str(bad)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1


def test_data_files_point_editors_at_the_schemas():
    for path in sorted((REPO / "data").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"
