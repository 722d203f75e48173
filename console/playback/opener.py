"""Opens playback windows from where operators ask for them: an alarm panel (the alarm's camera
first, then the business's other cameras, from the pre-roll before the alarm time), a tile's
menu (that camera, the last minutes) and the business details (its cameras).

Also "record now" / "stop" for a tile (the ``recording.start`` / ``recording.stop`` actions
through the console's outbox).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from console.playback.ledger import ExportLedger
from console.playback.sources import (
    CameraInfo,
    RecordingsApi,
    business_cameras,
    cameras_of,
    pre_roll_start,
)
from console.playback.window import MAX_CAMERAS, PlaybackWindow
from console.sync.store import LocalStore
from db.models import Alarm
from domain.clock import utcnow

log = logging.getLogger("kitchenwatch.playback")

# Where a tile's "Playback" starts: this long before now.
RECENT = timedelta(minutes=2)
# The pre-roll shown before an alarm (the recorder keeps at least 10 s before it).
PRE_ROLL = timedelta(seconds=10)


def alarm_cameras(session: Session, alarm_id: str) -> tuple[list[CameraInfo], datetime] | None:
    """The alarm's camera first, then its business's others (at most 4), and its time."""
    alarm = session.get(Alarm, alarm_id)
    if alarm is None or not alarm.camera_id:
        return None
    first = cameras_of(session, [alarm.camera_id])
    others = [c for c in business_cameras(session, alarm.business_id, MAX_CAMERAS + 1)
              if c.id != alarm.camera_id]
    return (first + others)[:MAX_CAMERAS], alarm.opened_at


class PlaybackOpener:
    """Keeps the open playback windows (one per request; closed ones are forgotten)."""

    def __init__(self, store: LocalStore, api: RecordingsApi, username: str,
                 ledger: ExportLedger | None = None,
                 record: Callable[[str, dict[str, Any]], Awaitable[None]] | None = None) -> None:
        self.store, self.api, self.username = store, api, username
        self.ledger = ledger or ExportLedger()
        self.record = record
        self.windows: list[PlaybackWindow] = []

    def _show(self, cameras: list[CameraInfo], at: datetime,
              alarm_id: str = "") -> PlaybackWindow | None:
        if not cameras:
            return None
        window = PlaybackWindow(self.api, cameras, at, store=self.store, user=self.username,
                                alarm_id=alarm_id, ledger=self.ledger, record=self.record)
        title = window.tr("Playback – %1").replace("%1", cameras[0].name or cameras[0].id)
        window.setWindowTitle(title)
        window.destroyed.connect(lambda *_a, w=window: self._forget(w))
        self.windows = [w for w in self.windows if w.isVisible()] + [window]
        window.show()
        window.raise_()
        return window

    def _forget(self, window: QWidget) -> None:
        self.windows = [w for w in self.windows if w is not window]

    async def for_alarm(self, alarm_id: str) -> PlaybackWindow | None:
        found = await self.store.read(lambda s: alarm_cameras(s, alarm_id))
        if found is None:
            return None
        cameras, at = found
        return self._show(cameras, pre_roll_start(at, PRE_ROLL), alarm_id)

    async def for_camera(self, camera_id: str, at: datetime | None = None
                         ) -> PlaybackWindow | None:
        cameras = await self.store.read(lambda s: cameras_of(s, [camera_id]))
        return self._show(cameras, at or utcnow() - RECENT)

    async def for_business(self, business_id: str, at: datetime | None = None
                           ) -> PlaybackWindow | None:
        cameras = await self.store.read(lambda s: business_cameras(s, business_id))
        return self._show(cameras, at or utcnow() - RECENT)

    async def record_now(self, camera_id: str, on: bool) -> None:
        """"Record now" (an hour, unless stopped) or "stop" for a camera."""
        if self.record is None:
            return
        if on:
            await self.record("recording.start", {"camera_id": camera_id, "minutes": 60})
        else:
            await self.record("recording.stop", {"camera_id": camera_id})
