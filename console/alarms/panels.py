"""The alarm panels: which are on screen, when a waiting one may pop up, what each shows.

A storm must not bury the operator in windows: the :class:`PopupScheduler` lets at most
``max_visible`` panels be on screen and one new one appear per ``popup_interval_s``; the rest
wait in a capped queue, counted in the status bar. The manager keeps each panel's lifetime
(its live video is released when it closes), fills it from the local cache
(:func:`load_alarm_context`), fetches the extras only central has (evidence image, sensor
trend, field staff to dispatch to) and refreshes history as actions sync.

The operator's decisions in a panel leave as signals; the centre records them. The manager
never asks the list widget what an alarm is: ``row_of`` is the centre's list model.

Signals:
    acknowledged(str), dismissed(str, str), escalated(str, str): alarm id first.
    dispatch_requested(str, dict): alarm id and the task draft.
    evidence_requested(str): save the alarm's evidence pack.
    popup_due(str): a waiting alarm's panel is about to appear (the wall shows its camera).
    panel_shown(str): an alarm's panel is on screen (tests and the latency benchmark).
    queue_changed(int, int): alarms waiting for a panel, and how many the queue let go.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from console.alarms.context import AlarmContext, load_alarm_context
from console.alarms.evidence_export import readings_path, sensor_title
from console.media.clips import MAX_CLIP_BYTES, ClipCache, ClipMismatch
from console.media.errors import fetch_failure_text
from console.shell.aio import spawn
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from console.walls.sources import camera_source
from db.models import utcnow
from videowall.interfaces import WallView
from videowall.source import TileSource
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.gauges import GaugeLimits
from widgets.models.popup_queue import PendingPopup
from widgets.models.rows import AlarmRow, Assignee, AuditRow, BusinessCard, RowError

log = logging.getLogger("kitchenwatch.console.alarms")

#: Builds a panel's live picture: layout name, cameras, the panel that will hold it.
PanelVideo = Callable[[str, Sequence[TileSource], QWidget], WallView]
RowOf = Callable[[str], AlarmRow | None]


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


def panel_cameras(ctx: AlarmContext) -> list[dict[str, Any]]:
    """The cameras a panel shows: the alarm's own, else its sensor's, else the business's."""
    cams = ctx.cameras
    chosen = [c for c in cams if c["id"] == ctx.alarm.get("camera_id")]
    if not chosen and ctx.sensor and ctx.sensor.get("camera_id"):
        chosen = [c for c in cams if c["id"] == ctx.sensor["camera_id"]]
    return (chosen or cams)[:4]


class PanelManager(QObject):
    acknowledged = Signal(str)
    dismissed = Signal(str, str)
    escalated = Signal(str, str)
    dispatch_requested = Signal(str, dict)
    evidence_requested = Signal(str)
    playback_requested = Signal(str)
    popup_due = Signal(str)
    panel_shown = Signal(str)
    queue_changed = Signal(int, int)

    def __init__(self, store: LocalStore, client: ApiClient, user: dict[str, Any],
                 row_of: RowOf, video: PanelVideo, *, read_only: bool,
                 popup_interval_s: float = 3.0, max_visible: int = 3,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.client = client
        self.username = str(user.get("username", ""))
        self.row_of = row_of
        self.video = video
        self.read_only = read_only
        self.panels: dict[str, AlarmPanel] = {}
        self._videos: dict[str, WallView] = {}
        self._assignees: list[Assignee] = []
        self.clips = ClipCache()  # AI clips fetched with the token, played from a local copy
        self.scheduler = PopupScheduler(min_interval_s=popup_interval_s,
                                        max_visible=max_visible, parent=self)
        self.scheduler.popup_due.connect(self._on_popup_due)
        self.scheduler.popup_updated.connect(lambda alarm_id, _item: self.refresh(alarm_id))
        self.scheduler.queue_changed.connect(self._on_queue_changed)
        self._history_timer = QTimer(self)  # many synced changes, one re-read per panel
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(300)
        self._history_timer.timeout.connect(self._refresh_contexts)

    def __contains__(self, alarm_id: object) -> bool:
        return alarm_id in self.panels

    def __bool__(self) -> bool:
        return bool(self.panels)

    def panel(self, alarm_id: str) -> AlarmPanel | None:
        return self.panels.get(alarm_id)

    # -- the queue --------------------------------------------------------------------------
    def offer(self, row: AlarmRow) -> None:
        """A new alarm worth a panel: it pops up when the scheduler lets it."""
        self.scheduler.offer(row.id, row.severity, row)

    def discard(self, alarm_id: str) -> None:
        """The alarm no longer needs its popup (handled, or gone)."""
        self.scheduler.discard(alarm_id)

    def waiting(self) -> int:
        return self.scheduler.waiting()

    def show_next(self) -> None:
        """The operator wants the next waiting alarm now; with none waiting, the panels on
        screen come to the front."""
        if not self.scheduler.show_next():
            for panel in self.panels.values():
                panel.raise_()

    def _on_queue_changed(self, waiting: int, _on_screen: int, dropped: int) -> None:
        for panel in self.panels.values():
            panel.set_waiting(waiting)
        self.queue_changed.emit(waiting, dropped)

    def _on_popup_due(self, entry: PendingPopup) -> None:
        self.popup_due.emit(entry.alarm_id)
        self._spawn(self._open(entry.alarm_id, popup=True))

    # -- panels -----------------------------------------------------------------------------
    def open(self, alarm_id: str) -> None:
        """Show the alarm's panel (the operator asked: no queue)."""
        self._spawn(self._open(alarm_id))

    def _spawn(self, coro: Any) -> None:
        spawn(coro, name=f"PanelManager.{coro.__qualname__}")

    async def _read(self, alarm_id: str) -> AlarmContext | None:
        return await self.store.read(lambda s: load_alarm_context(s, alarm_id, self.username))

    async def _open(self, alarm_id: str, popup: bool = False) -> None:
        ctx = await self._read(alarm_id)
        if ctx is None:
            if popup:
                self.scheduler.closed(alarm_id)
            return
        panel = self.panels.get(alarm_id)
        created = panel is None
        if panel is None:
            panel = self._new_panel(alarm_id)
        self._fill(panel, ctx)
        panel.set_read_only(self.read_only)
        panel.set_mask_personal(self.read_only)
        panel.set_waiting(self.scheduler.waiting())
        if created:
            try:
                self._attach_video(alarm_id, panel, ctx)
            except Exception:
                panel.close()  # no half-built panel keeps a place on screen
                raise
        panel.show()
        panel.raise_()
        self.panel_shown.emit(alarm_id)
        if created:
            await self._load_extras(panel, ctx)

    def _new_panel(self, alarm_id: str) -> AlarmPanel:
        panel = AlarmPanel()
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.acknowledged.connect(self.acknowledged)
        panel.dismissed.connect(self.dismissed)
        panel.dispatch_requested.connect(
            lambda draft, a=alarm_id: self.dispatch_requested.emit(a, draft))
        panel.escalated.connect(self.escalated)
        panel.evidence_requested.connect(self.evidence_requested)
        panel.clip_requested.connect(lambda a: self._spawn(self._show_clip(a)))
        panel.live_requested.connect(lambda a: self._spawn(self._show_live(a)))
        panel.playback_requested.connect(self.playback_requested)
        panel.next_requested.connect(self._on_next)
        panel.closed.connect(self._on_closed)
        self.panels[alarm_id] = panel
        return panel

    def _attach_video(self, alarm_id: str, panel: AlarmPanel, ctx: AlarmContext) -> None:
        cams = panel_cameras(ctx)
        sources = [camera_source(c, ctx.business_name, main_only=True) for c in cams]
        video = self.video("1" if len(cams) <= 1 else "4", sources, panel)
        if not isinstance(video, QWidget):
            raise TypeError(f"a panel's video must be a widget, not {type(video).__name__}")
        panel.set_video_widget(video)
        self._videos[alarm_id] = video

    def _fill(self, panel: AlarmPanel, ctx: AlarmContext) -> None:
        row = self.row_of(ctx.alarm["id"]) or AlarmRow.from_payload(
            ctx.alarm, business_name=ctx.business_name, district_name=ctx.district_name,
            place=ctx.place)
        panel.set_alarm(row)
        if ctx.business:
            panel.set_business(BusinessCard.from_payload(
                ctx.business, grid=ctx.grid, district_name=ctx.district_name,
                street_name=ctx.street_name, previous_alarms=ctx.previous_alarms,
                open_tasks=ctx.open_tasks))
        panel.set_history(history_rows(ctx))
        panel.set_clip_available(bool(ctx.alarm.get("evidence_clip_url")))

    async def _load_extras(self, panel: AlarmPanel, ctx: AlarmContext) -> None:
        """What only central has; the panel shows the cache's part meanwhile (and without)."""
        alarm = ctx.alarm
        try:
            if not self._assignees and not self.read_only:
                users = await self.client.request("GET", "/api/users?role=field")
                self._assignees = [Assignee.from_payload(u) for u in users.get("users", [])]
            panel.set_dispatch_context(self._assignees, created_by=self.username)
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

    def refresh(self, alarm_id: str) -> None:
        """The alarm changed in the list: its panel shows the new state."""
        panel = self.panels.get(alarm_id)
        row = self.row_of(alarm_id) if panel is not None else None
        if panel is not None and row is not None:
            panel.set_alarm(row)

    def refresh_history(self) -> None:
        """Audit entries, tasks or actions changed: re-read the open panels' context soon."""
        if self.panels:
            self._history_timer.start()

    def _refresh_contexts(self) -> None:
        for alarm_id in list(self.panels):
            self._spawn(self._refresh_context(alarm_id))

    async def _refresh_context(self, alarm_id: str) -> None:
        ctx = await self._read(alarm_id)
        panel = self.panels.get(alarm_id)
        if ctx is not None and panel is not None:
            self._fill(panel, ctx)

    def _swap_video(self, alarm_id: str, panel: AlarmPanel, video: WallView) -> None:
        if not isinstance(video, QWidget):
            raise TypeError(f"a panel's video must be a widget, not {type(video).__name__}")
        old = self._videos.get(alarm_id)
        panel.set_video_widget(video)
        self._videos[alarm_id] = video
        if old is not None and old is not video:
            old.shutdown()  # its streams go back to the engine

    async def _show_clip(self, alarm_id: str) -> None:
        """Play the AI box's clip in the panel's picture (libVLC, from a checked local copy)."""
        ctx = await self._read(alarm_id)
        panel = self.panels.get(alarm_id)
        reference = str(ctx.alarm.get("evidence_clip_url") or "") if ctx else ""
        if ctx is None or panel is None or not reference:
            return
        try:
            path = self.clips.path_of(reference)
            if path is None:
                data = await self.client.fetch_bytes(reference, MAX_CLIP_BYTES)
                path = self.clips.put(reference, data)
        except (SyncError, ClipMismatch, OSError) as exc:
            log.info("AI clip not shown: %s", exc)
            if self.panels.get(alarm_id) is panel:
                panel.show_live()
            return
        if self.panels.get(alarm_id) is not panel or not panel.clip_button.isChecked():
            return  # closed, or back to live, while it downloaded
        title = self.tr("AI clip") + " · " + ctx.business_name
        source = TileSource(camera_id=f"clip-{path.stem[:12]}", title=title,
                            sub_url=path.as_uri(), main_url=path.as_uri(),
                            business_id=str(ctx.alarm.get("business_id") or ""))
        self._swap_video(alarm_id, panel, self.video("1", [source], panel))

    async def _show_live(self, alarm_id: str) -> None:
        ctx = await self._read(alarm_id)
        panel = self.panels.get(alarm_id)
        if ctx is None or panel is None:
            return
        cams = panel_cameras(ctx)
        sources = [camera_source(c, ctx.business_name, main_only=True) for c in cams]
        self._swap_video(alarm_id, panel,
                         self.video("1" if len(cams) <= 1 else "4", sources, panel))

    def _on_next(self, alarm_id: str) -> None:
        panel = self.panels.get(alarm_id)
        if panel is not None:
            panel.close()
        self.scheduler.show_next()

    def _on_closed(self, alarm_id: str) -> None:
        panel = self.panels.pop(alarm_id, None)
        video = self._videos.pop(alarm_id, None)
        if panel is not None:
            panel.take_video_widget()
        if video is not None:
            video.shutdown()  # its streams go back to the engine
        self.scheduler.closed(alarm_id)

    def close_all(self) -> None:
        for panel in list(self.panels.values()):
            panel.close()

    def shutdown(self) -> None:
        """The session ends: stop the queue and the timer, close the panels (releasing their
        streams); nothing may run on a loop that is going away."""
        self.scheduler.stop()
        self.close_all()
        self._history_timer.stop()
        self.clips.close()
