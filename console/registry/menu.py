"""Where an administrator reaches the registry's dialogs: a Registry menu and entries in the
channel tree's context menu. Only admins (a district admin: their district) are offered them;
central refuses everyone else anyway (:mod:`central.registry_actions`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.registry.dialogs import (
    BusinessDialog,
    CameraDialog,
    CommunityDialog,
    DistrictDialog,
    RecordDialog,
    SensorDialog,
    StreetDialog,
    keep_open,
)
from console.registry.progress import ProgressDialog
from console.registry.sensor_list import SensorListDialog
from console.shell.aio import spawn
from console.sync.store import LocalStore
from db.models import Camera, District, Grid, Sensor, Street
from db.serialize import to_payload
from domain.roles import Role


def may_edit(user: dict[str, Any]) -> bool:
    return user.get("role") == Role.ADMIN


class Places:
    """The districts, streets and communities an administrator may choose, as combo items."""

    def __init__(self, districts: list[tuple[str, str]], streets: list[tuple[str | None, str]],
                 grids: list[tuple[str | None, str]]) -> None:
        self.districts, self.streets, self.grids = districts, streets, grids


async def load_places(store: LocalStore, scope: str | None, none_label: str) -> Places:
    def work(session: Session) -> Places:
        def inside(model: Any) -> Any:
            query = select(model).order_by(model.id)
            col = model.id if model is District else model.district_id
            return query.where(col == scope) if scope else query

        districts = [(d.id, d.name) for d in session.scalars(inside(District))]
        names = dict(districts)
        streets: list[tuple[str | None, str]] = [(None, none_label)]
        streets += [(s.id, f"{names.get(s.district_id, s.district_id)} / {s.name}")
                    for s in session.scalars(inside(Street))]
        grids: list[tuple[str | None, str]] = [(None, none_label)]
        grids += [(g.id, f"{names.get(g.district_id, g.district_id)} / {g.name}")
                  for g in session.scalars(inside(Grid))]
        return Places(districts, streets, grids)

    return await store.read(work)


class RegistryUi(QObject):
    """The Registry menu and the tree's edit entries of one session's window."""

    def __init__(self, window: Any, store: LocalStore, user: dict[str, Any]) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.user = user
        self.scope: str | None = user.get("district_id") or None
        self.dialogs: list[QWidget] = []
        menu = self.menu = QMenu(self.tr("&Registry"), window)
        menu.setObjectName("registry-menu")
        window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
        if self.scope is None:  # districts are the city's: city-wide administrators only
            menu.addAction(self.tr("New district…"), lambda: self.start(self.new_district()))
        menu.addAction(self.tr("New business…"), lambda: self.start(self.new_business()))
        menu.addAction(self.tr("New street / township…"),
                       lambda: self.start(self.new_street()))
        menu.addAction(self.tr("New community…"), lambda: self.start(self.new_community()))
        menu.addSeparator()
        menu.addAction(self.tr("Onboarding progress…"), self.open_progress)
        window.tree_menu_hooks.append(self.tree_menu)

    def start(self, coro: Any) -> None:
        spawn(coro, "registry dialog")

    def _keep(self, dialog: QWidget) -> QWidget:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self.dialogs.remove(dialog)
                                 if dialog in self.dialogs else None)
        return dialog

    async def places(self) -> Places:
        return await load_places(self.store, self.scope, self.tr("(none)"))

    # -- dialogs ---------------------------------------------------------------------------
    async def new_business(self, row: dict[str, Any] | None = None) -> RecordDialog:
        p = await self.places()
        dialog = BusinessDialog(self.store, row, p.districts, p.streets, p.grids, self.window)
        return self._open(dialog)

    async def edit_business(self, business_id: str) -> RecordDialog | None:
        row = await self._row("business", business_id)
        return await self.new_business(row) if row is not None else None

    async def new_district(self, row: dict[str, Any] | None = None) -> RecordDialog:
        return self._open(DistrictDialog(self.store, row, self.window))

    async def new_street(self, row: dict[str, Any] | None = None) -> RecordDialog:
        p = await self.places()
        return self._open(StreetDialog(self.store, row, p.districts, self.window))

    async def new_community(self, row: dict[str, Any] | None = None) -> RecordDialog:
        p = await self.places()
        return self._open(CommunityDialog(self.store, row, p.districts, p.streets,
                                          self.window))

    async def edit_place(self, kind: str, business_id: str) -> RecordDialog | None:
        """The street or community a tree row stands for, found through a business below it
        (the tree's menu hook names cameras, not places)."""
        business = await self._row("business", business_id)
        if business is None:
            return None
        if kind == "street" and business.get("street_id"):
            row = await self._row("street", business["street_id"])
            return await self.new_street(row) if row is not None else None
        if kind == "grid" and business.get("grid_id"):
            row = await self._row("grid", business["grid_id"])
            return await self.new_community(row) if row is not None else None
        return None

    async def camera(self, business_id: str, camera_id: str | None = None
                     ) -> RecordDialog | None:
        business = await self._row("business", business_id)
        if business is None:
            return None
        row = await self._row("camera", camera_id) if camera_id else None
        return self._open(CameraDialog(self.store, row, business, self.window))

    async def sensor(self, business_id: str, sensor_id: str | None = None
                     ) -> RecordDialog | None:
        business = await self._row("business", business_id)
        if business is None:
            return None
        row = await self._row("sensor", sensor_id) if sensor_id else None

        def cams(session: Session) -> list[tuple[str | None, str]]:
            return [(c.id, c.name) for c in session.scalars(
                select(Camera).where(Camera.business_id == business_id).order_by(Camera.id))]

        cameras = [(None, self.tr("(none)")), *await self.store.read(cams)]
        return self._open(SensorDialog(self.store, row, business, cameras, self.window))

    async def sensors(self, business_id: str) -> QWidget | None:
        """The business's sensors, to edit (kind, place, limits) or retire one."""
        business = await self._row("business", business_id)
        if business is None:
            return None

        def work(session: Session) -> list[dict[str, Any]]:
            return [to_payload(s) for s in session.scalars(
                select(Sensor).where(Sensor.business_id == business_id).order_by(Sensor.id))]

        rows = await self.store.read(work)
        dialog = SensorListDialog(
            business, rows, lambda sensor_id: self.start(self.sensor(business_id, sensor_id)),
            self.window)
        keep_open(dialog)
        return self._keep(dialog)

    def open_progress(self) -> QWidget:
        dialog = ProgressDialog(self.store, self.user, self.window)
        keep_open(dialog)
        dialog.refresh()
        return self._keep(dialog)

    def _open(self, dialog: RecordDialog) -> RecordDialog:
        keep_open(dialog)
        self._keep(dialog)
        return dialog

    async def _row(self, entity: str, ident: str) -> dict[str, Any] | None:
        from db.models import SYNCED_ENTITIES

        model = SYNCED_ENTITIES[entity]

        def work(session: Session) -> dict[str, Any] | None:
            row = session.get(model, ident)
            return to_payload(row) if row is not None else None

        return await self.store.read(work)

    # -- the channel tree ------------------------------------------------------------------
    def tree_menu(self, kind: str, _name: str, sources: list[Any], menu: QMenu) -> None:
        business_id = sources[0].business_id if sources else ""
        if kind == "business" and business_id:
            menu.addSeparator()
            menu.addAction(self.tr("Edit business…"),
                           lambda: self.start(self.edit_business(business_id)))
            menu.addAction(self.tr("Add camera…"),
                           lambda: self.start(self.camera(business_id)))
            menu.addAction(self.tr("Add sensor…"),
                           lambda: self.start(self.sensor(business_id)))
            menu.addAction(self.tr("Sensors…"),
                           lambda: self.start(self.sensors(business_id)))
        elif kind in ("street", "grid") and business_id:
            menu.addSeparator()
            label = self.tr("Edit street / township…") if kind == "street" \
                else self.tr("Edit community…")
            menu.addAction(label, lambda: self.start(self.edit_place(kind, business_id)))
        elif kind == "camera" and sources:
            source = sources[0]
            menu.addSeparator()
            menu.addAction(self.tr("Edit camera…"),
                           lambda: self.start(self.camera(source.business_id,
                                                          source.camera_id)))


def install(window: Any, store: LocalStore | None, user: dict[str, Any]) -> RegistryUi | None:
    """The one hook the shell calls: the Registry entries for administrators, else nothing."""
    if store is None or not may_edit(user):
        return None
    return RegistryUi(window, store, user)
