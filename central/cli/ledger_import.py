"""``kitchenwatch-central import FILE... --db URL [--dry-run] [--skip-invalid]``.

For scripts: the files are checked together (a camera sheet may refer to a business in another
file) and imported in one transaction. The last line printed is one JSON object (see
central/importer.py); problems are listed above it for a person reading the terminal. Exit 0
when the rows were applied or a dry run found no errors, 2 when errors stopped it (then
nothing was written), 1 when the database or a file could not be opened.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import ArgumentError, OperationalError

from central.cli.common import QuietParser
from central.config import default_db_url
from central.scope import mask_credentials

EXIT_OK, EXIT_FAILED, EXIT_ERRORS = 0, 1, 2
SHOWN_PROBLEMS = 50  # listed on stderr; all of them are in the JSON


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = QuietParser(
        prog="kitchenwatch-central import",
        description="Import ledgers (台账) of businesses, cameras and sensors from .xlsx or .csv "
                    "files (UTF-8 or GB18030): every row is checked, then all valid rows are "
                    "written in one transaction, or none. Rows are matched by natural key "
                    "(统一社会信用代码 or licence number; a camera's GB/T 28181 code), so "
                    "importing the same file again changes nothing. The last line is JSON.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--db", default=default_db_url(), metavar="URL",
                   help="database (default: %(default)s)")
    p.add_argument("--dry-run", action="store_true",
                   help="check and count what would change; write nothing")
    p.add_argument("--skip-invalid", action="store_true",
                   help="import the valid rows even when other rows have errors")
    p.add_argument("--actor", default="cli",
                   help="name recorded in the audit entries (default: %(default)s)")
    return p.parse_args(argv)


def _describe(problem: dict[str, object]) -> str:
    where = f"{problem['file']}"
    if problem.get("sheet"):
        where += f" / {problem['sheet']}"
    if problem.get("row") is not None:
        where += f" row {problem['row']}"
    if problem.get("column"):
        where += f" column {problem['column']}"
    return f"{where}: {problem['reason']} [{problem['code']}]"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    files: list[tuple[str, bytes]] = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(f"kitchenwatch-central import: cannot read {path}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_FAILED
    from central.database import Database
    from central.importer import ImportOptions, run_import

    try:
        database = Database(args.db)
    except ArgumentError:
        print(f"kitchenwatch-central import: --db {mask_credentials(args.db)!r} is not a "
              f"database URL", file=sys.stderr)
        return EXIT_FAILED
    except OperationalError as exc:
        print(f"kitchenwatch-central import: cannot open the database "
              f"{mask_credentials(args.db)}: {str(exc.orig).strip() if exc.orig else exc}",
              file=sys.stderr)
        return EXIT_FAILED
    try:
        result = run_import(database, files, ImportOptions(
            actor=args.actor, dry_run=args.dry_run, skip_invalid=args.skip_invalid))
    finally:
        database.close()
    for kind in ("errors", "warnings"):
        items = result[kind]
        for problem in items[:SHOWN_PROBLEMS]:
            print(f"{kind[:-1]}: {_describe(problem)}", file=sys.stderr)
        if result[f"{kind[:-1]}_count"] > SHOWN_PROBLEMS:
            print(f"... {result[f'{kind[:-1]}_count'] - SHOWN_PROBLEMS} more {kind} "
                  f"(all in the JSON below)", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False, default=str))
    if result["errors"] and not (args.skip_invalid and result["applied"]):
        return EXIT_ERRORS
    return EXIT_OK
