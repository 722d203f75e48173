"""``POST /api/login`` and the identity answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from central.schemas.common import Model, Reply, Username


class LoginRequest(Model):
    username: Username
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class UserInfo(Reply):
    id: str
    username: str
    role: str
    district_id: str | None = None


class LoginReply(Reply):
    token: str
    expires_at: str
    user: UserInfo
