"""The sensors of one business, to pick one to edit (its kind, place and rule parameters)
or retire: the channel tree shows cameras, not sensors, so this is where an administrator
reaches a sensor that already exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.registry.dialogs import param_names, sensor_kind_names
from domain.rules import PARAM_RANGES


def describe(sensor: dict[str, Any]) -> str:
    """One line: kind, place and the limits it is held to (units from the rule ranges)."""
    kind = str(sensor.get("kind") or "")
    text = sensor_kind_names().get(kind, kind)
    if sensor.get("location"):
        text += f" · {sensor['location']}"
    names = param_names()
    ranges = PARAM_RANGES.get(kind, {})
    limits = [f"{names.get(k, k)} {v:g} {ranges[k].unit if k in ranges else ''}".strip()
              for k, v in sorted((sensor.get("params") or {}).items())
              if isinstance(v, int | float)]
    return text + (f" ({', '.join(limits)})" if limits else "")


class SensorListDialog(QDialog):
    """Pick a sensor of ``business``; ``on_edit(sensor_id | None)`` opens the editor (None: a
    new sensor)."""

    def __init__(self, business: dict[str, Any], sensors: list[dict[str, Any]],
                 on_edit: Callable[[str | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registry-sensor-list")
        self.setWindowTitle(self.tr("Sensors of %1").replace("%1", str(business.get("name"))))
        self.on_edit = on_edit
        self.list = QListWidget()
        self.list.setObjectName("sensor-list")
        for sensor in sensors:
            item = QListWidgetItem(describe(sensor))
            item.setData(Qt.ItemDataRole.UserRole, sensor["id"])
            self.list.addItem(item)
        if sensors:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self.edit())
        empty = QLabel(self.tr("This business has no sensors yet."))
        empty.setVisible(not sensors)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = QPushButton(self.tr("Edit or retire…"))
        self.edit_button.setObjectName("sensor-edit")
        self.edit_button.setEnabled(bool(sensors))
        self.edit_button.clicked.connect(self.edit)
        add = QPushButton(self.tr("Add sensor…"))
        add.setObjectName("sensor-add")
        add.clicked.connect(lambda: self.pick(None))
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(add, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(empty)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def edit(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.pick(str(item.data(Qt.ItemDataRole.UserRole)))

    def pick(self, sensor_id: str | None) -> None:
        self.on_edit(sensor_id)
        self.accept()
