"""Alarm rules evaluated on the server, one evaluator state per sensor.

Defaults follow the domain brief (special room ≤ 25 °C; fridge 0–8 °C; freezer ≤ −12 °C;
disinfection cabinet ≥ 120 °C held ≥ 15 min); every limit can be overridden per sensor through
``Sensor.params``. The evaluator is pure (readings in, decisions out) so it is tested without a
server; ``central.ingest`` turns decisions into alarm rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from db.models import AlarmKind, SensorKind, Severity

DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    SensorKind.SPECIAL_ROOM: {"max_temp": 25.0, "max_humidity": None, "hold_s": 120,
                              "critical_margin": 3.0},
    SensorKind.REFRIGERATOR: {"min_temp": 0.0, "max_temp": 8.0, "hold_s": 600,
                              "critical_margin": 4.0},
    SensorKind.FREEZER: {"max_temp": -12.0, "hold_s": 600, "critical_margin": 6.0},
    SensorKind.DISINFECTION_CABINET: {"target_temp": 120.0, "hold_min": 15, "start_temp": 40.0,
                                      "meal_services": ["10:30", "16:30"],
                                      "window_before_min": 180},
}


def params_for(kind: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(DEFAULT_PARAMS.get(kind, {}))
    merged.update(overrides or {})
    return merged


@dataclass
class Decision:
    """Open (or refresh) or clear one alarm condition."""

    kind: str
    subtype: str
    open: bool
    severity: int = Severity.MAJOR
    value: float | None = None
    threshold: float | None = None
    message: str = ""


@dataclass
class SensorState:
    breach_since: dict[str, datetime] = field(default_factory=dict)
    cycle_start: datetime | None = None
    hold_start: datetime | None = None
    cycle_peak: float = 0.0
    last_valid_cycle: datetime | None = None
    rule_state: str = "normal"


def _hold(state: SensorState, key: str, breached: bool, ts: datetime, hold_s: float) -> bool:
    """True once ``breached`` has held for ``hold_s`` seconds."""
    if not breached:
        state.breach_since.pop(key, None)
        return False
    since = state.breach_since.setdefault(key, ts)
    return (ts - since).total_seconds() >= hold_s


def evaluate_threshold(kind: str, p: dict[str, Any], state: SensorState, ts: datetime,
                       value: float, humidity: float | None) -> list[Decision]:
    out: list[Decision] = []
    hold_s = float(p.get("hold_s", 0))
    margin = float(p.get("critical_margin", 3.0))
    warn = False
    checks: list[tuple[str, bool, float | None, str]] = []
    if p.get("max_temp") is not None:
        limit = float(p["max_temp"])
        checks.append(("temp_high", value > limit, limit,
                       f"temperature {value:.1f} °C above the limit {limit:.1f} °C"))
    if p.get("min_temp") is not None:
        limit = float(p["min_temp"])
        checks.append(("temp_low", value < limit, limit,
                       f"temperature {value:.1f} °C below the limit {limit:.1f} °C"))
    if p.get("max_humidity") is not None and humidity is not None:
        limit = float(p["max_humidity"])
        checks.append(("humidity_high", humidity > limit, limit,
                       f"humidity {humidity:.0f} % above the limit {limit:.0f} %"))
    for subtype, breached, limit, message in checks:
        held = _hold(state, subtype, breached, ts, hold_s)
        warn = warn or breached
        if breached and not held:
            continue
        measured = humidity if subtype == "humidity_high" else value
        severity = Severity.MAJOR
        if held and limit is not None and measured is not None and abs(measured - limit) >= margin:
            severity = Severity.CRITICAL
        out.append(Decision(AlarmKind.SENSOR_THRESHOLD, subtype, held, severity, measured,
                            limit, message))
    state.rule_state = "breach" if any(d.open for d in out) else ("warning" if warn else "normal")
    return out


def evaluate_cabinet(p: dict[str, Any], state: SensorState, ts: datetime,
                     value: float) -> list[Decision]:
    """Cycle tracking: start above ``start_temp``; valid once ``target_temp`` held for
    ``hold_min``; a cycle that falls back below ``start_temp`` before that is invalid."""
    target = float(p["target_temp"])
    hold = timedelta(minutes=float(p["hold_min"]))
    start_temp = float(p["start_temp"])
    out: list[Decision] = []
    if state.cycle_start is None:
        if value >= start_temp:
            state.cycle_start, state.hold_start, state.cycle_peak = ts, None, value
            state.rule_state = "heating"
        else:
            state.rule_state = "idle"
        return out
    state.cycle_peak = max(state.cycle_peak, value)
    if value >= target:
        state.hold_start = state.hold_start or ts
        held = ts - state.hold_start
        state.rule_state = "valid" if held >= hold else "holding"
        if held >= hold and state.last_valid_cycle != state.cycle_start:
            state.last_valid_cycle = state.cycle_start
            out.append(Decision(AlarmKind.NO_DISINFECTION, "no_cycle", False))
            out.append(Decision(AlarmKind.DISINFECTION_INVALID, "cycle", False))
        return out
    if value >= start_temp:
        if state.rule_state == "holding":
            # Fell below the target before the hold time: the cycle was cut short.
            held_min = (ts - state.hold_start).total_seconds() / 60 if state.hold_start else 0
            state.rule_state = "invalid"
            out.append(Decision(AlarmKind.DISINFECTION_INVALID, "cycle", True, Severity.MAJOR,
                                state.cycle_peak, target,
                                f"disinfection cycle held {target:.0f} °C for only "
                                f"{held_min:.0f} of {hold.total_seconds() / 60:.0f} min"))
        elif state.hold_start is None:
            state.rule_state = "heating"
        return out
    # Cooled down: the cycle is over.
    if state.last_valid_cycle != state.cycle_start and state.rule_state != "invalid":
        out.append(Decision(AlarmKind.DISINFECTION_INVALID, "cycle", True, Severity.MAJOR,
                            state.cycle_peak, target,
                            f"disinfection cycle peaked at {state.cycle_peak:.0f} °C, "
                            f"below the required {target:.0f} °C for "
                            f"{hold.total_seconds() / 60:.0f} min"))
    state.cycle_start = state.hold_start = None
    state.rule_state = "idle"
    return out


def evaluate(kind: str, params: dict[str, Any] | None, state: SensorState, ts: datetime,
             value: float, humidity: float | None) -> list[Decision]:
    p = params_for(kind, params)
    if kind == SensorKind.DISINFECTION_CABINET:
        return evaluate_cabinet(p, state, ts, value)
    return evaluate_threshold(kind, p, state, ts, value, humidity)
