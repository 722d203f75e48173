"""Persistence of the rule evaluator's per-sensor memory (hold timers, cycle progress).

Kept in the database rather than in process memory so that a restart does not forget a breach
that has been building for ten minutes, and so that several worker processes (PostgreSQL
``--workers``) evaluating readings of the same sensor share one memory; the writers' lock in
:mod:`central.database` makes each read-modify-write atomic.

The table is central-internal derived state, not part of the synced domain model, so it has its
own metadata and is created on start-up if missing (it can be dropped at any time: the rules
then start afresh, as after installing).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from central.rules import SensorState
from db.models import utcnow

metadata = MetaData()
rule_states = Table(
    "central_rule_state", metadata,
    Column("sensor_id", String(48), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def create_table(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)


def load(session: Session,
         sensor_ids: list[str]) -> tuple[dict[str, SensorState], set[str]]:
    """The remembered state of each sensor (a fresh state for ones never seen), and the ids
    that already have a stored row (for :func:`save`)."""
    found: dict[str, Any] = {}
    for start in range(0, len(sensor_ids), 500):
        chunk = sensor_ids[start:start + 500]
        found.update(session.execute(select(rule_states.c.sensor_id, rule_states.c.state)
                                     .where(rule_states.c.sensor_id.in_(chunk))).all())
    return {sid: SensorState.from_json(found.get(sid)) for sid in sensor_ids}, set(found)


def save(session: Session, states: dict[str, SensorState], existing: set[str]) -> None:
    now: datetime = utcnow().replace(tzinfo=None)
    new = [{"sensor_id": sid, "state": st.to_json(), "updated_at": now}
           for sid, st in states.items() if sid not in existing]
    old = [{"sid": sid, "state": st.to_json(), "updated_at": now}
           for sid, st in states.items() if sid in existing]
    if new:
        session.execute(insert(rule_states), new)
    if old:
        session.execute(update(rule_states).where(rule_states.c.sensor_id == bindparam("sid"))
                        .values(state=bindparam("state"), updated_at=bindparam("updated_at")),
                        old)
