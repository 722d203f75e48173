"""Row <-> JSON payload conversion for the change feed, the WebSocket and the outbox.

Both ends use the same functions, so a row that leaves central arrives in the console's cache
with the same columns and types. Unknown keys in a payload are ignored (a newer server may
send more), missing keys keep their defaults, and malformed values raise ``PayloadError``
with the column named.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, inspect
from sqlalchemy.orm import Session

from db.models import SYNCED_ENTITIES, Base, UTCDateTime

# Columns never sent to a console.
PRIVATE_COLUMNS = {"password_hash"}


class PayloadError(ValueError):
    """A payload from the other side does not fit the model."""


def to_payload(row: Base) -> dict[str, Any]:
    return payload_of(type(row), row)


def payload_of(model: type[Base], values: object) -> dict[str, Any]:
    """The payload of a ``model`` row from any object with its column attributes (central's
    ingest keeps sensors as plain rows, not ORM objects)."""
    out: dict[str, Any] = {}
    for col in inspect(model).columns:
        if col.key in PRIVATE_COLUMNS:
            continue
        value = getattr(values, col.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[col.key] = value
    return out


def _utc_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise TypeError("expected an ISO-8601 string")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("timestamp lacks a UTC offset")
    return parsed


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected an integer")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("expected a number")
    return float(value)


Coercer = Callable[[Any], Any]


def _coercer(column: Any) -> Coercer | None:
    """How a non-null payload value of ``column`` is checked and converted (None: taken as
    it is — strings, JSON, enumerations stored as text)."""
    ctype = column.type
    if isinstance(ctype, UTCDateTime):
        return _utc_datetime
    if isinstance(ctype, Date):
        return _date
    if isinstance(ctype, Boolean):
        return _boolean
    if isinstance(ctype, Integer):
        return _integer
    if isinstance(ctype, Float):
        return _float
    return None


@cache
def _plan(model: type[Base]) -> tuple[tuple[str, Coercer | None], ...]:
    """``model``'s public columns with their coercers, worked out once per model: a province's
    snapshot validates 300,000 payloads, and asking SQLAlchemy for the columns and testing
    each column's type again for every value cost more than writing the rows."""
    return tuple((col.key, _coercer(col)) for col in inspect(model).columns
                 if col.key not in PRIVATE_COLUMNS)


def from_payload(model: type[Base], payload: object) -> dict[str, Any]:
    """Validated column values for ``model`` taken from ``payload`` (anything a peer sent: a
    payload that is not an object is refused here, so callers need not check first)."""
    if not isinstance(payload, dict):
        raise PayloadError(f"{model.__tablename__}: payload is not an object")
    values: dict[str, Any] = {}
    for key, coerce in _plan(model):
        if key not in payload:
            continue
        value = payload[key]
        if value is None or coerce is None:
            values[key] = value
            continue
        try:
            values[key] = coerce(value)
        except (TypeError, ValueError) as exc:
            raise PayloadError(f"{model.__tablename__}.{key}: {exc}") from exc
    return values


@cache
def _pk_name(model: type[Base]) -> str:
    """The attribute name of ``model``'s primary key (every synced model has a one-column one)."""
    key = inspect(model).primary_key[0].key
    if key is None:  # only an anonymous SQL expression has no key, never a table's column
        raise TypeError(f"{model.__name__}: primary key without a name")
    return key


def upsert(session: Session, entity: str, payload: dict[str, Any],
           deleted: bool = False) -> Base | None:
    """Apply one change-feed row to a local session (insert, update or delete); the row, or
    None for the deletion of a row this side never had."""
    model = SYNCED_ENTITIES.get(entity)
    if model is None:
        raise PayloadError(f"unknown entity {entity!r}")
    values = from_payload(model, payload)
    pk_name = _pk_name(model)
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


def _dialect_insert(session: Session) -> Any:
    name = session.get_bind().dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    raise NotImplementedError(f"bulk upsert on {name}")  # pragma: no cover - the two we run on


def upsert_many(session: Session, entity: str, rows: list[dict[str, Any]]) -> None:
    """Insert-or-update validated column values (``from_payload``) in a few statements.

    A snapshot of a city is tens of thousands of rows; going through ORM objects one by one
    costs ~0.3 ms a row, a multi-row ``INSERT … ON CONFLICT DO UPDATE`` a few µs. Rows are
    grouped by the columns they carry, so a payload without a column leaves that column of an
    existing row as it is (the same meaning as ``upsert``)."""
    if not rows:
        return
    model = SYNCED_ENTITIES[entity]
    pk_name = _pk_name(model)
    insert = _dialect_insert(session)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in rows:
        groups.setdefault(tuple(sorted(values)), []).append(values)
    sqlite = session.get_bind().dialect.name == "sqlite"
    for keys, group in groups.items():
        stmt = insert(model.__table__)
        updates = {k: stmt.excluded[k] for k in keys if k != pk_name}
        stmt = (stmt.on_conflict_do_update(index_elements=[pk_name], set_=updates) if updates
                else stmt.on_conflict_do_nothing(index_elements=[pk_name]))
        if sqlite:
            _execute_many_sqlite(session, model, stmt, keys, group)
        else:
            session.execute(stmt, group)


def _execute_many_sqlite(session: Session, model: type[Base], stmt: Any,
                         keys: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """``session.execute(stmt, rows)`` for SQLite with the statement compiled once and each
    row turned into a plain tuple by the columns' own bind processors: SQLAlchemy otherwise
    builds the parameters of every row through its compiler, which cost a console more CPU
    than SQLite's own writing of a province's 300,000 rows. The values go through the same
    type conversions (aware datetimes to naive UTC text, booleans, JSON) either way."""
    connection = session.connection()
    dialect = connection.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
    names = compiled.positiontup
    columns = model.__table__.c
    # Columns the rows lack are in the statement when they have a Python-side default (a
    # payload from a central that does not send them yet): fixed values are put in here as
    # SQLAlchemy would; anything computed (a callable default) is left to SQLAlchemy.
    constants: list[tuple[int, Any]] = []
    for at, name in enumerate(names or ()):
        if name in keys:
            continue
        default = columns[name].default
        if default is None or not default.is_scalar:
            session.execute(stmt, rows)
            return
        constants.append((at, default.arg))
    if names is None:  # pragma: no cover - SQLite's qmark style is always positional
        session.execute(stmt, rows)
        return
    given = [name for name in names if name in keys]
    converters = [(at, convert) for at, name in enumerate(names)
                  if (convert := columns[name].type.bind_processor(dialect)) is not None]
    pick = itemgetter(*given)
    params: list[tuple[Any, ...]] = []
    for row in rows:
        picked = pick(row)
        values = list(picked) if len(given) > 1 else [picked]
        for at, constant in constants:
            values.insert(at, constant)
        for at, convert in converters:
            value = values[at]
            if value is not None:
                values[at] = convert(value)
        params.append(tuple(values))
    connection.exec_driver_sql(compiled.string, params)


def delete_many(session: Session, entity: str, ids: list[Any]) -> None:
    model = SYNCED_ENTITIES[entity]
    pk = inspect(model).primary_key[0]
    for start in range(0, len(ids), 500):
        session.execute(model.__table__.delete().where(pk.in_(ids[start:start + 500])))


def validated(change: dict[str, Any]) -> tuple[str, Any, dict[str, Any] | None]:
    """``(entity, primary key, column values)`` of one feed row; values are ``None`` for a
    deletion. Raises ``PayloadError`` naming what does not fit."""
    entity = change["entity"]
    model = SYNCED_ENTITIES.get(entity)
    if model is None:
        raise PayloadError(f"unknown entity {entity!r}")
    pk_name = _pk_name(model)
    payload = change.get("payload")
    if change.get("deleted"):
        key = (payload or {}).get(pk_name) if isinstance(payload, dict) else None
        key = key if key is not None else change.get("id")
        if key is None:
            raise PayloadError(f"{entity}: deletion without {pk_name}")
        return entity, key, None
    values = from_payload(model, payload)
    if values.get(pk_name) is None:
        raise PayloadError(f"{entity}: missing {pk_name}")
    return entity, values[pk_name], values
