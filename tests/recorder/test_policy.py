"""What the recorder keeps of a finished segment (pure decisions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from recorder.policy import AlarmTimes, CameraPlan, decide

T = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def plan(**modes: dict) -> CameraPlan:
    return CameraPlan("cam", "D01", "http://x/cam.ts", modes)


def test_alarm_windows_reach_back_by_the_pre_roll_and_forward_by_the_post_roll() -> None:
    alarms = AlarmTimes()
    alarms.add("cam", [T])
    p = plan(alarm={"retention_days": 180, "pre_s": 10, "post_s": 20})
    assert decide(p, alarms, T - 12 * S, T - 9 * S).reason == "alarm"  # reaches the pre-roll
    assert decide(p, alarms, T - 22 * S, T - 11 * S) is None  # ends before the pre-roll
    assert decide(p, alarms, T + 19 * S, T + 29 * S).retention_days == 180  # starts in post
    assert decide(p, alarms, T + 20 * S, T + 30 * S) is None  # starts after the post-roll
    assert decide(p, AlarmTimes(), T, T + 10 * S) is None  # no alarm: into the buffer


def test_the_longest_retention_wins_and_demand_ends_at_its_until() -> None:
    alarms = AlarmTimes()
    alarms.add("cam", [T])
    p = plan(continuous={"retention_days": 7},
             alarm={"retention_days": 180, "pre_s": 10, "post_s": 20},
             demand={"retention_days": 90, "until": (T + 60 * S).isoformat()})
    assert decide(p, alarms, T, T + 10 * S).reason == "alarm"
    assert decide(p, alarms, T + 40 * S, T + 50 * S).reason == "demand"
    assert decide(p, alarms, T + 60 * S, T + 70 * S).reason == "continuous"
    assert decide(None, alarms, T, T + 10 * S) is None  # no longer planned
