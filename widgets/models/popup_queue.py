"""Rate-limited queue of alarm popups.

An alarm storm (a district's network drops and 300 cameras go offline, or an AI box misfires
every few seconds) must not bury the operator under panels. The queue lets at most one new
panel appear per ``min_interval_s``, shows the most severe waiting alarm first (oldest first
within a severity), and merges repeats of an alarm already waiting or on screen instead of
queueing it twice.

This is a Qt-free zone: time is passed in (monotonic seconds), so the policy is tested without
waiting. :class:`widgets.alarm_panel.PopupScheduler` drives it from a QTimer.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("kitchenwatch.widgets.popups")


class Offer(enum.Enum):
    """What happened to an offered alarm."""

    QUEUED = "queued"
    MERGED = "merged"  # it was already waiting: severity raised, repeat counted
    ON_SCREEN = "on_screen"  # its panel is open: the console should refresh that panel
    DROPPED = "dropped"  # the queue was full of more severe alarms


@dataclass
class PendingPopup:
    alarm_id: str
    severity: int
    first_offered: float
    last_offered: float
    repeats: int = 0  # offers merged into this entry after the first
    item: Any = None  # the console's latest data for the alarm


class PopupQueue:
    """Decides which alarm panel to show next and when.

    Args:
        min_interval_s: at least this long between two new panels.
        max_queued: capacity; when full, the least severe, newest entry gives way.
    """

    def __init__(self, min_interval_s: float = 5.0, max_queued: int = 200) -> None:
        if min_interval_s < 0 or max_queued < 1:
            raise ValueError("min_interval_s must be ≥ 0 and max_queued ≥ 1")
        self.min_interval_s = min_interval_s
        self.max_queued = max_queued
        self._pending: dict[str, PendingPopup] = {}
        self._on_screen: set[str] = set()
        self._last_shown: float | None = None
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, alarm_id: object) -> bool:
        return alarm_id in self._pending

    @property
    def on_screen(self) -> frozenset[str]:
        return frozenset(self._on_screen)

    def pending(self) -> list[PendingPopup]:
        """Waiting entries in the order they will be shown."""
        return sorted(self._pending.values(), key=self._order)

    def offer(self, alarm_id: str, severity: int, now: float, item: Any = None) -> Offer:
        """An alarm wants a panel (new, or repeated/updated)."""
        if alarm_id in self._on_screen:
            return Offer.ON_SCREEN
        entry = self._pending.get(alarm_id)
        if entry is not None:
            entry.severity = max(entry.severity, severity)
            entry.repeats += 1
            entry.last_offered = now
            if item is not None:
                entry.item = item
            return Offer.MERGED
        if len(self._pending) >= self.max_queued:
            weakest = max(self._pending.values(), key=self._order)
            if weakest.severity >= severity:
                self.dropped += 1
                log.warning("popup queue full (%d): dropped alarm %s", self.max_queued, alarm_id)
                return Offer.DROPPED
            del self._pending[weakest.alarm_id]
            self.dropped += 1
            log.warning("popup queue full: alarm %s gave way to %s", weakest.alarm_id, alarm_id)
        self._pending[alarm_id] = PendingPopup(alarm_id, severity, now, now, item=item)
        return Offer.QUEUED

    def seconds_until_due(self, now: float) -> float | None:
        """How long until :meth:`pop_due` can return something; None when nothing waits."""
        if not self._pending:
            return None
        if self._last_shown is None:
            return 0.0
        return max(0.0, self._last_shown + self.min_interval_s - now)

    def pop_due(self, now: float) -> PendingPopup | None:
        """The next alarm to show, if one waits and the rate limit allows; it is then on screen."""
        wait = self.seconds_until_due(now)
        if wait is None or wait > 0:
            return None
        entry = min(self._pending.values(), key=self._order)
        del self._pending[entry.alarm_id]
        self._on_screen.add(entry.alarm_id)
        self._last_shown = now
        return entry

    def closed(self, alarm_id: str) -> None:
        """The alarm's panel was closed; a later repeat may queue it again."""
        self._on_screen.discard(alarm_id)

    def discard(self, alarm_id: str) -> bool:
        """Forget a waiting alarm (acknowledged elsewhere, dismissed, closed)."""
        return self._pending.pop(alarm_id, None) is not None

    @staticmethod
    def _order(entry: PendingPopup) -> tuple[int, float, str]:
        return (-entry.severity, entry.first_offered, entry.alarm_id)
