"""The alarm centre: wires the alarm list, the panels, the wall, sounds and the operator's
actions together, and owns what the list shows (its model).

Alarms reach the list two ways. Live ones come straight from the WebSocket
(:meth:`AlarmCentre.on_alarm_received`, batched per event-loop turn), so a breach pops its
panel without waiting for a reload. Everything else (the first load, a catch-up after a
reconnect, this console's own actions) is reconciled from the local cache by
:meth:`AlarmCentre.reload`, which compares a cheap fingerprint of every alarm with what the
model holds and reads only the rows that differ, off the UI thread
(:func:`console.alarms.queries.read_window`). Either way the model applies row-sized updates
and the operator's selection survives a storm.

The model is a bounded window onto the local database (:class:`AlarmWindow`): the newest live
alarms and the newest finished ones. A night of storms nobody acknowledges must not grow the
console's memory alarm by alarm; the database keeps every alarm, the status bar counts what it
holds, and the list says how many waiting alarms it does not show. Per-alarm state elsewhere is
bounded too: wall marks are per camera (:class:`AlarmMarks`), popups wait in a capped queue,
panels are limited to ``max_visible_popups``.

A *new entry* (an alarm seen for the first time, open, and not joining a live entry of the same
business and type) at or above the popup threshold rings its severity's tone once and is
offered to the :class:`PanelManager`, which lets at most ``max_visible_popups`` panels be on
screen and one new panel appear per ``popup_interval_s``. The camera of an alarm flashes on
the wall; when its panel appears it also takes the wall's last tile (:class:`WallLink`).

Every action is recorded locally together with its effect (:mod:`console.alarms.effects`) in
one transaction and delivered by the sync engine, so it works the same with the server away.

The parts, each with one job: :mod:`~console.alarms.queries` (reads),
:mod:`~console.alarms.effects` (local effects), :mod:`~console.alarms.panels`,
:mod:`~console.alarms.wall_link`, :mod:`~console.alarms.menus`, :mod:`~console.alarms.export`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow, QMenu
from sqlalchemy.orm import Session

from console.alarms import effects
from console.alarms.export import EvidenceExport
from console.alarms.marks import AlarmMarks
from console.alarms.menus import AlarmMenu
from console.alarms.panels import PanelManager
from console.alarms.queries import LIVE, Directory, WindowRead, fingerprint, read_window
from console.alarms.sounds import AlarmSounds
from console.alarms.wall_link import TourOf, WallFactory, WallLink, no_tour
from console.playback.opener import PlaybackOpener
from console.settings.model import ConsoleSettings
from console.shell.aio import Coalescer, spawn
from console.shell.docks import add_bottom_panel
from console.sync.client import ApiClient
from console.sync.store import LocalStore
from db.models import utcnow
from domain.alarms import AlarmState, Severity
from videowall.interfaces import WallView
from widgets.alarm_counters import AlarmCounters
from widgets.alarm_list import AlarmListWidget, AlarmTableModel
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.models.alarm_groups import GroupChange, group_key
from widgets.models.alarm_window import AlarmWindow
from widgets.models.rows import AlarmRow, RowError

log = logging.getLogger("kitchenwatch.console.alarms")
RECENT_LIMIT = 2000  # finished alarms kept in the list
LIVE_LIMIT = 2000  # alarms needing action kept in the list (the rest wait in the database)
ANNOUNCE_WINDOW = timedelta(minutes=15)  # alarms from the cache older than this do not pop up
GROUPING_KEY = "alarms/group_by_business"


class AlarmCentre(QObject):
    """Signals:
        panel_shown(str): an alarm's panel is on screen (tests and the latency benchmark).
        counts_changed(dict): alarms per state after a change (status bar).

    Args (keyword):
        tour: the tour running on the wall now (it pauses when an alarm takes a tile).
        help_menu: the "Alarms" menu goes before it.
        wall_factory: builds the panels' picture when ``wall`` decodes nothing (a stand-in).
    """

    panel_shown = Signal(str)
    counts_changed = Signal(dict)

    def __init__(self, window: QMainWindow, wall: WallView, store: LocalStore,
                 client: ApiClient, user: dict[str, Any], notify_outbox: Callable[[], None],
                 popup_min_severity: int | None = None, *,
                 settings: ConsoleSettings | None = None,
                 popup_interval_s: float = 3.0, max_visible_popups: int = 3,
                 sound_dir: Path | None = None, window_limits: AlarmWindow | None = None,
                 tour: TourOf = no_tour, help_menu: QMenu | None = None,
                 wall_factory: WallFactory | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.user = user
        self.username = str(user.get("username", ""))
        self.notify_outbox = notify_outbox
        self.settings = settings
        if popup_min_severity is None:
            popup_min_severity = (settings.popup_min_severity if settings is not None
                                  else int(Severity.MAJOR))
        self.popup_min_severity = popup_min_severity
        self.read_only = user.get("role") == "viewer"
        self.window_limits = window_limits or AlarmWindow(LIVE_LIMIT, RECENT_LIMIT)
        self._db_counts: dict[str, int] = {}  # alarms per state in the local database
        self._directory = Directory()
        self._loaded = False
        self._full_reload = True
        self._reloader = Coalescer(lambda: self.reload(), "AlarmCentre.reload")

        grouping = bool(QSettings().value(GROUPING_KEY, True, type=bool))
        self.model = AlarmTableModel(self, grouping=grouping)  # the truth the list renders
        self.list = AlarmListWidget(grouping=grouping, model=self.model)
        self.list.set_read_only(self.read_only)
        self.dock = add_bottom_panel(window, self.tr("Alarms"), "alarms", self.list)
        self.sounds = AlarmSounds(self._sounds_enabled, directory=sound_dir, parent=self)
        self.counters = AlarmCounters()
        self.counters.set_sound_action(self.sounds.mute_action)
        window.statusBar().addPermanentWidget(self.counters)
        self.wall_link = WallLink(wall, store, tour=tour, stand_in=wall_factory)
        self.panel_manager = PanelManager(
            store, client, user, self.model.alarm, self.wall_link.panel_video,
            read_only=self.read_only, popup_interval_s=popup_interval_s,
            max_visible=max_visible_popups, parent=self)
        self.export = EvidenceExport(store, client, user, window.statusBar(),
                                     mask_personal=self.read_only,
                                     snapshot_of=self._panel_image, parent=self)
        self.alarm_menu = AlarmMenu(window, self.sounds, self.dock,
                                    show_next=self.show_next_popup,
                                    export_csv=self.list.export_button.click, before=help_menu)
        self.menu = self.alarm_menu.menu

        self._live_batch: list[dict[str, Any]] = []
        self._live_timer = QTimer(self)  # one list update per event-loop turn of live alarms
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)
        self._live_timer.timeout.connect(self._flush_live)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(150)
        self._counts_timer.timeout.connect(self._publish_counts)

        panels = self.panel_manager
        panels.acknowledged.connect(self.acknowledge)
        panels.dismissed.connect(self.dismiss)
        panels.escalated.connect(self.escalate)
        panels.dispatch_requested.connect(self.dispatch)
        panels.evidence_requested.connect(self.ask_evidence_pack)
        self.playback = PlaybackOpener(store, client, self.username, record=self.outbox)
        panels.playback_requested.connect(self.open_playback)
        panels.popup_due.connect(self._on_popup_due)
        panels.panel_shown.connect(self.panel_shown)
        panels.queue_changed.connect(self._on_queue_changed)
        self.list.acknowledged.connect(self.acknowledge)
        self.list.dismissed.connect(self.dismiss)
        self.list.dispatch_requested_for.connect(self.open_panel)
        self.list.alarm_activated.connect(self.open_panel)
        self.list.evidence_requested.connect(self.ask_evidence_pack)
        self.list.group_box.toggled.connect(
            lambda on: QSettings().setValue(GROUPING_KEY, bool(on)))
        self.counters.state_clicked.connect(self._show_state)
        self.counters.next_requested.connect(self.show_next_popup)

    # -- the parts, by their older names (tests and benchmarks) ----------------------------------
    @property
    def panels(self) -> dict[str, AlarmPanel]:
        return self.panel_manager.panels

    @property
    def scheduler(self) -> PopupScheduler:
        return self.panel_manager.scheduler

    @property
    def marks(self) -> AlarmMarks:
        return self.wall_link.marks

    @property
    def loaded(self) -> bool:
        """The first load from the local cache is done (alarms from then on are new)."""
        return self._loaded

    def _sounds_enabled(self) -> bool:
        return self.settings.sounds_enabled if self.settings is not None else True

    # -- data in: live --------------------------------------------------------------------------
    def on_alarm_received(self, payload: dict[str, Any]) -> None:
        """An alarm row that changed while live (the sync coordinator's ``alarm_received``)."""
        self._live_batch.append(payload)
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _flush_live(self) -> None:
        batch, self._live_batch = self._live_batch, []
        latest: dict[str, AlarmRow] = {}  # feed order within a batch: the last state wins
        for payload in batch:
            try:
                row = self._directory.row_from_payload(payload)
            except RowError as exc:
                log.warning("alarm %s from the server not shown: %s", payload.get("id"), exc)
            else:
                latest[row.id] = row
        self._ingest(list(latest.values()), announce=self._announce_if_recent())

    # -- data in: the local cache ---------------------------------------------------------------
    def on_entities_changed(self, names: Iterable[str]) -> None:
        names = set(names)
        if names & {"business", "district"}:
            self._full_reload = True  # names on the rows change
        if names & {"alarm", "business", "district"}:
            self.schedule_reload()
        if names & {"alarm", "audit", "task", "task_event"}:
            self.panel_manager.refresh_history()

    def schedule_reload(self) -> None:
        """Reconcile the list with the cache; requests during a reload merge into one more."""
        self._reloader.request()

    async def reload(self) -> None:
        full = self._full_reload or not self._loaded
        self._full_reload = False
        held = {r.id: fingerprint(r) for r in self.model.alarms()}
        limits, directory = self.window_limits, self._directory
        read: WindowRead = await self.store.read(
            lambda s: read_window(s, held, limits, directory, full=full))
        if read.directory is not None:
            self._directory = d = read.directory
            self.list.set_directory(d.names, d.districts, d.places)  # the district filter
        self._db_counts = read.counts
        self.marks.set_all(read.marked)
        if full and not self._loaded:
            self.model.sync(read.rows)
            self._loaded = True
            self._schedule_counts()
            return
        # Never step back: a live update newer than what this read saw is kept.
        fresh = []
        for row in read.rows:
            current = self.model.alarm(row.id)
            if current is None or row.version >= current.version:
                fresh.append(row)
        if read.gone:
            self._let_go(read.gone)
        self._ingest(fresh, announce=self._announce_if_recent())
        self._schedule_counts()

    # -- what a change means for the operator ---------------------------------------------------
    def _ingest(self, rows: list[AlarmRow],
                announce: Callable[[AlarmRow], bool]) -> GroupChange | None:
        if not rows:
            return None
        before = {r.id: self.model.alarm(r.id) for r in rows}
        change = self.model.upsert(rows)
        new = set(change.new_entries)
        panels = self.panel_manager
        for row in rows:
            old = before[row.id]
            self._update_flash(row)
            if row.state != AlarmState.OPEN and (old is None or old.state == AlarmState.OPEN):
                panels.discard(row.id)
                self.sounds.stop_for(group_key(row, True))
            if row.id in panels:
                panels.refresh(row.id)
            if (row.id in new and row.severity >= self.popup_min_severity
                    and announce(row)):
                panels.offer(row)
                self.sounds.alarm(row.severity, group_key(row, True))
        overflow = self.window_limits.overflow(self.model.alarms()) \
            if self.model.held() > self.window_limits.total else []
        if overflow:
            self._let_go(overflow)
        self._schedule_counts()
        return change

    def _let_go(self, alarm_ids: list[str]) -> None:
        """Alarms that left the list's window (older than what it keeps, or gone from the
        database). They stay in the database and in the counts; panels already open stay
        open, and a live alarm's waiting popup keeps its place (the queue is capped itself)."""
        for alarm_id in alarm_ids:
            row = self.model.alarm(alarm_id)
            if row is None or row.state not in LIVE:
                self.panel_manager.discard(alarm_id)
        self.model.remove(alarm_ids)

    def _announce_if_recent(self) -> Callable[[AlarmRow], bool]:
        """Alarms that arrive late (the first download, a catch-up after a night offline, a
        gateway uploading old readings) go to the list, not to the operator's ear: only those
        seen within ``ANNOUNCE_WINDOW`` sound and pop up, and nothing before the first load."""
        if not self._loaded:
            return lambda _row: False
        recent = utcnow() - ANNOUNCE_WINDOW
        return lambda row: row.last_seen_at >= recent

    def _update_flash(self, row: AlarmRow) -> None:
        """Open alarms flash their camera's tile until acknowledged: a new one marks it at
        once; the reload that follows every change takes marks away (the database knows
        whether the camera has other open alarms)."""
        camera_id = self._directory.camera_of(row)
        if camera_id and row.state == AlarmState.OPEN:
            self.marks.mark(camera_id)

    def _schedule_counts(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _publish_counts(self) -> None:
        """The true counts (the database's), and what the list holds of them."""
        counts = dict(self._db_counts) if self._loaded else self.model.counts_by_state()
        self.list.set_database_counts(counts)
        self.counters.set_counts(counts)
        self.counts_changed.emit(counts)

    def _show_state(self, state: str) -> None:
        self.list.show_state(state)
        self.dock.show()
        self.dock.raise_()

    def _on_queue_changed(self, waiting: int, dropped: int) -> None:
        self.counters.set_waiting(waiting, dropped)
        self.alarm_menu.set_waiting(waiting)

    def show_next_popup(self) -> None:
        """The operator wants the next waiting alarm now (status bar, menu, panel button)."""
        self.panel_manager.show_next()

    # -- panels and the wall ----------------------------------------------------------------
    def open_panel(self, alarm_id: str) -> None:
        self.panel_manager.open(alarm_id)

    def _on_popup_due(self, alarm_id: str) -> None:
        """A panel pops up: its camera takes a tile on the wall (unless it is shown)."""
        row = self.model.alarm(alarm_id)
        camera_id = self._directory.camera_of(row) if row is not None else None
        if row is not None and camera_id:
            self.wall_link.show_camera(camera_id, row.business_name)

    def close_panels(self) -> None:
        self.panel_manager.close_all()

    def shutdown(self) -> None:
        """The session ends: close the panels (releasing their streams), stop timers and
        sounds (nothing may run on a loop that is going away)."""
        self.panel_manager.shutdown()
        for timer in (self._live_timer, self._counts_timer):
            timer.stop()
        self.sounds.silence()

    # -- evidence pack ----------------------------------------------------------------------------
    def open_playback(self, alarm_id: str) -> None:
        """The alarm panel's "Playback": its cameras from the pre-roll before the alarm."""
        spawn(self.playback.for_alarm(alarm_id), name="AlarmCentre.open_playback")

    async def outbox(self, kind: str, payload: dict[str, Any]) -> None:
        """An action for central through the outbox (sent when central is reachable)."""
        await self.store.record_action(kind, payload)
        self.notify_outbox()

    def ask_evidence_pack(self, alarm_id: str) -> None:
        """Ask where to save the alarm's evidence pack, then write it (non-blocking dialog)."""
        self.export.ask(alarm_id, self.model.alarm(alarm_id),
                        self.panel_manager.panel(alarm_id) or self.window)

    async def write_evidence_pack(self, alarm_id: str, path: Path) -> list[str]:
        """Write the pack to ``path``; returns what could not be included (server away)."""
        return await self.export.write(alarm_id, path)

    def _panel_image(self, alarm_id: str) -> QImage | None:
        panel = self.panel_manager.panel(alarm_id)
        return panel.evidence.image() if panel is not None else None

    # -- operator actions (outbox) -------------------------------------------------------------
    def _record(self, kind: str, payload: dict[str, Any],
                effect: Callable[[Session], None]) -> None:
        async def go() -> None:
            await self.store.record_action(kind, payload, effect)
            self.notify_outbox()
            self.schedule_reload()
            self.panel_manager.refresh_history()

        spawn(go(), name=f"AlarmCentre.{kind}")

    def acknowledge(self, alarm_id: str) -> None:
        row = self.model.alarm(alarm_id)
        if row is not None:
            self.sounds.stop_for(group_key(row, True))
        self._record("alarm.ack", {"alarm_id": alarm_id},
                     effects.acknowledge(alarm_id, self.username))

    def dismiss(self, alarm_id: str, reason: str) -> None:
        if not reason.strip():
            return  # the dialogs refuse an empty reason; never send one
        self._record("alarm.dismiss", {"alarm_id": alarm_id, "reason": reason.strip()},
                     effects.dismiss(alarm_id, reason.strip(), self.username))

    def escalate(self, alarm_id: str, note: str) -> None:
        self._record("alarm.escalate", {"alarm_id": alarm_id, "note": note},
                     effects.escalate(alarm_id))

    def dispatch(self, alarm_id: str, draft: dict[str, Any]) -> None:
        self._record("task.dispatch", {"task": draft, "alarm_id": alarm_id},
                     effects.dispatch(alarm_id, draft, self.username))
