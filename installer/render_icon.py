"""Render the SVG icon to PNG files with Qt's own SVG renderer (no system tool needed).

``python installer/render_icon.py OUT_DIR`` writes ``kitchenwatch.png`` (256 px) and
``kitchenwatch-<size>.png`` for the desktop icon theme sizes. Exits non-zero when the SVG does
not render (a broken icon must fail the build, not ship as an empty square).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SVG = Path(__file__).with_name("kitchenwatch.svg")
SIZES = (16, 32, 48, 64, 128, 256)


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
    return [main, *written]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icon")
    for path in render(target):
        print(path)
