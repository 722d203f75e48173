"""Dispatch an inspection task from an alarm (派单).

Defaults do most of the work so dispatching takes one click in the common case: the assignee
is the business's responsible official (包保) or else its grid officer, the deadline follows
the severity/type table of :class:`DeadlinePolicy`, and the checklist comes from a template
for the alarm type. The operator can change all of it; validation explains what is missing.
:meth:`DispatchDialog.task_draft` returns the new ``Task`` row's columns (with a client id)
ready for the console's ``task.dispatch`` action.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.models import new_id
from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.alarm_text import describe
from widgets.evidence_view import image_with_box, load_image
from widgets.formatting import to_qdatetime
from widgets.models.dispatch import DeadlinePolicy, DeadlineRule, default_assignee
from widgets.models.rows import AlarmRow, Assignee, BusinessCard, utc_now
from widgets.theme import rule_state_color

log = logging.getLogger("kitchenwatch.widgets.dispatch")


_CHECKLISTS: dict[str, tuple[str, ...]] = {
    "sensor_threshold": (
        QT_TRANSLATE_NOOP(
            "Checklists", "Check the special room's air conditioner is running and set correctly"),
        QT_TRANSLATE_NOOP(
            "Checklists", "Check the room thermometer against a reference thermometer"),
        QT_TRANSLATE_NOOP(
            "Checklists",
            "Check food stored in the room: time out of temperature, discard if unsafe"),
        QT_TRANSLATE_NOOP(
            "Checklists", "Check the door closes and the room is not used for other work"),
    ),
    "disinfection_invalid": (
        QT_TRANSLATE_NOOP("Checklists", "Check the cabinet heats to its rated temperature"),
        QT_TRANSLATE_NOOP("Checklists", "Check the cycle length setting and the door seal"),
        QT_TRANSLATE_NOOP("Checklists", "Re-disinfect the tableware of the affected cycle"),
        QT_TRANSLATE_NOOP("Checklists", "Check the cleaning & disinfection ledger"),
    ),
    "no_disinfection": (
        QT_TRANSLATE_NOOP(
            "Checklists", "Ask why no disinfection cycle ran before the meal service"),
        QT_TRANSLATE_NOOP("Checklists", "Check tableware in use was disinfected"),
        QT_TRANSLATE_NOOP("Checklists", "Check the cleaning & disinfection ledger"),
    ),
    "ai_violation:rodent": (
        QT_TRANSLATE_NOOP("Checklists", "Check for rodent holes, droppings and gnaw marks"),
        QT_TRANSLATE_NOOP("Checklists", "Check traps and bait stations are in place"),
        QT_TRANSLATE_NOOP("Checklists", "Check the pest-control contract and service records"),
        QT_TRANSLATE_NOOP("Checklists", "Check food is covered and stored off the floor"),
    ),
    "ai_violation:no_mask": (
        QT_TRANSLATE_NOOP("Checklists", "Brief the staff on wearing masks while handling food"),
        QT_TRANSLATE_NOOP("Checklists", "Check masks are available in the kitchen"),
    ),
    "ai_violation:no_chef_hat": (
        QT_TRANSLATE_NOOP("Checklists", "Brief the staff on wearing chef hats"),
        QT_TRANSLATE_NOOP("Checklists", "Check hats are available in the kitchen"),
    ),
    "ai_violation:no_work_clothes": (
        QT_TRANSLATE_NOOP("Checklists", "Brief the staff on work clothes"),
        QT_TRANSLATE_NOOP("Checklists", "Check clean work clothes are available"),
    ),
    "ai_violation:no_gloves": (
        QT_TRANSLATE_NOOP("Checklists", "Brief the staff on gloves for ready-to-eat food"),
        QT_TRANSLATE_NOOP("Checklists", "Check gloves are available"),
    ),
    "ai_violation:smoking": (
        QT_TRANSLATE_NOOP("Checklists", "Identify the person and stop smoking in the kitchen"),
        QT_TRANSLATE_NOOP("Checklists", "Brief all staff; check no-smoking signs"),
    ),
    "ai_violation:phone_use": (
        QT_TRANSLATE_NOOP("Checklists", "Brief the staff: no phones while handling food"),
        QT_TRANSLATE_NOOP("Checklists", "Check a place to leave phones outside the kitchen"),
    ),
    "ai_violation:uncovered_bin": (
        QT_TRANSLATE_NOOP("Checklists", "Check bins have lids and are kept closed"),
        QT_TRANSLATE_NOOP("Checklists", "Check waste is removed regularly"),
    ),
    "ai_violation:unattended_flame": (
        QT_TRANSLATE_NOOP(
            "Checklists", "Check the cooking area is never left unattended with a flame"),
        QT_TRANSLATE_NOOP("Checklists", "Check fire extinguishers and gas shut-off"),
    ),
    "device_offline": (
        QT_TRANSLATE_NOOP("Checklists", "Check the camera or sensor has power and network"),
        QT_TRANSLATE_NOOP("Checklists", "Ask the business why the device was switched off"),
    ),
    "*": (
        QT_TRANSLATE_NOOP("Checklists", "Inspect the reported problem on site"),
        QT_TRANSLATE_NOOP("Checklists", "Record the findings with photos"),
    ),
}


def default_checklists() -> dict[str, list[str]]:
    """Checklist templates by alarm type key (``kind`` or ``kind:subtype``), translated.

    ``"*"`` is used for types without their own template.
    """
    return {key: [QCoreApplication.translate("Checklists", text) for text in texts]
            for key, texts in _CHECKLISTS.items()}


def checklist_for(alarm: AlarmRow, templates: Mapping[str, Sequence[str]]) -> list[str]:
    for key in (alarm.type_key, alarm.kind, "*"):
        if key in templates:
            return list(templates[key])
    return []


def to_utc(qdt: QDateTime) -> datetime:
    return datetime.fromtimestamp(qdt.toMSecsSinceEpoch() / 1000.0, UTC)


class DispatchDialog(QDialog):
    """Create a task from an alarm. ``exec()`` then :meth:`task_draft` when accepted."""

    def __init__(
        self,
        alarm: AlarmRow,
        business: BusinessCard | None,
        assignees: Sequence[Assignee],
        *,
        created_by: str = "",
        policy: DeadlinePolicy | None = None,
        checklists: Mapping[str, Sequence[str]] | None = None,
        evidence: bytes | QImage | None = None,
        clock: Callable[[], datetime] = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.alarm = alarm
        self.business = business
        self.assignees = list(assignees)
        self.created_by = created_by
        self.policy = policy or DeadlinePolicy()
        self._clock = clock
        self._draft_id = new_id()
        self.setWindowTitle(self.tr("Dispatch inspection task"))
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        name = business.name if business else alarm.business_name or alarm.business_id
        self.title_edit = QLineEdit(f"{name}: {labels.alarm_type(alarm.kind, alarm.subtype)}")
        form.addRow(self.tr("Title"), self.title_edit)

        self.assignee_box = QComboBox()
        self.assignee_box.addItem(self.tr("Choose an assignee…"), None)
        default = default_assignee(self.assignees, business)
        for person in self.assignees:
            text = person.label
            if person.display_name and person.display_name != person.username:
                text = f"{person.display_name} ({person.username})"
            if business and person.label == business.official_name:
                text += self.tr(" — responsible official")
            elif business and person.label == business.grid_officer_name:
                text += self.tr(" — grid officer")
            self.assignee_box.addItem(text, person.username)
        if default is not None:
            self.assignee_box.setCurrentIndex(self.assignee_box.findData(default.username))
        self.assignee_box.currentIndexChanged.connect(lambda _i: self._clear_error())
        form.addRow(self.tr("Assignee"), self.assignee_box)

        deadline, rule = self.policy.deadline_for(alarm, self._clock())
        self.rule = rule
        self.deadline_edit = QDateTimeEdit(to_qdatetime(deadline))
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.deadline_edit.dateTimeChanged.connect(lambda _d: self._clear_error())
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline_edit)
        self.deadline_hint = QLabel(self._rule_text(rule))
        self.deadline_hint.setStyleSheet("color: palette(mid);")
        deadline_row.addWidget(self.deadline_hint, 1)
        form.addRow(self.tr("Deadline"), deadline_row)

        self.checklist = QListWidget()
        self.checklist.setMinimumHeight(110)
        for text in checklist_for(alarm, checklists or default_checklists()):
            self._add_check_item(text)
        add_row = QHBoxLayout()
        self.new_item = QLineEdit()
        self.new_item.setPlaceholderText(self.tr("Add a checklist item…"))
        self.new_item.returnPressed.connect(self._on_add_item)
        add_btn = QPushButton(self.tr("Add"))
        add_btn.setAutoDefault(False)
        add_btn.clicked.connect(self._on_add_item)
        add_row.addWidget(self.new_item, 1)
        add_row.addWidget(add_btn)
        check_box = QVBoxLayout()
        check_box.addWidget(self.checklist)
        check_box.addLayout(add_row)
        form.addRow(self.tr("Checklist"), check_box)

        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText(self.tr("Notes for the assignee"))
        self.notes_edit.setFixedHeight(70)
        if describe(alarm):
            self.notes_edit.setPlainText(describe(alarm))
        form.addRow(self.tr("Notes"), self.notes_edit)

        self.evidence_label = QLabel()
        self.evidence_label.setAlignment(Qt.AlignmentFlag.AlignLeft)
        image = load_image(evidence)
        if image is not None:
            thumb = image_with_box(image, alarm.evidence_box).scaled(
                240, 135, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)
            self.evidence_label.setPixmap(QPixmap.fromImage(thumb))
            form.addRow(self.tr("Evidence"), self.evidence_label)
        elif alarm.evidence_url:
            self.evidence_label.setText(self.tr("Evidence attached (%1)").replace(
                "%1", alarm.evidence_url))
            form.addRow(self.tr("Evidence"), self.evidence_label)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {rule_state_color('breach').name()};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        if not self.assignees:
            self._show_errors([self.tr("No field officers are available in your scope; "
                                       "the task cannot be dispatched yet.")])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Dispatch"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # ------------------------------------------------------------------ API
    def deadline(self) -> datetime:
        return to_utc(self.deadline_edit.dateTime())

    def set_deadline(self, when: datetime) -> None:
        self.deadline_edit.setDateTime(to_qdatetime(when))

    def assignee(self) -> str | None:
        return self.assignee_box.currentData()

    def set_assignee(self, username: str | None) -> bool:
        index = self.assignee_box.findData(username)
        if index < 0:
            return False
        self.assignee_box.setCurrentIndex(index)
        return True

    def checklist_items(self) -> list[str]:
        """Ticked items, in order (unticking leaves an item out of the task)."""
        return [
            self.checklist.item(i).text()
            for i in range(self.checklist.count())
            if self.checklist.item(i).checkState() == Qt.CheckState.Checked
        ]

    def validate(self) -> list[str]:
        """What prevents dispatching, as messages for the operator (empty = fine)."""
        problems = []
        if not self.assignee():
            problems.append(self.tr("Choose who should carry out the inspection."))
        if self.deadline() <= self._clock():
            problems.append(self.tr("The deadline must be in the future."))
        if not self.title_edit.text().strip():
            problems.append(self.tr("Give the task a title."))
        return problems

    def accept(self) -> None:
        problems = self.validate()
        if problems:
            self._show_errors(problems)
            return
        super().accept()

    def task_draft(self) -> dict[str, Any]:
        """Columns of the new ``Task`` (ISO timestamps, as ``db.serialize.to_payload`` gives)."""
        now = self._clock().astimezone(UTC)
        return {
            "id": self._draft_id,
            "alarm_id": self.alarm.id,
            "district_id": self.alarm.district_id,
            "business_id": self.alarm.business_id,
            "state": "dispatched",
            "assignee": self.assignee() or "",
            "created_by": self.created_by,
            "title": self.title_edit.text().strip(),
            "notes": self.notes_edit.toPlainText().strip(),
            "checklist": {"items": [{"text": t, "done": False} for t in self.checklist_items()]},
            "evidence_url": self.alarm.evidence_url,
            "severity": int(self.alarm.severity),
            "deadline": self.deadline().isoformat(),
            "escalated": False,
            "supervisor": "",
            "created_at": now.isoformat(),
            "updated_at": now.isoformat(),
            "closed_at": None,
            "version": 1,
        }

    # ------------------------------------------------------------------ internals
    def _rule_text(self, rule: DeadlineRule) -> str:
        hours = rule.hours
        span = (self.tr("%1 h").replace("%1", f"{hours:g}") if hours < 48
                else self.tr("%1 days").replace("%1", f"{hours / 24:g}"))
        return self.tr("%1: %2 within %3").replace(
            "%1", labels.severity(self.alarm.severity)).replace(
            "%2", labels.deadline_purpose(rule.purpose)).replace("%3", span)

    def _add_check_item(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        item.setCheckState(Qt.CheckState.Checked)
        self.checklist.addItem(item)

    def _on_add_item(self) -> None:
        text = self.new_item.text().strip()
        if text:
            self._add_check_item(text)
            self.new_item.clear()

    def _show_errors(self, problems: list[str]) -> None:
        self.error_label.setText("\n".join(problems))
        self.error_label.setVisible(bool(problems))

    def _clear_error(self) -> None:
        if self.error_label.isVisible() and not self.validate():
            self._show_errors([])
