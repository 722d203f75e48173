"""Alarm popups are rate limited, most severe first, repeats merged."""

from __future__ import annotations

import pytest

from widgets.models.popup_queue import Offer, PopupQueue


def test_first_popup_immediately_then_at_most_one_per_interval() -> None:
    q = PopupQueue(min_interval_s=5)
    for i in range(4):
        assert q.offer(f"a{i}", 3, now=0.0) is Offer.QUEUED
    assert q.pop_due(0.0).alarm_id == "a0"
    assert q.pop_due(1.0) is None
    assert q.seconds_until_due(1.0) == pytest.approx(4.0)
    assert q.pop_due(4.99) is None
    assert q.pop_due(5.0).alarm_id == "a1"
    shown = [e.alarm_id for t in range(6, 40) if (e := q.pop_due(float(t)))]
    assert shown == ["a2", "a3"]  # at t=10 and t=15, nothing more after
    assert q.seconds_until_due(40.0) is None


def test_highest_severity_first_oldest_first_within_severity() -> None:
    q = PopupQueue(min_interval_s=1)
    q.offer("minor-old", 2, now=0)
    q.offer("major-old", 3, now=1)
    q.offer("crit", 4, now=2)
    q.offer("major-new", 3, now=3)
    order = [q.pop_due(10.0 + i).alarm_id for i in range(4)]
    assert order == ["crit", "major-old", "major-new", "minor-old"]


def test_repeats_are_merged_and_can_raise_severity() -> None:
    q = PopupQueue(min_interval_s=10)
    q.offer("first", 3, now=0)
    assert q.pop_due(0).alarm_id == "first"
    q.offer("a", 2, now=1, item={"count": 1})
    q.offer("b", 3, now=2)
    assert q.offer("a", 4, now=3, item={"count": 2}) is Offer.MERGED
    assert q.offer("a", 2, now=4) is Offer.MERGED
    assert len(q) == 2
    entry = q.pop_due(10)
    assert entry.alarm_id == "a"
    assert entry.severity == 4 and entry.repeats == 2 and entry.item == {"count": 2}


def test_alarm_on_screen_is_not_queued_again_until_closed() -> None:
    q = PopupQueue(min_interval_s=0)
    q.offer("a", 3, now=0)
    q.pop_due(0)
    assert q.offer("a", 3, now=1) is Offer.ON_SCREEN
    assert len(q) == 0
    q.closed("a")
    assert q.offer("a", 3, now=2) is Offer.QUEUED


def test_discard_and_capacity() -> None:
    q = PopupQueue(min_interval_s=0, max_queued=2)
    q.offer("x", 2, now=0)
    q.offer("y", 3, now=1)
    assert q.offer("z", 2, now=2) is Offer.DROPPED  # not more severe than what waits
    assert q.offer("w", 4, now=3) is Offer.QUEUED  # pushes out the weakest ("x")
    assert [e.alarm_id for e in q.pending()] == ["w", "y"]
    assert q.dropped == 2
    assert q.discard("y") and not q.discard("y")
    assert [e.alarm_id for e in q.pending()] == ["w"]
