"""Validating a parsed file against its model, with the model's errors as located diagnostics.

Split from :mod:`fxfk.load.repository` (which calls :func:`validate` on every file it parses).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from fxfk.diagnostics import MAX_PER_FILE, Diagnostic, omitted_line
from fxfk.load.model_errors import diagnostics_from
from fxfk.load.yamlload import LoadedYaml
from fxfk.load.yamltext import flow_list_comma_message

M = TypeVar("M", bound=BaseModel)


class _FirstErrors:
    """A ValidationError that tells only its first ``limit`` errors (all else passes through)."""

    def __init__(self, exc: ValidationError, limit: int):
        self._exc, self._limit = exc, limit

    def errors(self, *args: Any, **kwargs: Any) -> list[ErrorDetails]:
        return self._exc.errors(*args, **kwargs)[: self._limit]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._exc, name)


def _model_diagnostics(exc: ValidationError, loaded: LoadedYaml, model: type[BaseModel]) -> list[Diagnostic]:
    """The located diagnostics of ``exc``: all of them, or the first ``MAX_PER_FILE`` and a line that
    counts the rest. Locating each error and building its message is what costs (a file of a
    million ``- {}`` lines has six million): only the ones shown are.
    """
    total = exc.error_count()
    raw = 2 * MAX_PER_FILE  # a few of the first may coincide (see diagnostics_from)
    if total <= raw:
        return diagnostics_from(exc, loaded, model)
    found = diagnostics_from(_FirstErrors(exc, raw), loaded, model)  # type: ignore[arg-type]  # stands in for exc
    shown = found[:MAX_PER_FILE]
    last = shown[-1]
    return shown + [omitted_line(loaded.rel, last.line, last.column, total - raw + len(found) - len(shown), 0)]


def validate(loaded: LoadedYaml, model: type[M]) -> M | None:
    """The model of a parsed file, or None with the model's errors added to its diagnostics."""
    if loaded.data is None or loaded.diagnostics:
        return None
    try:
        result = model.model_validate(loaded.data)
    except ValidationError as exc:
        loaded.diagnostics.extend(_model_diagnostics(exc, loaded, model))
        return None
    loaded.data = None  # the model holds it now; the plain copy would only cost memory
    # The model took them as text (a boolean field would have refused them): say so.
    for line, column, word in loaded.yaml11_words:
        loaded.diagnostics.append(
            Diagnostic(
                loaded.rel, line, column, "yaml11-boolean-word", "warning", "",
                f"“{word}”没有加引号：fxfk 把它当作文字，但按 YAML 1.1 读取的工具会把它当成布尔值；"
                f"如确为文字，请写成 \"{word}\"",
            )
        )
    for line, column, item, fixed in loaded.fullwidth_commas:
        loaded.diagnostics.append(
            Diagnostic(loaded.rel, line, column, "fullwidth-comma-in-list", "warning", "", flow_list_comma_message(item, fixed))
        )
    return result
