"""Decode backend on FFmpeg (PyAV): demux, decode, scale straight into shared memory.

The wall's default backend. Measured here on 16 live 640×360 H.264 streams scaled to 320×180,
it costs ~0.9 ms a frame against ~1.07 ms for libVLC with the same options: libVLC's own
pipeline (input, decoder and output threads, its clock, the 80 ms redisplay) costs about as
much as the decoding itself. It also reads RTSP natively (Debian's libVLC cannot), names
errors precisely (HTTP 503, connection refused), and can switch to key frames only while
running. One thread per stream; PyAV releases the GIL while FFmpeg reads, decodes and scales.

Pictures are paced by their timestamps (the first one at once), so a burst of cached frames
from a media server plays at normal speed instead of flashing past.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from typing import Any

import av
import av.container
import av.error
from av.video.reformatter import Interpolation, VideoReformatter

from common.masking import mask_url
from videowall.diagnose import ffmpeg_reason, rtsp_refused_tcp
from videowall.frames import fit_size, pitch_for
from videowall.player_base import PlayerBase
from videowall.swscale import Scaler

log = logging.getLogger("kitchenwatch.wall.worker")

READ_TIMEOUT_S = 5.0
MAX_EARLY_S = 1.0   # a picture due later than this means a timestamp jump: re-anchor
MAX_LATE_S = 1.0    # a picture later than this: we fell behind, re-anchor instead of racing
SLEEP_MAX_S = 0.25  # waits up to this long sleep; longer ones wake at once when stopped


class FfmpegPlayer(PlayerBase):
    backend = "ffmpeg"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._keyframes_wanted = self.options.keyframes_only
        self._last_frame: av.VideoFrame | None = None
        self._anchor: float | None = None
        self._time_base = 0.0
        self._source = (0, 0)
        self._target = (0, 0, 0)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"ffmpeg-{self.id}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(READ_TIMEOUT_S + 2.0)
            if thread.is_alive():
                raise TimeoutError(f"player {self.id} did not stop")
        self._last_frame = None

    def set_keyframes_only(self, on: bool) -> None:
        self._keyframes_wanted = on

    # -- decoding thread ----------------------------------------------------------------------
    def _container_options(self, tcp: bool) -> dict[str, str]:
        options = {"probesize": "131072", "analyzeduration": "300000",
                   "user_agent": "KitchenWatch"}
        scheme = self.url.split(":", 1)[0].lower()
        if scheme.startswith("rtsp"):
            options["rtsp_transport"] = "tcp" if tcp else "udp"
            options.pop("user_agent")
        elif not scheme.startswith("http"):
            options.pop("user_agent")
        return options

    def _open(self) -> av.container.InputContainer:
        """Open the source; RTSP prefers TCP and falls back to UDP when the camera refuses it."""
        timeout = (self.options.open_timeout_s, READ_TIMEOUT_S)
        tcp = self.options.rtsp_tcp
        try:
            return av.open(self.url, options=self._container_options(tcp), timeout=timeout)
        except av.error.FFmpegError as exc:
            if not (tcp and self.url.lower().startswith("rtsp") and rtsp_refused_tcp(exc)):
                raise
            log.info("%s does not offer RTSP over TCP; using UDP", mask_url(self.url))
            return av.open(self.url, options=self._container_options(False), timeout=timeout)

    def _run(self) -> None:
        try:
            self._play()
        except (av.error.FFmpegError, OSError, ValueError, UnicodeError) as exc:
            if self._stop.is_set():
                return
            diagnosis = ffmpeg_reason(exc, self.url)
            log.info("stream %s failed: %s", mask_url(self.url), diagnosis.reason)
            self.set_state("error", diagnosis.reason, diagnosis.offline)
        except Exception as exc:  # a decoder bug must end this stream, never the worker
            if not self._stop.is_set():
                log.exception("stream %s crashed", mask_url(self.url))
                self.set_state("error", f"decoder failure ({type(exc).__name__})")

    def _play(self) -> None:
        container = self._open()
        scaler = Scaler(fast=self.options.fast_scaler)
        try:
            if self._stop.is_set():
                return
            if not container.streams.video:
                self.set_state("error", "the stream carries no video", offline=True)
                return
            stream = container.streams.video[0]
            codec = stream.codec_context
            codec.thread_count = max(1, self.options.decoder_threads)
            if self.options.skip_loop_filter:
                codec.options = {"skip_loop_filter": "all"}
            keyframes_only = self._keyframes_wanted
            codec.skip_frame = "NONKEY" if keyframes_only else "DEFAULT"
            self.stats.codec = codec.name or ""
            self._time_base = float(stream.time_base) if stream.time_base else 0.0
            self.stats.keyframes_only = keyframes_only
            reformatter = VideoReformatter()
            interpolation = (Interpolation.FAST_BILINEAR if self.options.fast_scaler
                             else Interpolation.BICUBIC)
            for packet in container.demux(stream):
                if self._stop.is_set():
                    return
                if self._keyframes_wanted != keyframes_only and (
                        self._keyframes_wanted or packet.is_keyframe):
                    # Back to full rate only at a key frame: P-frames need their references.
                    keyframes_only = self._keyframes_wanted
                    codec.skip_frame = "NONKEY" if keyframes_only else "DEFAULT"
                    self.stats.keyframes_only = keyframes_only
                for frame in codec.decode(packet):
                    self._show(frame, scaler, reformatter, interpolation)
                    if self._stop.is_set():
                        return
            if not self._stop.is_set():
                self.set_state("ended", "the source ended the stream")
        finally:
            scaler.close()
            container.close()

    def _show(self, frame: av.VideoFrame, scaler: Scaler, reformatter: VideoReformatter,
              interpolation: Interpolation) -> None:
        self.count_decoded()
        self._last_frame = frame
        source = (frame.width, frame.height)
        if source != self._source:
            self._source = source
            self.stats.src_width, self.stats.src_height = source
            width, height = fit_size(frame.width, frame.height, *self.box)
            self._target = (width, height, pitch_for(width))
        width, height, pitch = self._target
        self._pace(frame)
        if self._stop.is_set():
            return
        slot = self.writer.acquire()
        dst = self.slot_address(slot)
        if not (scaler.available and scaler.scale(frame, dst, width, height, pitch)):
            picture = reformatter.reformat(frame, width, height, "bgra",
                                           interpolation=interpolation, threads=1)
            plane = picture.planes[0]
            if plane.line_size == pitch:
                ctypes.memmove(dst, plane.buffer_ptr, pitch * height)
            else:
                row, src, step = width * 4, plane.buffer_ptr, plane.line_size
                for y in range(height):
                    ctypes.memmove(dst + y * pitch, src + y * step, row)
        # FFmpeg hands out each picture once, so no repeat check is needed (unlike libVLC).
        self.publish(slot, width, height, pitch)
        if self.state != "playing":
            self.set_state("playing")

    def _pace(self, frame: av.VideoFrame) -> None:
        pts = frame.pts
        if pts is None or not self._time_base:
            return
        stamp = pts * self._time_base  # not frame.time: Fraction arithmetic on every picture
        now = time.monotonic()
        if self._anchor is None:
            self._anchor = now - stamp
        delay = self._anchor + stamp - now
        if delay > MAX_EARLY_S or delay < -MAX_LATE_S:
            self._anchor = now - stamp
            return
        if delay > 0.002:
            # One wait per picture: without it a burst of cached frames flashes past and
            # network jitter reaches the screen. A live stream waits before nearly every
            # picture (the next one is already read), ~1000 times a second on a 64-tile
            # wall, so the wait must be cheap: time.sleep costs ~35 µs of CPU here against
            # ~70 µs for Event.wait (a lock allocated and a condition per call). A player
            # being stopped finishes such a sleep first (a quarter second at most).
            if delay <= SLEEP_MAX_S:
                time.sleep(delay)
            else:
                self._stop.wait(delay)

    # -- snapshot (control thread's helper) ---------------------------------------------------
    def snapshot(self, path: str) -> tuple[int, int]:
        frame = self._last_frame
        if frame is None:
            raise OSError("no picture decoded yet")
        rgb = frame.reformat(format="rgb24")
        encoder = av.CodecContext.create("png", "w")
        encoder.width, encoder.height = rgb.width, rgb.height
        encoder.pix_fmt = "rgb24"
        packets = list(encoder.encode(rgb)) + list(encoder.encode(None))
        if not packets:
            raise OSError("the PNG encoder produced nothing")
        with open(path, "wb") as out:
            for packet in packets:
                out.write(bytes(packet))
        return rgb.width, rgb.height
