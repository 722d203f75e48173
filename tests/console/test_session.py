"""The console started as a user would start it, against the real central server: unattended
login, the window syncing, starting on the cache while the server is down, a damaged local
database, the login dialog's errors, camera health reported through the outbox."""

from __future__ import annotations

import asyncio
import logging

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from console.shell.login_dialog import LoginDialog
from console.sync.state import ConnectionState
from console.sync.store import cache_file_name
from db.models import Camera, OutboxAction
from tests.console.conftest import DEMO_PASSWORD, run, session_for, stop_session, wait_until
from videowall.watchdog import StreamState, StreamStatus

pytestmark = pytest.mark.timeout(90)




def dialogs(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def close_notices() -> None:
    for box in dialogs(QMessageBox):
        box.close()


def test_unattended_start_syncs_the_window_and_says_ready(qloop, qtbot, qcentral, tmp_path,
                                                          caplog) -> None:
    session = session_for(tmp_path)
    with caplog.at_level(logging.INFO, logger="kitchenwatch.console"):
        assert run(qloop, session.async_start(qcentral.url, "kbs", DEMO_PASSWORD))
    try:
        assert "console ready" in caplog.text
        window = session.window
        assert window is not None and window.isVisible()
        assert len(window.wall.cells()) == 4  # district staff get four tiles
        wait_until(qloop, lambda: session.coordinator.state == ConnectionState.ONLINE, 15,
                   "online")
        wait_until(qloop, lambda: window.tree.model.rowCount() == 1, 10, "the tree")
        assert window.tree.model.label(0).startswith("康巴什区 (")
        assert "Online" in window.connection_label.text()
        assert window.outbox_label.text() == ""
        assert (tmp_path / "data" / "cache" / cache_file_name(qcentral.url, "kbs")).exists()
        assert (tmp_path / "data" / "cache").is_dir()
        assert DEMO_PASSWORD not in caplog.text
    finally:
        stop_session(qloop, session)


def test_server_down_starts_on_the_cache_and_recovers(qloop, qtbot, qcentral, tmp_path) -> None:
    first = session_for(tmp_path)
    assert run(qloop, first.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    wait_until(qloop, lambda: first.window.tree.model.rowCount() == 5, 15, "the first sync")
    stop_session(qloop, first)
    run(qloop, qcentral.stop())

    again = session_for(tmp_path)
    assert run(qloop, again.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        window = again.window
        assert again.coordinator.state == ConnectionState.OFFLINE
        assert "Offline since" in window.connection_label.text()
        wait_until(qloop, lambda: window.tree.model.rowCount() == 5, 10, "the cached tree")
        assert len(window.wall.cells()) == 16 and window.wall.cells()[0] is not None
        run(qloop, qcentral.start())
        again.coordinator.retry_now()
        # The password was not kept: once the server answers, the operator logs in again.
        wait_until(qloop, lambda: again.login_dialog is not None
                   and again.login_dialog.isVisible(), 15, "the login dialog")
        dialog = again.login_dialog
        assert "can be reached again" in dialog.error.text()
        assert dialog.user.text() == "operator" and dialog.password.text() == ""
        dialog.password.setText(DEMO_PASSWORD)
        dialog.submit()
        wait_until(qloop, lambda: again.coordinator.state == ConnectionState.ONLINE, 15,
                   "the recovery")
        assert "Online" in window.connection_label.text()
        assert again.window is window  # the same user carries on in the same window
    finally:
        stop_session(qloop, again)


def test_cache_does_not_open_with_a_wrong_password(qloop, qtbot, qcentral, tmp_path) -> None:
    first = session_for(tmp_path)
    assert run(qloop, first.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    wait_until(qloop, lambda: first.window.tree.model.rowCount() == 5, 15, "the first sync")
    stop_session(qloop, first)
    run(qloop, qcentral.stop())
    again = session_for(tmp_path)
    task = qloop.create_task(again.async_start(qcentral.url, "operator", "not the password"))
    wait_until(qloop, lambda: dialogs(LoginDialog), 10, "the login dialog")
    [dialog] = dialogs(LoginDialog)
    assert "Cannot reach the server" in dialog.error.text()
    assert not dialog.offline_button.isVisible()
    dialog.password.setText(DEMO_PASSWORD)  # the right password opens the cache offline
    dialog.submit()
    wait_until(qloop, lambda: dialog.offline_button.isVisible(), 10, "the offline offer")
    dialog.offline_button.click()
    assert wait_until(qloop, lambda: task.done(), 10, "the start") and task.result()
    try:
        assert again.coordinator.state == ConnectionState.OFFLINE
    finally:
        stop_session(qloop, again)


def test_wrong_password_opens_the_dialog_with_the_reason(qloop, qtbot, qcentral,
                                                         tmp_path) -> None:
    session = session_for(tmp_path)
    task = qloop.create_task(session.async_start(qcentral.url, "operator", "wrong"))
    wait_until(qloop, lambda: dialogs(LoginDialog), 10, "the login dialog")
    [dialog] = dialogs(LoginDialog)
    assert dialog.error.text() == "Wrong user name or password."
    assert dialog.server.text() == qcentral.url and dialog.user.text() == "operator"
    assert dialog.password.text() == ""  # never pre-filled
    dialog.password.setText("still wrong")
    dialog.submit()
    wait_until(qloop, lambda: dialog.buttons.isEnabled() and "Wrong" in dialog.error.text()
               and dialog.attempt.done(), 10, "the second refusal")
    dialog.reject()
    wait_until(qloop, lambda: task.done(), 10, "the start to give up")
    assert task.result() is False and session.window is None


def test_login_dialog_remembers_the_server_never_the_password(qloop, qtbot, qcentral,
                                                              tmp_path) -> None:
    session = session_for(tmp_path)
    task = qloop.create_task(session.async_start(None, None, None))
    wait_until(qloop, lambda: dialogs(LoginDialog), 10, "the login dialog")
    [dialog] = dialogs(LoginDialog)
    dialog.server.setText("not a url://")
    dialog.submit()
    assert "server address" in dialog.error.text()
    dialog.server.setText(qcentral.url)
    dialog.user.setText("operator")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    assert wait_until(qloop, lambda: task.done(), 15, "the login") and task.result()
    stop_session(qloop, session)
    later = LoginDialog()
    qtbot.addWidget(later)
    assert later.server.text() == qcentral.url and later.user.text() == "operator"
    assert later.password.text() == ""


def test_a_damaged_local_database_is_kept_and_rebuilt(qloop, qtbot, qcentral, tmp_path) -> None:
    cache = tmp_path / "data" / "cache" / cache_file_name(qcentral.url, "operator")
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"\x00garbage after a disk failure" * 1000)
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        [notice] = session.notices
        assert "could not be read" in notice and "downloading everything again" in notice
        # Nothing of the outbox could be read from pure garbage: the operator is told so.
        assert ("waiting to be sent could not be read from the damaged file (file is not a "
                "database)") in notice
        kept = list(cache.parent.glob(cache.name + ".corrupt-*"))
        assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00garbage")
        assert str(kept[0]) in notice
        assert any(notice in box.text() for box in dialogs(QMessageBox))
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15,
                   "the resync")
    finally:
        close_notices()
        stop_session(qloop, session)


def test_wall_health_reaches_central_once_per_verdict(qloop, qtbot, qcentral, tmp_path) -> None:
    session = session_for(tmp_path)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        wait_until(qloop, lambda: session.window.tree.model.rowCount() == 5, 15, "the sync")
        reporter = session.health
        assert reporter is not None
        reporter.settle_s = 0.3
        wall = session.window.wall
        camera_id = wall.cells()[0].camera_id
        for state in (StreamState.CONNECTING, StreamState.OFFLINE, StreamState.RECONNECTING,
                      StreamState.OFFLINE):
            wall.health_changed.emit(camera_id, StreamStatus(state, "connection refused"))

        async def server_health() -> str:
            return await qcentral.read(lambda s: s.get(Camera, camera_id).health)

        wait_until(qloop, lambda: _is(server_health(), "offline"), 10,
                   "central to record the camera offline")
        sent = run(qloop, session.store.read(lambda s: s.scalars(select(
            OutboxAction.payload)).all()))
        assert [p["health"] for p in sent] == ["offline"]
        assert "connection refused" in sent[0]["reason"]
        wall.health_changed.emit(camera_id, StreamStatus(StreamState.OFFLINE, "refused"))
        run(qloop, asyncio.sleep(1.5))
        assert len(run(qloop, session.store.read(lambda s: s.scalars(select(
            OutboxAction.id)).all()))) == 1  # no news, no send
    finally:
        stop_session(qloop, session)


async def _is(value_coro, expected) -> bool:
    return await value_coro == expected


def test_entity_changes_reach_views_coalesced(qloop, qtbot, qcentral, tmp_path) -> None:
    session = session_for(tmp_path)
    seen: list[frozenset[str]] = []
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    try:
        session.coordinator.entities_changed.connect(seen.append)
        wait_until(qloop, lambda: session.coordinator.state == ConnectionState.ONLINE, 15,
                   "online")
        wait_until(qloop, lambda: seen, 5, "the initial sync's notification")
        first = len(seen)
        assert {"district", "business", "camera"} <= set().union(*seen)
        assert first <= 3  # thousands of rows, a handful of notifications
    finally:
        stop_session(qloop, session)
