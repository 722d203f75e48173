"""Export the clip between two marks as an MP4 with a burnt-in watermark, Qt-free.

The watermark (camera name, time range, the exporting user) is drawn into every frame by
FFmpeg's ``drawtext``, so it survives any copy; the video is re-encoded for that reason (H.264,
``+faststart`` so a court's PC plays it at once). The file is written as ``<name>.part`` and
renamed only when FFmpeg finished cleanly: a cancelled or failed export leaves nothing behind.
Its SHA-256 is computed from the finished file; key frames for the evidence pack are taken from
it afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from common.masking import mask_text

log = logging.getLogger("kitchenwatch.playback.export")

#: A font with Chinese glyphs for the watermark (camera names are Chinese).
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf",
)


class ExportError(Exception):
    """The export failed; the message is for the user (Chinese comes from the window)."""


class ExportCancelled(ExportError):
    pass


@dataclass(frozen=True)
class Watermark:
    camera: str
    start: datetime
    end: datetime
    user: str

    def text(self) -> str:
        local_a, local_b = self.start.astimezone(), self.end.astimezone()
        return (f"{self.camera}  {local_a:%Y-%m-%d %H:%M:%S} - {local_b:%H:%M:%S}  "
                f"export: {self.user}")


@dataclass(frozen=True)
class Exported:
    path: Path
    sha256: str
    bytes: int
    duration_s: float


def font_file() -> str | None:
    return next((f for f in FONT_CANDIDATES if os.path.isfile(f)), None)


def _escape_drawtext(text: str) -> str:
    # drawtext's own level (':' and '\'') inside the filter graph's level.
    out = text.replace("\\", "\\\\\\\\").replace("'", "\u2019").replace(":", "\\:")
    return out.replace("%", "\\%")


def ffmpeg_command(ffmpeg: str, url: str, offset_s: float, duration_s: float,
                   mark: Watermark, out: Path) -> list[str]:
    """The FFmpeg command that cuts [offset, offset + duration) of ``url`` with the mark."""
    font = font_file()
    draw = [f"text='{_escape_drawtext(mark.text())}'", "x=12", "y=12", "fontsize=h/24",
            "fontcolor=white", "box=1", "boxcolor=black@0.55", "boxborderw=6"]
    if font:
        draw.insert(0, f"fontfile='{font}'")
    return [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-ss", f"{offset_s:.3f}", "-i", url, "-t", f"{duration_s:.3f}",
            "-vf", "drawtext=" + ":".join(draw),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-an", "-movflags", "+faststart", "-f", "mp4",
            "-progress", "pipe:1", "-nostats", str(out)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class ClipExport:
    """One running export: ``run`` it, ``cancel`` it from anywhere (the GUI's button).

    ``progress`` is called with a fraction 0..1 as FFmpeg reports its output time."""

    def __init__(self, url: str, offset_s: float, duration_s: float, mark: Watermark,
                 out: Path, *, progress: Callable[[float], None] | None = None,
                 ffmpeg: str | None = None) -> None:
        self.url, self.offset_s, self.duration_s = url, offset_s, duration_s
        self.mark, self.out = mark, out
        self.progress = progress or (lambda _f: None)
        self.ffmpeg = ffmpeg or shutil.which("ffmpeg") or "ffmpeg"
        self._proc: asyncio.subprocess.Process | None = None
        self._cancelled = False

    @property
    def part(self) -> Path:
        return self.out.with_name(self.out.name + ".part")

    def cancel(self) -> None:
        self._cancelled = True
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.terminate()

    async def run(self) -> Exported:
        if self.duration_s <= 0:
            raise ExportError("the end mark is not after the start mark")
        self.out.parent.mkdir(parents=True, exist_ok=True)
        cmd = ffmpeg_command(self.ffmpeg, self.url, self.offset_s, self.duration_s, self.mark,
                             self.part)
        log.info("exporting %s", mask_text(" ".join(cmd[:12])))
        try:
            self._proc = await asyncio.create_subprocess_exec(
                *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        except OSError as exc:
            raise ExportError(f"FFmpeg could not be started: {exc}") from exc
        try:
            err = await self._follow(self._proc)
            code = await self._proc.wait()
            if self._cancelled:
                raise ExportCancelled("cancelled")
            if code != 0 or not self.part.is_file() or self.part.stat().st_size == 0:
                raise ExportError(f"FFmpeg failed (exit {code}): {mask_text(err)[-400:]}")
            digest = await asyncio.get_running_loop().run_in_executor(None, sha256_of,
                                                                      self.part)
            os.replace(self.part, self.out)
        except BaseException:
            if self._proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._proc.kill()
                await self._proc.wait()
            with contextlib.suppress(FileNotFoundError):
                self.part.unlink()
            raise
        self.progress(1.0)
        return Exported(self.out, digest, self.out.stat().st_size, self.duration_s)

    async def _follow(self, proc: asyncio.subprocess.Process) -> str:
        assert proc.stdout is not None and proc.stderr is not None
        stderr_task = asyncio.ensure_future(proc.stderr.read())
        async for raw in proc.stdout:
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit() and self.duration_s > 0:
                self.progress(min(1.0, int(value) / 1e6 / self.duration_s))
        return (await stderr_task).decode(errors="replace")


async def key_frames(ffmpeg: str, clip: Path, count: int, out_dir: Path) -> list[Path]:
    """``count`` JPEG stills spread over the exported clip (for the evidence pack)."""
    probe = await asyncio.create_subprocess_exec(
        shutil.which("ffprobe") or "ffprobe", "-v", "error", "-show_entries",
        "format=duration", "-of", "default=nw=1:nk=1", str(clip),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    raw, _ = await probe.communicate()
    try:
        duration = float(raw.decode().strip())
    except ValueError:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    stills = []
    for i in range(count):
        at = duration * (i + 0.5) / count
        path = out_dir / f"{clip.stem}-{i + 1}.jpg"
        proc = await asyncio.create_subprocess_exec(
            ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", f"{at:.3f}",
            "-i", str(clip), "-frames:v", "1", "-q:v", "3", str(path),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        if await proc.wait() == 0 and path.is_file():
            stills.append(path)
    return stills
