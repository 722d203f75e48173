"""Render the alarm panel and the dashboard with Chinese data, as an operator would see them.

The PNGs go to ``$KW_SCREENSHOT_DIR`` when set (for a human look), else to the test's tmp dir.
The checks catch what a glance would: missing CJK glyphs, clipped titles, wrong colours.
"""

from __future__ import annotations

import math
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFontMetrics, QImage

from tests.widgets.conftest import NOW, alarm, business
from tests.widgets.test_dashboard import STATS
from widgets.alarm_panel import AlarmPanel
from widgets.dashboard import Dashboard
from widgets.gauges import GaugeLimits
from widgets.theme import DARK_CHARTS, SEVERITY_COLORS, ui_font

NAME = "老王家常菜（康巴什青春山店）"


@pytest.fixture
def shot_dir(tmp_path) -> Path:
    target = Path(os.environ.get("KW_SCREENSHOT_DIR", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_cjk_font_covers_business_names(qapp) -> None:
    metrics = QFontMetrics(ui_font(14))
    missing = [c for c in NAME + "鼠患专间消毒柜挂牌督办" if not metrics.inFontUcs4(ord(c))]
    assert not missing, f"no CJK font for {missing}: install fonts-noto-cjk"


def _snapshot() -> QImage:
    img = QImage(640, 360, QImage.Format.Format_RGB32)
    img.fill(QColor("#6b5b45"))
    return img


def test_alarm_panel_screenshot(qtbot, shot_dir) -> None:
    panel = AlarmPanel(clock=lambda: NOW)
    qtbot.addWidget(panel)
    a = alarm(1, severity=4, count=12, sensor_id="S1", value=27.4, threshold=25.0,
              business_name=NAME)
    panel.set_alarm(a)
    panel.set_business(business(name=NAME, licence_expiry="2026-03-20"))
    panel.set_evidence_image(_snapshot(), pre_alarm=True)
    points = [(NOW - timedelta(minutes=1440 - i),
               22 + 2 * math.sin(i / 100) + (4 if i > 1250 else 0), 60.0)
              for i in range(0, 1440, 4)]
    panel.set_trend(points, GaugeLimits(temp_high=25.0), title="专间 温湿度", end=NOW)
    panel.resize(1100, 720)
    panel.show()
    qtbot.waitExposed(panel)
    panel.trend._redraw.flush()
    image = panel.grab().toImage()
    assert image.save(str(shot_dir / "alarm_panel.png"))
    title = panel.title_label
    needed = title.fontMetrics().horizontalAdvance(title.text())
    assert needed <= title.width(), "alarm title clipped"
    chip = panel.severity_chip
    centre = chip.mapTo(panel, chip.rect().center())
    assert image.pixelColor(chip.mapTo(panel, chip.rect().topLeft()).x() + 3,
                            centre.y()) == QColor(SEVERITY_COLORS[4])
    licence = panel.business_card.fields["licence"]
    assert "expires within 30 days" in licence.text() and "color" in licence.styleSheet()
    for label in panel.business_card.fields.values():
        assert label.fontMetrics().horizontalAdvance(label.text().split("\n")[0]) \
            <= label.width() or label.wordWrap()


def test_dashboard_screenshots(qtbot, shot_dir) -> None:
    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_stats(STATS)
    dash.resize(1600, 900)
    dash.show()
    qtbot.waitExposed(dash)
    assert dash.grab().save(str(shot_dir / "dashboard.png"))
    dash.set_big_screen(True)
    dash.resize(1920, 1080)
    assert dash.grab().save(str(shot_dir / "dashboard_big.png"))
    for tile in dash.kpis.values():
        value = tile.value_label
        assert value.fontMetrics().horizontalAdvance(value.text()) <= value.width(), \
            f"{tile.title_label.text()} value clipped"
    bars = dash.category_chart
    axis = bars.getPlotItem().getAxis("left")
    widest = max(QFontMetrics(ui_font(DARK_CHARTS.font_px)).horizontalAdvance(t)
                 for t in ("Small restaurant", "School / kindergarten canteen"))
    assert axis.width() >= widest, "category labels clipped"

