"""The dashboard's input: statistics for one scope (city or district), as plain data.

This is a Qt-free zone. :meth:`DashboardStats.from_api` adapts the JSON of central's
``GET /api/stats`` (``central/stats.py::compute_stats``)::

    {"generated_at", "district_id", "businesses": 452, "businesses_by_category": {...},
     "districts": [{"id", "name", "businesses", "cameras", "cameras_online"}, ...],
     "cameras": 787, "cameras_online": 760, "online_rate": 0.9657,
     "alarms_by_day": {"2026-03-01": {"ai_violation": 3, ...}, ...},
     "tasks": 120, "tasks_closed": 100, "closure_rate": 0.83, "tasks_overdue": 4,
     "patrol_coverage": 0.95,
     "red_list": [{"business_id", "name", "alarms"}], "black_list": [...]}

It also reads a richer, sectioned form (``"businesses": {"total", "target", "by_category",
"by_district"}``, ``"channels": {...}``, ``"sensors"``, ``"alarms": {"today", "by_day"}``,
``"tasks": {...}``, ``"patrol": {"planned", "done", "businesses", "covered"}``, rank entries
with ``score``/``note``) so the server can grow without a console change. Missing sections
stay empty and the dashboard shows "—" rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from widgets.models.rows import RowError, parse_date, parse_ts


@dataclass(frozen=True)
class RankEntry:
    """One business on the red (commended) or black (problem) list (红黑榜)."""

    business_id: str
    name: str
    district_id: str = ""
    alarms: int | None = None  # alarms in the ranking period
    score: float | None = None
    note: str = ""


@dataclass(frozen=True)
class DayCounts:
    day: date
    counts: dict[str, int]  # alarm type key (kind or kind:subtype) -> number

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _ratio(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


@dataclass(frozen=True)
class DashboardStats:
    generated_at: datetime | None = None
    scope_name: str = ""
    district_names: dict[str, str] = field(default_factory=dict)
    businesses_total: int | None = None
    businesses_target: int | None = None
    businesses_by_category: dict[str, int] = field(default_factory=dict)
    businesses_by_district: dict[str, int] = field(default_factory=dict)
    channels_total: int | None = None
    channels_online: int | None = None
    channels_by_category: dict[str, int] = field(default_factory=dict)
    channels_by_district: dict[str, int] = field(default_factory=dict)
    channels_online_by_district: dict[str, int] = field(default_factory=dict)
    sensors_total: int | None = None
    sensors_online: int | None = None
    alarms_today: int | None = None
    alarms_by_day: list[DayCounts] = field(default_factory=list)
    tasks_total: int | None = None
    tasks_closed: int | None = None
    tasks_overdue: int | None = None
    tasks_open: int | None = None
    tasks_escalated: int | None = None
    patrol_planned: int | None = None
    patrol_done: int | None = None
    patrol_businesses: int | None = None
    patrol_covered: int | None = None
    patrol_coverage_rate: float | None = None  # when the server gives only the rate
    red_list: list[RankEntry] = field(default_factory=list)
    black_list: list[RankEntry] = field(default_factory=list)

    # ------------------------------------------------------------------ derived
    @property
    def channel_online_rate(self) -> float | None:
        return _ratio(self.channels_online, self.channels_total)

    @property
    def sensor_online_rate(self) -> float | None:
        return _ratio(self.sensors_online, self.sensors_total)

    @property
    def task_closure_rate(self) -> float | None:
        return _ratio(self.tasks_closed, self.tasks_total)

    @property
    def patrol_coverage(self) -> float | None:
        """Share of the businesses looked at (else of planned checks done, else as given)."""
        if self.patrol_businesses:
            return _ratio(self.patrol_covered, self.patrol_businesses)
        if self.patrol_planned:
            return _ratio(self.patrol_done, self.patrol_planned)
        return self.patrol_coverage_rate

    @property
    def connection_rate(self) -> float | None:
        return _ratio(self.businesses_total, self.businesses_target)

    def alarm_types(self) -> list[str]:
        """Alarm type keys present, most frequent first (stable legend order)."""
        totals: dict[str, int] = {}
        for day in self.alarms_by_day:
            for key, n in day.counts.items():
                totals[key] = totals.get(key, 0) + n
        return sorted(totals, key=lambda k: (-totals[k], k))

    def district_name(self, district_id: str) -> str:
        return self.district_names.get(district_id, district_id)

    # ------------------------------------------------------------------ adapter
    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> DashboardStats:
        if not isinstance(data, Mapping):
            raise RowError("stats: expected an object")
        if not isinstance(data.get("businesses", {}), Mapping):
            return cls._from_flat(data)
        biz = _section(data, "businesses")
        chan = _section(data, "channels")
        sens = _section(data, "sensors")
        alarms = _section(data, "alarms")
        tasks = _section(data, "tasks")
        patrol = _section(data, "patrol")
        scope = data.get("scope") or {}
        return cls(
            generated_at=parse_ts(data.get("generated_at"), "stats.generated_at"),
            scope_name=str(scope.get("name", "")) if isinstance(scope, Mapping) else "",
            district_names=_str_map(data.get("districts")),
            businesses_total=_int(biz.get("total")),
            businesses_target=_int(biz.get("target")),
            businesses_by_category=_int_map(biz.get("by_category")),
            businesses_by_district=_int_map(biz.get("by_district")),
            channels_total=_int(chan.get("total")),
            channels_online=_int(chan.get("online")),
            channels_by_category=_int_map(chan.get("by_category")),
            channels_by_district=_int_map(chan.get("by_district")),
            channels_online_by_district=_int_map(chan.get("online_by_district")),
            sensors_total=_int(sens.get("total")),
            sensors_online=_int(sens.get("online")),
            alarms_today=_int(alarms.get("today")),
            alarms_by_day=_days(alarms.get("by_day")),
            tasks_total=_int(tasks.get("total")),
            tasks_closed=_int(tasks.get("closed")),
            tasks_overdue=_int(tasks.get("overdue")),
            tasks_open=_int(tasks.get("open")),
            tasks_escalated=_int(tasks.get("escalated")),
            patrol_planned=_int(patrol.get("planned")),
            patrol_done=_int(patrol.get("done")),
            patrol_businesses=_int(patrol.get("businesses")),
            patrol_covered=_int(patrol.get("covered")),
            red_list=_ranks(data.get("red_list")),
            black_list=_ranks(data.get("black_list")),
        )

    @classmethod
    def _from_flat(cls, data: Mapping[str, Any]) -> DashboardStats:
        """Central's ``compute_stats`` shape (flat keys, districts as a list)."""
        generated = parse_ts(data.get("generated_at"), "stats.generated_at")
        districts = [d for d in data.get("districts") or [] if isinstance(d, Mapping)]
        names = {str(d.get("id", "")): str(d.get("name", d.get("id", ""))) for d in districts}

        def per_district(key: str) -> dict[str, int]:
            return {str(d.get("id", "")): int(d[key]) for d in districts
                    if d.get(key) is not None}

        days = _days(data.get("alarms_by_day"))
        today = None
        if generated is not None and data.get("alarms_by_day") is not None:
            today = sum(d.total for d in days if d.day == generated.date())
        total, closed = _int(data.get("tasks")), _int(data.get("tasks_closed"))
        district_id = data.get("district_id")
        coverage = data.get("patrol_coverage")
        return cls(
            generated_at=generated,
            scope_name=names.get(str(district_id), "") if district_id else "",
            district_names=names,
            businesses_total=_int(data.get("businesses")),
            businesses_by_category=_int_map(data.get("businesses_by_category")),
            businesses_by_district=per_district("businesses"),
            channels_total=_int(data.get("cameras")),
            channels_online=_int(data.get("cameras_online")),
            channels_by_district=per_district("cameras"),
            channels_online_by_district=per_district("cameras_online"),
            alarms_today=today,
            alarms_by_day=days,
            tasks_total=total,
            tasks_closed=closed,
            tasks_overdue=_int(data.get("tasks_overdue")),
            tasks_open=None if total is None or closed is None else total - closed,
            patrol_coverage_rate=float(coverage) if isinstance(coverage, int | float) else None,
            red_list=_ranks(data.get("red_list")),
            black_list=_ranks(data.get("black_list")),
        )


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise RowError(f"stats: expected a number, got {value!r}") from exc


def _int_map(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): int(v) for k, v in value.items() if v is not None}


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _days(value: Any) -> list[DayCounts]:
    """``[{"date", "counts"}]`` or ``{"2026-03-01": {...}}``, sorted by day."""
    items: list[tuple[Any, Any]]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(d.get("date"), d.get("counts")) for d in value if isinstance(d, Mapping)]
    else:
        return []
    out = []
    for day, counts in items:
        parsed = parse_date(day, "stats.alarms.by_day.date")
        if parsed is not None:
            out.append(DayCounts(parsed, _int_map(counts)))
    return sorted(out, key=lambda d: d.day)


def _ranks(value: Any) -> list[RankEntry]:
    if not isinstance(value, list):
        return []
    out = []
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        score = entry.get("score")
        out.append(RankEntry(
            business_id=str(entry.get("business_id", "")),
            name=str(entry.get("name", entry.get("business_name", ""))),
            district_id=str(entry.get("district_id", "")),
            alarms=_int(entry.get("alarms")),
            score=float(score) if isinstance(score, int | float) else None,
            note=str(entry.get("note", "")),
        ))
    return out
