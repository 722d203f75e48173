"""Guards against the PySide6 6.12.0 regression that decrements ``None``'s reference count on
every call of a Python virtual override and on ``QPainter.drawImage`` (platform-notes.md): a
wall repainting 64 tiles at 25 Hz would die with ``Fatal Python error: none_dealloc``."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget


class _Painted(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.image = QImage(32, 18, QImage.Format.Format_RGB32)
        self.image.fill(0x336699)
        self.paints = 0

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.drawImage(self.rect(), self.image)
        painter.end()
        self.paints += 1


def test_repainting_keeps_none_refcount_stable(qtbot) -> None:
    widget = _Painted()
    qtbot.addWidget(widget)
    widget.resize(64, 36)
    widget.show()
    qtbot.waitExposed(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.grab()  # renders through paintEvent on every platform, offscreen too
    after = sys.getrefcount(None)
    assert widget.paints >= 2000
    # A healthy binding leaves None's count where it was (give or take other activity);
    # the broken one loses at least one reference per repaint.
    assert before - after < 200, f"None refcount fell by {before - after} over 2000 repaints"
