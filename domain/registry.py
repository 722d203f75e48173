"""The registry's words: business categories, sensor kinds and the entity names that sync."""

from __future__ import annotations

import enum


class BusinessCategory(enum.StrEnum):
    """Catering business categories as the bureaus count them (domain brief)."""

    EXTRA_LARGE = "extra_large"
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    BEVERAGE = "beverage"
    SCHOOL_CANTEEN = "school_canteen"
    ELDERLY_CANTEEN = "elderly_canteen"
    HOSPITAL_CANTEEN = "hospital_canteen"
    GOVERNMENT_CANTEEN = "government_canteen"


class SensorKind(enum.StrEnum):
    SPECIAL_ROOM = "special_room"  # temperature + humidity of a 专间
    DISINFECTION_CABINET = "disinfection_cabinet"  # cabinet temperature over a cycle
    REFRIGERATOR = "refrigerator"
    FREEZER = "freezer"


#: The registry's entities, parents first (a district before its grids before its businesses).
REGISTRY_ENTITIES: frozenset[str] = frozenset({"district", "street", "grid", "business",
                                               "camera", "sensor"})

#: Every entity the change feed carries (``db.models.SYNCED_ENTITIES`` maps them to tables).
ALL_ENTITIES: frozenset[str] = REGISTRY_ENTITIES | frozenset({
    "alarm", "task", "task_event", "patrol_plan", "patrol_record", "audit", "user",
    "onboarding_target"})
