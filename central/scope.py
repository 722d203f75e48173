"""What each role may see and do, decided on the server for every route.

A district user's view of the world is their district: rows of other districts are neither
returned nor acknowledged to exist (404, not 403). The demonstration viewer sees everything
but personal data is masked and stream URLs carry no credentials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from db.models import Role

ALL_ENTITIES = frozenset({"district", "grid", "business", "camera", "sensor", "alarm", "task",
                          "task_event", "patrol_plan", "patrol_record", "audit", "user"})
ENTITIES_BY_ROLE: dict[str, frozenset[str]] = {
    Role.ADMIN: ALL_ENTITIES,
    Role.OPERATOR: ALL_ENTITIES,
    Role.DISTRICT: ALL_ENTITIES - {"user"},
    Role.VIEWER: ALL_ENTITIES - {"user", "audit"},
    Role.FIELD: frozenset({"district", "grid", "business", "camera", "sensor", "alarm", "task",
                           "task_event"}),
    Role.DEVICE: frozenset({"district", "grid", "business", "camera", "sensor"}),
}
PLAYS_VIDEO = {Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.VIEWER, Role.DEVICE}
ACTS_ON_ALARMS = {Role.ADMIN, Role.OPERATOR, Role.DISTRICT}
INGESTS = {Role.DEVICE, Role.ADMIN}

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
PERSONAL_FIELDS = {"official_name", "contact_name", "officer_name", "display_name", "assignee"}
PHONE_FIELDS = {"official_phone", "contact_phone", "officer_phone", "phone"}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    username: str
    role: str
    district_id: str | None

    @property
    def district_scope(self) -> str | None:
        """The district every row must belong to, or None for city-wide roles."""
        if self.role in (Role.DISTRICT, Role.FIELD) and self.district_id:
            return self.district_id
        return None

    @property
    def entities(self) -> frozenset[str]:
        return ENTITIES_BY_ROLE.get(self.role, frozenset())

    def can_see(self, entity: str, district_id: str | None) -> bool:
        if entity not in self.entities:
            return False
        scope = self.district_scope
        return scope is None or district_id == scope


def mask_credentials(url: str) -> str:
    """``rtsp://user:pass@host/x`` → ``rtsp://***@host/x`` (for logs and untrusted roles)."""
    return _URL_CREDENTIALS.sub(lambda m: m.group("scheme") + "***@", url or "")


def strip_credentials(url: str) -> str:
    return _URL_CREDENTIALS.sub(lambda m: m.group("scheme"), url or "")


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else name


def mask_phone(phone: str) -> str:
    digits = phone or ""
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else ("*" * len(digits))


def present(principal: Principal, entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as this caller may see it."""
    out = dict(payload)
    if entity == "camera":
        if principal.role not in PLAYS_VIDEO:
            out["main_url"] = out["sub_url"] = ""
        elif principal.role == Role.VIEWER:
            out["main_url"] = strip_credentials(out.get("main_url", ""))
            out["sub_url"] = strip_credentials(out.get("sub_url", ""))
    if principal.role == Role.VIEWER:
        for key in PERSONAL_FIELDS & out.keys():
            out[key] = mask_name(out[key])
        for key in PHONE_FIELDS & out.keys():
            out[key] = mask_phone(out[key])
    return out
