"""What the operator's alarm actions change in the local cache, before central confirms them.

Each action (acknowledge, dismiss, escalate, dispatch) is written to the outbox together with
its local effect in one transaction (:meth:`LocalStore.record_action`), so the list, the panel
and the task board show the new state at once, with the server away too. The effect is the
same change central makes when it applies the action (``central/actions.py``), in the
domain's words (:mod:`domain.alarms`, :mod:`domain.tasks`): an alarm central would refuse to
move (a dispatched alarm acknowledged again, a closed one dismissed) is not moved here either,
so the console never shows a state central will not reach. Central's answer, synced back,
is the truth either way.

Qt-free: each function returns an ``effect(session)`` for the store's writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from db.models import Alarm, Task, TaskEvent, utcnow
from db.serialize import from_payload
from domain.alarms import AlarmState, Severity
from domain.tasks import TaskState

Effect = Callable[[Session], None]

#: States an alarm can be dismissed from (central refuses the others).
DISMISSABLE = frozenset({AlarmState.OPEN, AlarmState.ACKNOWLEDGED})


def acknowledge(alarm_id: str, user: str) -> Effect:
    """An open alarm becomes acknowledged by ``user``; any other state stays."""

    def effect(session: Session) -> None:
        alarm = session.get(Alarm, alarm_id)
        if alarm is not None and alarm.state == AlarmState.OPEN:
            alarm.state = AlarmState.ACKNOWLEDGED
            alarm.acked_at, alarm.acked_by = utcnow(), user

    return effect


def dismiss(alarm_id: str, reason: str, user: str) -> Effect:
    """An open or acknowledged alarm is dismissed (a false positive) with ``reason``."""

    def effect(session: Session) -> None:
        alarm = session.get(Alarm, alarm_id)
        if alarm is None or alarm.state not in DISMISSABLE:
            return
        now = utcnow()
        alarm.state, alarm.dismiss_reason, alarm.closed_at = AlarmState.DISMISSED, reason, now
        if alarm.acked_at is None:
            alarm.acked_at, alarm.acked_by = now, user

    return effect


def escalate(alarm_id: str) -> Effect:
    """The alarm becomes critical (escalation never lowers a severity)."""

    def effect(session: Session) -> None:
        alarm = session.get(Alarm, alarm_id)
        if alarm is not None and alarm.severity < Severity.CRITICAL:
            alarm.severity = int(Severity.CRITICAL)

    return effect


def dispatch(alarm_id: str, draft: Mapping[str, Any], user: str) -> Effect:
    """A new task from the operator's ``draft`` (in its first state of the closed loop), its
    ``dispatch`` event, and the alarm marked dispatched to it."""

    def effect(session: Session) -> None:
        values = from_payload(Task, dict(draft))
        values.setdefault("state", TaskState.DISPATCHED)
        values["alarm_id"] = alarm_id
        task = Task(**values)
        session.add(task)
        session.flush()  # the task's id (a column default) for the event
        session.add(TaskEvent(task_id=task.id, district_id=task.district_id, actor=user,
                              action="dispatch", from_state="",
                              to_state=TaskState.DISPATCHED, note=task.notes))
        alarm = session.get(Alarm, alarm_id)
        if alarm is not None:
            alarm.state, alarm.task_id = AlarmState.DISPATCHED, task.id
            if alarm.acked_at is None:
                alarm.acked_at, alarm.acked_by = utcnow(), user

    return effect
