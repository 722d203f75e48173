"""One wall tile: the live picture from shared memory, the camera's name, its state in words.

A tile never decodes: it acquires a :class:`~videowall.streams.Stream` from the engine at its
own size and paints the newest picture straight out of shared memory (a ``QImage`` wrapping the
slot — no copy). The wall's single timer calls :meth:`TileWidget.refresh`, which repaints only
when the frame number moved. Changing size, switching to the main stream or to key frames only
is make-before-break: the new stream is acquired, the old picture stays until the new one has a
picture, so the tile never goes black.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

from videowall.frames import Picture, fit_size
from videowall.interfaces import TileEngine
from videowall.reason_text import translate_reason
from videowall.source import TileSource
from videowall.streams import Stream
from videowall.watchdog import StreamState, StreamStatus

STATE_COLOURS = {
    StreamState.PLAYING: "#3ddc84", StreamState.CONNECTING: "#f5c542",
    StreamState.RECONNECTING: "#f59e42", StreamState.OFFLINE: "#ef4444",
    StreamState.FROZEN: "#a78bfa", StreamState.BLACK: "#9ca3af", StreamState.IDLE: "#6b7280",
}
BACKGROUND = QColor("#111827")
ALARM_PEN = QPen(QColor("#ef4444"), 4)
SELECTED_PEN = QPen(QColor("#38bdf8"), 2)
GRID_PEN = QPen(QColor("#000000"), 1)
GRID_COLOUR = QColor("#000000")
RESIZE_SETTLE_S = 0.3
IDLE_STATUS = StreamStatus()


class TileWidget(QWidget):
    """Paints one stream; the owning wall drives refreshes, sizes and the governor."""

    status_changed = Signal(str, object)   # camera_id, StreamStatus
    double_clicked = Signal(int)
    clicked = Signal(int)
    drag_requested = Signal(int)
    context_menu_requested = Signal(int, QPoint)

    def __init__(self, index: int, engine: TileEngine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.engine = engine
        self.source: TileSource | None = None
        self.main_stream = False
        self.full_rate = False        # a view never degraded (alarm panel): main decoder
        self.keyframes_only = False   # the governor's decision
        self._background = False      # hidden behind a maximised tile
        self._stream: Stream | None = None
        self._pending: Stream | None = None
        self._images: dict[tuple[str, int, int, int, int], QImage] = {}
        self._painted = 0
        self._torn = False
        self.shown = 0                # distinct pictures painted (delivered-fps accounting)
        self._alarm = False
        self._alarm_phase = False
        self._selected = False
        self._overlay: QWidget | None = None
        self._size_dirty_at: float | None = None
        self._press: QPoint | None = None
        self._label_cache: tuple[tuple[Any, ...], QPixmap] | None = None
        self._state_cache: tuple[tuple[Any, ...], QPixmap] | None = None
        self._countdown = -1
        # No paintEvent and not opaque: an update() here repaints the wall beneath, which
        # paints the tile (see VideoWall.paintEvent); the tile itself only takes input.
        self.setMinimumSize(48, 27)

    # -- what to play -------------------------------------------------------------------------
    def set_source(self, source: TileSource | None, main: bool = False) -> None:
        if source == self.source and main == self.main_stream and (
                self._stream is not None or source is None):
            return
        same_camera = source is not None and self.source is not None and \
            source.camera_id == self.source.camera_id and self._stream is not None
        self.source, self.main_stream = source, main
        self._label_cache = None  # the band names the camera and the stream
        if source is None:
            self._drop_pending()
            self._set_current(None)
        elif same_camera:
            self._open_pending()    # same camera, other stream: keep the picture meanwhile
        else:
            self._drop_pending()
            self._set_current(self._acquire())  # another camera: never show the old one
        self.update()

    def release(self) -> None:
        self.source = None  # first: a tile let go is not news for the camera's health
        self._drop_pending()
        self._set_current(None)

    def decode_size(self) -> tuple[int, int]:
        """The tile in device pixels, shrunk to the source's size once that is known.

        Pictures are never decoded larger than the source (Qt stretches the rest), so a big
        tile on a small sub stream does not reserve memory for pixels it will never get.
        """
        ratio = self.devicePixelRatioF()
        width, height = max(16, int(self.width() * ratio)), max(16, int(self.height() * ratio))
        stream = self._stream
        if stream is not None and self.source is not None and \
                stream.url == self.source.url(self.main_stream) and stream.status.width:
            width, height = fit_size(stream.status.width, stream.status.height, width, height)
        return max(16, width), max(16, height)

    def _acquire(self) -> Stream | None:
        if self.source is None:
            return None
        width, height = self.decode_size()
        stream = self.engine.acquire(self.source.url(self.main_stream), width, height,
                                     full_rate=self.main_stream or self.full_rate)
        if self._wants_keyframes() and stream.refs == 1:
            self.engine.set_keyframes_only(stream, True)
        return stream

    def _wants_keyframes(self) -> bool:
        return (self.keyframes_only or self._background) and not self.main_stream

    def _set_current(self, stream: Stream | None) -> None:
        old = self._stream
        if old is stream:
            return
        if old is not None:
            if self._on_status in old.listeners:
                old.listeners.remove(self._on_status)
            self._images.clear()
            self.engine.release(old)
        self._stream = stream
        self._painted = 0
        self._label_cache = None
        if stream is not None:
            stream.listeners.append(self._on_status)
            self._emit(stream.status)
        else:
            self._emit(IDLE_STATUS)

    def _open_pending(self) -> None:
        self._drop_pending()
        stream = self._acquire()
        if stream is self._stream:
            if stream is not None:
                self.engine.release(stream)  # already what we show
            return
        self._pending = stream
        if stream is not None and stream.has_picture() and stream.status.live:
            self._promote()

    def _drop_pending(self) -> None:
        if self._pending is not None:
            self.engine.release(self._pending)
            self._pending = None

    def _promote(self) -> None:
        pending, self._pending = self._pending, None
        self._set_current(pending)
        self.update()

    def _on_status(self, stream: Stream, status: StreamStatus) -> None:
        if stream is self._stream:
            self._emit(status)

    def _emit(self, status: StreamStatus) -> None:
        self._state_cache = None
        self._label_cache = None
        if self.source is not None:
            self.status_changed.emit(self.source.camera_id, status)
        self.update()

    # -- state for the outside ----------------------------------------------------------------
    @property
    def stream(self) -> Stream | None:
        return self._stream

    @property
    def player(self) -> Stream | None:
        """The stream shown (``frames``, ``poll_source_size()``); kept for older callers."""
        return self._stream

    @property
    def status(self) -> StreamStatus:
        return self._stream.status if self._stream is not None else IDLE_STATUS

    @property
    def painted_number(self) -> int:
        """Frame number of the picture last painted from the current stream; 0 until the
        current camera's first picture is on screen (reset when the tile changes stream).

        What the operator sees, not what was decoded: ``bench/wall.py`` times a page switch
        until every tile has painted its new camera."""
        return self._painted

    def has_live_picture(self) -> bool:
        stream = self._stream
        return stream is not None and stream.has_picture() and stream.status.state in (
            StreamState.PLAYING, StreamState.CONNECTING, StreamState.FROZEN, StreamState.BLACK)

    def decode_area(self) -> int:
        stream = self._stream
        return stream.key.width * stream.key.height if stream is not None else 0

    # -- driven by the wall -------------------------------------------------------------------
    def refresh(self, now: float) -> None:
        """Called by the wall's timer (50 Hz): repaint only what changed. Hot path: 64 tiles
        × 50 calls a second, so the common case is one shared-memory read."""
        stream = self._stream
        if stream is not None:
            if stream.reader.latest_number() != self._painted or self._torn:
                self._torn = False
                self.update()
            if self._pending is None and stream.watchdog.status.next_retry_at is None and \
                    not self._alarm and self._size_dirty_at is None:
                return
        pending = self._pending
        if pending is not None and pending.has_picture() and (
                pending.status.live or self._stream is None or not self._stream.status.live):
            self._promote()
        status = self.status
        if status.next_retry_at is not None:
            remaining = int(max(0.0, status.next_retry_at - now) + 0.999)
            if remaining != self._countdown:
                self._countdown = remaining
                self._state_cache = None
                self.update()
        if self._alarm:
            phase = int(now * 2) % 2 == 0
            if phase != self._alarm_phase:
                self._alarm_phase = phase
                self.update()
        if self._size_dirty_at is not None and now - self._size_dirty_at >= RESIZE_SETTLE_S:
            self._size_dirty_at = None
            self.apply_size()

    def apply_size(self) -> None:
        """Ask for pictures at the new size when it differs enough from what is decoded."""
        stream = self._pending or self._stream
        if stream is None or self.source is None or not self.isVisible():
            return
        want_w, want_h = self.decode_size()
        have_w, have_h = stream.key.width, stream.key.height
        if abs(want_w - have_w) <= max(16, have_w // 8) and \
                abs(want_h - have_h) <= max(16, have_h // 8):
            return
        self._open_pending()

    def set_keyframes_only(self, on: bool) -> None:
        """Governor's decision; main streams (a maximised tile) always run at full rate."""
        if on != self.keyframes_only:
            self.keyframes_only = on
            self._apply_rate()

    def set_background(self, hidden: bool) -> None:
        """Behind a maximised tile: keep decoding key frames only, so restoring is instant."""
        if hidden != self._background:
            self._background = hidden
            self._apply_rate()

    def _apply_rate(self) -> None:
        wanted = self._wants_keyframes()
        for stream in (self._stream, self._pending):
            if stream is not None and stream.refs == 1:  # never throttle a shared stream
                self.engine.set_keyframes_only(stream, wanted)
        self._label_cache = None
        self.update()

    # -- appearance ---------------------------------------------------------------------------
    def set_alarm(self, active: bool) -> None:
        self._alarm = active
        self._alarm_phase = True
        self.update()

    @property
    def alarm(self) -> bool:
        return self._alarm

    def set_selected(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    @property
    def selected(self) -> bool:
        return self._selected

    def set_overlay(self, widget: QWidget | None) -> None:
        """Host a small widget (e.g. a sensor gauge) in the top-right corner."""
        if self._overlay is not None and self._overlay is not widget:
            self._overlay.setParent(None)
        self._overlay = widget
        if widget is not None:
            widget.setParent(self)
            self._place_overlay()
            widget.show()

    @property
    def overlay(self) -> QWidget | None:
        return self._overlay

    def _place_overlay(self) -> None:
        if self._overlay is not None:
            hint = self._overlay.sizeHint()
            w = min(hint.width(), self.width() // 2)
            h = min(hint.height(), self.height() // 2)
            self._overlay.setGeometry(self.width() - w - 4, 4, w, h)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_overlay()
        self._label_cache = None
        self._state_cache = None
        if self._stream is not None or self._pending is not None:
            self._size_dirty_at = time.monotonic()

    def sizeHint(self) -> QSize:
        return QSize(320, 180)

    # -- painting -----------------------------------------------------------------------------
    def _image(self, stream: Stream, picture: Picture) -> QImage:
        key = (stream.id, picture.slot, picture.width, picture.height, picture.pitch)
        image = self._images.get(key)
        if image is None:
            if len(self._images) > 12:
                self._images.clear()
            view = stream.buffer.slot_view(picture.slot)
            image = QImage(view, picture.width, picture.height, picture.pitch,
                           QImage.Format.Format_RGB32)
            self._images[key] = image
        return image

    @staticmethod
    def _fit(rect: QRect, width: int, height: int) -> QRect:
        """Letterbox a ``width × height`` picture into ``rect`` (2 px slack: fill instead)."""
        if width <= 0 or height <= 0:
            return rect
        scale = min(rect.width() / width, rect.height() / height)
        w, h = round(width * scale), round(height * scale)
        if abs(w - rect.width()) <= 2 and abs(h - rect.height()) <= 2:
            return rect
        return QRect(rect.x() + (rect.width() - w) // 2, rect.y() + (rect.height() - h) // 2,
                     w, h)

    def paint(self, painter: QPainter) -> None:
        """Paint the tile at the painter's origin (the wall translates to our position).

        The wall paints every tile in its own ``paintEvent``: one Python paint call per
        repaint pass instead of one per tile, which is most of the UI's cost at 64 tiles.
        """
        rect = self.rect()
        drew = False
        stream = self._stream
        if stream is not None:
            reader = stream.reader
            picture = reader.begin()
            if picture is not None:
                if picture.width == rect.width() and picture.height == rect.height():
                    painter.drawImage(0, 0, self._image(stream, picture))
                else:
                    target = self._fit(rect, picture.width, picture.height)
                    if target != rect:
                        painter.fillRect(rect, Qt.GlobalColor.black)
                    painter.drawImage(target, self._image(stream, picture))
                if not reader.end(picture):
                    self._torn = True
                if picture.number != self._painted:
                    self._painted = picture.number
                    self.shown += 1
                drew = True
        if not drew:
            painter.fillRect(rect, BACKGROUND)
        if self.source is None:
            self._paint_empty(painter, rect)
        else:
            # The band is rebuilt only after something it shows changed (every such change
            # drops the cache): no key to build and compare ~1000 times a second.
            cached = self._label_cache
            label = cached[1] if cached is not None else self._label()
            painter.drawPixmap(0, rect.height() - label.height(), label)
            if stream is None or stream.status.state is not StreamState.PLAYING:
                state = self._state_pixmap(drew)
                if state is not None:
                    painter.drawPixmap((rect.width() - state.width()) // 2,
                                       max(4, (rect.height() - state.height()) // 3), state)
        self._paint_border(painter, rect)

    def grab(self, rect: QRect | None = None) -> QPixmap:
        """What the tile looks like on screen (the wall paints it, so ask the wall)."""
        parent = self.parentWidget()
        if parent is None:
            return super().grab(rect or QRect(0, 0, -1, -1))
        area = self.geometry() if rect is None else rect.translated(self.pos())
        return parent.grab(area)

    def _font(self, scale: float, minimum: int = 11, maximum: int = 18) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(minimum, min(maximum, int(self.height() * scale))))
        return font

    def _paint_empty(self, painter: QPainter, rect: QRect) -> None:
        painter.setPen(QColor("#6b7280"))
        painter.setFont(self._font(0.08))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Drop a camera here"))

    def _label(self) -> QPixmap:
        """Name band at the bottom (business · camera), cached until something changes."""
        assert self.source is not None
        status = self.status
        flags = []
        if self.main_stream:
            flags.append(self.tr("main"))
        if status.keyframes_only:
            flags.append(self.tr("key frames only"))
        key = (self.source.title, self.width(), self.height(), status.state, tuple(flags))
        if self._label_cache is not None and self._label_cache[0] == key:
            return self._label_cache[1]
        font = self._font(0.075)
        metrics = QFontMetrics(font)
        band_h = min(self.height(), metrics.height() + 6)
        # Only the band, not a tile-sized layer: compositing costs per pixel, every frame.
        pixmap = QPixmap(max(1, self.width()), max(1, band_h))
        pixmap.fill(QColor(0, 0, 0, 150))
        p = QPainter(pixmap)
        band = QRect(0, 0, self.width(), band_h)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(STATE_COLOURS.get(status.state, "#9ca3af")))
        p.setPen(Qt.PenStyle.NoPen)
        dot = max(3, metrics.height() // 3)
        p.drawEllipse(QPoint(8, band.center().y()), dot, dot)
        p.setFont(font)
        suffix = ("  [" + " · ".join(flags) + "]") if flags else ""
        text = metrics.elidedText(self.source.title + suffix, Qt.TextElideMode.ElideRight,
                                  max(10, band.width() - 22))
        p.setPen(QColor("#f9fafb"))
        p.drawText(band.adjusted(16, 0, -4, 0),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        p.end()
        self._label_cache = (key, pixmap)
        return pixmap

    def state_text(self) -> str:
        """The stream's state in words (empty while it plays normally)."""
        status = self.status
        state = status.state
        wait = ""
        if status.next_retry_at is not None:
            seconds = max(0, int(status.next_retry_at - time.monotonic() + 0.999))
            wait = self.tr("next try in %1 s").replace("%1", str(seconds))
        if state == StreamState.CONNECTING:
            return self.tr("Connecting…")
        if state == StreamState.RECONNECTING:
            head = self.tr("Reconnecting (attempt %1)").replace("%1", str(max(1, status.attempt)))
            if wait:
                head += ", " + wait
            return head + ("\n" + translate_reason(status.reason) if status.reason else "")
        if state == StreamState.OFFLINE:
            text = self.tr("Offline: %1").replace("%1", translate_reason(status.reason))
            return text + ("\n" + wait if wait else "")
        if state == StreamState.FROZEN:
            return self.tr("Frozen picture: %1").replace("%1", translate_reason(status.reason))
        if state == StreamState.BLACK:
            return self.tr("Black picture: lens covered or camera dark")
        if state == StreamState.IDLE and self.source is not None:
            return self.tr("Connecting…")
        return ""

    def _state_pixmap(self, over_picture: bool) -> QPixmap | None:
        text = self.state_text()
        if not text:
            return None
        key = (text, self.width(), self.height(), over_picture)
        if self._state_cache is not None and self._state_cache[0] == key:
            return self._state_cache[1]
        font = self._font(0.07)
        metrics = QFontMetrics(font)
        box_w = max(40, self.width() - 16)
        bounds = metrics.boundingRect(QRect(0, 0, box_w - 8, self.height()),
                                      Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter,
                                      text)
        height = min(self.height() - 8, bounds.height() + 8)
        pixmap = QPixmap(box_w, max(8, height))
        pixmap.fill(QColor(0, 0, 0, 150) if over_picture else Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setFont(font)
        colour = STATE_COLOURS.get(self.status.state, "#f9fafb")
        p.setPen(QColor("#f9fafb") if self.status.state == StreamState.CONNECTING
                 else QColor(colour).lighter(130))
        p.drawText(QRect(4, 4, box_w - 8, pixmap.height() - 8),
                   Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter, text)
        p.end()
        self._state_cache = (key, pixmap)
        return pixmap

    def _paint_border(self, painter: QPainter, rect: QRect) -> None:
        if self._alarm and self._alarm_phase:
            painter.setPen(ALARM_PEN)
            painter.drawRect(rect.adjusted(2, 2, -2, -2))
        elif self._selected:
            painter.setPen(SELECTED_PEN)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        else:  # the grid line between tiles: right and bottom edges only (filled rectangles
            # are the raster engine's fast path; a pen's line goes through the stroker)
            right, bottom = rect.right(), rect.bottom()
            painter.fillRect(right, 0, 1, bottom + 1, GRID_COLOUR)
            painter.fillRect(0, bottom, right, 1, GRID_COLOUR)

    # -- input --------------------------------------------------------------------------------
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit(self.index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        self.clicked.emit(self.index)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (self._press is not None and event.buttons() & Qt.MouseButton.LeftButton
                and self.source is not None
                and (event.position().toPoint() - self._press).manhattanLength()
                >= QApplication.startDragDistance()):
            self._press = None
            self.drag_requested.emit(self.index)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu_requested.emit(self.index, event.globalPos())
