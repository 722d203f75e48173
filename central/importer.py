"""Importing ledgers into central: check, then write all valid rows in one transaction, or none.

Shared by ``kitchenwatch-central import`` (central/cli/ledger_import.py) and
``POST /api/registry/import`` (central/ledger_routes.py), so both answer with the same JSON:
``{"businesses": {"added", "updated", "unchanged"}, "cameras": ..., "sensors": ...,
"errors": [...], "warnings": [...], "applied": true|false}``.

Files are read (the slow, CPU-bound part) before the transaction; the registry is loaded,
the rows checked against it and written inside one write transaction, so the check and the
write see the same registry. A dry run does the same write and rolls it back: its counts are
exactly what the import would do.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from central import registry_write
from central.database import Database
from ledger.check import CheckResult, Problem, check_sheets
from ledger.check import ProgressFn as CheckProgress
from ledger.fields import FieldError
from ledger.read import Sheet, read_file

MAX_PROBLEMS = 5000  # listed in the answer; the count is always complete


@dataclass(frozen=True)
class ImportOptions:
    actor: str
    dry_run: bool = False
    skip_invalid: bool = False
    district_scope: str | None = None  # a district administrator's district
    today: date | None = None


def read_files(files: Sequence[tuple[str, bytes]], *,
               cancel: threading.Event | None = None) -> tuple[list[Sheet], list[Problem]]:
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    for name, data in files:
        try:
            sheets += read_file(name, data, cancel=cancel)
        except FieldError as exc:
            problems.append(Problem(name, "", None, "", exc.code, exc.message,
                                    params=dict(exc.params)))
    return sheets, problems


def _apply(session: Session, sheets: list[Sheet], unreadable: list[Problem],
           options: ImportOptions, note: str,
           progress: CheckProgress | None) -> tuple[CheckResult, dict[str, Any] | None]:
    known = registry_write.load_known(session)
    result = check_sheets(sheets, known, today=options.today,
                          district_scope=options.district_scope, progress=progress)
    result.errors[:0] = unreadable
    if result.errors and not options.skip_invalid:
        return result, None
    rows = result.write_args()
    written = registry_write.write(session, businesses=rows["businesses"],
                                   cameras=rows["cameras"], sensors=rows["sensors"],
                                   actor=options.actor, action="registry_import", note=note,
                                   district_scope=options.district_scope)
    return result, written.as_dict()


def run_import(db: Database, files: Sequence[tuple[str, bytes]], options: ImportOptions, *,
               progress: CheckProgress | None = None) -> dict[str, Any]:
    """Check and (unless a dry run, or errors without ``skip_invalid``) write; the answer."""
    sheets, unreadable = read_files(files)
    note = ", ".join(name for name, _ in files)[:500]

    def work(session: Session) -> tuple[CheckResult, dict[str, Any] | None]:
        return _apply(session, sheets, unreadable, options, note, progress)

    if options.dry_run:
        result, counts = db.rehearse_sync(work)
    else:
        result, counts = db.write_sync(work)
    return answer(result, counts, applied=counts is not None and not options.dry_run,
                  dry_run=options.dry_run)


def answer(result: CheckResult, counts: dict[str, Any] | None, *, applied: bool,
           dry_run: bool) -> dict[str, Any]:
    empty = {"added": 0, "updated": 0, "unchanged": 0}
    counts = counts or {}
    return {
        "businesses": counts.get("businesses", empty),
        "cameras": counts.get("cameras", empty),
        "sensors": counts.get("sensors", empty),
        "streets": counts.get("streets", empty),
        "grids": counts.get("grids", empty),
        "rows": {"read": result.read, "valid": {k: len(v) for k, v in result.rows.items()}},
        "error_count": len(result.errors),
        "warning_count": len(result.warnings),
        "errors": [p.as_dict() for p in result.errors[:MAX_PROBLEMS]],
        "warnings": [p.as_dict() for p in result.warnings[:MAX_PROBLEMS]],
        "applied": applied,
        "dry_run": dry_run,
    }


async def run_import_async(db: Database, files: Sequence[tuple[str, bytes]],
                           options: ImportOptions) -> dict[str, Any]:
    """:func:`run_import` for the server: files read off the event loop, the transaction on
    the writer thread (the change feed then tells every console)."""
    import asyncio

    loop = asyncio.get_running_loop()
    sheets, unreadable = await loop.run_in_executor(None, read_files, files)
    note = ", ".join(name for name, _ in files)[:500]

    def work(session: Session) -> tuple[CheckResult, dict[str, Any] | None]:
        return _apply(session, sheets, unreadable, options, note, None)

    if options.dry_run:
        result, counts = await db.rehearse(work)
    else:
        result, counts = await db.write(work)
    return answer(result, counts, applied=counts is not None and not options.dry_run,
                  dry_run=options.dry_run)
