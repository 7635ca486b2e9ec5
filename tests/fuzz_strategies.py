"""Hypothesis strategies that damage valid data files the way editors and people do.

Used by tests/test_fuzz.py (a bounded run in CI) and scripts/fuzz_validate.py (long runs).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from conftest import CORPUS

# The files mutated: a register and the task table of the small valid corpus.
TARGETS = ["data/risks/alpha.yaml", "data/tasks/2019.yaml", "fxfk.yaml"]
NASTY = ["：", "，", "“", "”", "\u3000", "\t", "　", "&", "*", "!!python/object:os.system", "---", "- ", ": ",
         "{", "[", "]", "}", "'", '"', "\\", "#", "|", ">", "%", "@", "`", "\x00", "\ufeff", "\u2028", "…",
         "no", "yes", "010", "2019-02-30", "1e3", "~", "null", "0x1F", "高", "中风险", "\r\n"]
KEYS = ["id", "title", "level", "status", "batch", "date", "kind", "tasks", "risks", "office", "cases",
        "consultation", "deadline", "factors", "basis", "levels", "hotspot"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(TARGETS))
    raw = (CORPUS / "base" / target).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        raw = draw(_mutation(raw))
    return target, raw


def _mutation(raw: bytes):
    lines = raw.split(b"\n")
    text = raw.decode("utf-8", errors="replace")
    n = max(len(raw), 1)
    return st.one_of(
        # flipped bytes
        st.tuples(st.integers(0, n - 1), st.integers(1, 255)).map(
            lambda t: raw[: t[0]] + bytes([raw[t[0]] ^ t[1]]) + raw[t[0] + 1:] if raw else raw
        ),
        # deleted or duplicated lines
        st.integers(0, len(lines) - 1).map(lambda i: b"\n".join(lines[:i] + lines[i + 1:])),
        st.integers(0, len(lines) - 1).map(lambda i: b"\n".join(lines[: i + 1] + lines[i:])),
        # truncated file
        st.integers(0, n).map(lambda i: raw[:i]),
        # renamed keys
        st.tuples(st.sampled_from(KEYS), st.sampled_from(KEYS + ["titel", "levle", "Status", "标题"])).map(
            lambda t: text.replace(t[0] + ":", t[1] + ":", 1).encode()
        ),
        # swapped types: a scalar value replaced by a list, a mapping, a number, a boolean, nothing
        st.tuples(st.integers(0, len(lines) - 1), st.sampled_from(["[1, 2]", "{a: 1}", "12", "true", "", "null", "- x"])).map(
            lambda t: b"\n".join(
                lines[: t[0]]
                + [lines[t[0]].split(b":")[0] + b": " + t[1].encode() if b":" in lines[t[0]] else lines[t[0]]]
                + lines[t[0] + 1:]
            )
        ),
        # random Unicode, full-width punctuation and YAML syntax inserted anywhere
        st.tuples(st.integers(0, len(text)), st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=8))).map(
            lambda t: (text[: t[0]] + t[1] + text[t[0]:]).encode("utf-8", errors="surrogatepass")
        ),
        # another encoding altogether
        st.sampled_from(["gb18030", "utf-16", "latin-1"]).map(lambda enc: text.encode(enc, errors="replace")),
    )


class Sandbox:
    """One temporary copy of the corpus, reused across examples (only the target file changes)."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="fxfk-fuzz-"))
        self.repo = self.dir / "repo"
        shutil.copytree(CORPUS / "base", self.repo)

    def run(self, target: str, raw: bytes) -> tuple[int, str, str]:
        from fxfk.cli.app import main

        original = (CORPUS / "base" / target).read_bytes()
        (self.repo / target).write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main(["validate", "--format", "json", "--root", str(self.repo)])
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
        finally:
            (self.repo / target).write_bytes(original)
        return code, out.getvalue(), err.getvalue()

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def check_outcome(code: int, out: str, err: str) -> None:
    """What must hold for any input: exit 0 or 1, JSON out, every finding located, no traceback."""
    import json

    assert code in (0, 1), f"exit {code}: {err[-2000:]}"
    assert "Traceback" not in err and "内部错误" not in err, err[-2000:]
    doc = json.loads(out)
    assert doc["ok"] == (doc["errors"] == 0)
    if code == 1:
        assert doc["errors"] > 0
    for d in doc["diagnostics"]:
        assert d["file"] and d["line"] >= 1 and d["column"] >= 1, d
        assert d["message"] and d["code"], d


def same(a, b) -> bool:
    """Equal data with equal types (``True`` is not ``1``), and keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def fast_path_agrees(text: str) -> bool:
    """True when fastyaml took the text (and then the strict loader agrees), False when it stepped aside."""
    from fxfk.load import fastyaml
    from fxfk.load.yamlload import load_text

    fast = fastyaml.parse(text)
    if fast is None:
        assert fastyaml.positions(text) is None
        return False
    strict = load_text(text, "x.yaml", fast=False)
    assert not strict.diagnostics, (text, strict.diagnostics)
    assert same(fast, strict.data), (fast, strict.data)
    # Every node, and every key, is where libyaml's node tree says it is.
    positions = fastyaml.positions(text)
    assert strict.root is not None  # from now on strict.locate walks libyaml's tree
    for path in positions.paths():
        for probe in (path, path + ("discretion-tiers",), path + (999,), path + ("no-such-key",)):
            assert positions.locate(probe) == strict.locate(probe), (text, probe)
        assert positions.locate(path, key=True) == strict.locate(path, key=True), (text, path)
    return True


# Hostile shapes (issue 13), put anywhere in a valid register at any indentation: integers of
# thousands of digits (Python's int() refuses more than 4,300), a key named "key" over another
# "key", nesting deeper than any data file, and files of thousands of items or errors.
def _hostile_snippets():
    digits = st.sampled_from([101, 4300, 4301, 5000, 20000]).map(lambda n: "9" * n)
    small = st.sampled_from([101, 1000]).map(lambda n: "9" * n)  # (implicit keys: 1,024 at most)
    depth = st.integers(30, 120)
    return st.one_of(
        digits.map(lambda d: f"x: {d}"),
        digits.map(lambda d: f"x: -{d}"),
        digits.map(lambda d: f"x: [1, {d}]"),
        digits.map(lambda d: f"x: {{2018: {d}}}"),
        digits.map(lambda d: f"cases:\n  2018: {d}"),
        digits.map(lambda d: f"? {d}\n: 1"),
        small.map(lambda d: f"{d}: 1"),
        small.map(lambda d: f"x: {{{d}: 1}}"),
        st.sampled_from(["key:\n  key: 1", "key:\n  key:\n    key: [1, 2]", "key:\n  - key: x", "- key:\n    key: 1"]),
        depth.map(lambda n: "\n".join(" " * (2 * i) + "a:" for i in range(n))),
        depth.map(lambda n: "x: " + "[" * n + "]" * n),
        depth.map(lambda n: "x: " + "{a: " * n + "1" + "}" * n),
        st.integers(500, 1500).map(lambda n: "risks:\n" + "- {}\n" * n),
        st.integers(500, 3000).map(lambda n: "x:\n" + "  - 1\n" * n),
        st.integers(200, 1000).map(lambda n: "".join(f"k{i}: {i}\n" for i in range(n))),
    )


@st.composite
def hostile(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(TARGETS))
    lines = (CORPUS / "base" / target).read_text(encoding="utf-8").split("\n")
    at = draw(st.integers(0, len(lines)))
    indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6]))
    snippet = "\n".join(indent + line if line else line for line in draw(_hostile_snippets()).split("\n"))
    if draw(st.booleans()):
        lines = lines[:at] + [snippet] + lines[at:]
    else:
        lines = [snippet]  # the snippet is the whole file
    return target, "\n".join(lines).encode("utf-8")
