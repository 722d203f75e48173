"""One playback picture through libVLC (the full-rate path), painted by Qt.

libVLC decodes into a buffer of ours through its video callbacks (``RV32`` at the pane's
size), so the picture is painted by Qt like every other picture of the console, also on an
off-screen display; ``picture`` is emitted for each new frame. libVLC's threads call
``_lock``/``_display``: they only touch the buffer and emit a queued signal (calling libVLC from
its own callbacks deadlocks). The wall's decode workers (videowall/player_vlc.py) are left
alone: a playback window is an interactive player with seek, rate and frame step, which the
wall's worker protocol does not carry.

Addresses are logged only through :func:`common.masking.mask_url` (a signed address's ``sig``
is a credential).
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import vlc
from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from common.masking import mask_url
from console.playback.sources import PlayAddress
from videowall.player_vlc import INSTANCE_ARGS

log = logging.getLogger("kitchenwatch.playback.vlc")

#: The decoded size; libVLC scales to it (a playback pane is at most a quarter of a screen
#: in the 2×2 view, full size in the single view).
WIDTH, HEIGHT = 960, 540
_instance: vlc.Instance | None = None
_instance_lock = threading.Lock()


def instance() -> vlc.Instance:
    """The console's one libVLC instance for playback."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = vlc.Instance([*INSTANCE_ARGS, "--swscale-mode=2"])
            if _instance is None:
                raise RuntimeError("libVLC could not be initialised (is libvlc5 installed?)")
        return _instance


class _Bridge(QObject):
    frame = Signal()
    ended = Signal(str)


class VlcPlayback:
    """A libVLC player with video callbacks into a buffer; ``image()`` is the last picture."""

    def __init__(self) -> None:
        self.player = instance().media_player_new()
        self.bridge = _Bridge()
        self._buf = (ctypes.c_uint8 * (WIDTH * HEIGHT * 4))()
        self._ptr = ctypes.cast(self._buf, ctypes.c_void_p)
        self._lock_cb = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._unlock_cb = vlc.CallbackDecorators.VideoUnlockCb(self._on_unlock)
        self._display_cb = vlc.CallbackDecorators.VideoDisplayCb(self._on_display)
        self.player.video_set_callbacks(self._lock_cb, self._unlock_cb, self._display_cb, None)
        self.player.video_set_format("RV32", WIDTH, HEIGHT, WIDTH * 4)
        self._mutex = threading.Lock()
        self.frames = 0
        self.address: PlayAddress | None = None
        self.opened_at = 0.0
        self.first_frame_s: float | None = None
        events = self.player.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerEncounteredError,
                            lambda _e: self.bridge.ended.emit("error"))
        events.event_attach(vlc.EventType.MediaPlayerEndReached,
                            lambda _e: self.bridge.ended.emit("end"))

    # libVLC threads ------------------------------------------------------------------------
    def _on_lock(self, _opaque: Any, planes: Any) -> Any:
        self._mutex.acquire()
        planes[0] = self._ptr
        return None

    def _on_unlock(self, _opaque: Any, _picture: Any, _planes: Any) -> None:
        self._mutex.release()

    def _on_display(self, _opaque: Any, _picture: Any) -> None:
        self.frames += 1
        if self.first_frame_s is None:
            self.first_frame_s = time.monotonic() - self.opened_at
        self.bridge.frame.emit()

    # GUI thread ----------------------------------------------------------------------------
    def image(self) -> QImage:
        with self._mutex:
            return QImage(bytes(self._buf), WIDTH, HEIGHT, WIDTH * 4,
                          QImage.Format.Format_RGB32).copy()

    def open(self, address: PlayAddress, speed: float = 1.0, paused: bool = False) -> None:
        """Play ``address`` from its offset (libVLC seeks inside a clip that answers ranges)."""
        self.address = address
        self.frames = 0
        self.first_frame_s = None
        self.opened_at = time.monotonic()
        media = instance().media_new(address.url)
        media.add_option(":network-caching=300")
        if address.offset_s > 0:
            media.add_option(f":start-time={address.offset_s:.3f}")
        log.info("playback opens %s at +%.1f s", mask_url(address.url), address.offset_s)
        self.player.set_media(media)
        self.player.play()
        self.player.set_rate(speed)
        if paused:
            self.player.set_pause(1)

    def at(self) -> datetime | None:
        """The instant of the picture shown (None: nothing playing yet)."""
        if self.address is None or self.frames == 0:
            return None
        ms = self.player.get_time()
        if ms is None or ms < 0:
            return None
        return self.address.origin + timedelta(milliseconds=ms)

    def seek_within(self, at: datetime) -> bool:
        """Move inside the open address when ``at`` is in it (no new address needed)."""
        if self.address is None or self.address.external or at < self.address.origin:
            return False
        self.frames = 0
        self.first_frame_s = None
        self.opened_at = time.monotonic()
        self.player.set_time(int((at - self.address.origin).total_seconds() * 1000))
        return True

    def set_rate(self, speed: float) -> None:
        self.player.set_rate(speed)

    def set_paused(self, paused: bool) -> None:
        self.player.set_pause(1 if paused else 0)

    def next_frame(self) -> None:
        self.player.next_frame()

    def stop(self) -> None:
        self.address = None
        self.frames = 0
        self.player.stop()

    def release(self) -> None:
        self.player.stop()
        self.player.release()


class PlaybackPane(QWidget):
    """One camera's picture in the playback window, with its name and an honest state:
    a picture, "loading", "no recording" (a gap: never a black tile) or an error."""

    painted = Signal()  # a new picture was painted

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.state = ""  # text shown over the pane when there is no picture
        self.picture: QImage | None = None
        self.vlc = VlcPlayback()
        self.vlc.bridge.frame.connect(self._new_frame, Qt.ConnectionType.QueuedConnection)
        self.setMinimumSize(240, 135)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _new_frame(self) -> None:
        if self.vlc.address is None:
            return
        self.picture = self.vlc.image()
        self.state = ""
        self.repaint()
        self.painted.emit()

    def show_state(self, text: str) -> None:
        """No picture: say why (the last picture is dropped, so nothing stale is shown)."""
        self.picture = None
        self.state = text
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101418"))
        if self.picture is not None:
            target = self.rect()
            scaled = self.picture.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (target.width() - scaled.width()) // 2
            y = (target.height() - scaled.height()) // 2
            painter.drawImage(QRect(x, y, scaled.width(), scaled.height()), self.picture)
        elif self.state:
            painter.save()
            painter.setPen(QColor("#c8ccd0"))
            font = painter.font()
            font.setPointSize(14)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.state)
            painter.restore()
        painter.setPen(QColor("#ffffff"))
        painter.fillRect(QRect(0, 0, self.width(), 22), QColor(0, 0, 0, 140))
        painter.drawText(QRect(6, 0, self.width() - 12, 22),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         self.title)
        painter.end()

    def close_player(self) -> None:
        self.vlc.release()
