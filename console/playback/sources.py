"""Where a camera's past is played from, Qt-free: central's recordings (through a signed address
central mints, since libVLC cannot send a header) or the camera platform's own recording
(registry ``playback_url``). Also the day's index and the alarm marks from the local store.

An external playback address names its time range with placeholders: ``{start}`` and ``{end}``
(UTC ``YYYYMMDDTHHMMSSZ``, the form Hikvision's and ONVIF's RTSP playback take, e.g.
``rtsp://nvr/Streaming/tracks/101?starttime={start}&endtime={end}``), ``{start_unix}`` and
``{end_unix}`` (seconds). An address without placeholders (an HLS recording of the day) is
played as it is, from its beginning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.playback.timeline import AlarmMark, DayTrack, Span, parse_ts
from db.models import Alarm, Camera


class RecordingsApi(Protocol):
    """What playback needs of :class:`console.sync.client.ApiClient`."""

    async def request(self, method: str, path: str, *, json: Any = None,
                      auth: bool = True) -> dict[str, Any]: ...

    def url(self, reference: str, *, media: bool = False) -> Any: ...


class NoRecording(Exception):
    """Nothing recorded of the camera in the range asked (a gap, not a failure)."""


@dataclass(frozen=True)
class PlayAddress:
    """What a player opens: ``url`` shows the picture of ``origin`` at its start; seek
    ``offset_s`` into it for the instant asked. A central address holds a signature: log it
    only through :func:`common.masking.mask_url`."""

    url: str
    origin: datetime
    offset_s: float
    external: bool = False
    until: datetime | None = None  # the end of the range the address covers

    def covers(self, at: datetime) -> bool:
        """Can a seek to ``at`` stay inside this address (libVLC seeks with byte ranges)?"""
        return (not self.external and self.until is not None
                and self.origin <= at < self.until)


@dataclass(frozen=True)
class CameraInfo:
    """A camera as playback needs it (from the local store)."""

    id: str
    name: str
    business_id: str
    district_id: str
    playback_url: str = ""


def _iso(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def _compact(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def external_address(template: str, start: datetime, end: datetime) -> PlayAddress:
    """The platform's own recording for [start, end) (see the module docstring)."""
    if "{" not in template:
        return PlayAddress(template, start, 0.0, external=True)
    url = (template.replace("{start}", _compact(start)).replace("{end}", _compact(end))
           .replace("{start_unix}", str(int(start.timestamp())))
           .replace("{end_unix}", str(int(end.timestamp()))))
    return PlayAddress(url, start, 0.0, external=True)


async def day_index(api: RecordingsApi, camera: CameraInfo, day: Span) -> DayTrack:
    """The camera's recorded ranges, gaps and locks in ``day`` (an external recorder: all)."""
    if camera.playback_url:
        return DayTrack(camera.id, [day], [], [], external=True)
    query = urlencode({"camera": camera.id, "from": _iso(day.start), "to": _iso(day.end)})
    reply = await api.request("GET", f"/api/recordings?{query}")
    return DayTrack.from_index(camera.id, reply)


async def address_at(api: RecordingsApi, camera: CameraInfo, at: datetime,
                     until: datetime) -> PlayAddress:
    """What to open to see ``camera`` from ``at`` (to ``until``). Raises :class:`NoRecording`
    when central has nothing there."""
    if camera.playback_url:
        return external_address(camera.playback_url, at, until)
    from console.sync.client import ServerRejected

    try:
        reply = await api.request("POST", "/api/recordings/links", json={
            "camera": camera.id, "from": _iso(at), "to": _iso(until)})
    except ServerRejected as exc:
        if exc.status == 404:
            raise NoRecording(str(exc)) from None
        raise
    origin = parse_ts(reply["first_segment_start"])
    return PlayAddress(str(api.url(reply["path"])), origin,
                       max(0.0, (at - origin).total_seconds()), until=until)


# --------------------------------------------------------------------------- local store


def cameras_of(session: Session, camera_ids: Sequence[str]) -> list[CameraInfo]:
    """The cameras named (in that order; unknown ones left out)."""
    rows = {c.id: c for c in session.scalars(select(Camera).where(Camera.id.in_(camera_ids)))}
    return [CameraInfo(c.id, c.name, c.business_id, c.district_id, c.playback_url or "")
            for cid in camera_ids if (c := rows.get(cid)) is not None]


def business_cameras(session: Session, business_id: str, limit: int = 4) -> list[CameraInfo]:
    """The business's first ``limit`` cameras (a playback window plays up to 4 in step)."""
    ids = list(session.scalars(select(Camera.id).where(Camera.business_id == business_id)
                               .order_by(Camera.id).limit(limit)))
    return cameras_of(session, ids)


def alarm_marks(session: Session, camera_ids: Sequence[str],
                day: Span) -> dict[str, list[AlarmMark]]:
    """Alarms of the cameras that opened in ``day``, per camera, oldest first."""
    out: dict[str, list[AlarmMark]] = {cid: [] for cid in camera_ids}
    for alarm in session.scalars(select(Alarm).where(
            Alarm.camera_id.in_(camera_ids), Alarm.opened_at >= day.start,
            Alarm.opened_at < day.end).order_by(Alarm.opened_at)):
        at = parse_ts(alarm.opened_at)
        out[str(alarm.camera_id)].append(
            AlarmMark(at, alarm.id, alarm.severity, alarm.message or alarm.subtype or alarm.kind))
    return out


def pre_roll_start(alarm_at: datetime, pre_roll: timedelta = timedelta(seconds=10)) -> datetime:
    """Where playback from an alarm starts: its pre-roll before the alarm time."""
    return alarm_at - pre_roll
