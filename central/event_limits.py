"""The major events whose tighter limits the rules apply (重大活动保障).

Kept apart from :mod:`central.major_events` (routes and actions) so that the rule engine can
read it without importing the action machinery. An event tightens a reading's limits when its
period covers the reading's time (:func:`domain.major_events.effective_params`), so the limits
revert by themselves when the period ends: nothing is written to the sensors.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import MajorEventRow
from domain.major_events import MajorEvent

#: Readings arrive late (a gateway's backlog): events that ended this long ago still apply to
#: the readings from their period.
LATE = timedelta(days=2)


def recent_events(session: Session, now: datetime) -> list[MajorEvent]:
    """Events that began before ``now`` and ended at most :data:`LATE` before it."""
    rows = session.scalars(select(MajorEventRow).where(MajorEventRow.starts_at <= now,
                                                       MajorEventRow.ends_at > now - LATE))
    return [MajorEvent(r.id, r.name, frozenset(r.business_ids or ()), r.starts_at, r.ends_at,
                       r.overrides or {}) for r in rows]
