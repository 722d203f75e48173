"""The popup for one alarm: live kitchen, evidence, trend, business card and the actions.

The panel is a plain widget: the console puts it in a window or a dock, inserts the live video
(a wall tile or player widget) with :meth:`AlarmPanel.set_video_widget`, feeds the evidence
image and readings it fetched, and turns the panel's past-tense signals into outbox actions.
:class:`PopupScheduler` decides when the next panel may appear (see
:class:`widgets.models.popup_queue.PopupQueue`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from domain.clock import utcnow
from widgets import labels
from widgets.alarm_history import AlarmHistoryView
from widgets.alarm_text import describe
from widgets.business_card import BusinessCardWidget
from widgets.dialogs import DismissDialog, NoteDialog, common_dismiss_reasons
from widgets.dispatch_dialog import DispatchDialog
from widgets.evidence_view import EvidenceView
from widgets.formatting import datetime_text, number_text
from widgets.gauges import GaugeLimits
from widgets.models.dispatch import DeadlinePolicy
from widgets.models.popup_queue import Offer, PendingPopup, PopupQueue
from widgets.models.rows import AlarmRow, Assignee, AuditRow, BusinessCard
from widgets.theme import alarm_state_color, severity_color, ui_font
from widgets.trend import SensorTrendChart

log = logging.getLogger("kitchenwatch.widgets.alarm_panel")


class VideoSlot(QFrame):
    """Holds the console's live video widget, or a placeholder saying why there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setStyleSheet("VideoSlot { background: #111417; border: 1px solid #343a40; }")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(self.tr("Live video not available"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #adb5bd; font-size: 14px;")
        self._layout.addWidget(self.placeholder)
        self._widget: QWidget | None = None

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def widget(self) -> QWidget | None:
        return self._widget

    def set_widget(self, widget: QWidget | None) -> QWidget | None:
        """Insert ``widget`` (None restores the placeholder); returns the one it replaced.

        The replaced widget is detached and hidden, not deleted: it belongs to the console
        (usually a wall tile that goes back to its wall).
        """
        old = self._widget
        if old is not None:
            self._layout.removeWidget(old)
            old.hide()
            old.setParent(None)
        self._widget = widget
        if widget is not None:
            self._layout.addWidget(widget)
            widget.show()
        self.placeholder.setVisible(widget is None)
        return old

    def set_placeholder_text(self, text: str) -> None:
        self.placeholder.setText(text)


class AlarmPanel(QWidget):
    """One alarm, everything needed to judge it, and the four actions.

    Signals (alarm id first):
        acknowledged(str)
        dismissed(str, str): with the operator's reason (never empty)
        dispatch_requested(dict): the new task's columns (``task.dispatch``), alarm_id inside
        escalated(str, str): with the operator's note
        evidence_requested(str): export the alarm's evidence pack (PDF)
        playback_requested(str): play the camera's recording from before the alarm time
        next_requested(str): close this panel and show the next waiting alarm
        closed(str): the panel was closed (the console returns the video widget, tells the
            popup scheduler)
    """

    acknowledged = Signal(str)
    dismissed = Signal(str, str)
    dispatch_requested = Signal(dict)
    escalated = Signal(str, str)
    evidence_requested = Signal(str)
    clip_requested = Signal(str)      # the AI box's own clip instead of the live picture
    live_requested = Signal(str)      # back to the live picture
    playback_requested = Signal(str)
    next_requested = Signal(str)
    closed = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(parent)
        self._clock = clock
        self._alarm: AlarmRow | None = None
        self._assignees: list[Assignee] = []
        self._created_by = ""
        self._policy = DeadlinePolicy()
        self._checklists: Mapping[str, Sequence[str]] | None = None
        self._read_only = False
        self.setWindowTitle(self.tr("Alarm"))
        self.setMinimumSize(900, 600)

        root = QVBoxLayout(self)
        root.setContentsMargins(10, 8, 10, 8)
        header = QHBoxLayout()
        self.severity_chip = QLabel()
        self.severity_chip.setFont(ui_font(14, bold=True))
        self.title_label = QLabel()
        self.title_label.setFont(ui_font(18, bold=True))
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state_chip = QLabel()
        self.state_chip.setFont(ui_font(13, bold=True))
        header.addWidget(self.severity_chip)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.state_chip)
        root.addLayout(header)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        root.addWidget(self.detail_label)

        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        self.video_slot = VideoSlot()
        self.evidence = EvidenceView()
        self.trend = SensorTrendChart()
        self.business_card = BusinessCardWidget(
            today=lambda: self._clock().astimezone().date())
        self.business_card.setMinimumWidth(300)
        self.history = AlarmHistoryView()
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.business_card, self.tr("Business"))
        self.side_tabs.addTab(self.history, self.tr("History"))
        self._grid.setRowStretch(0, 3)
        self._grid.setRowStretch(1, 2)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnStretch(1, 1)
        self._arrange(with_trend=True)
        root.addLayout(self._grid, 1)

        actions = QHBoxLayout()
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.dismiss_button = QPushButton(self.tr("Dismiss as false positive…"))
        self.dispatch_button = QPushButton(self.tr("Dispatch task…"))
        self.escalate_button = QPushButton(self.tr("Escalate…"))
        self.evidence_button = QPushButton(self.tr("Evidence pack (PDF)…"))
        # The AI box's own clip of the event, shown only when one came with it.
        self.clip_button = QPushButton(self.tr("AI clip"))
        self.clip_button.setCheckable(True)
        self.clip_button.hide()
        self.playback_button = QPushButton(self.tr("Playback"))
        self.playback_button.setObjectName("alarm-playback")
        self.playback_button.setToolTip(self.tr("Play the recording from before the alarm"))
        self.next_button = QPushButton()
        self.next_button.hide()
        self.close_button = QPushButton(self.tr("Close"))
        self.dispatch_button.setDefault(True)
        for btn in (self.ack_button, self.dismiss_button, self.dispatch_button,
                    self.escalate_button):
            btn.setMinimumHeight(32)
            actions.addWidget(btn)
        actions.addStretch(1)
        actions.addWidget(self.clip_button)
        actions.addWidget(self.playback_button)
        actions.addWidget(self.evidence_button)
        actions.addWidget(self.next_button)
        actions.addWidget(self.close_button)
        root.addLayout(actions)

        self.ack_button.clicked.connect(self._on_ack)
        self.dismiss_button.clicked.connect(self.ask_dismiss)
        self.dispatch_button.clicked.connect(self.ask_dispatch)
        self.escalate_button.clicked.connect(self.ask_escalate)
        self.close_button.clicked.connect(self.close)
        self.evidence_button.clicked.connect(
            lambda: self._alarm is not None and self.evidence_requested.emit(self._alarm.id))
        self.playback_button.clicked.connect(
            lambda: self._alarm is not None and self.playback_requested.emit(self._alarm.id))
        self.next_button.clicked.connect(
            lambda: self._alarm is not None and self.next_requested.emit(self._alarm.id))
        self.clip_button.toggled.connect(self._on_clip_toggled)
        self._update_actions()

    # ------------------------------------------------------------------ content
    def alarm(self) -> AlarmRow | None:
        return self._alarm

    def alarm_id(self) -> str:
        return self._alarm.id if self._alarm else ""

    def set_alarm(self, alarm: AlarmRow) -> None:
        """Show an alarm (or refresh it after a repeat or a state change).

        A different alarm clears the previous one's evidence and trend, so a slow fetch can
        never leave another kitchen's picture under this alarm's title.
        """
        if self._alarm is not None and self._alarm.id != alarm.id:
            self.evidence.clear()
            self.trend.set_points([])
            self.trend.set_alarm_marks([])
        self._alarm = alarm
        sev = severity_color(alarm.severity)
        self.severity_chip.setText(f" {labels.severity(alarm.severity)} ")
        self.severity_chip.setStyleSheet(
            f"background: {sev.name()}; color: white; border-radius: 4px; padding: 2px 6px;")
        kind = labels.alarm_type(alarm.kind, alarm.subtype)
        name = alarm.business_name or alarm.business_id
        self.title_label.setText(f"{kind} — {name}")
        self.title_label.setToolTip(f"{kind} — {name}")
        self.setWindowTitle(f"{kind} — {name}")
        st = alarm_state_color(alarm.state)
        self.state_chip.setText(f" {labels.alarm_state(alarm.state)} ")
        self.state_chip.setStyleSheet(
            f"background: {st.name()}; color: white; border-radius: 9px; padding: 2px 8px;")
        parts = [self.tr("Opened %1").replace("%1", datetime_text(alarm.opened_at, True))]
        if alarm.count > 1:
            parts.append(self.tr("×%1, last %2").replace("%1", str(alarm.count)).replace(
                "%2", datetime_text(alarm.last_seen_at, True)))
        sentence = describe(alarm)
        if alarm.value is not None and sentence == alarm.message:  # facts not in the sentence
            unit = " °C" if alarm.sensor_id else ""
            value = number_text(alarm.value, 1) + unit
            if alarm.threshold is not None:
                value += " / " + self.tr("limit %1").replace(
                    "%1", number_text(alarm.threshold, 1) + unit)
            parts.append(value)
        if sentence:
            parts.append(sentence)
        if alarm.state == "dismissed" and alarm.dismiss_reason:
            parts.append(self.tr("Dismissed: %1").replace("%1", alarm.dismiss_reason))
        self.detail_label.setText(" · ".join(parts))
        self._arrange(with_trend=bool(alarm.sensor_id))
        self._update_actions()

    def _arrange(self, with_trend: bool) -> None:
        """Sensor alarms get the trend under the video; others give the video both rows."""
        g = self._grid
        for w in (self.video_slot, self.evidence, self.trend, self.side_tabs):
            g.removeWidget(w)
        if with_trend:
            g.addWidget(self.video_slot, 0, 0)
            g.addWidget(self.trend, 1, 0)
        else:
            g.addWidget(self.video_slot, 0, 0, 2, 1)
        g.addWidget(self.evidence, 0, 1)
        g.addWidget(self.side_tabs, 1, 1)
        self.trend.setVisible(with_trend)

    def set_business(self, card: BusinessCard | None) -> None:
        self.business_card.set_card(card)

    def set_history(self, rows: Iterable[AuditRow]) -> None:
        """Who did what to this alarm and its task (and what still waits to be sent)."""
        rows = list(rows)
        self.history.set_rows(rows)
        self.side_tabs.setTabText(1, self.tr("History (%1)").replace("%1", str(len(rows))))

    def set_waiting(self, waiting: int) -> None:
        """How many more alarms wait for a panel; offers to go on to the next one."""
        self.next_button.setText(self.tr("Next alarm (%1 waiting)").replace(
            "%1", str(waiting)))
        self.next_button.setVisible(waiting > 0)

    def set_mask_personal(self, mask: bool) -> None:
        self.business_card.set_mask_personal(mask)

    def set_read_only(self, read_only: bool) -> None:
        """Viewer role / demonstration: show everything, offer no actions."""
        self._read_only = read_only
        self._update_actions()

    def set_evidence_image(self, data: bytes | QImage | None, *, pre_alarm: bool = False) -> bool:
        """The AI snapshot (box from the alarm's ``evidence_box``) or a pre-alarm frame."""
        alarm = self._alarm
        box = alarm.evidence_box if alarm and not pre_alarm else None
        label = labels.alarm_type(alarm.kind, alarm.subtype) if alarm and box else ""
        caption = self.tr("Pre-alarm frame") if pre_alarm else self.tr("AI snapshot")
        if alarm and alarm.kind != "ai_violation" and not pre_alarm:
            caption = self.tr("Snapshot")
        return self.evidence.set_image(data, box=box, label=label, caption=caption)

    def set_trend(self, points: Iterable[Sequence[Any]], limits: GaugeLimits | None = None,
                  title: str = "", end: datetime | None = None) -> None:
        """Readings around the alarm; the alarm's own time is marked on the chart."""
        if limits is not None:
            self.trend.set_limits(limits)
        if title:
            self.trend.set_title(title)
        self.trend.set_points(points, end=end)
        alarm = self._alarm
        if alarm is not None:
            text = labels.alarm_type(alarm.kind, alarm.subtype)
            if alarm.count > 1:
                text = f"×{alarm.count} {text}"
            self.trend.set_alarm_marks([(alarm.opened_at, text)])
        self._arrange(with_trend=True)

    def set_clip_available(self, available: bool) -> None:
        """Offer the AI clip (an alarm whose event brought one); off: back to live."""
        self.clip_button.setVisible(available)
        if not available and self.clip_button.isChecked():
            self.clip_button.setChecked(False)

    def show_live(self) -> None:
        """The live picture is back (the clip could not be played): un-press the button."""
        self.clip_button.blockSignals(True)
        self.clip_button.setChecked(False)
        self.clip_button.blockSignals(False)

    def _on_clip_toggled(self, on: bool) -> None:
        if self._alarm is None:
            return
        self.clip_button.setToolTip(self.tr("Back to the live picture") if on else "")
        (self.clip_requested if on else self.live_requested).emit(self._alarm.id)

    def set_video_widget(self, widget: QWidget | None) -> QWidget | None:
        """Insert the live video; returns the widget it replaced (the console's to keep)."""
        return self.video_slot.set_widget(widget)

    def take_video_widget(self) -> QWidget | None:
        return self.video_slot.set_widget(None)

    def set_dispatch_context(
        self,
        assignees: Sequence[Assignee],
        created_by: str = "",
        policy: DeadlinePolicy | None = None,
        checklists: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Who tasks can go to and the deadline/checklist tables, for the dispatch dialog."""
        self._assignees = list(assignees)
        self._created_by = created_by
        if policy is not None:
            self._policy = policy
        self._checklists = checklists

    # ------------------------------------------------------------------ actions
    def make_dismiss_dialog(self) -> DismissDialog:
        a = self._alarm
        assert a is not None
        return DismissDialog(
            f"{a.business_name or a.business_id} · {labels.alarm_type(a.kind, a.subtype)}",
            common_dismiss_reasons(a.kind, a.subtype), self)

    def make_dispatch_dialog(self) -> DispatchDialog:
        a = self._alarm
        assert a is not None
        image = self.evidence.image()
        return DispatchDialog(
            a, self.business_card.card(), self._assignees, created_by=self._created_by,
            policy=self._policy, checklists=self._checklists, evidence=image,
            clock=self._clock, parent=self)

    def make_escalate_dialog(self) -> NoteDialog:
        return NoteDialog(
            self.tr("Escalate alarm"),
            self.tr("Escalate to the supervising official (挂牌督办). Say why:"),
            required=False, parent=self)

    def ask_dismiss(self) -> None:
        if self._alarm is None:
            return
        dialog = self.make_dismiss_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.dismissed.emit(self._alarm.id, dialog.reason())

    def ask_dispatch(self) -> None:
        if self._alarm is None:
            return
        dialog = self.make_dispatch_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.dispatch_requested.emit(dialog.task_draft())

    def ask_escalate(self) -> None:
        if self._alarm is None:
            return
        dialog = self.make_escalate_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.escalated.emit(self._alarm.id, dialog.note())

    def _on_ack(self) -> None:
        if self._alarm is not None:
            self.acknowledged.emit(self._alarm.id)

    def _update_actions(self) -> None:
        state = self._alarm.state if self._alarm else ""
        has_task = bool(self._alarm and self._alarm.task_id)
        active = state in ("open", "acknowledged")
        self.ack_button.setEnabled(state == "open")
        self.dismiss_button.setEnabled(active)
        self.dispatch_button.setEnabled(active and not has_task)
        self.escalate_button.setEnabled(state in ("open", "acknowledged", "dispatched"))
        self.playback_button.setVisible(bool(self._alarm and self._alarm.camera_id))
        for btn in (self.ack_button, self.dismiss_button, self.dispatch_button,
                    self.escalate_button):
            btn.setVisible(not self._read_only)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._alarm is not None:
            self.closed.emit(self._alarm.id)
        super().closeEvent(event)


class PopupScheduler(QObject):
    """Drives a :class:`PopupQueue` with a timer; emits when the next panel is due.

    Signals:
        popup_due(object): a :class:`PendingPopup` whose panel the console should open now.
        popup_updated(str, object): an alarm already on screen repeated or changed.
        queue_changed(int, int, int): alarms waiting, panels on screen, popups dropped so far
            (the status bar shows the waiting ones).
    """

    popup_due = Signal(object)
    popup_updated = Signal(str, object)
    queue_changed = Signal(int, int, int)

    def __init__(self, min_interval_s: float = 5.0, max_queued: int = 200,
                 parent: QObject | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 max_visible: int | None = None) -> None:
        super().__init__(parent)
        self.queue = PopupQueue(min_interval_s, max_queued, max_visible)
        self._now = monotonic
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._drain)
        self._reported: tuple[int, int, int] = (0, 0, 0)
        self._stopped = False

    def offer(self, alarm_id: str, severity: int, item: Any = None) -> Offer:
        result = self.queue.offer(alarm_id, severity, self._now(), item)
        if result is Offer.ON_SCREEN:
            self.popup_updated.emit(alarm_id, item)
        self._drain()
        return result

    def closed(self, alarm_id: str) -> None:
        """A panel was closed: room for the next waiting alarm (after the interval)."""
        self.queue.closed(alarm_id)
        self._drain()

    def discard(self, alarm_id: str) -> None:
        self.queue.discard(alarm_id)
        if not len(self.queue):
            self._timer.stop()
        self._report()

    def show_next(self) -> bool:
        """The operator asked for the next waiting alarm now (no interval wait)."""
        entry = None if self._stopped else self.queue.pop_next(self._now())
        if entry is not None:
            self.popup_due.emit(entry)
        self._drain()
        return entry is not None

    def pending(self) -> list[PendingPopup]:
        return self.queue.pending()

    def stop(self) -> None:
        """No more popups (the console is closing)."""
        self._stopped = True
        self._timer.stop()

    def waiting(self) -> int:
        return len(self.queue)

    def _drain(self) -> None:
        if self._stopped:
            return
        now = self._now()
        entry = self.queue.pop_due(now)
        if entry is not None:
            self.popup_due.emit(entry)
        wait = self.queue.seconds_until_due(self._now())
        if wait is None:
            self._timer.stop()
        elif not self._timer.isActive() or entry is not None:
            self._timer.start(max(1, int(wait * 1000) + 1))
        self._report()

    def _report(self) -> None:
        state = (len(self.queue), len(self.queue.on_screen), self.queue.dropped)
        if state != self._reported:
            self._reported = state
            self.queue_changed.emit(*state)
