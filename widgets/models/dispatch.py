"""Dispatch defaults: deadlines by severity and alarm type, the default assignee.

This is a Qt-free zone. The deadline table is configuration (bureaus differ: reports cite a
rectification plan within 2 h for serious cases and a re-check within 72 h); the first rule
that matches an alarm wins, so specific rules go before general ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from widgets.models.rows import AlarmRow, Assignee, BusinessCard


@dataclass(frozen=True)
class DeadlineRule:
    """``kind``/``subtype``/``min_severity`` select alarms (None = any); ``hours`` is the time
    allowed; ``purpose`` says what must be done by then (shown next to the deadline)."""

    hours: float
    purpose: str
    kind: str | None = None
    subtype: str | None = None
    min_severity: int | None = None

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise ValueError(f"deadline rule needs positive hours, got {self.hours}")

    def matches(self, kind: str, subtype: str, severity: int) -> bool:
        return (
            (self.kind is None or self.kind == kind)
            and (self.subtype is None or self.subtype == subtype)
            and (self.min_severity is None or severity >= self.min_severity)
        )


# Purposes are English source strings; the dialog translates them for display.
DEFAULT_DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(2, "rectification plan", min_severity=4),
    DeadlineRule(2, "rectification plan", kind="ai_violation", subtype="unattended_flame"),
    DeadlineRule(24, "rectification", kind="ai_violation", subtype="rodent"),
    DeadlineRule(24, "rectification", min_severity=3),
    DeadlineRule(72, "re-check"),
)


class DeadlinePolicy:
    """First-match table of deadline rules; the last rule should match everything."""

    def __init__(self, rules: Sequence[DeadlineRule] = DEFAULT_DEADLINE_RULES) -> None:
        if not rules:
            raise ValueError("a deadline policy needs at least one rule")
        self.rules = tuple(rules)

    @classmethod
    def from_config(cls, entries: Iterable[Mapping[str, Any]]) -> DeadlinePolicy:
        """Rules from settings: ``[{"hours": 2, "purpose": "...", "min_severity": 4}, ...]``."""
        rules = []
        for i, entry in enumerate(entries):
            try:
                rules.append(
                    DeadlineRule(
                        hours=float(entry["hours"]),
                        purpose=str(entry.get("purpose", "")),
                        kind=entry.get("kind"),
                        subtype=entry.get("subtype"),
                        min_severity=entry.get("min_severity"),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"deadline rule {i}: {exc}") from exc
        return cls(rules)

    def rule_for(self, kind: str, subtype: str, severity: int) -> DeadlineRule:
        for rule in self.rules:
            if rule.matches(kind, subtype, severity):
                return rule
        return self.rules[-1]

    def deadline_for(self, alarm: AlarmRow, now: datetime) -> tuple[datetime, DeadlineRule]:
        rule = self.rule_for(alarm.kind, alarm.subtype, alarm.severity)
        return now + timedelta(hours=rule.hours), rule


def default_assignee(
    assignees: Sequence[Assignee], business: BusinessCard | None
) -> Assignee | None:
    """The business's responsible official (包保) if they can take tasks, else its grid officer.

    Officials are matched by display name or username: the registry records them by name.
    """
    if business is None:
        return None
    for wanted in (business.official_name, business.grid_officer_name):
        wanted = wanted.strip()
        if not wanted:
            continue
        for person in assignees:
            if wanted in (person.display_name, person.username):
                return person
    return None
