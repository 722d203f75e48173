"""Logging in: the login dialog (server address and user name remembered; the password only if
the operator ticks "remember", and then only in the OS password store, see
:mod:`console.shell.credentials`). The same dialog comes back, with the reason in the user's
language (:func:`session_end_text`), when central ends the session (expired, logged out
elsewhere, account disabled, password or role changed); the console does not keep the
password to log in again by itself.

Login runs on the qasync loop; the dialog stays responsive and says precisely what went wrong:
wrong password, disabled account, too many attempts (and for how long), server unreachable,
server failing. When the server is unreachable and this computer holds data from an earlier
login of the same user with the same password, the dialog offers to work offline on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.shell.aio import spawn
from console.shell.credentials import PasswordVault, default_vault
from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerUnreachable,
    SyncError,
    Throttled,
    normalise_server_url,
)

log = logging.getLogger("kitchenwatch.console.login")
DEFAULT_SERVER = "http://127.0.0.1:8750"
# (server, username, password) → the cached user record if that login may open the cache.
OfflineCheck = Callable[[str, str, str], Awaitable[dict[str, Any] | None]]


@dataclass
class LoginOutcome:
    client: ApiClient
    user: dict[str, Any]
    # Only until the session has stored its offline-login verifier; then emptied (not kept).
    password: str
    offline: bool = False  # the server was unreachable; the cache of an earlier login is used
    reason: str = ""  # why offline

    def forget_password(self) -> None:
        self.password = ""


def session_end_text(exc: SyncError) -> str:
    """Why the login dialog came back, in the user's language (central's words as a last
    resort)."""
    code = exc.code
    if code == "token_expired":
        return QCoreApplication.translate("Login", "Your login has expired. Please log in again.")
    if code in ("invalid_token", "logged_out"):
        return QCoreApplication.translate(
            "Login", "You were logged out elsewhere. Please log in again.")
    if code == "account_disabled":
        return QCoreApplication.translate(
            "Login", "Your account has been disabled. Ask an administrator.")
    if code == "password_changed":
        return QCoreApplication.translate(
            "Login", "Your password was changed. Log in with the new password.")
    if code == "role_changed":
        return QCoreApplication.translate(
            "Login", "Your role or district was changed. Please log in again.")
    if code == "login_needed":
        return QCoreApplication.translate(
            "Login", "The server can be reached again. Log in to sync and send the actions "
                     "recorded meanwhile.")
    if code == "bad_credentials":
        return QCoreApplication.translate(
            "Login", "The saved password was refused. Log in with the current password.")
    return QCoreApplication.translate("Login", "The server ended your session: %1").replace(
        "%1", exc.message)


def explain(exc: SyncError) -> str:
    """A login failure in words the user can act on."""
    if isinstance(exc, Throttled):
        wait = f"{exc.retry_after:.0f}" if exc.retry_after else "?"
        return QCoreApplication.translate(
            "Login", "Too many failed logins. Try again in %1 s.").replace("%1", wait)
    if isinstance(exc, AuthError):
        if exc.code == "account_disabled":
            return QCoreApplication.translate(
                "Login", "This account is disabled. Ask an administrator.")
        if exc.code == "bad_credentials":
            return QCoreApplication.translate("Login", "Wrong user name or password.")
        return QCoreApplication.translate("Login", "Login refused: %1").replace("%1", exc.message)
    if isinstance(exc, ServerUnreachable):
        return QCoreApplication.translate(
            "Login", "Cannot reach the server: %1").replace("%1", exc.message)
    if isinstance(exc, ServerError):
        return QCoreApplication.translate(
            "Login", "The server could not log you in: %1").replace("%1", exc.message)
    return exc.message


class LoginDialog(QDialog):
    def __init__(self, server: str = "", user: str = "", *, message: str = "",
                 offline_check: OfflineCheck | None = None,
                 parent: QWidget | None = None, vault: PasswordVault | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Kitchen Watch — log in"))
        self.vault: PasswordVault = vault or default_vault()
        settings = QSettings()
        self.server = QLineEdit(server or str(settings.value("login/server", DEFAULT_SERVER)))
        self.user = QLineEdit(user or str(settings.value("login/user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(message)
        self.error.setObjectName("login-error")
        self.error.setStyleSheet("color:#dc2626;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        self.remember = QCheckBox(self.tr("Remember the password in the system password store"))
        self.remember.setObjectName("remember-password")
        usable, why_not = self.vault.availability()
        self.remember.setEnabled(usable)
        if usable:
            self.remember.setChecked(settings.value("login/remember_password", False, bool))
        else:
            self.remember.setToolTip(self.tr("Not available: %1").replace("%1", why_not))
        form.addRow("", self.remember)
        self._remembered: str | None = None  # the password that came from the store, if any
        self.server.textEdited.connect(self._forget_prefill)
        self.user.textEdited.connect(self._forget_prefill)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        self.offline_button = QPushButton(self.tr("Work offline on the local data"))
        self.buttons.addButton(self.offline_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.offline_button.hide()  # after addButton, which shows it
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.offline_button.clicked.connect(self._work_offline)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._offline_check = offline_check
        self._offline: LoginOutcome | None = None
        self._done: asyncio.Future[LoginOutcome | None] | None = None
        self.outcome: LoginOutcome | None = None
        self.attempt: asyncio.Future[None] | None = None
        self.finished.connect(self._on_finished)
        (self.password if self.user.text() else self.user).setFocus()

    async def async_run(self) -> LoginOutcome | None:
        """Show the dialog; the outcome once the user logged in (or chose offline), else
        None."""
        self._done = asyncio.get_event_loop().create_future()
        self.open()
        await self.load_remembered()
        return await self._done

    async def load_remembered(self) -> None:
        """Fill in the password remembered for this server and user (off the UI thread: the
        password store can be slow or ask to be unlocked)."""
        if not (self.remember.isEnabled() and self.remember.isChecked()):
            return
        try:
            server = normalise_server_url(self.server.text())
        except ValueError:
            return
        username = self.user.text().strip()
        if not username:
            return
        password = await asyncio.get_event_loop().run_in_executor(
            None, self.vault.get, server, username)
        if password and not self.password.text() and self.user.text().strip() == username:
            self.password.setText(password)
            self._remembered = password
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setFocus()

    def _forget_prefill(self) -> None:
        """Another server or user: a password filled in for the previous one must not stay."""
        if self._remembered is not None and self.password.text() == self._remembered:
            self.password.clear()
        self._remembered = None

    async def _store_password(self, server: str, username: str, password: str) -> None:
        """Remember (box ticked) or forget (unticked) the password of a successful login."""
        if not self.remember.isEnabled():
            return
        QSettings().setValue("login/remember_password", self.remember.isChecked())
        loop = asyncio.get_event_loop()
        if self.remember.isChecked():
            await loop.run_in_executor(None, self.vault.set, server, username, password)
        else:
            await loop.run_in_executor(None, self.vault.delete, server, username)

    def _on_finished(self, _result: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(self.outcome)

    def submit(self) -> None:
        try:
            server = normalise_server_url(self.server.text())
        except ValueError as exc:
            self.error.setText(self.tr("Check the server address: %1").replace("%1", str(exc)))
            return
        username, password = self.user.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText(self.tr("Enter a user name and a password."))
            return
        self._set_busy(True)
        self.error.setText(self.tr("Logging in…"))
        self.offline_button.hide()
        self.attempt = spawn(self._login(server, username, password), name="login")

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        for field in (self.server, self.user, self.password):
            field.setEnabled(not busy)

    async def _login(self, server: str, username: str, password: str) -> None:
        client = ApiClient(server)
        try:
            user = await client.login(username, password)
        except SyncError as exc:
            await client.close()
            self.error.setText(explain(exc))
            if isinstance(exc, AuthError) and exc.code == "bad_credentials":
                self.password.clear()
                if self._remembered is not None and password == self._remembered:
                    self._remembered = None  # changed on the server: do not offer it again
                    await asyncio.get_event_loop().run_in_executor(
                        None, self.vault.delete, server, username)
            if isinstance(exc, ServerUnreachable | ServerError):
                await self._offer_offline(server, username, password, exc)
            self._set_busy(False)
            self.password.setFocus()
            return
        if user.get("must_change_password"):  # an administrator set it: the user's own first
            from console.accounts.dialogs import ask_new_password

            changed = await ask_new_password(client, username, password, self)
            if changed is None:
                await client.logout()
                await client.close()
                self.error.setText(self.tr("Choose a new password to continue."))
                self._set_busy(False)
                return
            password, user["must_change_password"] = changed, False
        settings = QSettings()
        settings.setValue("login/server", client.base_url)
        settings.setValue("login/user", username)
        await self._store_password(client.base_url, username, password)
        self.outcome = LoginOutcome(client, user, password)
        self._forget_typed()
        self.accept()

    def _forget_typed(self) -> None:
        """The dialog keeps no copy of the password once it is done with it."""
        self.password.clear()
        self._remembered = None
        if self._offline is not None and self._offline is not self.outcome:
            self._offline.forget_password()
            self._offline = None

    async def _offer_offline(self, server: str, username: str, password: str,
                             exc: SyncError) -> None:
        if self._offline_check is None:
            return
        cached = await self._offline_check(server, username, password)
        if cached is None:
            return
        client = ApiClient(server)
        client.user = cached  # no token: the login dialog comes back once the server answers
        self._offline = LoginOutcome(client, cached, password, offline=True, reason=exc.message)
        self.offline_button.show()

    def _work_offline(self) -> None:
        if self._offline is not None:
            self.outcome = self._offline
            self._forget_typed()
            self.accept()
