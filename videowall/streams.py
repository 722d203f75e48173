"""Streams as the UI sees them: shared, refcounted, self-healing (Qt-free; drive with ``poll``).

A :class:`Stream` is one URL decoded at one size into one shared-memory frame buffer. Tiles (and
tours pre-opening their next page) ``acquire`` streams by (url, size, backend) and ``release``
them; a stream in use twice is decoded once. :class:`StreamManager` turns worker events into
watchdog verdicts: it closes a failed player, schedules the retry with backoff, reopens when
due, and tells each stream's listeners when its status changes. Everything runs on the caller's
thread; the Qt engine calls :meth:`StreamManager.poll` from a timer, the probe from a loop.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from common.masking import mask_url
from videowall.diagnose import validate_url
from videowall.frames import FrameBuffer, FrameReader
from videowall.pool import PlayerSpec, WorkerPool
from videowall.watchdog import Observation, StreamState, StreamStatus, Watchdog, WatchdogConfig
from videowall.wire import PlayerOptions, PlayerStats

log = logging.getLogger("kitchenwatch.wall.streams")

SNAPSHOT_TIMEOUT_S = 15.0
Listener = Callable[["Stream", StreamStatus], None]


@dataclass(frozen=True)
class StreamKey:
    url: str
    width: int
    height: int
    backend: str


@dataclass(frozen=True)
class SnapshotResult:
    path: str
    width: int
    height: int


@dataclass(eq=False)
class Stream:
    """One decoded URL at one size. ``frames`` counts distinct pictures seen so far."""

    key: StreamKey
    id: str
    buffer: FrameBuffer
    watchdog: Watchdog
    options: PlayerOptions
    refs: int = 0
    player_id: str | None = None
    stats: PlayerStats | None = None
    listeners: list[Listener] = field(default_factory=list)
    opened_at: float = 0.0
    first_frame_at: float | None = None
    failure: tuple[str, bool] | None = None  # reported by the worker, judged at the next tick

    def __post_init__(self) -> None:
        self.reader = FrameReader(self.buffer)

    @property
    def url(self) -> str:
        return self.key.url

    @property
    def status(self) -> StreamStatus:
        return self.watchdog.status

    @property
    def frames(self) -> int:
        """Number of the newest picture in shared memory (0: none yet)."""
        return self.reader.latest_number()

    def has_picture(self) -> bool:
        return self.frames > 0

    def poll_source_size(self) -> tuple[int, int]:
        status = self.status
        return status.width, status.height

    def describe(self) -> str:
        return f"{mask_url(self.url)} @ {self.key.width}x{self.key.height}"


class StreamManager:
    """All streams of one console; owns a :class:`WorkerPool`."""

    def __init__(self, pool: WorkerPool | None = None, backend: str = "ffmpeg",
                 watchdog_config: WatchdogConfig | None = None,
                 options: PlayerOptions | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pool = pool or WorkerPool()
        self.backend = backend
        self.watchdog_config = watchdog_config or WatchdogConfig()
        self.options = options or PlayerOptions()
        self.clock = clock
        self._streams: dict[StreamKey, Stream] = {}
        self._by_player: dict[str, Stream] = {}
        self._ids = itertools.count(1)
        self._snapshots: dict[int, tuple[Future[SnapshotResult], float]] = {}
        self._requests = itertools.count(1)
        self._last_tick = 0.0
        self.on_status: list[Listener] = []

    # -- acquiring ----------------------------------------------------------------------------
    def acquire(self, url: str, width: int, height: int, backend: str | None = None,
                options: PlayerOptions | None = None) -> Stream:
        width, height = max(16, int(width) & ~1), max(16, int(height) & ~1)
        key = StreamKey(url, width, height, backend or self.backend)
        stream = self._streams.get(key)
        if stream is None:
            opts = PlayerOptions.from_dict((options or self.options).to_dict())
            stream = Stream(key, f"s{next(self._ids)}", FrameBuffer.create(width, height),
                            Watchdog(self.watchdog_config), opts)
            self._streams[key] = stream
            self._start(stream)
        stream.refs += 1
        return stream

    def release(self, stream: Stream) -> None:
        stream.refs -= 1
        if stream.refs > 0:
            return
        self._streams.pop(stream.key, None)
        self._stop_player(stream)
        stream.listeners.clear()
        stream.buffer.close()

    def streams(self) -> list[Stream]:
        return list(self._streams.values())

    # -- control ------------------------------------------------------------------------------
    def set_keyframes_only(self, stream: Stream, on: bool) -> None:
        if stream.options.keyframes_only == on:
            return
        stream.options.keyframes_only = on
        if stream.player_id is not None:
            self.pool.set_keyframes_only(stream.player_id, on)

    def snapshot(self, stream: Stream, path: str) -> Future[SnapshotResult]:
        """A PNG of the stream at its full resolution, written by the worker."""
        future: Future[SnapshotResult] = Future()
        future.set_running_or_notify_cancel()
        if stream.player_id is None or not stream.has_picture():
            future.set_exception(OSError("the stream shows no picture to take"))
            return future
        request = next(self._requests)
        self._snapshots[request] = (future, self.clock() + SNAPSHOT_TIMEOUT_S)
        self.pool.send(stream.player_id, {"op": "snapshot", "req": request, "path": str(path)})
        return future

    def restart(self, stream: Stream, note: str = "") -> None:
        """Close the player and open a fresh one now (operator's "reconnect")."""
        self._stop_player(stream)
        self._start(stream, note=note)

    # -- players ------------------------------------------------------------------------------
    def _start(self, stream: Stream, note: str = "") -> None:
        now = self.clock()
        invalid = validate_url(stream.url)
        if invalid:
            self._publish(stream, stream.watchdog.invalid(now, invalid))
            return
        stream.player_id = f"{stream.id}.{next(self._ids)}"
        self._by_player[stream.player_id] = stream
        stream.opened_at = now
        stream.stats = None
        weight = max(0.25, stream.key.width * stream.key.height / (320 * 180))
        self.pool.open(PlayerSpec(stream.player_id, stream.url, stream.buffer.name,
                                  stream.key.width, stream.key.height, stream.key.backend,
                                  stream.options.to_dict(), weight=min(weight, 8.0)))
        self._publish(stream, stream.watchdog.opened(now, note))

    def _stop_player(self, stream: Stream) -> None:
        stream.failure = None
        if stream.player_id is not None:
            self.pool.close(stream.player_id)
            self._by_player.pop(stream.player_id, None)
            stream.player_id = None

    def _fail(self, stream: Stream, reason: str, offline: bool) -> None:
        log.info("stream %s: %s", stream.describe(), reason)
        self._stop_player(stream)
        self._publish(stream, stream.watchdog.failed(self.clock(), reason, offline))

    def _publish(self, stream: Stream, status: StreamStatus | None) -> None:
        if status is None:
            return
        for listener in list(stream.listeners) + list(self.on_status):
            try:
                listener(stream, status)
            except Exception:
                log.exception("a stream status listener failed")

    # -- the loop -----------------------------------------------------------------------------
    def poll(self) -> None:
        """Handle worker events, judge every stream twice a second, reopen what is due."""
        now = self.clock()
        for event in self.pool.poll(now):
            self._event(event, now)
        judge = now - self._last_tick >= 0.5
        if judge:
            self._last_tick = now
        for stream in list(self._streams.values()):
            if stream.player_id is None:
                if stream.watchdog.due_for_retry(now):
                    self._start(stream)
            elif judge:
                if stream.failure is not None:
                    reason, offline = stream.failure
                    self._fail(stream, reason, offline)
                else:
                    self._judge(stream, now)
        if judge:
            for request, (future, deadline) in list(self._snapshots.items()):
                if now > deadline:
                    del self._snapshots[request]
                    future.set_exception(TimeoutError("the snapshot took too long"))

    def _judge(self, stream: Stream, now: float) -> None:
        stats = stream.stats
        seen = Observation() if stats is None else Observation(
            frames=stats.frames, decoded=stats.decoded, changes=int(stats.extra.get("changes", 0)),
            luma=stats.luma, width=stats.src_width, height=stats.src_height, codec=stats.codec,
            fps=stats.fps, keyframes_only=stats.keyframes_only,
            texture=float(stats.extra.get("texture", -1.0)),
            stirs=int(stats.extra.get("stirs", 0)))
        status, reconnect = stream.watchdog.observe(now, seen)
        if reconnect:
            self._fail(stream, reconnect, offline=False)
        else:
            if stream.first_frame_at is None and stats is not None and stats.frames:
                stream.first_frame_at = now
            self._publish(stream, status)

    def _event(self, event: dict[str, Any], now: float) -> None:
        kind = event.get("ev")
        if kind == "stats":
            for data in event.get("players", []):
                stream = self._by_player.get(data.get("id"))
                if stream is not None:
                    stream.stats = PlayerStats.from_dict(data)
        elif kind == "state":
            stream = self._by_player.get(event.get("id"))
            if stream is None:
                return
            state = event.get("state")
            # Failures are judged on the watchdog's tick, all streams together, so a wall
            # whose cameras fail at once shows them failing at once.
            if state == "error":
                stream.failure = (str(event.get("reason") or "the stream failed"),
                                  bool(event.get("offline")))
            elif state == "playing":
                if stream.stats is None:  # do not wait for the next statistics to say so
                    stream.stats = PlayerStats(id=stream.player_id or "", frames=1, decoded=1)
                self._judge(stream, now)
            elif state == "ended" and stream.failure is None:
                stream.failure = (str(event.get("reason") or "the source ended the stream"),
                                  False)
        elif kind == "worker_restarted":
            for player_id in event.get("ids", []):
                stream = self._by_player.get(player_id)
                if stream is not None:
                    stream.stats = None
                    self._publish(stream, stream.watchdog.opened(
                        now, "the decoder restarted; reopening"))
        elif kind == "snapshot":
            entry = self._snapshots.pop(int(event.get("req") or 0), None)
            if entry is None:
                return
            future = entry[0]
            if event.get("ok"):
                future.set_result(SnapshotResult(str(event.get("path")),
                                                 int(event.get("width") or 0),
                                                 int(event.get("height") or 0)))
            else:
                future.set_exception(OSError(str(event.get("error") or "snapshot failed")))

    def shutdown(self) -> None:
        for request, (future, _deadline) in list(self._snapshots.items()):
            future.set_exception(OSError("the wall is closing"))
            del self._snapshots[request]
        for stream in list(self._streams.values()):
            stream.refs = 1
            self.release(stream)
        self.pool.shutdown()

    def live_fraction(self) -> float:
        streams = [s for s in self._streams.values() if s.player_id is not None]
        if not streams:
            return 1.0
        return sum(1 for s in streams if s.status.state == StreamState.PLAYING) / len(streams)
