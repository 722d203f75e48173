"""Persistence of the rule evaluator's per-sensor memory (hold timers, cycle progress).

Kept in the database rather than in process memory so that a restart does not forget a breach
that has been building for ten minutes, and so that several worker processes (PostgreSQL
``--workers``) evaluating readings of the same sensor share one memory. Ingest holds the
sensor's row lock while it reads, changes and writes the state (see :mod:`central.database`),
so each read-modify-write is atomic. A state is written only when a reading changed it.

The state must be read by a statement that *starts after* the lock is granted. Under READ
COMMITTED a statement sees the database as of its own start: a ``SELECT … FOR UPDATE OF
sensors`` that waited for another ingest's lock re-reads the sensor row once it gets the lock,
but any other table it joins still shows the state of before the wait (no row yet, or the
previous row). Read that way, two workers both inserted a sensor's first state (the second got
a UniqueViolation and the gateway's batch was refused), and a worker could continue from its
own older state, e.g. alarm on a breach that had ended in between. So ingest locks first and
then calls :func:`load`.

The table (``central_rule_state``, :class:`db.models.RuleState`) is central-internal derived
state, not part of the synced domain model; like every other table it is created by the Alembic
migrations (0002, which adopts the table earlier versions made by hand at start-up). Its rows
may be deleted at any time: the rules then start afresh, as after installing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import bulk
from central.rules import SensorState
from db.models import RuleState
from domain.clock import utcnow

rule_states = RuleState.__table__

_last_stamp: datetime | None = None
_stamp_lock = threading.Lock()  # PostgreSQL writers run on several threads


class Written:
    """What one worker (one rule engine, one per server process) last wrote for a sensor:
    (the row's ``updated_at`` stamp, the state).

    A stored row whose stamp is still that one holds exactly that state, so it need not be read
    and parsed again; another worker's write, or a rolled-back transaction, leaves a different
    stamp in the table and the row is read as before. Parsing the JSON of every sensor of every
    batch was a fifth of the ingest's cost. Shared by the worker's writer threads (plain dict
    operations, atomic under the GIL); two workers never share one, even in one process."""

    MAX = 200_000

    def __init__(self) -> None:
        self._rows: dict[str, tuple[datetime, SensorState]] = {}

    def get(self, sensor_id: str, stamp: datetime) -> SensorState | None:
        """The state this worker wrote with ``stamp``, if that is the one it wrote last."""
        mine = self._rows.get(sensor_id)
        return mine[1] if mine is not None and mine[0] == stamp else None

    def remember(self, sensor_id: str, stamp: datetime, state: SensorState) -> None:
        if len(self._rows) >= self.MAX:
            self._rows.clear()
        self._rows[sensor_id] = (stamp, state)


@dataclass
class Loaded:
    """Sensors' rule memory as read: working copies for the evaluator, and what is stored
    (``None``: no row yet) so that :func:`save` writes only what the readings changed."""

    states: dict[str, SensorState] = field(default_factory=dict)
    stored: dict[str, SensorState | None] = field(default_factory=dict)


def load(session: Session, written: Written, sensor_ids: list[str],
         last_ts: dict[str, datetime | None] | None = None) -> Loaded:
    """The remembered state of each sensor (a fresh state for ones never seen).

    Ingest calls it with the sensors' rows already locked, in a statement of its own (see the
    module docstring): rows this worker wrote last cost only their stamps; the others are read
    and parsed."""
    last_ts = last_ts or {}
    stamps: dict[str, datetime] = {}
    for chunk in bulk.id_chunks(session, sensor_ids):
        stamps.update((sid, stamp) for sid, stamp in session.execute(
            select(rule_states.c.sensor_id, rule_states.c.updated_at)
            .where(bulk.among(rule_states.c.sensor_id, chunk, session))))
    loaded = Loaded()
    stale: list[str] = []
    for sid in sensor_ids:
        stamp = stamps.get(sid)
        if stamp is None:
            loaded.stored[sid] = None
            loaded.states[sid] = SensorState(last_ts=last_ts.get(sid))
            continue
        mine = written.get(sid, stamp)
        if mine is not None:
            loaded.stored[sid] = mine
            loaded.states[sid] = copy = mine.copy()  # the evaluator changes it in place
            copy.last_ts = last_ts.get(sid)
        else:
            stale.append(sid)
    for chunk in bulk.id_chunks(session, stale):
        for sid, data in session.execute(
                select(rule_states.c.sensor_id, rule_states.c.state)
                .where(bulk.among(rule_states.c.sensor_id, chunk, session))):
            loaded.stored[sid] = SensorState.from_json(data)
            loaded.states[sid] = SensorState.from_json(data, last_ts.get(sid))
    return loaded


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


def save(session: Session, written: Written, loaded: Loaded) -> int:
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
    for sid, state in rows:
        written.remember(sid, now, state)  # not changed after this; load() hands out copies
    bulk.insert_rows(session, rule_states, [
        {"sensor_id": sid, "state": st.to_json(), "updated_at": now}
        for sid, st in rows if id(st) in inserted])
    bulk.update_rows(session, rule_states, "sensor_id", [
        {"sensor_id": sid, "state": st.to_json(), "updated_at": now}
        for sid, st in rows if id(st) not in inserted])
    return len(rows)


_FRESH = SensorState()
