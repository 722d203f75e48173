"""Aggregation of the alarm list: one entry per business and alarm type while action is due.

Central already keeps one live alarm per condition (``<kind>:<condition>:<device>``) and counts
its repeats. A kitchen still produces several live alarms of one type when it has several
devices: both cameras of a shop lose their network together, two cameras see the same cook
without a mask. The operator decides about the kitchen, not about each device, so the list
shows those alarms as one entry with the summed count, the earliest opening and the latest
sighting, and sounds and pops up once per entry.

Only alarms still waiting for a decision (open, acknowledged) are aggregated. A dispatched
alarm has its own task and closed or dismissed ones are history; each keeps its own row.

:class:`AlarmGroups` holds the raw alarms and their membership and turns every change into
the entries that changed and the entries that disappeared, so the Qt model above it applies
row-sized updates. Qt-free, so the rules are tested directly.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping

from widgets.models.rows import AlarmRow, epoch_s

#: States in which repeats of one business and type collapse into one entry.
GROUPED_STATES = frozenset({"open", "acknowledged"})
_SEP = "\x1f"  # never part of an alarm id, so group keys and alarm ids cannot collide

_STATE_URGENCY = {"open": 0, "acknowledged": 1}


def group_key(row: AlarmRow, grouping: bool = True) -> str:
    """The list entry an alarm belongs to: its own id, or its business-and-type group."""
    if grouping and row.state in GROUPED_STATES and row.business_id:
        return _SEP.join(("g", row.business_id, row.kind, row.subtype))
    return row.id


def representative(rows: Iterable[AlarmRow]) -> AlarmRow:
    """The member an entry opens and acts on: open before acknowledged, then the most severe,
    then the most recently seen."""
    return min(rows, key=lambda r: (_STATE_URGENCY.get(r.state, 9), -r.severity,
                                    -epoch_s(r.last_seen_at), r.id))


def merge(rows: Iterable[AlarmRow]) -> AlarmRow:
    """One list entry for the members of a group (a single member is returned unchanged)."""
    members = list(rows)
    if not members:
        raise ValueError("merge() needs at least one alarm")
    if len(members) == 1:
        return members[0]
    rep = representative(members)
    ordered = sorted(members, key=lambda r: (epoch_s(r.opened_at), r.id))
    return dataclasses.replace(
        rep,
        count=sum(r.count for r in members),
        severity=max(r.severity for r in members),
        opened_at=ordered[0].opened_at,
        last_seen_at=max(r.last_seen_at for r in members),
        member_ids=tuple(r.id for r in ordered),
    )


@dataclasses.dataclass(frozen=True)
class GroupChange:
    """What one update did to the entries: rows to upsert and entry ids to remove."""

    upserts: list[AlarmRow]
    removed: list[str]
    # Alarms seen for the first time, open, and alone in their entry: a new entry for the
    # operator (it may sound and pop up). Repeats and further members of an entry are not.
    new_entries: list[str]


class AlarmGroups:
    """Raw alarms by id, their entry membership, and the entry rows derived from them."""

    def __init__(self, grouping: bool = True) -> None:
        self.grouping = grouping
        self._raw: dict[str, AlarmRow] = {}
        self._key_of: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, alarm_id: object) -> bool:
        return alarm_id in self._raw

    def get(self, alarm_id: str) -> AlarmRow | None:
        return self._raw.get(alarm_id)

    def raw_rows(self) -> Iterable[AlarmRow]:
        return self._raw.values()

    def entry_key(self, alarm_id: str) -> str | None:
        """The id of the list entry that shows ``alarm_id`` (None for an unknown alarm)."""
        return self._key_of.get(alarm_id)

    def members(self, alarm_id: str) -> list[str]:
        """All alarms shown by the same entry as ``alarm_id`` (oldest first)."""
        key = self._key_of.get(alarm_id)
        if key is None:
            return []
        rows = [self._raw[i] for i in self._members[key]]
        return [r.id for r in sorted(rows, key=lambda r: (epoch_s(r.opened_at), r.id))]

    def entry(self, key: str) -> AlarmRow | None:
        ids = self._members.get(key)
        return merge(self._raw[i] for i in ids) if ids else None

    def entries(self) -> list[AlarmRow]:
        return [merge(self._raw[i] for i in ids) for ids in self._members.values()]

    def counts_by_state(self) -> dict[str, int]:
        """Alarms (not entries) per state: the status bar's counters."""
        return dict(Counter(r.state for r in self._raw.values()))

    # ------------------------------------------------------------------ changes
    def set_grouping(self, grouping: bool) -> None:
        """Re-key everything; the caller rebuilds its view from :meth:`entries`."""
        self.grouping = grouping
        rows = list(self._raw.values())
        self._raw.clear()
        self._key_of.clear()
        self._members.clear()
        self.upsert(rows)

    def upsert(self, rows: Iterable[AlarmRow]) -> GroupChange:
        touched: set[str] = set()
        new_entries: list[str] = []
        self._upsert(rows, touched, new_entries)
        return self._change(touched, new_entries)

    def remove(self, alarm_ids: Iterable[str]) -> GroupChange:
        touched: set[str] = set()
        self._remove(alarm_ids, touched)
        return self._change(touched, [])

    def replace(self, rows: Iterable[AlarmRow]) -> GroupChange:
        """Make the set equal to ``rows``, touching only entries whose members changed."""
        fresh: Mapping[str, AlarmRow] = {r.id: r for r in rows}
        touched: set[str] = set()
        new_entries: list[str] = []
        self._remove([i for i in self._raw if i not in fresh], touched)
        self._upsert([r for i, r in fresh.items() if self._raw.get(i) != r], touched,
                     new_entries)
        return self._change(touched, new_entries)

    # ------------------------------------------------------------------ internals
    def _upsert(self, rows: Iterable[AlarmRow], touched: set[str],
                new_entries: list[str]) -> None:
        for row in rows:
            old_key = self._key_of.get(row.id)
            key = group_key(row, self.grouping)
            self._raw[row.id] = row
            if old_key != key:
                if old_key is not None:
                    self._leave(row.id, old_key)
                    touched.add(old_key)
                members = self._members.setdefault(key, set())
                if old_key is None and not members and row.state == "open":
                    new_entries.append(row.id)
                members.add(row.id)
                self._key_of[row.id] = key
            touched.add(key)

    def _remove(self, alarm_ids: Iterable[str], touched: set[str]) -> None:
        for alarm_id in alarm_ids:
            if self._raw.pop(alarm_id, None) is None:
                continue
            key = self._key_of.pop(alarm_id)
            self._leave(alarm_id, key)
            touched.add(key)

    def _leave(self, alarm_id: str, key: str) -> None:
        members = self._members.get(key)
        if members is None:
            return
        members.discard(alarm_id)
        if not members:
            del self._members[key]

    def _change(self, touched: set[str], new_entries: list[str]) -> GroupChange:
        upserts: list[AlarmRow] = []
        removed: list[str] = []
        for key in touched:
            ids = self._members.get(key)
            if ids:
                upserts.append(merge(self._raw[i] for i in ids))
            else:
                removed.append(key)
        return GroupChange(upserts, removed, new_entries)
