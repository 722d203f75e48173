"""The Accounts window (Administration → Accounts…): the accounts of the administrator's scope
with a filter, the dialogs that change them, and who is signed in now.

The account list is the local cache (offline-safe); every change is an outbox action
(:class:`console.accounts.model.AccountsModel`) shown at once, rolled back with central's
reason when refused. "Signed in now" asks central (``GET /api/sessions``): it says so in words
when central cannot be reached. Dialogs open with ``open()``, never a nested event loop.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.accounts.dialogs import (
    ResetPasswordDialog,
    ShownOnceDialog,
    UserDialog,
    role_text,
)
from console.accounts.model import Account, AccountsModel, Places, may_disable
from console.shell.aio import spawn
from console.shell.login_dialog import explain
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore

log = logging.getLogger("kitchenwatch.console.accounts")
ACCOUNT_KINDS = frozenset({"user.create", "user.update", "user.disable", "user.enable",
                           "user.reset_password", "session.end"})


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    return table


def _local_time(value: Any) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


class AccountsWindow(QDialog):
    def __init__(self, store: LocalStore, client: ApiClient | None, user: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accounts-window")
        self.setWindowTitle(self.tr("Accounts"))
        scope = user.get("district_id") or None
        self.model = AccountsModel(store, scope, user.get("id"))
        self.store = store
        self.client = client
        self.accounts: list[Account] = []
        self.places = Places([], {})
        self.sessions: list[dict[str, Any]] = []
        self.tasks: list[Any] = []
        self._dialog: QDialog | None = None

        self.tabs = QTabWidget()
        self.tabs.addTab(self._accounts_tab(), self.tr("Accounts"))
        self.tabs.addTab(self._sessions_tab(), self.tr("Signed in now"))
        self.tabs.currentChanged.connect(self._tab_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(980, 560)

    # -- accounts tab ------------------------------------------------------------------------
    def _accounts_tab(self) -> QWidget:
        page = QWidget()
        self.filter = QLineEdit()
        self.filter.setObjectName("accounts-filter")
        self.filter.setPlaceholderText(self.tr("Filter by user name, name, role, district or "
                                               "phone"))
        self.filter.textChanged.connect(self._apply_filter)
        self.table = _table([self.tr("User name"), self.tr("Name"), self.tr("Role"),
                             self.tr("District"), self.tr("Street"), self.tr("Phone"),
                             self.tr("Status")], "accounts-table")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        self.new_button = QPushButton(self.tr("New account…"))
        self.new_button.setObjectName("new-account")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.disable_button = QPushButton(self.tr("Disable"))
        self.disable_button.setObjectName("disable-account")
        self.enable_button = QPushButton(self.tr("Enable"))
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.new_button.clicked.connect(self.create_account)
        self.edit_button.clicked.connect(self.edit)
        self.disable_button.clicked.connect(lambda: self.set_active(False))
        self.enable_button.clicked.connect(lambda: self.set_active(True))
        self.reset_button.clicked.connect(self.reset_password)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.disable_button,
                       self.enable_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("accounts-status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._selection_changed()
        return page

    def refresh(self) -> None:
        """Read the accounts (and the last refusal of an account action) from the cache."""
        self.tasks.append(spawn(self._load(), name="accounts-load"))

    async def _load(self) -> None:
        accounts = await self.model.accounts()
        places = await self.model.places()
        refused = [r for r in await self.store.rejected() if r.kind in ACCOUNT_KINDS]
        # From here on without awaiting: the attributes and the table change together.
        selected = self.selected()
        self.accounts, self.places = accounts, places
        names = dict(self.places.districts)
        streets = {sid: name for rows in self.places.streets.values() for sid, name in rows}
        self.table.setRowCount(len(self.accounts))
        for r, account in enumerate(self.accounts):
            status = self.tr("active") if account.active else self.tr("disabled")
            if account.active and account.must_change_password:
                status = self.tr("must change password")
            cells = [account.username, account.display_name, role_text(account.role),
                     names.get(account.district_id or "", account.district_id or "")
                     or self.tr("(city-wide)"),
                     streets.get(account.street_id or "", account.street_id or ""),
                     account.phone, status]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, account.id)
                if not account.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        if selected is not None:
            for r, account in enumerate(self.accounts):
                if account.id == selected.id:
                    self.table.selectRow(r)
        self._apply_filter(self.filter.text())
        text = self.tr("%1 accounts, %2 disabled").replace("%1", str(len(self.accounts))) \
            .replace("%2", str(sum(not a.active for a in self.accounts)))
        if refused:
            last = refused[-1]
            text += " — " + self.tr("Refused by the server: %1").replace("%1", last.message)
        self.status.setText(text)
        self._selection_changed()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in range(self.table.columnCount())]
            hay = " ".join(c.text() for c in cells if c is not None).lower()
            self.table.setRowHidden(row, bool(needle) and needle not in hay)

    def visible_usernames(self) -> list[str]:
        items = [self.table.item(r, 0) for r in range(self.table.rowCount())
                 if not self.table.isRowHidden(r)]
        return [item.text() for item in items if item is not None]

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        ident = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((a for a in self.accounts if a.id == ident), None)

    def select(self, username: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == username:
                self.table.selectRow(r)

    def _selection_changed(self) -> None:
        account = self.selected()
        self.edit_button.setEnabled(account is not None)
        self.reset_button.setEnabled(account is not None and account.active
                                     and account.id != self.model.self_id)
        self.disable_button.setEnabled(account is not None
                                       and may_disable(account, self.model.self_id))
        self.enable_button.setEnabled(account is not None and not account.active)

    def _run(self, work: Any, name: str) -> None:
        async def go() -> None:
            await work
            await self._load()

        self.tasks.append(spawn(go(), name=name))

    def create_account(self) -> UserDialog:
        dialog = UserDialog(self.places, self.model.scope, None, self,
                            taken=frozenset(a.username for a in self.accounts))
        self._dialog = dialog

        def done(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            password, dialog.chosen_password = dialog.chosen_password, ""
            username = dialog.username.text().strip()
            generated = dialog.generate is not None and dialog.generate.isChecked()
            self._run(self.model.create(username=username, password=password,
                                        **dialog.values()), "account-create")
            if generated:
                self._show_once(username, password)

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def edit(self) -> UserDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = UserDialog(self.places, self.model.scope, account, self)
        self._dialog = dialog

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self._run(self.model.update(account, **dialog.values()), "account-update")

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def set_active(self, active: bool) -> None:
        account = self.selected()
        if account is not None:
            self._run(self.model.set_active(account, active), "account-active")

    def reset_password(self) -> ResetPasswordDialog | None:
        account = self.selected()
        if account is None:
            return None
        dialog = ResetPasswordDialog(account, self)
        self._dialog = dialog

        def done(result: int) -> None:
            if result != QDialog.DialogCode.Accepted:
                return
            password, dialog.chosen_password = dialog.chosen_password, ""
            self._run(self.model.reset_password(account, password), "account-reset")
            if dialog.generate.isChecked():
                self._show_once(account.username, password)

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def _show_once(self, username: str, password: str) -> None:
        shown = ShownOnceDialog(username, password, self)
        shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = shown
        shown.open()

    # -- signed in now -------------------------------------------------------------------------
    def _sessions_tab(self) -> QWidget:
        page = QWidget()
        self.sessions_table = _table([self.tr("User name"), self.tr("Name"), self.tr("Role"),
                                      self.tr("District"), self.tr("Signed in"),
                                      self.tr("Last seen"), self.tr("Address")],
                                     "sessions-table")
        self.sessions_status = QLabel()
        self.sessions_status.setObjectName("sessions-status")
        self.sessions_status.setWordWrap(True)
        self.refresh_sessions_button = QPushButton(self.tr("Refresh"))
        self.refresh_sessions_button.clicked.connect(self.refresh_sessions)
        self.end_button = QPushButton(self.tr("End session"))
        self.end_button.setObjectName("end-session")
        self.end_button.clicked.connect(self.end_session)
        row = QHBoxLayout()
        row.addWidget(self.refresh_sessions_button)
        row.addWidget(self.end_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.sessions_table)
        layout.addLayout(row)
        layout.addWidget(self.sessions_status)
        return page

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.refresh_sessions()

    def refresh_sessions(self) -> None:
        self.tasks.append(spawn(self._load_sessions(), name="accounts-sessions"))

    async def _load_sessions(self) -> None:
        if self.client is None or self.client.token is None:
            self.sessions_status.setText(self.tr("Working offline: who is signed in is known "
                                                 "only to the server."))
            return
        self.sessions_status.setText(self.tr("Asking the server…"))
        try:
            body = await self.client.request("GET", "/api/sessions")
        except SyncError as exc:
            self.sessions_status.setText(self.tr("Could not ask the server: %1")
                                         .replace("%1", explain(exc)))
            return
        self.sessions = [s for s in body.get("sessions", []) if isinstance(s, dict)]
        self.sessions_table.setRowCount(len(self.sessions))
        names = dict(self.places.districts)
        for r, entry in enumerate(self.sessions):
            district = str(entry.get("district_id") or "")
            cells = [str(entry.get("username") or ""), str(entry.get("display_name") or ""),
                     role_text(str(entry.get("role") or "")),
                     names.get(district, district) or self.tr("(city-wide)"),
                     _local_time(entry.get("started_at")),
                     _local_time(entry.get("last_seen_at")), str(entry.get("address") or "")]
            for c, value in enumerate(cells):
                self.sessions_table.setItem(r, c, QTableWidgetItem(value))
        self.sessions_status.setText(self.tr("%1 sessions").replace(
            "%1", str(len(self.sessions))))

    def end_session(self) -> None:
        rows = self.sessions_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.sessions):
            return
        entry = self.sessions[rows[0].row()]
        if entry.get("user_id") == self.model.self_id:
            self.sessions_status.setText(self.tr("That is a session of your own; log out "
                                                 "instead."))
            return

        async def go() -> None:
            await self.model.end_session(str(entry["session_id"]))
            self.sessions_status.setText(self.tr("Ending the session of %1…").replace(
                "%1", str(entry.get("username"))))

        self.tasks.append(spawn(go(), name="accounts-end-session"))

    def on_entities_changed(self, names: frozenset[str]) -> None:
        """The sync coordinator's notice: reload when accounts changed (a refusal put a row
        back, another administrator changed one)."""
        if "user" in names or "street" in names or "district" in names:
            self.refresh()


def show_accounts(store: LocalStore, client: ApiClient | None, user: dict[str, Any],
                  parent: QWidget) -> AccountsWindow:
    window = AccountsWindow(store, client, user, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.refresh()
    return window
