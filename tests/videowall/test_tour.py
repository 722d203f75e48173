"""Tour model on a fake clock: pages, pinned cells, pre-open before every switch, pausing."""

from __future__ import annotations

import pytest

from videowall.source import TileSource
from videowall.tour import Tour, TourAction


def _sources(n: int) -> list[TileSource]:
    return [TileSource(f"c{i}", f"厨房 {i}", f"http://sim/live/c{i}/sub.ts") for i in range(n)]


def test_pages_fill_unpinned_cells_and_leave_pinned_ones_alone() -> None:
    tour = Tour(_sources(10), cell_count=4, pinned={0}, dwell_s=5)
    assert tour.page_count == 4  # 3 free cells per page
    cells = tour.cells(0)
    assert set(cells) == {1, 2, 3} and cells[1].camera_id == "c0"
    last = tour.cells(3)
    assert last[1].camera_id == "c9" and last[2] is None and last[3] is None


def test_next_page_is_preopened_before_each_switch() -> None:
    tour = Tour(_sources(8), cell_count=4, dwell_s=5, preopen_s=2)
    steps = tour.start(0.0)
    assert [s.action for s in steps] == [TourAction.SWITCH]
    assert tour.tick(2.9) == []
    pre = tour.tick(3.0)
    assert [s.action for s in pre] == [TourAction.PREOPEN] and pre[0].page == 1
    assert tour.tick(4.0) == []
    switch = tour.tick(5.0)
    assert [s.action for s in switch] == [TourAction.SWITCH]
    assert switch[0].cells == pre[0].cells  # exactly what was opened in the background
    assert [s.action for s in tour.tick(8.0)] == [TourAction.PREOPEN]
    assert tour.tick(10.0)[0].page == 0  # wraps around


def test_pause_cancels_the_preopen_and_resume_restarts_the_dwell() -> None:
    tour = Tour(_sources(8), cell_count=4, dwell_s=5, preopen_s=2)
    tour.start(0.0)
    tour.tick(3.5)
    steps = tour.pause_for_alarm()
    assert [s.action for s in steps] == [TourAction.CANCEL] and tour.paused_for_alarm
    assert tour.tick(100.0) == []
    tour.resume(200.0)
    assert tour.tick(202.9) == [] and tour.tick(203.0)[0].action == TourAction.PREOPEN


def test_dwell_has_a_floor_and_a_single_page_never_switches() -> None:
    with pytest.raises(ValueError):
        Tour(_sources(8), cell_count=4, dwell_s=2)
    tour = Tour(_sources(3), cell_count=4, dwell_s=3)
    tour.start(0.0)
    assert tour.tick(1000.0) == []
