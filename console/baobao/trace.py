"""Which cameras were on screen, for how long: the looks central keeps (痕迹化, Qt-free).

The console samples what its wall shows every couple of seconds and feeds the set to
:meth:`LookTrace.observe`; a camera that leaves the screen (or changes from wall to tour or
patrol) closes its look. Looks are sent as ``view.batch`` actions, not one per tile change:

* a look shorter than :data:`MIN_LOOK_S` is dropped (a tile flicking past);
* a camera watched for a long time is cut every :data:`MAX_SPAN_S` (so a crash loses little);
* closed looks wait up to :data:`FLUSH_S` and go in one batch, where the looks of one camera
  and source are merged into one row (its first start, the seconds added up).

What that costs central (see docs/protocol.md): a wall of 64 fixed tiles for 8 h is 64 × 4 =
256 rows and at most 12 requests an hour; a 64-tile tour with a 10 s dwell over 600 cameras
is at most 600 rows per five minutes (7,200 an hour) in at most 24 requests an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MIN_LOOK_S = 3.0
MAX_SPAN_S = 15 * 60.0
FLUSH_S = 5 * 60.0
BATCH_MAX = 500  # central.schemas.baobao.MAX_VIEWS_PER_BATCH
# Closed looks that send the batches before FLUSH_S is up (sent as several requests); large
# enough that a tour over hundreds of cameras still merges its repeats within a window.
HOLD_MAX = 4 * BATCH_MAX


def _utc(ts: datetime) -> datetime:
    """Central wants an offset; the project's naive times are UTC (domain.clock)."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


@dataclass
class _Open:
    source: str
    started_at: datetime  # wall clock, what central stores
    started_mono: float  # monotonic, what the duration is measured with


@dataclass
class Look:
    camera_id: str
    source: str
    started_at: datetime
    seconds: float

    def payload(self) -> dict[str, Any]:
        return {"camera_id": self.camera_id, "source": self.source,
                "started_at": _utc(self.started_at).isoformat(),
                "seconds": max(1, min(86400, round(self.seconds)))}


class LookTrace:
    """Open looks per camera and the closed ones waiting to be sent."""

    def __init__(self) -> None:
        self._open: dict[str, _Open] = {}
        self._closed: dict[tuple[str, str], Look] = {}
        self._oldest: float | None = None  # monotonic time of the oldest closed look

    @property
    def watching(self) -> dict[str, str]:
        """Camera id → source of the looks open now."""
        return {camera: o.source for camera, o in self._open.items()}

    def observe(self, visible: dict[str, str], now: datetime, mono: float) -> None:
        """``visible``: camera id → source ("wall", "tour", "patrol") on screen now."""
        for camera, look in list(self._open.items()):
            ended = visible.get(camera) != look.source
            if ended or mono - look.started_mono >= MAX_SPAN_S:
                self._close(camera, look, now, mono)
                del self._open[camera]
        for camera, source in visible.items():
            if camera not in self._open:
                self._open[camera] = _Open(source, now, mono)

    def record(self, camera_id: str, source: str, started_at: datetime, seconds: float,
               mono: float) -> None:
        """A whole look at once (playback knows when it started and how long it ran)."""
        self._add(Look(camera_id, source, started_at, seconds), mono)

    def close_all(self, now: datetime, mono: float) -> None:
        """The screen went away (logout, quit): every open look ends now."""
        for camera, look in self._open.items():
            self._close(camera, look, now, mono)
        self._open.clear()

    def take(self, mono: float, *, force: bool = False) -> list[list[dict[str, Any]]]:
        """The batches due now (each at most :data:`BATCH_MAX` looks), or none."""
        if not self._closed:
            return []
        due = force or len(self._closed) >= HOLD_MAX or (
            self._oldest is not None and mono - self._oldest >= FLUSH_S)
        if not due:
            return []
        looks = [look.payload() for look in sorted(self._closed.values(),
                                                   key=lambda lk: lk.started_at)]
        self._closed.clear()
        self._oldest = None
        return [looks[i:i + BATCH_MAX] for i in range(0, len(looks), BATCH_MAX)]

    def _close(self, camera: str, look: _Open, now: datetime, mono: float) -> None:
        seconds = mono - look.started_mono
        self._add(Look(camera, look.source, look.started_at, seconds), mono)

    def _add(self, look: Look, mono: float) -> None:
        if look.seconds < MIN_LOOK_S:
            return
        key = (look.camera_id, look.source)
        seen = self._closed.get(key)
        if seen is None:
            self._closed[key] = look
        else:
            seen.started_at = min(seen.started_at, look.started_at)
            seen.seconds += look.seconds
        if self._oldest is None:
            self._oldest = mono


