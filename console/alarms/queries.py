"""The alarm centre's reads of the local cache, Qt-free, run on the store's reader thread.

A reload must not read every alarm: a control room's database holds tens of thousands. It
reads a cheap fingerprint of the alarms the list's window keeps (:class:`AlarmWindow`: the
newest live and the newest finished), compares it with what the list holds, and reads whole
rows only for the alarms that differ. The same read takes the true counts per state and the
cameras with open alarms (the wall's marks), so one trip to the reader answers everything the
centre shows after a change.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.alarms.marks import open_alarm_cameras
from db.models import Alarm, Business, Camera, District, Sensor
from db.serialize import to_payload
from domain.alarms import AlarmState
from widgets.models.alarm_window import AlarmWindow
from widgets.models.rows import AlarmRow

#: States of an alarm still needing action (what the window's ``live`` part keeps).
LIVE = (AlarmState.OPEN, AlarmState.ACKNOWLEDGED, AlarmState.DISPATCHED)
CHUNK = 500  # ids per ``IN (...)`` (SQLite's variable limit, with room to spare)

Fingerprint = tuple[Any, ...]


def fingerprint(row: AlarmRow) -> Fingerprint:
    """What changes when an alarm changes: the server bumps ``version``; this console's own
    actions change state, severity or task locally without a bump."""
    return (row.version, row.state, row.severity, row.count, row.task_id)


@dataclass
class Directory:
    """Names the alarm rows show for ids: businesses, districts, where in the kitchen a
    camera or sensor is, and which camera a sensor looks through (for wall marks)."""

    names: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    sensor_camera: dict[str, str] = field(default_factory=dict)

    def row(self, alarm: Alarm) -> AlarmRow:
        return self.row_from_payload(to_payload(alarm))

    def row_from_payload(self, payload: Mapping[str, Any]) -> AlarmRow:
        """An alarm (from the cache or straight from the server) with its names; raises
        :class:`RowError` for a payload that is not an alarm."""
        device = payload.get("camera_id") or payload.get("sensor_id") or ""
        return AlarmRow.from_payload(
            payload, business_name=self.names.get(str(payload.get("business_id", "")), ""),
            district_name=self.districts.get(str(payload.get("district_id", "")), ""),
            place=self.places.get(str(device), ""))

    def camera_of(self, row: AlarmRow) -> str | None:
        """The camera an alarm concerns: its own, or its sensor's."""
        return row.camera_id or self.sensor_camera.get(row.sensor_id or "") or None


def read_directory(session: Session) -> Directory:
    sensors = session.execute(select(Sensor.id, Sensor.camera_id, Sensor.location)).all()
    places = {s: where for s, _, where in sensors if where}
    places.update((c, name) for c, name in session.execute(
        select(Camera.id, Camera.name)).all() if name)
    return Directory(names=dict(session.execute(select(Business.id, Business.name)).all()),
                     districts=dict(session.execute(select(District.id, District.name)).all()),
                     places=places, sensor_camera={s: c for s, c, _ in sensors if c})


@dataclass
class WindowRead:
    """One reload's answer.

    Attributes:
        rows: alarms in the window whose fingerprint differs from what the list holds.
        gone: ids the list holds that left the window (or the database).
        counts: alarms per state in the whole database (the status bar's truth).
        marked: cameras with at least one open alarm.
        directory: re-read names, or None when the caller's are still good.
    """

    rows: list[AlarmRow]
    gone: list[str]
    counts: dict[str, int]
    marked: set[str]
    directory: Directory | None = None


def read_window(session: Session, held: Mapping[str, Fingerprint], limits: AlarmWindow,
                directory: Directory, *, full: bool) -> WindowRead:
    """What the list must change to show the database's window. ``held`` is what the list
    holds (id → fingerprint); ``full`` re-reads the names and every row of the window."""
    fresh = read_directory(session) if full else None
    names = fresh or directory
    known: Mapping[str, Fingerprint] = {} if full else held
    cols = (Alarm.id, Alarm.version, Alarm.state, Alarm.severity, Alarm.count, Alarm.task_id)
    newest = (Alarm.last_seen_at.desc(), Alarm.id.desc())
    prints = {r[0]: tuple(r[1:]) for r in itertools.chain(
        session.execute(select(*cols).where(Alarm.state.in_(LIVE)).order_by(*newest)
                        .limit(limits.live)),
        session.execute(select(*cols).where(Alarm.state.not_in(LIVE)).order_by(*newest)
                        .limit(limits.finished)))}
    wanted = [i for i, fp in prints.items() if known.get(i) != fp]
    rows: list[AlarmRow] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        rows.extend(names.row(a) for a in session.scalars(
            select(Alarm).where(Alarm.id.in_(chunk))))
    counts = {str(k): int(v) for k, v in session.execute(
        select(Alarm.state, func.count()).group_by(Alarm.state)).all()}
    return WindowRead(rows=rows, gone=[i for i in held if i not in prints], counts=counts,
                      marked=open_alarm_cameras(session, names.sensor_camera),
                      directory=fresh)


def camera_payload(session: Session, camera_id: str) -> dict[str, Any] | None:
    camera = session.get(Camera, camera_id)
    return to_payload(camera) if camera is not None else None
