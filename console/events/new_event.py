"""New major event… (administrators): the name, the period, the reception kitchens and, if
wanted, a tighter special-room limit. Sent as ``event.save`` through the outbox; central checks
the limit (tighter than usual, within the physical range) and answers in the rejected-actions
list if it refuses."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from domain.clock import utcnow
from widgets.theme import rule_state_color


class NewEventDialog(QDialog):
    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newMajorEvent")
        self.setWindowTitle(self.tr("New major event"))
        self.resize(560, 560)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setMaxLength(128)
        form.addRow(self.tr("Name"), self.name)
        start = QDateTime.fromSecsSinceEpoch(int(utcnow().timestamp()))
        self.starts = QDateTimeEdit(start)
        self.ends = QDateTimeEdit(start.addDays(3))
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(self.tr("Starts"), self.starts)
        form.addRow(self.tr("Ends"), self.ends)
        self.kitchens = QListWidget()
        for bid, name in sorted(names.items(), key=lambda kv: kv[1]):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, bid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.kitchens.addItem(item)
        form.addRow(self.tr("Reception kitchens"), self.kitchens)
        self.tighten = QCheckBox(self.tr("Special rooms at most"))
        self.max_temp = QDoubleSpinBox()
        self.max_temp.setRange(-20.0, 25.0)
        self.max_temp.setValue(22.0)
        self.max_temp.setSuffix(" °C")
        form.addRow(self.tighten, self.max_temp)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {rule_state_color('breach').name()};")
        form.addRow(self.problem_label)
        form.addRow(buttons)

    def chosen(self) -> list[str]:
        return [str(item.data(Qt.ItemDataRole.UserRole))
                for i in range(self.kitchens.count())
                if (item := self.kitchens.item(i)).checkState() == Qt.CheckState.Checked]

    def problem(self) -> str:
        if not self.name.text().strip():
            return self.tr("Give the event a name.")
        if not self.chosen():
            return self.tr("Pick at least one reception kitchen.")
        if self.ends.dateTime() <= self.starts.dateTime():
            return self.tr("The event must end after it starts.")
        if self.starts.dateTime().daysTo(self.ends.dateTime()) > 60:
            return self.tr("An event lasts at most 60 days.")
        return ""

    def _accept(self) -> None:
        why = self.problem()
        self.problem_label.setText(why)
        if why:
            return
        self.accept()

    def payload(self) -> dict[str, object]:
        def aware(edit: QDateTimeEdit) -> datetime:
            local = edit.dateTime().toPython()
            assert isinstance(local, datetime)
            return local.astimezone()

        body: dict[str, object] = {
            "name": self.name.text().strip(), "business_ids": self.chosen(),
            "starts_at": aware(self.starts).isoformat(),
            "ends_at": max(aware(self.ends), aware(self.starts) + timedelta(minutes=1))
            .isoformat(),
            "overrides": {"special_room": {"max_temp": self.max_temp.value()}}
            if self.tighten.isChecked() else {}}
        return body
