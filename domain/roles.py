"""Who is who, and which synced entities each role may see.

Central enforces every permission (:mod:`central.scope` masks and scopes the rows); the
console reads the same sets only to decide which controls it offers, so nobody is shown a
button the server would refuse.
"""

from __future__ import annotations

import enum

from domain.registry import ALL_ENTITIES, REGISTRY_ENTITIES


class Role(enum.StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"  # centre operator, all districts
    DISTRICT = "district"  # district bureau staff, one district
    VIEWER = "viewer"  # demonstration, read-only, personal data masked
    FIELD = "field"  # grid officer / grassroots office: works tasks in the field
    DEVICE = "device"  # a kitchen gateway / media platform posting readings and events


#: The office: dispatches and reviews tasks, acts on alarms, reports camera health.
OFFICE_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT})
#: Who works a task in the field (an admin may stand in).
FIELD_ROLES: frozenset[Role] = frozenset({Role.FIELD, Role.ADMIN})

#: The synced entities each role receives (central scopes district staff to their district).
ENTITIES_BY_ROLE: dict[str, frozenset[str]] = {
    Role.ADMIN: ALL_ENTITIES,
    Role.OPERATOR: ALL_ENTITIES,
    Role.DISTRICT: ALL_ENTITIES - {"user"},
    Role.VIEWER: ALL_ENTITIES - {"user", "audit"},
    Role.FIELD: REGISTRY_ENTITIES | {"alarm", "task", "task_event"},
    # Recorders are device accounts: they follow alarms for their pre- and post-roll clips.
    Role.DEVICE: REGISTRY_ENTITIES | {"alarm"},
}
