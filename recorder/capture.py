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
PID_FILE = "ffmpeg.pid"
SETTLE_S = 1.0  # a listed segment must stand still this long before it counts as closed


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


def _successor(name: str) -> str | None:
    stem = name.removesuffix(".ts")
    prefix, _, number = stem.rpartition("-")
    return f"{prefix}-{int(number) + 1:09d}.ts" if number.isdigit() else None


class Capture:
    """The child of one camera and the segments it closed since the last :meth:`poll`.

    FFmpeg names a segment in ``list.csv`` before it has flushed the file's last buffer (seen:
    a segment grew by 14 kB after it was listed), so a listed segment counts as finished only
    once its successor exists and its size and time stood still for a second, or the child has
    exited on its own terms. A child killed
    mid-segment (a crash, the OOM killer) leaves the listed-but-unclosed segment and the one
    being written: both are dropped, never indexed as whole.
    """

    def __init__(self, camera_id: str, url: str, out_dir: Path, *, segment_s: float,
                 ffmpeg: str = "ffmpeg", retry_cap_s: float = 30.0) -> None:
        self.camera_id, self.url, self.out_dir = camera_id, url, out_dir
        self.segment_s, self.ffmpeg = segment_s, ffmpeg
        self.proc: subprocess.Popen[bytes] | None = None
        self._offset = 0
        self._listed: list[tuple[str, float]] = []
        self._seen: dict[str, tuple[tuple[int, int], float]] = {}
        self._backoff = Backoff(initial_s=1.0, cap_s=retry_cap_s)
        self._next_start = 0.0
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _take(self, closed: bool) -> list[Finished]:
        """The listed segments that are certainly closed (all of them if ``closed``)."""
        rows, self._offset = read_list(self.out_dir, self._offset)
        self._listed.extend(rows)
        out: list[Finished] = []
        while self._listed:
            name, duration = self._listed[0]
            if not closed and not self._settled(name):
                break
            self._listed.pop(0)
            self._seen.pop(name, None)
            path = self.out_dir / name
            if path.is_file() and path.stat().st_size > 0:
                out.append(finished_at(path, duration))
        return out

    def _settled(self, name: str) -> bool:
        """FFmpeg has opened the next segment and this one did not change since the last
        look (its last buffer may be flushed just after the list names it)."""
        successor = _successor(name)
        if successor is None or not (self.out_dir / successor).exists():
            return False
        try:
            info = (self.out_dir / name).stat()
        except FileNotFoundError:
            return True  # gone: nothing to wait for (it is skipped below)
        state = (info.st_size, info.st_mtime_ns)
        seen = self._seen.get(name)
        if seen is None or seen[0] != state:
            self._seen[name] = (state, time.monotonic())
            return False
        return time.monotonic() - seen[1] >= SETTLE_S

    def _finish_run(self, closed: bool) -> list[Finished]:
        """After a child is gone: what it closed; every other file here is dropped."""
        out = self._take(closed)
        keep = {f.path for f in out}
        for path in self.out_dir.glob("*"):
            if path not in keep:
                if path.suffix == ".ts":
                    log.info("camera %s: dropping unfinished segment %s", self.camera_id,
                             path.name)
                path.unlink(missing_ok=True)
        self._offset, self._listed, self._seen = 0, [], {}
        return out

    def poll(self) -> list[Finished]:
        """Start the child when due; the segments it finished since the last call."""
        if self.proc is not None and self.proc.poll() is not None:
            code = self.proc.returncode
            self.proc = None
            log.info("camera %s: capture ended (status %s); a gap until it is back",
                     self.camera_id, code)
            self._next_start = time.monotonic() + self._backoff.next_delay()
            return self._finish_run(closed=code >= 0)
        if self.proc is None:
            if time.monotonic() < self._next_start:
                return []
            # A previous process's files (a crash): only what it certainly closed counts.
            self._end_orphan()
            found = self._finish_run(closed=False) if self.out_dir.is_dir() else []
            self.start()
            return found
        rows = self._take(closed=False)
        if rows:
            self._backoff.reset()
        return rows

    def _end_orphan(self) -> None:
        """A recorder killed outright leaves its FFmpeg children running; the next one ends
        the child that still writes here (its pid file, checked against its command line)."""
        pid_file = self.out_dir / PID_FILE
        try:
            pid = int(pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return
        if str(self.out_dir).encode() in cmdline and b"ffmpeg" in cmdline:
            log.info("camera %s: ending the capture a previous recorder left running (%d)",
                     self.camera_id, pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    def start(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._offset, self._listed, self._seen = 0, [], {}
        cmd = segment_command(self.ffmpeg, self.url, self.segment_s, self.out_dir)
        log.info("camera %s: recording %s", self.camera_id, mask_url(self.url))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        (self.out_dir / PID_FILE).write_text(str(self.proc.pid))
        self.starts += 1

    def stop(self, timeout: float = 5.0) -> list[Finished]:
        """End the child so that it closes (and lists) the segment it is writing."""
        proc, self.proc = self.proc, None
        closed = True
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
                closed = False
        if proc is not None and proc.returncode is not None and proc.returncode < 0:
            closed = False
        return self._finish_run(closed)
