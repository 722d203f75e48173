"""The clip a real AI box attaches to some of its events: a few seconds cut from the camera's
stream, without re-encoding, as MPEG-TS or fragmented MP4 (boxes differ; central takes both).

Cut with ffmpeg into memory: ``-ss`` before the input seeks to the key frame at or before the
start, so the clip opens on a picture; fragmented MP4 because a plain one needs a seekable
output for its index.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from common.aio import within

CLIP_SECONDS = 4.0
FORMATS = ("ts", "mp4")
_MUXERS = {"ts": ["-f", "mpegts"],
           "mp4": ["-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"]}


class ClipError(RuntimeError):
    """ffmpeg could not cut the clip; the message carries its last words."""


async def cut_clip(source: Path, start_s: float, fmt: str,
                   seconds: float = CLIP_SECONDS) -> bytes:
    """``seconds`` of ``source`` from ``start_s`` as ``fmt`` (``ts`` or ``mp4``) bytes."""
    if fmt not in _MUXERS:
        raise ValueError(f"clip format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    proc = await asyncio.create_subprocess_exec(
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-ss", f"{start_s:.3f}",
        "-i", str(source), "-t", f"{seconds:.3f}", "-map", "0:v:0", "-c", "copy",
        *_MUXERS[fmt], "pipe:1", stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    try:
        out, err = await within(proc.communicate(), 30)
    except TimeoutError:
        proc.kill()  # a stalled cut must not leave an ffmpeg behind
        await proc.wait()
        raise ClipError(f"cutting a clip from {source.name} took more than 30 s") from None
    if proc.returncode != 0 or not out:
        raise ClipError(f"cutting a clip from {source.name} failed: "
                        f"{err.decode(errors='replace').strip()[-300:] or 'no output'}")
    return out
