"""The account dialogs: create or edit an account, reset a password, and the user's own new
password (asked by the login when an administrator set it).

Every password field shows the policy's verdict as the user types (:mod:`domain.passwords`, the
rules central applies), in the interface language, so nothing doomed is ever sent.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.accounts.model import (
    CITYWIDE_ROLES,
    DISTRICT_ROLES,
    Account,
    Places,
    generate_password,
)
from console.sync.client import ApiClient, ServerRejected, SyncError
from domain import passwords
from domain.roles import Role


def reason_text(reason: str) -> str:
    """A policy reason in the interface language."""
    texts = {
        passwords.TOO_SHORT: QCoreApplication.translate(
            "PasswordPolicy", "At least %1 characters.").replace("%1", str(passwords.MIN_LENGTH)),
        passwords.TOO_LONG: QCoreApplication.translate(
            "PasswordPolicy", "At most %1 characters.").replace("%1", str(passwords.MAX_LENGTH)),
        passwords.CONTAINS_USERNAME: QCoreApplication.translate(
            "PasswordPolicy", "Must not contain the user name."),
        passwords.COMMON: QCoreApplication.translate(
            "PasswordPolicy", "Too common: it is on the list of passwords attackers try first."),
        passwords.FEW_CLASSES: QCoreApplication.translate(
            "PasswordPolicy", "Mix at least 3 of: lower-case letters, upper-case letters, "
                              "digits, symbols."),
    }
    return texts.get(reason, reason)


def role_text(role: str) -> str:
    texts: dict[str, str] = {
        Role.ADMIN: QCoreApplication.translate("Accounts", "Administrator"),
        Role.OPERATOR: QCoreApplication.translate("Accounts", "Operator"),
        Role.DISTRICT: QCoreApplication.translate("Accounts", "District staff"),
        Role.VIEWER: QCoreApplication.translate("Accounts", "Demonstration viewer"),
        Role.FIELD: QCoreApplication.translate("Accounts", "Field staff"),
        Role.DEVICE: QCoreApplication.translate("Accounts", "Device (gateway)")}
    return texts.get(role, role)


class PasswordPair(QWidget):
    """A new password typed twice, with the policy's verdict below as the user types."""

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = username
        self.first = QLineEdit()
        self.first.setObjectName("new-password")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setObjectName("new-password-again")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.verdict = QLabel()
        self.verdict.setObjectName("password-verdict")
        self.verdict.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("New password"), self.first)
        form.addRow(self.tr("Again"), self.second)
        form.addRow("", self.verdict)
        self.first.textChanged.connect(self.check)
        self.second.textChanged.connect(self.check)
        self.check()

    def problems(self) -> list[str]:
        """What is wrong, in the interface language (empty: acceptable)."""
        password = self.first.text()
        out = [reason_text(r) for r in passwords.check(password, self.username).reasons]
        if password and self.second.text() != password:
            out.append(self.tr("The two entries differ."))
        return out

    def check(self) -> bool:
        problems = self.problems()
        if not self.first.text():
            self.verdict.setStyleSheet("color:#64748b;")
            self.verdict.setText(self.tr("At least %1 characters, not the user name, not a "
                                         "common password, 3 kinds of characters.")
                                 .replace("%1", str(passwords.MIN_LENGTH)))
            return False
        self.verdict.setStyleSheet("color:#dc2626;" if problems else "color:#16a34a;")
        self.verdict.setText(" ".join(problems) if problems else self.tr("Good password."))
        return not problems

    def password(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()


class UserDialog(QDialog):
    """Create (``account`` None) or edit an account: name, role, district, street, phone; a
    new account also gets its first password (typed, or generated and shown once)."""

    def __init__(self, places: Places, scope: str | None, account: Account | None = None,
                 parent: QWidget | None = None, taken: frozenset[str] = frozenset()) -> None:
        super().__init__(parent)
        self.setObjectName("user-dialog")
        self.setMinimumWidth(460)
        self.taken = taken  # user names this console already knows
        self.account = account
        self.places = places
        self.scope = scope
        self.setWindowTitle(self.tr("New account") if account is None
                            else self.tr("Edit account %1").replace("%1", account.username))
        self.username = QLineEdit(account.username if account else "")
        self.username.setObjectName("username")
        self.username.setReadOnly(account is not None)
        self.display_name = QLineEdit(account.display_name if account else "")
        self.phone = QLineEdit(account.phone if account else "")
        self.phone.setPlaceholderText(self.tr("e.g. 13800000000 (field staff are called)"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            if scope is not None and role in CITYWIDE_ROLES:
                continue  # a district admin cannot make city-wide accounts
            self.role.addItem(role_text(role), role.value)
        self.district = QComboBox()
        self.district.setObjectName("district")
        if scope is None:
            self.district.addItem(self.tr("(city-wide)"), None)
        for district_id, name in places.districts:
            self.district.addItem(f"{name} ({district_id})", district_id)
        self.street = QComboBox()
        self.street.setObjectName("street")
        self.error = QLabel()
        self.error.setObjectName("user-error")
        self.error.setStyleSheet("color:#dc2626;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("District"), self.district)
        form.addRow(self.tr("Street"), self.street)
        form.addRow(self.tr("Phone"), self.phone)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.passwords: PasswordPair | None = None
        self.generate: QRadioButton | None = None
        if account is None:
            self.generate = QRadioButton(self.tr("Generate a temporary password (shown once)"))
            self.generate.setObjectName("generate-password")
            typed = QRadioButton(self.tr("Type a temporary password"))
            self.generate.setChecked(True)
            self.passwords = PasswordPair()
            self.passwords.setEnabled(False)
            typed.toggled.connect(self.passwords.setEnabled)
            layout.addWidget(self.generate)
            layout.addWidget(typed)
            layout.addWidget(self.passwords)
            note = QLabel(self.tr("The user must choose their own password at the first "
                                  "login."))
            note.setStyleSheet("color:#64748b;")
            layout.addWidget(note)
            self.username.textChanged.connect(self._username_changed)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.district.currentIndexChanged.connect(self._fill_streets)
        self.role.currentIndexChanged.connect(self._role_changed)
        if account is not None:
            self._select(self.role, account.role)
            self._select(self.district, account.district_id)
        self._fill_streets()
        if account is not None:
            self._select(self.street, account.street_id)
        self._role_changed()
        self.chosen_password = ""  # the password of a new account, once accepted

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _username_changed(self, text: str) -> None:
        if self.passwords is not None:
            self.passwords.username = text.strip()
            self.passwords.check()

    def _fill_streets(self) -> None:
        self.street.clear()
        self.street.addItem(self.tr("(whole district)"), None)
        for street_id, name in self.places.streets.get(self.district.currentData() or "", []):
            self.street.addItem(name, street_id)

    def _role_changed(self) -> None:
        role = self.role.currentData()
        citywide = role in CITYWIDE_ROLES
        self.district.setEnabled(not citywide)
        if citywide:
            self._select(self.district, None)
        self.street.setEnabled(not citywide)

    def values(self) -> dict[str, Any]:
        return {"display_name": self.display_name.text().strip(),
                "role": self.role.currentData(), "district_id": self.district.currentData(),
                "street_id": self.street.currentData(), "phone": self.phone.text().strip()}

    def problems(self) -> list[str]:
        values = self.values()
        out = []
        username = self.username.text().strip()
        if self.account is None and (len(username) < 2 or not all(
                c.isascii() and (c.isalnum() or c in "_.@-") for c in username)):
            out.append(self.tr("User name: at least 2 letters, digits or . _ - @."))
        elif self.account is None and username in self.taken:
            out.append(self.tr("This user name is taken."))
        if values["role"] in DISTRICT_ROLES and values["district_id"] is None:
            out.append(self.tr("District and field staff need a district."))
        if self.scope is not None and values["district_id"] != self.scope:
            out.append(self.tr("You administer accounts of your own district only."))
        if not all(c.isdigit() or c in "+() -" for c in values["phone"]):
            out.append(self.tr("Phone: digits, spaces and + ( ) - only."))
        if self.passwords is not None and self.generate is not None \
                and not self.generate.isChecked() and not self.passwords.check():
            out.append(self.tr("Choose an acceptable password."))
        return out

    def _accept(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText(" ".join(problems))
            return
        if self.account is None and self.generate is not None and self.passwords is not None:
            self.chosen_password = generate_password() if self.generate.isChecked() \
                else self.passwords.password()
            self.passwords.clear()
        self.accept()


class ResetPasswordDialog(QDialog):
    """An administrator's reset: a generated temporary password (shown once) or a typed one;
    the user must change it at the next login and is logged out everywhere now."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reset-password-dialog")
        self.setWindowTitle(self.tr("Reset the password of %1").replace("%1", account.username))
        self.generate = QRadioButton(self.tr("Generate a temporary password (shown once)"))
        self.generate.setChecked(True)
        typed = QRadioButton(self.tr("Type a temporary password"))
        self.passwords = PasswordPair(account.username)
        self.passwords.setEnabled(False)
        typed.toggled.connect(self.passwords.setEnabled)
        note = QLabel(self.tr("%1 is logged out everywhere and must choose a new password at "
                              "the next login.").replace("%1", account.username))
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color:#dc2626;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (note, self.generate, typed, self.passwords, self.error, buttons):
            layout.addWidget(widget)
        self.chosen_password = ""

    def _accept(self) -> None:
        if self.generate.isChecked():
            self.chosen_password = generate_password()
        elif self.passwords.check():
            self.chosen_password = self.passwords.password()
        else:
            self.error.setText(self.tr("Choose an acceptable password."))
            return
        self.passwords.clear()
        self.accept()


class ShownOnceDialog(QDialog):
    """The generated password, once: the administrator passes it on; the console forgets it
    when this closes."""

    def __init__(self, username: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shown-once-dialog")
        self.setWindowTitle(self.tr("Temporary password"))
        text = QLabel(self.tr("The temporary password of %1 is shown only now. Pass it on "
                              "in person or by telephone; %1 must change it at the first "
                              "login.").replace("%1", username))
        text.setWordWrap(True)
        self.value = QLineEdit(password)
        self.value.setObjectName("temporary-password")
        self.value.setReadOnly(True)
        font = self.value.font()
        font.setFamily("monospace")
        font.setPointSize(font.pointSize() + 4)
        self.value.setFont(font)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(self._copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        for widget in (text, self.value, buttons):
            layout.addWidget(widget)
        self.finished.connect(lambda *_: self.value.clear())

    def _copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.value.text())


class ChangePasswordDialog(QDialog):
    """The user's own new password, asked right after a login that answered
    ``must_change_password`` (an administrator set the current one)."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("change-password-dialog")
        self.setWindowTitle(self.tr("Choose your password"))
        note = QLabel(self.tr("An administrator set your password. Choose your own before you "
                              "continue; only you will know it."))
        note.setWordWrap(True)
        self.passwords = PasswordPair(username)
        self.error = QLabel()
        self.error.setObjectName("change-password-error")
        self.error.setStyleSheet("color:#dc2626;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (note, self.passwords, self.error, self.buttons):
            layout.addWidget(widget)

    def _accept(self) -> None:
        if not self.passwords.check():
            self.error.setText(self.tr("Choose an acceptable password."))
            return
        self.accept()


async def ask_new_password(client: ApiClient, username: str, old: str,
                           parent: QWidget | None = None) -> str | None:
    """After a login that answered ``must_change_password``: ask for the new password (twice,
    the policy shown as the user types) until central accepts it; returns it, or None when the
    user gave up (the caller then logs out: the session could do nothing else anyway)."""
    dialog = ChangePasswordDialog(username, parent)
    loop = asyncio.get_running_loop()
    try:
        while True:
            answer: asyncio.Future[int] = loop.create_future()

            def finished(result: int, answer: asyncio.Future[int] = answer) -> None:
                if not answer.done():
                    answer.set_result(result)

            dialog.finished.connect(finished)
            dialog.open()
            result = await answer
            dialog.finished.disconnect(finished)
            if result != QDialog.DialogCode.Accepted:
                return None
            new = dialog.passwords.password()
            try:
                await client.request("POST", "/api/password",
                                     json={"old_password": old, "new_password": new})
            except ServerRejected as exc:
                reasons = exc.body.get("reasons")
                dialog.error.setText(" ".join(reason_text(str(r)) for r in reasons)
                                     if isinstance(reasons, list) and reasons else exc.message)
                continue
            except SyncError as exc:
                dialog.error.setText(exc.message)
                continue
            return new
    finally:
        dialog.passwords.clear()
        dialog.deleteLater()
