"""The Accounts window against a real central on loopback: accounts from the local cache, a new
account through the outbox (its generated password shown once, then gone from the outbox), a
refused action rolled back with central's reason, who is signed in and ending a session, and
the login's "choose your own password" step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from central import auth
from console.accounts.dialogs import ChangePasswordDialog, ShownOnceDialog, UserDialog
from console.accounts.model import generate_password
from console.accounts.window import AccountsWindow
from console.shell.login_dialog import LoginDialog
from console.shell.session import ConsoleSession
from console.sync.client import ApiClient, AuthError
from console.sync.store import SCRUBBED
from db.models import OutboxAction, User
from domain import passwords
from tests.console.conftest import DEMO_PASSWORD, run, wait_until
from tests.console.test_roles import start, stop

pytestmark = pytest.mark.timeout(120)


def _open(qloop, session: ConsoleSession, qcentral) -> AccountsWindow:
    expected = run(qloop, qcentral.read(lambda s: s.scalar(select(func.count())
                                                            .select_from(User))))

    async def synced() -> bool:
        return await session.store.count(User) == expected

    wait_until(qloop, synced, 15, "every account in the local cache")
    window = session.role_ui.open_users()
    assert isinstance(window, AccountsWindow)
    wait_until(qloop, lambda: window.accounts, 10, "the accounts list")
    return window


def test_generated_passwords_pass_the_policy() -> None:
    for _ in range(20):
        assert passwords.check(generate_password()).ok


def test_a_new_account_goes_through_the_outbox_and_its_password_is_scrubbed(
        qloop, qtbot, qcentral, tmp_path: Path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        window = _open(qloop, session, qcentral)
        window.filter.setText("kbs_field")
        assert window.visible_usernames() and all(
            n.startswith("kbs_field") for n in window.visible_usernames())
        window.filter.setText("")

        dialog = window.create_account()
        assert isinstance(dialog, UserDialog)
        dialog.username.setText("li.na")
        dialog.display_name.setText("李娜")
        dialog._select(dialog.role, "field")
        dialog._select(dialog.district, None)
        dialog._accept()  # field staff without a district: refused in the dialog
        assert dialog.isVisible() and "need a district" in dialog.error.text()
        dialog._select(dialog.district, "D01")
        dialog.phone.setText("13912345678")
        dialog._accept()
        assert dialog.result() == QDialog.DialogCode.Accepted
        shown = window._dialog
        assert isinstance(shown, ShownOnceDialog)
        temporary = shown.value.text()
        assert passwords.check(temporary, "li.na").ok
        assert "li.na" in window.visible_usernames() or wait_until(
            qloop, lambda: "li.na" in window.visible_usernames(), 5, "the new row at once")

        async def on_central() -> User | None:
            return await qcentral.read(lambda s: s.scalar(
                select(User).where(User.username == "li.na")))

        user = wait_until(qloop, on_central, 15, "the account on central")
        assert (user.role, user.district_id, user.phone) == ("field", "D01", "13912345678")
        assert user.must_change_password and auth.verify_password(user.password_hash,
                                                                  temporary)

        async def delivered() -> OutboxAction | None:
            return await session.store.read(lambda s: s.scalar(
                select(OutboxAction).where(OutboxAction.kind == "user.create",
                                           OutboxAction.state == "acked")))

        row = wait_until(qloop, delivered, 10, "the action acknowledged")
        assert row.payload["password"] == SCRUBBED and temporary not in str(row.payload)
        shown.reject()
        assert shown.value.text() == ""
    finally:
        stop(qloop, session)


def test_a_refused_account_action_is_rolled_back_with_the_reason(
        qloop, qtbot, qcentral, tmp_path: Path) -> None:
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        window = _open(qloop, session, qcentral)
        # A district this console shows but central no longer has (deleted meanwhile):
        # the move shows at once, central refuses it, and the row comes back as it was.
        field = next(a for a in window.accounts if a.username == "kbs_field1")
        run(qloop, window.model.update(field, district_id="D99", street_id=None))
        moved = run(qloop, session.store.read(lambda s: s.get(User, field.id)))
        assert moved.district_id == "D99"  # the local effect, before central answers
        wait_until(qloop, lambda: "Refused by the server" in window.status.text(), 15,
                   "the refusal in the window")
        assert "no district 'D99'" in window.status.text()

        async def put_back() -> bool:
            row = await session.store.read(lambda s: s.get(User, field.id))
            return row.district_id == "D01"

        wait_until(qloop, put_back, 10, "the row as central has it")

        # A new account refused by central (a street of another district): gone again, and
        # the temporary password is not kept with the refusal.
        run(qloop, window.model.create(username="wang.f", role="field", district_id="D01",
                                       street_id="no-such-street",
                                       password=generate_password()))

        async def scrubbed() -> bool:
            rows = [r for r in await session.store.rejected() if r.kind == "user.create"]
            return bool(rows) and rows[-1].payload.get("password") == SCRUBBED

        wait_until(qloop, scrubbed, 15, "the refused action's password scrubbed")

        async def gone() -> bool:
            return await session.store.read(lambda s: s.scalar(
                select(User).where(User.username == "wang.f"))) is None

        wait_until(qloop, gone, 10, "the refused account removed from the cache")
    finally:
        stop(qloop, session)


def test_signed_in_now_and_ending_a_session(qloop, qtbot, qcentral, tmp_path: Path) -> None:
    operator = ApiClient(qcentral.url)
    run(qloop, operator.login("operator", DEMO_PASSWORD))
    session = start(qloop, tmp_path, qcentral.url, "admin")
    try:
        window = _open(qloop, session, qcentral)
        window.tabs.setCurrentIndex(1)
        wait_until(qloop, lambda: window.sessions, 10, "the signed-in list")
        names = [s["username"] for s in window.sessions]
        assert "operator" in names and "admin" in names
        row = names.index("operator")
        window.sessions_table.selectRow(row)
        window.end_session()

        async def ended() -> bool:
            try:
                await operator.request("GET", "/api/me")
            except AuthError:
                return True
            return False

        wait_until(qloop, ended, 15, "the operator's session ended")
        window.refresh_sessions()
        wait_until(qloop, lambda: "operator" not in [s["username"] for s in window.sessions],
                   10, "the list without the operator")
    finally:
        stop(qloop, session)
        run(qloop, operator.close())


def test_the_login_asks_for_a_new_password_when_an_administrator_set_it(
        qloop, qtbot, qcentral, tmp_path: Path) -> None:
    temporary, chosen = "Temporary-pass-77", "My-own-choice-2026"
    hashed = auth.hash_password(temporary)
    run(qloop, qcentral.write(lambda s: auth.reset_password(s, "u-operator", hashed)))
    dialog = LoginDialog(qcentral.url, "operator")
    qtbot.addWidget(dialog)
    dialog.password.setText(temporary)
    dialog.submit()
    change = wait_until(qloop, lambda: dialog.findChild(ChangePasswordDialog), 10,
                        "the new-password dialog")
    change.passwords.first.setText("operator-2026A")  # contains the user name
    assert "user name" in change.passwords.verdict.text()
    change._accept()
    assert change.isVisible()
    change.passwords.first.setText(chosen)
    change.passwords.second.setText(chosen)
    assert change.passwords.check()
    change._accept()
    wait_until(qloop, lambda: dialog.outcome is not None, 10, "the login to finish")
    assert dialog.outcome.password == chosen
    assert dialog.outcome.user["must_change_password"] is False
    user = run(qloop, qcentral.read(lambda s: s.get(User, "u-operator")))
    assert not user.must_change_password and auth.verify_password(user.password_hash, chosen)
    run(qloop, dialog.outcome.client.close())
