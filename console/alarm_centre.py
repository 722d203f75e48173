"""The alarm centre: live alarm list, rate-limited alarm panels, wall linkage and the operator's
actions (acknowledge, dismiss with a reason, dispatch, escalate) written to the outbox.

Every action is recorded locally together with its effect (the alarm's new state, the new task)
in one transaction and delivered by the sync engine, so it works the same with the server away.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMainWindow
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.aio import spawn
from console.docks import add_bottom_panel
from console.store import LocalStore
from console.sync.client import ApiClient, SyncError
from db.models import Alarm, AlarmState, Business, District, Grid, Severity, Task, TaskEvent, utcnow
from db.serialize import from_payload, to_payload
from videowall import TileSource, VideoWall
from widgets.alarm_list import AlarmListWidget
from widgets.alarm_panel import AlarmPanel, PopupScheduler
from widgets.models.rows import AlarmRow, Assignee, BusinessCard

log = logging.getLogger("kitchenwatch.console.alarms")
LIVE = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)


class AlarmCentre(QObject):
    def __init__(self, window: QMainWindow, wall: VideoWall, store: LocalStore,
                 client: ApiClient, user: dict[str, Any], notify_outbox,
                 popup_min_severity: int = Severity.MAJOR) -> None:
        super().__init__(window)
        self.window = window
        self.wall = wall
        self.store = store
        self.client = client
        self.user = user
        self.notify_outbox = notify_outbox
        self.popup_min_severity = popup_min_severity
        self.read_only = user.get("role") == "viewer"
        self.list = AlarmListWidget()
        add_bottom_panel(window, self.tr("Alarms"), "alarms", self.list)
        self.counter = QLabel("")
        window.statusBar().addPermanentWidget(self.counter)
        self.scheduler = PopupScheduler(min_interval_s=3.0, parent=self)
        self.scheduler.popup_due.connect(self._on_popup_due)
        self.panels: dict[str, AlarmPanel] = {}
        self._seen: set[str] | None = None
        self._alarmed_cameras: set[str] = set()
        self._assignees: list[Assignee] = []
        self.list.acknowledged.connect(self.acknowledge)
        self.list.dismissed.connect(self.dismiss)
        self.list.dispatch_requested_for.connect(self.open_panel)
        self.list.alarm_activated.connect(self.open_panel)

    def _spawn(self, coro) -> None:
        spawn(coro, name=f"{type(self).__name__}.{coro.__qualname__}")

    # -- data in -------------------------------------------------------------------------
    def on_entities_changed(self, names: set[str]) -> None:
        if names & {"alarm", "business", "district"}:
            self._spawn(self.reload())

    async def reload(self) -> None:
        def work(session: Session) -> tuple[list[dict], dict[str, str], dict[str, str]]:
            alarms = [to_payload(a) for a in session.scalars(
                select(Alarm).order_by(Alarm.last_seen_at.desc()).limit(2000))]
            names = dict(session.execute(select(Business.id, Business.name)).all())
            districts = dict(session.execute(select(District.id, District.name)).all())
            return alarms, names, districts

        alarms, names, districts = await self.store.read(work)
        self.list.set_directory(names, districts)
        self.list.replace_alarms(alarms)
        live = [a for a in alarms if a["state"] in LIVE]
        counts = {state: sum(1 for a in live if a["state"] == state) for state in LIVE}
        self.counter.setText(self.tr("Alarms: %1 open · %2 acknowledged · %3 dispatched")
                             .replace("%1", str(counts[AlarmState.OPEN]))
                             .replace("%2", str(counts[AlarmState.ACKNOWLEDGED]))
                             .replace("%3", str(counts[AlarmState.DISPATCHED])))
        first_load = self._seen is None
        seen = self._seen or set()
        for alarm in live:
            fresh = alarm["id"] not in seen
            if alarm["state"] == AlarmState.OPEN and alarm.get("camera_id"):
                if fresh and not first_load:
                    self._show_on_wall(alarm, names.get(alarm["business_id"], ""))
                self._alarmed_cameras.add(alarm["camera_id"])
                self.wall.set_alarm(alarm["camera_id"], True)
            if (fresh and not first_load and alarm["state"] == AlarmState.OPEN
                    and alarm["severity"] >= self.popup_min_severity):
                self.scheduler.offer(alarm["id"], alarm["severity"], alarm)
        for camera_id in list(self._alarmed_cameras):
            if not any(a.get("camera_id") == camera_id and a["state"] == AlarmState.OPEN
                       for a in live):
                self.wall.set_alarm(camera_id, False)
                self._alarmed_cameras.discard(camera_id)
        self._seen = seen | {a["id"] for a in alarms}

    def _show_on_wall(self, alarm: dict, business_name: str) -> None:
        """The alarm's camera takes the last tile (unless it is already on the wall)."""
        camera_id = alarm["camera_id"]
        if any(c is not None and c.camera_id == camera_id for c in self.wall.cells()):
            return
        self._spawn(self._place_camera(camera_id, business_name))

    async def _place_camera(self, camera_id: str, business_name: str) -> None:
        from db.models import Camera

        cam = await self.store.read(lambda s: (lambda c: to_payload(c) if c else None)(
            s.get(Camera, camera_id)))
        if cam is None:
            return
        last = len(self.wall.cells()) - 1
        self.wall.set_cell(last, TileSource(cam["id"], f"{business_name} · {cam['name']}",
                                            cam["sub_url"], cam["main_url"], cam["business_id"]))
        self.wall.set_alarm(camera_id, True)

    # -- panels -----------------------------------------------------------------------------
    def open_panel(self, alarm_id: str) -> None:
        self._spawn(self._open_panel(alarm_id, None))

    def _on_popup_due(self, entry) -> None:
        self._spawn(self._open_panel(entry.alarm_id, entry.item))

    async def _open_panel(self, alarm_id: str, _item: Any) -> None:
        def work(session: Session):
            alarm = session.get(Alarm, alarm_id)
            if alarm is None:
                return None
            biz = session.get(Business, alarm.business_id)
            grid = session.get(Grid, biz.grid_id) if biz and biz.grid_id else None
            district = session.get(District, alarm.district_id)
            previous = session.scalars(select(Alarm.id).where(
                Alarm.business_id == alarm.business_id)).all()
            open_tasks = session.scalars(select(Task.id).where(
                Task.business_id == alarm.business_id, Task.state != "closed")).all()
            from db.models import Camera

            cams = [to_payload(c) for c in session.scalars(
                select(Camera).where(Camera.business_id == alarm.business_id))]
            return (to_payload(alarm), to_payload(biz) if biz else None,
                    to_payload(grid) if grid else None, district.name if district else "",
                    len(previous) - 1, len(open_tasks), cams)

        loaded = await self.store.read(work)
        if loaded is None:
            return
        alarm, biz, grid, district_name, previous, open_tasks, cams = loaded
        panel = self.panels.get(alarm_id)
        if panel is None:
            panel = AlarmPanel()
            panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            panel.acknowledged.connect(self.acknowledge)
            panel.dismissed.connect(self.dismiss)
            panel.dispatch_requested.connect(lambda draft, a=alarm_id: self.dispatch(a, draft))
            panel.escalated.connect(self.escalate)
            panel.closed.connect(self._on_panel_closed)
            self.panels[alarm_id] = panel
        name = biz["name"] if biz else ""
        panel.set_alarm(AlarmRow.from_payload(alarm, business_name=name,
                                              district_name=district_name))
        if biz:
            panel.set_business(BusinessCard.from_payload(
                biz, grid=grid, district_name=district_name, previous_alarms=max(previous, 0),
                open_tasks=open_tasks))
        panel.set_read_only(self.read_only)
        panel.set_mask_personal(self.read_only)
        video = VideoWall("1" if alarm.get("camera_id") or len(cams) <= 1 else "4",
                          engine=getattr(self.wall, "engine", None))
        chosen = [c for c in cams if c["id"] == alarm.get("camera_id")] or cams
        video.fill([TileSource(c["id"], f"{name} · {c['name']}", c["main_url"], c["main_url"],
                               c["business_id"]) for c in chosen[:4]])
        old = panel.set_video_widget(video)
        if isinstance(old, VideoWall):
            old.shutdown()
        panel.show()
        panel.raise_()
        await self._load_panel_extras(panel, alarm)

    async def _load_panel_extras(self, panel: AlarmPanel, alarm: dict) -> None:
        try:
            if not self._assignees:
                users = await self.client.request("GET", "/api/users?role=field")
                self._assignees = [Assignee.from_payload(u) for u in users.get("users", [])]
            panel.set_dispatch_context(self._assignees, created_by=self.user.get("username", ""))
            if alarm.get("evidence_url"):
                data = await self.client.fetch_bytes(alarm["evidence_url"])
                panel.set_evidence_image(data)
            if alarm.get("sensor_id"):
                body = await self.client.request(
                    "GET", f"/api/sensors/{alarm['sensor_id']}/readings?max_points=2000")
                panel.set_trend(body.get("points", []))
        except SyncError as exc:
            log.info("alarm panel extras unavailable (%s); showing what the cache has", exc)

    def _on_panel_closed(self, alarm_id: str) -> None:
        panel = self.panels.pop(alarm_id, None)
        self.scheduler.closed(alarm_id)
        if panel is not None:
            video = panel.take_video_widget()
            if isinstance(video, VideoWall):
                video.shutdown()

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
            await self.reload()

        self._spawn(go())

    def acknowledge(self, alarm_id: str) -> None:
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
