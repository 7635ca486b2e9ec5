"""Issue 13: the models refuse hostile numbers and text, so later commands can trust what they get.

A value that passes ``fxfk validate`` must be safe for every other command: counts, points, years
and ratios within documented ranges (no OverflowError in classify/report/publish), text without
control characters or bidi overrides (no crash in xlsx/docx, no list that reads differently from
what it says), text of a sane length, and error messages that never echo a long bad value whole.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from conftest import run_fxfk
from fxfk.models import LawCatalogue, Register, Settings, Status, TaskTable
from fxfk.models import text as TX
from fxfk.models import types as T
from hostile import HOSTILE, PUBLIC_FILE, repo_with

PUBLISH_DATE = "2020-01-15"
HUGE = "1" + "0" * 99  # 10**99: the loader refuses integers of more than 100 digits, the models the rest
INFINITE = "1" + "0" * 400 + ".5"  # read by the settings' decimal parser: more than a float can hold


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(repo: Path) -> tuple[int, list[dict]]:
    run = run_fxfk("validate", "--format", "json", "--root", str(repo))
    assert "Traceback" not in run.err, run.err
    return run.code, run.json()["diagnostics"]


def _only(diags: list[dict], code: str) -> dict:
    found = [d for d in diags if d["code"] == code]
    assert len(found) == 1, diags
    return found[0]


def _no_internal_error(*args: str) -> None:
    run = run_fxfk(*args)
    assert run.code != 3 and "内部错误" not in run.err, (args, run.err)
    assert run.code == 1, (args, run.code, run.out, run.err)


# --- numbers ------------------------------------------------------------------------------------


def test_huge_case_count_is_refused_and_no_command_crashes(base_repo: Path, tmp_path: Path):
    _replace(base_repo / "data/risks/alpha.yaml", "      2019: 2\n", f"      2019: {HUGE}\n")
    code, diags = _validate(base_repo)
    assert code == 1
    d = _only(diags, "out-of-range")
    assert (d["file"], d["line"]) == ("data/risks/alpha.yaml", 38) and d["path"].startswith("risks[0].cases")
    assert "10000000" in d["message"] and HUGE not in d["message"]
    root = ("--root", str(base_repo))
    _no_internal_error("classify", *root)
    _no_internal_error("deadlines", "--today", "2019-12-01", *root)
    _no_internal_error("report", "--date", "2019-12-31", "--format", "md", "--out", str(tmp_path / "r"), *root)
    _no_internal_error("publish", "--date", "2019-12-31", "--format", "csv", "--out", str(tmp_path / "p"), *root)


def test_infinite_rise_ratio_is_refused(base_repo: Path):
    (base_repo / "fxfk.yaml").write_text(f"organization: 测试市商务局\nhotspot:\n  rise_ratio: {INFINITE}\n", encoding="utf-8")
    code, diags = _validate(base_repo)
    assert code == 1
    d = _only(diags, "out-of-range")
    assert (d["file"], d["line"], d["path"]) == ("fxfk.yaml", 3, "hotspot.rise_ratio")
    assert "1000" in d["message"]


def test_task_deadline_beyond_the_calendar_is_refused(base_repo: Path):
    _replace(base_repo / "data/tasks/2019.yaml", "deadline: 8月中旬", 'deadline: "9999-12-31"')
    code, diags = _validate(base_repo)
    assert code == 1
    d = _only(diags, "bad-deadline")
    assert d["path"] == "tasks[2].deadline" and "2100" in d["message"]
    _no_internal_error("deadlines", "--today", "2019-12-01", "--root", str(base_repo))


@pytest.mark.parametrize(
    "old, new, path, code",
    [
        ("    points: 2\n", f"    points: {HUGE}\n", "scoring[0].points", "out-of-range"),
        ("    date: 2019-12-20\n", "    date: 9999-12-31\n", "scoring[0].date", "date-out-of-range"),
        ("year: 2019\n", "year: 2999\n", "year", "out-of-range"),
        ("    target: 3\n", "    target: 100000000\n", "tasks[1].target", "out-of-range"),
    ],
)
def test_task_table_numbers_have_bounds(base_repo: Path, old, new, path, code):
    _replace(base_repo / "data/tasks/2019.yaml", old, new)
    status, diags = _validate(base_repo)
    assert status == 1
    assert _only(diags, code)["path"] == path


def test_every_command_runs_with_numbers_and_dates_at_their_bounds(base_repo: Path, tmp_path: Path):
    """The bounds are what the arithmetic has to survive: rise ratios, sums of cases, due dates, working days."""
    from fxfk.models.settings import RATIO_MAX

    (base_repo / "fxfk.yaml").write_text(
        f"organization: 测试市商务局\nhotspot:\n  rise_ratio: {RATIO_MAX}\n  min_cases: {T.COUNT_MAX}\n"
        f"due_soon_days: {T.DAYS_MAX}\n"
        f"guidance_days:\n  high: {T.DAYS_MAX}\n  medium: {T.DAYS_MAX}\n  low: {T.DAYS_MAX}\n",
        encoding="utf-8",
    )
    alpha = base_repo / "data/risks/alpha.yaml"
    _replace(alpha, "      2018: 4\n      2019: 2\n", f"      2018: 1\n      {T.YEAR_MAX}: {T.COUNT_MAX}\n")
    # The commands' --date/--today go up to 2099-12-31 (fxfk.cli.options): the last day they can ask about.
    last = "2099-12-31"
    _replace(alpha, "    date: 2019-09-16\n", f"    date: {last}\n")
    _replace(alpha, "  - date: 2019-09-20\n", f"  - date: {last}\n")
    _replace(alpha, "risks:\n", f"  - id: {T.BATCH_MAX}\n    date: {T.DATE_MAX.isoformat()}\nrisks:\n")
    code, diags = _validate(base_repo)
    assert code == 0, diags
    assert {d["code"] for d in diags} >= {"hotspot-top"}
    for args in (
        ("classify", "--format", "json"),
        ("deadlines", "--guidance", "--today", last, "--format", "json"),
        ("deadlines", "--today", last),
        ("report", "--date", last, "--year", "2019", "--format", "md", "--out", str(tmp_path / "r")),
        ("publish", "--date", last, "--format", "csv,md", "--out", str(tmp_path / "p")),
    ):
        run = run_fxfk(*args, "--root", str(base_repo))
        assert run.code in (0, 1) and "内部错误" not in run.err, (args, run.err)


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if not h.valid_text], ids=lambda h: h.name)
def test_control_characters_in_text_are_refused(hostile, tmp_path: Path):
    repo = repo_with(tmp_path, "title", hostile.text)
    code, diags = _validate(repo)
    assert code == 1
    d = _only(diags, "control-character")
    assert (d["file"], d["path"]) == (PUBLIC_FILE, "risks[0].title")
    bad = next(i for i, c in enumerate(hostile.text) if TX.control_character(c))
    assert f"U+{ord(hostile.text[bad]):04X}" in d["message"]
    assert f"第 {bad + 1} 个字符" in d["message"]
    assert all(not TX.control_character(c) for c in d["message"])


def test_control_character_no_longer_crashes_publish_or_report(tmp_path: Path):
    repo = repo_with(tmp_path, "title", "x\x01y")
    root = ("--root", str(repo))
    _no_internal_error("publish", "--date", PUBLISH_DATE, "--format", "xlsx,docx", "--out", str(tmp_path / "p"), *root)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    "rel, old, new, path",
    [
        ("fxfk.yaml", "organization: 测试市商务局", 'organization: "测试\\u202e市商务局"', "organization"),
        ("data/risks/alpha.yaml", "  phone: 0371-12345678", '  phone: "0371\\x7f"', "office.phone"),
        ("data/risks/alpha.yaml", "    note: 召开座谈会征求意见", '    note: "座谈\\x9b会"', "activities[0].note"),
        ("data/risks/alpha.yaml", "      parties: [企业, 行业协会]", '      parties: [企业, "协\\u2066会"]', "risks[0].consultation.parties[1]"),
        ("data/tasks/2019.yaml", "    content: 培育指导服务型行政执法示范点情况",
         '    content: "\\e培育指导服务型行政执法示范点情况"', "tasks[1].content"),
        ("data/tasks/2019.yaml", "    reason: 探索创新，成效显著", '    reason: "探索\\0创新"', "scoring[0].reason"),
    ],
)
def test_control_characters_are_refused_in_every_kind_of_file(base_repo: Path, rel, old, new, path):
    _replace(base_repo / rel, old, new)
    code, diags = _validate(base_repo)
    assert code == 1
    assert _only(diags, "control-character")["path"] == path


def test_a_title_of_a_megabyte_is_not_a_title(tmp_path: Path):
    repo = repo_with(tmp_path, "title", "长" * (TX.NAME_MAX + 1))
    code, diags = _validate(repo)
    assert code == 1
    d = _only(diags, "text-too-long")
    assert d["path"] == "risks[0].title"
    assert str(TX.NAME_MAX) in d["message"] and str(TX.NAME_MAX + 1) in d["message"]
    assert "长" * 30 not in d["message"]


def test_free_text_has_a_bound_too(tmp_path: Path):
    repo = repo_with(tmp_path, "level_reason", "理" * (TX.TEXT_MAX + 1))
    code, diags = _validate(repo)
    assert code == 1
    assert _only(diags, "text-too-long")["path"] == "risks[0].level_reason"
    ok = repo_with(tmp_path / "ok", "level_reason", "理" * TX.TEXT_MAX)
    assert _validate(ok)[0] == 0


def test_text_rules_unit():
    ok = ["", "普通文字", "a\tb", "第一行\n第二行", "零宽\u200b空格", "emoji 😀", "x\u2028y"]
    for text in ok:
        assert TX.text_problem(text, TX.TEXT_MAX) is None, repr(text)
    refused = {
        "\x00": 1, "a\x08": 2, "a\x0b": 2, "\r": 1, "ab\x1f": 3, "\x7f": 1, "\x80": 1, "\x9f": 1,
        "\u202a": 1, "x\u202e": 2, "\u2066": 1, "\u2069": 1,
    }
    for text, position in refused.items():
        problem = TX.text_problem(text, TX.TEXT_MAX)
        assert problem is not None, repr(text)
        assert problem[0] == "control_character"
        assert f"U+{ord(text[position - 1]):04X}" in problem[1] and f"第 {position} 个字符" in problem[1]
    assert TX.text_problem("x" * 65, TX.ID_MAX)[0] == "text_too_long"


# --- every text field and every number field is bounded ---------------------------------------------


MODELS = (Register, TaskTable, Settings, LawCatalogue)


def _leaves(annotation, metadata=()) -> typing.Iterator[tuple[object, tuple]]:
    """Every (scalar type, its Annotated metadata) inside a field's annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        yield from _leaves(base, (*metadata, *meta))
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return
    if origin is not None and origin is not typing.Literal:
        for arg in typing.get_args(annotation):
            yield from _leaves(arg)
        return
    yield annotation, metadata


def _fields(model: type[BaseModel], seen: set) -> typing.Iterator[tuple[str, object]]:
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        yield f"{model.__name__}.{name}", annotation
        for leaf in _walk_models(info.annotation):
            yield from _fields(leaf, seen)


def _walk_models(annotation) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _walk_models(arg)


ALL_FIELDS = [f for m in MODELS for f in _fields(m, set())]


def _has(metadata, attr: str) -> bool:
    return any(getattr(m, attr, None) is not None for m in metadata) or any(
        getattr(c, attr, None) is not None for m in metadata for c in getattr(m, "metadata", ())
    )


def test_every_text_and_number_field_is_bounded():
    problems = []
    for name, annotation in ALL_FIELDS:
        for leaf, metadata in _leaves(annotation):
            if leaf is str:
                if not (any(isinstance(m, TX.TextRule) for m in metadata) or _has(metadata, "pattern") and _has(metadata, "max_length")):
                    problems.append(f"{name}: text without the text rules")
            elif leaf in (int, float):
                if not (_has(metadata, "le") or _has(metadata, "lt")):
                    problems.append(f"{name}: {leaf.__name__} without an upper bound")
                if not (_has(metadata, "ge") or _has(metadata, "gt")):
                    problems.append(f"{name}: {leaf.__name__} without a lower bound")
    assert problems == []


def test_dates_are_bounded():
    assert T.parse_iso_date("2019-09-16") == dt.date(2019, 9, 16)
    for bad in ("9999-12-31", "0001-01-01", "1948-12-31", "2101-01-01"):
        with pytest.raises(Exception) as caught:
            T.parse_iso_date(bad)
        assert "2100" in str(caught.value)


def test_the_bounds_reach_the_json_schema():
    from fxfk.models.schema import schema_for

    risk = schema_for(Register)["$defs"]["Risk"]["properties"]
    assert risk["title"]["maxLength"] == TX.NAME_MAX and f"{TX.NAME_MAX}" in risk["title"]["description"]
    assert risk["level_reason"]["maxLength"] == TX.TEXT_MAX
    assert risk["id"]["maxLength"] == TX.ID_MAX
    cases = risk["cases"]
    assert cases["additionalProperties"]["maximum"] == T.COUNT_MAX


# --- defaults (item 10) -------------------------------------------------------------------------------


def _isinstance(value, annotation) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _isinstance(value, typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_isinstance(value, a) for a in typing.get_args(annotation))
    if origin is not None:
        return isinstance(value, origin)
    if annotation is type(None):
        return value is None
    if annotation is float:
        return isinstance(value, float)
    return isinstance(value, annotation)


def _all_models() -> list[type[BaseModel]]:
    seen: set = set()
    for m in MODELS:
        list(_fields(m, seen))
    return sorted(seen, key=lambda m: m.__name__)


def test_every_default_has_the_type_of_its_field():
    wrong = []
    for model in _all_models():
        for name, info in model.model_fields.items():
            if info.is_required():
                continue
            default = info.get_default(call_default_factory=True)
            if not _isinstance(default, info.annotation):
                wrong.append(f"{model.__name__}.{name}: {default!r} is not {info.annotation}")
    assert wrong == []


def test_an_omitted_status_is_the_draft_member(base_repo: Path):
    import yaml

    data = yaml.safe_load((base_repo / "data/risks/alpha.yaml").read_text(encoding="utf-8"))
    del data["risks"][1]["status"]
    assert Register.model_validate(data).risks[1].status is Status.draft


def test_a_point_without_status_is_counted_as_draft_in_the_report(base_repo: Path, tmp_path: Path):
    def report(out: str) -> str:
        run = run_fxfk("report", "--date", "2019-12-31", "--format", "md", "--out", str(tmp_path / out), "--root", str(base_repo))
        assert run.code == 0, run.err
        return "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / out).glob("*.md")))

    explicit = report("explicit")
    _replace(base_repo / "data/risks/alpha.yaml", "    status: draft\n", "")
    assert report("omitted") == explicit


# --- echoes (item 7) -------------------------------------------------------------------------------------


def test_a_long_wrong_value_is_not_echoed_whole(base_repo: Path):
    secret = "TOPSECRET-VALUE-42-" + "X" * 200
    _replace(base_repo / "data/risks/alpha.yaml", "  kind: county", f"  kind: {secret}")
    code, diags = _validate(base_repo)
    assert code == 1
    message = _only(diags, "bad-enum")["message"]
    assert secret not in message and "X" * 30 not in message
    assert "“" + secret[: TX.ECHO_MAX] + "…”" in message


def test_control_characters_in_an_echo_are_escaped(base_repo: Path):
    _replace(base_repo / "data/risks/alpha.yaml", "  kind: county", '  kind: "\\e[31mred\\nline"')
    code, diags = _validate(base_repo)
    assert code == 1
    message = _only(diags, "bad-enum")["message"]
    assert "\x1b" not in message and "\n" not in message
    assert "\\u001b[31mred\\nline" in message


@pytest.mark.parametrize(
    "value, shown",
    [
        ("short", "short"),
        ("x" * 25, "x" * 20 + "…"),
        ("a\x01b", "a\\u0001b"),
        ("tab\there", "tab\\there"),
        ("\u202e" * 25, "\\u202e" * 20 + "…"),
        (10**400, "1" + "0" * 19 + "…"),
        (True, "true"),
        (None, "（空）"),
        (float("inf"), "（过大的数）"),
    ],
    ids=["short", "long", "control", "tab", "bidi", "huge-int", "true", "none", "inf"],
)
def test_echo_unit(value, shown):
    assert TX.echo(value) == shown


def test_a_register_of_a_hundred_thousand_points_is_one_error(base_repo):
    """Lists are bounded, so pydantic stops at the length instead of building an error per item."""
    path = base_repo / "data" / "risks" / "alpha.yaml"
    head = path.read_text(encoding="utf-8").split("risks:")[0]
    path.write_text(head + "risks:\n" + "- {}\n" * 100_000, encoding="utf-8")
    run = run_fxfk("validate", "--no-cache", "-f", "json", "--root", str(base_repo))
    assert run.code == 1, run.err
    doc = run.json()
    assert doc["errors"] == 1
    (d,) = doc["diagnostics"]
    assert d["code"] == "too-many-items" and d["path"] == "risks" and "最多 5000 项" in d["message"]
