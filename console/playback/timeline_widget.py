"""The playback timeline: one row per camera with recorded ranges (green), gaps (grey), evidence
locks (amber band) and alarm marks (red ticks), the play head, the export marks, a time scale.

Click to seek; drag the play head to scrub (the seek happens on release, as in Smart Client, so
a drag does not open a dozen addresses); drag empty space to pan; the wheel zooms around the
cursor. All arithmetic is :class:`console.playback.timeline.TimelineWindow`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.playback.timeline import DayTrack, Span, TimelineWindow

SCALE_H = 22
ROW_H = 18
LABEL_W = 120
RANGE = QColor("#2e9d5b")
GAP = QColor("#3a3f45")
LOCK = QColor("#e0a526")
MARK = QColor("#e5484d")
HEAD = QColor("#ffffff")
IN_OUT = QColor("#4aa3ff")


class TimelineWidget(QWidget):
    """Draws ``tracks`` over ``window``; emits ``seek_requested`` with the chosen instant."""

    seek_requested = Signal(object)  # datetime
    view_changed = Signal()

    def __init__(self, day: Span, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_model = TimelineWindow(day, width=800)
        self.tracks: list[DayTrack] = []
        self.names: list[str] = []
        self.head: datetime | None = None
        self.mark_in: datetime | None = None
        self.mark_out: datetime | None = None
        self._drag_from: float | None = None
        self._scrub: bool = False
        self.setMinimumHeight(SCALE_H + ROW_H * 1 + 8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_tracks(self, tracks: Sequence[DayTrack], names: Sequence[str]) -> None:
        self.tracks, self.names = list(tracks), list(names)
        self.setFixedHeight(SCALE_H + ROW_H * max(1, len(self.tracks)) + 8)
        self.update()

    def set_head(self, at: datetime) -> None:
        self.head = at
        if not self._scrub:
            self.window_model.follow(at)
        self.update()

    # geometry --------------------------------------------------------------------------------
    def _bar_width(self) -> int:
        return max(self.width() - LABEL_W - 8, 10)

    def resizeEvent(self, event: object) -> None:
        self.window_model.width = self._bar_width()
        super().resizeEvent(event)  # type: ignore[arg-type]

    def x_to_time(self, x: float) -> datetime:
        return self.window_model.time_at(x - LABEL_W)

    def time_to_x(self, at: datetime) -> float:
        return LABEL_W + self.window_model.x_of(at)

    # input -----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if x < LABEL_W:
            return
        head_x = self.time_to_x(self.head) if self.head is not None else -100
        self._scrub = abs(x - head_x) <= 6
        self._drag_from = x

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        x = event.position().x()
        if self._scrub:
            self.head = self.x_to_time(x)
        else:
            self.window_model.pan_pixels(x - self._drag_from)
            self._drag_from = x
            self.view_changed.emit()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        x = event.position().x()
        moved = abs(x - self._drag_from) > 3
        if self._scrub or not moved:
            self.seek_requested.emit(self.x_to_time(x))
        self._drag_from = None
        self._scrub = False

    def wheelEvent(self, event: QWheelEvent) -> None:
        anchor = self.x_to_time(event.position().x())
        if event.angleDelta().y() > 0:
            self.window_model.zoom_in(anchor)
        else:
            self.window_model.zoom_out(anchor)
        self.view_changed.emit()
        self.update()

    def zoom(self, step: int) -> None:
        anchor = self.head if self.head is not None else None
        self.window_model.zoom_to(self.window_model.zoom + step, anchor)
        self.view_changed.emit()
        self.update()

    # painting --------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        self.window_model.width = self._bar_width()
        model = self.window_model
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1b1f24"))
        p.setPen(QColor("#9aa4ae"))
        span_s = model.span.total_seconds()
        fmt = "%H:%M" if span_s > 600 else "%H:%M:%S"
        for tick in model.ticks():
            x = self.time_to_x(tick)
            p.drawLine(QPointF(x, SCALE_H - 6), QPointF(x, self.height()))
            if x + 40 > self.width():
                continue  # a label that would be cut at the right edge
            p.drawText(QRectF(x + 3, 0, 80, SCALE_H - 4),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       tick.astimezone().strftime(fmt))
        for row, track in enumerate(self.tracks):
            y = SCALE_H + row * ROW_H + 2
            name = self.names[row] if row < len(self.names) else track.camera_id
            p.setPen(QColor("#d8dde2"))
            p.drawText(QRectF(4, y, LABEL_W - 8, ROW_H - 2),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       p.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                  LABEL_W - 8))
            full = QRectF(LABEL_W, y + 3, model.width, ROW_H - 6)
            p.fillRect(full, GAP)
            for a, b in model.visible(track.ranges):
                p.fillRect(QRectF(LABEL_W + a, y + 3, max(b - a, 1.0), ROW_H - 6), RANGE)
            for a, b in model.visible(track.locks):
                p.fillRect(QRectF(LABEL_W + a, y + 1, max(b - a, 1.0), 3), LOCK)
            p.setPen(QPen(MARK, 2))
            for mark in track.marks:
                if model.start <= mark.at < model.end:
                    x = self.time_to_x(mark.at)
                    p.drawLine(QPointF(x, y), QPointF(x, y + ROW_H - 2))
        for edge in (self.mark_in, self.mark_out):
            if edge is not None and model.start <= edge < model.end:
                p.setPen(QPen(IN_OUT, 2, Qt.PenStyle.DashLine))
                x = self.time_to_x(edge)
                p.drawLine(QPointF(x, SCALE_H), QPointF(x, self.height()))
        if self.head is not None and model.start <= self.head < model.end:
            p.setPen(QPen(HEAD, 2))
            x = self.time_to_x(self.head)
            p.drawLine(QPointF(x, 2), QPointF(x, self.height()))
        p.end()
