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

from datetime import datetime, timedelta

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


# What this process last wrote for a sensor: (the row's ``updated_at`` stamp, the state). A
# stored row whose stamp is still that one holds exactly that state, so it need not be read
# and parsed again; another worker's write, or a rolled-back transaction, leaves a different
# stamp in the table and the row is read as before. Parsing the JSON of every sensor of every
# batch was a fifth of the ingest's cost.
_written: dict[str, tuple[datetime, SensorState]] = {}
_WRITTEN_MAX = 200_000
_last_stamp: datetime | None = None


def load(session: Session,
         sensor_ids: list[str]) -> tuple[dict[str, SensorState], set[str]]:
    """The remembered state of each sensor (a fresh state for ones never seen), and the ids
    that already have a stored row (for :func:`save`)."""
    states: dict[str, SensorState] = {}
    existing: set[str] = set()
    for start in range(0, len(sensor_ids), 500):
        chunk = sensor_ids[start:start + 500]
        stale: list[str] = []
        for sid, stamp in session.execute(
                select(rule_states.c.sensor_id, rule_states.c.updated_at)
                .where(rule_states.c.sensor_id.in_(chunk))):
            existing.add(sid)
            mine = _written.get(sid)
            if mine is not None and mine[0] == stamp:
                states[sid] = mine[1].copy()  # the evaluator changes it in place
            else:
                stale.append(sid)
        if stale:
            for sid, data in session.execute(
                    select(rule_states.c.sensor_id, rule_states.c.state)
                    .where(rule_states.c.sensor_id.in_(stale))):
                states[sid] = SensorState.from_json(data)
    for sid in sensor_ids:
        states.setdefault(sid, SensorState())
    return states, existing


def _stamp() -> datetime:
    """A save's ``updated_at``: strictly increasing within the process, so two saves never
    share a stamp that :func:`load` would mistake for the other's."""
    global _last_stamp
    now: datetime = utcnow().replace(tzinfo=None)
    if _last_stamp is not None and now <= _last_stamp:
        now = _last_stamp + timedelta(microseconds=1)
    _last_stamp = now
    return now


def save(session: Session, states: dict[str, SensorState], existing: set[str]) -> None:
    now = _stamp()
    new = [{"sensor_id": sid, "state": st.to_json(), "updated_at": now}
           for sid, st in states.items() if sid not in existing]
    old = [{"sid": sid, "state": st.to_json(), "updated_at": now}
           for sid, st in states.items() if sid in existing]
    if len(_written) > _WRITTEN_MAX:
        _written.clear()
    for sid, st in states.items():
        _written[sid] = (now, st.copy())
    if new:
        session.execute(insert(rule_states), new)
    if old:
        session.execute(update(rule_states).where(rule_states.c.sensor_id == bindparam("sid"))
                        .values(state=bindparam("state"), updated_at=bindparam("updated_at")),
                        old)
