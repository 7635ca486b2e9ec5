"""What must never be published: personal numbers in free text (laws not in force: ``fxfk.rules.laws``).

The detector itself is :mod:`fxfk.rules.personal_data`. Here it is applied twice: to every public field
(diagnostics located at the field, so the user can jump there) and to the rendered public files
(a custom template can write a number, or put two harmless fields side by side). ``fxfk publish``
refuses to write anything while there are any.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from fxfk.diagnostics import Diagnostic, format_path
from fxfk.load.repository import SourceFile
from fxfk.public.view import PublicText
from fxfk.rules.personal_data import Found, find_personal_numbers, may_hold_numbers, normalise, special_characters


def _position(source: SourceFile[Any], loc: tuple[str | int, ...], text: str, start: int, end: int) -> tuple[int, int]:
    line, column = source.locate(*loc)
    # A single-line plain or quoted scalar: point at the number itself, not just the field.
    if "\n" not in text:
        raw = source.path.read_text(encoding="utf-8-sig").splitlines()
        if 0 < line <= len(raw):
            found = raw[line - 1].find(text[start:end], column - 1)
            if found >= 0:
                return line, found + 1
    return line, column


def _message(found: Found) -> str:
    return f"公开内容中含有疑似{found.label}（{found.masked}）；公开清单不得披露个人信息，请删除或改写后再公布"


def scan_personal_data(texts: Iterable[PublicText]) -> Iterator[Diagnostic]:
    """An ID-card number or a mobile number in any public free text."""
    items = list(texts)
    for i in may_hold_numbers([item.text for item in items]):
        item = items[i]
        for found in find_personal_numbers(item.text):
            line, column = _position(item.source, item.loc, item.text, found.start, found.end)
            yield Diagnostic(item.source.rel, line, column, found.code, "error", format_path(item.loc), _message(found))


# ---------------------------------------------------------------------------------------------
# The rendered files

_TAG = re.compile(r"<[^>]*>")
_TEXT_NODE = re.compile(r">([^<]+)<")
_WORD_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_WORD_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
# The parts of an XLSX/DOCX that hold data; the rest (styles, themes, fonts) is fixed by fxfk.
_CONTENT_PART = re.compile(r"(?:word/(?:document|header\d*|footer\d*)|xl/(?:sharedStrings|workbook|worksheets/[^/]+)"
                           r"|docProps/(?:core|app))\.xml")


def _zip_texts(data: bytes) -> Iterator[str]:
    """The text of every content part of an XLSX/DOCX: a Word paragraph's runs joined, every other text node alone."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not _CONTENT_PART.fullmatch(name):
                continue
            xml = archive.read(name).decode("utf-8", errors="replace")
            if name.startswith("word/"):
                yield html.unescape("\n".join("".join(_WORD_TEXT.findall(p)) for p in _WORD_PARAGRAPH.findall(xml)))
            yield html.unescape("\n".join(_TEXT_NODE.findall(xml)))


_joining: re.Pattern[str] | None = None


def _joining_tag() -> re.Pattern[str]:
    """A tag that, as the space it becomes when tags are stripped, could join two digits into a number.

    Stripped, a tag is one space; a number's digits are separated by at most one space, so the tag
    must follow what can end in a digit once decoded and normalised (a digit, ``;`` or a letter ending
    an entity such as ``&#49;`` or ``&shy``, a special character such as ``１`` or a zero-width one) and
    precede what can start with one (a digit, ``&``, a special character). Without such a tag the
    stripped text holds no number the text as written does not: everywhere else the two read alike
    (a tag is ``<`` … ``>`` there, never a digit, a separator or part of an amount's words).
    """
    global _joining
    if _joining is None:
        special = "".join(re.escape(c) for c in sorted(special_characters()))
        _joining = re.compile(f"<(?<=[0-9A-Za-z;{special}]<)[^>]*>(?=[0-9&{special}])")
    return _joining


def file_texts(name: str, data: bytes | str) -> list[str]:
    """What a reader of ``name`` can see, as one or more texts to scan (``data``: its bytes, or the text
    they encode in UTF-8)."""
    if name.endswith((".xlsx", ".docx")):
        assert isinstance(data, bytes)
        return list(_zip_texts(data))
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if name.endswith((".html", ".md")):
        # As written (attributes, comments) and as displayed (tags gone, entities decoded); the
        # second only when it can hold a number the first does not (the usual file has no such tag).
        if not _joining_tag().search(text):
            return [html.unescape(text)]
        return [html.unescape(text), html.unescape(_TAG.sub(" ", text))]
    return [text]


def holds_personal_numbers(name: str, data: bytes | str) -> bool:
    """Whether the public file ``name`` with the bytes ``data`` (or the text they encode) holds a personal
    number: what ``bool(scan_rendered(folder, [name], ""))`` answers once the file is written, without
    reading it back."""
    return any(find_personal_numbers(text) for text in file_texts(name, data))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def scan_rendered(folder: Path, names: Iterable[str], shown: str, texts: Iterable[PublicText] = ()) -> list[Diagnostic]:
    """Personal numbers in the files ``names`` of ``folder``; ``shown`` is the output folder as the user named it.

    A number that is also in one public field gets the field's located diagnostic too.
    """
    problems: list[Diagnostic] = []
    fields: list[tuple[PublicText, str]] | None = None  # each public field with its normalised text
    for name in names:
        seen: set[str] = set()
        for text in file_texts(name, (folder / name).read_bytes()):
            for found in find_personal_numbers(text):
                if found.digits in seen:
                    continue
                seen.add(found.digits)
                line, column = _line_column(text, found.start) if not name.endswith((".xlsx", ".docx")) else (1, 1)
                problems.append(Diagnostic(
                    f"{shown.rstrip('/')}/{name}", line, column, found.code, "error", "",
                    f"生成的公开文件中含有疑似{found.label}（{found.masked}）；请检查自定义模板（templates/）"
                    "和公开字段，删除或改写后再公布",
                ))
                if fields is None:
                    fields = [(t, normalise(t.text)[0]) for t in texts]
                for item, norm in fields:
                    if found.digits in re.sub(r"[^0-9Xx]", "", norm):
                        problems.append(next(scan_personal_data([item]), None) or Diagnostic(
                            item.source.rel, *item.source.locate(*item.loc), found.code, "error",
                            format_path(item.loc), _message(found)))
    return problems
