"""How late the Qt event loop runs: a short timer whose ticks arrive late while the UI thread
is busy. A late tick is what an operator feels as a frozen wall or a click that does nothing.

The console keeps one running at a coarse interval and logs stalls (the log then says when the
UI froze and for how long, which is where troubleshooting starts); the benchmarks and the
responsiveness tests run one at 10 ms and read its samples.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger("kitchenwatch.console.loop")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class LoopProbe(QObject):
    """Ticks every ``interval_ms``; each tick records how much later than due it came.

    ``keep_samples`` false: nothing is stored (the console's own probe only logs stalls of at
    least ``stall_ms``, at most one line per ``log_every_s``).
    """

    def __init__(self, interval_ms: int = 10, *, keep_samples: bool = True,
                 stall_ms: float | None = None, log_every_s: float = 10.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        self._last = time.perf_counter()
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
        if self.stall_ms is not None and lag >= self.stall_ms \
                and now - self._logged_at >= self.log_every_s:
            self._logged_at = now
            log.warning("the UI thread was busy for %.0f ms (the wall and the controls did not "
                        "respond meanwhile)", lag)
