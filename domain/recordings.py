"""Recording modes and their default retention (issue 16): shared by central and the recorder."""

from __future__ import annotations

import enum


class RecordingMode(enum.StrEnum):
    CONTINUOUS = "continuous"  # around the clock, for chosen cameras or groups
    ALARM = "alarm"  # pre-roll from the rolling buffer + post-roll around each alarm
    DEMAND = "demand"  # an operator's "record now", until stopped


#: Days a segment is kept after it ended, unless an evidence lock covers it.
DEFAULT_RETENTION_DAYS: dict[str, int] = {
    RecordingMode.CONTINUOUS: 7,
    RecordingMode.ALARM: 180,
    RecordingMode.DEMAND: 180,
}
MIN_PRE_ROLL_S = 10
MIN_POST_ROLL_S = 20
