"""Alarm panel: content, evidence box, actions and their signals; dismissal needs a reason."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from tests.widgets.conftest import ASSIGNEES, NOW, alarm, business
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.dialogs import DismissDialog
from widgets.gauges import GaugeLimits
from widgets.models.popup_queue import Offer


def jpeg(width: int = 320, height: int = 180, color: str = "#6b5b45") -> bytes:
    img = QImage(width, height, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "JPEG", 95)
    return bytes(data)


def make_panel(qtbot, **kw) -> AlarmPanel:
    panel = AlarmPanel(clock=lambda: NOW)
    qtbot.addWidget(panel)
    panel.set_alarm(alarm(1, **kw))
    panel.set_business(business())
    panel.set_dispatch_context(ASSIGNEES, created_by="operator")
    return panel


def accept_dialog_later(fill) -> None:
    """Interact with the modal dialog the next call opens (it runs its own event loop)."""
    from PySide6.QtWidgets import QApplication

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        fill(dialog)

    QTimer.singleShot(0, run)


def test_dismiss_dialog_refuses_an_empty_reason(qtbot) -> None:
    dialog = DismissDialog("老王家常菜 · Rodent", ["误报：是店主的猫", "Test event"])
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.error.isVisibleTo(dialog)
    assert "reason is required" in dialog.error.text()
    dialog.reason_box.setEditText("   ")
    ok.click()
    assert dialog.isVisible()
    dialog.reason_box.setCurrentIndex(0)
    assert not dialog.error.isVisibleTo(dialog)
    ok.click()
    assert not dialog.isVisible() and dialog.result() == 1
    assert dialog.reason() == "误报：是店主的猫"


def test_rodent_alarm_offers_the_cat_reason_and_emits_dismissed(qtbot) -> None:
    panel = make_panel(qtbot, kind="ai_violation", subtype="rodent")
    dialog = panel.make_dismiss_dialog()
    qtbot.addWidget(dialog)
    reasons = [dialog.reason_box.itemText(i) for i in range(dialog.reason_box.count())]
    assert reasons[0] == "False alarm: it was the owner's cat"

    def fill(d) -> None:
        d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # refused: empty
        assert d.isVisible()
        d.reason_box.setEditText("误报：是店主的猫")
        d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    accept_dialog_later(fill)
    with qtbot.waitSignal(panel.dismissed, timeout=3000) as sig:
        panel.ask_dismiss()
    assert sig.args == ["A00001", "误报：是店主的猫"]


def test_acknowledge_and_escalate_emit_the_alarm_id(qtbot) -> None:
    panel = make_panel(qtbot)
    with qtbot.waitSignal(panel.acknowledged) as sig:
        panel.ack_button.click()
    assert sig.args == ["A00001"]
    accept_dialog_later(lambda d: (d.editor.setPlainText("连续三次超温"), d.accept()))
    with qtbot.waitSignal(panel.escalated, timeout=3000) as sig:
        panel.escalate_button.click()
    assert sig.args == ["A00001", "连续三次超温"]


def test_dispatch_emits_a_task_draft(qtbot) -> None:
    panel = make_panel(qtbot, severity=4)
    accept_dialog_later(lambda d: d.accept())
    with qtbot.waitSignal(panel.dispatch_requested, timeout=3000) as sig:
        panel.dispatch_button.click()
    draft = sig.args[0]
    assert draft["alarm_id"] == "A00001"
    assert draft["assignee"] == "zhang.wei"  # the responsible official
    assert draft["deadline"] == (NOW + timedelta(hours=2)).isoformat()
    assert draft["created_by"] == "operator"


def test_actions_follow_alarm_state_and_read_only(qtbot) -> None:
    panel = make_panel(qtbot, state="acknowledged")
    assert not panel.ack_button.isEnabled()
    assert panel.dismiss_button.isEnabled() and panel.dispatch_button.isEnabled()
    panel.set_alarm(alarm(1, state="dispatched", task_id="T1"))
    assert not panel.dispatch_button.isEnabled() and not panel.dismiss_button.isEnabled()
    assert panel.escalate_button.isEnabled()
    panel.set_alarm(alarm(1, state="dismissed", dismiss_reason="误报"))
    assert not panel.escalate_button.isEnabled()
    assert "误报" in panel.detail_label.text()
    panel.set_read_only(True)
    assert not panel.ack_button.isVisibleTo(panel)


def test_header_shows_type_business_count_and_value(qtbot) -> None:
    panel = make_panel(qtbot, count=12, value=27.4, threshold=25.0, sensor_id="S1",
                       severity=4)
    assert panel.title_label.text() == "Sensor limit breached — 老王家常菜1号店"
    assert panel.severity_chip.text().strip() == "Critical"
    detail = panel.detail_label.text()
    assert "×12" in detail and "27.4 °C" in detail and "25.0 °C" in detail


def test_video_slot_placeholder_and_console_widget(qtbot) -> None:
    panel = make_panel(qtbot)
    panel.show()
    assert panel.video_slot.placeholder.isVisible()
    tile = QLabel("live")
    assert panel.set_video_widget(tile) is None
    assert tile.parent() is panel.video_slot and tile.isVisible()
    assert not panel.video_slot.placeholder.isVisible()
    assert panel.take_video_widget() is tile
    assert tile.parent() is None and panel.video_slot.placeholder.isVisible()
    tile.deleteLater()


def test_evidence_box_is_drawn_where_the_detector_put_it(qtbot) -> None:
    panel = make_panel(qtbot, kind="ai_violation", subtype="rodent",
                       evidence_box={"x": 0.5, "y": 0.5, "w": 0.25, "h": 0.25})
    assert panel.set_evidence_image(jpeg(640, 360))
    view = panel.evidence
    view.resize(640, 360)
    image = view.grab().toImage()
    rect = view.image_rect()
    x = int(rect.left() + 0.5 * rect.width())
    y = int(rect.top() + 0.625 * rect.height())
    red = image.pixelColor(x, y)
    assert red.red() > 180 and red.green() < 90, red.name()
    inside = image.pixelColor(int(rect.left() + 0.6 * rect.width()), y)
    assert inside.red() < 150  # the photo itself, not box colour
    assert view.has_box()


def test_switching_alarm_clears_the_previous_evidence(qtbot) -> None:
    panel = make_panel(qtbot, kind="ai_violation", subtype="rodent")
    panel.set_evidence_image(jpeg())
    panel.set_alarm(alarm(1, kind="ai_violation", subtype="rodent", count=2))  # same alarm
    assert panel.evidence.image() is not None
    panel.set_alarm(alarm(2))
    assert panel.evidence.image() is None


def test_undecodable_evidence_shows_the_placeholder(qtbot) -> None:
    panel = make_panel(qtbot)
    assert not panel.set_evidence_image(b"not a jpeg")
    assert panel.evidence.image() is None


def test_sensor_alarm_shows_trend_with_breach_and_mark(qtbot) -> None:
    panel = make_panel(qtbot, sensor_id="S1")
    points = [(NOW - timedelta(minutes=60 - i), 24.0 + (3 if 30 <= i < 40 else 0), 60.0)
              for i in range(60)]
    panel.set_trend(points, GaugeLimits(temp_high=25.0), title="专间", end=NOW)
    panel.trend._redraw.flush()
    assert panel.trend.isVisibleTo(panel)
    regions = panel.trend.breach_regions()
    assert len(regions) == 1
    start = (NOW - timedelta(minutes=30)).timestamp()
    assert regions[0] == (start, start + 600)
    panel.set_alarm(alarm(2, kind="ai_violation", subtype="no_mask"))
    assert not panel.trend.isVisibleTo(panel)


def test_popup_scheduler_rate_limits_real_time(qtbot) -> None:
    sched = PopupScheduler(min_interval_s=0.3)
    shown: list[str] = []
    times: list[float] = []
    sched.popup_due.connect(lambda e: (shown.append(e.alarm_id), times.append(time.monotonic())))
    sched.offer("minor", 2)
    sched.offer("critical", 4)
    sched.offer("major", 3)
    assert shown == ["minor"]  # the first is immediate
    assert sched.offer("major", 3) is Offer.MERGED
    updated: list[str] = []
    sched.popup_updated.connect(lambda aid, _item: updated.append(aid))
    assert sched.offer("minor", 2) is Offer.ON_SCREEN and updated == ["minor"]
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=3000)
    assert shown == ["minor", "critical", "major"]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.29 for g in gaps), gaps
