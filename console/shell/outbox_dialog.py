"""The list of operator actions the server refused, with its reasons.

A refused action never applies (4xx: a dismissed alarm someone else had already dispatched, a
task that moved on, a role that may not do it). The operator must learn that, so refusals stay
listed here — and counted in the status bar — until the operator has read and dismissed them.

The dialog also says which actions of *other* users are still queued on this computer (their
own cache files): after a session ended and someone else logged in, the first user's actions
are not sent under the new user's name; they wait until their author logs in again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.shell.aio import spawn
from console.sync.store import LocalStore, RejectedAction
from resources.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger("kitchenwatch.console.outbox")


KIND_LABELS = {
    "alarm.ack": QT_TRANSLATE_NOOP("Outbox", "Acknowledge alarm"),
    "alarm.dismiss": QT_TRANSLATE_NOOP("Outbox", "Dismiss alarm"),
    "alarm.close": QT_TRANSLATE_NOOP("Outbox", "Close alarm"),
    "alarm.escalate": QT_TRANSLATE_NOOP("Outbox", "Escalate alarm"),
    "task.dispatch": QT_TRANSLATE_NOOP("Outbox", "Dispatch task"),
    "task.transition": QT_TRANSLATE_NOOP("Outbox", "Task step"),
    "patrol.record": QT_TRANSLATE_NOOP("Outbox", "Patrol record"),
    "patrol_plan.save": QT_TRANSLATE_NOOP("Outbox", "Save patrol plan"),
    "patrol.skip": QT_TRANSLATE_NOOP("Outbox", "Patrol: business skipped"),
    "camera.health": QT_TRANSLATE_NOOP("Outbox", "Camera health report"),
    "sensor.params": QT_TRANSLATE_NOOP("Outbox", "Sensor thresholds"),
}


def kind_label(kind: str) -> str:
    text = KIND_LABELS.get(kind)
    return QCoreApplication.translate("Outbox", text) if text else kind


def summary(action: RejectedAction) -> str:
    """The identifying part of the payload (which alarm, task, camera…)."""
    payload = action.payload
    for key in ("alarm_id", "task_id", "camera_id", "sensor_id", "id"):
        if isinstance(payload.get(key), str):
            return payload[key]
    task = payload.get("task")
    if isinstance(task, dict) and isinstance(task.get("id"), str):
        return task["id"]
    return json.dumps(payload, ensure_ascii=False)[:80]


class RejectedActionsDialog(QDialog):
    def __init__(self, store: LocalStore, on_changed: Callable[[], None],
                 parent: QWidget | None = None, *,
                 held_elsewhere: Callable[[], Awaitable[dict[str, int]]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Actions refused by the server"))
        self.resize(900, 400)
        self.store = store
        self.on_changed = on_changed
        self.actions: list[RejectedAction] = []
        self.held_elsewhere = held_elsewhere
        self.held = QLabel("")
        self.held.setObjectName("held-for-others")
        self.held.setWordWrap(True)
        self.held.hide()
        intro = QLabel(self.tr("The server refused these actions; they were not applied and "
                               "the local data shows the server's state again. Dismiss them "
                               "once read."))
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setHeaderLabels([self.tr("Recorded"), self.tr("Action"), self.tr("Subject"),
                                   self.tr("Server's reason")])
        self.list.setColumnWidth(0, 150)
        self.list.setColumnWidth(1, 170)
        self.list.setColumnWidth(2, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.dismiss_selected = QPushButton(self.tr("Dismiss selected"))
        self.dismiss_all = QPushButton(self.tr("Dismiss all"))
        buttons.addButton(self.dismiss_selected, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.dismiss_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.dismiss_selected.clicked.connect(self._dismiss_selected)
        self.dismiss_all.clicked.connect(lambda: self._dismiss([a.id for a in self.actions]))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.held)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        spawn(self.async_refresh(), name="rejected-list")

    async def async_refresh(self) -> None:
        self.actions = await self.store.rejected()
        self.list.clear()
        for action in self.actions:
            item = QTreeWidgetItem([action.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                                    kind_label(action.kind), summary(action), action.message])
            item.setData(0, Qt.ItemDataRole.UserRole, action.id)
            item.setToolTip(3, action.message)
            self.list.addTopLevelItem(item)
        has_any = bool(self.actions)
        self.dismiss_all.setEnabled(has_any)
        self.dismiss_selected.setEnabled(has_any)
        held = await self.held_elsewhere() if self.held_elsewhere is not None else {}
        lines = [self.tr("%1 action(s) recorded by %2 are kept on this computer; they will be "
                         "sent when %2 logs in again, never under another user's name.")
                 .replace("%1", str(count)).replace("%2", who)
                 for who, count in sorted(held.items())]
        self.held.setText("\n".join(lines))
        self.held.setVisible(bool(lines))

    def _dismiss_selected(self) -> None:
        self._dismiss([item.data(0, Qt.ItemDataRole.UserRole)
                       for item in self.list.selectedItems()])

    def _dismiss(self, ids: list[int]) -> None:
        if ids:
            spawn(self._async_dismiss(ids), name="dismiss-rejected")

    async def _async_dismiss(self, ids: list[int]) -> None:
        await self.store.discard_rejected(ids)
        self.on_changed()
        await self.async_refresh()
