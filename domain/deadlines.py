"""Who answers for a task, and how long the 挂牌督办 gives each level (Qt- and SQL-free).

A task starts with the street (基层所 / 街道); when it is overdue it moves up by itself to the
district bureau, then to the city, and each move puts it on the 挂牌督办 list with a deadline
of its own. The console shows the same words; :mod:`central.deadlines` applies them.
"""

from __future__ import annotations

import enum
from datetime import timedelta


class TaskLevel(enum.StrEnum):
    STREET = "street"
    DISTRICT = "district"
    CITY = "city"


LEVELS: tuple[TaskLevel, ...] = (TaskLevel.STREET, TaskLevel.DISTRICT, TaskLevel.CITY)
LEVEL_NAMES_ZH: dict[str, str] = {"street": "街道", "district": "区局", "city": "市局"}

#: How long a level has to close a task it was handed by escalation (挂牌督办 deadline).
SUPERVISION_WINDOW: dict[str, timedelta] = {
    TaskLevel.STREET: timedelta(hours=72),  # a manual 挂牌督办 at street level
    TaskLevel.DISTRICT: timedelta(hours=72),
    TaskLevel.CITY: timedelta(hours=48),
}


def next_level(level: str) -> TaskLevel | None:
    """The level above ``level`` (None at the city, or for an unknown word)."""
    try:
        index = LEVELS.index(TaskLevel(level))
    except ValueError:
        return None
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None

#: The window of a level this module does not know (an older or newer client's word).
DEFAULT_WINDOW = timedelta(hours=72)
