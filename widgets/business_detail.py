"""Everything about one kitchen on one screen: sensor history, cameras, ledgers, alarms, tasks.

Each sensor gets a trend chart for the last 24 h or 7 days with its rule's limit band and a mark
at every alarm it raised. Central downsamples long ranges in SQL into buckets carrying their
average, minimum and maximum; the chart draws the min–max envelope as a shaded band and the
average as the curve, except where a bucket went beyond a limit: there the curve takes the
bucket's extreme, so a ten-minute excursion over 25 °C still reaches over the limit line (and
gets its breach shading) at the 7-day zoom instead of being averaged away.

The licence ledger is highlighted when the licence has expired or expires within 30 days.
Like every widget here it only displays: the console fetches the history when
``history_requested`` asks for it and puts cameras on the wall on ``camera_activated``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from domain.clock import utcnow
from domain.rules import DEFAULT_CABINET
from widgets import labels
from widgets.alarm_text import describe
from widgets.business_card import BusinessCardWidget, licence_status
from widgets.formatting import date_text, datetime_text, number_text
from widgets.gauges import GaugeLimits
from widgets.models.rows import AlarmRow, BusinessCard, TaskRow, parse_ts
from widgets.theme import (
    OVERDUE_COLOR,
    alarm_state_color,
    rule_state_color,
    severity_color,
    task_state_color,
    ui_font,
)
from widgets.trend import SensorTrendChart, TrendSpan

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LICENCE_WARN_DAYS = 30


@dataclass(frozen=True)
class SensorInfo:
    """A ``Sensor`` row as the detail view needs it."""

    id: str
    kind: str
    location: str = ""
    camera_id: str | None = None
    params: Mapping[str, Any] | None = None
    rule_state: str = "normal"
    online: bool = True
    last_value: float | None = None
    last_ts: datetime | None = None

    @classmethod
    def from_payload(cls, row: Mapping[str, Any]) -> SensorInfo:
        return cls(id=str(row["id"]), kind=str(row.get("kind") or ""),
                   location=str(row.get("location") or ""), camera_id=row.get("camera_id"),
                   params=row.get("params") or {}, rule_state=str(row.get("rule_state") or ""),
                   online=bool(row.get("online", True)), last_value=row.get("last_value"),
                   last_ts=parse_ts(row.get("last_ts"), "sensor.last_ts"))

    @property
    def limits(self) -> GaugeLimits:
        if self.kind == "disinfection_cabinet":
            return GaugeLimits()  # a cycle rule, not a band: shown as a target line
        return GaugeLimits.from_params(self.params, self.kind)

    @property
    def target_temp(self) -> float | None:
        if self.kind != "disinfection_cabinet":
            return None
        value = (self.params or {}).get("target_temp", DEFAULT_CABINET["target_temp"])
        return float(value) if value is not None else None


def chart_values(points: Sequence[Sequence[Any]], limits: GaugeLimits) -> list[list[Any]]:
    """``[ts, value, humidity]`` rows for the trend from the endpoint's
    ``[ts, avg, humidity, min, max]``: the average, or the bucket's extreme where it crossed
    a limit (see the module docstring)."""
    out = []
    for row in points:
        if len(row) < 2 or row[1] is None:
            continue
        value = float(row[1])
        lo = row[3] if len(row) > 3 and row[3] is not None else value
        hi = row[4] if len(row) > 4 and row[4] is not None else value
        if limits.temp_high is not None and hi > limits.temp_high:
            value = float(hi)
        elif limits.temp_low is not None and lo < limits.temp_low:
            value = float(lo)
        out.append([row[0], value, row[2] if len(row) > 2 else None])
    return out


def licence_text(expiry: date | None, today: date) -> tuple[str, str]:
    """(status code, words) for the licence ledger."""
    translate = QCoreApplication.translate
    state = licence_status(expiry, today, LICENCE_WARN_DAYS)
    if expiry is None:
        return state, translate("BusinessDetailView", "no expiry date recorded")
    days = (expiry - today).days
    if state == "expired":
        return state, translate("BusinessDetailView", "expired %1 days ago").replace(
            "%1", str(-days))
    if state == "expiring":
        return state, (translate("BusinessDetailView", "expires today") if days == 0
                       else translate("BusinessDetailView", "expires in %1 days").replace(
                           "%1", str(days)))
    return state, translate("BusinessDetailView", "valid")


class SensorHistoryPanel(QWidget):
    """One sensor: its title, state, and the trend with band, envelope and alarm marks."""

    range_requested = Signal(str, object, object)  # sensor id, from, to

    def __init__(self, sensor: SensorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sensor = sensor
        self.setObjectName(f"sensor-history-{sensor.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        head = QHBoxLayout()
        title = " · ".join(x for x in (sensor.location, labels.sensor_kind(sensor.kind),
                                       sensor.limits.text()) if x)
        self.title = QLabel(title)
        self.title.setFont(ui_font(bold=True))
        self.state = QLabel()
        head.addWidget(self.title, 1)
        head.addWidget(self.state)
        layout.addLayout(head)
        self.chart = SensorTrendChart(redraw_hz=8.0)
        self.chart.setMinimumHeight(230)
        self.chart.set_limits(sensor.limits)
        self.chart.span_changed.connect(
            lambda start, end: self.range_requested.emit(sensor.id, start, end))
        layout.addWidget(self.chart)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        pi = self.chart.plot_item
        self._lo_curve = pg.PlotDataItem(pen=pg.mkPen(None))
        self._hi_curve = pg.PlotDataItem(pen=pg.mkPen(None))
        envelope = QColor(self.chart.curve.opts["pen"].color())
        envelope.setAlpha(55)
        self.envelope = pg.FillBetweenItem(self._lo_curve, self._hi_curve, brush=envelope)
        self.envelope.setZValue(-10)
        for item in (self._lo_curve, self._hi_curve, self.envelope):
            pi.addItem(item, ignoreBounds=True)
        self.target_line: pg.InfiniteLine | None = None
        if sensor.target_temp is not None:
            self.target_line = pg.InfiniteLine(
                pos=sensor.target_temp, angle=0, movable=False,
                pen=pg.mkPen(rule_state_color("warning"), width=1, style=Qt.PenStyle.DashLine),
                label=self.tr("target %1 °C").replace("%1", number_text(sensor.target_temp, 0)),
                labelOpts={"position": 0.05, "color": rule_state_color("warning")})
            pi.addItem(self.target_line, ignoreBounds=True)
        self.downsampled = False
        self.set_state(sensor.rule_state, sensor.online)

    def set_state(self, rule_state: str, online: bool) -> None:
        state = rule_state if online else "offline"
        self.state.setText(labels.rule_state(state) if state else "")
        colour = rule_state_color(state if state in ("normal", "warning", "breach", "offline")
                                  else ("breach" if state == "invalid" else "normal"))
        self.state.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")

    def set_history(self, points: Sequence[Sequence[Any]], span: TrendSpan,
                    downsampled: bool = False) -> None:
        """The endpoint's points for ``span`` (ending now)."""
        self.notice.hide()
        self.downsampled = downsampled
        rows = chart_values(points, self.sensor.limits)
        self.chart.set_span(span)
        self.chart.set_points(rows)
        t, lo, hi = [], [], []
        for row in points:
            when = parse_ts(row[0], "points.ts") if row else None
            if when is None or len(row) < 5 or row[3] is None or row[4] is None:
                continue
            t.append(when.timestamp())
            lo.append(float(row[3]))
            hi.append(float(row[4]))
        if downsampled and t:
            self._lo_curve.setData(np.asarray(t), np.asarray(lo))
            self._hi_curve.setData(np.asarray(t), np.asarray(hi))
        else:  # raw readings: min = max = value, nothing to shade
            self._lo_curve.setData([], [])
            self._hi_curve.setData([], [])
        if not rows:
            self.show_notice(self.tr("No readings in this period."))

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {rule_state_color('breach').name()};" if error
                                  else "color: palette(mid);")
        self.notice.show()

    def set_alarms(self, alarms: Iterable[AlarmRow]) -> None:
        marks = []
        for alarm in alarms:
            if alarm.sensor_id != self.sensor.id:
                continue
            text = labels.alarm_type(alarm.kind, alarm.subtype)
            marks.append((alarm.opened_at, f"×{alarm.count} {text}" if alarm.count > 1
                          else text))
        self.chart.set_alarm_marks(marks)

    def append_reading(self, ts: Any, value: float, humidity: float | None) -> None:
        self.chart.append_reading(ts, value, humidity)

    def flush(self) -> None:
        """Draw now (tests, benchmarks); the chart otherwise coalesces redraws."""
        self.chart._redraw.flush()  # the chart has no public flush; its throttle does


def _item(text: str, data: Any = None, colour: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(ID_ROLE, data)
    if colour is not None:
        item.setForeground(QBrush(colour))
    return item


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class BusinessDetailView(QWidget):
    """Signals: ``history_requested(sensor_id, from, to)`` — fetch and call
    :meth:`set_history`; ``camera_activated(camera_id)`` — show it on the wall;
    ``cameras_requested(list[camera_id])`` — show them all."""

    history_requested = Signal(str, object, object)
    camera_activated = Signal(str)
    cameras_requested = Signal(list)
    #: "Export disinfection ledger…": the console downloads the 清洗消毒台账 from central.
    disinfection_ledger_requested = Signal()

    def __init__(self, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today,
                 clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(parent)
        self._today = today
        self._clock = clock
        self.business: BusinessCard | None = None
        self.sensor_panels: dict[str, SensorHistoryPanel] = {}
        self._alarms: list[AlarmRow] = []
        self.setObjectName("businessDetail")
        self.resize(1100, 820)
        root = QVBoxLayout(self)
        self.card = BusinessCardWidget(today=today, licence_warn_days=LICENCE_WARN_DAYS)
        root.addWidget(self.card)
        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)

        sensors = QWidget()
        self._sensor_layout = QVBoxLayout(sensors)
        self._sensor_layout.setContentsMargins(4, 4, 4, 4)
        self.no_sensors = QLabel(self.tr("This business has no sensors."))
        self._sensor_layout.addWidget(self.no_sensors)
        self._sensor_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(sensors)
        self.tabs.addTab(scroll, self.tr("Sensors"))

        cams = QWidget()
        cam_layout = QVBoxLayout(cams)
        self.camera_list = QListWidget()
        self.camera_list.itemDoubleClicked.connect(self._on_camera_item)
        self.camera_list.itemActivated.connect(self._on_camera_item)
        cam_layout.addWidget(self.camera_list, 1)
        buttons = QHBoxLayout()
        self.show_camera_button = QPushButton(self.tr("Show on the wall"))
        self.show_camera_button.clicked.connect(self._on_show_camera)
        self.show_all_button = QPushButton(self.tr("Show all cameras on the wall"))
        self.show_all_button.clicked.connect(self._on_show_all)
        buttons.addWidget(self.show_camera_button)
        buttons.addWidget(self.show_all_button)
        buttons.addStretch(1)
        cam_layout.addLayout(buttons)
        self.tabs.addTab(cams, self.tr("Cameras"))

        self.ledger_table = _table([self.tr("Ledger"), self.tr("Number"),
                                    self.tr("Valid until"), self.tr("Status")])
        ledgers = QWidget()
        ledger_layout = QVBoxLayout(ledgers)
        ledger_layout.addWidget(self.ledger_table, 1)
        ledger_buttons = QHBoxLayout()
        self.disinfection_button = QPushButton(self.tr("Export disinfection ledger (Excel)…"))
        self.disinfection_button.setObjectName("export-disinfection-ledger")
        self.disinfection_button.setToolTip(self.tr(
            "The 30 days' cleaning and disinfection ledger written from the cabinet sensors: "
            "one row per meal, a missing cycle in red"))
        self.disinfection_button.clicked.connect(self.disinfection_ledger_requested)
        ledger_buttons.addWidget(self.disinfection_button)
        ledger_buttons.addStretch(1)
        ledger_layout.addLayout(ledger_buttons)
        self.disinfection_note = QLabel()
        self.disinfection_note.setWordWrap(True)
        ledger_layout.addWidget(self.disinfection_note)
        self.tabs.addTab(ledgers, self.tr("Ledgers"))
        self.alarm_table = _table([self.tr("Opened"), self.tr("Type"), self.tr("Severity"),
                                   self.tr("State"), self.tr("Count"), self.tr("Message")])
        self.tabs.addTab(self.alarm_table, self.tr("Alarms"))
        self.task_table = _table([self.tr("Created"), self.tr("Title"), self.tr("State"),
                                  self.tr("Assignee"), self.tr("Deadline")])
        self.tabs.addTab(self.task_table, self.tr("Tasks"))

    # ------------------------------------------------------------------ content
    def set_mask_personal(self, mask: bool) -> None:
        self.card.set_mask_personal(mask)

    def set_business(self, card: BusinessCard) -> None:
        self.business = card
        self.card.set_card(card)
        self.setWindowTitle(self.tr("%1 — business details").replace("%1", card.name))
        self._fill_ledgers(card)

    def set_sensors(self, sensors: Sequence[SensorInfo], span: TrendSpan = TrendSpan.DAY) -> None:
        """One history panel per sensor; each asks for ``span`` of history at once."""
        for panel in self.sensor_panels.values():
            panel.setParent(None)
            panel.deleteLater()
        self.sensor_panels = {}
        self.no_sensors.setVisible(not sensors)
        end = self._clock()
        for position, sensor in enumerate(sensors):
            panel = SensorHistoryPanel(sensor)
            panel.range_requested.connect(self.history_requested)
            panel.chart.set_span(span)
            panel.set_alarms(self._alarms)
            self._sensor_layout.insertWidget(position + 1, panel)
            self.sensor_panels[sensor.id] = panel
        for sensor in sensors:
            self.history_requested.emit(sensor.id, end - span.value, end)

    def set_history(self, sensor_id: str, points: Sequence[Sequence[Any]], start: datetime,
                    end: datetime, downsampled: bool = False) -> None:
        panel = self.sensor_panels.get(sensor_id)
        if panel is None:
            return
        span = TrendSpan.WEEK if end - start > timedelta(days=1, hours=1) else TrendSpan.DAY
        panel.set_history(points, span, downsampled)

    def set_history_error(self, sensor_id: str, message: str) -> None:
        panel = self.sensor_panels.get(sensor_id)
        if panel is not None:
            panel.show_notice(self.tr("History not available: %1").replace("%1", message),
                              error=True)

    def on_reading(self, message: Mapping[str, Any]) -> None:
        """A live reading (WebSocket): extends the sensor's curve and its state."""
        panel = self.sensor_panels.get(str(message.get("sensor_id") or ""))
        if panel is None or message.get("value") is None:
            return
        panel.append_reading(message.get("ts"), float(message["value"]),
                             message.get("humidity"))
        if message.get("rule_state"):
            panel.set_state(str(message["rule_state"]), True)

    def set_cameras(self, cameras: Sequence[Mapping[str, Any]]) -> None:
        self.camera_list.clear()
        for cam in cameras:
            online = bool(cam.get("online", True))
            health = str(cam.get("health") or "")
            state = self.tr("online") if online else self.tr("offline")
            if online and health and health not in ("unknown", "online", "playing"):
                state += f" · {health}"
            text = " · ".join(x for x in (str(cam.get("name") or cam["id"]),
                                          str(cam.get("location") or ""), state) if x)
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, str(cam["id"]))
            item.setToolTip(str(cam["id"]))
            if not online:
                item.setForeground(QBrush(rule_state_color("offline")))
            self.camera_list.addItem(item)
        has = bool(cameras)
        self.show_camera_button.setEnabled(has)
        self.show_all_button.setEnabled(has)
        if has:
            self.camera_list.setCurrentRow(0)

    def set_alarms(self, alarms: Sequence[AlarmRow]) -> None:
        """The business's alarms, newest first; sensor alarms also mark the charts."""
        self._alarms = sorted(alarms, key=lambda a: a.opened_at, reverse=True)
        table = self.alarm_table
        table.setRowCount(len(self._alarms))
        for row, alarm in enumerate(self._alarms):
            cells = (
                _item(datetime_text(alarm.opened_at), alarm.id),
                _item(labels.alarm_type(alarm.kind, alarm.subtype)),
                _item(labels.severity(alarm.severity), colour=severity_color(alarm.severity)),
                _item(labels.alarm_state(alarm.state), colour=alarm_state_color(alarm.state)),
                _item(str(alarm.count)),
                _item(describe(alarm)),
            )
            for col, item in enumerate(cells):
                table.setItem(row, col, item)
        for panel in self.sensor_panels.values():
            panel.set_alarms(self._alarms)

    def set_tasks(self, tasks: Sequence[TaskRow]) -> None:
        now = self._clock()
        rows = sorted(tasks, key=lambda t: t.created_at, reverse=True)
        table = self.task_table
        table.setRowCount(len(rows))
        for row, task in enumerate(rows):
            overdue = (task.deadline is not None and task.deadline < now
                       and task.state not in ("closed", "rejected"))
            deadline = datetime_text(task.deadline) if task.deadline else "—"
            if overdue:
                deadline += " " + self.tr("(overdue)")
            cells = (
                _item(datetime_text(task.created_at), task.id),
                _item(task.title),
                _item(labels.task_state(task.state), colour=task_state_color(task.state)),
                _item(task.assignee_name or task.assignee or "—"),
                _item(deadline, colour=QColor(OVERDUE_COLOR) if overdue else None),
            )
            for col, item in enumerate(cells):
                table.setItem(row, col, item)

    # ------------------------------------------------------------------ ledgers
    def licence_state(self) -> str:
        """``expired`` / ``expiring`` / ``valid`` / ``unknown`` as the ledger shows it."""
        if self.business is None:
            return "unknown"
        return licence_status(self.business.licence_expiry, self._today(), LICENCE_WARN_DAYS)

    def _fill_ledgers(self, card: BusinessCard) -> None:
        state, words = licence_text(card.licence_expiry, self._today())
        colour = {"expired": rule_state_color("breach"),
                  "expiring": rule_state_color("warning")}.get(state)
        cells = (_item(self.tr("Food business licence"), "licence"),
                 _item(card.licence_no or "—"),
                 _item(date_text(card.licence_expiry) if card.licence_expiry else "—",
                       colour=colour),
                 _item(words, state, colour=colour))
        self.ledger_table.setRowCount(1)
        for col, item in enumerate(cells):
            if colour is not None:
                background = QColor(colour)
                background.setAlpha(40)
                item.setBackground(QBrush(background))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.ledger_table.setItem(0, col, item)

    # ------------------------------------------------------------------ cameras
    def _on_camera_item(self, item: QListWidgetItem) -> None:
        self.camera_activated.emit(str(item.data(ID_ROLE)))

    def _on_show_camera(self) -> None:
        item = self.camera_list.currentItem()
        if item is not None:
            self.camera_activated.emit(str(item.data(ID_ROLE)))

    def _on_show_all(self) -> None:
        ids = [str(self.camera_list.item(i).data(ID_ROLE))
               for i in range(self.camera_list.count())]
        if ids:
            self.cameras_requested.emit(ids)
