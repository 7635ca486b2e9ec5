"""Turn a ValidationResult into text, JSON, GitHub Actions annotations or JUnit XML.

A small registry (``REPORTERS``) of functions over one result object; none of them prints.
"""

from __future__ import annotations

import json
import os
from typing import Callable

from fxfk.diagnostics import OMITTED, Diagnostic
from fxfk.render.escaping import gh_data, gh_property, json_text, md, md_code, terminal, xml_text
from fxfk.render.text import color as color_text
from fxfk.render.text import fit
from fxfk.rules.validation import ValidationResult

SEVERITY_LABEL = {"error": "错误", "warning": "警告"}
_STYLE = {"error": "red", "warning": "yellow"}


def diagnostic_line(d: Diagnostic, color: bool = False) -> str:
    """``file:line:col: 错误 code [path] message`` — the location first, so editors can jump to it."""
    label = SEVERITY_LABEL[d.severity]
    if color:
        label = color_text(label, _STYLE[d.severity])
    # File names and messages echo the data: a terminal must not act on them.
    path = f" [{terminal(d.path)}]" if d.path else ""
    return f"{terminal(d.location())}: {label} {d.code}{path} {terminal(d.message)}"


def summary_line(result: ValidationResult) -> str:
    return f"检查了 {result.files} 个文件：{result.errors} 个错误，{result.warnings} 个警告"


def render_text(result: ValidationResult, color: bool = False, columns: int | None = None) -> str:
    """The findings per file, then the counts; lines wrapped to ``columns`` (None: not wrapped)."""
    lines: list[str] = []
    current = None
    for d in result.diagnostics:
        if d.file != current:
            if current is not None:
                lines.append("")
            current = d.file
            lines.append(color_text(terminal(d.file), "bold") if color else terminal(d.file))
        lines.append("  " + diagnostic_line(d, color))
    if lines:
        lines.append("")
    lines.append(summary_line(result))
    return fit("\n".join(lines) + "\n", columns)


def render_json(result: ValidationResult) -> str:
    doc = {
        "ok": result.errors == 0,
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    return json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"


GITHUB_ANNOTATION_LIMIT = 10  # GitHub shows at most 10 annotations per severity and step


def render_github(result: ValidationResult, workspace_prefix: str = "") -> str:
    """``::error file=…,line=…,col=…::`` lines for the first 10 findings of each severity."""
    lines = []
    shown = {"error": 0, "warning": 0}
    listed = 0
    for d in result.diagnostics:
        if shown[d.severity] >= GITHUB_ANNOTATION_LIMIT:
            continue
        shown[d.severity] += 1
        listed += d.code != OMITTED
        props = ",".join(
            [
                f"file={gh_property(workspace_prefix + d.file)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={gh_property(d.code)}",
            ]
        )
        lines.append(f"::{d.severity} {props}::{gh_data(d.message)}")
    # Count findings, not lines: a file's "more-diagnostics" line stands for many.
    hidden = result.errors + result.warnings - listed
    if hidden:
        lines.append(f"另有 {hidden} 条问题未作注释，完整列表见作业摘要（Job Summary）")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def render_markdown_table(result: ValidationResult) -> str:
    """The full list for ``$GITHUB_STEP_SUMMARY``."""
    status = "✅ 通过" if result.errors == 0 else "❌ 未通过"
    out = [f"### fxfk validate：{status}", "", summary_line(result), ""]
    if result.diagnostics:
        out += ["| 位置 | 级别 | 代码 | 字段 | 说明 |", "|---|---|---|---|---|"]
        for d in result.diagnostics:
            out.append(
                f"| {md_code(d.location())} | {SEVERITY_LABEL[d.severity]} | {md_code(d.code)} | {md(d.path)} | {md(d.message)} |"
            )
    return "\n".join(out) + "\n"


def github_workspace_prefix(root: str, workspace: str | None) -> str:
    """Annotations need paths relative to the checkout (``$GITHUB_WORKSPACE``, read by the CLI), not
    to the data root."""
    if not workspace:
        return ""
    rel = os.path.relpath(os.path.abspath(root), os.path.abspath(workspace))
    if rel == "." or rel.startswith(".."):
        return ""
    return rel.replace(os.sep, "/") + "/"


def _junit_files(result: ValidationResult) -> list[str]:
    # With paths selected, result.files counts only those: then only files with findings are known
    # to be in the selection, and files without findings are left out rather than guessed.
    files = {d.file for d in result.diagnostics}
    repo = result.loaded_repo
    if result.files == len(repo.files):
        files |= {f.rel for f in repo.files}
    return sorted(files)


def render_junit(result: ValidationResult, strict: bool = False) -> str:
    """JUnit XML for Jenkins and GitLab: one testsuite per file, one testcase per rule that fired
    in it (a file without findings has one passing testcase). Errors — and warnings under
    ``strict`` — are failures carrying ``file:line:col`` and the message; other warnings go to
    ``system-out``. No timestamps or durations: the same data gives the same bytes.
    """
    from xml.etree import ElementTree as ET

    by_file: dict[str, dict[str, list[Diagnostic]]] = {}
    for d in result.diagnostics:
        by_file.setdefault(d.file, {}).setdefault(d.code, []).append(d)
    root = ET.Element("testsuites", name="fxfk validate")
    total_tests = total_failures = 0
    for rel in _junit_files(result):
        suite = ET.SubElement(root, "testsuite", name=xml_text(rel))
        codes = by_file.get(rel, {})
        tests = failures = 0
        rules: list[str | None] = [*sorted(codes)] or [None]  # None: the one passing testcase
        for code in rules:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=xml_text(rel), name=code or "全部规则", file=xml_text(rel))
            found = codes.get(code, []) if code else []
            failing = [d for d in found if d.severity == "error" or strict]
            if failing and code is not None:  # (only a rule's testcase has findings)
                failures += 1
                first = failing[0]
                # XML 1.0 cannot carry most control characters: escape them (diagnostic_line already does).
                failure = ET.SubElement(case, "failure", type=code, message=xml_text(terminal(f"{first.location()}: {first.message}")))
                failure.text = xml_text("\n".join(diagnostic_line(d) for d in failing))
            rest = [d for d in found if d not in failing]
            if rest:
                ET.SubElement(case, "system-out").text = xml_text("\n".join(diagnostic_line(d) for d in rest))
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


REPORTERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
}
