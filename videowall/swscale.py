"""Scale a decoded frame straight into shared memory with FFmpeg's libswscale (Qt-free).

PyAV's ``reformat`` allocates a new frame for every picture, which the player then copies into
shared memory: a 230 KB allocation and copy per tile picture, ~1000 times a second on a 64-tile
wall. Calling ``sws_scale`` on the decoder's planes with the shared-memory slot as destination
does the colour conversion and the scaling in one pass and writes each byte once. The library
is the one PyAV itself loaded (its wheel bundles FFmpeg), reached through ctypes; when it
cannot be found the player falls back to PyAV's ``reformat``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from pathlib import Path

import av

log = logging.getLogger("kitchenwatch.wall.worker")

SWS_FAST_BILINEAR = 1
SWS_BICUBIC = 4
AV_PIX_FMT_BGRA = 28


def bundled_candidates(stem: str, platform: str = sys.platform,
                       package: Path | None = None) -> list[Path]:
    """Where PyAV's wheel keeps its own FFmpeg libraries, by the wheel's naming on each system.

    Linux wheels (auditwheel): ``av.libs/libswscale-<hash>.so.<n>``; Windows wheels
    (delvewheel): ``av.libs/swscale-<n>-<hash>.dll`` or ``swscale-<n>.dll`` beside ``av``; macOS
    wheels (delocate): ``av/.dylibs/libswscale.<n>.dylib``.
    """
    package = package or Path(av.__file__).resolve().parent
    site = package.parent
    if platform == "win32":
        places = [(site / "av.libs", f"{stem}-*.dll"), (package, f"{stem}-*.dll")]
    elif platform == "darwin":
        places = [(package / ".dylibs", f"lib{stem}.*dylib"),
                  (site / "av.libs", f"lib{stem}*.dylib")]
    else:
        places = [(site / "av.libs", f"lib{stem}-*.so*"), (site / "av.libs", f"lib{stem}.so*")]
    return [path for directory, pattern in places for path in sorted(directory.glob(pattern))]


def _load(stem: str) -> ctypes.CDLL | None:
    for candidate in bundled_candidates(stem):
        try:
            return ctypes.CDLL(str(candidate))
        except OSError:
            continue
    found = ctypes.util.find_library(stem)
    if found:
        try:
            return ctypes.CDLL(found)
        except OSError:
            return None
    return None


class _Library:
    def __init__(self) -> None:
        self.ok = False
        sws, util = _load("swscale"), _load("avutil")
        if sws is None or util is None:
            return
        try:
            self.get_context = sws.sws_getCachedContext
            self.scale = sws.sws_scale
            self.free = sws.sws_freeContext
            self.pix_fmt = util.av_get_pix_fmt
        except AttributeError:
            return
        self.get_context.restype = ctypes.c_void_p
        self.get_context.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        self.scale.restype = ctypes.c_int
        self.scale.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                               ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int,
                               ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int)]
        self.free.restype = None
        self.free.argtypes = [ctypes.c_void_p]
        self.pix_fmt.restype = ctypes.c_int
        self.pix_fmt.argtypes = [ctypes.c_char_p]
        self.ok = self.pix_fmt(b"bgra") == AV_PIX_FMT_BGRA


_lib: _Library | None = None


def library() -> _Library:
    global _lib
    if _lib is None:
        _lib = _Library()
        if not _lib.ok:
            # Not silent: without it every tile picture costs an extra allocation and copy.
            log.warning("PyAV's libswscale/libavutil not found (looked in %s); scaling with "
                        "PyAV's reformat, which costs more CPU per tile",
                        ", ".join(str(p) for p in bundled_candidates("swscale")) or
                        "av.libs, then the system's library path")
    return _lib


class Scaler:
    """One player's scaling context (not thread-safe: one decoding thread uses it)."""

    def __init__(self, fast: bool = True) -> None:
        self.lib = library()
        self.flags = SWS_FAST_BILINEAR if fast else SWS_BICUBIC
        self._ctx: int | None = None
        self._formats: dict[str, int] = {}
        self._src = (ctypes.c_void_p * 4)()
        self._src_stride = (ctypes.c_int * 4)()
        self._dst = (ctypes.c_void_p * 4)()
        self._dst_stride = (ctypes.c_int * 4)()

    @property
    def available(self) -> bool:
        return self.lib.ok

    def scale(self, frame: av.VideoFrame, dst: int, width: int, height: int,
              pitch: int) -> bool:
        """Write ``frame`` as BGRA ``width × height`` at address ``dst``; False if it cannot."""
        name = frame.format.name
        fmt = self._formats.get(name)
        if fmt is None:
            fmt = self._formats[name] = self.lib.pix_fmt(name.encode())
        if fmt < 0:
            return False
        ctx = self.lib.get_context(self._ctx, frame.width, frame.height, fmt, width, height,
                                   AV_PIX_FMT_BGRA, self.flags, None, None, None)
        if not ctx:
            return False
        self._ctx = ctx
        planes = frame.planes
        for i in range(4):
            if i < len(planes):
                self._src[i] = planes[i].buffer_ptr
                self._src_stride[i] = planes[i].line_size
            else:
                self._src[i] = None
                self._src_stride[i] = 0
        self._dst[0] = dst
        self._dst_stride[0] = pitch
        return self.lib.scale(ctx, self._src, self._src_stride, 0, frame.height, self._dst,
                              self._dst_stride) == height

    def close(self) -> None:
        if self._ctx:
            self.lib.free(self._ctx)
            self._ctx = None
