"""Which stream-health changes seen on this console's wall are worth telling central (Qt-free).

The wall publishes a tile's state whenever it changes; a camera on a poor link can flap between
reconnecting and playing every few seconds. Central only needs a verdict that held: a state is
reported once it has lasted ``settle_s`` and only if it differs from what central already
records for the camera (or from what this console last reported). Connecting/idle are not
verdicts and are ignored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from domain.health import HEALTH_OF_TILE_STATE
from domain.roles import OFFICE_ROLES

# Roles central accepts camera.health from (docs/protocol.md, "Actions"): the office.
REPORTING_ROLES = OFFICE_ROLES


@dataclass(frozen=True)
class HealthReport:
    camera_id: str
    health: str
    reason: str

    def payload(self) -> dict[str, str]:
        return {"camera_id": self.camera_id, "health": self.health, "reason": self.reason}


@dataclass
class _Observation:
    health: str
    reason: str
    since: float


class HealthReporter:
    def __init__(self, settle_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settle_s = settle_s
        self._clock = clock
        self._pending: dict[str, _Observation] = {}
        self._reported: dict[str, str] = {}
        self._server: dict[str, str] = {}

    def set_server_health(self, health_by_camera: Mapping[str, str]) -> None:
        """What central currently records (from the synced registry). Our own reports that
        central now shows are confirmed and need no separate memory any more."""
        self._server = dict(health_by_camera)
        for camera_id, health in list(self._reported.items()):
            if self._server.get(camera_id) == health:
                del self._reported[camera_id]

    def observe(self, camera_id: str, state: str, reason: str) -> None:
        health = HEALTH_OF_TILE_STATE.get(str(state))
        if health is None:
            return  # connecting / idle: wait for a verdict
        seen = self._pending.get(camera_id)
        if seen is not None and seen.health == health:
            seen.reason = reason or seen.reason
            return
        self._pending[camera_id] = _Observation(health, reason, self._clock())

    def forget(self, camera_id: str) -> None:
        """The camera left the wall: a pending verdict about it no longer holds."""
        self._pending.pop(camera_id, None)

    def due(self) -> list[HealthReport]:
        """Verdicts that held for ``settle_s`` and are news to central."""
        now = self._clock()
        reports: list[HealthReport] = []
        for camera_id, seen in list(self._pending.items()):
            if now - seen.since < self.settle_s:
                continue
            del self._pending[camera_id]
            last = self._reported.get(camera_id, self._server.get(camera_id))
            if seen.health == last:
                continue
            self._reported[camera_id] = seen.health
            reports.append(HealthReport(camera_id, seen.health, seen.reason or seen.health))
        return reports
