"""What each role may see and do, decided on the server for every route.

A district user's world is their district: rows of other districts are neither returned nor
acknowledged to exist (404, not 403). The demonstration viewer sees the whole city but personal
data is masked and stream URLs carry no credentials. Field staff see what their tasks need, and
never stream URLs (they inspect on site). Devices see the registry they post about. The roles
and which entities each receives are :mod:`domain.roles` (the console reads the same sets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.masking import mask_name, mask_phone, mask_url, strip_url_credentials
from domain.roles import ENTITIES_BY_ROLE, OFFICE_ROLES, Role

# Rows without a district that a district-scoped user still sees (city-wide patrol plans).
CITYWIDE_ENTITIES = frozenset({"patrol_plan"})

PLAYS_VIDEO = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.VIEWER, Role.DEVICE})
ACTS_ON_ALARMS = OFFICE_ROLES
PATROLS = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT, Role.FIELD})
INGESTS = frozenset({Role.DEVICE, Role.ADMIN})
# Who may list users (assignees for a dispatch, the admin's user list): not the demonstration
# viewer, not field staff (their tasks name their colleagues already); district staff see the
# users of their own district only (central.reads.list_users).
READS_USERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT})
# Rule parameters decide whether anyone is told about a warm special room: admin only.
CHANGES_RULES = frozenset({Role.ADMIN})

PERSONAL_FIELDS = frozenset({"official_name", "contact_name", "officer_name", "display_name",
                             "director_name"})
PHONE_FIELDS = frozenset({"official_phone", "contact_phone", "officer_phone", "phone",
                          "director_phone"})
# Stream and recording addresses: credentials stripped for everyone, hidden from field staff.
URL_FIELDS = frozenset({"main_url", "sub_url", "playback_url"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as every route sees it."""

    user_id: str
    username: str
    role: str
    district_id: str | None
    # An administrator reset the password: until the user picks a new one, this session may
    # only read /api/me, change the password and log out (central.context.principal_of).
    must_change_password: bool = False

    @property
    def district_scope(self) -> str | None:
        """The district every row must belong to, or None for city-wide roles."""
        if self.role in (Role.DISTRICT, Role.FIELD):
            return self.district_id or "-"  # a misconfigured district user sees nothing
        if self.role == Role.ADMIN and self.district_id:
            return self.district_id  # a district administrator
        if self.role == Role.DEVICE and self.district_id:
            return self.district_id  # a gateway of one district
        return None

    @property
    def entities(self) -> frozenset[str]:
        return ENTITIES_BY_ROLE.get(self.role, frozenset())

    def can_see(self, entity: str, district_id: str | None) -> bool:
        """May this caller see a row of ``entity`` in ``district_id``?"""
        if entity not in self.entities:
            return False
        scope = self.district_scope
        if scope is None or district_id == scope:
            return True
        return district_id is None and entity in CITYWIDE_ENTITIES

    def in_district(self, district_id: str | None) -> bool:
        """May this caller act on something in ``district_id`` at all?"""
        scope = self.district_scope
        return scope is None or district_id == scope


def mask_credentials(url: str) -> str:
    """``rtsp://user:pass@host/x`` → ``rtsp://***@host/x`` (and ``?token=***``): for every log
    line with a URL. The rules live in :mod:`common.masking`, shared with the console."""
    return mask_url(url)


def strip_credentials(url: str) -> str:
    """``rtsp://user:pass@host/x?pwd=y`` → ``rtsp://host/x``: for roles that must not learn them."""
    return strip_url_credentials(url)


def shown_as_stored(principal: Principal, entity: str) -> bool:
    """Whether :func:`present` leaves every payload of ``entity`` unchanged for this caller
    (the change feed then sends the stored JSON text without decoding it). Keep the two
    together: a rule added to ``present`` must make this False where it applies."""
    if principal.role == Role.VIEWER:
        return False
    return entity != "camera" or principal.role in PLAYS_VIDEO


def present(principal: Principal, entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as this caller may see it (a copy; the input is not changed)."""
    out = dict(payload)
    if entity == "camera":
        if principal.role not in PLAYS_VIDEO:
            for key in URL_FIELDS:
                out[key] = ""
        elif principal.role == Role.VIEWER:
            for key in URL_FIELDS & out.keys():
                out[key] = strip_credentials(out[key] or "")
    if principal.role == Role.VIEWER:
        for key in PERSONAL_FIELDS & out.keys():
            out[key] = mask_name(out[key] or "")
        for key in PHONE_FIELDS & out.keys():
            out[key] = mask_phone(out[key] or "")
    return out
