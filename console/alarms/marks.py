"""The wall's alarm marks: a camera's tile flashes while an open alarm concerns it.

The marks are kept per camera, not per alarm: a set of camera ids is bounded by the registry,
whereas a set of open alarm ids grows with every alarm nobody acknowledges (a control room
overnight). Which cameras have open alarms is the local database's answer
(:func:`open_alarm_cameras`, read with each reload of the alarm centre); a live alarm that
opens marks its camera at once, and the next reload takes marks away whose alarms are all
acknowledged or closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Alarm, AlarmState


class MarkableWall(Protocol):
    def set_alarm(self, camera_id: str, active: bool) -> object: ...


def open_alarm_cameras(session: Session, sensor_camera: Mapping[str, str]) -> set[str]:
    """Cameras with at least one open alarm (a sensor's alarm marks the sensor's camera)."""
    rows = session.execute(select(Alarm.camera_id, Alarm.sensor_id).where(
        Alarm.state == AlarmState.OPEN).distinct())
    out: set[str] = set()
    for camera_id, sensor_id in rows:
        camera = camera_id or sensor_camera.get(sensor_id or "")
        if camera:
            out.add(camera)
    return out


class AlarmMarks:
    """The cameras marked on the wall, changed only where they differ."""

    def __init__(self, wall: MarkableWall) -> None:
        self.wall = wall
        self._cameras: set[str] = set()

    def __contains__(self, camera_id: Any) -> bool:
        return camera_id in self._cameras

    def __len__(self) -> int:
        return len(self._cameras)

    def mark(self, camera_id: str) -> None:
        """A live alarm opened on this camera."""
        if camera_id not in self._cameras:
            self._cameras.add(camera_id)
            self.wall.set_alarm(camera_id, True)

    def set_all(self, cameras: Iterable[str]) -> None:
        """Exactly these cameras have open alarms (the database's answer)."""
        wanted = set(cameras)
        for camera_id in self._cameras - wanted:
            self.wall.set_alarm(camera_id, False)
        for camera_id in wanted - self._cameras:
            self.wall.set_alarm(camera_id, True)
        self._cameras = wanted
