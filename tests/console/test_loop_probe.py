"""The event-loop probe: late ticks measure how long the UI thread was busy, and the console's
own probe logs a stall an operator would have felt."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QTimer

from console.loop_probe import LoopProbe, percentile


def test_a_blocked_ui_thread_is_measured_and_logged(qtbot, caplog) -> None:
    probe = LoopProbe(10, stall_ms=150)
    caplog.set_level(logging.WARNING, logger="kitchenwatch.console.loop")
    probe.start()
    qtbot.wait(100)
    assert probe.lags() and max(probe.lags()) < 150  # idle: nothing logged
    assert not caplog.records
    QTimer.singleShot(0, lambda: time.sleep(0.3))  # the UI thread busy for 300 ms
    qtbot.wait(150)
    probe.stop()
    assert probe.worst_ms >= 250
    (record,) = caplog.records
    assert "the UI thread was busy for" in record.getMessage()
    assert int(record.getMessage().split("for ")[1].split(" ms")[0]) >= 250


def test_percentile_is_nearest_rank() -> None:
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 99) == 99.0
    assert percentile([], 99) != percentile([], 99)  # NaN: no samples is not "no lag"
