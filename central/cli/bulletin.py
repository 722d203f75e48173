"""``kitchenwatch-central bulletin --db URL --district ID --period 2026-11 --out FILE.pdf``.

For scheduled jobs (cron, Windows Task Scheduler): drafts the district's 督查通报 of the period
in the database, where a console lists it for review, approval and publication, and writes the
draft as a PDF. Running it again before approval drafts it again with fresh figures; after
approval it writes the approved bulletin as it is (its figures are frozen) and says so.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.cli.common import (
    REFUSED,
    USAGE,
    CommandError,
    check_url,
    run_command,
    schema_revision,
)
from central.errors import ApiError
from central.scope import mask_credentials
from db.models import Bulletin

EPILOG = """\
exit codes: 0 the PDF was written; 1 the database cannot be opened; 2 wrong arguments (a period
that is neither a month like 2026-11 nor a week like 2026-W47, an unknown time zone, a file
that cannot be written); 3 refused (no such district, no schema yet).

examples:
  kitchenwatch-central bulletin --db sqlite:///central.db --district D01 --period 2026-11 \\
      --out /srv/bulletins/D01-2026-11.pdf
  kitchenwatch-central bulletin --db URL --district D01 --period 2026-W47 --out week47.pdf
"""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="kitchenwatch-central bulletin",
        description="Draft a district's inspection bulletin (督查通报) of a month or ISO week "
                    "and write it as a PDF; a person approves and publishes it in the console.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True, metavar="URL", help="central's database")
    p.add_argument("--district", required=True, metavar="ID", help="district id, e.g. D01")
    p.add_argument("--period", required=True, help="2026-11 (month) or 2026-W47 (ISO week)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.add_argument("--timezone", default="Asia/Shanghai",
                   help="local time of the period's start and end (default: %(default)s)")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> str:
    from central import bulletins
    from central.database import Database
    from db.engine import make_engine

    url = check_url(args.db)
    try:
        bulletins.parse_period(args.period)
        tz = ZoneInfo(args.timezone)
    except ValueError as exc:
        raise CommandError(str(exc), USAGE) from exc
    except ZoneInfoNotFoundError as exc:
        raise CommandError(f"--timezone {args.timezone!r} is not a known time zone",
                           USAGE) from exc
    engine = make_engine(url)
    try:
        if schema_revision(engine) is None:
            raise CommandError(f"{mask_credentials(url)} has no Kitchen Watch schema; run "
                               f"'kitchenwatch-central init --db URL' first", REFUSED)
    finally:
        engine.dispose()
    database = Database(url)
    try:
        def work(session: Session) -> tuple[str, dict[str, object]]:
            row = session.scalars(select(Bulletin).where(
                Bulletin.district_id == args.district,
                Bulletin.period == args.period)).first()
            if row is not None and row.state != "draft":
                return row.state, dict(row.content)
            fresh = bulletins.draft(session, args.district, args.period, tz)
            return fresh.state, dict(fresh.content)

        try:
            state, content = database.write_sync(work)
        except ApiError as exc:
            raise CommandError(exc.message, REFUSED if exc.status == 404 else USAGE) from exc
    finally:
        database.close()
    pdf = bulletins.render_pdf(content, state)
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror or exc}", USAGE) from exc
    note = "" if state == "draft" else f" (already {state}: written as it was approved)"
    return f"bulletin {args.district} {args.period}: {state}, {len(pdf)} bytes → {args.out}{note}"


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    return run_command("bulletin", args.db, lambda: run(args))
