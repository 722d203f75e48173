"""What the administration commands share: opening the database, reading a password without
putting it on the command line, the exit codes, and acting as "the command line"."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from central.errors import ApiError
from central.scope import Principal, mask_credentials
from domain import passwords
from domain.roles import Role

# Exit codes of every command (README.md "From nothing to the first kitchen on the wall").
OK = 0
DATABASE_ERROR = 1  # the database cannot be opened or written
USAGE = 2  # wrong arguments, an unusable password, a value central refuses (422)
REFUSED = 3  # nothing changed: already initialised, no such user, a name taken, last admin


class CommandError(Exception):
    """A message for stderr and the exit code to leave with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run_command(name: str, db_url: str, work: Callable[[], str]) -> int:
    """Run one command: its answer on stdout and ``OK``; a refusal or an unusable database on
    stderr, prefixed with the command's name, and its exit code (the URL's password masked)."""
    try:
        print(work())
    except CommandError as exc:
        print(f"kitchenwatch-central {name}: {exc}", file=sys.stderr)
        return exc.code
    except OperationalError as exc:
        print(f"kitchenwatch-central {name}: cannot open the database "
              f"{mask_credentials(db_url)}: {str(exc.orig).strip() if exc.orig else exc}",
              file=sys.stderr)
        return DATABASE_ERROR
    return OK


def check_url(url: str) -> str:
    try:
        make_url(url)
    except ArgumentError as exc:
        raise CommandError(f"--db {mask_credentials(url)!r} is not a database URL (e.g. "
                           f"sqlite:///central.db or postgresql+psycopg://user@host/db)",
                           USAGE) from exc
    return url


def require_database(url: str) -> None:
    """Refuse a SQLite file that does not exist, before anything opens it: SQLite would create
    an empty file, and a typo in ``--db`` would leave a stray database behind (and look like a
    database "with no schema" rather than the wrong path it is). Other back ends create
    nothing on connect, so their own error says what is wrong."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    if not Path(database).is_file():
        raise CommandError(f"no database file {database}; check --db, or run "
                           f"'kitchenwatch-central init --db URL' to create one",
                           REFUSED)


# Options that would put a password on the command line (shell history, ``ps``). None exists;
# the parser must still never repeat what followed one in its usage error.
_SECRET_OPTIONS = ("--password", "--passwd", "--pass", "--pw", "-p")


def secret_positions(argv: Sequence[str]) -> set[str]:
    """The tokens of ``argv`` that may be a password typed by mistake: the value after
    ``--password`` (and its likely misspellings), or the part after ``=``."""
    secrets: set[str] = set()
    for i, token in enumerate(argv):
        name, eq, value = token.partition("=")
        if name.lower() in _SECRET_OPTIONS:
            if eq:
                secrets.add(token)
                if value:
                    secrets.add(value)
            elif i + 1 < len(argv):
                secrets.add(argv[i + 1])
    return {s for s in secrets if s}


class QuietParser(argparse.ArgumentParser):
    """An argument parser whose usage errors never echo a password typed by mistake on the
    command line (``--password hunter2`` would otherwise come back as "unrecognized arguments:
    --password hunter2", on a screen or in a CI log). Subparsers inherit the class, and
    :meth:`parse_args` shares the tokens to hide with them."""

    _hidden: set[str] = set()

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        QuietParser._hidden = secret_positions(list(sys.argv[1:] if args is None else args))
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        hidden = sorted(QuietParser._hidden, key=len, reverse=True)
        if hidden:
            for secret in hidden:
                message = message.replace(secret, "***")
            message += ("; a password is never taken on the command line: use "
                        "--password-file FILE, or leave it out to be asked")
        super().error(message)


def schema_revision(engine: object) -> str | None:
    """The Alembic revision of the database, or None when it has no Kitchen Watch schema."""
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def cli_principal() -> Principal:
    """Who the audit log names for a change made here: the operating-system account running
    the command (a city-wide administrator, as only one with the database address can be)."""
    try:
        who = getpass.getuser()
    except Exception:  # no user name in the environment (a container): still say it was here
        who = "?"
    return Principal(user_id="", username=f"cli:{who}"[:64], role=Role.ADMIN, district_id=None)


@dataclass
class ActionCtx:
    """What :mod:`central.account_actions` handlers read of an action context."""

    principal: Principal


def refused(error: ApiError) -> CommandError:
    """An action's refusal as the command's message and exit code."""
    message = error.message.removeprefix("payload.")  # the action's field names, not JSON's
    return CommandError(message, USAGE if error.status == 422 else REFUSED)


def read_password(password_file: str | None, username: str, *, confirm: bool = True,
                  stdin: TextIO | None = None) -> str:
    """The new password of ``username``: from ``--password-file`` (``-`` = standard input; one
    trailing newline stripped, nothing else) or typed twice at a hidden prompt. Checked against
    the policy here, so a script learns at once why it was refused."""
    if password_file is not None:
        try:
            if password_file == "-":
                raw = (stdin or sys.stdin).read()
            else:
                raw = Path(password_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read --password-file {password_file}: {exc}",
                               USAGE) from exc
        password = raw[:-2] if raw.endswith("\r\n") else raw[:-1] if raw.endswith("\n") else raw
    else:
        password = getpass.getpass(f"New password for {username}: ")
        if confirm and getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ; nothing changed", USAGE)
    verdict = passwords.check(password, username)
    if not verdict.ok:
        raise CommandError(f"password refused: {verdict.message()}", USAGE)
    return password
