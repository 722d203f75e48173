"""``kitchenwatch-central users add|list|disable|enable|reset-password|end-sessions --db URL``.

For scripts and for the administrator who cannot reach a console. Every change goes through
the same rules, audit and change feed as the console's account actions
(:mod:`central.account_actions`), in the name of ``cli:<operating-system user>``. A running
central needs no telling: a disabled user's next request fails and their WebSockets close
within about a second (sessions live in the database). Passwords come from a hidden prompt or
``--password-file``, never from the command line.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
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
    require_database,
    run_command,
    schema_revision,
)
from central.errors import ApiError
from central.scope import mask_credentials
from domain.roles import Role

EPILOG = """\
exit codes: 0 done; 1 the database cannot be opened; 2 wrong arguments, a password the policy
refuses or a value central refuses; 3 refused, nothing changed (no such user or district, the
name is taken, the last city-wide administrator, no schema yet: run 'kitchenwatch-central init').

examples:
  kitchenwatch-central users add zhang.wei --role field --district D01 --phone 13800000000 \\
      --display-name 张伟 --db sqlite:///central.db --password-file /run/secrets/pw
  kitchenwatch-central users list --json --db sqlite:///central.db
  kitchenwatch-central users disable zhang.wei --db sqlite:///central.db
"""

COLUMNS = ("username", "display_name", "role", "district_id", "street_id", "phone", "active",
           "must_change_password", "sessions")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = QuietParser(
        prog="kitchenwatch-central users", description="Manage Kitchen Watch accounts.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)  # "--password X" must not pass for --password-file X
    common = QuietParser(add_help=False, allow_abbrev=False)
    common.add_argument("--db", required=True, metavar="URL",
                        help="sqlite:///path or postgresql+psycopg://user:password@host/name")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = sub.add_parser("add", parents=[common], allow_abbrev=False, help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--district", metavar="ID", help="required for district and field staff")
    add.add_argument("--street", metavar="ID", help="a street of the district (optional)")
    add.add_argument("--phone", default="")
    add.add_argument("--display-name", default="")
    add.add_argument("--password-file", metavar="FILE",
                     help="'-' for standard input; default: ask twice at a hidden prompt")
    add.add_argument("--no-must-change", action="store_true",
                     help="do not make the user choose a new password at the first login")
    lst = sub.add_parser("list", parents=[common], allow_abbrev=False, help="print the accounts")
    lst.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    lst.add_argument("--role", choices=[r.value for r in Role])
    lst.add_argument("--district", metavar="ID")
    for name, text in (("disable", "disable an account and end its sessions"),
                       ("enable", "enable a disabled account"),
                       ("end-sessions", "log an account out everywhere")):
        one = sub.add_parser(name, parents=[common], allow_abbrev=False, help=text)
        one.add_argument("username")
    reset = sub.add_parser("reset-password", parents=[common], allow_abbrev=False,
                           help="set a temporary password the user must change at next login")
    reset.add_argument("username")
    reset.add_argument("--password-file", metavar="FILE")
    return p.parse_args(argv)


def _user_id(session: Session, username: str) -> str:
    from db.models import User

    found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise CommandError(f"no user {username!r}", REFUSED)
    return str(found)


def _rows(session: Session, role: str | None, district: str | None) -> list[dict[str, Any]]:
    from central import sessions
    from db.models import User

    live: dict[str, int] = {}
    for entry in sessions.signed_in(session):
        live[entry.user_id] = live.get(entry.user_id, 0) + 1
    query = select(User).order_by(User.username)
    if role:
        query = query.where(User.role == role)
    if district:
        query = query.where(User.district_id == district)
    return [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "district_id": u.district_id, "street_id": u.street_id, "phone": u.phone,
             "active": u.active, "must_change_password": bool(u.must_change_password),
             "sessions": live.get(u.id, 0),
             "password_changed_at": u.password_changed_at.isoformat()
             if u.password_changed_at else None}
            for u in session.scalars(query)]


def table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table (CJK characters count twice, so columns line up in a terminal)."""
    from unicodedata import east_asian_width

    def width(value: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in value)

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    cells = [[cell(r[c]) for c in COLUMNS] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c + " " * (w - width(c)) for c, w in zip(COLUMNS, widths, strict=True))]
    lines += ["  ".join(v + " " * (w - width(v)) for v, w in zip(row, widths, strict=True))
              for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> str:
    url = check_url(args.db)
    require_database(url)
    from central import account_actions
    from central.database import Database
    from central.schemas import accounts as s
    from db.engine import make_engine

    engine = make_engine(url)
    try:
        if schema_revision(engine) is None:
            raise CommandError(f"{mask_credentials(url)} has no Kitchen Watch schema; run "
                               f"'kitchenwatch-central init --db URL' first", REFUSED)
    finally:
        engine.dispose()
    password = None
    if args.command in ("add", "reset-password"):
        password = read_password(args.password_file, args.username)
    database = Database(url)  # brings an older schema up to date, like central's start-up
    ctx = ActionCtx(cli_principal())

    def act(work: Callable[[Session], str]) -> str:
        try:
            return database.write_sync(work)
        except ApiError as exc:
            raise refused(exc) from None

    try:
        if args.command == "list":
            rows = database.read_sync(lambda session: _rows(session, args.role, args.district))
            return json.dumps({"users": rows}, ensure_ascii=False) if args.json else table(rows)
        if args.command == "add":
            assert password is not None
            payload = s.UserCreate(id=None, username=args.username, display_name=args.display_name,
                                   role=args.role, district_id=args.district,
                                   street_id=args.street, phone=args.phone, password=password,
                                   must_change_password=not args.no_must_change)

            def add(session: Session) -> str:
                user = account_actions.user_create(session, ctx, payload)["user"]
                return (f"created {user['username']} ({user['role']}"
                        f"{', district ' + user['district_id'] if user['district_id'] else ''})"
                        + ("" if args.no_must_change else
                           "; the password must be changed at the first login"))

            return act(add)
        if args.command == "reset-password":
            assert password is not None
            pw = password

            def reset(session: Session) -> str:
                ref = s.UserResetPassword(user_id=_user_id(session, args.username), password=pw)
                ended = account_actions.user_reset_password(session, ctx, ref)["sessions_ended"]
                return (f"password of {args.username} reset; it must be changed at the next "
                        f"login; {ended} session(s) ended")

            return act(reset)
        if args.command == "disable":
            def disable(session: Session) -> str:
                ref = s.UserRef(user_id=_user_id(session, args.username))
                ended = account_actions.user_disable(session, ctx, ref)["sessions_ended"]
                return f"{args.username} disabled; {ended} session(s) ended"

            return act(disable)
        if args.command == "enable":
            def enable(session: Session) -> str:
                account_actions.user_enable(
                    session, ctx, s.UserRef(user_id=_user_id(session, args.username)))
                return f"{args.username} enabled"

            return act(enable)
        assert args.command == "end-sessions"

        def end(session: Session) -> str:
            ended = account_actions.end_sessions(session, ctx.principal,
                                                 _user_id(session, args.username))
            return f"{ended} session(s) of {args.username} ended"

        return act(end)
    finally:
        database.close()


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    return run_command("users", args.db, lambda: run(args))
