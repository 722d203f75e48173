"""A camera away for days, on a fast clock, through the real StreamManager.

Before the shared schedule, retry number 1,025 (about 4.3 hours away at the 15 s cap) raised
``OverflowError`` inside ``poll`` and every stream of the wall stopped being serviced. The fake
pool stands in for the decode workers only: it answers each open with the camera's refusal,
or, once the camera is back, with pictures.
"""

from __future__ import annotations

import random
from typing import Any

from videowall.pool import PlayerSpec
from videowall.streams import StreamManager
from videowall.watchdog import StreamState

WEEK_S = 7 * 24 * 3600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class RefusingPool:
    """Decode workers for cameras that refuse until ``back`` holds their URL."""

    def __init__(self) -> None:
        self.open_players: dict[str, PlayerSpec] = {}
        self.back: set[str] = set()
        self.opens = 0
        self._pending: list[dict[str, Any]] = []
        self._frames: dict[str, int] = {}

    def open(self, spec: PlayerSpec) -> None:
        self.opens += 1
        self.open_players[spec.id] = spec
        if spec.url in self.back:
            self._pending.append({"ev": "state", "id": spec.id, "state": "playing"})
        else:
            self._pending.append({"ev": "state", "id": spec.id, "state": "error",
                                  "reason": "connection refused", "offline": True})

    def close(self, player_id: str) -> None:
        self.open_players.pop(player_id, None)

    def poll(self, now: float) -> list[dict[str, Any]]:
        events, self._pending = self._pending, []
        players = []
        for pid, spec in self.open_players.items():
            if spec.url in self.back:
                n = self._frames[pid] = self._frames.get(pid, 0) + 8
                players.append({"id": pid, "frames": n, "decoded": n, "luma": 120.0,
                                "src_width": 640, "src_height": 360, "codec": "h264",
                                "extra": {"changes": n}})
        if players:
            events.append({"ev": "stats", "players": players})
        return events

    def shutdown(self) -> None:
        self.open_players.clear()


def _run_until(manager: StreamManager, clock: Clock, pool: RefusingPool, *,
               failures: int | None = None, until: float | None = None) -> None:
    """Advance the clock straight to each next retry, as a wall left alone overnight would."""
    stream = manager.streams()[0]
    while True:
        manager.poll()
        if failures is not None and stream.watchdog.failures >= failures:
            return
        if until is not None and clock.now >= until:
            return
        due = stream.status.next_retry_at
        clock.now = max(clock.now + 0.5, due if due is not None else clock.now + 0.5)


def test_one_hundred_thousand_failures_in_a_row_keep_the_wall_serviced() -> None:
    clock, pool = Clock(), RefusingPool()
    manager = StreamManager(pool=pool, clock=clock)  # type: ignore[arg-type]
    away = manager.acquire("http://127.0.0.1:9/away.ts", 320, 180)
    fine = manager.acquire("http://127.0.0.1:9/fine.ts", 320, 180)
    pool.back.add(fine.url)
    try:
        _run_until(manager, clock, pool, failures=100_000)
        assert away.watchdog.failures == 100_000
        assert away.status.state == StreamState.OFFLINE
        assert away.status.reason == "connection refused"
        # The long-outage cap holds (15 s ± 20 %): the camera is neither hammered nor forgotten.
        assert 12.0 <= away.status.next_retry_at - clock.now <= 18.0
        assert fine.status.state == StreamState.PLAYING  # the rest of the wall kept playing
    finally:
        manager.shutdown()


def test_a_camera_back_after_a_week_plays_again_within_one_retry() -> None:
    clock, pool = Clock(), RefusingPool()
    manager = StreamManager(pool=pool, clock=clock)  # type: ignore[arg-type]
    stream = manager.acquire("http://127.0.0.1:9/kitchen.ts", 320, 180)
    stream.watchdog.rng = random.Random(7)  # the jitter, fixed: the same schedule every run
    try:
        _run_until(manager, clock, pool, until=clock.now + WEEK_S)
        assert stream.watchdog.failures > 30_000
        pool.back.add(stream.url)
        came_back = clock.now
        for _ in range(200):
            manager.poll()
            if stream.status.state == StreamState.PLAYING:
                break
            clock.now += 0.5
        assert stream.status.state == StreamState.PLAYING
        # At most one long-outage retry (15 s + 20 % jitter) after the attempt that may be
        # under way as it comes back, plus the watchdog's half-second tick.
        assert clock.now - came_back <= 18.0 + 0.5 + 0.5
    finally:
        manager.shutdown()
