"""The map dock: reads the local store into points and district figures, and wires the
map to the rest of the console (business card, wall, alarms, the user's district scope)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.map.figures import DistrictFigures, district_figures
from console.map.points import MapPoint, PointState, point_state
from console.map.view import MapView
from console.shell.aio import Coalescer
from console.shell.docks import add_bottom_panel
from console.sync.store import LocalStore
from db.models import Alarm, Business, Camera, District, PatrolRecord
from domain.alarms import AlarmState
from domain.clock import utcnow
from domain.geo import BoundaryError, Region, load_boundaries
from videowall import TileSource

log = logging.getLogger("kitchenwatch.console.map")
WINDOW = timedelta(days=30)
REGISTRY_ENTITIES = frozenset({"district", "business"})
LIVE_ENTITIES = frozenset({"alarm", "patrol_record"})
MIN_RELOAD_INTERVAL_S = 1.0  # a storm of alarms recolours the map once a second at most
WAITING = (AlarmState.OPEN.value, AlarmState.ACKNOWLEDGED.value, AlarmState.DISPATCHED.value)


class MapSnapshot:
    """What the map shows, read in one transaction on the store's reader thread."""

    def __init__(self) -> None:
        self.districts: list[dict[str, str]] = []
        self.points: list[MapPoint] = []
        self.figures: dict[str, DistrictFigures] = {}
        # What a change of alarms or patrols alone leaves as it was (read_live reuses it).
        self.cameras_of: dict[str, tuple[int, int]] = {}  # business → (total, online)
        self.kitchens: list[dict[str, str]] = []
        self.cameras: list[dict[str, Any]] = []


def _live(session: Session, scope: str | None) -> tuple[dict[str, int], list[str],
                                                       list[tuple[str, str]]]:
    """Open alarms per business, districts of the window's alarms, patrolled kitchens."""
    def scoped(query: Any, column: Any) -> Any:
        return query.where(column == scope) if scope else query

    open_alarms: dict[str, int] = {}
    for (bid,) in session.execute(scoped(select(Alarm.business_id).where(
            Alarm.state.in_(WAITING)), Alarm.district_id)):
        open_alarms[bid] = open_alarms.get(bid, 0) + 1
    since = utcnow() - WINDOW
    alarm_districts = [d for (d,) in session.execute(scoped(
        select(Alarm.district_id).where(Alarm.opened_at >= since), Alarm.district_id))]
    patrolled = [(d, b) for d, b in session.execute(scoped(
        select(PatrolRecord.district_id, PatrolRecord.business_id).where(
            PatrolRecord.started_at >= since), PatrolRecord.district_id))]
    return open_alarms, alarm_districts, patrolled


def _cameras(session: Session, scope: str | None) -> tuple[list[dict[str, Any]],
                                                           dict[str, tuple[int, int]]]:
    query = select(Camera.business_id, Camera.district_id, Camera.online)
    if scope:
        query = query.where(Camera.district_id == scope)
    cams = [{"business_id": b, "district_id": d, "online": bool(o)}
            for b, d, o in session.execute(query)]
    per_business: dict[str, list[int]] = {}
    for c in cams:
        total_online = per_business.setdefault(str(c["business_id"]), [0, 0])
        total_online[0] += 1
        total_online[1] += int(bool(c["online"]))
    return cams, {b: (t, o) for b, (t, o) in per_business.items()}


def read_live(session: Session, scope: str | None, base: MapSnapshot,
              cameras: bool = False) -> tuple[list[PointState], dict[str, DistrictFigures]]:
    """After alarms or patrols changed (not the registry): each point's new state, in the
    order of ``base.points``, and the figures — three small queries instead of the whole
    registry, which a storm of alarms would otherwise have the map read again and again.
    ``cameras``: cameras changed too (a wall's health reports): their online flags are read
    again (updating ``base``), the kitchens are not."""
    if cameras:
        base.cameras, base.cameras_of = _cameras(session, scope)
    open_alarms, alarm_districts, patrolled = _live(session, scope)
    states = [point_state(*base.cameras_of.get(p.business_id, (0, 0)),
                          open_alarms.get(p.business_id, 0)) for p in base.points]
    figures = district_figures(base.districts, base.kitchens, base.cameras, alarm_districts,
                               patrolled)
    return states, figures


def read_snapshot(session: Session, scope: str | None) -> MapSnapshot:
    """Points and per-district figures; ``scope``: a district user's district (None: all)."""
    snap = MapSnapshot()

    def scoped(query: Any, column: Any) -> Any:
        return query.where(column == scope) if scope else query

    snap.districts = [{"id": i, "name": n} for i, n in session.execute(
        scoped(select(District.id, District.name), District.id).order_by(District.id))]
    cams, cameras_of = _cameras(session, scope)
    open_alarms, alarm_districts, patrolled = _live(session, scope)
    businesses = []
    for bid, name, did, lat, lon in session.execute(scoped(select(
            Business.id, Business.name, Business.district_id, Business.latitude,
            Business.longitude), Business.district_id).order_by(Business.id)):
        businesses.append({"district_id": did})
        if lat is None or lon is None:
            continue  # not yet located: counted in the figures, not drawn
        total, online = cameras_of.get(bid, (0, 0))
        snap.points.append(MapPoint(bid, name, did, float(lon), float(lat),
                                    point_state(total, online, open_alarms.get(bid, 0))))
    snap.figures = district_figures(snap.districts, businesses, cams, alarm_districts,
                                    patrolled)
    snap.cameras_of = cameras_of
    snap.kitchens = businesses
    snap.cameras = cams
    return snap


class MapPanel(QObject):
    """The map in a bottom dock (tabbed with alarms and statistics) or in the kiosk."""

    def __init__(self, window: QMainWindow, store: LocalStore, user: dict[str, Any],
                 boundaries: str = "", dock: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.scope: str | None = user.get("district_id") or None
        self.view = MapView()
        self.dock = add_bottom_panel(window, self.tr("Map"), "map", self.view) if dock \
            else None
        self.regions: list[Region] = []
        self.boundary_error = ""
        self.set_boundaries(boundaries)
        self._points: dict[str, MapPoint] = {}
        self._regions_shown_for: tuple[tuple[str, str], ...] | None = None
        self._reloader = Coalescer(self._reload, "map-reload")
        self._full = True  # the next reload reads the registry too
        self._cameras = False  # the next light reload reads the cameras' online flags too
        self._base: MapSnapshot | None = None
        self.loaded = asyncio.Event()
        self._recount = QTimer(self, singleShot=True, interval=300)
        self._recount.timeout.connect(self.view.refresh_states)

    def set_boundaries(self, path: str) -> None:
        """The bureau's own GeoJSON (settings), or the demo city's when empty; a file that
        cannot be used is said on the map and the demo city's outlines are not drawn."""
        try:
            self.regions = load_boundaries(path or None)
            self.boundary_error = ""
        except BoundaryError as exc:
            self.regions = []
            self.boundary_error = str(exc)
            log.warning("map boundaries not loaded: %s", exc)
        self._regions_shown_for = None

    def reload(self, full: bool = True, cameras: bool = False) -> None:
        self._full = self._full or full
        self._cameras = self._cameras or cameras
        self._reloader.request()

    def on_entities_changed(self, names: set[str] | frozenset[str]) -> None:
        if REGISTRY_ENTITIES & set(names):
            self.reload()
        elif "camera" in names:
            self.reload(full=False, cameras=True)
        elif LIVE_ENTITIES & set(names):
            self.reload(full=False)

    def on_alarm_received(self, alarm: dict[str, Any]) -> None:
        """A live alarm: pulse its kitchen now; the colours follow at the next reload."""
        bid = alarm.get("business_id")
        if not bid or alarm.get("state") not in WAITING:
            return
        point = self._points.get(str(bid))
        if point is not None:
            point.state = PointState.ALARM
            if not self._recount.isActive():  # a storm recounts the groups once, not per alarm
                self._recount.start()
        self.view.pulse(str(bid))

    async def _reload(self) -> None:
        scope = self.scope
        base = self._base
        if self._full or base is None:
            self._full = self._cameras = False
            snap = await self.store.read(lambda s: read_snapshot(s, scope))
            self.show(snap)
        else:
            cameras, self._cameras = self._cameras, False
            states, figures = await self.store.read(
                lambda s: read_live(s, scope, base, cameras))
            if base is self._base:  # no full reload replaced the points meanwhile
                for point, state in zip(base.points, states, strict=True):
                    point.state = state
                base.figures = figures
                self.view.refresh_states()
                self.view.set_figures(figures)
        self.loaded.set()
        await asyncio.sleep(MIN_RELOAD_INTERVAL_S)

    def show(self, snap: MapSnapshot) -> None:
        key = tuple((d["id"], d["name"]) for d in snap.districts)
        if key != self._regions_shown_for:
            self.view.set_regions(self.regions, {d["name"]: d["id"] for d in snap.districts},
                                  {self.scope} if self.scope else None)
            self._regions_shown_for = key
        old = self._base
        if (old is not None and len(old.points) == len(snap.points)
                and all(a.business_id == b.business_id and a.lon == b.lon and a.lat == b.lat
                        for a, b in zip(old.points, snap.points, strict=True))):
            # The same kitchens where they were (a camera went offline, say): new states on
            # the points on screen, no new projection or bounds.
            for a, b in zip(old.points, snap.points, strict=True):
                a.state = b.state
            snap.points = old.points
            self._base = snap
            self.view.refresh_states()
        else:
            self._base = snap
            self._points = {p.business_id: p for p in snap.points}
            self.view.set_points(snap.points)
        self.view.set_figures(snap.figures)
        if self.boundary_error:
            self.view.legend.states.setText(
                self.view.legend.states.text() + "<br><span style='color:#ff8a80'>"
                + QCoreApplication.translate("MapPanel", "Boundaries not loaded: %1").replace(
                    "%1", self.boundary_error) + "</span>")
            self.view.legend.adjustSize()

    def sources_for(self, business_id: str) -> list[TileSource]:
        forest = getattr(self.window, "forest", None)
        if forest is None:
            return []
        uid = forest.uid("business", business_id)
        return [] if uid is None else list(forest.sources_below(uid))
