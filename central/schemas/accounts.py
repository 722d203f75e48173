"""Account actions (``user.*``, ``session.end``) and ``GET /api/sessions``.

Passwords travel only in ``user.create`` and ``user.reset_password`` payloads (never in a
reply: the idempotency ledger keeps replies for ever), are checked against
:mod:`domain.passwords` by central and are never echoed in an error message.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from central.schemas.common import Id, Model, Reply, text
from central.schemas.reads import RoleName

RoleWord = RoleName  # domain.roles.Role's values (kept equal by tests/central/test_vocabularies)
NewUsername = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$",
                                   description="letters, digits and . _ - @ (login name)")]
Password = Annotated[str, Field(min_length=1, max_length=1024,
                                description="checked against the password policy "
                                            "(domain.passwords); never echoed")]
Phone = Annotated[str, Field(max_length=32, pattern=r"^[0-9+() -]*$",
                             description="digits, spaces, + ( ) -; may be empty")]
SessionId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$",
                                 description="a session_id from GET /api/sessions")]


class UserCreate(Model):
    """A new account. ``district_id`` is required for district and field staff, absent for
    operator and viewer (city-wide); a district admin creates accounts of their district only."""

    id: Id | None = Field(None, description="the console's id for the new row; default: new")
    username: NewUsername
    display_name: Annotated[str, text(64)] = ""
    role: RoleWord
    district_id: Id | None = None
    street_id: Id | None = None
    phone: Phone = ""
    password: Password
    must_change_password: bool = Field(True, description="the user picks their own password "
                                                         "at the first login")


class UserUpdate(Model):
    """Change what is given (absent fields stay); ``null`` district/street = none."""

    user_id: Id
    display_name: Annotated[str, text(64)] | None = None
    role: RoleWord | None = None
    district_id: Id | None = None
    street_id: Id | None = None
    phone: Phone | None = None
    expected_version: Annotated[int, Field(ge=1)] | None = Field(
        None, description="409 if the account changed meanwhile")


class UserRef(Model):
    user_id: Id


class UserResetPassword(Model):
    user_id: Id
    password: Password = Field(description="the temporary password (the console generates "
                                           "one unless the administrator typed one)")


class SessionEnd(Model):
    """End one session of the "signed in now" list (``user.disable`` ends them all)."""

    session_id: SessionId


class SignedInSession(Reply):
    session_id: str
    user_id: str
    username: str
    display_name: str
    role: str
    district_id: str | None = None
    started_at: str | None = None
    last_seen_at: str | None = None
    address: str


class SessionsReply(Reply):
    sessions: list[SignedInSession]


PAYLOADS: dict[str, type[Model]] = {
    "user.create": UserCreate,
    "user.update": UserUpdate,
    "user.disable": UserRef,
    "user.enable": UserRef,
    "user.reset_password": UserResetPassword,
    "session.end": SessionEnd,
}
