"""Major-event mode (重大活动保障): reception kitchens watched more tightly for a period.

An admin picks the reception kitchens and the dates; for that period their sensors' limits may
be *tighter* than usual (a special room at 22 °C instead of 25 °C, a disinfection cycle held
20 minutes instead of 15), and every meal is signed off by a person with a snapshot. These are
the rules of it, free of Qt and SQLAlchemy so that central (which applies the limits and keeps
the sign-offs), the console (which shows them) and the report agree:

- :func:`check_overrides`: an override must name a known parameter of a sensor kind, stay within
  the parameter's physical range (:data:`domain.rules.PARAM_RANGES`) and be tighter than the
  default — an event never loosens a limit.
- :func:`effective_params`: a sensor's parameters at a moment: its own, tightened by every event
  that covers its business *at that moment*. Nothing is written back, so the limits revert by
  themselves when the period ends.
- :func:`meal_slots` / :func:`missing_signoffs`: the meals to sign off and those past their time
  without a sign-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.rules import DEFAULT_PARAMS, PARAM_RANGES

#: For each parameter, which way is stricter: -1 a lower value alarms sooner, +1 a higher one.
STRICTER: dict[str, int] = {"max_temp": -1, "min_temp": +1, "max_humidity": -1, "hold_s": -1,
                            "critical_margin": -1, "target_temp": +1, "hold_min": +1,
                            "start_temp": 0, "max_gap_s": -1, "window_before_min": +1}

#: Meals signed off per day and the local time each is due by.
DEFAULT_MEALS: dict[str, time] = {"breakfast": time(9, 0), "lunch": time(13, 30),
                                  "dinner": time(19, 30)}


class SignoffVerdict:
    PASSED = "passed"
    PROBLEM = "problem"


@dataclass(frozen=True)
class MajorEvent:
    id: str
    name: str
    business_ids: frozenset[str]
    starts_at: datetime  # aware
    ends_at: datetime  # aware, after starts_at
    overrides: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # kind → params
    meals: Mapping[str, time] = field(default_factory=lambda: dict(DEFAULT_MEALS))

    def active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def covers(self, business_id: str, now: datetime) -> bool:
        return business_id in self.business_ids and self.active(now)


def check_overrides(overrides: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """What is wrong with ``overrides`` (English, one line each; empty: fine)."""
    problems: list[str] = []
    for kind, params in overrides.items():
        ranges = PARAM_RANGES.get(kind)
        if ranges is None:
            problems.append(f"{kind}: not a sensor kind ({', '.join(sorted(PARAM_RANGES))})")
            continue
        for name, value in params.items():
            where = f"{kind}.{name}"
            rng = ranges.get(name)
            if rng is None or STRICTER.get(name, 0) == 0:
                problems.append(f"{where}: not a limit an event may tighten")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{where}: expected a number")
                continue
            if not rng.lo <= value <= rng.hi:
                problems.append(f"{where}: {value:g} is outside the physical range "
                                f"{rng.lo:g}..{rng.hi:g} {rng.unit}")
                continue
            default = DEFAULT_PARAMS.get(kind, {}).get(name)
            if isinstance(default, int | float) and (value - default) * STRICTER[name] < 0:
                problems.append(f"{where}: {value:g} is looser than the usual {default:g} "
                                f"{rng.unit}; an event may only tighten a limit")
    return problems


def _tighter(name: str, current: Any, proposed: float) -> Any:
    if not isinstance(current, int | float) or isinstance(current, bool):
        return proposed  # no limit set (None): the event's applies
    return min(current, proposed) if STRICTER[name] < 0 else max(current, proposed)


def effective_params(kind: str, params: Mapping[str, Any], business_id: str,
                     events: Iterable[MajorEvent], now: datetime) -> dict[str, Any]:
    """``params`` (a sensor's, defaults filled) tightened by each event covering
    ``business_id`` at ``now``; a sensor already stricter than the event keeps its value."""
    out = dict(params)
    for event in events:
        if not event.covers(business_id, now):
            continue
        for name, value in event.overrides.get(kind, {}).items():
            if STRICTER.get(name, 0):
                out[name] = _tighter(name, out.get(name), float(value))
    return out


def meal_slots(event: MajorEvent, tz: ZoneInfo) -> list[tuple[date, str, datetime]]:
    """Every (local day, meal, due time) within the event's period, in time order."""
    slots: list[tuple[date, str, datetime]] = []
    day = event.starts_at.astimezone(tz).date()
    last = event.ends_at.astimezone(tz).date()
    while day <= last:
        for meal, due in event.meals.items():
            at = datetime.combine(day, due, tz)
            if event.starts_at <= at <= event.ends_at:
                slots.append((day, meal, at))
        day += timedelta(days=1)
    return sorted(slots, key=lambda s: s[2])


def missing_signoffs(event: MajorEvent, signed: Iterable[tuple[str, date, str]], now: datetime,
                     tz: ZoneInfo) -> list[tuple[str, date, str]]:
    """(business, day, meal) past its due time without a sign-off, per reception kitchen."""
    done = set(signed)
    return [(business, day, meal) for day, meal, due in meal_slots(event, tz) if due <= now
            for business in sorted(event.business_ids) if (business, day, meal) not in done]

