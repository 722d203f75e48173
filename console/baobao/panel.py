"""The 包保 figures panel: coverage, supervision rate and the overdue visits, as central
computes them for the user's scope (``GET /api/baobao/figures``), per street and official."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from console.baobao.text import level_text, look_how_text, short_time
from console.shell.aio import spawn
from widgets import labels

log = logging.getLogger("kitchenwatch.console.baobao")
REFRESH_MS = 5 * 60 * 1000


class BaobaoPanel(QWidget):
    """Figures and the overdue list; ``business_chosen`` when a row is double-clicked."""

    business_chosen = Signal(str)
    visit_requested = Signal(str)  # "Record a visit…" on the selected overdue business

    def __init__(self, client: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("baobao-panel")
        self.client = client
        self.figures: dict[str, Any] = {}
        root = QVBoxLayout(self)
        head = QHBoxLayout()
        self.coverage = QLabel()
        self.supervision = QLabel()
        self.overdue_count = QLabel()
        for label in (self.coverage, self.supervision, self.overdue_count):
            label.setObjectName("baobao-figure")
            label.setStyleSheet("font-size: 15px; font-weight: bold; padding: 2px 10px;")
            head.addWidget(label)
        head.addStretch(1)
        self.status = QLabel()  # its own line: the figures' row stays narrow in a dock
        self.visit_button = QPushButton(self.tr("Record a visit…"))
        self.visit_button.setEnabled(False)
        self.visit_button.clicked.connect(self._visit)
        head.addWidget(self.visit_button)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        root.addLayout(head)
        root.addWidget(self.status)
        self.tabs = QTabWidget()
        self.overdue = self._table([self.tr("Business"), self.tr("Category"),
                                    self.tr("Official"), self.tr("Last visit"),
                                    self.tr("Days overdue")])
        self.overdue.cellDoubleClicked.connect(self._chosen)
        self.overdue.itemSelectionChanged.connect(
            lambda: self.visit_button.setEnabled(self.selected_business() is not None))
        self.streets = self._table([self.tr("Street"), self.tr("Businesses"),
                                    self.tr("Coverage"), self.tr("Supervision rate"),
                                    self.tr("Overdue")])
        self.officials = self._table([self.tr("Official"), self.tr("Level"),
                                      self.tr("Businesses"), self.tr("Supervision rate"),
                                      self.tr("Overdue")])
        self.districts = self._table([self.tr("District"), self.tr("Businesses"),
                                      self.tr("Coverage"), self.tr("Supervision rate"),
                                      self.tr("Overdue")])
        self.tabs.addTab(self.overdue, self.tr("Overdue visits"))
        self.tabs.addTab(self.officials, self.tr("By official"))
        self.tabs.addTab(self.streets, self.tr("By street"))
        self.tabs.addTab(self.districts, self.tr("By district"))
        root.addWidget(self.tabs, 1)
        self.show_figures({})
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def _table(self, headers: Sequence[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(160)
        return table

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        if self.client is not None:
            spawn(self._load(), name="baobao-figures")

    async def _load(self) -> None:
        self.status.setText(self.tr("Loading…"))
        try:
            figures = await self.client.request("GET", "/api/baobao/figures")
        except Exception as exc:  # offline: keep what is shown, say why
            log.info("baobao figures: %s", exc)
            self.status.setText(self.tr("Could not load: %1").replace("%1", str(exc)[:80]))
            return
        self.show_figures(figures)

    def show_figures(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        totals = figures.get("totals") or {}
        self.coverage.setText(self.tr("包保 coverage %1% (%2 of %3)")
                              .replace("%1", _pct(totals.get("coverage")))
                              .replace("%2", str(totals.get("covered", 0)))
                              .replace("%3", str(totals.get("total", 0))))
        self.supervision.setText(self.tr("Supervision rate %1%")
                                 .replace("%1", _pct(totals.get("supervision_rate"))))
        count = int(figures.get("overdue_count", 0) or 0)
        self.overdue_count.setText(self.tr("%1 visits overdue").replace("%1", str(count)))
        self.overdue_count.setStyleSheet(
            "font-size: 15px; font-weight: bold; padding: 2px 10px;"
            + (" color: #c62828;" if count else ""))
        named = int(totals.get("named_only", 0) or 0)
        self.status.setText(self.tr("%1 officials named without an account").replace(
            "%1", str(named)) if named else (short_time(figures["now"]) if "now" in figures
                                             else ""))
        rows = []
        for o in figures.get("overdue") or []:
            rows.append([o.get("name") or o["business_id"], labels.category(o["category"]),
                         o.get("official") or self.tr("none"),
                         short_time(o["last_visit"]) if o.get("last_visit")
                         else self.tr("never"),
                         str(o["days_overdue"]) if o.get("days_overdue") is not None
                         else "—"])
        self._fill(self.overdue, rows, keys=[o["business_id"]
                                             for o in figures.get("overdue") or []])
        self._fill(self.streets, [[s.get("name") or self.tr("(no street)"), str(s["total"]),
                                   _pct(s["coverage"]) + "%", _pct(s["supervision_rate"]) + "%",
                                   str(s["overdue"])] for s in figures.get("streets") or []])
        self._fill(self.officials, [[o["name"], level_text(o["level"]), str(o["total"]),
                                     _pct(o["supervision_rate"]) + "%", str(o["overdue"])]
                                    for o in figures.get("officials") or []])
        self._fill(self.districts, [[d["district_id"], str(d["total"]),
                                     _pct(d["coverage"]) + "%",
                                     _pct(d["supervision_rate"]) + "%", str(d["overdue"])]
                                    for d in figures.get("districts") or []])

    def _fill(self, table: QTableWidget, rows: list[list[str]],
              keys: list[str] | None = None) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if keys is not None:
                    item.setData(Qt.ItemDataRole.UserRole, keys[r])
                table.setItem(r, c, item)

    def _chosen(self, row: int, _column: int) -> None:
        item = self.overdue.item(row, 0)
        if item is not None:
            self.business_chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def selected_business(self) -> str | None:
        rows = self.overdue.selectionModel().selectedRows() if self.overdue.selectionModel() \
            else []
        item = self.overdue.item(rows[0].row(), 0) if rows else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _visit(self) -> None:
        business_id = self.selected_business()
        if business_id:
            self.visit_requested.emit(business_id)

    def card_line(self, business_id: str) -> str:
        """The official and last visit of one business, from the figures loaded."""
        card = (self.figures.get("businesses") or {}).get(business_id)
        if not card:
            return ""
        visit = (self.tr("last visit %1 (%2, %3)")
                 .replace("%1", short_time(card["last_visit"]))
                 .replace("%2", look_how_text(card.get("last_visit_how") or ""))
                 .replace("%3", card.get("last_visit_by") or "")
                 if card.get("last_visit") else self.tr("never visited"))
        return f"{card.get('official') or self.tr('no official')} · {visit}"


def _pct(value: Any) -> str:
    return f"{float(value):.1f}" if value is not None else "—"
