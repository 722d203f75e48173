"""What the alarm list shows and in which order: a filter predicate and sort keys.

Qt-free, so the filtering rules are tested directly and could serve a non-GUI export.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from widgets.models.rows import AlarmRow, epoch_s
from widgets.models.rowset import sortable

#: Alarm states an operator still has to act on.
ACTIVE_STATES = frozenset({"open", "acknowledged", "dispatched"})


@dataclass(frozen=True)
class AlarmFilter:
    """All conditions are ANDed; ``None`` / empty means "any".

    ``since``/``until`` select alarms whose activity interval (opened … last seen) overlaps
    the range, so an alarm opened last week that still repeats today counts as today's.
    ``search`` matches business name, business id, message, place and alarm id,
    case-insensitively, and the sentence ``describe`` writes in the interface language (the
    operator searches for the words on the screen, not for central's English text).
    """

    kinds: frozenset[str] | None = None
    subtype: str | None = None
    min_severity: int = 0
    districts: frozenset[str] | None = None
    business_id: str | None = None
    states: frozenset[str] | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    describe: Callable[[AlarmRow], str] | None = field(default=None, compare=False)

    def matches(self, row: AlarmRow) -> bool:
        if self.kinds is not None and row.kind not in self.kinds:
            return False
        if self.subtype and row.subtype != self.subtype:
            return False
        if row.severity < self.min_severity:
            return False
        if self.districts is not None and row.district_id not in self.districts:
            return False
        if self.business_id and row.business_id != self.business_id:
            return False
        if self.states is not None and row.state not in self.states:
            return False
        if self.since is not None and max(row.last_seen_at, row.opened_at) < self.since:
            return False
        if self.until is not None and row.opened_at > self.until:
            return False
        if self.search:
            needle = self.search.casefold()
            hay = (row.business_name, row.business_id, row.message, row.id, row.district_name,
                   row.place, self.describe(row) if self.describe else "")
            if not any(needle in h.casefold() for h in hay if h):
                return False
        return True


class AlarmSort(enum.StrEnum):
    """Sort orders offered to the operator; columns add their own via :func:`column_key`."""

    NEWEST = "newest"  # last activity first
    SEVERITY = "severity"  # most severe first, then newest


def _newest_key(row: AlarmRow) -> tuple[Any, ...]:
    return (-epoch_s(row.last_seen_at), row.id)


def _severity_key(row: AlarmRow) -> tuple[Any, ...]:
    return (-row.severity, -epoch_s(row.last_seen_at), row.id)


def sort_key(order: AlarmSort) -> Callable[[AlarmRow], tuple[Any, ...]]:
    return _severity_key if order is AlarmSort.SEVERITY else _newest_key


def column_key(
    value_of: Callable[[AlarmRow], Any], descending: bool
) -> Callable[[AlarmRow], tuple[Any, ...]]:
    """Sort by one column, ties broken newest first then by id (keys stay unique)."""

    def key(row: AlarmRow) -> tuple[Any, ...]:
        return (sortable(value_of(row), descending), -epoch_s(row.last_seen_at), row.id)

    return key
