"""Issue 19: the sandbox reads fxfk's frozen view objects without its checks, and guards exactly as before.

``fxfk.render.templates`` returns a declared field or property of an fxfk frozen dataclass or
NamedTuple directly. These tests hold it to the plain ``ImmutableSandboxedEnvironment``: the same
answer for every attribute name of every object a template can reach, and a user template still
cannot reach ``__class__``, ``__globals__``, ``open``, a mutating method or an unwrapped ``str.format``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import CORPUS, run_fxfk
from fxfk.public import view as view_module
from fxfk.render.templates import environment, plain_fields
from hostile import PUBLIC_TITLE, repo_with

PROBES = ("__class__", "__dict__", "__init__", "__globals__", "__setattr__", "__reduce__", "__dataclass_fields__",
          "_fields", "_replace", "_asdict", "mro", "format", "append", "clear", "count", "index", "open", "missing")


def _reachable(value: Any, seen: dict[int, Any]) -> None:
    if id(value) in seen or isinstance(value, (str, int, type(None), dt.date)):
        return
    seen[id(value)] = value
    if isinstance(value, tuple):
        for item in value:
            _reachable(item, seen)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _reachable(getattr(value, f.name), seen)


def _same(fast: Any, plain: Any) -> bool:
    if isinstance(plain, Undefined):
        return isinstance(fast, Undefined) and fast._undefined_hint == plain._undefined_hint
    if callable(plain) and getattr(plain, "__wrapped__", None) is not None:  # the sandbox's str.format wrapper
        return getattr(fast, "__wrapped__", None) == plain.__wrapped__
    return fast is plain or fast == plain


@pytest.fixture(scope="module")
def public_view():
    from fxfk.publish import prepare

    return prepare(CORPUS / "publish", dt.date(2020, 1, 15)).view


def test_every_attribute_of_every_view_object_reads_as_in_the_plain_sandbox(tmp_path, public_view):
    fast = environment(tmp_path)
    plain = ImmutableSandboxedEnvironment()
    objects: dict[int, Any] = {}
    _reachable(public_view, objects)
    kinds = {type(o) for o in objects.values()}
    assert {view_module.PublicView, view_module.OfficeList, view_module.PublicRisk, view_module.Citation} <= kinds
    checked = 0
    for obj in objects.values():
        for name in sorted(set(dir(obj)) | set(PROBES)):
            assert _same(fast.getattr(obj, name), plain.getattr(obj, name)), (type(obj).__name__, name)
            checked += 1
    assert checked > 1000


def test_only_declared_public_names_of_fxfk_frozen_types_are_fast():
    assert {"title", "level", "citations", "seq"} <= plain_fields(view_module.PublicRisk)
    assert {"risks", "latest", "batches"} <= plain_fields(view_module.OfficeList)  # properties too
    assert "text" in plain_fields(view_module.Citation)
    for cls in (view_module.PublicRisk, view_module.OfficeList, view_module.PublicView):
        assert not any(n.startswith("_") for n in plain_fields(cls))
    assert plain_fields(view_module.BuiltView) == frozenset()  # not frozen
    for cls in (list, dict, tuple, str, dt.date, type, Path):
        assert plain_fields(cls) == frozenset()

    class Outside(NamedTuple):  # not fxfk's
        a: int

    assert plain_fields(Outside) == frozenset()


def test_a_field_holding_str_format_is_still_wrapped(tmp_path):
    # A frozen fxfk dataclass whose field is a bound str.format: the sandbox's formatter must stay in between.
    Holder = dataclasses.make_dataclass("Holder", [("fmt", object)], frozen=True, namespace={"__module__": "fxfk.fake"})
    holder = Holder("{0.__class__.__init__.__globals__}".format)
    assert plain_fields(Holder) == {"fmt"}
    env = environment(tmp_path)
    with pytest.raises(SecurityError):
        env.from_string("{{ o.fmt(o) }}").render(o=holder)


def publish(repo: Path, out: Path):
    return run_fxfk("publish", "--root", str(repo), "--out", str(out), "--date", "2020-01-15", "-f", "md")


@pytest.mark.parametrize(
    "expression",
    [
        "view.__class__",
        "offices[0].risks[0].__init__.__globals__",
        "offices[0].__dataclass_fields__",
        "view.offices[0].risks.__class__.__mro__",
        "offices[0].latest.risks[0].citations[0].__reduce__()",
        "view.__setattr__('organization', 'x')",
        "offices[0].risks[0].title.format.__globals__",
        "'{0.__class__.__init__.__globals__}'.format(offices[0])",
        "offices[0].risks[0].citations[0].text.format.__self__",
        "level_notes(offices).append(1)",
        "offices[0].risks[0].open('/etc/passwd')",
        "open('/etc/passwd')",
    ],
)
def test_user_template_cannot_escape_through_a_view_object(tmp_path, expression):
    repo = repo_with(tmp_path, "title", PUBLIC_TITLE)
    path = repo / "templates/publish/risk_list.md.j2"
    path.parent.mkdir(parents=True)
    path.write_text("{{ " + expression + " }}\n", encoding="utf-8")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 2, (r.code, r.err)
    assert "risk_list.md.j2" in r.err and "Traceback" not in r.err and "内部错误" not in r.err
    assert not out.exists()


def test_user_template_reads_view_fields_and_properties(tmp_path):
    repo = repo_with(tmp_path, "title", PUBLIC_TITLE)
    path = repo / "templates/publish/risk_list.md.j2"
    path.parent.mkdir(parents=True)
    path.write_text("{% for o in offices %}{{ o.name }}|{{ o.latest.label }}|{% for r in o.risks %}{{ r.title }}|"
                    "{{ r.citations[0].text }}{% endfor %}{% endfor %}\n", encoding="utf-8")
    out = tmp_path / "public"
    r = publish(repo, out)
    assert r.code == 0, r.err
    assert PUBLIC_TITLE in (out / "east.md").read_text(encoding="utf-8")
