"""Decode backend on libVLC: one ``vlc.Instance`` per worker, video callbacks into shared memory.

libVLC's decoder threads call ``lock`` (hand out a free slot) and ``display`` (publish it at
its presentation time); both touch only the frame writer. Player events are posted to the
worker's control thread — calling libVLC from inside its own callbacks deadlocks.

Measured facts that shape the options (Debian's VLC 3.0.24, see docs/platform-notes):

- HTTP inputs get the ``prefetch`` filter with a 16 MiB ring per stream that fills over minutes:
  capped with ``--prefetch-buffer-size``.
- ``--no-audio`` still opens ALSA; ``--aout=dummy`` does not.
- ``avcodec-skip-frame=4`` discards *every* frame; 3 (non-key) is "key frames only". It is read
  when the decoder opens, so switching means restarting the player.
- The picture is re-rendered every 80 ms when no new one arrives (``VOUT_REDISPLAY_DELAY``),
  also on a stalled stream: the base class publishes only pictures that differ, and liveness
  comes from libVLC's own count of displayed pictures, which excludes those repeats.
- The software scaler defaults to bicubic; fast bilinear is cheaper and looks the same when
  shrinking to a tile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import vlc

from common.masking import mask_url
from videowall.frames import pitch_for
from videowall.player_base import PlayerBase

log = logging.getLogger("kitchenwatch.wall.worker")

INSTANCE_ARGS = [
    "--no-audio", "--aout=dummy", "--no-xlib", "--quiet", "--no-video-title-show",
    "--no-snapshot-preview", "--no-sub-autodetect-file", "--no-osd", "--avcodec-hw=none",
    "--prefetch-buffer-size=384", "--prefetch-read-size=65536", "--no-lua",
]
_instance: vlc.Instance | None = None
_instance_lock = threading.Lock()


def instance(fast_scaler: bool = True) -> vlc.Instance:
    """The worker's one libVLC instance (each costs ~30 MB; players share it)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            args = [*INSTANCE_ARGS, "--swscale-mode=0" if fast_scaler else "--swscale-mode=2"]
            _instance = vlc.Instance(args)
            if _instance is None:
                raise RuntimeError("libVLC could not be initialised (is libvlc5 installed?)")
        return _instance


class VlcPlayer(PlayerBase):
    backend = "vlc"

    def __init__(self, *args: Any, post: Callable[[tuple[str, str]], None],
                 media_factory: Callable[[vlc.Instance], vlc.Media] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._post = post
        self._media_factory = media_factory
        self._player: vlc.MediaPlayer | None = None
        self._media: vlc.Media | None = None
        width, height = self.box
        self._width, self._height = max(2, width & ~1), max(2, height & ~1)
        self._pitch = pitch_for(self._width)
        self._lock_cb = vlc.CallbackDecorators.VideoLockCb(self._on_lock)
        self._display_cb = vlc.CallbackDecorators.VideoDisplayCb(self._on_display)
        self._displayed = 0

    # -- libVLC threads: only the frame writer, never libVLC ----------------------------------
    def _on_lock(self, _opaque: int, planes: Any) -> int:
        slot = self.writer.acquire()
        planes[0] = self.slot_address(slot)
        return slot + 1

    def _on_display(self, _opaque: int, picture: int) -> None:
        if picture:
            self.finish_picture(picture - 1, self._width, self._height, self._pitch)

    def _on_event(self, event: vlc.Event) -> None:
        kind = event.type
        if kind == vlc.EventType.MediaPlayerEncounteredError:
            self._post(("vlc_error", self.id))
        elif kind == vlc.EventType.MediaPlayerEndReached:
            self._post(("vlc_ended", self.id))

    # -- control thread -----------------------------------------------------------------------
    def _options(self) -> list[str]:
        caching = max(50, self.options.network_caching_ms)
        options = [f":network-caching={caching}", f":live-caching={caching}",
                   f":file-caching={caching}",
                   f":avcodec-threads={max(1, self.options.decoder_threads)}",
                   ":avcodec-hw=none", ":no-audio", ":no-spu"]
        if self.options.skip_loop_filter:
            options.append(":avcodec-skiploopfilter=4")
        if self.options.keyframes_only:
            options.append(":avcodec-skip-frame=3")
        if self.url.lower().startswith("rtsp") and self.options.rtsp_tcp:
            options.append(":rtsp-tcp")
        return options

    def start(self) -> None:
        inst = instance(self.options.fast_scaler)
        media = self._media_factory(inst) if self._media_factory else inst.media_new(self.url)
        if media is None:
            raise ValueError(f"libVLC cannot parse the address {mask_url(self.url)}")
        for option in self._options():
            media.add_option(option)
        player = inst.media_player_new()
        player.set_media(media)
        player.video_set_callbacks(self._lock_cb, None, self._display_cb, None)
        player.video_set_format("RV32", self._width, self._height, self._pitch)
        events = player.event_manager()
        for kind in (vlc.EventType.MediaPlayerEncounteredError,
                     vlc.EventType.MediaPlayerEndReached):
            events.event_attach(kind, self._on_event)
        self._player, self._media = player, media
        self.stats.keyframes_only = self.options.keyframes_only
        if player.play() != 0:
            raise ValueError("libVLC refused to start playback")

    def poll(self, _now: float) -> None:
        """libVLC's count of displayed pictures excludes its 80 ms repeats: that is liveness."""
        media, player = self._media, self._player
        if media is None or player is None:
            return
        stats = vlc.MediaStats()
        if vlc.libvlc_media_get_stats(media, stats):
            shown = int(stats.displayed_pictures)
            while self._displayed < shown:
                self._displayed += 1
                self.count_decoded(_now)
        if self.stats.frames and self.state != "playing":
            self.set_state("playing")
        if not self.stats.src_width:
            try:
                size = player.video_get_size(0)
            except Exception:  # libVLC raises while no video track is known yet
                size = None
            if size and size[0]:
                self.stats.src_width, self.stats.src_height = int(size[0]), int(size[1])
                self.stats.codec = self._codec(media)

    @staticmethod
    def _codec(media: vlc.Media) -> str:
        for track in media.tracks_get() or []:
            if track.type == vlc.TrackType.video:
                fourcc = int(track.codec).to_bytes(4, "little").decode("ascii", "replace")
                return fourcc.strip().lower()
        return ""

    def stop(self) -> None:
        player, self._player = self._player, None
        media, self._media = self._media, None
        if player is not None:
            player.stop()
            player.release()
        if media is not None:
            media.release()

    def set_keyframes_only(self, on: bool) -> None:
        """Restart in place with the decoder option (it is only read when decoding starts)."""
        if on == self.options.keyframes_only:
            return
        self.options.keyframes_only = on
        self.stop()
        self.start()

    def snapshot(self, path: str) -> tuple[int, int]:
        player = self._player
        if player is None or not self.stats.frames:
            raise OSError("no picture decoded yet")
        if player.video_take_snapshot(0, path, 0, 0) != 0:
            raise OSError("libVLC could not take a snapshot")
        return self.stats.src_width, self.stats.src_height

    # Keep the ctypes callbacks alive as long as the object (libVLC holds raw pointers).
    def keepalive(self) -> tuple[Any, ...]:
        return (self._lock_cb, self._display_cb)
