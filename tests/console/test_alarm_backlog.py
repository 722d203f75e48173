"""A night of alarm storms nobody acknowledges: the console's memory stays flat.

20,000 alarms arrive through the real change application (the local SQLite store's
``apply_changes``, then the calls the sync coordinator makes) into the real alarm centre on a
real main window. The operator must still see the true number of alarms waiting, be told that
the list does not hold all of them, and find the older ones coming into the list as the newer
ones are handled; meanwhile the list, the panels, the wall marks and the Python objects the
console holds stay bounded (the soak's target is ≤ 2 MB/h for the console)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from bench.alarm_heap import Feed, Probe
from tests.console.conftest import run

pytestmark = pytest.mark.timeout(120)

TOTAL = 20_000
PAGE = 1_000
LIVE_LIMIT = 2_000  # console.alarms.centre.LIVE_LIMIT: what the list holds of them
# Python objects the console may gain per 1,000 further alarms once the list is full. Before
# the list was bounded it kept at least one AlarmRow per alarm (> 1,000 per 1,000 alarms).
MAX_OBJECTS_PER_1000 = 100


def feed_storm(qloop, probe: Probe, feed: Feed, alarms: int) -> None:
    now = datetime.now(UTC)
    for _ in range(alarms // PAGE):
        run(qloop, probe.feed([feed.new_alarm(now) for _ in range(PAGE)]))
    run(qloop, probe.settle())


def tracked_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


def test_twenty_thousand_unacknowledged_alarms_keep_the_console_bounded(
        qloop, qtbot, tmp_path: Path) -> None:
    feed = Feed(keep=PAGE)
    probe = Probe(tmp_path)
    run(qloop, probe.start())
    centre = probe.centre
    try:
        run(qloop, probe.feed(feed.registry()))
        run(qloop, probe.settle())
        assert centre.loaded

        feed_storm(qloop, probe, feed, TOTAL // 2)  # warm-up: the list fills its window
        widgets = len(QApplication.allWidgets())
        objects = tracked_objects()
        feed_storm(qloop, probe, feed, TOTAL // 2)
        grown = (tracked_objects() - objects) / (TOTAL // 2 / 1000)

        # The operator sees the true count, and that the list does not hold them all.
        assert centre.counters.counts()["open"] == TOTAL
        held = len(centre.list.model.groups)
        assert held == LIVE_LIMIT
        assert centre.list.not_listed() == TOTAL - LIVE_LIMIT
        assert centre.list.more_label.isVisibleTo(centre.list)
        assert f"{TOTAL - LIVE_LIMIT} more alarms waiting for action" in \
            centre.list.more_label.text()
        # The newest are the ones listed.
        assert centre.list.alarm(f"a{TOTAL:07d}") is not None
        assert centre.list.alarm(f"a{TOTAL - LIVE_LIMIT:07d}") is None

        # Bounded: rows, panels, widgets, wall marks (per camera), Python objects.
        assert centre.list.model.rowCount() <= held
        assert len(centre.panels) <= probe.max_visible_popups
        # ... and the storm's panels did pop up, with their (stand-in) video.
        assert centre.panels and all(p.isVisible() for p in centre.panels.values())
        assert len(QApplication.allWidgets()) <= widgets
        assert len(centre.marks) <= feed.businesses * feed.cameras_per_business
        assert grown < MAX_OBJECTS_PER_1000, \
            f"{grown:.0f} Python objects kept per 1,000 further alarms"

        # Nothing is lost: closing the 1,000 newest brings the next-older ones into the list.
        now = datetime.now(UTC)
        newest = [f"a{i:07d}" for i in range(TOTAL - PAGE + 1, TOTAL + 1)]
        run(qloop, probe.feed([feed.update(i, now, state="closed", closed_at=now.isoformat())
                               for i in newest]))
        run(qloop, probe.settle())
        assert centre.counters.counts()["open"] == TOTAL - PAGE
        older = f"a{TOTAL - LIVE_LIMIT - PAGE + 1:07d}"
        assert centre.list.alarm(older) is not None
        assert centre.list.alarm(older).state == "open"
        assert centre.list.not_listed() == TOTAL - PAGE - LIVE_LIMIT
    finally:
        run(qloop, probe.stop())
