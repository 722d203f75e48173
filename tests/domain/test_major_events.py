"""Major-event mode's rules: only tighter limits within physical ranges, in force only during
the period (they revert by themselves), and the meals still to be signed off."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.major_events import MajorEvent, check_overrides, effective_params, missing_signoffs
from domain.rules import DEFAULT_PARAMS

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 10, 6, 0, tzinfo=TZ)
EVENT = MajorEvent("E1", "summit", frozenset({"K1", "K2"}), START, START + timedelta(days=2),
                   {"special_room": {"max_temp": 22.0},
                    "disinfection_cabinet": {"hold_min": 20.0}})


def test_overrides_may_only_tighten_within_the_physical_range() -> None:
    assert check_overrides(EVENT.overrides) == []
    problems = check_overrides({"special_room": {"max_temp": 28.0, "hold_s": -5.0},
                                "freezer": {"max_temp": True}, "oven": {"max_temp": 1.0},
                                "disinfection_cabinet": {"meal_services": 1.0}})
    text = "\n".join(problems)
    assert "special_room.max_temp: 28 is looser than the usual 25" in text
    assert "special_room.hold_s: -5 is outside the physical range 0..86400 s" in text
    assert "freezer.max_temp: expected a number" in text
    assert "oven: not a sensor kind" in text
    assert "disinfection_cabinet.meal_services: not a limit an event may tighten" in text
    assert len(problems) == 5


def test_limits_are_tighter_during_the_event_and_revert_by_themselves() -> None:
    room = dict(DEFAULT_PARAMS["special_room"])
    during = effective_params("special_room", room, "K1", [EVENT], START + timedelta(hours=1))
    after = effective_params("special_room", room, "K1", [EVENT], START + timedelta(days=3))
    before = effective_params("special_room", room, "K1", [EVENT], START - timedelta(minutes=1))
    other = effective_params("special_room", room, "X9", [EVENT], START + timedelta(hours=1))
    assert during["max_temp"] == 22.0
    assert after["max_temp"] == before["max_temp"] == other["max_temp"] == 25.0
    cabinet = effective_params("disinfection_cabinet", dict(DEFAULT_PARAMS[
        "disinfection_cabinet"]), "K2", [EVENT], START + timedelta(hours=1))
    assert cabinet["hold_min"] == 20.0
    assert room == DEFAULT_PARAMS["special_room"]  # nothing written back


def test_a_sensor_already_stricter_keeps_its_own_limit() -> None:
    strict = dict(DEFAULT_PARAMS["special_room"], max_temp=20.0)
    assert effective_params("special_room", strict, "K1", [EVENT],
                            START + timedelta(hours=1))["max_temp"] == 20.0


def test_meals_past_their_time_without_a_sign_off_are_listed() -> None:
    now = datetime(2026, 12, 10, 14, 0, tzinfo=TZ)  # breakfast and lunch of day 1 are due
    day = date(2026, 12, 10)
    missing = missing_signoffs(EVENT, [("K1", day, "breakfast"), ("K1", day, "lunch"),
                                       ("K2", day, "breakfast")], now, TZ)
    assert missing == [("K2", day, "lunch")]
