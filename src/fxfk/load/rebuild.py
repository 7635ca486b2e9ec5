"""Full models, one at a time, of registers loaded with their facts only.

``fxfk validate`` needs only the facts of 150,000 points; commands that draw whole points (report,
publish) take each register's full model when they come to it and drop it after, instead of
holding every model at once (~2 GB on a province's data). See ``SourceFile.load_model``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from fxfk.errors import FxfkError
from fxfk.load.cache import FileCache
from fxfk.load.repository import FileKind, SourceFile, parse_file
from fxfk.load.yamlload import read_limited


def full_model(kind: FileKind[Any], cache: FileCache | None, digest: str | None, source: SourceFile[Any],
               fields: type[BaseModel] | None = None) -> Any:
    """The full model of a file that was clean when loaded: the cached data of the bytes it was loaded
    from (``digest``, when read from the cache: the same snapshot as its facts), else of the file
    now, else the file parsed again. ``fields``: a slice of the model to validate the data as instead
    (the file parsed again gives the full model, which has every field of it)."""
    model = fields or kind.model
    if cache is not None and digest is not None:
        data = cache.get(digest, "d")
        if data is not None:
            return model.model_validate(data)
    raw = read_limited(source.path, source.rel, kind.max_bytes)[0]
    data = cache.get(cache.digest(raw), "d") if cache is not None and raw is not None else None
    if data is not None:
        return model.model_validate(data)
    full = parse_file(source.rel, source.path, raw, FileKind(kind.model, kind.max_bytes, kind.pure))[0] if raw else None
    if full is None or full.model is None:  # it was valid a moment ago
        raise FxfkError(f"“{source.rel}”在 fxfk 运行期间被修改或删除；请重新运行")
    return full.model
