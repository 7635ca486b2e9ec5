"""Hostile YAML content: validate ends with exit 0 or 1 and located Chinese errors, never exit 3.

Attack shapes defined here (not in hostile.py): integers of thousands of digits as values and as
keys (Python's int() refuses more than 4,300), a key named ``key`` holding a nested ``key`` (the
fast reader once mixed its key positions with node paths), long and control-character keys and
tags that the loader's messages echo, files of many thousands of errors.
"""

from __future__ import annotations

import pytest

from conftest import run_fxfk
from fxfk.diagnostics import MAX_PER_FILE
from fxfk.load import fastyaml, yamlload
from fxfk.load.yamlload import DEFAULT_MAX_BYTES, load_bytes, load_text

HUGE = "9" * 5000
HEADER = "office:\n  id: alpha\n  name: 甲区商务局\n  kind: county\n"
ENVS = [pytest.param({}, id="libyaml"), pytest.param({"FXFK_PURE_YAML": "1"}, id="pure")]
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]


def _validate(repo, *args, env=None):
    run = run_fxfk("validate", "-f", "json", "--root", str(repo), *args, env=env)
    assert "Traceback" not in run.err and "内部错误" not in run.err, run.err[-2000:]
    return run


def _found(run):
    return [(d["file"], d["line"], d["column"], d["code"]) for d in run.json()["diagnostics"]]


# (register text, line, column) of a 5,000-digit integer: fast-reader block style and flow style,
# as a value and as a mapping key.
HUGE_INTS = [
    pytest.param(HEADER + "risks:\n  - id: AL-1\n    cases:\n      2018: " + HUGE + "\n", 8, 13, id="block-value"),
    pytest.param(HEADER + "risks:\n  - id: AL-1\n    cases: {2018: " + HUGE + "}\n", 7, 19, id="flow-value"),
    # (YAML allows implicit keys of up to 1,024 characters: a longer one is a syntax error)
    pytest.param(HEADER + "risks:\n  - id: AL-1\n    cases:\n      " + HUGE[:1000] + ": 1\n", 8, 7, id="block-key"),
    pytest.param(HEADER + "risks:\n  - id: AL-1\n    cases: {" + HUGE[:1000] + ": 1}\n", 7, 13, id="flow-key"),
    pytest.param(HEADER + "risks:\n  - id: AL-1\n    cases:\n      ? " + HUGE + "\n      : 1\n", 8, 9, id="explicit-key"),
    pytest.param(HEADER + "x: [1, -" + HUGE + "]\n", 5, 8, id="list-item"),
]


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("text, line, column", HUGE_INTS)
def test_integer_of_5000_digits_is_a_located_error(base_repo, env, text, line, column):
    (base_repo / "data/risks/alpha.yaml").write_text(text, encoding="utf-8")
    run = _validate(base_repo, env=env)
    assert run.code == 1, run.err
    assert _found(run) == [("data/risks/alpha.yaml", line, column, "integer-too-long")]
    message = run.json()["diagnostics"][0]["message"]
    assert "整数位数过多" in message and HUGE not in message


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("fast", [True, False])
def test_huge_integer_unit(pure, fast):
    for text in ("a: " + HUGE + "\n", HUGE[:1000] + ": 1\n", "a:\n  - " + HUGE + "\n", "a: {b: +" + HUGE + "}\n"):
        result = load_text(text, "x.yaml", pure=pure, fast=fast)
        assert result.data is None
        assert [d.code for d in result.diagnostics] == ["integer-too-long"], text[:20]
    # A long number in quotes is text; a float of any size stays text (floats are not typed).
    result = load_text("a: '" + HUGE + "'\nb: 1e400\nc: -.inf\nd: " + "1" * 99 + "\n", "x.yaml", pure=pure, fast=fast)
    assert result.data == {"a": HUGE, "b": "1e400", "c": "-.inf", "d": int("1" * 99)}


def test_fast_reader_steps_aside_for_huge_integers():
    assert fastyaml.parse("a: " + HUGE + "\n") is None
    assert fastyaml.parse(HUGE[:1000] + ": 1\n") is None
    assert fastyaml.parse("a: [" + HUGE + "]\n") is None
    # A path part of many digits (a quoted key) is looked up without int().
    positions = fastyaml.positions("a: 1\n")
    assert positions.locate((HUGE,)) == (1, 1)


def test_hundred_thousand_digit_integer_is_quick(base_repo):
    # int() of 10^5 digits would be refused; of 10^6 it is quadratic on Pythons without the limit.
    (base_repo / "data/risks/alpha.yaml").write_text(HEADER + "x: " + "7" * 1_000_000 + "\n", encoding="utf-8")
    run = _validate(base_repo)
    assert run.code == 1 and _found(run) == [("data/risks/alpha.yaml", 5, 4, "integer-too-long")]


# --- item 9: a key named "key" ----------------------------------------------------------------

# A top-level key "key" with a "key" below it: its key position and the inner node shared a slot.
KEY_KEY = [
    "key:\n  key: 1\n",
    "key:\n  key:\n    key: 1\n",
    "key:\n  key: [1, 2]\n",
    "key:\n  a: 1\n  key:\n    - key: x\n",
]


@pytest.mark.parametrize("tail", KEY_KEY)
@pytest.mark.parametrize("env", ENVS)
def test_nested_key_named_key_does_not_crash(base_repo, tail, env):
    (base_repo / "data/risks/alpha.yaml").write_text(HEADER + tail, encoding="utf-8")
    run = _validate(base_repo, env=env)
    assert run.code == 1
    assert all(f[3] in ("unknown-field", "missing-field") for f in _found(run)), _found(run)


@pytest.mark.parametrize("text", KEY_KEY)
def test_key_positions_and_node_paths_are_apart(text):
    positions = fastyaml.positions(text)
    assert positions is not None
    strict = load_text(text, "x.yaml", fast=False)
    assert strict.root is not None
    for path in positions.paths():
        assert positions.locate(path) == strict.locate(path), path
        assert positions.locate(path, key=True) == strict.locate(path, key=True), path
    assert any(path[-1:] == ("key",) for path in positions.paths())  # the key paths were probed


# --- echoes of the source are short and printable -------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_duplicate_key_message_quotes_a_short_excerpt(pure):
    key = "K" * 5000
    result = load_text(f'? "{key}"\n: 1\n? "{key}"\n: 2\n', "x.yaml", pure=pure)
    (d,) = result.diagnostics
    assert d.code == "duplicate-key"
    assert key not in d.message and len(d.message) < 200 and len(d.path) < 100
    result = load_text('"\\e[2J\\u202e": 1\n"\\e[2J\\u202e": 2\n', "x.yaml", pure=pure)
    (d,) = result.diagnostics
    assert "\x1b" not in d.message + d.path and "\u202e" not in d.message + d.path


@pytest.mark.parametrize("pure", PARSERS)
def test_explicit_tag_message_quotes_a_short_excerpt(pure):
    tag = "x" * 5000
    result = load_text(f"a: !<{tag}> 1\n", "x.yaml", pure=pure)
    (d,) = result.diagnostics
    assert d.code == "explicit-tag" and tag not in d.message and len(d.message) < 200


def test_fullwidth_colon_message_quotes_a_short_key(base_repo):
    key = "k" * 5000
    (base_repo / "data/risks/alpha.yaml").write_text(HEADER + key + "：1\n", encoding="utf-8")
    run = _validate(base_repo)
    (d,) = run.json()["diagnostics"]
    assert d["code"] == "fullwidth-colon" and key not in d["message"] and len(d["message"]) < 300


# --- item 14: bounded diagnostics -----------------------------------------------------------


def _many_errors(repo, items=2000):
    (repo / "data/risks/alpha.yaml").write_text(HEADER + "risks:\n" + "- {}\n" * items, encoding="utf-8")


def test_json_caps_diagnostics_per_file_and_keeps_the_count(base_repo):
    _many_errors(base_repo)  # 6 missing fields per point: 12,000 errors
    run = _validate(base_repo)
    assert run.code == 1
    doc = run.json()
    assert doc["errors"] == 12_000
    shown = doc["diagnostics"]
    assert len(shown) == MAX_PER_FILE + 1
    last = shown[-1]
    assert last["code"] == "more-diagnostics" and last["severity"] == "error"
    assert "此文件还有 11800 条问题未列出" in last["message"]
    assert last["omitted_errors"] == 11_800 and last["omitted_warnings"] == 0
    assert last["file"] == "data/risks/alpha.yaml"
    assert "omitted_errors" not in shown[0]


@pytest.mark.parametrize("fmt", ["text", "github", "junit"])
def test_every_format_is_capped(base_repo, tmp_path, fmt):
    _many_errors(base_repo)
    summary = tmp_path / "summary.md"
    # COLUMNS: whole lines, so that the cap's message is found unwrapped
    run = run_fxfk("validate", "-f", fmt, "--root", str(base_repo), env={"GITHUB_STEP_SUMMARY": str(summary), "COLUMNS": "300"})
    assert run.code == 1 and "Traceback" not in run.err
    # GitHub annotations are 10 at most anyway: the full list is the job summary's
    listing = summary.read_text(encoding="utf-8") if fmt == "github" else run.out
    assert "此文件还有 11800 条问题未列出" in listing
    assert listing.count("missing-field") <= MAX_PER_FILE * 2 and len(listing) < 200_000
    assert run.out.count("missing-field") <= MAX_PER_FILE * 2
    assert len(run.out) < 200_000
    if fmt != "junit":
        assert "12000 个错误" in run.out


def test_github_and_publish_count_the_findings_a_capped_file_stands_for(base_repo, tmp_path):
    _many_errors(base_repo)
    run = run_fxfk("validate", "-f", "github", "--root", str(base_repo), env={"GITHUB_STEP_SUMMARY": str(tmp_path / "s.md")})
    assert run.out.count("::error ") == 10
    assert "另有 11990 条问题未作注释" in run.out  # 12,000 errors, 10 annotated
    run = run_fxfk("publish", "--root", str(base_repo), "--out", str(tmp_path / "public"), "--date", "2019-12-31")
    assert run.code == 1 and "数据中有 12000 个错误" in run.err


def test_many_model_errors_are_located_only_as_far_as_shown(monkeypatch):
    """Locating every one of 30,000 errors (and building their messages) is what made this slow.

    (5,000 points: the most a register may hold; more is one too-many-items error.)
    """
    from fxfk.load.repository import _validate as validate_model
    from fxfk.models import Register

    calls = []
    original = yamlload.LoadedYaml.locate
    monkeypatch.setattr(yamlload.LoadedYaml, "locate", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    loaded = load_text(HEADER + "risks:\n" + "- {}\n" * 5_000, "x.yaml")
    assert validate_model(loaded, Register) is None
    assert len(calls) <= 2 * MAX_PER_FILE
    assert loaded.diagnostics[-1].code == "more-diagnostics"
    assert loaded.diagnostics[-1].omitted == (30_000 - (len(loaded.diagnostics) - 1), 0)


def test_many_trap_findings_are_capped(base_repo):
    # 100,000 tab-indented lines: one finding each from the loader's own checks.
    (base_repo / "data/risks/alpha.yaml").write_text(HEADER + "x:\n" + "\ty: 1\n" * 100_000, encoding="utf-8")
    run = _validate(base_repo)
    doc = run.json()
    assert run.code == 1 and doc["errors"] == 100_000 and len(doc["diagnostics"]) == MAX_PER_FILE + 1


# --- the size limit, wherever the loader reads -------------------------------------------------


def test_size_limit_applies_to_bytes_and_text():
    big = b"a: " + b"x" * (DEFAULT_MAX_BYTES + 1) + b"\n"
    assert [d.code for d in load_bytes(big, "x.yaml").diagnostics] == ["file-too-large"]
    assert [d.code for d in load_text(big.decode(), "x.yaml").diagnostics] == ["file-too-large"]
    # Characters count as their UTF-8 bytes: 2 million 3-byte characters are 6 MB.
    assert [d.code for d in load_text("a: " + "中" * 2_000_000 + "\n", "x.yaml").diagnostics] == ["file-too-large"]
    assert load_text("a: " + "中" * 1_000_000 + "\n", "x.yaml").ok


def test_read_limited_reads_no_more_than_the_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 2048)
    raw, result = yamlload.read_limited(path, "big.yaml", max_bytes=1024)
    assert raw is None and [d.code for d in result.diagnostics] == ["file-too-large"]
    raw, result = yamlload.read_limited(path, "big.yaml", max_bytes=4096)
    assert raw == b"x" * 2048 and result is None


def test_json_output_is_valid_with_hostile_keys(base_repo):
    (base_repo / "data/risks/alpha.yaml").write_text(HEADER + '"\\e]0;t\\a' + "k" * 300 + '": 1\n', encoding="utf-8")
    run = _validate(base_repo)
    assert run.code == 1
    # (the message is the model's, see model_errors; the path is built by format_path)
    for d in run.json()["diagnostics"]:
        assert len(d["path"]) < 100 and "\x1b" not in d["path"]


def test_unreadable_file_cause_is_in_chinese():
    import errno

    loaded = yamlload.unreadable("data/risks/x.yaml", PermissionError(errno.EACCES, "Permission denied"))
    message = loaded.diagnostics[0].message
    assert message.startswith("无法读取文件：") and "Permission" not in message and "权限" in message
