"""How late the Qt event loop runs: a short timer whose ticks arrive late while the UI thread
is busy. A late tick is what an operator feels as a frozen wall or a click that does nothing.

The console keeps one running at a coarse interval and logs stalls (the log then says when the
UI froze and for how long, which is where troubleshooting starts); the benchmarks and the
responsiveness tests run one at 10 ms and read its samples.

A benchmark that runs the real console as a separate process (``bench/soak.py``) cannot read
those samples, so the console's probe also writes one INFO line per period with the lag
percentiles when ``KITCHENWATCH_LOOP_STATS=PERIOD_S[:TICK_MS]`` is set (e.g. ``10:10``: a line
every 10 s, ticking every 10 ms like the benchmarks' probes). Unset, nothing changes.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger("kitchenwatch.console.loop")
STATS_ENV = "KITCHENWATCH_LOOP_STATS"
STATS_LINE = "UI loop lag over the last"  # what bench/soak.py looks for in the log
OVER_MS = 50.0  # the responsiveness target: ticks later than this are counted per period


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def stats_from_env(value: str | None) -> tuple[float, int | None] | None:
    """``"10"`` → ``(10.0, None)``, ``"10:10"`` → ``(10.0, 10)``; None when unset or not
    understood (a typo must not break the console, it only loses the statistics)."""
    if not value:
        return None
    period, _, tick = value.partition(":")
    try:
        period_s, tick_ms = float(period), int(tick) if tick else None
    except ValueError:
        log.warning("%s=%r not understood (PERIOD_S[:TICK_MS]); no lag statistics",
                    STATS_ENV, value)
        return None
    if period_s <= 0 or (tick_ms is not None and tick_ms <= 0):
        return None
    return period_s, tick_ms


class LoopProbe(QObject):
    """Ticks every ``interval_ms``; each tick records how much later than due it came.

    ``keep_samples`` false: nothing is stored (the console's own probe only logs stalls of at
    least ``stall_ms``, at most one line per ``log_every_s``) — except one period's lags when
    ``KITCHENWATCH_LOOP_STATS`` asks for the periodic statistics line.
    """

    def __init__(self, interval_ms: int = 10, *, keep_samples: bool = True,
                 stall_ms: float | None = None, log_every_s: float = 10.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stats = None if keep_samples else stats_from_env(os.environ.get(STATS_ENV))
        if self.stats is not None and self.stats[1] is not None:
            interval_ms = self.stats[1]
        self._period: list[float] = []
        self._period_start = time.perf_counter()
        self.interval_s = interval_ms / 1000
        self.keep_samples = keep_samples
        self.stall_ms = stall_ms
        self.log_every_s = log_every_s
        self.samples: list[tuple[float, float]] = []  # (perf_counter when, lag ms)
        self.worst_ms = 0.0
        self._last = time.perf_counter()
        self._logged_at = float("-inf")
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.samples.clear()
        self.worst_ms = 0.0
        self._last = self._period_start = time.perf_counter()
        self._period.clear()
        self._timer.start()

    def stop(self) -> list[float]:
        """Stop ticking; returns the lags recorded (ms)."""
        self._timer.stop()
        return self.lags()

    def lags(self) -> list[float]:
        return [lag for _, lag in self.samples]

    def between(self, start: float, end: float) -> list[float]:
        """The lags of ticks that came between two ``time.perf_counter()`` readings."""
        return [lag for when, lag in self.samples if start <= when <= end]

    def _tick(self) -> None:
        now = time.perf_counter()
        lag = max(0.0, (now - self._last - self.interval_s) * 1000)
        self._last = now
        self.worst_ms = max(self.worst_ms, lag)
        if self.keep_samples:
            self.samples.append((now, lag))
        if self.stats is not None:
            self._period.append(lag)
            if now - self._period_start >= self.stats[0]:
                self._log_period(now)
        if self.stall_ms is not None and lag >= self.stall_ms \
                and now - self._logged_at >= self.log_every_s:
            self._logged_at = now
            log.warning("the UI thread was busy for %.0f ms (the wall and the controls did not "
                        "respond meanwhile)", lag)

    def _log_period(self, now: float) -> None:
        lags, self._period = self._period, []
        seconds, self._period_start = now - self._period_start, now
        log.info("%s %.1f s: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d ticks of %.0f ms, "
                 "%d over %.0f ms", STATS_LINE, seconds, percentile(lags, 50),
                 percentile(lags, 99), max(lags), len(lags), self.interval_s * 1000,
                 sum(1 for lag in lags if lag > OVER_MS), OVER_MS)
