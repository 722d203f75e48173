"""Gauges show the value in the rule-state colour, legibly, at a coalesced repaint rate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QColor, QImage

from tests.widgets.conftest import NOW
from widgets.gauges import CabinetGauge, GaugeLimits, RoomGauge
from widgets.models.cabinet import CabinetParams, CabinetPhase
from widgets.theme import RULE_STATE_COLORS


def _close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in
               ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))


def _count(image: QImage, color: QColor, x0: int, y0: int, x1: int, y1: int) -> int:
    return sum(_close(image.pixelColor(x, y), color)
               for x in range(x0, x1) for y in range(y0, y1))


def _shown(qtbot, gauge):
    qtbot.addWidget(gauge)
    gauge.resize(120, 70)
    gauge.show()
    qtbot.waitExposed(gauge)
    gauge.throttle.flush()
    return gauge.grab().toImage()


@pytest.mark.parametrize("state", ["normal", "warning", "breach", "offline"])
def test_room_gauge_colours_value_and_stripe_by_rule_state(qtbot, state: str) -> None:
    gauge = RoomGauge(limits=GaugeLimits(temp_high=25.0))
    for i in range(20):
        gauge.update_reading(NOW + timedelta(seconds=30 * i), 24.0 + i * 0.1, 61.0, state)
    image = _shown(qtbot, gauge)
    color = QColor(RULE_STATE_COLORS[state])
    assert _close(image.pixelColor(2, 35), color, tol=8), "state stripe"
    if state != "offline":  # offline values are drawn dimmed, not in the state grey
        assert _count(image, color, 8, 4, 80, 30) > 25, "value text in the state colour"
    for other, hex_ in RULE_STATE_COLORS.items():
        if other != state and other != "offline" and state != "offline":
            assert _count(image, QColor(hex_), 8, 4, 80, 30) < 5
    assert gauge.value == pytest.approx(25.9)
    assert "25.9" in gauge.toolTip() and "≤ 25" in gauge.toolTip()


def test_room_gauge_sparkline_keeps_only_its_window(qtbot) -> None:
    gauge = RoomGauge(window_s=600)
    for i in range(100):
        gauge.update_reading(NOW + timedelta(seconds=30 * i), 20 + (i % 5), None, "normal")
    hist = gauge.renderer.history
    assert hist[-1][0] - hist[0][0] <= 600
    assert len(hist) == 21


def test_room_gauge_is_translucent_over_video(qtbot) -> None:
    gauge = RoomGauge()
    gauge.update_reading(NOW, 22.0, 50.0, "normal")
    image = _shown(qtbot, gauge)
    alpha = image.pixelColor(100, 60).alpha()
    assert 100 < alpha < 255


def test_repaints_are_coalesced(qtbot) -> None:
    gauge = RoomGauge(repaint_hz=2.0)
    qtbot.addWidget(gauge)
    gauge.show()
    qtbot.waitExposed(gauge)
    qtbot.waitUntil(lambda: gauge.repaints >= 1)
    before = gauge.repaints
    calls_before = gauge.throttle.calls
    for i in range(200):
        gauge.update_reading(NOW + timedelta(seconds=i), 20 + i / 100, 50, "normal")
    # One immediate refresh plus one trailing refresh for the whole burst of 200.
    assert gauge.throttle.calls - calls_before == 1
    assert gauge.throttle.pending
    qtbot.waitUntil(lambda: gauge.repaints - before >= 2, timeout=2000)
    assert gauge.throttle.calls - calls_before == 2
    assert not gauge.throttle.pending
    assert gauge.value == pytest.approx(21.99)


def test_cabinet_gauge_shows_holding_progress(qtbot) -> None:
    gauge = CabinetGauge(CabinetParams(target_c=120, hold_s=15 * 60))
    values = [30, 80, 110] + [124] * 25  # reaches 124 °C, then 12 min of hold
    for i, v in enumerate(values):
        gauge.update_reading(NOW + timedelta(seconds=30 * i), v, None, "normal")
    assert gauge.status.phase is CabinetPhase.HOLDING
    assert gauge.renderer.detail_text() == "12 of 15 min"
    assert gauge.renderer.phase_text() == "Holding"
    image = _shown(qtbot, gauge)
    blue = QColor("#4dabf7")
    # The progress bar is filled ~80 % in the holding colour.
    row = 52  # the bar spans y 48..56 at 120×70
    filled = [x for x in range(6, 120) if _close(image.pixelColor(x, row), blue, 30)]
    assert filled, "progress bar drawn"
    assert 0.7 < (max(filled) - 8) / (120 - 13) < 0.9
    assert "120" in gauge.toolTip() and "15" in gauge.toolTip()


def test_cabinet_gauge_invalid_cycle_is_red(qtbot) -> None:
    gauge = CabinetGauge()
    for i, v in enumerate([30, 80, 121, 122, 123, 90]):
        gauge.update_reading(NOW + timedelta(seconds=30 * i), v, None, "normal")
    assert gauge.status.phase is CabinetPhase.INVALID
    image = _shown(qtbot, gauge)
    assert _close(image.pixelColor(2, 35), QColor("#e03131"), tol=8)
    assert gauge.renderer.phase_text() == "Cycle invalid"


def test_limits_from_rule_params() -> None:
    assert GaugeLimits.from_params({}, "special_room").temp_high == 25.0
    assert GaugeLimits.from_params({}, "freezer").text() == "≤ -12 °C"
    lim = GaugeLimits.from_params({"min_temp": 2, "max_temp": 6, "max_humidity": 70},
                                  "refrigerator")  # central's keys
    assert (lim.temp_low, lim.temp_high, lim.humidity_high) == (2.0, 6.0, 70.0)
    assert lim.text() == "2–6 °C"
    assert GaugeLimits.from_params({}, "refrigerator").text() == "0–8 °C"


def test_renderer_image_is_cached_until_the_state_changes(qapp) -> None:
    from PySide6.QtCore import QSize

    from widgets.gauges import RoomGaugeRenderer

    r = RoomGaugeRenderer()
    r.update_reading(NOW, 22.0, 50.0, "normal")
    first = r.image(QSize(120, 70))
    assert r.image(QSize(120, 70)) is first  # a video-rate repaint only blits
    r.update_reading(NOW + timedelta(seconds=10), 26.0, 50.0, "breach")
    second = r.image(QSize(120, 70))
    assert second is not first
    assert _close(second.pixelColor(2, 35), QColor(RULE_STATE_COLORS["breach"]), tol=8)
    assert r.image(QSize(240, 140)).width() == 240


def test_sparkline_reduction_keeps_spikes() -> None:
    from widgets.gauges import _per_column_extremes

    pts = [(float(t), 20.0) for t in range(1800)]
    pts[900] = (900.0, 35.0)  # one 1-second spike
    reduced = _per_column_extremes(pts, 0.0, 1800.0, 100)
    assert len(reduced) <= 200
    assert max(v for _, v in reduced) == 35.0
    assert [t for t, _ in reduced] == sorted(t for t, _ in reduced)
