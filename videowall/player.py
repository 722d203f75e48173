"""One libVLC player rendering into a frame buffer at the tile's size.

libVLC's decoder threads call ``lock``/``display``; those callbacks only touch the buffer and a
counter, never Qt and never libVLC itself (calling libVLC from its own callbacks deadlocks).
Player events are turned into flags that the UI thread reads on its next watchdog tick.
``stop()`` on a dead network stream can hang, so it runs on a helper thread with a deadline.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import vlc

from videowall.source import mask_url

log = logging.getLogger("kitchenwatch.wall.player")

_STOPPER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="vlc-stop")
INSTANCE_ARGS = ["--no-audio", "--no-xlib", "--quiet", "--no-video-title-show",
                 "--no-snapshot-preview", "--no-stats", "--no-sub-autodetect-file",
                 "--avcodec-hw=none"]
_instance: vlc.Instance | None = None
_instance_lock = threading.Lock()


def instance() -> vlc.Instance:
    """One libVLC instance for the process (creating one per player costs ~30 MB each)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = vlc.Instance(INSTANCE_ARGS)
            if _instance is None:
                raise RuntimeError("libVLC could not be initialised (is libvlc5 installed?)")
        return _instance


@dataclass
class PlayerOptions:
    network_caching_ms: int = 300
    decoder_threads: int = 1
    skip_loop_filter: bool = True  # invisible at tile size, saves ~20 % decode time
    keyframes_only: bool = False


class FramePlayer:
    """Decodes one URL into ``self.frame`` (BGRA, ``width × height``)."""

    def __init__(self, width: int, height: int) -> None:
        self.width = max(16, width - width % 2)
        self.height = max(16, height - height % 2)
        self.pitch = self.width * 4
        self._buffer = (ctypes.c_ubyte * (self.pitch * self.height))()
        self.frame = np.frombuffer(self._buffer, dtype=np.uint8).reshape(
            self.height, self.width, 4)
        self.frames = 0
        self.error: str | None = None
        self.ended = False
        self.source_size: tuple[int, int] = (0, 0)
        self._blocks: np.ndarray | None = None
        self._changes = 0
        self._player: vlc.MediaPlayer | None = None
        self._lock_cb = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._unlock_cb = vlc.CallbackDecorators.VideoUnlockCb(self._on_unlock)
        self._display_cb = vlc.CallbackDecorators.VideoDisplayCb(self._on_display)
        self._address = ctypes.cast(self._buffer, ctypes.c_void_p).value

    # -- libVLC threads ------------------------------------------------------------------
    def _on_lock(self, _opaque: int, planes: ctypes.Array) -> None:
        planes[0] = self._address
        return None

    def _on_unlock(self, _opaque: int, _picture: int, _planes: ctypes.Array) -> None:
        return None

    def _on_display(self, _opaque: int, _picture: int) -> None:
        self.frames += 1

    def _on_error(self, _event: vlc.Event) -> None:
        self.error = "the stream could not be opened or broke off"

    def _on_end(self, _event: vlc.Event) -> None:
        self.ended = True

    # -- UI thread ---------------------------------------------------------------------
    def open(self, url: str, options: PlayerOptions) -> None:
        self.close()
        self.frames = 0
        self.error = None
        self.ended = False
        media = instance().media_new(url)
        if media is None:
            raise ValueError(f"libVLC cannot parse the address {mask_url(url)}")
        media.add_option(f":network-caching={options.network_caching_ms}")
        media.add_option(f":live-caching={options.network_caching_ms}")
        media.add_option(f":avcodec-threads={options.decoder_threads}")
        if options.skip_loop_filter:
            media.add_option(":avcodec-skiploopfilter=4")
        if options.keyframes_only:
            media.add_option(":avcodec-skip-frame=4")
            media.add_option(":avcodec-skip-idct=4")
        media.add_option(":no-audio")
        player = instance().media_player_new()
        player.set_media(media)
        media.release()
        player.video_set_callbacks(self._lock_cb, self._unlock_cb, self._display_cb, None)
        player.video_set_format("RV32", self.width, self.height, self.pitch)
        events = player.event_manager()
        events.event_attach(vlc.EventType.MediaPlayerEncounteredError, self._on_error)
        events.event_attach(vlc.EventType.MediaPlayerEndReached, self._on_end)
        self._player = player
        if player.play() != 0:
            self.error = "libVLC refused to start playback"
        log.debug("opened %s at %dx%d", mask_url(url), self.width, self.height)

    def poll_source_size(self) -> tuple[int, int]:
        if self._player is not None and self.source_size == (0, 0):
            try:
                size = self._player.video_get_size(0)
            except Exception:  # libVLC raises when no video track is known yet
                size = None
            if size and size[0]:
                self.source_size = (int(size[0]), int(size[1]))
        return self.source_size

    def codec(self) -> str:
        """The video codec's FourCC as libVLC reports it (e.g. ``h264``), or ""."""
        if self._player is None:
            return ""
        media = self._player.get_media()
        if media is None:
            return ""
        for track in media.tracks_get() or []:
            if track.type == vlc.TrackType.video:
                return vlc.libvlc_media_get_codec_description(track.type, track.codec) \
                    .decode(errors="replace") or ""
        return ""

    def close(self) -> None:
        """Stop and release off the UI thread; a hung stop cannot freeze the wall."""
        player, self._player = self._player, None
        if player is None:
            return
        # Keep the callbacks alive until libVLC is done with them.
        keep = (self._lock_cb, self._unlock_cb, self._display_cb, self._buffer)

        def stop() -> None:
            player.stop()
            player.release()
            assert keep  # referenced here so the callbacks outlive the player

        _STOPPER.submit(stop)

    def signature(self) -> tuple[bytes, float]:
        """A token that changes only when the picture really changes, and the mean luminance.

        Block means over a 24×32 grid cancel compression noise (a still picture re-encoded
        flickers by a level or two), while real motion or the burnt-in clock of a live camera
        moves at least one block by several levels.
        """
        rows, cols = 24, 32
        bh, bw = self.height // rows, self.width // cols
        view = self.frame[: bh * rows, : bw * cols, :3].astype(np.float32)
        blocks = view.reshape(rows, bh, cols, bw, 3).mean(axis=(1, 3))
        if self._blocks is None or float(np.abs(blocks - self._blocks).max()) > 6.0:
            self._changes += 1
            self._blocks = blocks
        return self._changes.to_bytes(8, "little"), float(blocks.mean())
