"""The business detail view: sensor history with the limit band, the bucket extremes that
cross it, alarm marks; licence expiry highlighting; cameras to the wall."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from domain.clock import utcnow
from tests.widgets.conftest import business
from widgets.business_detail import BusinessDetailView, SensorInfo, chart_values, licence_text
from widgets.gauges import GaugeLimits
from widgets.models.rows import AlarmRow, TaskRow
from widgets.trend import TrendSpan

TODAY = date(2026, 3, 1)
ROOM = SensorInfo("D01-B0001-C2-TH", "special_room", "专间", "D01-B0001-C2",
                  params={"max_temp": 25.0, "max_humidity": 80.0})
CABINET = SensorInfo("D01-B0001-C3-DC", "disinfection_cabinet", "消毒柜", "D01-B0001-C3",
                     params={"target_temp": 120.0, "hold_min": 15.0})


def make_view(qtbot, **card) -> BusinessDetailView:
    view = BusinessDetailView(today=lambda: TODAY)
    qtbot.addWidget(view)
    view.set_business(business(**card))
    return view


def bucketed_day(now, peak_at: int) -> list[list]:
    """A day in 10-minute buckets of ~22 °C; one bucket averages 23.5 but peaked at 29."""
    points = []
    for i in range(144):
        ts = (now - timedelta(hours=24) + timedelta(minutes=10 * i + 5)).isoformat()
        if i == peak_at:
            points.append([ts, 23.5, 61.0, 21.9, 29.0])
        else:
            points.append([ts, 22.0, 60.0, 21.5, 22.6])
    return points


def test_sensor_chart_shows_the_limit_band_the_peak_and_the_alarm_marks(qtbot) -> None:
    now = utcnow()
    view = make_view(qtbot)
    asked: list[tuple] = []
    view.history_requested.connect(lambda *args: asked.append(args))
    view.set_sensors([ROOM])
    [(sensor_id, start, end)] = asked
    assert sensor_id == ROOM.id and end - start == timedelta(hours=24)
    alarm = AlarmRow.from_payload({
        "id": "A1", "kind": "sensor_threshold", "subtype": "temp_high", "sensor_id": ROOM.id,
        "business_id": "D01-B0001", "count": 2, "state": "acknowledged",
        "opened_at": (now - timedelta(hours=3)).isoformat()})
    other = AlarmRow.from_payload({"id": "A2", "kind": "ai_violation", "subtype": "no_mask",
                                   "camera_id": "D01-B0001-C1",
                                   "opened_at": (now - timedelta(hours=2)).isoformat()})
    view.set_alarms([alarm, other])
    view.set_history(ROOM.id, bucketed_day(now, peak_at=100), start, end, downsampled=True)
    panel = view.sensor_panels[ROOM.id]
    panel.flush()
    chart = panel.chart

    # The rule's band: everything up to 25 °C, with the limit line drawn at 25.
    assert chart._band.isVisible()
    assert chart._band.getRegion()[1] == 25.0
    assert chart._high_line.isVisible() and chart._high_line.value() == 25.0
    assert "≤ 25 °C" in panel.title.text()
    # The bucket whose average stayed under the limit still crosses it on the chart ...
    curve_y = chart.curve.getData()[1]
    assert max(curve_y) == 29.0
    # ... and its breach is shaded: the short peak survives the bucketing.
    [(b_start, _b_end)] = chart.breach_regions()
    peak_ts = now - timedelta(hours=24) + timedelta(minutes=10 * 100 + 5)
    assert b_start == pytest.approx(peak_ts.timestamp())
    # The min-max envelope of the buckets is drawn around the curve.
    assert max(panel._hi_curve.getData()[1]) == 29.0 and min(panel._lo_curve.getData()[1]) == 21.5
    # One mark, at the sensor's alarm (the camera alarm belongs to no chart), with its count.
    [mark] = chart._mark_items
    assert mark.value() == pytest.approx((now - timedelta(hours=3)).timestamp())
    assert mark.label.toPlainText().startswith("×2 ")
    # The alarm table lists both, newest first.
    assert view.alarm_table.rowCount() == 2
    assert view.alarm_table.item(0, 0).data(Qt.ItemDataRole.UserRole + 1) == "A2"


def test_week_button_asks_for_seven_days_and_live_readings_extend_the_curve(qtbot) -> None:
    now = utcnow()
    view = make_view(qtbot)
    asked: list[tuple] = []
    view.history_requested.connect(lambda *args: asked.append(args))
    view.set_sensors([ROOM])
    panel = view.sensor_panels[ROOM.id]
    panel.chart._week_btn.click()
    sensor_id, start, end = asked[-1]
    assert sensor_id == ROOM.id and end - start == timedelta(days=7)
    view.set_history(ROOM.id, [[(now - timedelta(days=6)).isoformat(), 21.0, 60.0, 21.0, 21.0]],
                     start, end)
    assert panel.chart.span is TrendSpan.WEEK
    view.on_reading({"sensor_id": ROOM.id, "ts": now.isoformat(), "value": 26.5,
                     "humidity": 62.0, "rule_state": "warning"})
    panel.flush()
    assert list(panel.chart.curve.getData()[1]) == [21.0, 26.5]
    assert panel.state.text() == "Warning"


def test_cabinet_shows_its_target_not_a_band_and_history_errors_are_said(qtbot) -> None:
    view = make_view(qtbot)
    view.set_sensors([ROOM, CABINET])
    cabinet = view.sensor_panels[CABINET.id]
    assert not cabinet.chart._band.isVisible()
    assert cabinet.target_line is not None and cabinet.target_line.value() == 120.0
    view.set_history_error(CABINET.id, "cannot reach http://10.0.0.5:8750")
    assert "History not available: cannot reach" in cabinet.notice.text()
    assert not cabinet.notice.isHidden()


@pytest.mark.parametrize(("expiry", "state", "words"), [
    ("2026-02-10", "expired", "expired 19 days ago"),
    ("2026-03-20", "expiring", "expires in 19 days"),
    ("2026-03-31", "expiring", "expires in 30 days"),
    ("2026-04-01", "valid", "valid"),
    (None, "unknown", "no expiry date recorded"),
])
def test_licence_ledger_highlights_expired_and_expiring(qtbot, expiry, state, words) -> None:
    view = make_view(qtbot, licence_expiry=expiry)
    assert view.licence_state() == state
    status = view.ledger_table.item(0, 3)
    assert status.text() == words and status.data(Qt.ItemDataRole.UserRole + 1) == state
    number = view.ledger_table.item(0, 1)
    assert number.text() == "JY11506030012345"
    highlighted = number.background().color().alpha() > 0 and number.font().bold()
    assert highlighted == (state in ("expired", "expiring"))
    if state == "expired":
        assert status.foreground().color().name() == "#e03131"
    elif state == "expiring":
        assert status.foreground().color().name() == "#f59f00"
    assert view.card.licence_state() == state  # the card on top agrees


def test_licence_text_counts_days() -> None:
    assert licence_text(TODAY, TODAY) == ("expiring", "expires today")
    assert licence_text(TODAY - timedelta(days=1), TODAY) == ("expired", "expired 1 days ago")


def test_cameras_go_to_the_wall_and_tasks_show_overdue(qtbot) -> None:
    view = make_view(qtbot)
    view.set_cameras([
        {"id": "D01-B0001-C1", "name": "热厨房", "location": "热厨房", "online": True,
         "health": "frozen"},
        {"id": "D01-B0001-C2", "name": "专间", "location": "专间", "online": False},
    ])
    one: list[str] = []
    many: list[list] = []
    view.camera_activated.connect(one.append)
    view.cameras_requested.connect(many.append)
    assert "frozen" in view.camera_list.item(0).text()
    assert "offline" in view.camera_list.item(1).text()
    view.camera_list.setCurrentRow(1)
    view.show_camera_button.click()
    view.show_all_button.click()
    assert one == ["D01-B0001-C2"]
    assert many == [["D01-B0001-C1", "D01-B0001-C2"]]
    now = utcnow()
    view.set_tasks([
        TaskRow.from_payload({"id": "T1", "state": "rectifying", "title": "专间温度",
                              "deadline": (now - timedelta(hours=1)).isoformat(),
                              "created_at": (now - timedelta(days=1)).isoformat()}),
        TaskRow.from_payload({"id": "T2", "state": "closed", "title": "消毒",
                              "deadline": (now - timedelta(hours=1)).isoformat(),
                              "created_at": (now - timedelta(days=2)).isoformat()}),
    ])
    assert "(overdue)" in view.task_table.item(0, 4).text()
    assert "(overdue)" not in view.task_table.item(1, 4).text()  # closed in time or not


def test_chart_values_take_the_extreme_only_where_a_limit_was_crossed() -> None:
    limits = GaugeLimits(temp_low=0.0, temp_high=8.0)
    rows = chart_values([["t1", 4.0, None, 3.0, 5.0], ["t2", 6.0, None, 4.0, 9.5],
                         ["t3", 2.0, None, -1.0, 4.0], ["t4", None, None, None, None]], limits)
    assert [r[1] for r in rows] == [4.0, 9.5, -1.0]
