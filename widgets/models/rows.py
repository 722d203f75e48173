"""Plain row classes the widgets display, built from change-feed payloads.

The console receives rows as ``db.serialize.to_payload`` dictionaries (ISO-8601 strings for
timestamps). The widgets work on small frozen dataclasses instead: timestamps parsed once into
aware UTC datetimes, display names the console resolved (business / district names are not
columns of an alarm) carried alongside. Unknown payload keys are ignored, so a newer server
sending more columns does not break an older console.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


class RowError(ValueError):
    """A payload does not fit the row class; the message names the field."""


def parse_ts(value: Any, name: str = "timestamp") -> datetime | None:
    """An aware UTC datetime from an ISO-8601 string, a datetime or an epoch number.

    Naive values are refused: every timestamp in the system is UTC with an offset, and
    guessing a zone would silently shift alarm times by hours.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise RowError(f"{name}: {value!r} is not an ISO-8601 timestamp") from exc
    else:
        raise RowError(f"{name}: expected a timestamp, got {type(value).__name__}")
    if parsed.tzinfo is None:
        raise RowError(f"{name}: timestamp {value!s} lacks a UTC offset")
    return parsed.astimezone(UTC)


def parse_date(value: Any, name: str = "date") -> date | None:
    """A date from ``YYYY-MM-DD`` or a date object (licence expiry)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError as exc:
            raise RowError(f"{name}: {value!r} is not a date") from exc
    raise RowError(f"{name}: expected a date, got {type(value).__name__}")


def _build(cls: type[T], payload: Mapping[str, Any], extra: Mapping[str, Any]) -> T:
    """Instantiate a row dataclass from a payload, parsing its datetime/date fields."""
    if not isinstance(payload, Mapping):
        raise RowError(f"{cls.__name__}: payload is not a mapping")
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
            continue
        if f.name not in payload:
            continue
        raw = payload[f.name]
        kind = str(f.type)
        if "datetime" in kind:
            values[f.name] = parse_ts(raw, f"{cls.__name__}.{f.name}")
        elif "date" in kind:
            values[f.name] = parse_date(raw, f"{cls.__name__}.{f.name}")
        elif raw is None and f.default is not dataclasses.MISSING and f.default is not None:
            continue  # keep the default instead of a None the column never holds
        else:
            values[f.name] = raw
    try:
        return cls(**values)
    except TypeError as exc:
        raise RowError(f"{cls.__name__}: {exc}") from exc


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AlarmRow:
    """One alarm as the list, the popup and the evidence pack show it."""

    id: str
    kind: str
    district_id: str = ""
    business_id: str = ""
    subtype: str = ""
    severity: int = 3
    state: str = "open"
    camera_id: str | None = None
    sensor_id: str | None = None
    condition_key: str = ""
    count: int = 1
    message: str = ""
    value: float | None = None
    threshold: float | None = None
    evidence_url: str = ""
    evidence_box: dict[str, Any] | None = None
    evidence_clip_url: str = ""  # the AI box's own clip, /media/<sha256>.mp4|ts
    opened_at: datetime = _EPOCH
    last_seen_at: datetime = _EPOCH
    cleared_at: datetime | None = None
    acked_at: datetime | None = None
    acked_by: str = ""
    closed_at: datetime | None = None
    dismiss_reason: str = ""
    task_id: str | None = None
    version: int = 1
    # Display names resolved by the console (not alarm columns).
    business_name: str = ""
    district_name: str = ""
    # Where in the kitchen: the camera's name or the sensor's location (widgets.alarm_text).
    place: str = ""
    # An aggregated list entry (several live alarms of one business and type): the alarm ids
    # it stands for, oldest first. Empty for a single alarm.
    member_ids: tuple[str, ...] = ()

    @classmethod
    def from_payload(
        cls, payload: Mapping[str, Any], *, business_name: str = "", district_name: str = "",
        place: str = ""
    ) -> AlarmRow:
        extra: dict[str, Any] = {}
        if business_name:
            extra["business_name"] = business_name
        if district_name:
            extra["district_name"] = district_name
        if place:
            extra["place"] = place
        row = _build(cls, payload, extra)
        if "last_seen_at" not in payload and "opened_at" in payload:
            row = dataclasses.replace(row, last_seen_at=row.opened_at)
        return row

    @property
    def type_key(self) -> str:
        """``kind`` or ``kind:subtype``: the key of type-specific tables (checklists, deadlines)."""
        return f"{self.kind}:{self.subtype}" if self.subtype else self.kind

    @property
    def alarm_ids(self) -> tuple[str, ...]:
        """The alarms this row stands for (one, or the members of an aggregated entry)."""
        return self.member_ids or (self.id,)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One inspection task (派单) on the board."""

    id: str
    district_id: str = ""
    business_id: str = ""
    alarm_id: str | None = None
    state: str = "dispatched"
    assignee: str = ""
    created_by: str = ""
    title: str = ""
    notes: str = ""
    checklist: dict[str, Any] = field(default_factory=dict)
    evidence_url: str = ""
    severity: int = 3
    deadline: datetime | None = None
    escalated: bool = False
    supervisor: str = ""
    created_at: datetime = _EPOCH
    updated_at: datetime = _EPOCH
    closed_at: datetime | None = None
    version: int = 1
    business_name: str = ""
    district_name: str = ""
    assignee_name: str = ""

    @classmethod
    def from_payload(
        cls,
        payload: Mapping[str, Any],
        *,
        business_name: str = "",
        district_name: str = "",
        assignee_name: str = "",
    ) -> TaskRow:
        extra = {
            k: v
            for k, v in (
                ("business_name", business_name),
                ("district_name", district_name),
                ("assignee_name", assignee_name),
            )
            if v
        }
        return _build(cls, payload, extra)


@dataclass(frozen=True, slots=True)
class TaskEventRow:
    """One step of a task's timeline."""

    id: str
    task_id: str
    action: str
    district_id: str = ""
    ts: datetime = _EPOCH
    actor: str = ""
    from_state: str = ""
    to_state: str = ""
    note: str = ""
    attachment_url: str = ""
    version: int = 1

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> TaskEventRow:
        return _build(cls, payload, {})


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of an alarm's history: who did what, when (``AuditEntry`` rows from central),
    or an action of this console still waiting in the outbox (``pending``)."""

    ts: datetime
    user: str
    action: str  # ``alarm.ack``, ``task.close``…, or ``opened``/``cleared`` for the alarm's own
    detail: str = ""
    pending: bool = False
    id: str = ""

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], *, pending: bool = False) -> AuditRow:
        row = _build(cls, payload, {"pending": pending})
        if row.ts is None:
            raise RowError("AuditRow.ts: required")
        return row


@dataclass(frozen=True, slots=True)
class Assignee:
    """A field officer a task can be dispatched to (``GET /api/users?role=field``)."""

    username: str
    display_name: str = ""
    district_id: str | None = None
    phone: str = ""

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Assignee:
        return _build(cls, payload, {})

    @property
    def label(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class BusinessCard:
    """What the alarm panel shows about the business: registry data plus counts."""

    id: str
    name: str
    district_id: str = ""
    grid_id: str | None = None
    category: str = ""
    address: str = ""
    licence_no: str = ""
    licence_expiry: date | None = None
    official_name: str = ""  # 包保 responsible official
    official_phone: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    version: int = 1
    district_name: str = ""
    street_name: str = ""  # 街道/乡镇
    grid_name: str = ""  # the community (社区/网格)
    grid_officer_name: str = ""
    grid_officer_phone: str = ""
    previous_alarms: int = 0
    open_tasks: int = 0

    @classmethod
    def from_payload(
        cls,
        business: Mapping[str, Any],
        *,
        grid: Mapping[str, Any] | None = None,
        district_name: str = "",
        street_name: str = "",
        previous_alarms: int = 0,
        open_tasks: int = 0,
    ) -> BusinessCard:
        extra: dict[str, Any] = {"previous_alarms": previous_alarms, "open_tasks": open_tasks}
        if district_name:
            extra["district_name"] = district_name
        if street_name:
            extra["street_name"] = street_name
        if grid:
            extra["grid_name"] = str(grid.get("name", ""))
            extra["grid_officer_name"] = str(grid.get("officer_name", ""))
            extra["grid_officer_phone"] = str(grid.get("officer_phone", ""))
        return _build(cls, business, extra)


def place_line(card: BusinessCard) -> str:
    """District / street / community, as far as the registry knows them ("—" if nothing)."""
    return " / ".join(x for x in (card.district_name or card.district_id, card.street_name,
                                  card.grid_name) if x) or "—"


def epoch_s(ts: datetime | None) -> float:
    """Seconds since the epoch (0.0 for None): the sort and plot coordinate of a timestamp."""
    return ts.timestamp() if ts is not None else 0.0
