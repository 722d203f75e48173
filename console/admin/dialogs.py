"""Administration views for the ``admin`` role: the alarm rule parameters of every sensor
(from the local cache; they change through the ``sensor.params`` action). Accounts are
:mod:`console.accounts` (Administration → Accounts…).
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.shell.aio import spawn
from console.sync.store import LocalStore

log = logging.getLogger("kitchenwatch.console.admin")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.setSortingEnabled(True)


class RuleParametersDialog(QDialog):
    """Per-sensor rule parameters as this console last synced them."""

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rule-parameters-dialog")
        self.setWindowTitle(self.tr("Alarm rule parameters"))
        self.store = store
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by business, location, kind or sensor"))
        self.filter.textChanged.connect(self._apply_filter)
        self.table = _table([self.tr("Business"), self.tr("Location"), self.tr("Kind"),
                             self.tr("Sensor"), self.tr("Rule state"),
                             self.tr("Parameters set on this sensor")])
        self.status = QLabel(self.tr("Reading the local data…"))
        note = QLabel(self.tr("Parameters not listed use the server's defaults for the sensor "
                              "kind. They are changed with the sensor.params action."))
        note.setWordWrap(True)
        note.setStyleSheet("color:#64748b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(960, 560)
        self.rows: list[list[str]] = []
        self.loading = None

    def refresh(self) -> None:
        self.loading = spawn(self._load(), name="admin-rule-params")

    async def _load(self) -> None:
        snap = await self.store.registry()
        names = {b["id"]: b.get("name", b["id"]) for b in snap.businesses}
        rows = []
        custom = 0
        for sensor in sorted(snap.sensors, key=lambda s: (names.get(s.get("business_id"), ""),
                                                          s.get("id", ""))):
            params = sensor.get("params") or {}
            custom += bool(params)
            rows.append([names.get(sensor.get("business_id"), str(sensor.get("business_id"))),
                         str(sensor.get("location") or ""), str(sensor.get("kind") or ""),
                         str(sensor.get("id") or ""), str(sensor.get("rule_state") or ""),
                         json.dumps(params, ensure_ascii=False, sort_keys=True)
                         if params else self.tr("(server defaults)")])
        self.rows = rows
        _fill(self.table, rows)
        self._apply_filter(self.filter.text())
        self.status.setText(self.tr("%1 sensors, %2 with parameters of their own")
                            .replace("%1", str(len(rows))).replace("%2", str(custom)))

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in range(self.table.columnCount())]
            hay = " ".join(c.text() for c in cells if c is not None).lower()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)

    def visible_rows(self) -> int:
        return sum(not self.table.isRowHidden(r) for r in range(self.table.rowCount()))


def show_rule_parameters(store: LocalStore, parent: QWidget) -> RuleParametersDialog:
    dialog = RuleParametersDialog(store, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.refresh()
    return dialog
