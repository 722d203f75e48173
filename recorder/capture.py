"""One camera's capture: an ``ffmpeg -c copy`` child cutting the stream into segments.

Why a child per camera rather than PyAV in-process (measured, see README "Recordings"): the
copy costs the same CPU either way (no decoding), but a child keeps a stalled or crashing
demuxer away from the recorder and from every other camera, runs outside the GIL, and the
segment muxer cuts on key frames and names each finished file in ``list.csv`` only once it is
closed. A camera that drops out ends the child; it is started again with capped backoff, and
the time in between is a gap in the index, not an error.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common.backoff import Backoff
from common.masking import mask_url

log = logging.getLogger("kitchenwatch.recorder.capture")
LIST = "list.csv"


@dataclass(frozen=True)
class Finished:
    """A segment FFmpeg closed: its file, its wall-clock span and its duration."""

    path: Path
    start: datetime
    end: datetime


def segment_command(ffmpeg: str, url: str, segment_s: float, out_dir: Path) -> list[str]:
    """The copy command: the video (and audio, if any) into MPEG-TS segments."""
    timeout = ["-rw_timeout", "10000000"] if url.startswith(("http", "rtmp")) else (
        ["-timeout", "10000000"] if url.startswith("rtsp") else [])
    return [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", *timeout,
            "-i", url, "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
            "-f", "segment", "-segment_time", f"{segment_s:g}", "-segment_format", "mpegts",
            "-segment_list", str(out_dir / LIST), "-segment_list_type", "csv",
            "-segment_list_flags", "+live", "-reset_timestamps", "0",
            str(out_dir / "seg-%09d.ts")]


def read_list(out_dir: Path, offset: int) -> tuple[list[tuple[str, float]], int]:
    """Complete lines of ``list.csv`` after ``offset``: (file name, duration s), new offset."""
    try:
        with open(out_dir / LIST, "rb") as fh:
            fh.seek(offset)
            data = fh.read()
    except FileNotFoundError:
        return [], offset
    done = data.rfind(b"\n") + 1
    rows = []
    for line in data[:done].decode(errors="replace").splitlines():
        parts = line.split(",")
        if len(parts) >= 3:
            with contextlib.suppress(ValueError):
                rows.append((parts[0], max(0.0, float(parts[2]) - float(parts[1]))))
    return rows, offset + done


def finished_at(path: Path, duration_s: float) -> Finished:
    """The segment's wall-clock span: FFmpeg's last write to the file is its end (the stream
    is live), its duration is the list's."""
    end = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Finished(path, end - timedelta(seconds=duration_s), end)


class Capture:
    """The child of one camera and the segments it finished since the last :meth:`harvest`."""

    def __init__(self, camera_id: str, url: str, out_dir: Path, *, segment_s: float,
                 ffmpeg: str = "ffmpeg", retry_cap_s: float = 30.0) -> None:
        self.camera_id, self.url, self.out_dir = camera_id, url, out_dir
        self.segment_s, self.ffmpeg = segment_s, ffmpeg
        self.proc: subprocess.Popen[bytes] | None = None
        self._offset = 0
        self._backoff = Backoff(initial_s=1.0, cap_s=retry_cap_s)
        self._next_start = 0.0
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def recover(self, taken: list[Finished] = ()) -> list[Finished]:  # type: ignore[assignment]
        """Before a (re)start: the finished segments the last child listed but we did not
        take yet; every other file here (but ``taken``, just handed out) is half-written (a
        crash) and is dropped."""
        rows, _ = read_list(self.out_dir, self._offset)
        out = []
        for name, duration in rows:
            path = self.out_dir / name
            if path.is_file() and path.stat().st_size > 0:
                out.append(finished_at(path, duration))
        keep = {f.path for f in out} | {f.path for f in taken}
        for path in self.out_dir.glob("*"):
            if path not in keep:
                if path.suffix == ".ts":
                    log.info("camera %s: dropping unfinished segment %s", self.camera_id,
                             path.name)
                path.unlink(missing_ok=True)
        self._offset = 0
        return out

    def poll(self) -> list[Finished]:
        """Start the child when due; the segments it finished since the last call."""
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            self.proc = None
            rows = self._take()
            log.info("camera %s: capture ended (status %s); a gap until it is back",
                     self.camera_id, code)
            self._next_start = time.monotonic() + self._backoff.next_delay()
            return rows + self.recover(rows)
        if self.proc is None:
            if time.monotonic() < self._next_start:
                return []
            found = self.recover()
            self.start()
            return found
        rows = self._take()
        if rows:
            self._backoff.reset()
        return rows

    def _take(self) -> list[Finished]:
        rows, self._offset = read_list(self.out_dir, self._offset)
        out = []
        for name, duration in rows:
            path = self.out_dir / name
            if path.is_file():
                out.append(finished_at(path, duration))
        return out

    def start(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._offset = 0
        cmd = segment_command(self.ffmpeg, self.url, self.segment_s, self.out_dir)
        log.info("camera %s: recording %s", self.camera_id, mask_url(self.url))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.starts += 1

    def stop(self, timeout: float = 5.0) -> list[Finished]:
        """End the child so that it closes (and lists) the segment it is writing."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        rows = self._take()
        return rows + self.recover(rows)
