"""``kitchenwatch-central init --db URL [--admin NAME] [--password-file F]``: a real first start.

Creates the whole schema through the Alembic migrations (registry, central's sessions,
throttle and media register: start-up creates no tables of its own) and the first city-wide
administrator, and nothing else: no demo rows. The password comes from a hidden prompt (twice)
or ``--password-file`` (one trailing newline stripped), never from the command line, where
``ps`` and the shell history would keep it.

A database that already has an active administrator is left exactly as it is, schema included
(exit 3): ``init`` never takes over an installation, and running it twice is harmless.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from central.cli.common import (
    REFUSED,
    ActionCtx,
    CommandError,
    QuietParser,
    check_url,
    cli_principal,
    read_password,
    refused,
    run_command,
    schema_revision,
)
from central.errors import ApiError
from central.scope import mask_credentials

EPILOG = """\
exit codes: 0 created; 1 the database cannot be opened; 2 wrong arguments or a password the
policy refuses; 3 the database already has an administrator (nothing was changed).

example:
  kitchenwatch-central init --db postgresql+psycopg://kw@dbhost/kitchenwatch --admin admin
"""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = QuietParser(
        prog="kitchenwatch-central init",
        description="Create Kitchen Watch's database schema and the first city-wide "
                    "administrator (no demo data).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)  # "--password X" must not pass for --password-file X
    p.add_argument("--db", required=True, metavar="URL",
                   help="sqlite:///path or postgresql+psycopg://user:password@host/name")
    p.add_argument("--admin", default="admin", metavar="NAME",
                   help="the administrator's user name (default: %(default)s)")
    p.add_argument("--display-name", default="", help="shown in the console and the audit")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the password from FILE ('-': standard input; one trailing "
                        "newline is stripped); default: ask twice at a hidden prompt")
    return p.parse_args(argv)


def existing_admin(url: str) -> str | None:
    """The user name of an active administrator already in ``url``, without changing it."""
    from db.engine import make_engine
    from db.models import User
    from domain.roles import Role

    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("users"):
            return None
        with engine.connect() as conn:
            return conn.execute(select(User.username).where(
                User.role == Role.ADMIN, User.active.is_(True)).limit(1)).scalar()
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> str:
    """Do the work; returns what to print. CommandError says why not."""
    url = check_url(args.db)
    found = existing_admin(url)
    if found is not None:
        raise CommandError(f"{mask_credentials(url)} already has an administrator ({found}); "
                           f"nothing was changed. Manage accounts with "
                           f"'kitchenwatch-central users'", REFUSED)
    password = read_password(args.password_file, args.admin)

    from central import account_actions, changes
    from central.database import Database
    from central.schemas.accounts import UserCreate

    payload = UserCreate(id=None, username=args.admin, display_name=args.display_name, role="admin",
                         password=password, must_change_password=False)
    database = Database(url)  # the migrations: the whole schema
    try:
        revision = schema_revision(database.engine)

        def create(session: Session) -> None:
            changes.ensure_feed_id(session)
            account_actions.user_create(session, ActionCtx(cli_principal()), payload)

        try:
            database.write_sync(create)
        except ApiError as exc:
            raise refused(exc) from None
    finally:
        database.close()
    return (f"created the schema (revision {revision}) and the city-wide administrator "
            f"{args.admin!r} in {mask_credentials(url)}")


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return run_command("init", args.db, lambda: run(args))
