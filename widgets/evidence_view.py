"""The evidence image of an alarm with the detector's bounding box drawn on it.

AI platforms send a snapshot and a box (x, y, w, h as fractions of the image); sensor alarms
come with a pre-alarm frame instead. The box is drawn by us rather than burnt into the JPEG so
the untouched original stays available as evidence. Images are given as bytes (JPEG/PNG as
fetched by the console) or as a decoded QImage.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.theme import rule_state_color, ui_font

log = logging.getLogger("kitchenwatch.widgets.evidence")


def normalised_box(box: Mapping[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(x, y, w, h) clamped to the image, or None when absent or malformed."""
    if not box:
        return None
    try:
        x, y, w, h = (float(box[k]) for k in ("x", "y", "w", "h"))
    except (KeyError, TypeError, ValueError):
        log.warning("ignoring malformed evidence box %r", box)
        return None
    x, y = min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
    w, h = min(max(w, 0.0), 1.0 - x), min(max(h, 0.0), 1.0 - y)
    if w <= 0 or h <= 0:
        return None
    return x, y, w, h


def load_image(data: bytes | QImage | None) -> QImage | None:
    """Decode image bytes; None (with a log line) when they are not an image."""
    if data is None:
        return None
    if isinstance(data, QImage):
        return None if data.isNull() else data
    image = QImage.fromData(data)
    if image.isNull():
        log.warning("evidence image of %d bytes could not be decoded", len(data))
        return None
    return image


def image_with_box(image: QImage, box: Mapping[str, Any] | None, label: str = "") -> QImage:
    """A copy of ``image`` with the box drawn (for the evidence pack and thumbnails)."""
    out = image.convertToFormat(QImage.Format.Format_ARGB32)
    nb = normalised_box(box)
    if nb is None:
        return out
    p = QPainter(out)
    try:
        _paint_box(p, QRectF(0, 0, out.width(), out.height()), nb, label)
    finally:
        p.end()
    return out


def _paint_box(p: QPainter, target: QRectF, nb: tuple[float, float, float, float],
               label: str) -> None:
    x, y, w, h = nb
    r = QRectF(target.left() + x * target.width(), target.top() + y * target.height(),
               w * target.width(), h * target.height())
    color = rule_state_color("breach")
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(color, max(2.0, target.width() / 300)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(r)
    if label:
        font = ui_font(max(11, int(target.height() / 28)), bold=True)
        p.setFont(font)
        tw = p.fontMetrics().horizontalAdvance(label) + 8
        th = p.fontMetrics().height() + 2
        top = r.top() - th if r.top() - th >= target.top() else r.top()
        tag = QRectF(r.left(), top, tw, th)
        p.fillRect(tag, color)
        p.setPen(QColor("white"))
        p.drawText(tag, int(Qt.AlignmentFlag.AlignCenter), label)


class EvidenceView(QWidget):
    """Shows the evidence image scaled to fit, its box, a caption; a placeholder when none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._box: tuple[float, float, float, float] | None = None
        self._label = ""
        self._caption = ""
        self._unavailable = ""  # why there is no image (shown instead of the placeholder)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 120)

    def sizeHint(self) -> QSize:
        return QSize(400, 225)

    def set_image(self, data: bytes | QImage | None, box: Mapping[str, Any] | None = None,
                  label: str = "", caption: str = "") -> bool:
        """Show an image; returns False when the bytes could not be decoded."""
        self._image = load_image(data)
        self._unavailable = ""
        self._box = normalised_box(box)
        self._label = label
        self._caption = caption
        self.update()
        return self._image is not None

    def clear(self) -> None:
        self.set_image(None)

    def set_unavailable(self, reason: str) -> None:
        """No image, and why (e.g. its address is not on the central server)."""
        self.set_image(None)
        self._unavailable = reason
        self.update()

    def placeholder_text(self) -> str:
        """What is shown while there is no image."""
        return self._unavailable or self.tr("No evidence image")

    def image(self) -> QImage | None:
        return self._image

    def has_box(self) -> bool:
        return self._box is not None

    def image_rect(self) -> QRectF:
        """Where the image is painted (letterboxed, aspect kept)."""
        if self._image is None:
            return QRectF()
        area = QRectF(self.rect())
        scale = min(area.width() / self._image.width(), area.height() / self._image.height())
        w, h = self._image.width() * scale, self._image.height() * scale
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor("#1b1f24"))
            if self._image is None:
                p.setPen(QColor("#adb5bd"))
                p.setFont(ui_font(13))
                p.drawText(self.rect().adjusted(8, 8, -8, -8),
                           int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                           self.placeholder_text())
                return
            target = self.image_rect()
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self._image)
            if self._box is not None:
                _paint_box(p, target, self._box, self._label)
            if self._caption:
                p.setFont(ui_font(12))
                bar = QRectF(target.left(), target.bottom() - 22, target.width(), 22)
                p.fillRect(bar, QColor(0, 0, 0, 150))
                p.setPen(QColor("white"))
                p.drawText(bar.adjusted(6, 0, -6, 0),
                           int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                           self._caption)
        finally:
            p.end()
