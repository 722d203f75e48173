"""What to keep of a finished segment: pure decisions, no files, no network.

Every planned camera is captured all the time; a finished segment is *kept* (moved into the
store and indexed) when a continuous or on-demand policy covers it or an alarm window overlaps
it, and otherwise waits in the rolling buffer. An alarm that arrives later keeps the buffered
segments its pre-roll reaches; a buffered segment older than the buffer is deleted. So the
pre-roll is whatever the buffer holds (at least the policy's ``pre_s``) and the post-roll is
every segment that starts before the alarm time plus ``post_s``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.recordings import DEFAULT_RETENTION_DAYS, RecordingMode


@dataclass(frozen=True)
class Keep:
    """Keep a segment: why (the index's ``reason``) and for how many days."""

    reason: str
    retention_days: int


@dataclass(frozen=True)
class CameraPlan:
    """One camera as central's plan describes it (``GET /api/recorder/plan``)."""

    camera_id: str
    district_id: str
    url: str
    modes: Mapping[str, Mapping[str, Any]]

    @classmethod
    def from_payload(cls, row: Mapping[str, Any]) -> CameraPlan:
        return cls(str(row["camera_id"]), str(row["district_id"]), str(row["url"]),
                   dict(row["modes"]))

    def retention(self, mode: str) -> int:
        return int(self.modes.get(mode, {}).get("retention_days")
                   or DEFAULT_RETENTION_DAYS[mode])

    def roll(self) -> tuple[timedelta, timedelta]:
        alarm = self.modes.get(RecordingMode.ALARM, {})
        return (timedelta(seconds=int(alarm.get("pre_s", 10))),
                timedelta(seconds=int(alarm.get("post_s", 20))))

    def demand_until(self) -> datetime | None:
        until = self.modes.get(RecordingMode.DEMAND, {}).get("until")
        return datetime.fromisoformat(until) if until else None


@dataclass
class AlarmTimes:
    """The moments alarms were raised or seen again, per camera (from the change feed)."""

    times: dict[str, set[datetime]] = field(default_factory=dict)

    def add(self, camera_id: str, moments: Iterable[datetime]) -> bool:
        """Remember ``moments``; True if one of them is new."""
        known = self.times.setdefault(camera_id, set())
        before = len(known)
        known.update(moments)
        return len(known) > before

    def forget_before(self, cutoff: datetime) -> None:
        for camera_id in list(self.times):
            self.times[camera_id] = {t for t in self.times[camera_id] if t >= cutoff}
            if not self.times[camera_id]:
                del self.times[camera_id]

    def overlaps(self, camera_id: str, start: datetime, end: datetime, pre: timedelta,
                 post: timedelta) -> bool:
        return any(t - pre < end and start < t + post for t in self.times.get(camera_id, ()))


def decide(plan: CameraPlan | None, alarms: AlarmTimes, start: datetime,
           end: datetime) -> Keep | None:
    """Keep the segment [start, end) of ``plan``'s camera, or None (into the buffer)."""
    if plan is None:
        return None
    reasons: list[Keep] = []
    if RecordingMode.CONTINUOUS in plan.modes:
        reasons.append(Keep(RecordingMode.CONTINUOUS, plan.retention(RecordingMode.CONTINUOUS)))
    until = plan.demand_until()
    if until is not None and start < until:
        reasons.append(Keep(RecordingMode.DEMAND, plan.retention(RecordingMode.DEMAND)))
    if RecordingMode.ALARM in plan.modes:
        pre, post = plan.roll()
        if alarms.overlaps(plan.camera_id, start, end, pre, post):
            reasons.append(Keep(RecordingMode.ALARM, plan.retention(RecordingMode.ALARM)))
    if not reasons:
        return None
    return max(reasons, key=lambda keep: keep.retention_days)


def alarm_moments(row: Mapping[str, Any]) -> list[datetime]:
    """The alarm's times worth a clip: when it opened and when it was last seen again."""
    out = []
    for key in ("opened_at", "last_seen_at"):
        value = row.get(key)
        if isinstance(value, str) and value:
            try:
                out.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return out
