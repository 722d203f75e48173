"""The 清洗消毒台账 written from evidence: one row per cabinet and meal service.

When a meal service has passed, :meth:`central.evaluator.RuleEngine.check_meals` judges it (a
valid cycle within ``window_before_min`` before it, or a ``no_disinfection`` alarm) and calls
:func:`record_meal` with the same answer: a valid cycle becomes a ledger row with the time it
reached its hold and the peak temperature the readings show; no cycle becomes a row flagged
missing. The rows are what :mod:`ledger.disinfection` exports as the business's ledger.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.rules import SensorState
from db.models import DisinfectionCycle, Reading, Sensor


def meal_name(local: datetime) -> str:
    """The meal period of a local service time (what a paper ledger's column says)."""
    if local.hour < 10:
        return "breakfast"
    return "lunch" if local.hour < 15 else "dinner"


def record_meal(session: Session, cabinet: Sensor, params: dict[str, Any], state: SensorState,
                meal: datetime, tz: ZoneInfo) -> DisinfectionCycle | None:
    """Write the ledger row of one cabinet and meal service (None if it is already there)."""
    local = meal.astimezone(tz)
    day, name = local.date(), meal_name(local)
    exists = session.scalar(select(DisinfectionCycle.id).where(
        DisinfectionCycle.sensor_id == cabinet.id, DisinfectionCycle.day == day,
        DisinfectionCycle.meal == name))
    if exists is not None:
        return None
    window = timedelta(minutes=float(params["window_before_min"]))
    hold = timedelta(minutes=float(params["hold_min"]))
    valid = [v for v in state.valid_cycles if meal - window <= v <= meal]
    row = DisinfectionCycle(business_id=cabinet.business_id, district_id=cabinet.district_id,
                            sensor_id=cabinet.id, day=day, meal=name)
    if valid:
        reached = max(valid)
        row.started_at, row.ended_at = reached - hold, reached
        row.held_min = hold.total_seconds() / 60
        row.peak_c = session.scalar(select(func.max(Reading.value)).where(
            Reading.sensor_id == cabinet.id, Reading.ts >= reached - hold - timedelta(hours=1),
            Reading.ts <= reached + timedelta(hours=1)))
        row.valid, row.missing = True, False
    else:
        row.valid, row.missing = False, True
    session.add(row)
    return row
