"""The CPU governor: when the machine cannot keep up, small tiles drop to key frames (Qt-free).

Fed once a second with the console's process-tree CPU (UI + decode workers, as a fraction of
all cores) and the share of decoded pictures that tiles actually showed. Overload that lasts
(``sustain_s``) moves the next quarter of eligible tiles — the smallest first; never the
focused, maximised or alarmed ones — to key frames only (FFmpeg: ``skip_frame=NONKEY`` while
running; libVLC: ``avcodec-skip-frame=3``, which restarts the player). Only after the load has
stayed low for the longer ``recover_s`` does a batch come back, the largest first. Two
thresholds and two durations are the hysteresis: it does not flap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import psutil


@dataclass
class GovernedTile:
    """What the governor needs to know about one tile."""

    key: Hashable
    area: int                   # decoded pixels (width × height)
    protected: bool             # focused, maximised or alarmed: always full rate
    keyframes_only: bool
    delivered: float | None     # shown / decoded pictures lately, None when unknown
    apply: Callable[[bool], None] = field(repr=False, default=lambda _on: None)


@dataclass
class GovernorConfig:
    high_cpu: float = 0.85        # of all cores
    low_cpu: float = 0.60
    min_delivered: float = 0.90
    sustain_s: float = 5.0
    recover_s: float = 20.0
    batch: float = 0.25           # share of eligible tiles per step
    small_area: int = 480 * 270   # only tiles up to this size are degraded
    enabled: bool = True


class Governor:
    """Decides which tiles run on key frames only. ``update`` returns None when nothing moves."""

    def __init__(self, config: GovernorConfig | None = None) -> None:
        self.config = config or GovernorConfig()
        self._over_since: float | None = None
        self._under_since: float | None = None
        self.degraded: set[Hashable] = set()
        self.last_cpu = 0.0

    def update(self, now: float, cpu: float, delivered: float,
               tiles: list[GovernedTile]) -> dict[Hashable, bool] | None:
        config = self.config
        self.last_cpu = cpu
        keys = {t.key for t in tiles}
        self.degraded &= keys
        # Protected tiles are never degraded, whatever happened before.
        released = {t.key for t in tiles if t.protected and t.key in self.degraded}
        self.degraded -= released
        if not config.enabled:
            changed = bool(self.degraded) or bool(released)
            self.degraded.clear()
            return {t.key: False for t in tiles} if changed else None
        overloaded = cpu > config.high_cpu or delivered < config.min_delivered
        relaxed = cpu < config.low_cpu and delivered >= config.min_delivered
        if not overloaded:
            self._over_since = None
        elif self._over_since is None:
            self._over_since = now
        if not relaxed:
            self._under_since = None
        elif self._under_since is None:
            self._under_since = now
        moved = bool(released)
        if self._over_since is not None and now - self._over_since >= config.sustain_s:
            eligible = sorted((t for t in tiles if not t.protected and t.key not in self.degraded
                               and t.area <= config.small_area), key=lambda t: t.area)
            if eligible:
                count = max(1, math.ceil(len(eligible) * config.batch))
                self.degraded |= {t.key for t in eligible[:count]}
                moved = True
            self._over_since = now  # give the step time to show its effect
        elif self._under_since is not None and now - self._under_since >= config.recover_s:
            back = sorted((t for t in tiles if t.key in self.degraded), key=lambda t: -t.area)
            if back:
                count = max(1, math.ceil(len(back) * config.batch))
                self.degraded -= {t.key for t in back[:count]}
                moved = True
            self._under_since = now
        if not moved and all((t.key in self.degraded) == t.keyframes_only for t in tiles):
            return None
        return {t.key: t.key in self.degraded for t in tiles}


class CpuMeter:
    """CPU of a set of processes as a fraction of the machine's cores, between calls."""

    def __init__(self) -> None:
        self._procs: dict[int, psutil.Process] = {}
        self._last: dict[int, float] = {}
        self._at: float | None = None
        self.cores = psutil.cpu_count() or 1

    def sample(self, pids: list[int]) -> float:
        import time

        now = time.monotonic()
        total = 0.0
        seen: dict[int, float] = {}
        for pid in pids:
            proc = self._procs.get(pid)
            try:
                if proc is None:
                    proc = self._procs[pid] = psutil.Process(pid)
                times = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                self._procs.pop(pid, None)
                continue
            used = times.user + times.system
            seen[pid] = used
            if pid in self._last:
                total += max(0.0, used - self._last[pid])
        for gone in set(self._procs) - set(pids):
            self._procs.pop(gone, None)
        elapsed = now - self._at if self._at is not None else 0.0
        self._last, self._at = seen, now
        return total / elapsed / self.cores if elapsed > 0 else 0.0
