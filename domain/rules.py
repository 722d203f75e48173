"""Alarm-rule parameters: their names, defaults and plausible ranges, per sensor kind.

Central's rules (:mod:`central.rules`) evaluate with these; the console's gauges draw the same
limits and its rule-parameter editor offers the same ranges. Defaults follow the domain brief;
every value can be overridden per sensor through ``Sensor.params`` (sources differ between
bureaus).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypedDict

from domain.registry import SensorKind


class RuleState(enum.StrEnum):
    """Where a sensor stands against its rule (``Sensor.rule_state``; the gauges' colour)."""

    NORMAL = "normal"  # a band sensor within its limits
    WARNING = "warning"  # beyond a limit, not yet for the hold time
    BREACH = "breach"  # beyond a limit for the hold time: alarmed
    OFFLINE = "offline"  # stopped reporting
    IDLE = "idle"  # a cabinet between cycles
    HEATING = "heating"  # a cycle started, the target not reached yet
    HOLDING = "holding"  # at the target, not yet for the hold time
    VALID = "valid"  # the cycle held the target long enough
    INVALID = "invalid"  # the cycle ended without doing so


#: States that count as a sensor in breach on the statistics page.
BREACHED: frozenset[RuleState] = frozenset({RuleState.BREACH, RuleState.INVALID})


class BandParams(TypedDict):
    """A temperature band held for ``hold_s`` (special room, refrigerator, freezer)."""

    max_temp: float | None
    min_temp: float | None
    max_humidity: float | None
    hold_s: float
    critical_margin: float


class CabinetParams(TypedDict):
    """A disinfection cycle: ``target_temp`` held ``hold_min`` minutes, before each service."""

    target_temp: float
    hold_min: float
    start_temp: float
    max_gap_s: float | None
    meal_services: list[str]  # "HH:MM", local time of the business
    window_before_min: float


DEFAULT_BANDS: dict[str, BandParams] = {
    SensorKind.SPECIAL_ROOM: {"max_temp": 25.0, "min_temp": None, "max_humidity": None,
                              "hold_s": 120.0, "critical_margin": 3.0},
    SensorKind.REFRIGERATOR: {"max_temp": 8.0, "min_temp": 0.0, "max_humidity": None,
                              "hold_s": 600.0, "critical_margin": 4.0},
    SensorKind.FREEZER: {"max_temp": -12.0, "min_temp": None, "max_humidity": None,
                         "hold_s": 600.0, "critical_margin": 6.0},
}
DEFAULT_CABINET: CabinetParams = {"target_temp": 120.0, "hold_min": 15.0, "start_temp": 40.0,
                                  "max_gap_s": None, "meal_services": ["10:30", "16:30"],
                                  "window_before_min": 180.0}

#: Every kind's defaults as plain dicts (what an empty ``Sensor.params`` means).
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    **{kind: dict(band) for kind, band in DEFAULT_BANDS.items()},
    SensorKind.DISINFECTION_CABINET: dict(DEFAULT_CABINET),
}
MAX_MEAL_SERVICES = 12


@dataclass(frozen=True)
class ParamRange:
    """The physically plausible values of one rule parameter (a wider value is a typo or an
    attempt to silence the sensor: a 1e9 °C limit never alarms)."""

    lo: float
    hi: float
    unit: str
    meaning: str


HOLD = ParamRange(0.0, 86400.0, "s", "how long a breach must last before it alarms")
MARGIN = ParamRange(0.0, 30.0, "°C", "degrees beyond the limit at which the alarm is critical")
HUMIDITY = ParamRange(0.0, 100.0, "%RH", "relative humidity limit")

#: For every kind, every numeric parameter of DEFAULT_PARAMS (meal_services is a list of
#: "HH:MM").
PARAM_RANGES: dict[str, dict[str, ParamRange]] = {
    SensorKind.SPECIAL_ROOM: {
        "max_temp": ParamRange(-20.0, 60.0, "°C", "upper room temperature limit"),
        "min_temp": ParamRange(-20.0, 60.0, "°C", "lower room temperature limit"),
        "max_humidity": HUMIDITY, "hold_s": HOLD, "critical_margin": MARGIN},
    SensorKind.REFRIGERATOR: {
        "max_temp": ParamRange(-10.0, 20.0, "°C", "upper refrigerator temperature limit"),
        "min_temp": ParamRange(-10.0, 20.0, "°C", "lower refrigerator temperature limit"),
        "max_humidity": HUMIDITY, "hold_s": HOLD, "critical_margin": MARGIN},
    SensorKind.FREEZER: {
        "max_temp": ParamRange(-40.0, 0.0, "°C", "upper freezer temperature limit"),
        "min_temp": ParamRange(-60.0, 0.0, "°C", "lower freezer temperature limit"),
        "max_humidity": HUMIDITY, "hold_s": HOLD, "critical_margin": MARGIN},
    SensorKind.DISINFECTION_CABINET: {
        "target_temp": ParamRange(50.0, 150.0, "°C", "temperature a valid cycle must hold"),
        "hold_min": ParamRange(0.0, 1440.0, "min", "minutes the target must be held"),
        "start_temp": ParamRange(20.0, 100.0, "°C", "temperature that starts a cycle"),
        "max_gap_s": ParamRange(0.0, 3600.0, "s", "longest gap in the data within a cycle"),
        "window_before_min": ParamRange(0.0, 1440.0, "min",
                                        "minutes before a meal service a cycle must end"),
    },
}


def default_band(kind: str) -> tuple[float | None, float | None]:
    """``(min_temp, max_temp)`` central applies to ``kind`` when a sensor sets neither
    (``(None, None)`` for kinds without a band, such as the disinfection cabinet)."""
    band = DEFAULT_BANDS.get(kind)
    return (band["min_temp"], band["max_temp"]) if band is not None else (None, None)
