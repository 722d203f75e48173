"""Persistence of the rule evaluator's per-sensor memory (hold timers, cycle progress).

Kept in the database rather than in process memory so that a restart does not forget a breach
that has been building for ten minutes, and so that several worker processes (PostgreSQL
``--workers``) evaluating readings of the same sensor share one memory. Ingest holds the
sensor's row lock while it reads, changes and writes the state (see :mod:`central.database`),
so each read-modify-write is atomic. A state is written only when a reading changed it.

The table is central-internal derived state, not part of the synced domain model, so it has its
own metadata and is created on start-up if missing (it can be dropped at any time: the rules
then start afresh, as after installing).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    select,
)
from sqlalchemy.orm import Session

from central import bulk
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
_stamp_lock = threading.Lock()  # PostgreSQL writers run on several threads


@dataclass
class Loaded:
    """Sensors' rule memory as read: working copies for the evaluator, and what is stored
    (``None``: no row yet) so that :func:`save` writes only what the readings changed."""

    states: dict[str, SensorState] = field(default_factory=dict)
    stored: dict[str, SensorState | None] = field(default_factory=dict)


def resolve(session: Session, stamps: dict[str, datetime | None],
            last_ts: dict[str, datetime | None]) -> Loaded:
    """The states of sensors whose stored stamps (``None``: no row) were read beside them;
    rows this process did not write last are read and parsed here."""
    loaded = Loaded()
    stale: list[str] = []
    for sid, stamp in stamps.items():
        if stamp is None:
            loaded.stored[sid] = None
            loaded.states[sid] = SensorState(last_ts=last_ts.get(sid))
            continue
        mine = _written.get(sid)
        if mine is not None and mine[0] == stamp:
            loaded.stored[sid] = mine[1]
            loaded.states[sid] = copy = mine[1].copy()  # the evaluator changes it in place
            copy.last_ts = last_ts.get(sid)
        else:
            stale.append(sid)
    for start in range(0, len(stale), 500):
        for sid, data in session.execute(
                select(rule_states.c.sensor_id, rule_states.c.state)
                .where(rule_states.c.sensor_id.in_(stale[start:start + 500]))):
            loaded.stored[sid] = SensorState.from_json(data)
            loaded.states[sid] = SensorState.from_json(data, last_ts.get(sid))
    return loaded


def load(session: Session, sensor_ids: list[str],
         last_ts: dict[str, datetime | None] | None = None) -> Loaded:
    """The remembered state of each sensor (a fresh state for ones never seen)."""
    stamps: dict[str, datetime | None] = dict.fromkeys(sensor_ids)
    for start in range(0, len(sensor_ids), 500):
        stamps.update((sid, stamp) for sid, stamp in session.execute(
            select(rule_states.c.sensor_id, rule_states.c.updated_at)
            .where(rule_states.c.sensor_id.in_(sensor_ids[start:start + 500]))))
    return resolve(session, stamps, last_ts or {})


def _stamp() -> datetime:
    """A save's ``updated_at``: strictly increasing within the process, so two saves never
    share a stamp that :func:`load` would mistake for the other's."""
    global _last_stamp
    with _stamp_lock:
        now: datetime = utcnow().replace(tzinfo=None)
        if _last_stamp is not None and now <= _last_stamp:
            now = _last_stamp + timedelta(microseconds=1)
        _last_stamp = now
        return now


def save(session: Session, loaded: Loaded) -> int:
    """Store the states that differ from what was loaded; returns how many were written."""
    new: list[SensorState] = []
    changed: list[str] = []
    for sid, state in loaded.states.items():
        before = loaded.stored.get(sid)
        if before is None:
            if state != _FRESH:
                changed.append(sid)
                new.append(state)
        elif state != before:
            changed.append(sid)
    if not changed:
        return 0
    now = _stamp()
    inserted = {id(s) for s in new}
    rows = [(sid, loaded.states[sid]) for sid in changed]
    if len(_written) > _WRITTEN_MAX:
        _written.clear()
    for sid, state in rows:
        _written[sid] = (now, state)  # not changed after this; resolve() hands out copies
    bulk.insert_rows(session, rule_states, [
        {"sensor_id": sid, "state": st.to_json(), "updated_at": now}
        for sid, st in rows if id(st) in inserted])
    bulk.update_rows(session, rule_states, "sensor_id", [
        {"sensor_id": sid, "state": st.to_json(), "updated_at": now}
        for sid, st in rows if id(st) not in inserted])
    return len(rows)


_FRESH = SensorState()
