"""Closing a minor AI violation by a second online look (服务型执法: a first minor offence is
let off and looked at again) instead of a visit.

Why a rule of its own: a field visit for a cook seen once without a mask costs an officer half
a day; a second look at the same camera some minutes later shows whether it was put right. The
rule is narrow on purpose — only an AI violation, only a minor one, only with a look at *that*
camera, only once the minutes have passed since the alarm — so it cannot close a rodent or an
offline camera by a glance. :func:`refusal` says why not, or None when the look closes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.alarms import AlarmKind, Severity

#: Minutes between the alarm and the look that may close it.
SECOND_LOOK_MINUTES = 30


def earliest_look(opened_at: datetime, minutes: int = SECOND_LOOK_MINUTES) -> datetime:
    """The first moment a look counts as the second one."""
    return opened_at + timedelta(minutes=minutes)


def refusal(*, alarm_kind: str | None, severity: int | None, camera_id: str | None,
            opened_at: datetime | None, look_started_at: datetime | None, now: datetime,
            minutes: int = SECOND_LOOK_MINUTES) -> str | None:
    """Why a task may not be closed by a second look (English, for central's 409), or None.

    ``look_started_at``: the start of the latest recorded look at the alarm's camera that began
    at or after :func:`earliest_look` (None: there is none)."""
    if alarm_kind is None or opened_at is None:
        return "the task has no alarm: only an AI violation's task can be closed by a look"
    if alarm_kind != AlarmKind.AI_VIOLATION:
        return f"the task's alarm is {alarm_kind}, not an AI violation: visit the site"
    if severity is None or severity > Severity.MINOR:
        return "the task's AI violation is not minor: visit the site"
    if not camera_id:
        return "the task's alarm names no camera to look at again"
    earliest = earliest_look(opened_at, minutes)
    if now < earliest:
        wait = int((earliest - now).total_seconds() // 60) + 1
        return (f"a second look counts {minutes} minutes after the alarm: "
                f"look again at camera {camera_id} in {wait} min")
    if look_started_at is None or look_started_at < earliest:
        return (f"no look at camera {camera_id} is recorded since "
                f"{earliest.isoformat(timespec='minutes')}: look at it on the wall first")
    return None
