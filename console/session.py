"""One running console: who is logged in, the local store, the sync engine, the window."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from console.main_window import MainWindow
from console.store import USER, LocalStore
from console.sync.client import ApiClient, AuthError, SyncError
from console.sync.engine import SyncCallbacks, SyncEngine

log = logging.getLogger("kitchenwatch.console")
DEFAULT_LAYOUT = {"district": "4", "viewer": "16"}


class ConsoleSession:
    def __init__(self, data_dir: Path, layout: str | None = None, kiosk: bool = False,
                 fullscreen: bool = False) -> None:
        self.data_dir = data_dir
        self.layout = layout
        self.kiosk = kiosk
        self.fullscreen = fullscreen
        self.store: LocalStore | None = None
        self.engine: SyncEngine | None = None
        self.window: MainWindow | None = None

    async def async_start(self, server: str | None, username: str | None,
                          password: str | None) -> bool:
        self.store = LocalStore(self.data_dir / "local.db")
        client: ApiClient | None = None
        user: dict | None = None
        if server and username and password:
            client = ApiClient(server)
            try:
                user = await client.login(username, password)
            except AuthError as exc:
                QMessageBox.critical(None, "Kitchen Watch", str(exc))
                return False
            except SyncError as exc:
                user = await self._cached_user(server, username)
                if user is None:
                    QMessageBox.critical(None, "Kitchen Watch",
                                         f"{exc}\n\nNo local data from an earlier session.")
                    return False
                log.warning("server unreachable (%s); starting on the local cache", exc)
        else:
            from console.login_dialog import LoginDialog

            dialog = LoginDialog(server or "", username or "")
            client = await dialog.async_run()
            if client is None:
                return False
            user, username = client.user, client.user["username"]
            password = dialog.password.text()
        assert client is not None and username is not None
        if await self.store.bind_server(client.base_url, username):
            log.info("local cache belonged to another server or user; starting fresh")
        await self.store.run(lambda s: self.store._put(s, USER + "_json", json.dumps(user)))
        if self.store.recovered_from is not None:
            QMessageBox.warning(None, "Kitchen Watch", QApplication.translate(
                "ConsoleSession", "The local database was damaged. A copy was kept at %1; "
                "the console is resynchronising from the server.").replace(
                "%1", str(self.store.recovered_from)))
        layout = self.layout or DEFAULT_LAYOUT.get(user.get("role", ""), "16")
        self.window = MainWindow(self.store, user, layout)
        self.window.setProperty("server_url", client.base_url)
        callbacks = SyncCallbacks(state=self.window.on_sync_state,
                                  entities=self.window.on_entities_changed,
                                  progress=self.window.on_progress,
                                  outbox=self.window.on_outbox,
                                  reading=self.window.gauges.on_reading)
        self.engine = SyncEngine(client, self.store, username, password or "", callbacks)
        from console.alarm_centre import AlarmCentre

        self.alarms = AlarmCentre(self.window, self.window.wall, self.store, client, user,
                                  self.engine.outbox_changed)
        from console.statistics import StatisticsView
        from console.task_centre import TaskCentre

        self.tasks = TaskCentre(self.window, self.store, user, self.engine.outbox_changed)
        self.statistics = StatisticsView(self.window, self.store, client)
        window_entities = callbacks.entities
        callbacks.entities = lambda names: (window_entities(names),
                                            self.alarms.on_entities_changed(names),
                                            self.tasks.on_entities_changed(names))
        self.window.wall.health_changed.connect(self.window.on_health)
        if self.kiosk or self.fullscreen:
            screen = self.window.screen()
            if screen is not None:  # without a window manager full screen is only a hint
                self.window.setGeometry(screen.geometry())
            self.window.showFullScreen()
        else:
            screen = self.window.screen()
            if screen is not None:  # without a window manager "maximised" is only a hint
                self.window.setGeometry(screen.availableGeometry())
            self.window.showMaximized()
        if self.kiosk:
            from console.kiosk import KioskTour

            self.kiosk_tour = KioskTour(self.window, self.window.wall,
                                        self.statistics.dashboard)
            self.window.registry_loaded.connect(
                lambda _n: self.kiosk_tour.sources or self.kiosk_tour.start(
                    self.window.tree.model.all_sources))
            self.alarms.popup_min_severity = 99  # no pop-ups on an unattended screen
        self.window.schedule_reload()
        self.alarms.on_entities_changed({"alarm"})
        self.tasks.on_entities_changed({"task"})
        await self.statistics.load_cached()
        self.statistics.refresh()
        self.engine.start()
        log.info("console ready (user %s, role %s)", username, user.get("role"))
        return True

    async def _cached_user(self, server: str, username: str) -> dict | None:
        assert self.store is not None
        if (await self.store.state("server") != server.rstrip("/")
                or await self.store.state(USER) != username):
            return None
        raw = await self.store.state(USER + "_json")
        return json.loads(raw) if raw else None

    async def async_stop(self) -> None:
        if self.engine is not None:
            await self.engine.stop()
        if self.window is not None:
            self.window.wall.shutdown()
        if self.store is not None:
            self.store.close()
