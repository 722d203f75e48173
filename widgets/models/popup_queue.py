"""Rate-limited queue of alarm popups.

An alarm storm (a district's network drops and 300 cameras go offline, or an AI box misfires
every few seconds) must not bury the operator under panels. The queue lets at most one new
panel appear per ``min_interval_s``, keeps at most ``max_visible`` panels on screen at once (the
rest wait, counted, until one is closed), shows the most severe waiting alarm first (oldest
first within a severity), and merges repeats of an alarm already waiting or on screen instead
of queueing it twice.

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
        max_visible: at most this many panels on screen (None: no limit).
    """

    def __init__(self, min_interval_s: float = 5.0, max_queued: int = 200,
                 max_visible: int | None = None) -> None:
        if min_interval_s < 0 or max_queued < 1 or (max_visible is not None and max_visible < 1):
            raise ValueError("min_interval_s must be ≥ 0, max_queued ≥ 1 and max_visible ≥ 1")
        self.min_interval_s = min_interval_s
        self.max_queued = max_queued
        self.max_visible = max_visible
        self._pending: dict[str, PendingPopup] = {}
        self._on_screen: set[str] = set()
        self._last_shown: float | None = None
        self.dropped = 0
        self._dropping = False  # in a storm that filled the queue (warned once)

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
                self._drop(f"alarm {alarm_id} not queued")
                return Offer.DROPPED
            del self._pending[weakest.alarm_id]
            self._drop(f"alarm {weakest.alarm_id} gave way to {alarm_id}")
        self._pending[alarm_id] = PendingPopup(alarm_id, severity, now, now, item=item)
        return Offer.QUEUED

    @property
    def full(self) -> bool:
        """As many panels on screen as allowed: the next waits until one is closed."""
        return self.max_visible is not None and len(self._on_screen) >= self.max_visible

    def seconds_until_due(self, now: float) -> float | None:
        """How long until :meth:`pop_due` can return something; None when nothing waits or
        the screen is full (a :meth:`closed` panel makes room)."""
        if not self._pending or self.full:
            return None
        if self._last_shown is None:
            return 0.0
        return max(0.0, self._last_shown + self.min_interval_s - now)

    def pop_due(self, now: float) -> PendingPopup | None:
        """The next alarm to show, if one waits and the rate limit allows; it is then on screen."""
        wait = self.seconds_until_due(now)
        if wait is None or wait > 0:
            return None
        return self._take(now)

    def pop_next(self, now: float) -> PendingPopup | None:
        """The operator asked for the next alarm: no waiting for the interval (the screen
        limit still holds)."""
        if not self._pending or self.full:
            return None
        return self._take(now)

    def _take(self, now: float) -> PendingPopup:
        entry = min(self._pending.values(), key=self._order)
        del self._pending[entry.alarm_id]
        if len(self._pending) < self.max_queued // 2:
            self._dropping = False  # the storm is over: warn again next time
        self._on_screen.add(entry.alarm_id)
        self._last_shown = now
        return entry

    def closed(self, alarm_id: str) -> None:
        """The alarm's panel was closed; a later repeat may queue it again."""
        self._on_screen.discard(alarm_id)

    def discard(self, alarm_id: str) -> bool:
        """Forget a waiting alarm (acknowledged elsewhere, dismissed, closed)."""
        return self._pending.pop(alarm_id, None) is not None

    def _drop(self, what: str) -> None:
        """Count a dropped popup; warn once per storm (the alarms are in the list anyway)."""
        self.dropped += 1
        if not self._dropping:
            self._dropping = True
            log.warning("popup queue full (%d waiting): %s; further drops in this storm are "
                        "only counted", self.max_queued, what)
        else:
            log.debug("popup queue full: %s (%d dropped so far)", what, self.dropped)

    @staticmethod
    def _order(entry: PendingPopup) -> tuple[int, float, str]:
        return (-entry.severity, entry.first_offered, entry.alarm_id)
