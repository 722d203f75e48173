"""Writing and reading the latest-state change feed (see docs/protocol.md).

``record`` must be called in the same transaction as the change it describes: then a console
that has seen sequence N has seen every committed change up to N, and nothing that rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import SYNCED_ENTITIES, Base, ChangeLog
from db.serialize import to_payload

ENTITY_OF: dict[type[Base], str] = {model: name for name, model in SYNCED_ENTITIES.items()}


def record(session: Session, row: Base, deleted: bool = False) -> None:
    """Append ``row``'s current state to the feed, replacing its previous entry."""
    entity = ENTITY_OF[type(row)]
    session.flush()
    payload = to_payload(row)
    entity_id = str(payload.get("id"))
    district = payload["id"] if entity == "district" else payload.get("district_id")
    if session.get_bind().dialect.name == "postgresql":
        # Serialise feed writers so sequence order equals commit order (no gaps for readers).
        session.execute(select(func.pg_advisory_xact_lock(0x4B57)))
    session.execute(delete(ChangeLog).where(ChangeLog.entity == entity,
                                            ChangeLog.entity_id == entity_id))
    session.add(ChangeLog(entity=entity, entity_id=entity_id, district_id=district,
                          deleted=deleted, payload=payload))
    session.flush()


def head_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0


def as_message(change: ChangeLog) -> dict[str, Any]:
    return {"seq": change.seq, "entity": change.entity, "id": change.entity_id,
            "district_id": change.district_id, "deleted": change.deleted,
            "payload": change.payload}


def read(session: Session, since: int, limit: int, district_id: str | None = None,
         entities: frozenset[str] | None = None) -> list[ChangeLog]:
    """Feed rows after ``since`` in sequence order, filtered in SQL to a scope so paging
    stays cheap for a district user in a city of thousands of businesses."""
    stmt = select(ChangeLog).where(ChangeLog.seq > since)
    if district_id is not None:
        stmt = stmt.where(ChangeLog.district_id == district_id)
    if entities is not None:
        stmt = stmt.where(ChangeLog.entity.in_(sorted(entities)))
    return list(session.scalars(stmt.order_by(ChangeLog.seq).limit(limit)))
