"""Writing and reading the latest-state change feed (docs/protocol.md, "Change feed").

:func:`record` must be called in the same transaction as the change it describes: then a
console that has seen sequence N has seen every committed change up to N and nothing that
rolled back. The feed keeps one row per entity: a change deletes the entity's old row and
inserts the new state with a new, higher ``seq``, so reading from 0 is a complete snapshot.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from central.scope import CITYWIDE_ENTITIES
from db.models import SYNCED_ENTITIES, Base, ChangeLog, SyncState, utcnow
from db.serialize import to_payload

ENTITY_OF: dict[type[Base], str] = {model: name for name, model in SYNCED_ENTITIES.items()}
CHANGES_CHANNEL = "kw_changes"  # NOTIFY after a commit that wrote feed rows (no payload)
READINGS_CHANNEL = "kw_readings"  # NOTIFY with live readings for the other workers
NOTIFY_LIMIT = 7800  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more


def _district_of(entity: str, payload: dict[str, Any]) -> str | None:
    return payload["id"] if entity == "district" else payload.get("district_id")


def record(session: Session, row: Base, deleted: bool = False) -> None:
    """Put ``row``'s state into the feed when this transaction commits.

    Recording is deferred to the commit (:func:`flush_feed`, hooked on the server's sessions)
    so that a row changed several times in one transaction gets one feed entry with its final
    state, and the feed is written with one DELETE and one INSERT per entity kind.
    """
    if row in session.new:
        session.flush()  # new rows get their ids and column defaults now, for the caller
    pending: dict[tuple[str, int], tuple[Base, bool]] = session.info.setdefault(
        "feed_pending", {})
    key = (ENTITY_OF[type(row)], id(row))
    pending.pop(key, None)  # re-recording moves it to the end: seq order = last change order
    pending[key] = (row, deleted)


def flush_feed(session: Session) -> None:
    """Write the feed entries recorded in this transaction (before its commit)."""
    pending: dict[tuple[str, int], tuple[Base, bool]] = session.info.pop("feed_pending", {})
    if not pending:
        return
    session.flush()
    lock_key = session.info.get("feed_lock_key")
    if lock_key is not None:  # a concurrent writer: feed rows in commit order (see database)
        session.execute(select(func.pg_advisory_xact_lock(lock_key)))
    now = utcnow()
    rows: list[dict[str, Any]] = []
    by_entity: dict[str, list[str]] = {}
    for (entity, _), (row, deleted) in pending.items():
        payload = to_payload(row)
        entity_id = str(payload["id"])
        by_entity.setdefault(entity, []).append(entity_id)
        rows.append({"entity": entity, "entity_id": entity_id,
                     "district_id": _district_of(entity, payload), "deleted": deleted,
                     "payload": payload, "ts": now})
    table = ChangeLog.__table__
    for entity, ids in by_entity.items():
        for start in range(0, len(ids), 500):
            session.execute(delete(table).where(table.c.entity == entity,
                                                table.c.entity_id.in_(ids[start:start + 500])))
    session.execute(insert(table), rows)
    session.info["feed_written"] = True


def record_bulk(session: Session, entity: str, payloads: Iterable[dict[str, Any]]) -> int:
    """Feed rows for freshly bulk-inserted entities (no previous entries to replace)."""
    now = utcnow()
    rows = []
    for payload in payloads:
        clean = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in payload.items()
                 if k != "password_hash"}
        rows.append({"entity": entity, "entity_id": str(clean["id"]),
                     "district_id": _district_of(entity, clean), "deleted": False,
                     "payload": clean, "ts": now})
    if rows:
        session.execute(insert(ChangeLog), rows)
        session.info["feed_written"] = True
    return len(rows)


FEED_ID_KEY = "central.feed_id"


def feed_id(session: Session) -> str:
    """This database's feed identity: a cursor is only meaningful with the same feed id.

    Created once per database (a replaced or re-created database gets a new one), so a console
    holding a cursor from another database can tell and sync again from 0.
    """
    row = session.get(SyncState, FEED_ID_KEY)
    return row.value if row is not None else ""


def ensure_feed_id(session: Session) -> str:
    row = session.get(SyncState, FEED_ID_KEY)
    if row is None:
        row = SyncState(key=FEED_ID_KEY, value=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row.value


def head_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0


def as_message(change: ChangeLog) -> dict[str, Any]:
    return {"seq": change.seq, "entity": change.entity, "id": change.entity_id,
            "district_id": change.district_id, "deleted": change.deleted,
            "payload": change.payload}


def read(session: Session, since: int, limit: int, *, upto: int | None = None,
         district_id: str | None = None,
         entities: frozenset[str] | None = None) -> list[ChangeLog]:
    """Feed rows with ``since < seq <= upto`` in sequence order, filtered in SQL to a scope
    (so paging stays cheap for a district user in a city of thousands of businesses)."""
    stmt = select(ChangeLog).where(ChangeLog.seq > since)
    if upto is not None:
        stmt = stmt.where(ChangeLog.seq <= upto)
    if district_id is not None:
        stmt = stmt.where(or_(ChangeLog.district_id == district_id,
                              and_(ChangeLog.district_id.is_(None),
                                   ChangeLog.entity.in_(sorted(CITYWIDE_ENTITIES)))))
    if entities is not None:
        stmt = stmt.where(ChangeLog.entity.in_(sorted(entities)))
    return list(session.scalars(stmt.order_by(ChangeLog.seq).limit(limit)))


def current(session: Session, entity: str, entity_id: str) -> ChangeLog | None:
    return session.scalar(select(ChangeLog).where(
        tuple_(ChangeLog.entity, ChangeLog.entity_id) == (entity, entity_id)))


def notify_readings(session: Session, origin: str,
                    messages: list[tuple[dict[str, Any], str | None]]) -> None:
    """Tell the other worker processes about live readings (PostgreSQL only).

    Sent inside the ingest transaction, so PostgreSQL delivers them only if it commits.
    Payloads are chunked under NOTIFY's 8000-byte limit.
    """
    if not messages or session.get_bind().dialect.name != "postgresql":
        return
    chunk: list[list[Any]] = []
    size = 0
    for message, district in messages:
        item = [message, district]
        length = len(json.dumps(item, separators=(",", ":"))) + 1
        if chunk and size + length > NOTIFY_LIMIT - 64:
            _notify(session, origin, chunk)
            chunk, size = [], 0
        chunk.append(item)
        size += length
    if chunk:
        _notify(session, origin, chunk)


def _notify(session: Session, origin: str, chunk: list[list[Any]]) -> None:
    payload = json.dumps({"origin": origin, "readings": chunk}, separators=(",", ":"))
    session.execute(select(func.pg_notify(READINGS_CHANNEL, payload)))
