"""Many-row INSERT and UPDATE as one statement each on PostgreSQL.

psycopg's ``executemany`` sends one statement per row (pipelined, but still parsed, planned
and executed a thousand times for a batch of a thousand readings); on PostgreSQL that was
most of the ingest's cost. Here the rows travel as one JSON document and ``json_to_recordset``
turns them back into typed rows inside a single statement (arrays per column were no better:
psycopg escapes each text element in Python). SQLite's ``executemany`` is a C loop over one
prepared statement and is already cheap, so there the plain forms are used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    insert,
    text,
    update,
)
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import UTCDateTime

IN_LIST_CHUNK = 500  # ids per IN (...) on SQLite


def rowcount(result: object) -> int:
    """The rows an UPDATE or DELETE matched. ``Session.execute`` is typed as returning any
    ``Result``; for a DML statement it is the ``CursorResult`` that counts them."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {type(result).__name__}")
    return int(result.rowcount)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def id_chunks(session: Session, ids: Sequence[str]) -> Iterator[Sequence[str]]:
    """``ids`` in pieces for :func:`among`: all at once on PostgreSQL (one array parameter),
    in IN-list-sized pieces elsewhere."""
    if _is_postgres(session):
        if ids:
            yield ids
        return
    for start in range(0, len(ids), IN_LIST_CHUNK):
        yield ids[start:start + IN_LIST_CHUNK]


def among(column: InstrumentedAttribute[str] | ColumnElement[str], ids: Sequence[str],
          session: Session) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL ``column = ANY(:ids)``: one parameter, not one per id
    (an IN list of a thousand is expanded, parsed and planned anew every time)."""
    if _is_postgres(session):
        return column == any_(bindparam("among_ids", list(ids), type_=ARRAY(String())))
    return column.in_(ids)


def _record_type(table: Table, names: list[str], dialect: Dialect) -> str:
    """``col type, ...``: the record definition ``json_to_recordset`` reads the rows with."""
    return ", ".join(f"{n} {table.c[n].type.compile(dialect=dialect)}" for n in names)


def _document(table: Table, names: list[str], rows: list[dict[str, Any]],
              dialect: Dialect) -> str:
    """The rows as one JSON array: one C-speed ``json.dumps`` instead of a parameter per value.

    Datetimes are written as naive UTC in ISO form (what ``UTCDateTime`` stores), which
    PostgreSQL reads back exactly; other custom column types get their bind processing.
    """
    processors = {}
    for n in names:
        column_type = table.c[n].type
        if isinstance(column_type, TypeDecorator) and not isinstance(column_type, UTCDateTime):
            processors[n] = column_type.bind_processor(dialect)
    out = []
    for row in rows:
        item = {}
        for n in names:
            value = row[n]
            process = processors.get(n)
            if process is not None:
                value = process(value)
            if isinstance(value, datetime):  # stored as naive UTC (db.models.UTCDateTime)
                if value.tzinfo is not None:
                    value = value.astimezone(UTC).replace(tzinfo=None)
                value = value.isoformat()
            elif isinstance(value, date):  # a licence's expiry: ISO text, read back as DATE
                value = value.isoformat()
            item[n] = value
        out.append(item)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (all with the same keys) into ``table``."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    columns = ", ".join(names)
    session.execute(text(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM "
                         f"json_to_recordset(CAST(:rows AS json)) AS v("
                         f"{_record_type(table, names, dialect)})"),
                    {"rows": _document(table, names, rows, dialect)})


def update_rows(session: Session, table: Table, key: str, rows: list[dict[str, Any]]) -> None:
    """UPDATE the rows of ``table`` whose ``key`` column matches each dict's ``key`` value,
    setting the dict's other keys (all dicts with the same keys)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    names = [n for n in rows[0] if n != key]
    if dialect.name != "postgresql":
        session.execute(update(table).where(table.c[key] == bindparam("k__key"))
                        .values({n: bindparam(n) for n in names}),
                        [{**{n: r[n] for n in names}, "k__key": r[key]} for r in rows])
        return
    every = [key, *names]
    assignments = ", ".join(f"{n} = v.{n}" for n in names)
    session.execute(text(f"UPDATE {table.name} AS t SET {assignments} FROM "
                         f"json_to_recordset(CAST(:rows AS json)) AS v("
                         f"{_record_type(table, every, dialect)}) WHERE t.{key} = v.{key}"),
                    {"rows": _document(table, every, rows, dialect)})
