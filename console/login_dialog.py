"""The login dialog: server address remembered, password never."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from console.sync.client import ApiClient, AuthError, SyncError


class LoginDialog(QDialog):
    def __init__(self, server: str = "", user: str = "") -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Kitchen Watch — log in"))
        settings = QSettings()
        self.server = QLineEdit(server or str(settings.value("server", "http://127.0.0.1:8750")))
        self.user = QLineEdit(user or str(settings.value("user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#dc2626;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.client: ApiClient | None = None
        self._done: asyncio.Future[bool] | None = None
        self._attempt: asyncio.Task[None] | None = None
        self.finished.connect(self._on_finished)

    async def async_run(self) -> ApiClient | None:
        self._done = asyncio.get_event_loop().create_future()
        self.open()
        ok = await self._done
        return self.client if ok else None

    def _on_finished(self, result: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(result == QDialog.DialogCode.Accepted and
                                  self.client is not None)

    def _submit(self) -> None:
        if not self.user.text().strip() or not self.password.text():
            self.error.setText(self.tr("Enter a user name and a password."))
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("Logging in…"))
        self._attempt = asyncio.ensure_future(self._login())

    async def _login(self) -> None:
        client = ApiClient(self.server.text().strip())
        try:
            await client.login(self.user.text().strip(), self.password.text())
        except AuthError as exc:
            self.error.setText(self.tr("Login refused: %1").replace("%1", str(exc)))
            await client.close()
        except SyncError as exc:
            self.error.setText(self.tr("Cannot reach the server: %1").replace("%1", str(exc)))
            await client.close()
        else:
            settings = QSettings()
            settings.setValue("server", client.base_url)
            settings.setValue("user", self.user.text().strip())
            self.client = client
            self.accept()
            return
        finally:
            self.buttons.setEnabled(True)
