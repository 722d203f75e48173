"""Sources libVLC cannot open itself, or only slowly (Qt-free): RTSP, RTMP, HTTP-FLV.

- Debian builds VLC with ``--disable-live555``, so its libVLC cannot play ``rtsp://`` (Windows
  and macOS builds can). :func:`libvlc_can_play_rtsp` looks for the live555 plugin once.
- libVLC 3 reads FLV (over HTTP or RTMP) through its avformat demux, which runs
  ``avformat_find_stream_info`` with FFmpeg's default 5 s analyse window on a live FLV (whose
  streams are only announced by packets): ~5.5 s before the first picture, where the FFmpeg
  path needs ~1 s. VLC 3 hands ``--avformat-options`` only to the per-stream codec options, so
  ``analyzeduration`` cannot be lowered from outside (libVLC logs it as an unknown option).

For these, :class:`RemuxToTs` pulls the stream with FFmpeg (PyAV's bundled libraries, the
FFmpeg path's short probe), remuxes it to MPEG-TS without re-encoding, flushing every packet,
and hands the bytes to libVLC through ``media_new_callbacks`` with ``:demux=ts`` — no loopback
port, no extra process, first picture as quickly as on the FFmpeg path.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import queue
import threading
from pathlib import Path
from typing import Any

import av
import av.container
import av.error
import vlc

from common.masking import mask_url
from videowall.diagnose import ffmpeg_reason, rtsp_refused_tcp

log = logging.getLogger("kitchenwatch.wall.adapters")

_UNKNOWN_SIZE = 2**64 - 1
QUEUE_CHUNKS = 512


def _plugin_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("VLC_PLUGIN_PATH"):
        dirs += [Path(p) for p in os.environ["VLC_PLUGIN_PATH"].split(os.pathsep) if p]
    if getattr(vlc, "plugin_path", None):
        dirs.append(Path(vlc.plugin_path))
    try:  # where the loaded libvlc lives decides which plugins it sees
        for line in Path("/proc/self/maps").read_text().splitlines():
            if "libvlc.so" in line and "/" in line:
                lib = Path(line[line.index("/"):].strip())
                dirs.append(lib.parent / "vlc" / "plugins")
                break
    except OSError:
        pass
    dirs += [Path("/usr/lib/x86_64-linux-gnu/vlc/plugins"), Path("/usr/lib/vlc/plugins"),
             Path("/usr/local/lib/vlc/plugins")]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


@functools.cache
def libvlc_can_play_rtsp() -> bool:
    """True when the loaded libVLC has its live555 RTSP module."""
    return any(any(d.rglob("liblive555_plugin*")) for d in _plugin_dirs())


def needs_rtsp_adapter(url: str) -> bool:
    return url.lower().startswith(("rtsp://", "rtsps://")) and not libvlc_can_play_rtsp()


def is_flv(url: str) -> bool:
    """RTMP always carries FLV; over HTTP, media platforms name FLV streams ``….flv``."""
    lowered = url.lower()
    if lowered.startswith(("rtmp://", "rtmps://", "rtmpt://")):
        return True
    path = lowered.split("?", 1)[0].split("#", 1)[0]
    return lowered.startswith(("http://", "https://")) and path.endswith(".flv")


def needs_adapter(url: str) -> bool:
    """True when libVLC should get this source remuxed by :class:`RemuxToTs`."""
    return needs_rtsp_adapter(url) or is_flv(url)


# The FFmpeg path's probe (videowall.player_ffmpeg): enough for a camera's one H.264/H.265
# stream, and short enough that the first picture is not held back by analysis.
PROBE_OPTIONS = {"probesize": "131072", "analyzeduration": "300000"}


class MonotonicClock:
    """Keeps decode timestamps increasing across a source's jumps back in time.

    A camera whose encoder restarts, or a server looping a clip, starts its timestamps over;
    FFmpeg's muxer refuses a timestamp that goes back ("non monotonically increasing dts"),
    which ended the stream for libVLC every few seconds. Such a jump is bridged by an offset
    that puts the packet one frame interval after the previous one."""

    def __init__(self) -> None:
        self._offset = 0
        self._last: int | None = None
        self._step = 1

    def shift(self, dts: int) -> int:
        """The offset to add to this packet's timestamps."""
        out = dts + self._offset
        if self._last is not None:
            if out <= self._last:
                self._offset += self._last + self._step - out
                out = self._last + self._step
            else:
                self._step = out - self._last
        self._last = out
        return self._offset


class _QueueWriter:
    """File-like sink for the MPEG-TS muxer; bytes go to the queue libVLC reads from."""

    def __init__(self, chunks: queue.Queue[bytes | None], stop: threading.Event) -> None:
        self._chunks = chunks
        self._stop = stop

    def write(self, data: bytes) -> int:
        while not self._stop.is_set():
            try:
                self._chunks.put(bytes(data), timeout=0.5)
                return len(data)
            except queue.Full:
                continue
        raise OSError("adapter closed")

    def flush(self) -> None:
        return None


class RemuxToTs:
    """One RTSP/RTMP/FLV source remuxed to MPEG-TS for one libVLC media."""

    def __init__(self, url: str, tcp: bool = True, open_timeout_s: float = 8.0) -> None:
        self.url = url
        self.tcp = tcp
        self.open_timeout_s = open_timeout_s
        self.error: str | None = None
        self.offline = False
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUE_CHUNKS)
        self._stop = threading.Event()
        self._pending = b""
        self._thread = threading.Thread(target=self._run, name="rtsp-remux", daemon=True)
        self._callbacks = (
            vlc.CallbackDecorators.MediaOpenCb(self._on_open),
            vlc.CallbackDecorators.MediaReadCb(self._on_read),
            None,
            vlc.CallbackDecorators.MediaCloseCb(self._on_close),
        )

    # -- FFmpeg side --------------------------------------------------------------------------
    def start(self) -> None:
        """Start pulling (idempotent): the worker starts it before libVLC is even loaded, so
        the source's handshake and probe overlap libVLC's start."""
        if not self._thread.is_alive() and not self._stop.is_set() and self._thread.ident is None:
            self._thread.start()

    def _run(self) -> None:
        source = None
        try:
            source = self._open()
            if not source.streams.video:
                raise ValueError("the stream carries no video")
            video = source.streams.video[0]
            # Every packet flushed at once: the default 32 KiB I/O buffer would hold a small
            # stream's first key frame back until later packets fill it.
            sink = av.open(_QueueWriter(self._chunks, self._stop), mode="w", format="mpegts",
                           options={"flush_packets": "1"}, buffer_size=4096)
            try:
                out = sink.add_stream_from_template(video)
                clock = MonotonicClock()
                for packet in source.demux(video):
                    if self._stop.is_set():
                        break
                    if packet.size == 0:
                        continue
                    if packet.dts is None:  # RTSP's first key frame often has only a pts
                        if packet.pts is None:
                            continue
                        packet.dts = packet.pts
                    shift = clock.shift(packet.dts)
                    if shift:
                        packet.dts += shift
                        if packet.pts is not None:
                            packet.pts += shift
                    packet.stream = out
                    sink.mux(packet)
            finally:
                if not self._stop.is_set():
                    sink.close()
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            if not self._stop.is_set():
                diagnosis = ffmpeg_reason(exc, self.url)
                self.error, self.offline = diagnosis.reason, diagnosis.offline
                log.info("remux adapter for %s: %s", mask_url(self.url), diagnosis.reason)
        finally:
            if source is not None:
                source.close()
            try:
                self._chunks.put_nowait(None)
            except queue.Full:
                pass

    def _open(self) -> av.container.InputContainer:
        timeout = (self.open_timeout_s, 5.0)
        rtsp = self.url.lower().startswith("rtsp")
        options = dict(PROBE_OPTIONS)
        if rtsp:
            options["rtsp_transport"] = "tcp" if self.tcp else "udp"
        try:
            return av.open(self.url, options=options, timeout=timeout)
        except av.error.FFmpegError as exc:
            if not (rtsp and self.tcp and rtsp_refused_tcp(exc)):
                raise
            log.info("%s does not offer RTSP over TCP; using UDP", mask_url(self.url))
            return av.open(self.url, options={**options, "rtsp_transport": "udp"},
                           timeout=timeout)

    # -- libVLC side (its input thread) -------------------------------------------------------
    def _on_open(self, _opaque: Any, datap: Any, sizep: Any) -> int:
        sizep.contents.value = _UNKNOWN_SIZE
        return 0

    def _on_read(self, _opaque: Any, buf: Any, length: int) -> int:
        while not self._pending:
            if self._stop.is_set():
                return -1
            try:
                chunk = self._chunks.get(timeout=0.5)
            except queue.Empty:
                continue
            if chunk is None:
                return 0 if self.error is None else -1
            self._pending = chunk
        count = min(length, len(self._pending))
        ctypes.memmove(buf, self._pending, count)
        self._pending = self._pending[count:]
        return count

    def _on_close(self, _opaque: Any) -> None:
        return None

    def media(self, inst: vlc.Instance) -> vlc.Media:
        self.start()
        open_cb, read_cb, seek_cb, close_cb = self._callbacks
        media = inst.media_new_callbacks(open_cb, read_cb, seek_cb, close_cb, None)
        if media is not None:
            media.add_option(":demux=ts")  # known: skip libVLC's probing of every demuxer
        return media

    def close(self) -> None:
        self._stop.set()
        try:
            self._chunks.put_nowait(None)
        except queue.Full:
            pass
        self._thread.join(6.0)
