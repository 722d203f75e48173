"""Small dialogs shared by the alarm list, the alarm panel and the task board.

Dismissing an alarm as a false positive needs a reason (it is audited, and supervisors review
dismissals); the dialog refuses an empty one and offers the common reasons so the operator
rarely has to type. Escalations, rejections and reopenings ask for a note the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import QT_TRANSLATE_NOOP
from widgets.theme import rule_state_color

_DISMISS_REASONS: dict[str, tuple[str, ...]] = {
    "rodent": (
        QT_TRANSLATE_NOOP("DismissReasons", "False alarm: it was the owner's cat"),
        QT_TRANSLATE_NOOP("DismissReasons", "False alarm: shadow or moving object, no rodent"),
    ),
    "ai_violation": (
        QT_TRANSLATE_NOOP("DismissReasons", "False alarm: the person was wearing it"),
        QT_TRANSLATE_NOOP("DismissReasons",
                          "False alarm: not a kitchen worker (visitor, inspector)"),
    ),
    "sensor": (
        QT_TRANSLATE_NOOP("DismissReasons", "Sensor under maintenance or being calibrated"),
        QT_TRANSLATE_NOOP("DismissReasons", "Sensor placed wrongly; reading not representative"),
    ),
    "device_offline": (
        QT_TRANSLATE_NOOP("DismissReasons", "Business closed today (holiday / renovation)"),
        QT_TRANSLATE_NOOP("DismissReasons", "Planned network maintenance"),
    ),
    "*": (
        QT_TRANSLATE_NOOP("DismissReasons", "False alarm: detection error"),
        QT_TRANSLATE_NOOP("DismissReasons", "Test event"),
    ),
}


def common_dismiss_reasons(kind: str = "", subtype: str = "") -> list[str]:
    """Reasons operators most often give, most specific first (translated)."""
    if subtype == "rodent":
        key = "rodent"
    elif kind in ("sensor_threshold", "disinfection_invalid", "no_disinfection"):
        key = "sensor"
    else:
        key = kind
    sources = (*_DISMISS_REASONS.get(key, ()), *_DISMISS_REASONS["*"])
    return [QCoreApplication.translate("DismissReasons", s) for s in sources]


class _ErrorLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {rule_state_color('breach').name()};")
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class DismissDialog(QDialog):
    """Ask why an alarm is a false positive; ``reason()`` is never empty after ``accept``."""

    error: _ErrorLabel  # made after the reason box, whose signal already clears it

    def __init__(self, alarm_label: str = "", reasons: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dismiss as false positive"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Why is this alarm a false positive? The reason is recorded "
                               "and shown to supervisors."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if alarm_label:
            subject = QLabel(alarm_label)
            subject.setTextFormat(Qt.TextFormat.PlainText)
            subject.setStyleSheet("font-weight: bold;")
            layout.addWidget(subject)
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        self.reason_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_box.addItems(list(reasons) or common_dismiss_reasons())
        self.reason_box.setCurrentIndex(-1)
        self.reason_box.lineEdit().setPlaceholderText(self.tr("Reason (required)"))
        self.reason_box.currentTextChanged.connect(lambda _t: self.error.show_error(""))
        layout.addWidget(self.reason_box)
        self.error = _ErrorLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Dismiss alarm"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def reason(self) -> str:
        return self.reason_box.currentText().strip()

    def accept(self) -> None:
        if not self.reason():
            self.error.show_error(self.tr("A reason is required to dismiss an alarm."))
            self.reason_box.setFocus()
            return
        super().accept()


class NoteDialog(QDialog):
    """A titled note for an action (escalate, reject, reopen), optionally required."""

    error: _ErrorLabel  # made after the editor, whose signal already clears it

    def __init__(self, title: str, prompt: str, required: bool,
                 parent: QWidget | None = None, max_length: int | None = None) -> None:
        super().__init__(parent)
        self.required = required
        self.max_length = max_length
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            self.tr("Note (required)") if required else self.tr("Note (optional)"))
        self.editor.setFixedHeight(90)
        self.editor.textChanged.connect(lambda: self.error.show_error(""))
        layout.addWidget(self.editor)
        self.error = _ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def note(self) -> str:
        return self.editor.toPlainText().strip()

    def accept(self) -> None:
        if self.required and not self.note():
            self.error.show_error(self.tr("Please write a note: the assignee needs to know why."))
            return
        if self.max_length is not None and len(self.note()) > self.max_length:
            self.error.show_error(self.tr("Please keep it within %1 characters.").replace(
                "%1", str(self.max_length)))
            return
        super().accept()
