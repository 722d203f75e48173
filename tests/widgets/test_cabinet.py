"""The disinfection-cabinet cycle tracker follows real cycles from readings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from widgets.models.cabinet import (
    CabinetCycleTracker,
    CabinetParams,
    CabinetPhase,
    InvalidReason,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def feed(tracker: CabinetCycleTracker, profile: list[float], step_s: float = 30.0, start=T0):
    statuses = []
    for i, value in enumerate(profile):
        statuses.append(tracker.feed(start + timedelta(seconds=i * step_s), value))
    return statuses


def ramp(a: float, b: float, n: int) -> list[float]:
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def test_full_cycle_idle_heating_holding_valid_idle() -> None:
    tr = CabinetCycleTracker(CabinetParams(target_c=120, hold_s=15 * 60))
    assert tr.status.phase is CabinetPhase.IDLE
    feed(tr, [25, 30])
    assert tr.status.phase is CabinetPhase.IDLE
    st = feed(tr, ramp(60, 118, 6), start=T0 + timedelta(minutes=1))[-1]
    assert st.phase is CabinetPhase.HEATING
    # 124 °C for 12 minutes: holding, 12 of 15.
    hold_start = T0 + timedelta(minutes=10)
    st = feed(tr, [124.0] * 25, start=hold_start)[-1]
    assert st.phase is CabinetPhase.HOLDING
    assert st.held_s == pytest.approx(12 * 60)
    assert st.progress == pytest.approx(0.8)
    assert st.temperature == 124.0
    st = feed(tr, [124.0] * 7, start=hold_start + timedelta(minutes=12, seconds=30))[-1]
    assert st.phase is CabinetPhase.VALID
    assert st.held_s >= 15 * 60
    assert st.reason is None
    # Still hot afterwards: verdict stays; cooling below the start threshold -> idle.
    st = feed(tr, [110, 90, 70], start=hold_start + timedelta(minutes=20))[-1]
    assert st.phase is CabinetPhase.VALID
    st = tr.feed(hold_start + timedelta(minutes=30), 35)
    assert st.phase is CabinetPhase.IDLE
    assert st.last_result is CabinetPhase.VALID


def test_cycle_too_short_is_invalid_with_held_time() -> None:
    tr = CabinetCycleTracker(CabinetParams(target_c=120, hold_s=15 * 60))
    feed(tr, [30, 80, 121] + [125] * 16 + [100])  # 8 min at temperature, then drops
    st = tr.status
    assert st.phase is CabinetPhase.INVALID
    assert st.reason is InvalidReason.TOO_SHORT
    assert st.held_s == pytest.approx(8 * 60)


def test_never_reaching_target_is_invalid() -> None:
    tr = CabinetCycleTracker(CabinetParams(target_c=120, hold_s=600, max_heating_s=20 * 60))
    feed(tr, [30] + [100] * 50)  # 25 minutes stuck at 100 °C
    assert tr.status.phase is CabinetPhase.INVALID
    assert tr.status.reason is InvalidReason.NOT_REACHED
    # Cooling without reaching it before the limit is also "not reached".
    tr2 = CabinetCycleTracker()
    feed(tr2, [30, 70, 90, 70, 35])
    assert tr2.status.phase is CabinetPhase.INVALID
    assert tr2.status.reason is InvalidReason.NOT_REACHED


def test_gap_in_readings_during_hold_breaks_it() -> None:
    tr = CabinetCycleTracker(CabinetParams(hold_s=600, max_gap_s=120))
    feed(tr, [30, 80, 122, 123])
    st = tr.feed(T0 + timedelta(minutes=10), 123)  # 8.5 min without a reading
    assert st.phase is CabinetPhase.INVALID
    assert st.reason is InvalidReason.DATA_GAP


def test_tolerance_lets_thermostat_dips_pass() -> None:
    strict = CabinetCycleTracker(CabinetParams(hold_s=300, tolerance_c=0))
    lenient = CabinetCycleTracker(CabinetParams(hold_s=300, tolerance_c=3))
    profile = [30, 90, 121, 122, 118.5, 121, 122, 119, 121, 122, 121, 121, 122]
    feed(strict, profile)
    feed(lenient, profile)
    assert strict.status.phase is CabinetPhase.INVALID
    assert lenient.status.phase is CabinetPhase.VALID


def test_one_long_cycle_is_not_counted_twice_and_new_cycle_rearms() -> None:
    tr = CabinetCycleTracker(CabinetParams(hold_s=300))
    feed(tr, [30, 90] + [125] * 30)
    assert tr.status.phase is CabinetPhase.VALID
    first_end = tr.status.cycle_ended_at
    feed(tr, [125] * 10, start=T0 + timedelta(minutes=20))
    assert tr.status.phase is CabinetPhase.VALID
    assert tr.status.cycle_ended_at == first_end
    feed(tr, [30, 90, 121], start=T0 + timedelta(minutes=30))
    assert tr.status.phase is CabinetPhase.HOLDING
    assert tr.status.cycle_started_at == T0 + timedelta(minutes=30, seconds=30)


def test_out_of_order_readings_are_ignored() -> None:
    tr = CabinetCycleTracker()
    tr.feed(T0 + timedelta(minutes=5), 90)
    st = tr.feed(T0, 20)
    assert st.phase is CabinetPhase.HEATING
    assert st.temperature == 90


def test_params_from_sensor_json_and_validation() -> None:
    p = CabinetParams.from_params({"target_c": 100, "hold_min": 10, "unrelated": "x"})
    assert (p.target_c, p.hold_s) == (100.0, 600.0)
    assert CabinetParams.from_params(None) == CabinetParams()
    central = CabinetParams.from_params({"target_temp": 121, "hold_min": 10, "start_temp": 45})
    assert (central.target_c, central.hold_s, central.start_c) == (121.0, 600.0, 45.0)
    with pytest.raises(ValueError, match="below the target"):
        CabinetParams(target_c=50, start_c=60)
