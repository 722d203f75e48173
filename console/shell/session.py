"""One running console: the login, the local store, the sync coordinator, the window and the
panels the lead integrates (alarms, tasks, statistics, kiosk), wired together.

Start-up order matters for the operator: log in (or, with the server away, open the cache of an
earlier login of the same user), open that user's cache, show the window with what the cache
has, then start syncing. ``console ready`` is logged at INFO once the window is up — the demo
launcher and the end-to-end tests wait for it.

The password is used for the login call and for the offline-login verifier, then dropped: the
session, the client and the dialogs keep only the token. When central ends the session (a 401
on any call, or the live link closed with 4401), syncing and delivery stop, the outbox stays in
the local database, and the login dialog comes back with the reason. The same user logging in
again resumes from the cursor and sends the outbox; another user gets a window on *their own*
cache, and the first user's queued actions wait in the first user's cache file until that user
logs in again (never sent under another name). A kiosk started unattended reads its password
again from its source (file, environment, system password store) instead of asking.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from console.patrol.centre import PatrolCentre, install_patrol
from console.settings.model import ConsoleSettings
from console.shell.aio import cancel_all, spawn
from console.shell.credentials import UnattendedPassword, default_vault
from console.shell.login_dialog import LoginDialog, LoginOutcome, explain, session_end_text
from console.shell.main_window import MainWindow, WallFactory
from console.shell.outbox_dialog import RejectedActionsDialog
from console.shell.role_ui import RoleUi, install_role_ui
from console.shell.roles import role_profile
from console.shell.sync_coordinator import SyncCoordinator
from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerUnreachable,
    SyncError,
    Throttled,
    normalise_server_url,
)
from console.sync.store import LocalStore, cache_file_name, pending_in_other_caches
from console.tasks.centre import TaskCentre
from console.walls.extra_screens import ExtraWalls
from console.walls.health_reports import REPORTING_ROLES, HealthReporter
from console.walls.layout_menu import LayoutMenu
from console.walls.layouts import LayoutLibrary
from console.walls.tours import TourControl
from db.salvage import OutboxSalvage
from videowall.watchdog import StreamStatus

if TYPE_CHECKING:
    from console.alarms.centre import AlarmCentre
    from console.baobao.install import Baobao
    from console.baobao.looks import LookRecorder
    from console.channels.business_detail import BusinessDetails
    from console.dashboard.statistics import StatisticsView
    from console.events.install import MajorEvents
    from console.map.panel import MapPanel
    from console.risk.service import RiskService
    from console.walls.kiosk import KioskTour

log = logging.getLogger("kitchenwatch.console")
# District staff watch few kitchens closely; the city operator room has big walls.
DEFAULT_LAYOUT = {"district": "4", "field": "4", "viewer": "16", "operator": "16",
                  "admin": "16"}

Closer = Callable[[], Awaitable[None] | None]


def salvage_text(salvage: OutboxSalvage) -> str:
    """How many queued actions came back from a damaged local database, for the operator."""
    if salvage.error and not salvage.actions:
        return QCoreApplication.translate(
            "ConsoleSession", "The actions that were waiting to be sent could not be read from "
                              "the damaged file (%1). Check with central what was recorded "
                              "before the damage.").replace("%1", salvage.error)
    text = QCoreApplication.translate(
        "ConsoleSession", "%1 action(s) that were waiting to be sent were recovered from the "
                          "damaged file and will be sent.").replace("%1",
                                                                   str(len(salvage.actions)))
    if salvage.unreadable:
        text += " " + QCoreApplication.translate(
            "ConsoleSession", "%1 recorded action(s) could not be read; check with central what "
                              "was recorded before the damage.").replace(
            "%1", str(salvage.unreadable))
    return text


class ConsoleSession:
    housekeeping_ms = 6 * 3600 * 1000  # how often delivered actions past retention are pruned

    def __init__(self, data_dir: Path, layout: str | None = None, kiosk: bool = False,
                 fullscreen: bool = False, screen: int | None = None,
                 wall_factory: WallFactory | None = None,
                 settings: ConsoleSettings | None = None) -> None:
        self.data_dir = data_dir
        # The operator's settings (console.settings.model); read live, e.g. settings.sounds_enabled.
        self.settings = settings or ConsoleSettings.load()
        self.layout = layout
        self.kiosk = kiosk
        self.fullscreen = fullscreen
        self.screen = screen
        self.wall_factory = wall_factory
        self.store: LocalStore | None = None
        self.coordinator: SyncCoordinator | None = None
        self.window: MainWindow | None = None
        self.user: dict[str, Any] = {}
        self.notices: list[str] = []  # what the user was told at start-up (tests, support)
        self.health: HealthReporter | None = None
        self._health_timer: QTimer | None = None
        self._housekeeping_timer: QTimer | None = None
        self._stores: dict[Path, LocalStore] = {}
        self._helper: QObject | None = None
        self._rejected_dialog: RejectedActionsDialog | None = None
        self._boxes: list[QMessageBox] = []
        self._password_source: UnattendedPassword | None = None  # where, never the password
        self._login_again: asyncio.Future[None] | None = None
        self.login_dialog: LoginDialog | None = None  # shown after the session ended
        self.session_end_reason = ""  # what that dialog said (tests, support)
        # The parts wired to one window, built by _open (None until then, and again after a
        # user switch). Which exist depends on the role: no tours on a kiosk, no patrol for a
        # viewer, a kiosk tour only on a kiosk.
        self.alarms: AlarmCentre | None = None
        self.tasks: TaskCentre | None = None
        self.statistics: StatisticsView | None = None
        self.patrol: PatrolCentre | None = None
        self.details: BusinessDetails | None = None
        self.looks: LookRecorder | None = None  # console.baobao.looks, office roles
        self.baobao: Baobao | None = None  # console.baobao.install: figures, visits
        self.kiosk_tour: KioskTour | None = None
        self.city_map: MapPanel | None = None
        self.role_ui: RoleUi | None = None
        self.layouts: LayoutMenu | None = None
        self.tours: TourControl | None = None
        self.extra_walls: ExtraWalls | None = None
        self.risk: RiskService | None = None
        self.major_events: MajorEvents | None = None
        # How to stop each part, in the order they were built; _teardown runs them backwards
        # (a part is stopped before the parts it was built on: the tour gives the operator's
        # wall back before the layouts save it, the store closes last).
        self._closers: list[tuple[str, Closer]] = []

    def _own(self, name: str, close: Closer) -> None:
        """Register how to stop a part just built (see ``_closers``)."""
        self._closers.append((name, close))

    # -- start ----------------------------------------------------------------------------------
    async def async_start(self, server: str | None, username: str | None,
                          password: str | None = None, *,
                          password_source: UnattendedPassword | None = None) -> bool:
        """Log in and open the window; False if the user gave up at the login dialog.

        ``password`` is used for this login only. ``password_source`` (an unattended start) is
        read when logging in, and again by a kiosk whenever central ends its session."""
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed() if isinstance(app, QApplication) else False
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # closing the login dialog must not quit
        if (password_source is None and password is None and self.kiosk and server
                and username and default_vault().availability()[0]):
            # An unattended kiosk whose password was remembered in the system password store.
            try:
                password_source = UnattendedPassword(env=None).with_vault(
                    default_vault(), normalise_server_url(server), username)
            except ValueError:
                pass  # the login dialog says what is wrong with the address
        self._password_source = password_source
        try:
            return await self._async_start(server, username, password)
        finally:
            del password
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quit_on_close)

    async def _async_start(self, server: str | None, username: str | None,
                           password: str | None) -> bool:
        outcome: LoginOutcome | None = None
        message = ""
        if server and username and (password or self._password_source is not None):
            outcome, message = await self._unattended_login(server, username, password)
        del password
        if outcome is None:
            dialog = LoginDialog(server or "", username or "", message=message,
                                 offline_check=self._offline_check)
            outcome = await dialog.async_run()
            dialog.deleteLater()
            if outcome is None:
                await self._close_stores()
                return False
        await self._open(outcome)
        return True

    async def _unattended_login(self, server: str, username: str,
                                password: str | None) -> tuple[LoginOutcome | None, str]:
        try:
            client = ApiClient(server)
        except ValueError as exc:
            return None, QCoreApplication.translate(
                "ConsoleSession", "Check the server address: %1").replace("%1", str(exc))
        if password is None and self._password_source is not None:
            try:  # off the UI thread: a password store may be slow or ask to be unlocked
                password = await asyncio.get_event_loop().run_in_executor(
                    None, self._password_source.read)
            except OSError as exc:
                log.error("%s", exc)
                password = None
        if not password:
            await client.close()
            return None, ""
        try:
            user = await client.login(username, password)
            return LoginOutcome(client, user, password), ""
        except (AuthError, Throttled) as exc:
            await client.close()
            log.error("unattended login of %s refused: %s", username, exc.message)
            return None, explain(exc)
        except (ServerUnreachable, ServerError) as exc:
            cached = await self._offline_check(client.base_url, username, password)
            if cached is None:
                await client.close()
                log.error("%s; and no local data that this login of %s may open", exc.message,
                          username)
                return None, explain(exc) + "\n" + QCoreApplication.translate(
                    "ConsoleSession", "This computer has no data from an earlier login of this "
                                      "user with this password.")
            client.user = cached  # no token: logs in (or asks) once the server answers
            log.warning("%s; starting on the local data of %s's last login", exc.message,
                        username)
            return LoginOutcome(client, cached, "", offline=True, reason=exc.message), ""
        finally:
            del password

    def _store_path(self, server: str, username: str) -> Path:
        return self.data_dir / "cache" / cache_file_name(server, username)

    async def _open_store(self, server: str, username: str) -> LocalStore:
        path = self._store_path(server, username)
        store = self._stores.get(path)
        if store is None:
            store = await LocalStore.async_open(path)
            self._stores[path] = store
            if await store.bind(server, username):
                log.warning("%s belonged to another login; emptied it", path)
        return store

    async def _offline_check(self, server: str, username: str,
                             password: str) -> dict[str, Any] | None:
        path = self._store_path(server, username)
        if not path.exists() and path not in self._stores:
            return None
        store = await self._open_store(server, username)
        return await store.offline_login(username, password)

    async def _close_stores(self, keep: LocalStore | None = None) -> None:
        for path, store in list(self._stores.items()):
            if store is not keep:
                await store.async_close()
                del self._stores[path]

    # -- open the window ------------------------------------------------------------------------
    async def _open(self, outcome: LoginOutcome) -> None:
        client, self.user = outcome.client, outcome.user
        username = str(self.user.get("username") or client.username)
        store = await self._open_store(client.base_url, username)
        await self._close_stores(keep=store)
        self.store = store
        self._own("local store", self._close_store)
        if not outcome.offline:
            await store.remember_login(self.user, outcome.password)
        outcome.forget_password()  # from here on only the token
        role = str(self.user.get("role", ""))
        self.kiosk = self.kiosk or role_profile(role).kiosk  # the demo viewer gets the kiosk
        if self.kiosk and self._password_source is not None:
            # No operator to ask: read the password again from where it came (never kept).
            source = self._password_source.with_vault(default_vault(), client.base_url,
                                                      username)
            client.set_password_source(username, source)
            log.info("kiosk: an ended session logs in again with %s", source.describe())
        if store.recovered_from is not None:
            text = QCoreApplication.translate(
                "ConsoleSession", "The local database could not be read (%1). A copy was kept "
                                  "at %2; the console is downloading everything again from "
                                  "the server.").replace("%1", store.recovery_reason).replace(
                "%2", str(store.recovered_from))
            if store.salvage is not None:
                text += "\n\n" + salvage_text(store.salvage)
            self._tell(text, QMessageBox.Icon.Warning)
        layout = self.layout or DEFAULT_LAYOUT.get(role, "16")
        window = MainWindow(store, self.user, layout, server_url=client.base_url,
                            **({"wall_factory": self.wall_factory} if self.wall_factory else {}))
        self.window = window
        self._own("wall", window.shutdown_wall)
        coordinator = SyncCoordinator(client, store, parent=window)
        self.coordinator = coordinator
        self._own("sync", coordinator.async_stop)
        self._helper = QObject(window)
        coordinator.state_changed.connect(window.on_connection)
        coordinator.progress.connect(window.on_progress)
        coordinator.outbox_changed.connect(window.on_outbox)
        coordinator.entities_changed.connect(window.on_entities_changed)
        coordinator.reading_received.connect(window.gauges.on_reading)
        window.status.retry_requested.connect(coordinator.retry_now)
        window.status.relogin_requested.connect(self.relogin)
        coordinator.session_ended.connect(self._on_session_ended)
        window.status.rejected_requested.connect(self.show_rejected)
        window.rejected_action.triggered.connect(self.show_rejected)
        self._integrate_panels(window, store, client, coordinator)
        self.role_ui = install_role_ui(self, window, client, store)  # menus by role, settings
        # An explicit --layout, and the unattended kiosk, start from the tree, not the last wall.
        layouts = self.layouts = LayoutMenu(window, LayoutLibrary(store),
                                            restore_last=not (self.layout or self.kiosk),
                                            autosave=not self.kiosk)
        self._own("layouts", layouts.async_stop)  # keeps the wall as the operator leaves it
        if not self.kiosk:  # the kiosk runs its own tour (console.walls.kiosk)
            tours = self.tours = TourControl(window, self.settings)
            self._own("tours", tours.shutdown)  # gives the operator's wall back first
            extra = self.extra_walls = ExtraWalls(window, self.settings.wall_screens, store,
                                                  layouts)
            self._own("further screens", extra.async_stop)
        from console.risk.service import install as install_risk

        self.risk = install_risk(window, client, tours=None if self.kiosk else self.tours,
                                 details=self.details,
                                 patrol_menu=self.patrol.menu if self.patrol else None)
        from console.events.install import install as install_events

        office = self.user.get("role") in ("admin", "operator", "district")
        self.major_events = install_events(
            window, store, client, None if self.kiosk else self.tours,
            self.patrol.menu if self.patrol and office else None,
            admin=self.user.get("role") == "admin")
        self._wire_health(window, store, coordinator, role, username)
        self._wire_looks(window, store)
        self._show(window)
        if outcome.offline:
            coordinator.tracker.failed(outcome.reason)
        window.schedule_reload()
        coordinator.start()
        self._start_housekeeping(store)
        log.info("console ready (user %s, role %s, %s)", username, role or "?",
                 "offline on the local cache" if outcome.offline else "online")

    def _integrate_panels(self, window: MainWindow, store: LocalStore, client: ApiClient,
                          coordinator: SyncCoordinator) -> None:
        """The alarm centre, task board and statistics (the lead's integration)."""
        # Imported here, after the login: these load pyqtgraph, about 2 s measured on the
        # project's 2-core test machine, which would otherwise delay the login dialog.
        from console.alarms.centre import AlarmCentre
        from console.baobao.install import install_baobao
        from console.channels.business_detail import BusinessDetails
        from console.dashboard.statistics import StatisticsView
        from console.walls.kiosk import KioskTour

        alarms = self.alarms = AlarmCentre(window, window.wall, store, client, self.user,
                                           coordinator.wake_outbox, settings=self.settings,
                                           tour=lambda: window.tour, help_menu=window.help_menu,
                                           wall_factory=self.wall_factory)
        self._own("alarms", alarms.shutdown)  # panels and their video, timers, sounds
        coordinator.alarm_received.connect(alarms.on_alarm_received)  # live: no reload
        tasks = self.tasks = TaskCentre(window, store, self.user, coordinator.wake_outbox,
                                        client=client)
        tasks.board.evidence_requested.connect(alarms.ask_evidence_pack)
        statistics = self.statistics = StatisticsView(window, store, client)
        self._own("statistics", statistics.shutdown)  # its refresh timer
        coordinator.entities_changed.connect(alarms.on_entities_changed)
        coordinator.entities_changed.connect(tasks.on_entities_changed)
        alarms.on_entities_changed({"alarm"})
        tasks.on_entities_changed({"task"})
        spawn(self._async_statistics(statistics), name="statistics")
        patrol = self.patrol = install_patrol(window, store, client, coordinator, self.user,
                                              kiosk=self.kiosk)  # None: the role does not patrol
        if patrol is not None:
            self._own("patrol", patrol.shutdown)  # its upload timer
        self.details = BusinessDetails.install(window, store, client, coordinator, self.user)
        city_map = self.city_map = self._install_map(window, store, coordinator)
        baobao = self.baobao = install_baobao(window, store, client, coordinator, self.user,
                                              details=self.details, kiosk=self.kiosk)
        if baobao is not None:
            self._own("baobao", baobao.shutdown)  # its refresh timer and dialogs
        from console.playback import menu as playback_menu

        # Playback and "record now" on the tiles (a viewer watches, never records).
        playback_menu.install(window.wall, alarms.playback, may_record=not alarms.read_only)
        playback_menu.install_tree(window.tree_menu_hooks, alarms.playback)
        if self.kiosk:
            kiosk_tour = self.kiosk_tour = KioskTour(window, window.wall, statistics.dashboard,
                                                     city_map=city_map.view)
            self._own("kiosk tour", kiosk_tour.stop)
            window.registry_loaded.connect(
                lambda _n: kiosk_tour.sources or kiosk_tour.start(window.tree.model.all_sources))
            alarms.popup_min_severity = 99  # no pop-ups on an unattended screen

    def _install_map(self, window: MainWindow, store: LocalStore,
                     coordinator: SyncCoordinator) -> MapPanel:
        """The city map (console.map): a bottom dock, or the kiosk's second page."""
        from console.map.panel import MapPanel

        panel = MapPanel(window, store, self.user, boundaries=self.settings.map_boundaries,
                         dock=not self.kiosk)
        view = panel.view
        view.sources_for = panel.sources_for
        if self.details is not None:
            view.business_clicked.connect(self.details.open)
        view.business_activated.connect(
            lambda bid: window.open_sources(panel.sources_for(bid)))
        coordinator.entities_changed.connect(panel.on_entities_changed)
        coordinator.alarm_received.connect(panel.on_alarm_received)
        window.registry_loaded.connect(lambda _n: panel.reload())

        def on_settings(after: Any, changed: frozenset[str]) -> None:
            if "map_boundaries" in changed:
                panel.set_boundaries(after.map_boundaries)
                panel.reload()

        self._own("map settings", self.settings.subscribe(on_settings))
        panel.reload()
        return panel

    @staticmethod
    async def _async_statistics(statistics: StatisticsView) -> None:
        await statistics.load_cached()
        statistics.refresh()

    def _wire_health(self, window: MainWindow, store: LocalStore,
                     coordinator: SyncCoordinator, role: str, username: str) -> None:
        """Stream verdicts of this console's wall → ``camera.health`` actions (office roles
        only: central refuses them from others)."""
        if role not in REPORTING_ROLES or self.kiosk:
            return
        reporter = HealthReporter()
        self.health = reporter
        witness = f"{username}@{socket.gethostname()}"

        def observe(camera_id: str, status: StreamStatus) -> None:
            reporter.observe(camera_id, status.state.value, status.reason)

        async def send_due() -> None:
            for report in reporter.due():
                payload = report.payload()
                payload["reason"] = f"{report.reason} (seen by {witness})"[:500]
                await store.record_action("camera.health", payload)

        async def load_server_health() -> None:
            reporter.set_server_health(await store.camera_health())

        window.wall.health_changed.connect(observe)
        coordinator.entities_changed.connect(
            lambda names: "camera" in names and spawn(load_server_health(), "health-known"))
        timer = QTimer(self._helper)
        timer.setInterval(1000)
        timer.timeout.connect(lambda: spawn(send_due(), name="camera-health"))
        timer.start()
        self._health_timer = timer
        self._own("health timer", self._stop_health_timer)  # must not outlive the loop
        spawn(load_server_health(), name="health-known")

    def _wire_looks(self, window: MainWindow, store: LocalStore) -> None:
        """Every look at a camera leaves a record (console.baobao.looks); not on a kiosk."""
        if self.kiosk:
            return
        from console.baobao.looks import install_looks

        def patrol_cameras() -> list[str]:
            run = self.patrol.run if self.patrol is not None else None
            return [c.camera_id for c in run.cameras] if run is not None else []

        recorder = install_looks(
            window, store, self.user, patrol_cameras=patrol_cameras,
            tour_running=lambda: self.tours is not None and self.tours.driver is not None)
        if recorder is not None:
            self.looks = recorder
            self._own("looks", recorder.async_stop)  # before the store closes

    def _start_housekeeping(self, store: LocalStore) -> None:
        """Delivered actions older than the outbox's retention, and finished history older
        than ``cache_retention_days`` (settings; :meth:`LocalStore.prune_cache`), are deleted
        at the start and then every few hours: a control-room console runs for weeks without
        a restart, and its operators' and the health reporter's actions, and every alarm
        central sends, would otherwise grow the local database for as long as it runs."""
        def prune() -> None:
            spawn(store.prune_outbox(), name="prune-outbox")
            keep = timedelta(days=self.settings.cache_retention_days)
            spawn(store.prune_cache(keep), name="prune-cache")

        prune()
        timer = QTimer(self._helper)
        timer.setInterval(self.housekeeping_ms)
        timer.timeout.connect(prune)
        timer.start()
        self._housekeeping_timer = timer
        self._own("housekeeping timer", self._stop_housekeeping_timer)

    def _show(self, window: MainWindow) -> None:
        screens = QGuiApplication.screens()
        screen = None
        if self.screen is not None:
            if 0 <= self.screen < len(screens):
                screen = screens[self.screen]
            else:
                log.warning("--screen %d: this computer has %d screen(s); using the first",
                            self.screen, len(screens))
        screen = screen or window.screen()
        if not (self.kiosk or self.fullscreen or self.screen is not None):
            window.restore_window_state()
        if self.kiosk or self.fullscreen:
            if screen is not None:  # without a window manager full screen is only a hint
                window.setGeometry(screen.geometry())
            window.showFullScreen()
        else:
            if screen is not None:  # without a window manager "maximised" is only a hint
                window.setGeometry(screen.availableGeometry())
            window.showMaximized()

    def _tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        """A non-blocking message box (never a nested event loop on the qasync loop)."""
        self.notices.append(text)
        box = QMessageBox(icon, "Kitchen Watch", text, QMessageBox.StandardButton.Ok, None)
        box.setObjectName("console-notice")
        box.finished.connect(lambda _result, b=box: self._boxes.remove(b))
        self._boxes.append(box)  # unparented: this reference keeps it alive while shown
        box.show()

    # -- the session ended ------------------------------------------------------------------------
    def _on_session_ended(self, reason: AuthError) -> None:
        """Central no longer accepts this login: ask for one, saying why (syncing and delivery
        have already stopped; the outbox stays in the local database)."""
        if self._login_again is not None and not self._login_again.done():
            return
        # Not through spawn(): a switch to another user cancels spawned tasks, not this one.
        task = asyncio.ensure_future(self._async_login_again(reason))
        task.add_done_callback(self._login_again_done)
        self._login_again = task

    @staticmethod
    def _login_again_done(task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("logging in again failed", exc_info=task.exception())

    def relogin(self) -> None:
        """The status bar's "log in again": the login dialog with the reason."""
        if self.coordinator is None:
            return
        reason = self.coordinator.client.ended or AuthError(
            "log in again", status=401, code="login_needed")
        self._on_session_ended(reason)

    async def _async_login_again(self, reason: SyncError) -> None:
        coordinator, store = self.coordinator, self.store
        if coordinator is None or store is None:
            return
        client = coordinator.client
        text = session_end_text(reason)
        pending = (await store.outbox_counts()).pending
        if pending:
            text += "\n" + QCoreApplication.translate(
                "ConsoleSession", "%1 action(s) of %2 are kept on this computer and will be "
                                  "sent once %2 has logged in again.").replace(
                "%1", str(pending)).replace("%2", client.username)
        self.session_end_reason = text
        log.warning("session of %s ended (%s); asking for a login; %d action(s) kept in the "
                    "outbox", client.username, reason.code or reason.message, pending)
        # On the window (above a full-screen wall, and the stale window takes no input).
        dialog = LoginDialog(client.base_url, client.username, message=text, parent=self.window)
        dialog.setObjectName("login-again")
        self.login_dialog = dialog
        try:
            outcome = await dialog.async_run()
        finally:
            self.login_dialog = None
            dialog.deleteLater()
        if outcome is None:
            return  # the status bar keeps offering "log in again"
        if self._same_login(outcome):
            await store.remember_login(outcome.user, outcome.password)
            outcome.forget_password()
            self.user = dict(outcome.user)
            await coordinator.async_resume(outcome.client)
            log.info("%s logged in again; syncing from the cursor and sending the outbox",
                     client.username)
            return
        await self._switch(outcome, left_by=client.username, left_pending=pending)

    def _same_login(self, outcome: LoginOutcome) -> bool:
        """The same account on the same server with the same role and district: the window,
        its cache and its outbox carry on. Anything else gets a window of its own."""
        if self.coordinator is None or outcome.offline:
            return False
        old, new = self.user, outcome.user
        return (outcome.client.base_url == self.coordinator.client.base_url
                and str(new.get("username")) == str(old.get("username"))
                and new.get("role") == old.get("role")
                and new.get("district_id") == old.get("district_id"))

    async def _switch(self, outcome: LoginOutcome, *, left_by: str, left_pending: int) -> None:
        """Another user (or the same one with another role) logged in: close this window and
        its cache, open theirs. The queued actions of ``left_by`` stay in their cache file."""
        log.warning("%s logged in after the session of %s ended; %d queued action(s) of %s "
                    "stay in that user's cache until they log in again",
                    outcome.user.get("username"), left_by, left_pending, left_by)
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed() if isinstance(app, QApplication) else False
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # the old window closes before the new opens
        try:
            await self._teardown()
            await self._open(outcome)
        finally:
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quit_on_close)

    def show_rejected(self) -> None:
        if self.store is None or self.coordinator is None:
            return
        if self._rejected_dialog is None:
            coordinator = self.coordinator
            self._rejected_dialog = RejectedActionsDialog(
                self.store, lambda: spawn(coordinator.pusher.publish_counts(), "counts"),
                self.window, held_elsewhere=self._held_elsewhere)
        self._rejected_dialog.refresh()
        self._rejected_dialog.show()
        self._rejected_dialog.raise_()

    async def _held_elsewhere(self) -> dict[str, int]:
        """Queued actions of other users in this computer's caches (user@server → count)."""
        if self.store is None:
            return {}
        store = self.store
        return await asyncio.get_event_loop().run_in_executor(
            None, pending_in_other_caches, store.path.parent, store.path)

    # -- stop -----------------------------------------------------------------------------------
    def _stop_health_timer(self) -> None:
        if self._health_timer is not None:
            self._health_timer.stop()
            self._health_timer = None

    def _stop_housekeeping_timer(self) -> None:
        if self._housekeeping_timer is not None:
            self._housekeeping_timer.stop()
            self._housekeeping_timer = None

    async def _close_store(self) -> None:
        """Last: the tasks still spawned may read it until they are cancelled."""
        await cancel_all()
        await asyncio.sleep(0)
        if self.store is not None:
            await self.store.async_close()
            self._stores.pop(self.store.path, None)

    async def _teardown(self, close_window: bool = True) -> None:
        """Stop everything wired to the window, and close its cache (a user switch, or the
        end); ``close_window`` for a switch (at the end the caller closes it)."""
        closers, self._closers = self._closers, []
        for name, close in reversed(closers):
            log.debug("stopping %s", name)
            done = close()
            if inspect.isawaitable(done):
                await done
        if not close_window:
            return  # the end: the caller closes the window; the parts stay for a last look
        self.alarms = self.tasks = self.statistics = self.patrol = self.details = None
        self.kiosk_tour = self.role_ui = self.layouts = self.tours = self.extra_walls = None
        self.city_map = None
        self.health = self.looks = self.baobao = None
        self.risk = self.major_events = None
        if self._rejected_dialog is not None:
            self._rejected_dialog.close()
            self._rejected_dialog.deleteLater()
            self._rejected_dialog = None
        self.coordinator, self.store = None, None
        if self.window is not None:
            window, self.window = self.window, None
            window.close()
            window.deleteLater()

    async def async_stop(self) -> None:
        if self._login_again is not None and not self._login_again.done():
            if self.login_dialog is not None:
                self.login_dialog.reject()
            self._login_again.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._login_again
        await self._teardown(close_window=False)
        await self._close_stores()
