"""Dashboard: renders the given numbers, charts and lists; exports; big-screen style."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtGui import QColor

from widgets.dashboard import Dashboard, chart_background
from widgets.models.stats import DashboardStats
from widgets.theme import DARK_CHARTS, LIGHT_CHARTS

STATS = {
    "generated_at": "2026-03-01T12:00:00+08:00",
    "scope": {"district_id": None, "name": "鄂尔多斯市"},
    "districts": {"D01": "康巴什区", "D02": "东胜区"},
    "businesses": {"total": 452, "target": 497,
                   "by_category": {"small": 328, "medium": 72, "school_canteen": 34,
                                   "large": 8, "novel_category": 1},
                   "by_district": {"D01": 452, "D02": 310}},
    "channels": {"total": 787, "online": 760,
                 "by_category": {"small": 480, "medium": 160, "school_canteen": 90, "large": 30},
                 "by_district": {"D01": 787, "D02": 520},
                 "online_by_district": {"D01": 760, "D02": 500}},
    "sensors": {"total": 38, "online": 37},
    "alarms": {"today": 23, "by_day": [
        {"date": (date(2026, 2, 23) + timedelta(days=i)).isoformat(),
         "counts": {"ai_violation:no_mask": 5 + i, "ai_violation:rodent": i % 3,
                    "sensor_threshold": 3}} for i in range(7)]},
    "tasks": {"total": 120, "closed": 100, "overdue": 4, "open": 20, "escalated": 2},
    "patrol": {"planned": 904, "done": 860, "businesses": 452, "covered": 430},
    "red_list": [{"business_id": "B1", "name": "康巴什第一小学食堂", "district_id": "D01",
                  "score": 98.5, "note": "连续三个月零预警"}],
    "black_list": [{"business_id": "B3", "name": "老王家常菜（东胜店）", "district_id": "D02",
                    "score": 52, "note": "鼠患两次，整改超期"},
                   {"business_id": "B4", "name": "幸福烧烤", "district_id": "D02",
                    "score": 60.5, "note": "未戴口罩 14 次"}],
}


@pytest.fixture
def dash(qtbot) -> Dashboard:
    d = Dashboard()
    qtbot.addWidget(d)
    d.set_stats(STATS)
    return d


def test_stats_adapter_and_derived_rates() -> None:
    s = DashboardStats.from_api(STATS)
    assert s.channel_online_rate == pytest.approx(760 / 787)
    assert s.task_closure_rate == pytest.approx(100 / 120)
    assert s.patrol_coverage == pytest.approx(430 / 452)
    assert s.alarm_types() == ["ai_violation:no_mask", "sensor_threshold", "ai_violation:rodent"]
    empty = DashboardStats.from_api({})
    assert empty.channel_online_rate is None and empty.alarms_by_day == []


CENTRAL_STATS = {  # the shape central/stats.py::compute_stats returns
    "generated_at": "2026-03-01T12:00:00+00:00", "district_id": "D01",
    "businesses": 452, "businesses_by_category": {"small": 328, "medium": 72},
    "districts": [{"id": "D01", "name": "康巴什区", "businesses": 452, "cameras": 787,
                   "cameras_online": 760}],
    "cameras": 787, "cameras_online": 760, "online_rate": 0.9657,
    "alarms_by_day": {"2026-02-28": {"ai_violation": 4}, "2026-03-01": {"ai_violation": 2,
                                                                       "device_offline": 5}},
    "tasks": 120, "tasks_closed": 100, "closure_rate": 0.8333, "tasks_overdue": 4,
    "patrol_coverage": 0.5,
    "red_list": [{"business_id": "B1", "name": "康巴什第一小学食堂", "alarms": 0}],
    "black_list": [{"business_id": "B3", "name": "老王家常菜", "alarms": 9}],
}


def test_central_stats_shape_is_adapted(qtbot) -> None:
    s = DashboardStats.from_api(CENTRAL_STATS)
    assert s.scope_name == "康巴什区"
    assert (s.businesses_total, s.channels_total, s.channels_online) == (452, 787, 760)
    assert s.channels_by_district == {"D01": 787}
    assert s.alarms_today == 7
    assert s.tasks_open == 20 and s.patrol_coverage == 0.5
    assert s.black_list[0].alarms == 9
    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_stats(CENTRAL_STATS)
    assert dash.kpis["alarms"].value_label.text() == "7"
    assert dash.kpis["patrol"].value_label.text() == "50.0%"
    table = dash.table("black_list")
    assert table.header == ["Rank", "Business", "District", "Alarms (30 days)"]
    assert table.rows == [["1", "老王家常菜", "", "9"]]
    assert dash.district_chart.values() == [("Channels", [787.0]), ("Online", [760.0])]


def test_key_figures_show_the_given_numbers(dash) -> None:
    k = dash.kpis
    assert k["businesses"].value_label.text() == "452"
    assert "90.9%" in k["businesses"].detail_label.text()
    assert k["channels"].value_label.text() == "96.6%"
    assert k["channels"].detail_label.text() == "760 of 787 channels"
    assert k["alarms"].value_label.text() == "23"
    assert k["tasks"].value_label.text() == "83.3%"
    assert k["tasks"].detail_label.text() == "4 overdue · 20 open"
    assert "color" in k["tasks"].value_label.styleSheet()  # overdue tasks: alert colour
    assert k["patrol"].value_label.text() == "95.1%"
    assert "鄂尔多斯市" in dash.title_label.text()


def test_charts_carry_the_numbers(dash) -> None:
    cat = dash.category_chart.values()
    assert cat[0] == ("Businesses", [8.0, 72.0, 328.0, 34.0, 1.0])  # known order, unknown last
    assert cat[1][1] == [30.0, 160.0, 480.0, 90.0, 0.0]
    assert "328" in dash.category_chart.value_texts()
    dist = dash.district_chart.values()
    assert dist == [("Channels", [787.0, 520.0]), ("Online", [760.0, 500.0])]
    assert set(dash.alarm_chart.curves) == {"No mask", "Sensor limit breached", "Rodent"}
    _xs, ys = dash.alarm_chart.curves["No mask"].getData()
    assert list(ys) == [5, 6, 7, 8, 9, 10, 11]


def test_red_and_black_lists(dash) -> None:
    assert dash.black_table.texts()[0][:4] == ["1", "老王家常菜（东胜店）", "东胜区", "52.0"]
    assert dash.red_table.rowCount() == 1


def test_every_table_exports_to_csv(dash, tmp_path) -> None:
    for name in Dashboard.TABLES:
        path = tmp_path / f"{name}.csv"
        dash.export_csv(name, path)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] and len(rows) >= 2, name
    with (tmp_path / "alarms_by_day.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Day", "No mask", "Sensor limit breached", "Rodent", "Total"]
    assert rows[1] == ["2026-02-23", "5", "3", "0", "8"]
    with pytest.raises(KeyError, match="no dashboard table"):
        dash.export_csv("nope", tmp_path / "x.csv")


def test_big_screen_style_switches_theme_fonts_and_controls(dash) -> None:
    dash.show()
    small_px = dash.kpis["alarms"].value_label.font().pixelSize()
    assert chart_background(dash.category_chart) == QColor(LIGHT_CHARTS.background)
    dash.set_big_screen(True)
    assert dash.is_big_screen()
    assert chart_background(dash.category_chart) == QColor(DARK_CHARTS.background)
    assert dash.kpis["alarms"].value_label.font().pixelSize() > small_px
    assert not dash.panels["red_list"].export_button.isVisible()
    assert dash.category_chart.values()[0][1][2] == 328.0  # same data after the re-render
    image = dash.grab().toImage()
    corner = image.pixelColor(3, image.height() - 3)
    assert corner.lightness() < 60, corner.name()  # dark background
    dash.set_big_screen(False)
    assert dash.panels["red_list"].export_button.isVisible()


def test_the_big_screen_text_grows_with_the_screen(dash, qtbot) -> None:
    """Read from 5 m, a 4K wall needs twice the pixels of a full-HD one."""
    dash.set_big_screen(True)
    dash.resize(1920, 1080)
    dash.show()
    qtbot.waitUntil(lambda: dash.width() == 1920)
    hd = dash.kpis["alarms"].value_label.font().pixelSize()
    hd_title = dash.title_label.font().pixelSize()
    dash.resize(3840, 2160)
    qtbot.waitUntil(lambda: dash.kpis["alarms"].value_label.font().pixelSize() >= 2 * hd)
    assert dash.title_label.font().pixelSize() >= 2 * hd_title
    assert dash.theme.font_px == 2 * DARK_CHARTS.font_px


@pytest.mark.parametrize("width", [260, 420, 900])
def test_bar_numbers_never_overlap_however_narrow_the_chart(qtbot, width: int) -> None:
    """Two bars of 39 side by side in a narrow dock read "3939" when each carries its own
    number; the chart shows one "39 / 39" per district instead, or none at all."""
    from widgets.dashboard import BarChart

    chart = BarChart(horizontal=False)
    qtbot.addWidget(chart)
    chart.resize(width, 260)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data([f"区{i}" for i in range(5)],
                   [("Channels", [39, 39, 24, 1234, 7]), ("Online", [39, 38, 24, 1200, 7])],
                   DARK_CHARTS)
    qtbot.wait(50)
    rects = chart.visible_label_rects()
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (width, a, b)
    if width >= 900:  # room enough: every bar carries its own number
        assert len(rects) == 10
