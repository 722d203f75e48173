"""What the console offers each role (Qt-free). Central enforces every permission; this only
decides what the interface shows, so nobody is offered a button the server would refuse.

| role | offered |
|---|---|
| admin | everything an operator has, plus the Administration menu (users, rule parameters) |
| operator | the wall, alarms with dispatch, task review, statistics (all districts) |
| district | the same for their own district (central scopes the data), on the office-PC profile |
| viewer | the kiosk: an unattended tour and statistics, no controls, details masked |
| field | (works tasks on the mobile app) the console opens read-mostly, office-PC profile |
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.roles import Role


@dataclass(frozen=True)
class RoleProfile:
    role: str
    admin_menu: bool = False      # Administration: users list, rule parameters
    can_dispatch: bool = False    # alarm actions and task dispatch (central: "office" roles)
    kiosk: bool = False           # no controls, a tour; forced for the demonstration viewer
    office_pc: bool = False       # the office-PC profile is this role's default

    @property
    def can_change_settings(self) -> bool:
        return not self.kiosk


PROFILES: dict[str, RoleProfile] = {
    Role.ADMIN: RoleProfile(Role.ADMIN, admin_menu=True, can_dispatch=True),
    Role.OPERATOR: RoleProfile(Role.OPERATOR, can_dispatch=True),
    Role.DISTRICT: RoleProfile(Role.DISTRICT, can_dispatch=True, office_pc=True),
    Role.VIEWER: RoleProfile(Role.VIEWER, kiosk=True),
    Role.FIELD: RoleProfile(Role.FIELD, office_pc=True),
}


def role_profile(role: str | None) -> RoleProfile:
    """Unknown or missing roles get nothing beyond watching (the safe side)."""
    return PROFILES.get(str(role or ""), RoleProfile(str(role or "")))


def office_profile_active(role: str | None, mode: str) -> bool:
    """The settings' ``office_profile`` (``auto``/``on``/``off``) for this role."""
    if mode == "on":
        return True
    if mode == "off":
        return False
    return role_profile(role).office_pc
