"""Disinfection-cabinet cycle tracking from temperature readings.

An infrared disinfection cabinet (消毒柜) must reach its target temperature (≥ 120 °C) and
hold it for the required time (10 min by code, many bureaus ask 15 min). The gauge on a
kitchen tile shows where the current cycle stands — idle, heating, "holding 124 °C, 12 of
15 min", cycle valid, cycle invalid — so the operator sees the cycle happen rather than only
the verdict the central rule engine reaches afterwards.

This is a Qt-free zone. The tracker is a small state machine fed one reading at a time; it
never looks at the wall clock, so a replay of old readings gives the same answer.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain.rules import DEFAULT_CABINET


class CabinetPhase(enum.StrEnum):
    IDLE = "idle"  # cold, no cycle running
    HEATING = "heating"  # a cycle started, target not reached yet
    HOLDING = "holding"  # at or above target, hold time running
    VALID = "valid"  # the cycle held long enough
    INVALID = "invalid"  # the cycle failed (see InvalidReason)


class InvalidReason(enum.StrEnum):
    NOT_REACHED = "not_reached"  # never got to the target temperature
    TOO_SHORT = "too_short"  # reached it but dropped before the hold time
    DATA_GAP = "data_gap"  # readings missing during the hold: cannot be verified


@dataclass(frozen=True)
class CabinetParams:
    """Rule parameters of one cabinet; every value is configurable per site.

    Attributes:
        target_c: temperature the cabinet must reach (infrared 120 °C; steam 100 °C).
        hold_s: how long it must stay there (default 15 min).
        start_c: a reading at or above this starts a cycle (central's ``start_temp``, 40 °C);
            the cabinet must fall below it
            again before the next cycle can start (so one long cycle is not counted twice).
        tolerance_c: a dip of at most this much below the target does not break the hold
            (thermostats cycle around their set point).
        max_heating_s: a cycle that has not reached the target after this long is invalid.
        max_gap_s: readings further apart than this during the hold break it.
    """

    target_c: float = DEFAULT_CABINET["target_temp"]
    hold_s: float = DEFAULT_CABINET["hold_min"] * 60.0
    start_c: float = DEFAULT_CABINET["start_temp"]
    tolerance_c: float = 0.0
    max_heating_s: float = 30 * 60.0
    max_gap_s: float = 180.0

    def __post_init__(self) -> None:
        if self.hold_s <= 0:
            raise ValueError(f"hold time must be positive, got {self.hold_s} s")
        if self.start_c >= self.target_c:
            raise ValueError(
                f"cycle start {self.start_c} °C must be below the target {self.target_c} °C"
            )
        if self.tolerance_c < 0 or self.max_gap_s <= 0 or self.max_heating_s <= 0:
            raise ValueError("tolerance must be ≥ 0 and time limits positive")

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> CabinetParams:
        """Parameters from a sensor's ``params`` JSON.

        Reads central's keys (``target_temp``, ``hold_min``, ``start_temp``; see
        ``central/rules.py``) and the gauge's own ``tolerance_c``, ``max_heating_min``,
        ``max_gap_s`` (``target_c``/``start_c``/``hold_s`` are accepted as aliases). Missing
        keys keep the defaults (which match central's); unknown keys are ignored.
        """
        params = params or {}
        values: dict[str, float] = {}
        aliases = {"target_temp": "target_c", "start_temp": "start_c"}
        for key in ("target_c", "start_c", "tolerance_c", "max_gap_s", "hold_s", *aliases):
            if params.get(key) is not None:
                values[aliases.get(key, key)] = float(params[key])
        if params.get("hold_min") is not None:
            values["hold_s"] = float(params["hold_min"]) * 60.0
        if params.get("max_heating_min") is not None:
            values["max_heating_s"] = float(params["max_heating_min"]) * 60.0
        return cls(**values)


@dataclass(frozen=True)
class CabinetStatus:
    """What the gauge shows after a reading."""

    phase: CabinetPhase
    temperature: float | None = None
    held_s: float = 0.0
    hold_s: float = 0.0
    reason: InvalidReason | None = None
    cycle_started_at: datetime | None = None
    cycle_ended_at: datetime | None = None
    peak_c: float | None = None
    #: Verdict of the last finished cycle; kept while the cabinet idles afterwards.
    last_result: CabinetPhase | None = None

    @property
    def progress(self) -> float:
        """Fraction of the hold time achieved, 0..1."""
        return 0.0 if self.hold_s <= 0 else max(0.0, min(1.0, self.held_s / self.hold_s))


class CabinetCycleTracker:
    """Derives the cabinet's cycle phase from its readings, one at a time.

    Readings older than or equal to the last one are ignored (the live feed and a backfill may
    overlap). After a cycle ends (valid or invalid) the verdict stays visible until the cabinet
    cools below ``start_c``; then the phase is IDLE with ``last_result`` kept.
    """

    def __init__(self, params: CabinetParams | None = None) -> None:
        self.params = params or CabinetParams()
        self._status = CabinetStatus(phase=CabinetPhase.IDLE, hold_s=self.params.hold_s)
        self._last_ts: datetime | None = None
        self._hold_started: datetime | None = None
        self._last_hot_ts: datetime | None = None
        self._armed = True  # may a new cycle start?

    @property
    def status(self) -> CabinetStatus:
        return self._status

    def reset(self, params: CabinetParams | None = None) -> None:
        """Forget all history (the sensor was replaced or its parameters changed)."""
        if params is not None:
            self.params = params
        self._status = CabinetStatus(phase=CabinetPhase.IDLE, hold_s=self.params.hold_s)
        self._last_ts = None
        self._hold_started = None
        self._last_hot_ts = None
        self._armed = True

    def feed(self, ts: datetime, value: float) -> CabinetStatus:
        """Apply one reading and return the new status."""
        if self._last_ts is not None and ts <= self._last_ts:
            return self._status
        gap = None if self._last_ts is None else (ts - self._last_ts).total_seconds()
        self._last_ts = ts
        p = self.params
        st = replace(self._status, temperature=value)
        if st.peak_c is None or value > st.peak_c:
            st = replace(st, peak_c=value) if st.phase in _RUNNING else st
        phase = st.phase

        if phase in (CabinetPhase.IDLE, CabinetPhase.VALID, CabinetPhase.INVALID):
            if value < p.start_c:
                self._armed = True
                if phase is not CabinetPhase.IDLE:
                    st = replace(st, phase=CabinetPhase.IDLE, last_result=phase)
            elif self._armed:
                self._armed = False
                st = replace(
                    st,
                    phase=CabinetPhase.HEATING,
                    cycle_started_at=ts,
                    cycle_ended_at=None,
                    reason=None,
                    held_s=0.0,
                    peak_c=value,
                )
                phase = CabinetPhase.HEATING
            self._status = st
            if phase is not CabinetPhase.HEATING:
                return st

        if phase is CabinetPhase.HEATING:
            if value >= p.target_c:
                self._hold_started = ts
                self._last_hot_ts = ts
                st = replace(st, phase=CabinetPhase.HOLDING, held_s=0.0)
            elif value < p.start_c:
                st = self._finish(st, ts, CabinetPhase.INVALID, InvalidReason.NOT_REACHED)
                self._armed = True
            elif st.cycle_started_at and (ts - st.cycle_started_at).total_seconds() > (
                p.max_heating_s
            ):
                st = self._finish(st, ts, CabinetPhase.INVALID, InvalidReason.NOT_REACHED)
            self._status = st
            return st

        # HOLDING
        assert self._hold_started is not None and self._last_hot_ts is not None
        if gap is not None and gap > p.max_gap_s:
            st = self._finish(st, ts, CabinetPhase.INVALID, InvalidReason.DATA_GAP)
            self._armed = value < p.start_c
        elif value >= p.target_c - p.tolerance_c:
            self._last_hot_ts = ts
            held = (ts - self._hold_started).total_seconds()
            st = replace(st, held_s=held)
            if held >= p.hold_s:
                st = self._finish(st, ts, CabinetPhase.VALID, None)
        else:
            # Dropped out before the hold time: count only up to the last hot reading.
            held = (self._last_hot_ts - self._hold_started).total_seconds()
            st = replace(st, held_s=held)
            st = self._finish(st, ts, CabinetPhase.INVALID, InvalidReason.TOO_SHORT)
            self._armed = value < p.start_c
        self._status = st
        return st

    def _finish(
        self,
        st: CabinetStatus,
        ts: datetime,
        phase: CabinetPhase,
        reason: InvalidReason | None,
    ) -> CabinetStatus:
        self._hold_started = None
        self._last_hot_ts = None
        return replace(st, phase=phase, reason=reason, cycle_ended_at=ts, last_result=phase)


_RUNNING = (CabinetPhase.HEATING, CabinetPhase.HOLDING)
