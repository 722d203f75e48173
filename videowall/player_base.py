"""What every decode backend in a worker shares: the frame writer, counters, events (Qt-free).

A backend decodes one URL into a :class:`~videowall.frames.FrameBuffer` at a size that fits
the tile, publishing only pictures that differ from the previous one (libVLC re-renders the
last picture every 80 ms when nothing new arrives; publishing those would hide a stall and
make the UI repaint for nothing). Events go through ``emit`` to the worker's control thread,
never back into the decoder library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from videowall.frames import FrameBuffer, FrameWriter
from videowall.picture import PictureWatch
from videowall.wire import PlayerOptions, PlayerStats

log = logging.getLogger("kitchenwatch.wall.worker")

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.memcmp.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
_libc.memcmp.restype = ctypes.c_int

Emit = Callable[[dict[str, Any]], None]


class PlayerBase:
    """Shared state of one player; subclasses implement ``start``, ``stop`` and ``snapshot``."""

    backend = "base"

    def __init__(self, player_id: str, url: str, frames: FrameBuffer, box: tuple[int, int],
                 options: PlayerOptions, emit: Emit) -> None:
        self.id = player_id
        self.url = url
        self.frames = frames
        self.writer = FrameWriter(frames)
        self.box = box
        self.options = options
        self.emit = emit
        self.stats = PlayerStats(id=player_id, keyframes_only=options.keyframes_only)
        self.watch = PictureWatch()
        self.closed = threading.Event()
        self.state = "opening"
        self._decoded_times: deque[float] = deque(maxlen=64)
        self.geometry: tuple[int, int, int] = (0, 0, 0)  # of the newest published picture
        self._watched_at = 0.0
        # A ctypes view keeps one export of the mapping; released in ``release_buffer``.
        self._mapping: ctypes.Array[ctypes.c_char] | None = (
            ctypes.c_char * len(frames.buf)).from_buffer(frames.buf)
        self.base = ctypes.addressof(self._mapping)

    # -- publishing (decoder threads) ---------------------------------------------------------
    def slot_address(self, slot: int) -> int:
        return self.base + self.frames.slot_offset(slot)

    def finish_picture(self, slot: int, width: int, height: int, pitch: int) -> bool:
        """Publish ``slot`` unless it repeats the newest picture byte for byte."""
        latest = self.writer.latest_slot
        geometry = (width, height, pitch)
        if (latest >= 0 and latest != slot and geometry == self.geometry
                and _libc.memcmp(self.slot_address(slot), self.slot_address(latest),
                                 pitch * height) == 0):
            self.writer.abandon(slot)
            return False
        self.geometry = geometry
        self.writer.publish(slot, width, height, pitch)
        self.stats.frames += 1
        self.stats.last_frame_at = time.monotonic()
        return True

    def publish(self, slot: int, width: int, height: int, pitch: int) -> None:
        """Publish ``slot`` without comparing (for backends that never repeat a picture)."""
        self.geometry = (width, height, pitch)
        self.writer.publish(slot, width, height, pitch)
        self.stats.frames += 1
        self.stats.last_frame_at = time.monotonic()

    def count_decoded(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.stats.decoded += 1
        self.stats.last_decoded_at = now
        self._decoded_times.append(now)

    def measure_fps(self, now: float) -> float:
        times = [t for t in self._decoded_times if now - t <= 2.0]
        if len(times) < 2 or now - times[0] <= 0:
            return 0.0
        return round((len(times) - 1) / (times[-1] - times[0]), 1) if times[-1] > times[0] \
            else 0.0

    def set_state(self, state: str, reason: str = "", offline: bool = False) -> None:
        if state == self.state and not reason:
            return
        self.state = state
        self.emit({"ev": "state", "id": self.id, "state": state, "reason": reason,
                   "offline": offline})

    # -- periodic (control thread) ------------------------------------------------------------
    def collect(self, now: float) -> dict[str, Any]:
        """Counters for the UI; brightness and change count of the newest picture once a
        second (frozen and black take seconds to call, and 64 tiles add up)."""
        self.poll(now)
        latest = self.writer.latest_slot
        if latest >= 0 and not self.frames.closed and now - self._watched_at >= 0.95:
            self._watched_at = now
            at = self.frames.slot_offset(latest)
            width, height, pitch = self.geometry
            if width and height and self.frames.fits(width, height, pitch):
                view = self.frames.buf[at:at + pitch * height]
                try:
                    self.watch.observe(view, width, height, pitch)
                finally:
                    view.release()
        self.stats.fps = self.measure_fps(now)
        self.stats.luma = round(self.watch.luma, 1)
        self.stats.extra["changes"] = self.watch.changes
        self.stats.extra["texture"] = round(self.watch.texture, 1)
        self.stats.extra["stirs"] = self.watch.stirs
        return self.stats.to_dict()

    def poll(self, now: float) -> None:
        """Backend hook: refresh counters that the library keeps (libVLC statistics)."""

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop decoding and release the library's objects; may block (run it off-thread)."""
        raise NotImplementedError

    def set_keyframes_only(self, on: bool) -> None:
        raise NotImplementedError

    def snapshot(self, path: str) -> tuple[int, int]:
        """Write a PNG at the source's full resolution; returns its size or raises OSError."""
        raise NotImplementedError

    def release_buffer(self) -> None:
        """Drop this player's mapping of the frame buffer (after ``stop`` returned)."""
        self._mapping = None
        self.base = 0
