"""One wall tile: the picture, the camera's name, and the stream's state in words."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from videowall.diagnose import explain_async
from videowall.player import FramePlayer, PlayerOptions
from videowall.source import TileSource, mask_url
from videowall.watchdog import StreamState, StreamStatus, Watchdog

STATE_COLOURS = {
    StreamState.PLAYING: QColor("#3ddc84"),
    StreamState.CONNECTING: QColor("#f5c542"),
    StreamState.RECONNECTING: QColor("#f59e42"),
    StreamState.OFFLINE: QColor("#ef4444"),
    StreamState.FROZEN: QColor("#a78bfa"),
    StreamState.BLACK: QColor("#9ca3af"),
    StreamState.IDLE: QColor("#6b7280"),
}


class TileWidget(QWidget):
    """Paints the player's frame buffer; the wall drives repaints and watchdog ticks."""

    status_changed = Signal(str, object)  # camera_id, StreamStatus
    double_clicked = Signal(int)
    clicked = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.source: TileSource | None = None
        self.main_stream = False
        self.player: FramePlayer | None = None
        self.watchdog = Watchdog()
        self.options = PlayerOptions()
        self._painted_frames = -1
        self._alarm = False
        self._selected = False
        self._overlay: QWidget | None = None
        self._pending_size = False
        self._diagnosis = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(64, 36)
        self.setMouseTracking(False)

    # -- what to play ---------------------------------------------------------------
    def set_source(self, source: TileSource | None, main: bool = False) -> None:
        if source == self.source and main == self.main_stream and self.player is not None:
            return
        self._stop()
        self.source, self.main_stream = source, main
        self.watchdog = Watchdog()
        if source is not None:
            self._start()
        self.update()

    def _start(self) -> None:
        assert self.source is not None
        url = self.source.url(self.main_stream)
        self.player = FramePlayer(self.width(), self.height())
        self.watchdog.opened(time.monotonic())
        if not url:
            self._fail("this camera has no stream address", offline=True)
            return
        if url.split(":", 1)[0].lower() not in ("http", "https", "rtsp", "rtmp", "udp", "rtp",
                                                 "srt", "file", "mms", "hls"):
            self._fail(f"unsupported address type: {mask_url(url)[:60]}", offline=True)
            return
        try:
            self.player.open(url, self.options)
        except (ValueError, OSError) as exc:
            self._fail(str(exc), offline=True)
            return
        self._emit(self.watchdog.status)

    def _stop(self) -> None:
        self._diagnosis = None
        if self.player is not None:
            self.player.close()
            self.player = None
        self._painted_frames = -1

    def release(self) -> None:
        self._stop()
        self.source = None

    def _fail(self, reason: str, offline: bool = False) -> None:
        self._stop()
        status = self.watchdog.failed(time.monotonic(), reason, offline)
        if status:
            self._emit(status)

    def _emit(self, status: StreamStatus) -> None:
        if self.source is not None:
            self.status_changed.emit(self.source.camera_id, status)
        self.update()

    @property
    def status(self) -> StreamStatus:
        return self.watchdog.status

    # -- driven by the wall -----------------------------------------------------------
    def refresh(self) -> None:
        """Repaint only when a new frame arrived since the last paint."""
        if self.player is not None and self.player.frames != self._painted_frames:
            self.update()

    def watch(self, now: float) -> None:
        if self.source is None:
            return
        if self.player is None:
            if self.watchdog.due_for_retry(now):
                self._start()
            return
        player = self.player
        if player.error or player.ended:
            if self._diagnosis is None:
                # Ask the network why (off the UI thread); decide on a later tick.
                self._diagnosis = explain_async(self.source.url(self.main_stream))
                return
            if not self._diagnosis.done():
                return
            reason, self._diagnosis = self._diagnosis.result(), None
            self._fail(reason if player.error else "the stream ended")
            return
        signature, luma = player.signature() if player.frames else (None, None)
        width, height = player.poll_source_size()
        status, reconnect = self.watchdog.tick(now, player.frames, signature, luma, width, height)
        if reconnect:
            self._fail(reconnect)
        elif status:
            self._emit(status)
        if self._pending_size and player.frames:
            self._pending_size = False
            if abs(player.width - self.width()) > 8 or abs(player.height - self.height()) > 8:
                self._stop()
                self._start()

    # -- appearance --------------------------------------------------------------------
    def set_alarm(self, active: bool) -> None:
        self._alarm = active
        self.update()

    def set_selected(self, selected: bool) -> None:
        self._selected = selected
        self.update()

    def set_overlay(self, widget: QWidget | None) -> None:
        if self._overlay is not None:
            self._overlay.setParent(None)
        self._overlay = widget
        if widget is not None:
            widget.setParent(self)
            self._place_overlay()
            widget.show()

    def _place_overlay(self) -> None:
        if self._overlay is not None:
            hint = self._overlay.sizeHint()
            w = min(hint.width(), self.width() // 2)
            h = min(hint.height(), self.height() // 2)
            self._overlay.setGeometry(self.width() - w - 4, 4, w, h)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_overlay()
        self._pending_size = True

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = self.rect()
        player = self.player
        if player is not None and player.frames:
            image = QImage(player.frame.data, player.width, player.height, player.pitch,
                           QImage.Format.Format_RGB32)
            painter.drawImage(rect, image)
            self._painted_frames = player.frames
        else:
            painter.fillRect(rect, QColor("#111827"))
        self._paint_label(painter, rect)
        self._paint_state(painter, rect)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._alarm and int(time.monotonic() * 2) % 2 == 0:
            painter.setPen(QPen(QColor("#ef4444"), 4))
            painter.drawRect(rect.adjusted(2, 2, -2, -2))
        elif self._selected:
            painter.setPen(QPen(QColor("#38bdf8"), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        else:
            painter.setPen(QPen(QColor("#000000"), 1))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    def _font(self, scale: float) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(11, min(18, int(self.height() * scale))))
        return font

    def _paint_label(self, painter: QPainter, rect: QRect) -> None:
        if self.source is None:
            painter.setPen(QColor("#6b7280"))
            painter.setFont(self._font(0.08))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             self.tr("Drop a camera here"))
            return
        font = self._font(0.075)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        text = self.source.title + ("  [" + self.tr("main") + "]" if self.main_stream else "")
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width() - 20)
        band = QRect(0, rect.height() - metrics.height() - 6, rect.width(), metrics.height() + 6)
        painter.fillRect(band, QColor(0, 0, 0, 150))
        colour = STATE_COLOURS.get(self.status.state, QColor("#9ca3af"))
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        dot = metrics.height() // 3
        painter.drawEllipse(QPoint(8, band.center().y()), dot, dot)
        painter.setPen(QColor("#f9fafb"))
        painter.drawText(band.adjusted(16, 0, -4, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)

    def state_text(self) -> str:
        status = self.status
        state = status.state
        if state == StreamState.CONNECTING:
            return self.tr("Connecting…")
        if state == StreamState.RECONNECTING:
            wait = max(0, int((status.next_retry_at or 0) - time.monotonic() + 0.5))
            return self.tr("Reconnecting (attempt %1, next try in %2 s)\n%3").replace(
                "%1", str(status.attempt)).replace("%2", str(wait)).replace("%3", status.reason)
        if state == StreamState.OFFLINE:
            return self.tr("Offline: %1").replace("%1", status.reason)
        if state == StreamState.FROZEN:
            return self.tr("Frozen picture: %1").replace("%1", status.reason)
        if state == StreamState.BLACK:
            return self.tr("Black picture: lens covered or camera dark")
        return ""

    def _paint_state(self, painter: QPainter, rect: QRect) -> None:
        text = self.state_text()
        if not text:
            return
        painter.setFont(self._font(0.07))
        box = rect.adjusted(8, 8, -8, -rect.height() // 3)
        painter.setPen(QColor("#f9fafb"))
        painter.fillRect(box.adjusted(-4, -4, 4, 4) if self.player is not None and
                         self.player.frames else QRect(), QColor(0, 0, 0, 140))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit(self.index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.index)
        super().mousePressEvent(event)
