"""The report's charts as PNG for the DOCX, drawn with Pillow from the very SVG the HTML shows.

Why Pillow: its wheels carry FreeType, zlib and libpng, so ``pip install`` needs no system library
(cairo-based SVG renderers do), it is small next to matplotlib, and it is maintained. The charts are
our own SVG in a small subset — ``rect``, ``line`` and ``text`` with absolute coordinates — so this
module reads that subset rather than rasterising SVG in general: one chart definition, two pictures.

The PNG is the same bytes on every run with the same Pillow (no timestamp or text chunks; the basic
layout engine, not raqm, which depends on system libraries). CJK text needs a CJK font: the usual
places of Noto/Source Han Sans, WenQuanYi, Microsoft YaHei/SimHei and PingFang are tried; without one
the chart is still drawn, its labels in Pillow's own font (CJK characters then show as boxes), and
:func:`chart_png` says so, so the report can print a note under the picture.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont, ImageFont

SCALE = 2  # 760 px charts drawn at 1520 px: sharp on paper at the 156 mm text width (about 250 dpi)
_NS = "{http://www.w3.org/2000/svg}"

# (file, preferred face name in a collection); first found wins
FONT_FILES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf", ""),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", ""),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", ""),
    ("C:/Windows/Fonts/msyh.ttc", "Microsoft YaHei"),
    ("C:/Windows/Fonts/simhei.ttf", ""),
    ("/System/Library/Fonts/PingFang.ttc", "PingFang SC"),
    ("/System/Library/Fonts/STHeiti Light.ttc", ""),
)
BOLD_FILES = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc": "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
}


class Png(NamedTuple):
    data: bytes
    width: int  # pixels, at SCALE
    height: int
    cjk_font: bool  # False: no CJK font on this machine, Chinese labels drawn as boxes


def _face_index(path: str, wanted: str) -> int:
    """The index of ``wanted`` in a font collection (0 for a single font or when absent)."""
    from PIL import ImageFont

    if not wanted or not path.lower().endswith(".ttc"):
        return 0
    for index in range(16):
        try:
            font = ImageFont.truetype(path, 12, index=index)
        except OSError:
            break
        if font.getname()[0] == wanted:
            return index
    return 0


@lru_cache(maxsize=1)
def find_font(candidates: tuple[tuple[str, str], ...] = FONT_FILES) -> tuple[str, int, str, int] | None:
    """(regular file, face index, bold file, face index) of the first CJK font found, or None."""
    for path, face in candidates:
        if Path(path).is_file():
            bold = BOLD_FILES.get(path, path)
            bold = bold if Path(bold).is_file() else path
            return path, _face_index(path, face), bold, _face_index(bold, face)
    return None


@lru_cache(maxsize=64)
def _font(size: int, bold: bool, found: tuple[str, int, str, int] | None) -> FreeTypeFont | ImageFont:
    from PIL import ImageFont

    if found is None:
        return ImageFont.load_default(size)
    path, index = (found[2], found[3]) if bold else (found[0], found[1])
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


def _num(value: str | None) -> float:
    return float(value) * SCALE if value else 0.0


def chart_png(svg: str, found: tuple[str, int, str, int] | None | bool = True) -> Png:
    """Draw a chart of :mod:`fxfk.report.charts` (its SVG) as a PNG; ``found``: True looks the font up."""
    from PIL import Image, ImageDraw

    font_file = find_font() if found is True else found or None
    root = ET.fromstring(svg)
    width, height = int(_num(root.get("width"))), int(_num(root.get("height")))
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}  # x at left/middle/right, y on the baseline
    for el in root.iter():
        tag = el.tag.removeprefix(_NS)
        if tag == "rect":
            x, y = _num(el.get("x")), _num(el.get("y"))
            w, h = _num(el.get("width")), _num(el.get("height"))
            if w > 0 and h > 0:
                draw.rectangle((x, y, x + w - 1, y + h - 1), fill=el.get("fill", "#000000"))
        elif tag == "line":
            draw.line((_num(el.get("x1")), _num(el.get("y1")), _num(el.get("x2")), _num(el.get("y2"))),
                      fill=el.get("stroke", "#000000"), width=SCALE)
        elif tag == "text":
            size = int(float(el.get("font-size", "13")) * SCALE)
            font = _font(size, el.get("font-weight") == "bold", font_file)
            draw.text((_num(el.get("x")), _num(el.get("y"))), el.text or "", fill=el.get("fill", "#1f2328"),
                      font=font, anchor=anchors.get(el.get("text-anchor", "start"), "ls"))
    buf = io.BytesIO()
    # no pnginfo, no time chunk: the same chart gives the same bytes; dpi only states the scale
    image.save(buf, "PNG", optimize=False, compress_level=9, dpi=(96 * SCALE, 96 * SCALE))
    return Png(buf.getvalue(), width, height, font_file is not None)
