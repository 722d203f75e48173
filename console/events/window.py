"""The Major events window (重大活动保障): pick an event, see the meals past due without a
sign-off, sign one off as passed or with a problem (a note), tour the event's reception
kitchens on the wall, save the event's report."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.events.model import EventInfo, EventsModel
from console.shell.aio import spawn
from console.sync.client import SyncError
from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels

log = logging.getLogger("kitchenwatch.console.events")
PARAMS = {"max_temp": QT_TRANSLATE_NOOP("MajorEventsWindow", "upper limit %1 °C"),
          "min_temp": QT_TRANSLATE_NOOP("MajorEventsWindow", "lower limit %1 °C"),
          "max_humidity": QT_TRANSLATE_NOOP("MajorEventsWindow", "humidity limit %1 %RH"),
          "hold_s": QT_TRANSLATE_NOOP("MajorEventsWindow", "alarm after %1 s"),
          "critical_margin": QT_TRANSLATE_NOOP("MajorEventsWindow", "critical %1 °C beyond"),
          "target_temp": QT_TRANSLATE_NOOP("MajorEventsWindow", "cycle at %1 °C"),
          "hold_min": QT_TRANSLATE_NOOP("MajorEventsWindow", "held %1 min"),
          "max_gap_s": QT_TRANSLATE_NOOP("MajorEventsWindow", "data gap at most %1 s"),
          "window_before_min": QT_TRANSLATE_NOOP("MajorEventsWindow",
                                                 "done %1 min before service")}
MEALS = {"breakfast": QT_TRANSLATE_NOOP("MajorEventsWindow", "Breakfast"),
         "lunch": QT_TRANSLATE_NOOP("MajorEventsWindow", "Lunch"),
         "dinner": QT_TRANSLATE_NOOP("MajorEventsWindow", "Dinner")}


class MajorEventsWindow(QDialog):
    def __init__(self, model: EventsModel, names: Callable[[], dict[str, str]],
                 tour: Callable[[Sequence[str], str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._names = names
        self._tour = tour
        self.events: list[EventInfo] = []
        self.setObjectName("majorEvents")
        self.setWindowTitle(self.tr("Major events"))
        self.resize(860, 600)
        layout = QVBoxLayout(self)
        self.event_list = QListWidget()
        self.event_list.currentRowChanged.connect(self._show_event)
        layout.addWidget(QLabel(self.tr("Events")))
        layout.addWidget(self.event_list, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        layout.addWidget(QLabel(self.tr("Meals past due without a sign-off")))
        self.missing = QTableWidget(0, 3)
        self.missing.setHorizontalHeaderLabels([self.tr("Reception kitchen"), self.tr("Day"),
                                                self.tr("Meal")])
        self.missing.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.missing.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.missing.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.missing.verticalHeader().hide()
        self.missing.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.missing, 2)
        buttons = QHBoxLayout()
        self.passed_button = QPushButton(self.tr("Sign off: passed"))
        self.passed_button.clicked.connect(lambda: self.sign_selected("passed"))
        self.problem_button = QPushButton(self.tr("Sign off: problem found…"))
        self.problem_button.clicked.connect(self._ask_problem)
        self.tour_button = QPushButton(self.tr("Tour the reception kitchens"))
        self.tour_button.clicked.connect(self.tour_kitchens)
        self.tour_button.setVisible(tour is not None)
        self.report_button = QPushButton(self.tr("Save report…"))
        self.report_button.clicked.connect(self._ask_report)
        for button in (self.passed_button, self.problem_button, self.tour_button,
                       self.report_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- content ---------------------------------------------------------------------------
    async def reload(self) -> None:
        try:
            events = await self.model.events()
        except SyncError as exc:
            self.status.setText(self.tr("Events could not be loaded: %1").replace(
                "%1", exc.message))
            return
        current = self.current()
        self.events = events
        self.event_list.blockSignals(True)
        self.event_list.clear()
        for event in events:
            state = self.tr("in progress") if event.active else ""
            text = self.tr("%1 · %2 → %3 · %4 kitchens").replace("%1", event.name).replace(
                "%2", event.starts_at[:16].replace("T", " ")).replace(
                "%3", event.ends_at[:16].replace("T", " ")).replace(
                "%4", str(len(event.business_ids)))
            item = QListWidgetItem(f"{text} · {state}" if state else text)
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            self.event_list.addItem(item)
        self.event_list.blockSignals(False)
        ids = [e.id for e in events]
        row = ids.index(current.id) if current is not None and current.id in ids else 0
        if events:
            self.event_list.setCurrentRow(row)
        self._show_event(row if events else -1)
        if not events:
            self.status.setText(self.tr("No major event in your scope."))

    def current(self) -> EventInfo | None:
        row = self.event_list.currentRow()
        return self.events[row] if 0 <= row < len(self.events) else None

    def _show_event(self, row: int) -> None:
        event = self.events[row] if 0 <= row < len(self.events) else None
        names = self._names()
        self.missing.setRowCount(0)
        if event is None:
            self.detail.setText("")
            self._update_buttons()
            return
        kitchens = "、".join(names.get(b, b) for b in event.business_ids)
        limits = "; ".join(f"{labels.sensor_kind(kind)}: "
                           + ", ".join(self._param(k, v) for k, v in params.items())
                           for kind, params in event.overrides.items()) or "—"
        self.detail.setText("\n".join([
            self.tr("Reception kitchens: %1").replace("%1", kitchens),
            self.tr("Tighter limits: %1").replace("%1", limits),
            self.tr("Meals signed off: %1").replace("%1", str(event.signoffs))]))
        self.missing.setRowCount(len(event.missing))
        for r, (business, day, meal) in enumerate(event.missing):
            template = MEALS.get(meal)
            values = [names.get(business, business), day,
                      self.tr(template) if template else meal]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, (business, day, meal))
                self.missing.setItem(r, c, item)
        if event.missing:
            self.missing.selectRow(0)
        self._update_buttons()

    def _param(self, name: str, value: float) -> str:
        template = PARAMS.get(name)
        return self.tr(template).replace("%1", f"{value:g}") if template else f"{name} {value:g}"

    def _update_buttons(self) -> None:
        has_missing = self.missing.rowCount() > 0
        self.passed_button.setEnabled(has_missing)
        self.problem_button.setEnabled(has_missing)
        has_event = self.current() is not None
        self.tour_button.setEnabled(has_event)
        self.report_button.setEnabled(has_event)

    # -- acts ------------------------------------------------------------------------------
    def selected_meal(self) -> tuple[str, str, str] | None:
        row = self.missing.currentRow()
        item = self.missing.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def sign_selected(self, verdict: str, note: str = "") -> None:
        spawn(self.sign(verdict, note), name="event-signoff")

    async def sign(self, verdict: str, note: str = "") -> bool:
        event, meal = self.current(), self.selected_meal()
        if event is None or meal is None:
            return False
        business, day, which = meal
        await self.model.sign_off(event.id, business, day, which, verdict, note)
        self.missing.removeRow(self.missing.currentRow())
        self.status.setText(self.tr("Signed off; central records it when the connection "
                                    "allows."))
        self._update_buttons()
        return True

    def _ask_problem(self) -> None:
        note, ok = QInputDialog.getMultiLineText(self, self.tr("Problem found"),
                                                 self.tr("What was seen:"))
        if ok and note.strip():
            self.sign_selected("problem", note.strip())

    def tour_kitchens(self) -> bool:
        event = self.current()
        if event is None or self._tour is None:
            return False
        return self._tour(event.business_ids, event.name)

    def _ask_report(self) -> None:
        event = self.current()
        if event is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the event's report"),
                                              f"{event.name}.xlsx", "Excel (*.xlsx)")
        if path:
            spawn(self.save_report(Path(path)), name="event-report")

    async def save_report(self, path: Path) -> bool:
        event = self.current()
        if event is None:
            return False
        try:
            data = await self.model.report(event.id)
        except SyncError as exc:
            self.status.setText(self.tr("The report could not be loaded: %1").replace(
                "%1", exc.message))
            return False
        path.write_bytes(data)
        self.status.setText(self.tr("Report saved: %1").replace("%1", str(path)))
        return True
