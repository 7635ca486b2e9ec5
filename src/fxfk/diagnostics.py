"""Diagnostics are values: every problem fxfk finds is one of these, never an exception.

Reporters (text, JSON, GitHub annotations) turn a list of them into output; the exit code is
derived from their severities.

A file shows at most :data:`MAX_PER_FILE` of them: :func:`cap_per_file` (applied by
:func:`fxfk.rules.validation.validate_repository`, which every command's diagnostics pass through) keeps
the first ones and puts one "more-diagnostics" line after them that counts the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]

# Per file, and per output: one damaged file must not bury every other finding (or fill a disk).
MAX_PER_FILE = 200
# The code of the line that stands for a file's diagnostics beyond MAX_PER_FILE.
OMITTED = "more-diagnostics"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str  # relative to the data root, with forward slashes
    line: int  # 1-based; 1 when the problem concerns the whole file
    column: int  # 1-based; 1 when the problem concerns the whole file
    code: str  # stable, kebab-case, e.g. "duplicate-key"
    severity: Severity = field(compare=False)
    path: str = field(compare=False, default="")  # field path, e.g. "risks[3].basis[0].law"
    message: str = field(compare=False, default="")  # Chinese: what is wrong, what is expected
    # For an OMITTED line: how many errors and warnings of the file it stands for.
    omitted: tuple[int, int] = field(compare=False, default=(0, 0))

    def as_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }
        if self.code == OMITTED:
            out["omitted_errors"], out["omitted_warnings"] = self.omitted
        return out

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def excerpt(text: str, limit: int = 40) -> str:
    """``text`` as a message may quote it: at most ``limit`` characters, and nothing invisible.

    Control, format (bidi) and line-separator characters are shown as ``\\uXXXX``, so a quoted key or
    value can neither steer a terminal nor reorder the message around it.
    """
    short = text if len(text) <= limit else text[:limit] + "…"
    if short.isprintable():
        return short
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in short)


def format_path(loc: tuple[str | int, ...]) -> str:
    """("risks", 3, "basis", 0, "law") -> "risks[3].basis[0].law" (keys quoted as short excerpts)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = excerpt(str(part))
            out += f".{part}" if out else part
    return out


def count(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings), counting those an OMITTED line stands for."""
    errors = warnings = 0
    for d in diagnostics:
        if d.code == OMITTED:
            errors += d.omitted[0]
            warnings += d.omitted[1]
        elif d.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def omitted_line(file: str, line: int, column: int, errors: int, warnings: int) -> Diagnostic:
    """The one line that stands for ``errors`` + ``warnings`` diagnostics of ``file`` not listed."""
    detail = "、".join(part for part in (f"{errors} 个错误" if errors else "", f"{warnings} 个警告" if warnings else "") if part)
    return Diagnostic(
        file, line, column, OMITTED, "error" if errors else "warning", "",
        f"此文件还有 {errors + warnings} 条问题未列出（{detail}）；请先修正上面列出的问题，再重新检查",
        (errors, warnings),
    )


def cap_per_file(diagnostics: Iterable[Diagnostic], limit: int = MAX_PER_FILE) -> list[Diagnostic]:
    """The first ``limit`` diagnostics of each file, in order, each file's followed by one OMITTED
    line for the rest (earlier OMITTED lines are folded into it). One pass, whatever the number.
    """
    shown: dict[str, int] = {}
    hidden: dict[str, list[int]] = {}  # file -> [errors, warnings]
    last: dict[str, int] = {}  # file -> index in out of its last kept diagnostic
    out: list[Diagnostic] = []
    for d in diagnostics:
        if d.code == OMITTED or shown.get(d.file, 0) >= limit:
            counts = hidden.setdefault(d.file, [0, 0])
            if d.code == OMITTED:
                counts[0] += d.omitted[0]
                counts[1] += d.omitted[1]
            else:
                counts[0 if d.severity == "error" else 1] += 1
            continue
        shown[d.file] = shown.get(d.file, 0) + 1
        last[d.file] = len(out)
        out.append(d)
    if not hidden:
        return out
    # Each file's OMITTED line goes right after its last kept diagnostic (at its place; at the end
    # for a file with none kept), in a second pass: inserting into the list would be quadratic.
    after: dict[int, list[str]] = {}
    for file in hidden:
        after.setdefault(last.get(file, -1), []).append(file)
    capped: list[Diagnostic] = []
    for i, d in enumerate(out):
        capped.append(d)
        for file in after.get(i, ()):
            errors, warnings = hidden[file]
            capped.append(omitted_line(file, d.line, d.column, errors, warnings))
    for file in after.get(-1, ()):
        errors, warnings = hidden[file]
        capped.append(omitted_line(file, 1, 1, errors, warnings))
    return capped
