"""The public lists validate only the fields they read (models.register.RegisterPublicFields): each one
declared exactly as in the full model, so the lists are the same either way."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, REPO
from fxfk.models import Register, Risk
from fxfk.models.register import RegisterPublicFields, RiskPublicFields
from fxfk.options import Options


@pytest.mark.parametrize("part, whole", [(RiskPublicFields, Risk), (RegisterPublicFields, Register)])
def test_every_public_field_is_declared_as_in_the_model(part, whole):
    for name, field in part.model_fields.items():
        theirs = whole.model_fields[name]
        if (part, name) == (RegisterPublicFields, "risks"):
            assert field.annotation == list[RiskPublicFields]
        else:
            assert field.annotation == theirs.annotation, name
        assert repr(field.metadata) == repr(theirs.metadata), name
        assert field.default == theirs.default and field.default_factory == theirs.default_factory, name
        assert field.is_required() == theirs.is_required(), name
    assert part.model_config["strict"] and part.model_config["frozen"]


def test_the_public_view_reads_only_public_fields():
    """Every attribute the view takes from a point is one of RiskPublicFields (else the slice would fail)."""
    import ast
    import inspect

    from fxfk.public import view

    tree = ast.parse(inspect.getsource(view))
    read = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "risk"}
    assert read and read <= set(RiskPublicFields.model_fields)


@pytest.mark.parametrize("source, day", [(CORPUS / "publish", "2020-01-15"), (REPO, "2019-12-31")])
def test_the_view_from_the_public_fields_is_the_view_from_the_model(source, day, tmp_path):
    from fxfk.public.view import build_view
    from fxfk.rules.validation import load

    repo = tmp_path / "repo"
    shutil.copytree(source / "data", repo / "data")
    shutil.copy(source / "fxfk.yaml", repo / "fxfk.yaml")
    date = dt.date.fromisoformat(day)
    whole = build_view(load(repo, Options(cache=False)), date)  # full models, loaded with the files
    load(repo, Options(cache=True, jobs=1), facts_only=True)  # (fills the cache)
    sliced = load(repo, Options(cache=True, jobs=1), facts_only=True)
    assert all(s.model is None for s in sliced.valid_registers())
    part = build_view(sliced, date)
    assert part.view == whole.view and part.view.offices
    assert [(t.text, t.source.rel, t.loc) for t in part.texts] == [(t.text, t.source.rel, t.loc) for t in whole.texts]
    assert Path(repo / ".fxfk-cache").is_dir()
