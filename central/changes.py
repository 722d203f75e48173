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
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, Text, and_, cast, delete, func, insert, or_, select, text, tuple_
from sqlalchemy.orm import Session

from central import bulk
from central.scope import CITYWIDE_ENTITIES
from db.models import SYNCED_ENTITIES, Base, ChangeLog, SyncState
from db.serialize import to_payload
from domain.clock import utcnow

ENTITY_OF: dict[type[Base], str] = {model: name for name, model in SYNCED_ENTITIES.items()}
CHANGES_CHANNEL = "kw_changes"  # NOTIFY after a commit that wrote feed rows (no payload)
READINGS_CHANNEL = "kw_readings"  # NOTIFY with live readings for the other workers
NOTIFY_LIMIT = 7800  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
NOTIFY_PER_CHUNK = 32  # live readings per NOTIFY payload (about 6 kB; halved if over the limit)


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
    _pend(session, (ENTITY_OF[type(row)], id(row)), row, deleted)


def record_payload(session: Session, entity: str, payload: dict[str, Any]) -> None:
    """:func:`record` for an entity held as a plain row (``db.serialize.payload_of``)."""
    _pend(session, (entity, payload["id"]), payload, False)


def _pend(session: Session, key: tuple[str, object], item: Base | dict[str, Any],
          deleted: bool) -> None:
    pending: dict[tuple[str, object], tuple[Base | dict[str, Any], bool]] = \
        session.info.setdefault("feed_pending", {})
    pending.pop(key, None)  # re-recording moves it to the end: seq order = last change order
    pending[key] = (item, deleted)


def flush_feed(session: Session) -> None:
    """Write the feed entries recorded in this transaction (before its commit)."""
    pending: dict[tuple[str, object], tuple[Base | dict[str, Any], bool]] = \
        session.info.pop("feed_pending", {})
    if not pending:
        return
    session.flush()
    lock_key = session.info.get("feed_lock_key")
    if lock_key is not None:  # a concurrent writer: feed rows in commit order (see database)
        session.execute(select(func.pg_advisory_xact_lock(lock_key)))
    now = utcnow()
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for (entity, _), (item, deleted) in pending.items():
        payload = item if isinstance(item, dict) else to_payload(item)
        entity_id = str(payload["id"])
        latest.pop((entity, entity_id), None)  # one entry per entity, in last-change order
        latest[(entity, entity_id)] = {
            "entity": entity, "entity_id": entity_id, "deleted": deleted, "payload": payload,
            "district_id": _district_of(entity, payload), "ts": now}
    rows = list(latest.values())
    by_entity: dict[str, list[str]] = {}
    for entity, entity_id in latest:
        by_entity.setdefault(entity, []).append(entity_id)
    table = ChangeLog.__table__
    for entity, ids in by_entity.items():
        for chunk in bulk.id_chunks(session, ids):
            session.execute(delete(table).where(table.c.entity == entity,
                                                bulk.among(table.c.entity_id, chunk, session)))
    bulk.insert_rows(session, table, rows)
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
    stmt = _in_scope(session, select(ChangeLog), since, upto, district_id, entities)
    return list(session.scalars(stmt.order_by(ChangeLog.seq).limit(limit)))


_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


class WireRow(NamedTuple):
    """A feed row as :func:`read_wire` gives it: the payload still the JSON text stored."""

    seq: int
    entity: str
    entity_id: str
    district_id: str | None
    deleted: bool
    payload_json: str | None


def read_wire(session: Session, since: int, limit: int, *, upto: int | None = None,
              district_id: str | None = None,
              entities: frozenset[str] | None = None) -> list[WireRow]:
    """:func:`read`'s rows as plain tuples with each payload as the JSON text stored, for the
    ``/api/changes`` page: a province's snapshot is 325,000 rows, and making an ORM object of
    each, decoding its payload and encoding it again cost central most of a console's
    initial sync (the text is sent as it is when the caller may see it unchanged)."""
    columns = (ChangeLog.seq, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.district_id,
               ChangeLog.deleted, cast(ChangeLog.payload, Text))
    stmt = _in_scope(session, select(*columns), since, upto, district_id, entities)
    return [WireRow(*row) for row in session.execute(stmt.order_by(ChangeLog.seq).limit(limit))]


def _in_scope(session: Session, stmt: _Query, since: int, upto: int | None,
              district_id: str | None, entities: frozenset[str] | None) -> _Query:
    """``stmt`` limited to ``since < seq <= upto`` and to a scope."""
    stmt = stmt.where(ChangeLog.seq > since)
    if upto is not None:
        stmt = stmt.where(ChangeLog.seq <= upto)
    # SQLite would otherwise search the (entity, entity_id) or district index and sort every
    # matching row by seq for each page: a province's snapshot (700,000 rows, 350 pages) then
    # read the whole feed 350 times. Terms it cannot index leave it the seq range, which it
    # walks in order and stops at ``limit`` (each page reads only the rows it skips or sends).
    sqlite = session.get_bind().dialect.name == "sqlite"
    entity_col = ChangeLog.entity.concat("") if sqlite else ChangeLog.entity
    district_col = ChangeLog.district_id.concat("") if sqlite else ChangeLog.district_id
    if district_id is not None:
        stmt = stmt.where(or_(district_col == district_id,
                              and_(ChangeLog.district_id.is_(None),
                                   entity_col.in_(sorted(CITYWIDE_ENTITIES)))))
    if entities is not None:
        stmt = stmt.where(entity_col.in_(sorted(entities)))
    return stmt


def current(session: Session, entity: str, entity_id: str) -> ChangeLog | None:
    return session.scalar(select(ChangeLog).where(
        tuple_(ChangeLog.entity, ChangeLog.entity_id) == (entity, entity_id)))


def notify_readings(session: Session, origin: str,
                    messages: list[tuple[dict[str, Any], str | None]]) -> None:
    """Tell the other worker processes about live readings (PostgreSQL only).

    Sent inside the ingest transaction, so PostgreSQL delivers them only if it commits.
    Payloads are chunked under NOTIFY's 8000-byte limit and all sent by one statement.
    """
    if not messages or session.get_bind().dialect.name != "postgresql":
        return
    payloads: list[str] = []
    pending = [[message, district] for message, district in messages]
    size = NOTIFY_PER_CHUNK
    while pending:
        chunk, pending = pending[:size], pending[size:]
        payload = json.dumps({"origin": origin, "readings": chunk}, separators=(",", ":"),
                             ensure_ascii=False)
        if len(payload.encode()) >= NOTIFY_LIMIT and len(chunk) > 1:
            size = max(1, len(chunk) // 2)  # unusually long messages: smaller chunks
            pending = chunk + pending
            continue
        payloads.append(payload)
    # One JSON array of the payload strings: a text[] parameter would be escaped element by
    # element in Python, and these payloads are all quotes.
    session.execute(text(f"SELECT pg_notify('{READINGS_CHANNEL}', p) "
                         f"FROM json_array_elements_text(CAST(:payloads AS json)) AS p"),
                    {"payloads": json.dumps(payloads, ensure_ascii=False)})
