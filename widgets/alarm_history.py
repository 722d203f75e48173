"""An alarm's history: who did what and when, oldest first (trace supervision, 痕迹化监督).

The rows are ``AuditEntry`` records that central wrote for each action on the alarm and its
task (synced to every console), the alarm's own milestones (opened, condition cleared), and this
console's actions still waiting in the outbox, shown greyed as "waiting to send" so an operator
working offline sees that the step is recorded but not yet delivered.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.formatting import datetime_text
from widgets.models.rows import AuditRow

_CTX = "AlarmHistory"

ACTIONS = {
    "opened": QT_TRANSLATE_NOOP("AlarmHistory", "Alarm opened"),
    "cleared": QT_TRANSLATE_NOOP("AlarmHistory", "Condition cleared"),
    "alarm.ack": QT_TRANSLATE_NOOP("AlarmHistory", "Acknowledged"),
    "alarm.dismiss": QT_TRANSLATE_NOOP("AlarmHistory", "Dismissed as false positive"),
    "alarm.close": QT_TRANSLATE_NOOP("AlarmHistory", "Alarm closed"),
    "alarm.escalate": QT_TRANSLATE_NOOP("AlarmHistory", "Escalated"),
    "task.dispatch": QT_TRANSLATE_NOOP("AlarmHistory", "Task dispatched"),
}
PENDING_COLOR = QColor("#868e96")


def action_text(action: str) -> str:
    """Words for an audit action code (task transitions use the task board's words)."""
    source = ACTIONS.get(action)
    if source is not None:
        return QCoreApplication.translate(_CTX, source)
    if action.startswith("task."):
        return QCoreApplication.translate("AlarmHistory", "Task: %1").replace(
            "%1", labels.task_action(action.removeprefix("task.")))
    return action


class AlarmHistoryView(QTreeWidget):
    """Time · who · what · note, oldest first; pending outbox actions greyed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("What"), self.tr("Note")])
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._rows: list[AuditRow] = []

    def rows(self) -> list[AuditRow]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[AuditRow]) -> None:
        self._rows = sorted(rows, key=lambda r: (r.pending, r.ts, r.id))
        self.clear()
        for row in self._rows:
            what = action_text(row.action)
            if row.pending:
                what += " · " + self.tr("waiting to send")
            item = QTreeWidgetItem([datetime_text(row.ts, True), row.user or "—", what,
                                    row.detail])
            item.setToolTip(3, row.detail)
            if row.pending:
                font = QFont(item.font(0))
                font.setItalic(True)
                for col in range(4):
                    item.setForeground(col, QBrush(PENDING_COLOR))
                    item.setFont(col, font)
            item.setData(0, Qt.ItemDataRole.UserRole, row.id)
            self.addTopLevelItem(item)
        if self._rows:
            self.scrollToBottom()

    def texts(self) -> list[list[str]]:
        """What the operator reads, row by row (tests, export)."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [[item.text(c) for c in range(4)] for item in items if item is not None]
