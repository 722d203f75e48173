"""What a logged-in user is offered, and the operator's settings acting on the running console.

``ConsoleSession`` calls :func:`install_role_ui` once the window and its panels exist. It adds

- Tools → Settings… (``console.settings.dialog``) and Open log folder, for every role but the
  kiosk viewer;
- Administration → Accounts… (``console.accounts``) / Rule parameters… (``console.admin``)
  for ``admin``;

and connects the settings to where they act: the alarm popup threshold
(``session.alarms.popup_min_severity``, not on a kiosk, which never pops up), the stream buffer
of streams opened from now on, the interface language (translators are swapped at once; widgets
that are already open keep their text until the next start, which the operator is told), and
further wall windows on the extra screens chosen for the wall. Alarm sounds are read where they
play, from ``session.settings.sounds_enabled``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from sqlalchemy import select

from console.accounts.window import show_accounts
from console.admin.dialogs import show_rule_parameters
from console.bulletins.window import show_bulletins
from console.ledger.dialog import install_ledger_actions
from console.registry.menu import install as install_registry
from console.settings.dialog import SettingsDialog
from console.settings.model import ConsoleSettings, Settings
from console.shell.aio import spawn
from console.shell.i18n import install_language
from console.shell.main_window import MainWindow, WallFactory
from console.shell.roles import RoleProfile, role_profile
from console.sync.client import ApiClient
from console.sync.store import LocalStore
from db.models import District
from videowall import VideoWall, WallEngine

if TYPE_CHECKING:
    # Types only: the session imports this module, and the alarm centre is imported after
    # the login (console.shell.session says why).
    from console.alarms.centre import AlarmCentre
    from console.shell.session import ConsoleSession

log = logging.getLogger("kitchenwatch.console.shell.roles")


def settings_wall_factory(settings: ConsoleSettings) -> WallFactory:
    """A ``MainWindow`` wall factory whose decode engine opens streams with the operator's
    buffer (libVLC's ``network-caching``; the FFmpeg decoder keeps its own short probe)."""

    def make(layout_name: str, parent: QWidget) -> VideoWall:
        engine = WallEngine(parent=parent, options=settings.player_options())
        return VideoWall(layout_name, parent, engine=engine)

    return make


class RoleUi(QObject):
    """Menus by role and the live settings of one session's window."""

    def __init__(self, window: MainWindow, user: dict[str, Any], settings: ConsoleSettings,
                 client: ApiClient | None, store: LocalStore | None, *, kiosk: bool = False,
                 alarms: AlarmCentre | None = None, log_dir: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.user = user
        self.settings = settings
        self.client = client
        self.store = store
        self.kiosk = kiosk
        self.alarms = alarms
        self.log_dir = log_dir
        self.profile: RoleProfile = role_profile(user.get("role"))
        self.tools_menu: QMenu | None = None
        self.admin_menu: QMenu | None = None
        self.settings_action: QAction | None = None
        self.dialogs: list[QWidget] = []
        self.entities_changed: Any = None  # the sync coordinator's signal, once there is one
        self._notice: QMessageBox | None = None
        if not kiosk and self.profile.can_change_settings:
            self._build_tools_menu()
        if not kiosk and self.profile.admin_menu:
            self._build_admin_menu()
        self.registry = None if kiosk else install_registry(window, store, user)
        self.apply(settings.effective, frozenset(Settings.field_names()))
        self._unsubscribe = settings.subscribe(self.apply)
        window.destroyed.connect(lambda *_: self._unsubscribe())

    # -- menus ----------------------------------------------------------------------------------
    def _insert_menu(self, title: str) -> QMenu:
        menu = QMenu(title, self.window)
        self.window.menuBar().insertMenu(self.window.help_menu.menuAction(), menu)
        return menu

    def _build_tools_menu(self) -> None:
        menu = self.tools_menu = self._insert_menu(self.tr("&Tools"))
        menu.setObjectName("tools-menu")
        action = self.settings_action = QAction(self.tr("&Settings…"), self.window)
        action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        action.triggered.connect(self.open_settings)
        menu.addAction(action)
        if self.profile.can_dispatch:  # office roles: district bureaus draft and approve
            bulletins = QAction(self.tr("&Bulletins…"), self.window)
            bulletins.setObjectName("bulletins-action")
            bulletins.setEnabled(self.client is not None)
            bulletins.triggered.connect(self.open_bulletins)
            menu.addAction(bulletins)
        logs = QAction(self.tr("Open log folder"), self.window)
        logs.setEnabled(self.log_dir is not None)
        logs.triggered.connect(self._open_logs)
        menu.addAction(logs)

    def _build_admin_menu(self) -> None:
        menu = self.admin_menu = self._insert_menu(self.tr("&Administration"))
        menu.setObjectName("admin-menu")
        users = QAction(self.tr("&Accounts…"), self.window)
        users.setObjectName("accounts-action")
        users.setEnabled(self.store is not None)
        users.triggered.connect(self.open_users)
        menu.addAction(users)
        rules = QAction(self.tr("&Rule parameters…"), self.window)
        rules.setEnabled(self.store is not None)
        rules.triggered.connect(self.open_rule_parameters)
        menu.addAction(rules)
        self.ledger = install_ledger_actions(menu, self.window, self.client, self.store, self.user)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _changed, d=dialog: self._after_save(d))
        dialog.open()
        return dialog

    def _after_save(self, dialog: SettingsDialog) -> None:
        later = sorted(dialog.restart_needed)
        if not later:
            return
        names = ", ".join(dialog.field_label(name) for name in later)
        self.tell(self.tr("Settings saved. These take effect when Kitchen Watch starts "
                          "again: %1").replace("%1", names))

    def open_users(self) -> QWidget:
        """Administration → Accounts… (console.accounts): accounts and who is signed in."""
        assert self.store is not None
        window = show_accounts(self.store, self.client, self.user, self.window)
        if self.entities_changed is not None:
            self.entities_changed.connect(window.on_entities_changed)
        return self._keep(window)

    def open_bulletins(self) -> None:
        """Tools → Bulletins… (console.bulletins): 督查通报 drafts and approval."""
        spawn(self.bulletins_window(), "bulletins window")

    async def bulletins_window(self) -> QWidget:
        districts: dict[str, str] = {}
        if self.store is not None:
            districts = await self.store.read(lambda s: {
                d.id: d.name for d in s.scalars(select(District))})
        return self._keep(show_bulletins(self.client, self.user, districts, self.window))

    def open_rule_parameters(self) -> QWidget:
        assert self.store is not None
        return self._keep(show_rule_parameters(self.store, self.window))

    def _keep(self, dialog: QWidget) -> QWidget:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog)
                                 if dialog in self.dialogs else None)
        return dialog

    def _open_logs(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))

    def tell(self, text: str) -> None:
        """A non-blocking notice on the window (never a nested event loop)."""
        box = QMessageBox(QMessageBox.Icon.Information, "Kitchen Watch", text,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("settings-notice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._notice = box
        box.open()

    # -- settings acting ------------------------------------------------------------------------
    def apply(self, settings: Settings, changed: frozenset[str]) -> None:
        if "popup_min_severity" in changed and self.alarms is not None and not self.kiosk:
            self.alarms.popup_min_severity = settings.popup_min_severity
        if "network_caching_ms" in changed:
            engine = self.window.wall.engine  # None on a stand-in wall that decodes nothing
            if isinstance(engine, WallEngine):
                engine.options.network_caching_ms = settings.network_caching_ms
        if "verify_tls" in changed:
            ApiClient.verify_tls = settings.verify_tls  # clients made from now on (next login)
        if "language" in changed and changed != frozenset(Settings.field_names()):
            app = QApplication.instance()
            if isinstance(app, QApplication):
                install_language(app, settings.language)


def install_role_ui(session: ConsoleSession, window: MainWindow, client: ApiClient | None,
                    store: LocalStore | None) -> RoleUi:
    """Called by ``ConsoleSession`` once the window and its panels exist."""
    ui = RoleUi(window, session.user, session.settings, client, store, kiosk=session.kiosk,
                alarms=session.alarms, log_dir=Path(session.data_dir) / "logs")
    if session.coordinator is not None:
        ui.entities_changed = session.coordinator.entities_changed
    log.info("interface for role %s: %s", ui.profile.role or "?",
             ", ".join(name for name, on in (("settings", ui.tools_menu is not None),
                                             ("administration", ui.admin_menu is not None),
                                             ("kiosk", ui.kiosk)) if on) or "watch only")
    return ui
