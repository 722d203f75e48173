"""The pure alarm rules: thresholds with hold times, disinfection cycles, meals, silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from central.rules import (
    ParamsError,
    SensorState,
    check_meal,
    evaluate,
    is_silent,
    meal_times_between,
    params_for,
)
from db.models import AlarmKind, SensorKind, Severity

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Ordos
SHANGHAI = ZoneInfo("Asia/Shanghai")


def feed(kind: str, series: list[tuple[float, float]], params: dict | None = None,
         state: SensorState | None = None, humidity: float | None = None, interval: float = 30):
    """Feed (seconds after T0, value) pairs; returns (state, [(t, decision)])."""
    p = params_for(kind, params)
    state = state or SensorState()
    out = []
    for t, value in series:
        for d in evaluate(kind, p, state, T0 + timedelta(seconds=t), value, humidity, interval):
            out.append((t, d))
    return state, out


def every(step: float, start: float, values: list[float]) -> list[tuple[float, float]]:
    return [(start + i * step, v) for i, v in enumerate(values)]


def test_special_room_breach_must_hold_before_it_alarms() -> None:
    series = every(30, 0, [24.0, 26.0, 26.5, 26.8, 27.0, 26.0])  # above 25 from t=30
    state, out = feed(SensorKind.SPECIAL_ROOM, series)
    opened = [(t, d) for t, d in out if d.open]
    assert [t for t, _ in opened] == [150]  # 120 s after the first breach, reported once
    d = opened[0][1]
    assert (d.kind, d.condition, d.severity, d.threshold) == (
        AlarmKind.SENSOR_THRESHOLD, "temp_high", Severity.MAJOR, 25.0)
    assert state.rule_state == "breach"


def test_short_excursion_is_only_a_warning() -> None:
    state, out = feed(SensorKind.SPECIAL_ROOM, every(30, 0, [26.0, 27.0, 26.0, 24.0]))
    assert out == []
    state, _ = feed(SensorKind.SPECIAL_ROOM, every(30, 0, [26.0]))
    assert state.rule_state == "warning"


def test_far_above_the_limit_is_critical_and_clearing_is_reported() -> None:
    state, out = feed(SensorKind.SPECIAL_ROOM,
                      every(60, 0, [26.0, 26.0, 26.0, 29.0, 29.5, 24.0]))
    opens = [d for _, d in out if d.open]
    assert [d.severity for d in opens] == [Severity.MAJOR, Severity.CRITICAL]  # worse: again
    assert not out[-1][1].open and out[-1][0] == 300
    assert state.rule_state == "normal"


def test_continuing_breach_is_refreshed_every_five_minutes() -> None:
    _, out = feed(SensorKind.SPECIAL_ROOM, every(60, 0, [26.0] * 14))
    assert [t for t, d in out if d.open] == [120, 420, 720]


def test_humidity_limit_only_when_configured() -> None:
    _, none = feed(SensorKind.SPECIAL_ROOM, every(60, 0, [20.0] * 4), humidity=90.0)
    assert none == []
    _, out = feed(SensorKind.SPECIAL_ROOM, every(60, 0, [20.0] * 4), {"max_humidity": 80},
                  humidity=90.0)
    assert [(d.condition, d.value) for _, d in out if d.open] == [("humidity_high", 90.0)]


def test_fridge_and_freezer_limits() -> None:
    _, fridge = feed(SensorKind.REFRIGERATOR, every(300, 0, [-1.0, -1.5, -1.2]))
    assert [d.condition for _, d in fridge if d.open] == ["temp_low"]
    _, freezer = feed(SensorKind.FREEZER, every(300, 0, [-10.0, -9.0, -8.0]))
    assert [d.condition for _, d in freezer if d.open] == ["temp_high"]
    _, cold = feed(SensorKind.FREEZER, every(300, 0, [-18.0, -19.0, -17.5]))
    assert cold == []


def cycle(peak: float, hold_min: float, start: float = 0, step: float = 60) -> list:
    """Heat from 25 °C to ``peak`` in 5 min, hold for ``hold_min`` minutes, cool down."""
    heat = [25.0, 60.0, 90.0, 110.0, peak]
    hold = [peak] * int(hold_min * 60 / step)
    cool = [90.0, 50.0, 30.0]
    return every(step, start, heat + hold + cool)


def test_valid_cycle_clears_and_records_its_time() -> None:
    state, out = feed(SensorKind.DISINFECTION_CABINET, cycle(125.0, 16))
    assert [(d.kind, d.open) for _, d in out] == [(AlarmKind.NO_DISINFECTION, False),
                                                  (AlarmKind.DISINFECTION_INVALID, False)]
    assert len(state.valid_cycles) == 1 and state.rule_state == "idle"


@pytest.mark.parametrize(("peak", "minutes", "reason"), [(125.0, 8, "too_short"),
                                                         (105.0, 20, "not_reached")])
def test_invalid_cycles_say_why(peak: float, minutes: float, reason: str) -> None:
    state, out = feed(SensorKind.DISINFECTION_CABINET, cycle(peak, minutes))
    opened = [d for _, d in out if d.open]
    assert len(opened) == 1
    assert (opened[0].kind, opened[0].subtype) == (AlarmKind.DISINFECTION_INVALID, reason)
    assert opened[0].repeat and state.rule_state == "invalid" and not state.valid_cycles


def test_ten_minutes_is_enough_where_the_bureau_says_so() -> None:
    _, strict = feed(SensorKind.DISINFECTION_CABINET, cycle(122.0, 11))
    _, lenient = feed(SensorKind.DISINFECTION_CABINET, cycle(122.0, 11), {"hold_min": 10})
    assert [d.subtype for _, d in strict if d.open] == ["too_short"]
    assert [d for _, d in lenient if d.open] == []


def test_missing_readings_during_the_hold_make_the_cycle_unverifiable() -> None:
    series = cycle(125.0, 20)
    gappy = [p for p in series if not 600 <= p[0] <= 900]  # five minutes of silence
    _, out = feed(SensorKind.DISINFECTION_CABINET, gappy)
    assert [d.subtype for _, d in out if d.open] == ["data_gap"]


def test_a_dip_resets_the_hold_timer() -> None:
    heat = every(60, 0, [25.0, 80.0, 121.0] + [121.0] * 9 + [115.0] + [121.0] * 9
                 + [60.0, 30.0])
    _, out = feed(SensorKind.DISINFECTION_CABINET, heat)
    assert [d.subtype for _, d in out if d.open] == ["too_short"]


def test_meal_check_wants_a_valid_cycle_in_the_window() -> None:
    p = params_for(SensorKind.DISINFECTION_CABINET, None)
    state, _ = feed(SensorKind.DISINFECTION_CABINET, cycle(125.0, 16))  # ends ~09:21 local
    lunch = datetime(2026, 3, 2, 10, 30, tzinfo=SHANGHAI).astimezone(UTC)
    dinner = datetime(2026, 3, 2, 16, 30, tzinfo=SHANGHAI).astimezone(UTC)
    assert check_meal(p, state, lunch, SHANGHAI) is None
    missed = check_meal(p, state, dinner, SHANGHAI)
    assert missed is not None and missed.kind == AlarmKind.NO_DISINFECTION
    assert "16:30" in missed.message and missed.repeat
    meals = meal_times_between(p, SHANGHAI, T0, T0 + timedelta(days=1))
    assert [m.astimezone(SHANGHAI).strftime("%d %H:%M") for m in meals] == ["02 10:30",
                                                                            "02 16:30"]


def test_silence_is_three_missed_intervals() -> None:
    assert not is_silent(None, 30, 3, T0)
    assert not is_silent(T0, 30, 3, T0 + timedelta(seconds=90))
    assert is_silent(T0, 30, 3, T0 + timedelta(seconds=91))


def test_state_survives_a_json_round_trip() -> None:
    state, _ = feed(SensorKind.DISINFECTION_CABINET, cycle(125.0, 16)[:10])
    again = SensorState.from_json(state.to_json())
    assert again == state


def test_parameters_are_validated() -> None:
    assert params_for(SensorKind.SPECIAL_ROOM, {"max_temp": 22})["max_temp"] == 22.0
    with pytest.raises(ParamsError, match="max_temp: expected a number"):
        params_for(SensorKind.SPECIAL_ROOM, {"max_temp": "hot"})
    with pytest.raises(ParamsError, match="meal_services"):
        params_for(SensorKind.DISINFECTION_CABINET, {"meal_services": ["noon"]})
    with pytest.raises(ParamsError, match="unknown sensor kind"):
        params_for("toaster", {})


def test_every_parameter_has_a_physical_range_and_a_unit() -> None:
    from central.rules import DEFAULT_PARAMS, PARAM_RANGES

    for kind, defaults in DEFAULT_PARAMS.items():
        numeric = {k for k in defaults if k != "meal_services"}
        assert set(PARAM_RANGES[kind]) == numeric, kind
        for name, limits in PARAM_RANGES[kind].items():
            assert limits.lo < limits.hi and limits.unit, (kind, name)
            if defaults[name] is not None:
                assert limits.lo <= defaults[name] <= limits.hi, (kind, name)


@pytest.mark.parametrize(("kind", "params", "words"), [
    (SensorKind.SPECIAL_ROOM, {"max_temp": 1e9}, "max_temp: 1000000000.0 is outside -20..60 °C"),
    (SensorKind.SPECIAL_ROOM, {"hold_s": 1e12}, "hold_s: 1000000000000.0 is outside 0..86400 s"),
    (SensorKind.SPECIAL_ROOM, {"max_humidity": 120}, "max_humidity: 120 is outside 0..100 %RH"),
    (SensorKind.REFRIGERATOR, {"max_temp": 30}, "max_temp: 30 is outside -10..20 °C"),
    (SensorKind.FREEZER, {"max_temp": 4}, "max_temp: 4 is outside -40..0 °C"),
    (SensorKind.DISINFECTION_CABINET, {"target_temp": 400}, "target_temp: 400 is outside"),
    (SensorKind.DISINFECTION_CABINET, {"hold_min": 1441}, "hold_min: 1441 is outside 0..1440"),
    (SensorKind.DISINFECTION_CABINET, {"start_temp": 90, "target_temp": 80},
     "start_temp: 90 °C must be below target_temp 80 °C"),
    (SensorKind.REFRIGERATOR, {"min_temp": 9}, "min_temp: 9 °C must be below max_temp 8 °C"),
    (SensorKind.SPECIAL_ROOM, {"max_temp": float("nan")}, "max_temp: nan is outside"),
])
def test_a_silencing_value_is_refused(kind: str, params: dict, words: str) -> None:
    with pytest.raises(ParamsError, match=f"params.{words}".replace("(", r"\(")
                       .replace(".", r"\.").replace("+", r"\+")):
        params_for(kind, params)


def test_stored_out_of_range_parameters_fall_back_to_the_defaults() -> None:
    """A limit that reached the database some other way (an old version, a hand edit) cannot
    silence the sensor: the evaluator uses the kind's defaults."""
    from central.config import CentralConfig
    from central.evaluator import RuleEngine
    from db.models import Sensor

    engine = RuleEngine(CentralConfig(db_url="sqlite://", run_background=False))
    sensor = Sensor(id="s1", kind=SensorKind.SPECIAL_ROOM, params={"max_temp": 1e9,
                                                                     "hold_s": 1e12})
    assert engine.params(sensor)["max_temp"] == 25.0 and engine.params(sensor)["hold_s"] == 120
