"""A session that central ends, against the real central server: the console stops syncing and
sending, keeps its outbox, brings back the login dialog with the reason, and keeps no password.

Central is told behind the console's back (``POST /api/logout`` with the console's token, as a
logout on another computer does). A middleware on the test server records the answer to every
``POST /api/actions`` and every ``/api/changes`` cursor; with central's idempotency ledger
(one row per key, and the user it was applied for) "sent exactly once, as whom" and "resumed
from the cursor" are what central saw. The 4401 close of the live link is
injected the same way (central closing a user's sockets is another part of issue 12).
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import secrets
import time
import types
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select, update

from central.auth import hash_password
from central.context import HUB
from console.shell.credentials import UnattendedPassword
from console.sync.client import ApiClient
from console.sync.state import ConnectionState
from console.sync.store import PENDING, cache_file_name, pending_in_other_caches
from db.models import AppliedAction, OutboxAction, User
from tests.console.conftest import DEMO_PASSWORD, run, session_for, stop_session, wait_until

pytestmark = pytest.mark.timeout(120)


@dataclasses.dataclass
class Traffic:
    """What central was asked: the answers to actions, in order; change-feed cursors."""

    actions: list[int] = dataclasses.field(default_factory=list)
    since: list[int] = dataclasses.field(default_factory=list)
    close_ws_with: bytes | None = None  # close every new live link with 4401 and this reason
    expire_actions: bool = False  # answer actions 401 token_expired (the live link stays up)

    def middleware(self) -> Any:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            if request.path == "/api/ws" and self.close_ws_with is not None:
                ws = web.WebSocketResponse()
                await ws.prepare(request)
                await ws.close(code=4401, message=self.close_ws_with)
                return ws
            if request.path == "/api/changes":
                self.since.append(int(request.query.get("since", "0")))
            action = request.path == "/api/actions" and request.method == "POST"
            if action and self.expire_actions:
                self.actions.append(401)
                return web.json_response({"error": "token_expired",
                                          "message": "the session has expired; log in again"},
                                         status=401)
            try:
                response = await handler(request)
            except Exception as exc:  # central's ApiError (401, 409…) becomes its answer
                if action:
                    self.actions.append(int(getattr(exc, "status", 500)))
                raise
            if action:
                self.actions.append(response.status)
            return response

        return record


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def live(qloop, qcentral, traffic):
    """central restarted with the traffic recorder (middlewares are fixed once started)."""
    qcentral.middlewares.append(traffic.middleware())
    run(qloop, qcentral.stop())
    run(qloop, qcentral.start())
    return qcentral


def unique_password() -> str:
    """A password object no module holds (not interned), so its referrers can be counted."""
    return "".join(["pw-", secrets.token_hex(8), "-Kw!"])


def set_password(qloop, central, username: str, password: str) -> None:
    digest = hash_password(password)
    run(qloop, central.write(lambda s: s.execute(
        update(User).where(User.username == username).values(password_hash=digest))))


def log_out_behind_its_back(qloop, central, token: str) -> None:
    async def logout() -> None:
        other = ApiClient(central.url)
        other.token = token
        try:
            await other.logout()
        finally:
            await other.close()

    run(qloop, logout())


def holders(root: Any, secret: str, *, depth: int = 9) -> list[str]:
    """Where, under ``root``'s attributes, containers and closures, a string equal to (or
    containing) ``secret`` is held."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(obj: Any, path: str, level: int) -> None:
        if isinstance(obj, str):
            if secret in obj:
                found.append(path)
            return
        if level > depth or id(obj) in seen or isinstance(obj, (type, types.ModuleType)):
            return
        seen.add(id(obj))
        if isinstance(obj, dict):
            for key, value in list(obj.items()):
                walk(key, f"{path}[key]", level + 1)
                walk(value, f"{path}[{key!r}]", level + 1)
        elif isinstance(obj, list | tuple | set | frozenset):
            for n, value in enumerate(list(obj)):
                walk(value, f"{path}[{n}]", level + 1)
        elif isinstance(obj, types.FunctionType):
            for n, cell in enumerate(obj.__closure__ or ()):
                try:
                    walk(cell.cell_contents, f"{path}.<closure {n}>", level + 1)
                except ValueError:
                    pass
        elif isinstance(obj, types.MethodType):
            walk(obj.__func__, f"{path}.__func__", level + 1)
        else:
            try:
                attrs = vars(obj)
            except TypeError:
                return
            for name, value in list(attrs.items()):
                walk(value, f"{path}.{name}", level + 1)

    walk(root, "session", 0)
    return found


def outside_frames(secret: str) -> list[Any]:
    """Containers (not stack frames) that still refer to this very password object."""
    gc.collect()
    return [r for r in gc.get_referrers(secret)
            if not isinstance(r, types.FrameType | types.CoroutineType)]


def camera_report(camera_id: str, note: str) -> dict[str, Any]:
    return {"camera_id": camera_id, "health": "offline", "reason": note}


async def outbox_rows(session) -> list[tuple[str, str]]:
    return await session.store.read(lambda s: [
        (r.idem_key, r.state) for r in s.scalars(select(OutboxAction).order_by(OutboxAction.id))])


async def delivered(session) -> bool:
    return all(state == "acked" for _key, state in await outbox_rows(session))


async def ledger(central, keys: list[str]) -> list[tuple[str, str]]:
    return await central.read(lambda s: [
        (r.idem_key, r.user) for r in s.scalars(
            select(AppliedAction).where(AppliedAction.idem_key.in_(keys)))])


def dialogs(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def close_notices() -> None:
    for box in dialogs(QMessageBox):
        box.close()


def online(session) -> bool:
    return (session.coordinator is not None
            and session.coordinator.state == ConnectionState.ONLINE)


def test_a_logout_elsewhere_brings_back_the_dialog_and_the_outbox_is_sent_once_after(
        qloop, qtbot, live, traffic, tmp_path) -> None:
    password = unique_password()
    set_password(qloop, live, "operator", password)
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(live.url, "operator", password))
    try:
        wait_until(qloop, lambda: online(session), 20, "online")
        client = session.coordinator.client
        # The password served the login and the offline verifier, nothing more.
        assert holders(session, password) == []
        assert outside_frames(password) == []
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15, "the sync")
        camera = session.window.wall.cells()[0].camera_id
        cursor = run(qloop, session.store.cursor())
        assert cursor > 0

        # Central ends the session on its own (its WebSocket closes with 4401 within 2 s),
        # before the console sends anything: the dialog comes first, deterministically.
        log_out_behind_its_back(qloop, live, client.token)
        wait_until(qloop, lambda: session.login_dialog is not None
                   and session.login_dialog.isVisible(), 15, "the login dialog")
        dialog = session.login_dialog
        assert "You were logged out elsewhere" in dialog.error.text()
        assert dialog.server.text() == live.url and dialog.user.text() == "operator"
        assert dialog.password.text() == ""
        assert session.coordinator.state == ConnectionState.AUTH_EXPIRED
        assert client.token is None

        # Recorded while nobody is logged in: kept, and not even tried.
        first = run(qloop, session.store.record_action(
            "camera.health", camera_report(camera, "queued as the session ended")))
        second = run(qloop, session.store.record_action(
            "camera.health", camera_report(camera, "queued while logged out")))
        run(qloop, asyncio.sleep(1.0))
        assert run(qloop, outbox_rows(session)) == [(first, PENDING), (second, PENDING)]
        assert traffic.actions == []
        assert run(qloop, ledger(live, [first, second])) == []

        asked_from = len(traffic.since)
        dialog.password.setText(password)
        dialog.submit()
        wait_until(qloop, lambda: session.login_dialog is None and online(session), 20,
                   "online again")
        wait_until(qloop, lambda: delivered(session), 15, "the outbox to be delivered")
        assert traffic.actions == [200, 200]
        assert sorted(run(qloop, ledger(live, [first, second]))) == sorted(
            [(first, "operator"), (second, "operator")])
        assert traffic.since[asked_from] >= cursor  # resumed from the cursor, not from 0
        assert session.coordinator.client is client  # the same window and client carry on
        assert holders(session, password) == []
    finally:
        stop_session(qloop, session)


def test_an_action_refused_with_401_ends_the_session_and_waits_in_the_outbox(
        qloop, qtbot, live, traffic, tmp_path) -> None:
    """The other way a console learns its session ended: the answer to an action (before the
    live link says so). The action is kept, the dialog counts it, and after the login it is
    applied once."""
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(live.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: online(session), 20, "online")
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15, "the sync")
        camera = session.window.wall.cells()[0].camera_id
        traffic.expire_actions = True
        key = run(qloop, session.store.record_action(
            "camera.health", camera_report(camera, "refused with 401")))
        wait_until(qloop, lambda: session.login_dialog is not None
                   and session.login_dialog.isVisible(), 15, "the login dialog")
        dialog = session.login_dialog
        assert "1 action(s) of operator are kept on this computer" in dialog.error.text()
        assert session.coordinator.state == ConnectionState.AUTH_EXPIRED
        assert traffic.actions == [401]
        assert run(qloop, outbox_rows(session)) == [(key, PENDING)]
        traffic.expire_actions = False
        dialog.password.setText(DEMO_PASSWORD)
        dialog.submit()
        wait_until(qloop, lambda: ledger(live, [key]), 20, "the action after the login")
        assert traffic.actions == [401, 200]
        assert run(qloop, ledger(live, [key])) == [(key, "operator")]
    finally:
        stop_session(qloop, session)


def test_another_user_logging_in_does_not_send_the_first_users_actions(
        qloop, qtbot, live, traffic, tmp_path) -> None:
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(live.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: online(session), 20, "online")
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15, "the sync")
        camera = session.window.wall.cells()[0].camera_id
        first_window = session.window
        log_out_behind_its_back(qloop, live, session.coordinator.client.token)
        wait_until(qloop, lambda: session.login_dialog is not None
                   and session.login_dialog.isVisible(), 15, "the login dialog")
        key = run(qloop, session.store.record_action(
            "camera.health", camera_report(camera, "the operator's work")))
        dialog = session.login_dialog
        dialog.user.setText("admin")
        dialog.password.setText(DEMO_PASSWORD)
        dialog.submit()
        wait_until(qloop, lambda: session.window is not None
                   and session.window is not first_window and online(session), 20,
                   "the admin's window")
        assert session.user["username"] == "admin"
        assert session.store.path.name == cache_file_name(live.url, "admin")
        run(qloop, asyncio.sleep(1.0))
        assert traffic.actions == []  # never sent as the admin
        assert run(qloop, ledger(live, [key])) == []
        held = pending_in_other_caches(session.store.path.parent, session.store.path)
        assert held == {f"operator@{live.url}": 1}
        session.show_rejected()
        box = session._rejected_dialog
        wait_until(qloop, lambda: box.held.isVisible(), 10, "the note on the held actions")
        assert (f"1 action(s) recorded by operator@{live.url} are kept on this computer"
                in box.held.text())
    finally:
        stop_session(qloop, session)

    # The operator logs in again: their action goes out under their name, once.
    again = session_for(tmp_path)
    assert run(qloop, again.async_start(live.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: ledger(live, [key]), 20, "the operator's action")
        assert run(qloop, ledger(live, [key])) == [(key, "operator")]
        assert traffic.actions == [200]
    finally:
        stop_session(qloop, again)


def test_the_live_link_closed_with_4401_says_why_and_stops_syncing(
        qloop, qtbot, live, traffic, tmp_path) -> None:
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(live.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: online(session), 20, "online")
        traffic.close_ws_with = b"account disabled"
        live.app[HUB].close_all()  # the link drops; the next one is refused with 4401
        wait_until(qloop, lambda: session.login_dialog is not None
                   and session.login_dialog.isVisible(), 15, "the login dialog")
        assert "Your account has been disabled" in session.login_dialog.error.text()
        assert session.coordinator.state == ConnectionState.AUTH_EXPIRED
        pulls = len(traffic.since)
        session.coordinator.retry_now()
        run(qloop, asyncio.sleep(1.0))
        assert len(traffic.since) == pulls  # syncing has stopped
        traffic.close_ws_with = None  # re-enabled
        session.login_dialog.password.setText(DEMO_PASSWORD)
        session.login_dialog.submit()
        wait_until(qloop, lambda: online(session), 20, "online again")
    finally:
        stop_session(qloop, session)


def test_a_kiosk_reads_its_password_file_again_and_keeps_none(qloop, qtbot, live, traffic,
                                                              tmp_path: Path) -> None:
    password = unique_password()
    set_password(qloop, live, "operator", password)
    secret_file = tmp_path / "screen1.password"
    secret_file.write_text(password + "\n", encoding="utf-8")
    secret_file.chmod(0o600)
    session = session_for(tmp_path, kiosk=True)
    source = UnattendedPassword(file=secret_file)
    assert run(qloop, session.async_start(live.url, "operator", password_source=source))
    try:
        wait_until(qloop, lambda: online(session), 20, "online")
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15, "the sync")
        camera = session.window.wall.cells()[0].camera_id
        client = session.coordinator.client
        token = client.token
        log_out_behind_its_back(qloop, live, token)
        # Central closes the live link (4401) and the screen logs in again by itself.
        wait_until(qloop, lambda: client.token not in (None, token), 15,
                   "the kiosk to log in again")
        key = run(qloop, session.store.record_action(
            "camera.health", camera_report(camera, "kiosk")))
        wait_until(qloop, lambda: ledger(live, [key]), 15,
                   "the action after the kiosk logged in again")
        assert traffic.actions == [200]
        assert client.token and client.token != token and session.login_dialog is None
        assert holders(session, password) == []  # read from the file for that login only

        # The file now holds a password central refuses: a person is needed.
        secret_file.write_text("not the password\n", encoding="utf-8")
        log_out_behind_its_back(qloop, live, client.token)
        run(qloop, session.store.record_action("camera.health", camera_report(camera, "x")))
        wait_until(qloop, lambda: session.login_dialog is not None
                   and session.login_dialog.isVisible(), 15, "the login dialog")
        assert "The saved password was refused" in session.login_dialog.error.text()
    finally:
        close_notices()
        stop_session(qloop, session)


@pytest.mark.parametrize(("reason", "code", "english", "chinese"), [
    ("expired", "token_expired", "Your login has expired", "登录已过期，请重新登录"),
    ("logged out", "logged_out", "You were logged out elsewhere", "已在其他地方退出登录"),
    ("account disabled", "account_disabled", "Your account has been disabled",
     "您的账号已被停用"),
    ("role changed", "role_changed", "Your role or district was changed", "您的角色或辖区已变更"),
    ("password changed", "password_changed", "Your password was changed", "您的密码已被修改"),
    ("maintenance", "session_ended", "The server ended your session: maintenance",
     "服务器已结束您的会话：maintenance"),
])
def test_the_reason_of_a_4401_close_is_said_in_the_users_language(
        qapp, reason: str, code: str, english: str, chinese: str) -> None:
    from console.shell.login_dialog import session_end_text
    from console.sync.client import session_closed
    from resources.i18n import install_translator

    closed = session_closed(reason)
    assert closed.code == code and closed.status == 401
    assert session_end_text(closed).startswith(english)
    try:
        assert install_translator(qapp, "zh_CN")
        assert session_end_text(closed).startswith(chinese)
    finally:
        install_translator(qapp, "en")
    assert session_end_text(closed).startswith(english)


def test_the_command_line_gives_a_source_read_anew_not_a_password(tmp_path: Path,
                                                                   monkeypatch) -> None:
    from console.shell.app import PASSWORD_ENV, parse_args, password_source

    secret_file = tmp_path / "screen1"
    secret_file.write_text("first-secret\n", encoding="utf-8")
    secret_file.chmod(0o600)
    args, _ = parse_args(["--user", "screen1", "--password-file", str(secret_file)])
    source = password_source(args)
    assert source is not None and "first-secret" not in repr(source)
    assert source.read() == "first-secret"
    secret_file.write_text("second-secret\n", encoding="utf-8")
    assert source.read() == "second-secret"  # a kiosk picks up a changed file
    secret_file.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="is empty"):
        password_source(args)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    args, _ = parse_args(["--user", "screen1"])
    assert password_source(args) is None
    monkeypatch.setenv(PASSWORD_ENV, "from-the-environment")
    source = password_source(args)
    assert source is not None and source.read() == "from-the-environment"
    assert "from-the-environment" not in repr(source)


def test_a_console_left_running_prunes_its_outbox_again_and_again(
        qloop, qtbot, live, traffic, tmp_path, monkeypatch) -> None:
    """Found by the soak: pruning ran only at start, so a console up for weeks grew its local
    database with every delivered action."""
    from console.sync.store import LocalStore

    pruned: list[float] = []
    original = LocalStore.prune_outbox

    async def counting(self, *args, **kwargs):
        pruned.append(time.monotonic())
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(LocalStore, "prune_outbox", counting)
    session = session_for(tmp_path)
    session.housekeeping_ms = 200
    assert run(qloop, session.async_start(live.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: len(pruned) >= 4, 10, "the outbox pruned again and again")
    finally:
        stop_session(qloop, session)
    count = len(pruned)
    run(qloop, asyncio.sleep(0.6))
    assert len(pruned) == count  # the timer stops with the session
