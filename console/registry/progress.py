"""Onboarding progress: per district and street the target, businesses with a camera, cameras
ever online, online now and the share of the target; the businesses with no working camera
yet; export to .xlsx or CSV. The numbers come from :mod:`console.registry.onboarding` (Qt-free);
an administrator edits a target in place (``onboarding_target.set`` through the outbox).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.registry import onboarding
from console.shell.aio import spawn
from console.sync.store import LocalStore
from domain.roles import Role

log = logging.getLogger("kitchenwatch.console.registry.progress")
TARGET_COLUMN = 2


class ProgressDialog(QDialog):
    def __init__(self, store: LocalStore, user: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onboarding-progress")
        self.setWindowTitle(self.tr("Onboarding progress"))
        self.store = store
        self.user = user
        self.scope: str | None = user.get("district_id") or None
        self.can_edit = user.get("role") == Role.ADMIN
        self.progress = onboarding.Progress()
        self.table = QTableWidget(0, len(self.headers()))
        self.table.setObjectName("progress-table")
        self.table.setHorizontalHeaderLabels(self.headers())
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._target_edited)
        self.waiting = QTableWidget(0, len(self.waiting_headers()))
        self.waiting.setObjectName("waiting-table")
        self.waiting.setHorizontalHeaderLabels(self.waiting_headers())
        self.waiting.verticalHeader().hide()
        self.waiting.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.waiting.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        tabs = QTabWidget()
        tabs.addTab(self.table, self.tr("Districts and streets"))
        tabs.addTab(self.waiting, self.tr("No working camera yet"))
        self.status = QLabel()
        self.status.setObjectName("progress-status")
        self.status.setWordWrap(True)
        note = QLabel(self.tr("A camera counts as ever online once a wall or the media "
                              "platform has reported it online or playing; a business is "
                              "connected when one of its cameras was ever online.")
                      + ("" if not self.can_edit else " " + self.tr(
                          "Double-click a target to change it.")))
        note.setWordWrap(True)
        note.setStyleSheet("color:#64748b;")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        xlsx = QPushButton(self.tr("Export to Excel…"))
        xlsx.clicked.connect(lambda: self.export_dialog("xlsx"))
        csv_button = QPushButton(self.tr("Export to CSV…"))
        csv_button.clicked.connect(lambda: self.export_dialog("csv"))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        for button in (refresh, xlsx, csv_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.resize(1000, 560)
        self._filling = False

    def headers(self) -> list[str]:
        return [self.tr("District"), self.tr("Street / township"), self.tr("Target"),
                self.tr("Businesses"), self.tr("With a camera"), self.tr("Cameras"),
                self.tr("Ever online"), self.tr("Online now"), self.tr("Connected"),
                self.tr("Share of target")]

    def waiting_headers(self) -> list[str]:
        return [self.tr("Business id"), self.tr("Business"), self.tr("District"),
                self.tr("Street / township"), self.tr("Cameras"),
                self.tr("Responsible official"), self.tr("Phone")]

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        spawn(self.load(), "onboarding progress")

    async def load(self) -> None:
        self.progress = await self.store.read(onboarding.compute)
        if self.scope:
            self.progress.rows = [r for r in self.progress.rows if r.district_id == self.scope]
        self.fill()

    def fill(self) -> None:
        self._filling = True
        try:
            rows = self.progress.rows
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                share = "" if row.share is None else f"{row.share:.0%}"
                street = (self.tr("(whole district)") if row.level == "district"
                          else row.street or self.tr("(no street)"))
                cells = [row.district, street,
                         "" if row.target is None else str(row.target), str(row.businesses),
                         str(row.with_camera), str(row.cameras), str(row.cameras_ever_online),
                         str(row.cameras_online), str(row.connected), share]
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    editable = (c == TARGET_COLUMN and self.can_edit
                                and (row.level == "district" or bool(row.street_id)))
                    flags = item.flags()
                    item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable
                                  else flags & ~Qt.ItemFlag.ItemIsEditable)
                    if c >= TARGET_COLUMN:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
            waiting = self.progress.waiting
            self.waiting.setRowCount(len(waiting))
            for r, w in enumerate(waiting):
                for c, text in enumerate([w.business_id, w.name, w.district, w.street,
                                          str(w.cameras), w.official, w.phone]):
                    self.waiting.setItem(r, c, QTableWidgetItem(text))
            self.status.setText(self.tr("%1 businesses have no working camera yet.")
                                .replace("%1", str(len(waiting))))
        finally:
            self._filling = False

    def _target_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != TARGET_COLUMN:
            return
        row = self.progress.rows[item.row()]
        text = item.text().strip()
        if not text.isdigit() or int(text) > 1_000_000:
            self.status.setText(self.tr("A target is a whole number of businesses."))
            self.fill()
            return
        spawn(self.set_target(row, int(text)), "onboarding target")

    async def set_target(self, row: onboarding.ProgressRow, businesses: int) -> None:
        payload = {"district_id": row.district_id, "street_id": row.street_id,
                   "businesses": businesses}
        await self.store.record_action("onboarding_target.set", payload)
        row.target = businesses
        self.fill()
        self.status.setText(self.tr("Target saved; it is sent to the server."))

    # -- export ----------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        name = self.tr("Onboarding progress") + (".xlsx" if kind == "xlsx" else ".csv")
        filters = "Excel (*.xlsx)" if kind == "xlsx" else "CSV (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), name, filters)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        progress = onboarding.table(self.progress, self.headers())
        if path.suffix.lower() == ".xlsx":
            onboarding.write_xlsx(path, {
                self.tr("Progress"): progress,
                self.tr("No working camera yet"): onboarding.waiting_table(
                    self.progress, self.waiting_headers())})
        else:
            onboarding.write_csv(path, progress)
        self.status.setText(self.tr("Exported to %1").replace("%1", str(path)))
