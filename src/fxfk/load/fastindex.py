"""Where the nodes of a file read by :mod:`fxfk.load.fastyaml` start, as libyaml's marks say.

Split from the reader: it fills an :class:`Index` as it reads (down to a depth, see
:func:`fxfk.load.fastyaml.shallow_positions`); :class:`Positions` walks it like libyaml's node tree.
"""

from __future__ import annotations

from typing import Any, TypeAlias

# No number in a data file needs more digits; int() of more is refused by Python (over 4,300) or
# slow (quadratic), so longer ones are an error of the strict loader ("integer-too-long").
MAX_INT_DIGITS = 100

# A node's path from the root: keys and item numbers.
Path: TypeAlias = tuple[Any, ...]
_MISSING = object()


class Index:
    """Where nodes start (path -> (kind, line, column)) and, apart, where keys do (path -> (line, column)).

    Apart, because a key's path may look like any node's: ``key:\n  key: 1``.
    """

    __slots__ = ("nodes", "keys", "depth")

    def __init__(self, depth: int = 1 << 30) -> None:
        self.nodes: dict[Path, tuple[str, int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        # Nodes nested deeper than this are recorded where they start, not inside (see shallow_positions).
        self.depth = depth


def inside(index: Index | None, depth: int, path: Path, kind: str, line: int, column: int) -> Index | None:
    """The index to record a block node's insides in: None below ``index.depth``, whose start is
    recorded here exactly as the reader would record it on entering it."""
    if index is None or depth <= index.depth:
        return index
    index.nodes[path] = (kind, line, column)
    return None


class Positions:
    """Where each node of a file starts, as libyaml's marks say, for files :func:`fxfk.load.fastyaml.parse` reads.

    ``locate`` walks a path exactly as :meth:`fxfk.load.yamlload.LoadedYaml.locate` walks libyaml's node
    tree (``tests/test_fastyaml.py`` compares the two on every node): composing that tree costs
    ~14 ms for a big register; this index, ~5 ms, and far less memory.
    """

    def __init__(self, index: Index):
        self._index = index.nodes
        self._keys = index.keys

    def locate(self, loc: tuple[int | str, ...], key: bool = False) -> tuple[int, int]:
        index = self._index
        path: Path = ()
        kind, line, column = index[()]
        for i, part in enumerate(loc):
            if kind == "m":
                found = next((p for p in _key_candidates(part) if path + (p,) in index), _MISSING)
                if found is _MISSING:
                    if isinstance(part, str) and part.startswith("discretion-"):
                        continue  # pydantic's union tag, not a key
                    break
                path += (found,)
                if key and i == len(loc) - 1:
                    line, column = self._keys[path]
                    break
                kind, line, column = index[path]
            elif kind == "s":
                if not isinstance(part, int):
                    continue  # a union tag inside a list
                if path + (part,) not in index:
                    break
                path += (part,)
                kind, line, column = index[path]
            else:
                break
        return line + 1, column + 1

    def paths(self) -> list[Path]:
        """Every node's path (for the tests)."""
        return list(self._index)


def _key_candidates(part: Any) -> tuple[Any, ...]:
    # A key matches a path part equal to its value or to its text: 2017 and "2017" both find `2017:`.
    if isinstance(part, str) and part.isdigit() and part.isascii() and len(part) <= MAX_INT_DIGITS and str(int(part)) == part:
        return (part, int(part))
    return (part,)
