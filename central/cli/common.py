"""What the administration commands share: opening the database, reading a password without
putting it on the command line, the exit codes, and acting as "the command line"."""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

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


def check_url(url: str) -> str:
    try:
        make_url(url)
    except ArgumentError as exc:
        raise CommandError(f"--db {mask_credentials(url)!r} is not a database URL (e.g. "
                           f"sqlite:///central.db or postgresql+psycopg://user@host/db)",
                           USAGE) from exc
    return url


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
