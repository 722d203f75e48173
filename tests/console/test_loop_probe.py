"""The event-loop probe: late ticks measure how long the UI thread was busy, and the console's
own probe logs a stall an operator would have felt."""

from __future__ import annotations

import logging
import re
import time

from PySide6.QtCore import QTimer

from console.diagnostics.loop_probe import (
    STATS_ENV,
    STATS_LINE,
    LoopProbe,
    percentile,
    stats_from_env,
)


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


def test_the_consoles_probe_writes_lag_percentiles_when_asked(qtbot, caplog, monkeypatch) -> None:
    """``KITCHENWATCH_LOOP_STATS`` (read by bench/soak.py from the real console's log): one
    line per period whose p99 and max show a 200 ms stall, ticking at the asked interval."""
    monkeypatch.setenv(STATS_ENV, "0.5:10")
    caplog.set_level(logging.INFO, logger="kitchenwatch.console.loop")
    probe = LoopProbe(100, keep_samples=False, stall_ms=500)  # as console.shell.app builds it
    assert probe.interval_s == 0.010
    probe.start()
    QTimer.singleShot(50, lambda: time.sleep(0.2))
    qtbot.waitUntil(lambda: any(STATS_LINE in r.getMessage() for r in caplog.records),
                    timeout=3000)
    probe.stop()
    line = next(r.getMessage() for r in caplog.records if STATS_LINE in r.getMessage())
    numbers = re.search(r"p99 ([\d.]+) ms, max ([\d.]+) ms, (\d+) ticks of 10 ms, (\d+) over",
                        line)
    assert numbers, line
    assert float(numbers[2]) >= 150 and int(numbers[4]) >= 1
    assert int(numbers[3]) >= 10  # ticks every 10 ms, not every 100 ms


def test_no_lag_statistics_unless_asked(qtbot, caplog, monkeypatch) -> None:
    monkeypatch.delenv(STATS_ENV, raising=False)
    caplog.set_level(logging.INFO, logger="kitchenwatch.console.loop")
    probe = LoopProbe(10, keep_samples=False, stall_ms=500)
    probe.start()
    qtbot.wait(300)
    probe.stop()
    assert not [r for r in caplog.records if STATS_LINE in r.getMessage()]
    assert stats_from_env("10:10") == (10.0, 10) and stats_from_env("7") == (7.0, None)
    assert stats_from_env("soon") is None and stats_from_env("0") is None
