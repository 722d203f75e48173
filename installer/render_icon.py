"""Render the SVG icon to PNG files with Qt's own SVG renderer (no system tool needed).

``python installer/render_icon.py OUT_DIR`` writes ``kitchenwatch.png`` (256 px),
``kitchenwatch-<size>.png`` for the desktop icon theme sizes and ``kitchenwatch.ico`` (16–256 px
in one file) for the Windows program and its installer. Exits non-zero when the SVG does not
render (a broken icon must fail the build, not ship as an empty square).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).with_name("kitchenwatch.svg")
SIZES = (16, 32, 48, 64, 128, 256)
#: The sizes Windows picks from for the taskbar, Explorer views and the installer.
ICO_SIZES = (16, 32, 48, 64, 128, 256)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_ico(images: dict[int, bytes], target: Path) -> None:
    """Write a multi-size .ico whose entries are PNG images (Windows Vista and later).

    Qt writes an .ico with one size only and Pillow is not a dependency; the container is a
    6-byte header, one 16-byte directory entry per image and the PNG data.
    """
    if not images:
        raise ValueError("an .ico needs at least one image")
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = [], []
    for size in sorted(images):
        data = images[size]
        if not 1 <= size <= 256 or not data.startswith(PNG_SIGNATURE):
            raise ValueError(f"icon entry {size}: needs a PNG of 1-256 px")
        width = height = size % 256  # 0 means 256 in the directory
        entries.append(struct.pack("<BBBBHHII", width, height, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    target.write_bytes(header + b"".join(entries) + b"".join(blobs))


def read_ico(path: Path) -> dict[int, bytes]:
    """The PNG images of an .ico by size (checks what write_ico wrote; used by the tests)."""
    data = path.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1:
        raise ValueError(f"{path} is not an icon file")
    images = {}
    for i in range(count):
        width, _h, _c, _r, _p, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i)
        images[width or 256] = data[offset:offset + length]
    return images


def render(out_dir: Path, svg: Path = SVG) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not a valid SVG")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        centre = image.pixelColor(size // 2, size // 2)
        if centre.alpha() == 0:
            raise SystemExit(f"render_icon: the {size} px icon came out empty")
        target = out_dir / f"kitchenwatch-{size}.png"
        if not image.save(str(target)):
            raise SystemExit(f"render_icon: cannot write {target}")
        written.append(target)
    main = out_dir / "kitchenwatch.png"
    main.write_bytes((out_dir / "kitchenwatch-256.png").read_bytes())
    ico = out_dir / "kitchenwatch.ico"
    write_ico({size: (out_dir / f"kitchenwatch-{size}.png").read_bytes() for size in ICO_SIZES},
              ico)
    return [main, *written, ico]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icon")
    for path in render(target):
        print(path)
