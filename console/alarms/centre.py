"""The alarm centre: live alarm list, rate-limited alarm panels, sounds, wall linkage, the
operator's actions (acknowledge, dismiss with a reason, dispatch, escalate) written to the
outbox, each alarm's history and its evidence pack.

Alarms reach the list two ways. Live ones come straight from the WebSocket
(:meth:`AlarmCentre.on_alarm_received`, batched per event-loop turn), so a breach pops its
panel without waiting for a reload. Everything else (the first load, a catch-up after a
reconnect, this console's own actions) is reconciled from the local cache by
:meth:`AlarmCentre.reload`, which compares a cheap fingerprint of every alarm with what the
list holds and reads only the rows that differ, off the UI thread. Either way the list applies
row-sized updates and the operator's selection survives a storm.

The list is a bounded window onto the local database (:class:`AlarmWindow`): the newest live
alarms and the newest finished ones. A night of storms nobody acknowledges must not grow the
console's memory alarm by alarm; the database keeps every alarm, the status bar counts what it
holds, and the list says how many waiting alarms it does not show. Per-alarm state elsewhere is
bounded too: wall marks are per camera (:class:`AlarmMarks`), popups wait in a capped queue,
panels are limited to ``max_visible_popups``.

A *new entry* (an alarm seen for the first time, open, and not joining a live entry of the same
business and type) at or above the popup threshold rings its severity's tone once and is
offered to the :class:`PopupScheduler`, which lets at most ``max_visible_popups`` panels be on
screen and one new panel appear per ``popup_interval_s``; the rest wait, counted in the status
bar. The camera of an alarm flashes on the wall; when its panel appears it also takes the
wall's last tile unless it is already shown.

Every action is recorded locally together with its effect (the alarm's new state, the new task)
in one transaction and delivered by the sync engine, so it works the same with the server away.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.alarms.context import AlarmContext, load_alarm_context
from console.alarms.evidence_export import collect, pack_file_name, readings_path, sensor_title
from console.alarms.marks import AlarmMarks, open_alarm_cameras
from console.alarms.sounds import AlarmSounds
from console.media.errors import fetch_failure_text
from console.shell.aio import Coalescer, spawn
from console.shell.docks import add_bottom_panel
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from console.walls.sources import camera_source
from db.models import (
    Alarm,
    AlarmState,
    Business,
    Camera,
    District,
    Sensor,
    Severity,
    Task,
    TaskEvent,
    utcnow,
)
from db.serialize import from_payload, to_payload
from videowall import VideoWall
from widgets.alarm_counters import AlarmCounters
from widgets.alarm_list import AlarmListWidget
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.evidence_pdf import export_evidence_pdf
from widgets.gauges import GaugeLimits
from widgets.models.alarm_groups import GroupChange, group_key
from widgets.models.alarm_window import AlarmWindow
from widgets.models.rows import AlarmRow, Assignee, AuditRow, BusinessCard, RowError

log = logging.getLogger("kitchenwatch.console.alarms")
LIVE = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)
RECENT_LIMIT = 2000  # finished alarms kept in the list
LIVE_LIMIT = 2000  # alarms needing action kept in the list (the rest wait in the database)
ANNOUNCE_WINDOW = timedelta(minutes=15)  # alarms from the cache older than this do not pop up
GROUPING_KEY = "alarms/group_by_business"

Fingerprint = tuple[Any, ...]


def fingerprint(row: AlarmRow) -> Fingerprint:
    """What changes when an alarm changes: the server bumps ``version``; this console's own
    actions change state, severity or task locally without a bump."""
    return (row.version, row.state, row.severity, row.count, row.task_id)


def history_rows(ctx: AlarmContext) -> list[AuditRow]:
    """The alarm's history: opened / cleared milestones, audit entries, undelivered actions."""
    rows = [AuditRow.from_payload({"id": "opened", "ts": ctx.alarm.get("opened_at"),
                                   "user": "", "action": "opened",
                                   "detail": str(ctx.alarm.get("message", ""))})]
    if ctx.alarm.get("cleared_at"):
        rows.append(AuditRow.from_payload({"id": "cleared", "ts": ctx.alarm["cleared_at"],
                                           "user": "", "action": "cleared"}))
    for entry in itertools.chain(ctx.audit, ctx.pending):
        try:
            rows.append(AuditRow.from_payload(entry, pending=entry in ctx.pending))
        except RowError as exc:
            log.warning("audit entry %s not shown: %s", entry.get("id"), exc)
    return rows


class AlarmCentre(QObject):
    """Signals:
        panel_shown(str): an alarm's panel is on screen (tests and the latency benchmark).
        counts_changed(dict): alarms per state after a change (status bar).
    """

    panel_shown = Signal(str)
    counts_changed = Signal(dict)

    def __init__(self, window: QMainWindow, wall: Any, store: LocalStore,
                 client: ApiClient, user: dict[str, Any], notify_outbox: Callable[[], None],
                 popup_min_severity: int | None = None, *, settings: Any = None,
                 popup_interval_s: float = 3.0, max_visible_popups: int = 3,
                 sound_dir: Path | None = None, window_limits: AlarmWindow | None = None
                 ) -> None:
        super().__init__(window)
        self.window = window
        self.wall = wall
        self.store = store
        self.client = client
        self.user = user
        self.notify_outbox = notify_outbox
        self.settings = settings
        if popup_min_severity is None:
            popup_min_severity = int(getattr(settings, "popup_min_severity", Severity.MAJOR))
        self.popup_min_severity = popup_min_severity
        self.read_only = user.get("role") == "viewer"
        self.window_limits = window_limits or AlarmWindow(LIVE_LIMIT, RECENT_LIMIT)
        self._db_counts: dict[str, int] = {}  # alarms per state in the local database

        grouping = bool(QSettings().value(GROUPING_KEY, True, type=bool))
        self.list = AlarmListWidget(grouping=grouping)
        self.list.set_read_only(self.read_only)
        self.dock = add_bottom_panel(window, self.tr("Alarms"), "alarms", self.list)
        self.sounds = AlarmSounds(self._sounds_enabled, directory=sound_dir, parent=self)
        self.counters = AlarmCounters()
        self.counters.set_sound_action(self.sounds.mute_action)
        window.statusBar().addPermanentWidget(self.counters)
        self.counter = self.counters.counts_label  # older name (tests of the first skeleton)
        self.scheduler = PopupScheduler(min_interval_s=popup_interval_s,
                                        max_visible=max_visible_popups, parent=self)
        self.panels: dict[str, AlarmPanel] = {}
        self._loaded = False
        self._reloader = Coalescer(lambda: self.reload(), "AlarmCentre.reload")
        self._full_reload = True
        self._names: dict[str, str] = {}
        self._districts: dict[str, str] = {}
        self._places: dict[str, str] = {}  # camera / sensor id -> where in the kitchen
        self._sensor_camera: dict[str, str] = {}
        self.marks = AlarmMarks(wall)  # cameras with open alarms flash on the wall
        self._assignees: list[Assignee] = []
        self._live_batch: list[dict[str, Any]] = []
        self._live_timer = QTimer(self)  # one list update per event-loop turn of live alarms
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(0)
        self._live_timer.timeout.connect(self._flush_live)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(150)
        self._counts_timer.timeout.connect(self._publish_counts)
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(300)
        self._history_timer.timeout.connect(self._refresh_open_panels)

        self.scheduler.popup_due.connect(self._on_popup_due)
        self.scheduler.popup_updated.connect(lambda alarm_id, _item: self._refresh_panel(
            alarm_id))
        self.scheduler.queue_changed.connect(self._on_queue_changed)
        self.list.acknowledged.connect(self.acknowledge)
        self.list.dismissed.connect(self.dismiss)
        self.list.dispatch_requested_for.connect(self.open_panel)
        self.list.alarm_activated.connect(self.open_panel)
        self.list.evidence_requested.connect(self.ask_evidence_pack)
        self.list.group_box.toggled.connect(
            lambda on: QSettings().setValue(GROUPING_KEY, bool(on)))
        self.counters.state_clicked.connect(self._show_state)
        self.counters.next_requested.connect(self.show_next_popup)
        self._build_menu()

    def _spawn(self, coro) -> None:
        spawn(coro, name=f"{type(self).__name__}.{coro.__qualname__}")

    def _sounds_enabled(self) -> bool:
        return bool(getattr(self.settings, "sounds_enabled", True))

    @property
    def loaded(self) -> bool:
        """The first load from the local cache is done (alarms from then on are new)."""
        return self._loaded

    def _build_menu(self) -> None:
        menu = QMenu(self.tr("&Alarms"), self.window)
        menu.setObjectName("alarms-menu")
        menu.addAction(self.sounds.mute_action)
        menu.addAction(self.sounds.silence_action)
        menu.addSeparator()
        self.next_action = QAction(self.tr("Show next waiting alarm"), self)
        self.next_action.setEnabled(False)
        self.next_action.triggered.connect(self.show_next_popup)
        menu.addAction(self.next_action)
        show_list = self.dock.toggleViewAction()
        show_list.setText(self.tr("Alarm list"))
        menu.addAction(show_list)
        menu.addSeparator()
        export = QAction(self.tr("Export alarm list (CSV)…"), self)
        export.triggered.connect(self.list.export_button.click)
        menu.addAction(export)
        bar = self.window.menuBar()
        help_menu = getattr(self.window, "help_menu", None)
        if isinstance(help_menu, QMenu):
            bar.insertMenu(help_menu.menuAction(), menu)
        else:
            bar.addMenu(menu)
        self.menu = menu

    # -- data in: live --------------------------------------------------------------------------
    def on_alarm_received(self, payload: dict[str, Any]) -> None:
        """An alarm row that changed while live (the sync coordinator's ``alarm_received``)."""
        self._live_batch.append(payload)
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _flush_live(self) -> None:
        batch, self._live_batch = self._live_batch, []
        rows = []
        for payload in batch:
            try:
                rows.append(self.list.to_row(payload))
            except RowError as exc:
                log.warning("alarm %s from the server not shown: %s", payload.get("id"), exc)
        # Feed order within a batch: the last state of an alarm wins.
        latest = {r.id: r for r in rows}
        self._ingest(list(latest.values()), announce=self._announce_if_recent())

    # -- data in: the local cache ---------------------------------------------------------------
    def on_entities_changed(self, names: Iterable[str]) -> None:
        names = set(names)
        if names & {"business", "district"}:
            self._full_reload = True  # names on the rows change
        if names & {"alarm", "business", "district"}:
            self.schedule_reload()
        if self.panels and names & {"alarm", "audit", "task", "task_event"}:
            self._history_timer.start()

    def schedule_reload(self) -> None:
        """Reconcile the list with the cache; requests during a reload merge into one more."""
        self._reloader.request()

    async def reload(self) -> None:
        full = self._full_reload or not self._loaded
        self._full_reload = False
        held = {r.id: fingerprint(r) for r in self.list.model.groups.raw_rows()}
        known = {} if full else held
        names, districts, places = self._names, self._districts, self._places

        def work(session: Session):
            nonlocal names, districts, places
            sensor_camera = None
            if full:
                names = dict(session.execute(select(Business.id, Business.name)).all())
                districts = dict(session.execute(select(District.id, District.name)).all())
                sensors = session.execute(
                    select(Sensor.id, Sensor.camera_id, Sensor.location)).all()
                sensor_camera = {s: c for s, c, _ in sensors if c}
                places = {s: where for s, _, where in sensors if where}
                places.update((c, name) for c, name in session.execute(
                    select(Camera.id, Camera.name)).all() if name)
            cols = (Alarm.id, Alarm.version, Alarm.state, Alarm.severity, Alarm.count,
                    Alarm.task_id)
            newest = (Alarm.last_seen_at.desc(), Alarm.id.desc())
            prints = {r[0]: tuple(r[1:]) for r in itertools.chain(
                session.execute(select(*cols).where(Alarm.state.in_(LIVE)).order_by(*newest)
                                .limit(limits.live)),
                session.execute(select(*cols).where(Alarm.state.not_in(LIVE))
                                .order_by(*newest).limit(limits.finished)))}
            wanted = [i for i, fp in prints.items() if known.get(i) != fp]
            rows = []
            for chunk in (wanted[i:i + 500] for i in range(0, len(wanted), 500)):
                for alarm in session.scalars(select(Alarm).where(Alarm.id.in_(chunk))):
                    rows.append(AlarmRow.from_payload(
                        to_payload(alarm), business_name=names.get(alarm.business_id, ""),
                        district_name=districts.get(alarm.district_id, ""),
                        place=places.get(alarm.camera_id or alarm.sensor_id or "", "")))
            gone = [i for i in held if i not in prints]
            counts = dict(session.execute(
                select(Alarm.state, func.count()).group_by(Alarm.state)).all())
            marked = open_alarm_cameras(session, sensor_camera if sensor_camera is not None
                                        else self._sensor_camera)
            return rows, gone, names, districts, places, sensor_camera, counts, marked

        limits = self.window_limits
        (rows, gone, names, districts, places, sensor_camera, counts,
         marked) = await self.store.read(work)
        if full:
            self._names, self._districts, self._places = names, districts, places
            self._sensor_camera = sensor_camera or {}
            self.list.set_directory(names, districts, places)
        self._db_counts = {str(k): int(v) for k, v in counts.items()}
        self.marks.set_all(marked)
        if full and not self._loaded:
            self.list.sync_alarms(rows)
            self._loaded = True
            self._schedule_counts()
            return
        # Never step back: a live update newer than what this read saw is kept.
        fresh = []
        for row in rows:
            current = self.list.alarm(row.id)
            if current is None or row.version >= current.version:
                fresh.append(row)
        if gone:
            self._let_go(gone)
        self._ingest(fresh, announce=self._announce_if_recent())
        self._schedule_counts()

    # -- what a change means for the operator ---------------------------------------------------
    def _ingest(self, rows: list[AlarmRow],
                announce: Callable[[AlarmRow], bool]) -> GroupChange | None:
        if not rows:
            return None
        before = {r.id: self.list.alarm(r.id) for r in rows}
        change = self.list.upsert_alarms(rows)
        new = set(change.new_entries)
        for row in rows:
            old = before[row.id]
            self._update_flash(row)
            if row.state != AlarmState.OPEN and (old is None or old.state == AlarmState.OPEN):
                self.scheduler.discard(row.id)
                self.sounds.stop_for(self._entry_key(row))
            if row.id in self.panels:
                self._refresh_panel(row.id)
            if (row.id in new and row.severity >= self.popup_min_severity
                    and announce(row)):
                self.scheduler.offer(row.id, row.severity, row)
                self.sounds.alarm(row.severity, self._entry_key(row))
        overflow = self.window_limits.overflow(self.list.model.groups.raw_rows()) \
            if len(self.list.model.groups) > self.window_limits.total else []
        if overflow:
            self._let_go(overflow)
        self._schedule_counts()
        return change

    def _let_go(self, alarm_ids: list[str]) -> None:
        """Alarms that left the list's window (older than what it keeps, or gone from the
        database). They stay in the database and in the counts; panels already open stay
        open, and a live alarm's waiting popup keeps its place (the queue is capped itself)."""
        for alarm_id in alarm_ids:
            row = self.list.alarm(alarm_id)
            if row is None or row.state not in LIVE:
                self.scheduler.discard(alarm_id)
        self.list.remove_alarms(alarm_ids)

    def _announce_if_recent(self) -> Callable[[AlarmRow], bool]:
        """Alarms that arrive late (the first download, a catch-up after a night offline, a
        gateway uploading old readings) go to the list, not to the operator's ear: only those
        seen within ``ANNOUNCE_WINDOW`` sound and pop up, and nothing before the first load."""
        if not self._loaded:
            return lambda _row: False
        recent = utcnow() - ANNOUNCE_WINDOW
        return lambda row: row.last_seen_at >= recent

    def _entry_key(self, row: AlarmRow) -> str:
        return group_key(row, True)

    def _camera_of(self, row: AlarmRow) -> str | None:
        if row.camera_id:
            return row.camera_id
        return self._sensor_camera.get(row.sensor_id or "")

    def _update_flash(self, row: AlarmRow) -> None:
        """Open alarms flash their camera's tile until acknowledged: a new one marks it at
        once; the reload that follows every change takes marks away (the database knows
        whether the camera has other open alarms)."""
        camera_id = self._camera_of(row)
        if camera_id and row.state == AlarmState.OPEN:
            self.marks.mark(camera_id)

    def _schedule_counts(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _publish_counts(self) -> None:
        """The true counts (the database's), and what the list holds of them."""
        counts = dict(self._db_counts) if self._loaded else self.list.counts_by_state()
        self.list.set_database_counts(counts)
        self.counters.set_counts(counts)
        self.counts_changed.emit(counts)

    def _show_state(self, state: str) -> None:
        self.list.show_state(state)
        self.dock.show()
        self.dock.raise_()

    def _on_queue_changed(self, waiting: int, _on_screen: int, dropped: int) -> None:
        self.counters.set_waiting(waiting, dropped)
        self.next_action.setEnabled(waiting > 0)
        for panel in self.panels.values():
            panel.set_waiting(waiting)

    def show_next_popup(self) -> None:
        """The operator wants the next waiting alarm now (status bar, menu, panel button)."""
        if not self.scheduler.show_next():
            for panel in self.panels.values():
                panel.raise_()

    # -- wall linkage ---------------------------------------------------------------------------
    def _show_on_wall(self, row: AlarmRow) -> None:
        """The alarm's camera takes the wall's last tile (unless it is already on the wall)."""
        camera_id = self._camera_of(row)
        if not camera_id:
            return
        if any(c is not None and c.camera_id == camera_id for c in self.wall.cells()):
            return
        self._spawn(self._place_camera(camera_id, row.business_name))

    async def _place_camera(self, camera_id: str, business_name: str) -> None:
        cam = await self.store.read(lambda s: (lambda c: to_payload(c) if c else None)(
            s.get(Camera, camera_id)))
        if cam is None:
            return
        last = len(self.wall.cells()) - 1
        self.wall.set_cell(last, camera_source(cam, business_name))
        self.wall.set_alarm(camera_id, camera_id in self.marks)
        tour = getattr(self.window, "tour", None)
        if tour is not None and hasattr(tour, "pause_for_alarm"):
            tour.pause_for_alarm()

    # -- panels -----------------------------------------------------------------------------
    def open_panel(self, alarm_id: str) -> None:
        self._spawn(self._open_panel(alarm_id))

    def _on_popup_due(self, entry) -> None:
        row = self.list.alarm(entry.alarm_id)
        if row is not None:
            self._show_on_wall(row)
        self._spawn(self._open_panel(entry.alarm_id, popup=True))

    def _make_video(self, layout: str) -> QWidget:
        """Panels play on the main wall's decode engine (or, in tests, its stand-in's kind),
        at full rate on the engine's main decoder (libVLC by default)."""
        engine = getattr(self.wall, "engine", None)
        if engine is not None or isinstance(self.wall, VideoWall):
            return VideoWall(layout, engine=engine, full_rate=True)
        return type(self.wall)(layout)

    async def _open_panel(self, alarm_id: str, popup: bool = False) -> None:
        ctx = await self.store.read(
            lambda s: load_alarm_context(s, alarm_id, self.user.get("username", "")))
        if ctx is None:
            if popup:
                self.scheduler.closed(alarm_id)
            return
        panel = self.panels.get(alarm_id)
        if panel is None:
            panel = AlarmPanel()
            panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            panel.acknowledged.connect(self.acknowledge)
            panel.dismissed.connect(self.dismiss)
            panel.dispatch_requested.connect(lambda draft, a=alarm_id: self.dispatch(a, draft))
            panel.escalated.connect(self.escalate)
            panel.evidence_requested.connect(self.ask_evidence_pack)
            panel.next_requested.connect(self._on_panel_next)
            panel.closed.connect(self._on_panel_closed)
            self.panels[alarm_id] = panel
            created = True
        else:
            created = False
        self._fill_panel(panel, ctx)
        panel.set_read_only(self.read_only)
        panel.set_mask_personal(self.read_only)
        panel.set_waiting(self.scheduler.waiting())
        if created:
            cams = ctx.cameras
            chosen = [c for c in cams if c["id"] == ctx.alarm.get("camera_id")]
            if not chosen and ctx.sensor and ctx.sensor.get("camera_id"):
                chosen = [c for c in cams if c["id"] == ctx.sensor["camera_id"]]
            chosen = chosen or cams
            name = ctx.business_name
            video = self._make_video("1" if len(chosen) <= 1 else "4")
            video.fill([camera_source(c, name, main_only=True) for c in chosen[:4]])
            old = panel.set_video_widget(video)
            if old is not None and hasattr(old, "shutdown"):
                old.shutdown()
        panel.show()
        panel.raise_()
        self.panel_shown.emit(alarm_id)
        if created:
            await self._load_panel_extras(panel, ctx)

    def _fill_panel(self, panel: AlarmPanel, ctx: AlarmContext) -> None:
        held = self.list.alarm(ctx.alarm["id"])
        row = held or AlarmRow.from_payload(ctx.alarm, business_name=ctx.business_name,
                                            district_name=ctx.district_name, place=ctx.place)
        panel.set_alarm(row)
        if ctx.business:
            panel.set_business(BusinessCard.from_payload(
                ctx.business, grid=ctx.grid, district_name=ctx.district_name,
                previous_alarms=ctx.previous_alarms, open_tasks=ctx.open_tasks))
        panel.set_history(history_rows(ctx))

    async def _load_panel_extras(self, panel: AlarmPanel, ctx: AlarmContext) -> None:
        alarm = ctx.alarm
        try:
            if not self._assignees and not self.read_only:
                users = await self.client.request("GET", "/api/users?role=field")
                self._assignees = [Assignee.from_payload(u) for u in users.get("users", [])]
            panel.set_dispatch_context(self._assignees, created_by=self.user.get("username", ""))
            if alarm.get("evidence_url"):
                try:
                    data = await self.client.fetch_bytes(alarm["evidence_url"])
                except SyncError as exc:  # the trend may still come
                    log.info("evidence image not shown: %s", exc.message)
                    if panel.alarm_id() == alarm["id"]:
                        panel.evidence.set_unavailable(fetch_failure_text(exc))
                else:
                    if panel.alarm_id() == alarm["id"]:
                        panel.set_evidence_image(data)
            if alarm.get("sensor_id"):
                body = await self.client.request(
                    "GET", readings_path(alarm["sensor_id"], alarm, utcnow()))
                sensor = ctx.sensor or {}
                if panel.alarm_id() == alarm["id"]:
                    panel.set_trend(body.get("points", []), GaugeLimits.from_params(
                        sensor.get("params"), str(sensor.get("kind", ""))),
                        sensor_title(sensor))
        except SyncError as exc:
            log.info("alarm panel extras unavailable (%s); showing what the cache has", exc)
        except RuntimeError:  # the panel was closed (and deleted) while we fetched
            pass

    def _refresh_panel(self, alarm_id: str) -> None:
        panel = self.panels.get(alarm_id)
        row = self.list.alarm(alarm_id)
        if panel is not None and row is not None:
            panel.set_alarm(row)

    def _refresh_open_panels(self) -> None:
        """History and business card of the open panels (audit entries and tasks synced)."""
        for alarm_id in list(self.panels):
            self._spawn(self._refresh_context(alarm_id))

    async def _refresh_context(self, alarm_id: str) -> None:
        ctx = await self.store.read(
            lambda s: load_alarm_context(s, alarm_id, self.user.get("username", "")))
        panel = self.panels.get(alarm_id)
        if ctx is not None and panel is not None:
            self._fill_panel(panel, ctx)

    def _on_panel_next(self, alarm_id: str) -> None:
        panel = self.panels.get(alarm_id)
        if panel is not None:
            panel.close()
        self.scheduler.show_next()

    def _on_panel_closed(self, alarm_id: str) -> None:
        panel = self.panels.pop(alarm_id, None)
        if panel is not None:
            video = panel.take_video_widget()
            if video is not None and hasattr(video, "shutdown"):
                video.shutdown()
        self.scheduler.closed(alarm_id)

    def close_panels(self) -> None:
        for panel in list(self.panels.values()):
            panel.close()

    def shutdown(self) -> None:
        """The session ends: close the panels (releasing their streams), stop timers and
        sounds (nothing may run on a loop that is going away)."""
        self.scheduler.stop()
        self.close_panels()
        for timer in (self._live_timer, self._counts_timer, self._history_timer):
            timer.stop()
        self.sounds.silence()

    # -- evidence pack ----------------------------------------------------------------------------
    def ask_evidence_pack(self, alarm_id: str) -> None:
        """Ask where to save the alarm's evidence pack, then write it (non-blocking dialog)."""
        row = self.list.alarm(alarm_id)
        parent = self.panels.get(alarm_id) or self.window
        name = pack_file_name(row.business_name if row else "", row.business_id if row else "",
                              alarm_id)
        dialog = QFileDialog(parent, self.tr("Save evidence pack"), str(Path.home() / name),
                             self.tr("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(
            lambda path: self._spawn(self.write_evidence_pack(alarm_id, Path(path))))
        dialog.open()

    async def write_evidence_pack(self, alarm_id: str, path: Path) -> list[str]:
        """Write the pack to ``path``; returns what could not be included (server away)."""
        ctx = await self.store.read(
            lambda s: load_alarm_context(s, alarm_id, self.user.get("username", "")))
        if ctx is None:
            raise LookupError(f"alarm {alarm_id} is not in the local cache")
        panel = self.panels.get(alarm_id)
        image = panel.evidence.image() if panel is not None else None
        snapshot = image if image is not None and not image.isNull() else None
        collected = await collect(ctx, self.client, generated_by=self.user.get("username", ""),
                                  mask_personal=self.read_only, snapshot=snapshot)
        bar = self.window.statusBar()
        try:
            pages = export_evidence_pdf(path, collected.pack)
        except OSError as exc:
            log.warning("evidence pack for %s not written: %s", alarm_id, exc)
            bar.showMessage(self.tr("Evidence pack not saved: %1").replace("%1", str(exc)),
                            15_000)
            raise
        text = self.tr("Evidence pack saved: %1 (%2 pages)").replace("%1", str(path)).replace(
            "%2", str(pages))
        if collected.missing:
            text += " · " + self.tr("without %1").replace(
                "%1", ", ".join(collected.missing))
        bar.showMessage(text, 15_000)
        return collected.missing

    # -- operator actions (outbox) -------------------------------------------------------------
    def _alarm_effect(self, alarm_id: str, **changes: Any):
        def effect(session: Session) -> None:
            alarm = session.get(Alarm, alarm_id)
            if alarm is not None:
                for key, value in changes.items():
                    setattr(alarm, key, value)
        return effect

    def _record(self, kind: str, payload: dict, effect) -> None:
        async def go() -> None:
            await self.store.record_action(kind, payload, effect)
            self.notify_outbox()
            self.schedule_reload()
            if self.panels:
                self._history_timer.start()

        self._spawn(go())

    def acknowledge(self, alarm_id: str) -> None:
        row = self.list.alarm(alarm_id)
        if row is not None:
            self.sounds.stop_for(self._entry_key(row))
        self._record("alarm.ack", {"alarm_id": alarm_id}, self._alarm_effect(
            alarm_id, state=AlarmState.ACKNOWLEDGED, acked_at=utcnow(),
            acked_by=self.user.get("username", "")))

    def dismiss(self, alarm_id: str, reason: str) -> None:
        if not reason.strip():
            return  # the dialogs refuse an empty reason; never send one
        self._record("alarm.dismiss", {"alarm_id": alarm_id, "reason": reason.strip()},
                     self._alarm_effect(alarm_id, state=AlarmState.DISMISSED,
                                        dismiss_reason=reason.strip(), closed_at=utcnow()))

    def escalate(self, alarm_id: str, note: str) -> None:
        self._record("alarm.escalate", {"alarm_id": alarm_id, "note": note},
                     self._alarm_effect(alarm_id, severity=int(Severity.CRITICAL)))

    def dispatch(self, alarm_id: str, draft: dict) -> None:
        def effect(session: Session) -> None:
            values = from_payload(Task, draft)
            values.setdefault("state", "dispatched")
            values["alarm_id"] = alarm_id
            task = Task(**values)
            session.add(task)
            session.add(TaskEvent(task_id=task.id, district_id=task.district_id,
                                  actor=self.user.get("username", ""), action="dispatch",
                                  to_state="dispatched", note=task.notes))
            alarm = session.get(Alarm, alarm_id)
            if alarm is not None:
                alarm.state, alarm.task_id = AlarmState.DISPATCHED, task.id

        self._record("task.dispatch", {"task": draft, "alarm_id": alarm_id}, effect)

