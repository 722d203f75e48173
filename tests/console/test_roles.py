"""What each role is offered, against the real central server: the administrator's menu with
the users central lists and the rule parameters, the operator's settings acting at once, the
demo viewer on the kiosk; and the login dialog's "remember password", which only ever writes to
the OS password store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from console.accounts.window import AccountsWindow
from console.admin.dialogs import RuleParametersDialog
from console.settings.model import ConsoleSettings
from console.shell.credentials import KeyringVault, account_key
from console.shell.login_dialog import LoginDialog
from console.shell.roles import office_profile_active, role_profile
from console.shell.session import ConsoleSession
from db.models import Sensor, User
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(90)


def start(qloop, tmp_path: Path, url: str, user: str, **settings_values) -> ConsoleSession:
    settings = ConsoleSettings.load(tmp_path / "settings.json")
    if settings_values:
        assert settings.update(settings_values) == {}
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall, settings=settings)
    assert run(qloop, session.async_start(url, user, DEMO_PASSWORD))
    return session


def stop(qloop, session: ConsoleSession) -> None:
    run(qloop, session.async_stop())
    if session.window is not None:
        session.window.close()
        session.window.deleteLater()


def menu_titles(session: ConsoleSession) -> list[str]:
    return [a.text() for a in session.window.menuBar().actions()]


def test_role_table() -> None:
    assert role_profile("admin").admin_menu and role_profile("admin").can_dispatch
    assert role_profile("operator").can_dispatch and not role_profile("operator").admin_menu
    assert role_profile("viewer").kiosk and not role_profile("viewer").can_change_settings
    assert not role_profile("someone-new").can_dispatch  # unknown roles get the least
    assert office_profile_active("district", "auto") and not office_profile_active("operator",
                                                                                    "auto")
    assert office_profile_active("operator", "on") and not office_profile_active("district",
                                                                                 "off")


def test_admin_sees_users_and_rule_parameters(qloop, qtbot, qcentral, tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        titles = menu_titles(session)
        assert "&Administration" in titles and "&Tools" in titles
        assert titles.index("&Tools") < titles.index("&Help")
        expected = run(qloop, qcentral.read(lambda s: s.scalar(
            select(func.count()).select_from(User))))

        async def users_synced() -> bool:
            return await session.store.count(User) == expected

        wait_until(qloop, users_synced, 15, "every account in the local cache")
        users = session.role_ui.open_users()
        assert isinstance(users, AccountsWindow)
        wait_until(qloop, lambda: users.accounts, 10, "the accounts list")
        assert users.table.rowCount() == len(users.accounts) == expected
        names = set(users.visible_usernames())
        assert {"admin", "operator", "kbs"} <= names
        assert users.status.text().startswith(f"{expected} accounts, 0 disabled")

        sensors = run(qloop, qcentral.read(lambda s: s.scalar(
            select(func.count()).select_from(Sensor))))
        assert sensors > 0

        async def synced() -> bool:
            return await session.store.count(Sensor) == sensors

        wait_until(qloop, synced, 15, "every sensor in the local cache")
        rules = session.role_ui.open_rule_parameters()
        assert isinstance(rules, RuleParametersDialog)
        wait_until(qloop, lambda: rules.rows, 10, "the rule parameters")
        assert rules.table.rowCount() == sensors
        first_business = rules.table.item(0, 0).text()
        rules.filter.setText(first_business)
        assert 0 < rules.visible_rows() < sensors
    finally:
        stop(qloop, session)


def test_operator_settings_act_on_the_running_console(qloop, qtbot, qcentral,
                                                      tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "operator", popup_min_severity=4)
    try:
        assert "&Administration" not in menu_titles(session)
        assert session.alarms.popup_min_severity == 4  # from the settings file
        assert session.settings.update({"popup_min_severity": 2, "alarm_sounds": False}) == {}
        assert session.alarms.popup_min_severity == 2  # at once, no restart
        assert session.settings.sounds_enabled is False
        dialog = session.role_ui.open_settings()
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog.save()
        notices = [w for w in QApplication.topLevelWidgets() + session.window.findChildren(
            QMessageBox) if isinstance(w, QMessageBox) and w.objectName() == "settings-notice"]
        assert notices and "Language" in notices[0].text()
        for box in notices:
            box.close()
    finally:
        stop(qloop, session)


def test_the_demo_viewer_gets_the_kiosk(qloop, qtbot, qcentral, tmp_path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "viewer")
    try:
        assert session.kiosk
        assert session.role_ui.tools_menu is None and session.role_ui.admin_menu is None
        assert session.window.menuBar().isHidden()
        assert session.alarms.popup_min_severity == 99  # the settings do not undo the kiosk
    finally:
        stop(qloop, session)


# -- remember password --------------------------------------------------------------------------

class MemoryVault:
    """The OS password store, as far as the dialog can tell."""

    def __init__(self, usable: bool = True) -> None:
        self.usable = usable
        self.entries: dict[str, str] = {}

    def availability(self) -> tuple[bool, str]:
        return (True, "") if self.usable else (False, "this computer has no password store")

    def get(self, server: str, username: str) -> str | None:
        return self.entries.get(account_key(server, username))

    def set(self, server: str, username: str, password: str) -> bool:
        self.entries[account_key(server, username)] = password
        return True

    def delete(self, server: str, username: str) -> None:
        self.entries.pop(account_key(server, username), None)


def files_containing(root: Path, text: str) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and text.encode() in path.read_bytes():
            hits.append(path)
    return hits


def test_without_a_password_store_the_box_is_disabled_and_says_why(qtbot) -> None:
    dialog = LoginDialog(vault=MemoryVault(usable=False))
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.remember.toolTip() == "Not available: this computer has no password store"


def test_remembered_password_lives_only_in_the_store(qloop, qtbot, qcentral, tmp_path,
                                                     monkeypatch) -> None:
    import os

    vault = MemoryVault()
    dialog = LoginDialog(qcentral.url, "operator", vault=vault)
    qtbot.addWidget(dialog)
    assert dialog.remember.isEnabled() and not dialog.remember.isChecked()
    dialog.remember.setChecked(True)
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    wait_until(qloop, lambda: dialog.outcome is not None, 15, "the login")
    run(qloop, dialog.outcome.client.close())
    assert vault.entries == {account_key(qcentral.url, "operator"): DEMO_PASSWORD}
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    assert not files_containing(config_home, DEMO_PASSWORD)  # QSettings, settings.json: no

    again = LoginDialog(vault=vault)  # next start: server, user and password filled in
    qtbot.addWidget(again)
    assert again.remember.isChecked()
    run(qloop, again.load_remembered())
    assert again.password.text() == DEMO_PASSWORD
    again.user.setText("kbs")
    again.user.textEdited.emit("kbs")  # another user: the operator's password must go
    assert again.password.text() == ""

    vault.entries[account_key(qcentral.url, "operator")] = "changed-on-the-server"
    third = LoginDialog(vault=vault)
    qtbot.addWidget(third)
    run(qloop, third.load_remembered())
    third.submit()
    wait_until(qloop, lambda: third.attempt.done() and "Wrong" in third.error.text(), 15,
               "the refusal")
    assert vault.entries == {}  # a remembered password the server refuses is forgotten

    third.remember.setChecked(False)  # unticked: a successful login forgets it too
    vault.entries[account_key(qcentral.url, "operator")] = DEMO_PASSWORD
    third.password.setText(DEMO_PASSWORD)
    third.submit()
    wait_until(qloop, lambda: third.outcome is not None, 15, "the login")
    run(qloop, third.outcome.client.close())
    assert vault.entries == {}


def test_keyring_vault_uses_the_system_store_or_says_why() -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend
    from keyring.backends import fail

    class Memory(KeyringBackend):
        priority = 1
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            from keyring.errors import PasswordDeleteError

            if (service, username) not in self.store:
                raise PasswordDeleteError(username)
            del self.store[(service, username)]

    previous = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        usable, why = KeyringVault().availability()
        assert not usable and "no system password store" in why
        keyring.set_keyring(Memory())
        vault = KeyringVault()
        assert vault.availability() == (True, "")
        assert vault.set("http://c:8750", "operator", "pw")
        assert Memory.store == {("kitchenwatch", "operator@http://c:8750"): "pw"}
        assert vault.get("http://c:8750/", "operator") == "pw"
        vault.delete("http://c:8750", "operator")
        vault.delete("http://c:8750", "operator")  # nothing left: no error
        assert vault.get("http://c:8750", "operator") is None
    finally:
        keyring.set_keyring(previous)
