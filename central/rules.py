"""Alarm rules as pure functions: readings and clock ticks in, decisions out.

Defaults follow the domain brief and every limit can be overridden per sensor through
``Sensor.params`` (sources differ between bureaus):

- special room (专间): temperature above 25 °C held for ``hold_s`` (120 s) → ``sensor_threshold``
  (major; critical ``critical_margin`` 3 °C above the limit); a humidity limit if one is set;
- refrigerator 0–8 °C, freezer ≤ −12 °C, same mechanism with longer holds (door openings);
- disinfection cabinet: a cycle starts above ``start_temp`` (40 °C) and ends when the cabinet
  cools below it again; it is valid once ``target_temp`` (120 °C) has been held for ``hold_min``
  (15 min; 10 is common) without a gap in the data. A cycle that ends invalid raises
  ``disinfection_invalid`` with the reason (``not_reached``, ``too_short``, ``data_gap``); no
  valid cycle within ``window_before_min`` before a meal service raises ``no_disinfection``.

Nothing here touches the database: :mod:`central.evaluator` loads the per-sensor
:class:`SensorState`, calls these functions and turns decisions into alarm rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.alarms import AlarmKind, Severity
from domain.registry import SensorKind
from domain.rules import DEFAULT_PARAMS, MAX_MEAL_SERVICES, PARAM_RANGES, ParamRange, RuleState

log = logging.getLogger("kitchenwatch.central.rules")

REFRESH_S = 300.0  # a breach that goes on is re-reported this often (moves last_seen_at)
VALID_CYCLES_KEPT = timedelta(hours=48)


class ParamsError(ValueError):
    """A sensor's rule parameters do not make sense (names the parameter)."""


def _number(name: str, value: Any, *, optional: bool,
            limits: ParamRange | None = None) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamsError(f"params.{name}: expected a number, got {value!r}")
    number = float(value)
    if limits is not None and not limits.lo <= number <= limits.hi:  # also refuses NaN
        raise ParamsError(f"params.{name}: {value!r} is outside {limits.lo:g}..{limits.hi:g} "
                          f"{limits.unit}")
    return number


def _meal_times(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_MEAL_SERVICES:
        raise ParamsError(f"params.meal_services: expected a list of at most "
                          f"{MAX_MEAL_SERVICES} \"HH:MM\" strings")
    for item in value:
        try:
            time.fromisoformat(item)
        except (TypeError, ValueError) as exc:
            raise ParamsError(f"params.meal_services: {item!r} is not a \"HH:MM\" time") from exc
    return list(value)


def params_for(kind: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults for ``kind`` with the sensor's overrides, validated (raises ParamsError).

    Every number must lie in its :data:`PARAM_RANGES`; the evaluator falls back to the
    defaults (with a log line) when stored parameters do not, so an out-of-range value that
    reached the database some other way cannot silence a sensor either.
    """
    defaults = DEFAULT_PARAMS.get(kind)
    if defaults is None:
        raise ParamsError(f"unknown sensor kind {kind!r}")
    ranges = PARAM_RANGES.get(kind, {})
    merged = dict(defaults)
    for key, value in (overrides or {}).items():
        if key not in defaults:
            continue  # other keys (e.g. a display range) are the console's business
        if key == "meal_services":
            merged[key] = _meal_times(value)
        else:
            merged[key] = _number(key, value, optional=defaults[key] is None or value is None,
                                  limits=ranges.get(key))
    low, high = merged.get("min_temp"), merged.get("max_temp")
    if low is not None and high is not None and low >= high:
        raise ParamsError(f"params.min_temp: {low:g} °C must be below max_temp {high:g} °C")
    if "target_temp" in merged and merged["start_temp"] >= merged["target_temp"]:
        raise ParamsError(f"params.start_temp: {merged['start_temp']:g} °C must be below "
                          f"target_temp {merged['target_temp']:g} °C")
    return merged


@dataclass
class Decision:
    """Open (or refresh) or clear one alarm condition of one device.

    ``condition`` names the condition within the device (part of the alarm's condition key);
    ``subtype`` is what operators see (defaults to the condition). ``repeat`` marks discrete
    occurrences (an AI detection, an invalid cycle, a missed meal) that raise the open alarm's
    ``count``; without it, an open decision refreshes a continuing condition.
    """

    kind: str
    condition: str
    open: bool
    severity: int = Severity.MAJOR
    value: float | None = None
    threshold: float | None = None
    message: str = ""
    subtype: str = ""
    repeat: bool = False

    def __post_init__(self) -> None:
        self.subtype = self.subtype or self.condition


def _iso(ts: datetime | None) -> str | None:
    return ts.isoformat() if ts else None


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


@dataclass
class SensorState:
    """What the rules remember about one sensor between readings (persisted as JSON).

    ``last_ts`` is not persisted and not compared: it is the sensor row's ``last_ts``, which
    ingest writes anyway. Leaving it out means a reading that changes nothing else (nearly all
    of them) leaves the stored state as it was, and it is not written again.
    """

    last_ts: datetime | None = field(default=None, compare=False)
    rule_state: str = RuleState.NORMAL
    breach_since: dict[str, datetime] = field(default_factory=dict)
    alarmed: dict[str, datetime] = field(default_factory=dict)  # condition -> last report
    alarmed_severity: dict[str, int] = field(default_factory=dict)
    # disinfection cabinet
    cycle_start: datetime | None = None
    hold_start: datetime | None = None
    cycle_peak: float | None = None
    longest_hold_s: float = 0.0
    gap_in_hold: bool = False
    cycle_valid: bool = False
    valid_cycles: list[datetime] = field(default_factory=list)

    def copy(self) -> SensorState:
        """An independent copy (datetimes are immutable; only the containers are copied).

        Made without ``__init__``: ingest copies a state per sensor per batch."""
        twin = object.__new__(SensorState)
        twin.__dict__.update(self.__dict__)
        twin.breach_since = dict(self.breach_since)
        twin.alarmed = dict(self.alarmed)
        twin.alarmed_severity = dict(self.alarmed_severity)
        twin.valid_cycles = list(self.valid_cycles)
        return twin

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_state": self.rule_state,
            "breach_since": {k: v.isoformat() for k, v in self.breach_since.items()},
            "alarmed": {k: v.isoformat() for k, v in self.alarmed.items()},
            "alarmed_severity": dict(self.alarmed_severity),
            "cycle_start": _iso(self.cycle_start), "hold_start": _iso(self.hold_start),
            "cycle_peak": self.cycle_peak, "longest_hold_s": self.longest_hold_s,
            "gap_in_hold": self.gap_in_hold, "cycle_valid": self.cycle_valid,
            "valid_cycles": [v.isoformat() for v in self.valid_cycles],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None,
                  last_ts: datetime | None = None) -> SensorState:
        if not data:
            return cls(last_ts=last_ts)
        return cls(
            last_ts=last_ts, rule_state=data.get("rule_state", RuleState.NORMAL),
            breach_since={k: datetime.fromisoformat(v)
                          for k, v in (data.get("breach_since") or {}).items()},
            alarmed={k: datetime.fromisoformat(v) for k, v in (data.get("alarmed") or {}).items()},
            alarmed_severity={k: int(v)
                              for k, v in (data.get("alarmed_severity") or {}).items()},
            cycle_start=_dt(data.get("cycle_start")), hold_start=_dt(data.get("hold_start")),
            cycle_peak=data.get("cycle_peak"), longest_hold_s=data.get("longest_hold_s", 0.0),
            gap_in_hold=bool(data.get("gap_in_hold")), cycle_valid=bool(data.get("cycle_valid")),
            valid_cycles=[datetime.fromisoformat(v) for v in data.get("valid_cycles") or []],
        )


# --------------------------------------------------------------------------- thresholds


def _report(state: SensorState, condition: str, severity: int, ts: datetime) -> bool:
    """Should an ongoing breach be (re)reported now? First time, worse, or every REFRESH_S."""
    last = state.alarmed.get(condition)
    if (last is None or severity > state.alarmed_severity.get(condition, 0)
            or (ts - last).total_seconds() >= REFRESH_S):
        state.alarmed[condition] = ts
        state.alarmed_severity[condition] = max(severity,
                                                state.alarmed_severity.get(condition, 0))
        return True
    return False


def evaluate_threshold(p: dict[str, Any], state: SensorState, ts: datetime, value: float,
                       humidity: float | None) -> list[Decision]:
    """Limits held for ``hold_s`` open an alarm; falling back inside the limits clears it."""
    out: list[Decision] = []
    hold_s = float(p["hold_s"])
    margin = float(p["critical_margin"])
    checks: list[tuple[str, float | None, float | None, bool, str]] = []
    if p.get("max_temp") is not None:
        checks.append(("temp_high", value, p["max_temp"], value > p["max_temp"],
                       f"temperature {value:.1f} °C above the limit {p['max_temp']:.1f} °C"))
    if p.get("min_temp") is not None:
        checks.append(("temp_low", value, p["min_temp"], value < p["min_temp"],
                       f"temperature {value:.1f} °C below the limit {p['min_temp']:.1f} °C"))
    if p.get("max_humidity") is not None and humidity is not None:
        checks.append(("humidity_high", humidity, p["max_humidity"],
                       humidity > p["max_humidity"],
                       f"humidity {humidity:.0f} %RH above the limit {p['max_humidity']:.0f} %RH"))
    worst = RuleState.NORMAL
    for condition, measured, limit, breached, message in checks:
        assert measured is not None and limit is not None
        if not breached:
            state.breach_since.pop(condition, None)
            if state.alarmed.pop(condition, None) is not None:
                state.alarmed_severity.pop(condition, None)
                out.append(Decision(AlarmKind.SENSOR_THRESHOLD, condition, False,
                                    value=measured, threshold=limit))
            continue
        since = state.breach_since.setdefault(condition, ts)
        held_s = (ts - since).total_seconds()
        if held_s < hold_s:
            worst = RuleState.BREACH if worst == RuleState.BREACH else RuleState.WARNING
            continue
        worst = RuleState.BREACH
        severity = Severity.CRITICAL if abs(measured - limit) >= margin else Severity.MAJOR
        if _report(state, condition, severity, ts):
            out.append(Decision(AlarmKind.SENSOR_THRESHOLD, condition, True, severity,
                                measured, limit, f"{message} for {held_s / 60:.0f} min"))
    state.rule_state = worst
    return out


# --------------------------------------------------------------------------- cabinet


def evaluate_cabinet(p: dict[str, Any], state: SensorState, ts: datetime, value: float,
                     interval_s: float) -> list[Decision]:
    """Track disinfection cycles (see the module docstring)."""
    target, start_temp = float(p["target_temp"]), float(p["start_temp"])
    need_s = float(p["hold_min"]) * 60
    gap_limit = float(p["max_gap_s"]) if p.get("max_gap_s") else max(3 * interval_s, 90.0)
    out: list[Decision] = []
    gap = state.last_ts is not None and (ts - state.last_ts).total_seconds() > gap_limit
    if state.cycle_start is None:
        if value < start_temp:
            if state.rule_state not in (RuleState.IDLE, RuleState.INVALID):
                state.rule_state = RuleState.IDLE
            return out
        state.cycle_start, state.hold_start, state.cycle_peak = ts, None, value
        state.longest_hold_s, state.gap_in_hold, state.cycle_valid = 0.0, False, False
    elif gap and state.hold_start is not None and not state.cycle_valid:
        # Readings missing during the hold: the time at temperature cannot be verified.
        state.hold_start = None
        state.gap_in_hold = True
    state.cycle_peak = max(state.cycle_peak or value, value)
    if value >= target:
        state.hold_start = state.hold_start or ts
        held = (ts - state.hold_start).total_seconds()
        state.longest_hold_s = max(state.longest_hold_s, held)
        if held >= need_s and not state.cycle_valid:
            state.cycle_valid = True
            state.valid_cycles = [v for v in state.valid_cycles
                                  if ts - v <= VALID_CYCLES_KEPT] + [ts]
            out.append(Decision(AlarmKind.NO_DISINFECTION, "meal", False))
            out.append(Decision(AlarmKind.DISINFECTION_INVALID, "cycle", False))
        state.rule_state = RuleState.VALID if state.cycle_valid else RuleState.HOLDING
        return out
    state.hold_start = None
    if value >= start_temp:
        state.rule_state = RuleState.VALID if state.cycle_valid else RuleState.HEATING
        return out
    # Cooled below the start temperature: the cycle is over.
    if state.cycle_valid:
        state.rule_state = RuleState.IDLE
    else:
        peak = state.cycle_peak or value
        if state.gap_in_hold:
            reason = "data_gap"
            detail = "readings were missing while it was at temperature"
        elif peak >= target:
            reason = "too_short"
            detail = (f"it held {target:.0f} °C for only {state.longest_hold_s / 60:.1f} of "
                      f"{need_s / 60:.0f} min")
        else:
            reason = "not_reached"
            detail = f"it peaked at {peak:.0f} °C, below the required {target:.0f} °C"
        out.append(Decision(AlarmKind.DISINFECTION_INVALID, "cycle", True, Severity.MAJOR,
                            peak, target, f"invalid disinfection cycle: {detail}",
                            subtype=reason, repeat=True))
        state.rule_state = RuleState.INVALID
    state.cycle_start = state.hold_start = None
    state.cycle_peak = None
    return out


def meal_times_between(p: dict[str, Any], tz: ZoneInfo, start: datetime,
                       end: datetime) -> list[datetime]:
    """Meal services (UTC) with ``start < t <= end``."""
    out = []
    day: date = start.astimezone(tz).date()
    last_day = end.astimezone(tz).date()
    while day <= last_day:
        for text in p["meal_services"]:
            local = datetime.combine(day, time.fromisoformat(text), tzinfo=tz)
            when = local.astimezone(UTC)
            if start < when <= end:
                out.append(when)
        day += timedelta(days=1)
    return sorted(out)


def check_meal(p: dict[str, Any], state: SensorState, meal: datetime,
               tz: ZoneInfo) -> Decision | None:
    """``no_disinfection`` if no valid cycle finished in the window before ``meal``."""
    window = timedelta(minutes=float(p["window_before_min"]))
    if any(meal - window <= v <= meal for v in state.valid_cycles):
        return None
    local = meal.astimezone(tz).strftime("%H:%M")
    return Decision(AlarmKind.NO_DISINFECTION, "meal", True, Severity.MAJOR,
                    message=f"no valid disinfection cycle in the {window.total_seconds() / 60:.0f}"
                            f" min before the {local} meal service",
                    subtype="before_meal", repeat=True)


def evaluate(kind: str, p: dict[str, Any], state: SensorState, ts: datetime, value: float,
             humidity: float | None, interval_s: float = 60.0) -> list[Decision]:
    """Feed one reading (in time order) to the sensor's rule; updates ``state``."""
    if kind == SensorKind.DISINFECTION_CABINET:
        out = evaluate_cabinet(p, state, ts, value, interval_s)
    else:
        out = evaluate_threshold(p, state, ts, value, humidity)
    state.last_ts = ts
    return out


def is_silent(last_ts: datetime | None, interval_s: float, factor: float,
              now: datetime) -> bool:
    """Has a sensor that reported before sent nothing for ``factor`` intervals?"""
    if last_ts is None:
        return False
    return (now - last_ts).total_seconds() > factor * max(float(interval_s), 1.0)
