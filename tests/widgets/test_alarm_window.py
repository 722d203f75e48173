"""The alarm list's window onto the database: the newest alarms needing action and the newest
finished ones stay; the oldest of each go (they remain in the local database)."""

from __future__ import annotations

import pytest

from tests.widgets.conftest import alarm
from widgets.models.alarm_window import AlarmWindow, live_total


def test_the_oldest_beyond_each_limit_are_let_go() -> None:
    # alarm(i) was last seen i minutes ago: a higher i is older.
    live = [alarm(i) for i in range(1, 8)] + [alarm(20, state="acknowledged"),
                                              alarm(21, state="dispatched")]
    finished = [alarm(i, state="closed") for i in range(30, 34)] + [alarm(40, state="dismissed")]
    window = AlarmWindow(live=5, finished=2)
    gone = window.overflow(live + finished)
    assert sorted(gone) == sorted([alarm(i).id for i in (6, 7, 20, 21)]
                                  + [alarm(i).id for i in (32, 33, 40)])
    assert window.overflow([alarm(1), alarm(30, state="closed")]) == []


def test_counts_needing_action_and_limits_are_checked() -> None:
    assert live_total({"open": 3, "acknowledged": 2, "dispatched": 1, "closed": 9}) == 6
    with pytest.raises(ValueError):
        AlarmWindow(live=0)
