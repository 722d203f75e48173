"""``POST /api/login`` and the identity answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from central.schemas.common import Model, Reply, Username


class LoginRequest(Model):
    username: Username
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordChange(Model):
    """``POST /api/password``: the caller's own new password (policy: domain.passwords)."""

    old_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=1, max_length=1024)]


class PasswordChanged(Reply):
    status: str
    other_sessions_ended: int


class UserInfo(Reply):
    id: str
    username: str
    role: str
    district_id: str | None = None
    must_change_password: bool = Field(
        False, description="an administrator set the password: until POST /api/password "
                           "every route but /api/me and /api/logout answers 403")


class LoginReply(Reply):
    token: str
    expires_at: str
    user: UserInfo
