"""Row <-> JSON payload conversion for the change feed, the WebSocket and the outbox.

Both ends use the same functions, so a row that leaves central arrives in the console's cache
with the same columns and types. Unknown keys in a payload are ignored (a newer server may
send more), missing keys keep their defaults, and malformed values raise ``PayloadError``
with the column named.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, inspect
from sqlalchemy.orm import Session

from db.models import SYNCED_ENTITIES, Base, UTCDateTime

# Columns never sent to a console.
PRIVATE_COLUMNS = {"password_hash"}


class PayloadError(ValueError):
    """A payload from the other side does not fit the model."""


def to_payload(row: Base) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in inspect(type(row)).columns:
        if col.key in PRIVATE_COLUMNS:
            continue
        value = getattr(row, col.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[col.key] = value
    return out


def _coerce(column: Any, value: Any) -> Any:
    if value is None:
        return None
    ctype = column.type
    if isinstance(ctype, UTCDateTime):
        if isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise TypeError("expected an ISO-8601 string")
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("timestamp lacks a UTC offset")
        return parsed
    if isinstance(ctype, Date):
        return value if isinstance(value, date) else date.fromisoformat(value)
    if isinstance(ctype, Boolean):
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if isinstance(ctype, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected an integer")
        return value
    if isinstance(ctype, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("expected a number")
        return float(value)
    return value


def from_payload(model: type[Base], payload: dict[str, Any]) -> dict[str, Any]:
    """Validated column values for ``model`` taken from ``payload``."""
    if not isinstance(payload, dict):
        raise PayloadError(f"{model.__tablename__}: payload is not an object")
    values: dict[str, Any] = {}
    for col in inspect(model).columns:
        if col.key in PRIVATE_COLUMNS or col.key not in payload:
            continue
        try:
            values[col.key] = _coerce(col, payload[col.key])
        except (TypeError, ValueError) as exc:
            raise PayloadError(f"{model.__tablename__}.{col.key}: {exc}") from exc
    return values


def upsert(session: Session, entity: str, payload: dict[str, Any], deleted: bool = False) -> Base:
    """Apply one change-feed row to a local session (insert, update or delete)."""
    model = SYNCED_ENTITIES.get(entity)
    if model is None:
        raise PayloadError(f"unknown entity {entity!r}")
    values = from_payload(model, payload)
    pk_name = inspect(model).primary_key[0].key
    if values.get(pk_name) is None:
        raise PayloadError(f"{entity}: missing {pk_name}")
    row = session.get(model, values[pk_name])
    if deleted:
        if row is not None:
            session.delete(row)
        return row
    if row is None:
        row = model(**values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    return row
