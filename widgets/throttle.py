"""Coalesce bursts of updates into a fixed maximum rate.

Sensor readings, alarm bursts and sync pages arrive in clumps; repainting a gauge or a chart
for each one wastes the UI thread a wall of 64 tiles needs. :class:`Throttle` calls its
function at most once per interval: the first call of a quiet period runs at once (no added
latency), further calls within the interval collapse into one trailing call at its end (the
latest state is never lost).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer


class Throttle(QObject):
    def __init__(self, func: Callable[[], None], interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._func = func
        self.interval_ms = interval_ms
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.calls = 0  # how often the function actually ran (diagnostics, tests)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def trigger(self) -> None:
        if self._timer.isActive():
            return
        if not self._clock.isValid() or self._clock.elapsed() >= self.interval_ms:
            self._fire()
        else:
            self._timer.start(max(0, self.interval_ms - self._clock.elapsed()))

    def flush(self) -> None:
        """Run a pending trailing call now (e.g. before grabbing the widget)."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def cancel(self) -> None:
        self._timer.stop()

    def _fire(self) -> None:
        self._clock.restart()
        self.calls += 1
        self._func()
