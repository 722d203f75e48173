"""The recorder's loop: follow central, capture the planned cameras, keep, index and prune.

Every ``tick_s`` it takes the segments the captures finished, decides each one
(:func:`recorder.policy.decide`), moves kept ones into the store and queues them for the index;
the buffer is swept (an alarm that arrived since keeps its pre-roll). Every ``plan_s`` it asks
central for the plan and follows the change feed for alarms. Every ``prune_s`` (and whenever
the quota or the free-space reserve is crossed) it asks central which of its segments to delete.

A full disk (free space below the reserve with nothing left that may be deleted: everything
is locked or within retention and the quota is not reached) stops every capture and raises a
``recorder``/``disk_full`` alarm per camera through central; recording resumes, and the alarm
clears, once space is back. Kept segments and the index are never touched by that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import threading
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.clock import utcnow
from recorder.capture import Capture, Finished
from recorder.policy import AlarmTimes, CameraPlan, alarm_moments, decide
from recorder.store import Indexed, Store
from simulator.client import CentralClient, CentralError

log = logging.getLogger("kitchenwatch.recorder")


@dataclass
class RecorderConfig:
    name: str = "recorder-1"
    store_root: Path = Path("recordings")  # the recordings dir; this recorder uses root/name
    segment_s: float = 10.0
    buffer_s: float = 60.0  # the rolling pre-roll buffer (at least the policies' pre_s)
    quota_bytes: int = 0  # 0: no quota, only the free-space reserve
    min_free_bytes: int = 512 * 1024 * 1024
    tick_s: float = 1.0  # segments are taken within a second or two of being closed
    plan_s: float = 2.0  # "record now" and new alarms reach the recorder within this
    prune_s: float = 60.0
    shard: tuple[int, int] = (0, 1)  # (index, count): several recorders share the cameras
    ffmpeg: str = "ffmpeg"
    retry_cap_s: float = 30.0


def in_shard(camera_id: str, shard: tuple[int, int]) -> bool:
    index, count = shard
    return count <= 1 or zlib.crc32(camera_id.encode()) % count == index


def probe_segment(path: Path) -> tuple[str, float | None]:
    """The video codec of a finished segment and its duration from its own time stamps (no
    decoding). FFmpeg's list gives the first segment of a run the stream's whole elapsed time
    (seen: 20 s for a 2 s segment), so the file is asked."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            codec = str(stream.codec_context.name or "unknown")
            duration = container.duration / 1_000_000 if container.duration else None
            return codec, duration
    except (av.FFmpegError, IndexError, OSError):
        return "unknown", None


class Recorder:
    """One recorder process's state; :meth:`run` until cancelled, :meth:`close` to finish."""

    def __init__(self, client: CentralClient, config: RecorderConfig) -> None:
        self.client = client
        self.config = config
        self.store = Store(config.store_root / config.name, config.name)
        self.plans: dict[str, CameraPlan] = {}
        self.captures: dict[str, Capture] = {}
        self.alarms = AlarmTimes()
        self.pending: list[Indexed] = self.store.load_journal()
        self.cursor = 0
        self.disk_full = False
        self.kept_bytes = self.store.kept_bytes()
        self.plan_loaded = asyncio.Event()
        self.files_lock = threading.RLock()
        self._journaled: list[str] = [row.id for row in self.pending]
        self._last_prune = 0.0
        self._last_plan = 0.0

    # ------------------------------------------------------------------ central
    async def refresh_plan(self) -> None:
        body = await self.client.request(
            "GET", f"/api/recorder/plan?recorder={self.config.name}", retries=1)
        plans = {row["camera_id"]: CameraPlan.from_payload(row) for row in body["cameras"]
                 if in_shard(row["camera_id"], self.config.shard) and row.get("url")}
        self.plans = plans
        self.plan_loaded.set()

    async def follow_alarms(self) -> None:
        rows, self.cursor = await self.client.changes(self.cursor)
        for row in rows:
            if row.get("entity") != "alarm" or row.get("deleted"):
                continue
            payload = row.get("payload") or {}
            camera_id = payload.get("camera_id")
            if camera_id and payload.get("kind") != "recorder":
                self.alarms.add(camera_id, alarm_moments(payload))

    async def flush_index(self) -> None:
        while self.pending:
            batch = self.pending[:200]
            try:
                await self.client.request("POST", "/api/recordings/segments", json={
                    "recorder": self.config.name, "segments": [asdict(s) for s in batch]},
                    retries=1)
            except CentralError as exc:
                if exc.status == 404:  # a camera deleted meanwhile: its segments are orphans
                    log.warning("central refused segments: %s", exc)
                    for seg in batch:
                        self.store.delete(seg.path)
                else:
                    raise
            self.pending = self.pending[len(batch):]
            self._save_journal()

    def _save_journal(self) -> None:
        """Write the journal if the queue changed since it was last written (an fsync per
        change, not per tick)."""
        state = [row.id for row in self.pending]
        if state == self._journaled:
            return
        try:
            self.store.save_journal(self.pending)
            self._journaled = state
        except OSError as exc:  # a full disk: the queue stays in memory and is retried
            log.warning("could not write the journal (%s)", exc)

    async def prune(self, free_bytes: int) -> int:
        """Ask central which of our segments go (expired, then oldest for ``free_bytes``);
        delete those files. Bytes freed."""
        freed = 0
        while True:
            body = await self.client.request("POST", "/api/recordings/prune", json={
                "recorder": self.config.name, "free_bytes": max(0, free_bytes - freed)},
                retries=1)
            for seg in body["deleted"]:
                freed += self.store.delete(seg["path"])
            if not body["deleted"] or (free_bytes and freed >= free_bytes):
                break
        self.kept_bytes = max(0, self.kept_bytes - freed)
        if freed:
            log.info("deleted %.1f MB of recordings (retention, quota or disk space)",
                     freed / 1e6)
        return freed

    async def report_disk(self, full: bool) -> None:
        await self.client.request("POST", "/api/recordings/status", json={
            "recorder": self.config.name, "disk_full": full,
            "camera_ids": sorted(self.plans) or sorted(self.captures),
            "message": "" if not full else
            f"less than {self.config.min_free_bytes / 1e6:.0f} MB free and nothing may be "
            f"deleted"}, retries=1)

    # ------------------------------------------------------------------ files
    def free_bytes(self) -> int:
        return shutil.disk_usage(self.store.root).free

    def _sync_captures(self) -> None:
        if self.disk_full:
            return
        for camera_id in list(self.captures):
            plan = self.plans.get(camera_id)
            if plan is None or plan.url != self.captures[camera_id].url:
                self._handle(camera_id, self.captures.pop(camera_id).stop())
        for camera_id, plan in self.plans.items():
            if camera_id not in self.captures:
                self.captures[camera_id] = Capture(
                    camera_id, plan.url, self.store.partial_dir(camera_id),
                    segment_s=self.config.segment_s, ffmpeg=self.config.ffmpeg,
                    retry_cap_s=self.config.retry_cap_s)

    def _handle(self, camera_id: str, finished: list[Finished]) -> None:
        for item in finished:
            codec, duration = probe_segment(item.path)
            start = item.start
            if duration is not None and duration > 0:
                start = item.end - timedelta(seconds=duration)
            try:
                buffered = self.store.to_buffer(camera_id, item.path, start, item.end, codec)
            except OSError as exc:
                log.warning("camera %s: segment %s lost (%s)", camera_id, item.path.name, exc)
                continue
            self._decide(buffered)

    def _decide(self, buffered: Any) -> bool:
        keep = decide(self.plans.get(buffered.camera_id), self.alarms, buffered.start,
                      buffered.end)
        if keep is None:
            return False
        try:
            indexed = self.store.keep(buffered, keep.reason, keep.retention_days)
        except FileExistsError:
            log.warning("camera %s: a kept segment already has the name of %s; the newer one "
                        "is dropped", buffered.camera_id, buffered.path.name)
            buffered.path.unlink(missing_ok=True)
            return False
        except OSError as exc:
            log.warning("camera %s: cannot keep %s now (%s)", buffered.camera_id,
                        buffered.path.name, exc)
            return False
        self.kept_bytes += indexed.bytes
        self.pending.append(indexed)
        return True

    def sweep_buffer(self, now: datetime) -> None:
        horizon = now - timedelta(seconds=self.config.buffer_s)
        changed = False
        for buffered in self.store.buffered():
            if self._decide(buffered):
                changed = True
            elif buffered.end < horizon:
                buffered.path.unlink(missing_ok=True)
        self.alarms.forget_before(now - timedelta(hours=1))
        if changed:
            self._save_journal()

    def tick_files(self) -> None:
        """Take finished segments from every capture, keep or buffer them, sweep the buffer.

        Runs in a worker thread; ``files_lock`` keeps two passes (or a pass and a stop) from
        moving the same files."""
        with self.files_lock:
            self._sync_captures()
            for camera_id, capture in list(self.captures.items()):
                self._handle(camera_id, capture.poll())
            self.sweep_buffer(utcnow())
            self._save_journal()

    def stop_captures(self) -> None:
        with self.files_lock:
            for camera_id, capture in list(self.captures.items()):
                self._handle(camera_id, capture.stop())
            self.captures.clear()

    # ------------------------------------------------------------------ disk
    async def check_disk(self) -> None:
        cfg = self.config
        need = 0
        if cfg.quota_bytes and self.kept_bytes > cfg.quota_bytes:
            need = self.kept_bytes - int(cfg.quota_bytes * 0.95)
        free = self.free_bytes()
        if free < cfg.min_free_bytes:
            need = max(need, cfg.min_free_bytes - free + int(cfg.min_free_bytes * 0.1))
        if need:
            await self.prune(need)
            free = self.free_bytes()
        if not self.disk_full and free < cfg.min_free_bytes:
            log.error("disk full: %.1f MB free, nothing more may be deleted; recording stops",
                      free / 1e6)
            self.disk_full = True
            self.stop_captures()
            self.sweep_buffer(utcnow())
            await self.report_disk(True)
        elif self.disk_full and free >= cfg.min_free_bytes * 1.2:
            log.info("disk space is back (%.1f MB free); recording resumes", free / 1e6)
            self.disk_full = False
            await self.report_disk(False)

    # ------------------------------------------------------------------ loop
    async def step(self, loop_time: float) -> None:
        if loop_time - self._last_plan >= self.config.plan_s:
            self._last_plan = loop_time
            await self.refresh_plan()
            await self.follow_alarms()
        if loop_time - self._last_prune >= self.config.prune_s:
            self._last_prune = loop_time
            await self.prune(0)
        await self.check_disk()
        await asyncio.to_thread(self.tick_files)
        await self.flush_index()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self._last_prune = loop.time()
        while True:
            try:
                await self.step(loop.time())
            except (CentralError, OSError, TimeoutError) as exc:
                log.warning("recorder step failed (%s); recording goes on", exc)
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.tick_files)
            except Exception as exc:  # e.g. aiohttp errors after the client's retries
                log.warning("recorder step failed (%s: %s); recording goes on",
                            type(exc).__name__, exc)
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.tick_files)
            await asyncio.sleep(self.config.tick_s)

    async def close(self) -> None:
        """Stop the captures (each closes its last segment), keep what qualifies, and try
        once to index it; what central does not take now stays in the journal."""
        await asyncio.to_thread(self.stop_captures)
        self.sweep_buffer(utcnow())
        self._save_journal()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.flush_index(), 5)
