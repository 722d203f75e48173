"""The console's record of every look at a camera (痕迹化): samples the wall, sends batches.

Every :data:`SAMPLE_MS` the recorder reads which cameras the operator's wall shows and
whether a tour or a patrol put them there, feeds :class:`console.baobao.trace.LookTrace`, and
puts the batches that are due in the outbox as ``view.batch`` actions (so a console offline
for an hour still delivers its looks when it reconnects).

Playback and any other viewer report a look with one call, wherever they are::

    from console.baobao.looks import record_look
    record_look(camera_id, "playback", started_at, seconds)

It does nothing when no recorder runs (a kiosk, a viewer, tests without a session).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer

from console.baobao.trace import LookTrace
from console.shell.aio import spawn
from domain.baobao import ViewSource
from domain.clock import utcnow
from domain.roles import OFFICE_ROLES
from videowall.source import TileSource

log = logging.getLogger("kitchenwatch.console.baobao")
SAMPLE_MS = 2000
# Who watches cameras and may send looks (central refuses view.batch from other roles).
RECORDING_ROLES = frozenset(str(r) for r in OFFICE_ROLES)

_current: LookRecorder | None = None


def record_look(camera_id: str, source: str, started_at: datetime, seconds: float) -> None:
    """The one-call hook: a finished look at ``camera_id`` (e.g. a playback of 3 minutes)."""
    if _current is not None and camera_id and seconds > 0:
        _current.trace.record(camera_id, source, started_at, seconds, time.monotonic())


class LookRecorder(QObject):
    """Samples ``visible()`` (camera id → source) and sends batches through ``send``."""

    def __init__(self, parent: QObject, visible: Callable[[], dict[str, str]],
                 send: Callable[[list[dict[str, Any]]], Coroutine[Any, Any, Any]], *,
                 clock: Callable[[], datetime] = utcnow,
                 mono: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.trace = LookTrace()
        self._visible, self._send = visible, send
        self._clock, self._mono = clock, mono
        self._timer = QTimer(self)
        self._timer.setInterval(SAMPLE_MS)
        self._timer.timeout.connect(self.sample)

    def start(self) -> None:
        global _current
        _current = self
        self._timer.start()

    def sample(self) -> None:
        try:
            visible = self._visible()
        except Exception:  # a wall being rebuilt: the next sample sees it
            log.debug("looks: could not read the wall", exc_info=True)
            return
        self.trace.observe(visible, self._clock(), self._mono())
        self._flush(force=False)

    def _flush(self, *, force: bool) -> None:
        for batch in self.trace.take(self._mono(), force=force):
            spawn(self._send(batch), name="view-batch")

    async def async_stop(self) -> None:
        """Ends every open look and puts what is left in the outbox before the store closes
        (logout, user switch, quit)."""
        global _current
        self._timer.stop()
        if _current is self:
            _current = None
        self.trace.close_all(self._clock(), self._mono())
        for batch in self.trace.take(self._mono(), force=True):
            await self._send(batch)


def wall_looks(cells: Iterable[TileSource | None], source: str,
               patrol_cameras: Iterable[str] = ()) -> dict[str, str]:
    """What a wall shows as looks: its cameras, with the patrol's marked as patrol."""
    patrol = set(patrol_cameras)
    return {c.camera_id: (ViewSource.PATROL if c.camera_id in patrol else source)
            for c in cells if c is not None and c.camera_id}


def install_looks(window: Any, store: Any, user: dict[str, Any], *,
                  tour_running: Callable[[], bool],
                  patrol_cameras: Callable[[], Iterable[str]]) -> LookRecorder | None:
    """The session's hook: office roles record their looks; others (viewer, field) do not."""
    if str(user.get("role") or "") not in RECORDING_ROLES:
        return None

    def visible() -> dict[str, str]:
        source = ViewSource.TOUR if tour_running() else ViewSource.WALL
        return wall_looks(window.wall.cells(), source, patrol_cameras())

    async def send(batch: list[dict[str, Any]]) -> None:
        await store.record_action("view.batch", {"views": batch})

    recorder = LookRecorder(window, visible, send)
    recorder.start()
    return recorder
