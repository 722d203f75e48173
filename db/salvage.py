"""Reading the queued operator actions out of a local database that failed its check.

:func:`db.engine.check_sqlite_file` moves an unreadable ``local.db`` aside (never deletes it)
and the console starts on a fresh one. The cache is cheap to lose — central has it all again —
but actions still waiting in the old file's outbox are the operator's work and exist nowhere
else. A damaged file often still yields them: the damage is usually in a page of some other
table or index (the cached feed is most of the file), while the small outbox table reads fine.

:func:`salvage_outbox` reads what it can, row by row, and says how many rows it could not
read. It never writes to the moved-aside file: it reads a private copy (SQLite replays the
copied write-ahead log into the copy, so actions committed just before the damage are
included), and the copy is deleted afterwards. Qt-free; runs on the store's opening thread.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger("db.salvage")
OUTBOX_TABLE = "outbox"
_COLUMNS = "idem_key, kind, payload, created_at, state"


@dataclass(frozen=True)
class SalvagedAction:
    """One pending action as it was queued: sent again under the same key, so central
    applies it once even if it had already received it before the damage."""

    idem_key: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class OutboxSalvage:
    source: Path
    actions: list[SalvagedAction] = field(default_factory=list)
    unreadable: int = 0  # outbox rows (of any state) that could not be read
    error: str = ""  # why the outbox could not be read at all (or only partly)


def _ids(conn: sqlite3.Connection) -> tuple[list[int], str]:
    """Every outbox row id, by a scan; when the scan breaks off at a damaged page, by probing
    each id up to the largest one (a lookup by id can go round a bad leaf page)."""
    seen: list[int] = []
    try:
        for (row_id,) in conn.execute(f"SELECT id FROM {OUTBOX_TABLE} ORDER BY id"):
            seen.append(int(row_id))
        return seen, ""
    except sqlite3.DatabaseError as exc:
        scan_error = str(exc)
    try:
        top = conn.execute(f"SELECT max(id) FROM {OUTBOX_TABLE}").fetchone()[0]
    except sqlite3.DatabaseError:
        top = None
    if not isinstance(top, int):
        if not seen:
            raise sqlite3.DatabaseError(scan_error)
        top = seen[-1] + 10_000  # the scan broke off: look a little beyond what it saw
    return list(range(1, top + 1)), scan_error


def _row(conn: sqlite3.Connection, row_id: int) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = conn.execute(
        f"SELECT {_COLUMNS} FROM {OUTBOX_TABLE} WHERE id = ?", (row_id,)).fetchone()
    return row


def _action(row: tuple[Any, ...]) -> SalvagedAction | None:
    """The pending action in ``row``; None for one already delivered, refused or discarded.
    Raises ValueError for a row whose fields are garbled."""
    idem_key, kind, payload, created_at, state = row
    if state != "pending":
        return None
    if not (isinstance(idem_key, str) and 8 <= len(idem_key) <= 64
            and isinstance(kind, str) and kind):
        raise ValueError("garbled key or kind")
    data = json.loads(payload) if isinstance(payload, str | bytes) else payload
    if not isinstance(data, dict):
        raise ValueError("payload is not an object")
    try:
        created = datetime.fromisoformat(str(created_at))
    except ValueError:
        created = datetime.now(UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return SalvagedAction(idem_key, kind, data, created)


def salvage_outbox(path: Path) -> OutboxSalvage:
    """The pending actions that can still be read from the moved-aside database ``path``."""
    with tempfile.TemporaryDirectory(prefix="kw-salvage-") as tmp:
        copy = Path(tmp) / "salvage.db"
        try:
            shutil.copyfile(path, copy)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            return OutboxSalvage(path, error=f"cannot copy {path.name}: {exc}")
        try:
            conn = sqlite3.connect(copy)
        except sqlite3.Error as exc:
            return OutboxSalvage(path, error=str(exc))
        try:
            return _salvage(conn, path)
        finally:
            conn.close()


def _salvage(conn: sqlite3.Connection, path: Path) -> OutboxSalvage:
    try:
        ids, partly = _ids(conn)
    except sqlite3.DatabaseError as exc:
        log.error("the outbox of %s cannot be read at all: %s", path, exc)
        return OutboxSalvage(path, error=str(exc))
    actions: list[SalvagedAction] = []
    unreadable = 0
    for row_id in ids:
        try:
            row = _row(conn, row_id)
            if row is None:
                continue  # a gap in the ids (pruned rows), or past the end
            action = _action(row)
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            unreadable += 1
            log.warning("outbox row %d of %s is unreadable: %s", row_id, path, exc)
            continue
        if action is not None:
            actions.append(action)
    log.warning("salvaged %d pending action(s) from %s; %d row(s) unreadable", len(actions),
                path, unreadable)
    return OutboxSalvage(path, actions, unreadable, partly)
