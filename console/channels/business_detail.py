"""Business details in the console: opened from the channel tree's or a wall tile's context menu.

The registry part (card, cameras, sensors, ledgers, alarms, tasks) comes from the local cache
and works offline; sensor history comes from central (``GET /api/sensors/{id}/readings``,
bucketed in SQL there, so a week of 30-second readings arrives as ~1,200 points with min/max),
and live readings extend the curves while the window is open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMenu
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.channels.hierarchy import BUSINESS, CAMERA
from console.channels.tree import KEY_ROLE, KIND_ROLE, SOURCES_ROLE
from console.shell.aio import spawn
from console.shell.main_window import MainWindow
from console.shell.sync_coordinator import SyncCoordinator
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from console.walls.sources import camera_source
from db.models import Alarm, Business, Camera, District, Grid, Sensor, Street, Task, User
from db.serialize import to_payload
from videowall.source import TileSource
from widgets.business_detail import BusinessDetailView, SensorInfo
from widgets.models.rows import AlarmRow, BusinessCard, TaskRow

log = logging.getLogger("kitchenwatch.console.details")
HISTORY_POINTS = 1200  # about one per pixel of a wide chart
DETAIL_ENTITIES = frozenset({"alarm", "task", "business", "camera", "sensor", "grid",
                             "street"})
LIST_LIMIT = 500


class BusinessDetails(QObject):
    """One detail window per business (opening it again raises the existing one)."""

    def __init__(self, window: MainWindow, store: LocalStore, client: ApiClient,
                 user: dict[str, Any]) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.client = client
        self.user = user
        self.views: dict[str, BusinessDetailView] = {}
        self._request_seq = 0
        self._latest: dict[tuple[str, str], int] = {}  # (business, sensor) → newest request
        #: Called when a details window first shows its business (console/risk adds the score).
        self.opened_hooks: list[Callable[[str, BusinessDetailView], None]] = []

    @classmethod
    def install(cls, window: MainWindow, store: LocalStore, client: ApiClient,
                coordinator: SyncCoordinator, user: dict[str, Any]) -> BusinessDetails:
        """The session's hook: context menus on the tree and the tiles, live readings."""
        details = cls(window, store, client, user)
        view = window.tree.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(details._tree_menu)

        def hook(index: int, source: TileSource | None, menu: QMenu) -> None:
            if source is not None and source.business_id:
                menu.addAction(QCoreApplication.translate("BusinessDetails",
                                                          "Business details…"),
                               lambda b=source.business_id: details.open(b))

        window.wall.add_menu_hook(hook)
        coordinator.reading_received.connect(details.on_reading)
        coordinator.entities_changed.connect(details.on_entities_changed)
        return details

    # -- opening ---------------------------------------------------------------------------------
    def open(self, business_id: str) -> None:
        view = self.views.get(business_id)
        if view is not None:
            view.show()
            view.raise_()
            view.activateWindow()
            return
        view = BusinessDetailView(self.window)
        view.setWindowFlag(Qt.WindowType.Window, True)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.set_mask_personal(self.user.get("role") == "viewer")
        view.history_requested.connect(
            lambda sensor_id, start, end, b=business_id: self.fetch_history(
                b, sensor_id, start, end))
        view.camera_activated.connect(lambda cam, b=business_id: self._show_cameras(b, [cam]))
        view.cameras_requested.connect(lambda cams, b=business_id: self._show_cameras(b, cams))
        view.disinfection_ledger_requested.connect(
            lambda b=business_id, v=view: self._ask_disinfection_ledger(b, v))
        view.destroyed.connect(lambda _obj=None, b=business_id: self.views.pop(b, None))
        self.views[business_id] = view
        spawn(self._load(business_id, view, first=True), name="business-detail")

    def _ask_disinfection_ledger(self, business_id: str, view: BusinessDetailView) -> None:
        name, _ = QFileDialog.getSaveFileName(
            view, QCoreApplication.translate("BusinessDetails", "Save disinfection ledger"),
            f"清洗消毒台账-{business_id}.xlsx",
            QCoreApplication.translate("BusinessDetails", "Excel workbook (*.xlsx)"))
        if name:
            spawn(self.export_disinfection_ledger(business_id, Path(name), view),
                  name="disinfection-ledger")

    async def export_disinfection_ledger(self, business_id: str, target: Path,
                                         view: BusinessDetailView | None = None) -> bool:
        """Download the business's 清洗消毒台账 (the last 30 days) from central into
        ``target``; central writes it from the cabinet sensors, so it needs a connection."""
        note = view.disinfection_note if view is not None else None
        try:
            data = await self.client.download(
                f"/api/businesses/{quote(business_id, safe='')}/disinfection-ledger.xlsx")
            target.write_bytes(data)
        except (SyncError, OSError) as exc:
            if note is not None:
                note.setText(QCoreApplication.translate(
                    "BusinessDetails", "Could not export the ledger: %1").replace("%1", str(exc)))
            return False
        if note is not None:
            note.setText(QCoreApplication.translate("BusinessDetails", "Saved %1").replace(
                "%1", str(target)))
        return True

    async def _load(self, business_id: str, view: BusinessDetailView, first: bool) -> bool:
        def work(session: Session) -> dict[str, Any] | None:
            biz = session.get(Business, business_id)
            if biz is None:
                return None
            grid = session.get(Grid, biz.grid_id) if biz.grid_id else None
            district = session.get(District, biz.district_id)
            street = session.get(Street, biz.street_id) if biz.street_id else None
            alarms = [to_payload(a) for a in session.scalars(
                select(Alarm).where(Alarm.business_id == business_id)
                .order_by(Alarm.opened_at.desc()).limit(LIST_LIMIT))]
            tasks = [to_payload(t) for t in session.scalars(
                select(Task).where(Task.business_id == business_id)
                .order_by(Task.created_at.desc()).limit(LIST_LIMIT))]
            return {
                "business": to_payload(biz), "grid": to_payload(grid) if grid else None,
                "district": district.name if district else "",
                "street": street.name if street else "",  # 街道/乡镇, on the card's place line
                "cameras": [to_payload(c) for c in session.scalars(
                    select(Camera).where(Camera.business_id == business_id)
                    .order_by(Camera.id))],
                "sensors": [to_payload(s) for s in session.scalars(
                    select(Sensor).where(Sensor.business_id == business_id)
                    .order_by(Sensor.id))],
                "alarms": alarms, "tasks": tasks,
                "alarm_count": session.scalar(select(func.count()).select_from(Alarm).where(
                    Alarm.business_id == business_id)) or 0,
                "users": dict(session.execute(select(User.username, User.display_name)).all()),
            }

        data = await self.store.read(work)
        if self.views.get(business_id) is not view:
            return False  # closed meanwhile
        if data is None:
            log.warning("business %s is not in the local cache", business_id)
            view.close()
            return False
        biz = data["business"]
        tasks = [TaskRow.from_payload(t, business_name=biz["name"],
                                      assignee_name=data["users"].get(t["assignee"], ""))
                 for t in data["tasks"]]
        open_tasks = sum(1 for t in tasks if t.state not in ("closed", "rejected"))
        view.set_business(BusinessCard.from_payload(
            biz, grid=data["grid"], district_name=data["district"], street_name=data["street"],
            previous_alarms=int(data["alarm_count"]), open_tasks=open_tasks))
        view.set_cameras(data["cameras"])
        places = {s["id"]: s.get("location", "") for s in data["sensors"]}
        places.update((c["id"], c.get("name", "")) for c in data["cameras"])
        alarms = [AlarmRow.from_payload(a, business_name=biz["name"],
                                        district_name=data["district"],
                                        place=places.get(a.get("camera_id")
                                                         or a.get("sensor_id") or "", ""))
                  for a in data["alarms"]]
        view.set_alarms(alarms)
        view.set_tasks(tasks)
        sensors = [SensorInfo.from_payload(s) for s in data["sensors"]]
        if first:
            if self.user.get("role") != "viewer":  # 包保 visit and the latest remote looks
                from console.baobao.install import attach_card_line
                attach_card_line(view, self.client, business_id)
            view.set_sensors(sensors)  # asks for each sensor's last 24 h
            view.show()
            view.raise_()
            for hook in self.opened_hooks:
                hook(business_id, view)
        else:
            for sensor in sensors:
                panel = view.sensor_panels.get(sensor.id)
                if panel is not None:
                    panel.set_state(sensor.rule_state, sensor.online)
        return True

    # -- history ---------------------------------------------------------------------------------
    def fetch_history(self, business_id: str, sensor_id: str, start: datetime,
                      end: datetime) -> None:
        self._request_seq += 1
        self._latest[(business_id, sensor_id)] = self._request_seq
        spawn(self._fetch(business_id, sensor_id, start, end, self._request_seq),
              name="sensor-history")

    async def _fetch(self, business_id: str, sensor_id: str, start: datetime, end: datetime,
                     seq: int) -> None:
        path = (f"/api/sensors/{quote(sensor_id, safe='')}/readings"
                f"?from={quote(start.isoformat(), safe='')}&to={quote(end.isoformat(), safe='')}"
                f"&max_points={HISTORY_POINTS}")
        try:
            body = await self.client.request("GET", path)
            error = ""
        except SyncError as exc:
            body, error = {}, exc.message
        if self._latest.get((business_id, sensor_id)) != seq:
            return  # the operator asked for another range meanwhile
        view = self.views.get(business_id)
        if view is None:
            return
        if error:
            log.info("history of %s unavailable: %s", sensor_id, error)
            view.set_history_error(sensor_id, error)
            return
        view.set_history(sensor_id, body.get("points") or [], start, end,
                         bool(body.get("downsampled")))

    # -- live ------------------------------------------------------------------------------------
    def on_reading(self, message: dict[str, Any]) -> None:
        for view in self.views.values():
            view.on_reading(message)

    def on_entities_changed(self, names: set[str] | frozenset[str]) -> None:
        if not (DETAIL_ENTITIES & set(names)):
            return
        for business_id, view in list(self.views.items()):
            spawn(self._load(business_id, view, first=False), name="business-detail")

    # -- wall ------------------------------------------------------------------------------------
    def _show_cameras(self, business_id: str, camera_ids: list[str]) -> None:
        spawn(self._place(business_id, camera_ids), name="detail-cameras")

    async def _place(self, business_id: str, camera_ids: list[str]) -> None:
        def work(session: Session) -> tuple[str, list[dict[str, Any]]]:
            biz = session.get(Business, business_id)
            cams = [to_payload(c) for c in session.scalars(
                select(Camera).where(Camera.id.in_(camera_ids)).order_by(Camera.id))]
            return (biz.name if biz else ""), cams

        name, cams = await self.store.read(work)
        order = {cid: i for i, cid in enumerate(camera_ids)}
        cams.sort(key=lambda c: order.get(c["id"], 0))
        sources = [camera_source(c, name) for c in cams]
        if sources:
            self.window.open_sources(sources)

    # -- the channel tree's context menu ---------------------------------------------------------
    def _tree_menu(self, pos: QPoint) -> None:
        view = self.window.tree.view
        menu = self.tree_menu(view.indexAt(pos))
        if menu is not None:
            menu.popup(view.viewport().mapToGlobal(pos))

    def tree_menu(self, index: Any) -> QMenu | None:
        """The context menu for a tree row (None when there is nothing to offer)."""
        if not index.isValid():
            return None
        kind = index.data(KIND_ROLE)
        key = index.data(KEY_ROLE)
        sources = list(index.data(SOURCES_ROLE) or [])
        business_id = None
        if kind == BUSINESS and key:
            business_id = key[1]
        elif kind == CAMERA and sources:
            business_id = sources[0].business_id or None
        menu = QMenu(self.window.tree.view)
        if sources and kind in (BUSINESS, CAMERA):
            menu.addAction(self.tr("Show on the wall"),
                           lambda: self.window.open_sources(sources))
        if business_id:
            menu.addAction(self.tr("Business details…"),
                           lambda: self.open(business_id))
        for hook in self.window.tree_menu_hooks:
            hook(str(kind), str(index.data() or ""), sources, menu)
        if menu.isEmpty():
            menu.deleteLater()
            return None
        return menu
