"""Diagnostics are values: every problem fxfk finds is one of these, never an exception.

Reporters (text, JSON, GitHub annotations) turn a list of them into output; the exit code is
derived from their severities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str  # relative to the data root, with forward slashes
    line: int  # 1-based; 1 when the problem concerns the whole file
    column: int  # 1-based; 1 when the problem concerns the whole file
    code: str  # stable, kebab-case, e.g. "duplicate-key"
    severity: Severity = field(compare=False)
    path: str = field(compare=False, default="")  # field path, e.g. "risks[3].basis[0].law"
    message: str = field(compare=False, default="")  # Chinese: what is wrong, what is expected

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def format_path(loc: tuple) -> str:
    """("risks", 3, "basis", 0, "law") -> "risks[3].basis[0].law"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def count(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return errors, len(diagnostics) - errors
