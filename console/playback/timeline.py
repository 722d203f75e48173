"""The playback timeline's model, Qt-free: a camera's day (recorded ranges, gaps, evidence locks,
alarm marks), the visible window with its zoom (24 h down to one minute) and the arithmetic
between pixels and instants that click and drag seeking use.

Kept apart from the widgets so that the arithmetic a user relies on ("I clicked 14:32, it played
14:32"; "the gap is where the camera was off") is tested without a display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: The zoom steps of the timeline, widest first: a whole day down to one minute.
ZOOM_SPANS: tuple[timedelta, ...] = tuple(timedelta(minutes=m) for m in (
    24 * 60, 12 * 60, 6 * 60, 2 * 60, 60, 30, 10, 5, 1))
#: Tick spacing for each visible span: about 6 to 12 labelled ticks at any zoom.
_TICKS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=12), timedelta(hours=2)), (timedelta(hours=6), timedelta(hours=1)),
    (timedelta(hours=2), timedelta(minutes=30)), (timedelta(hours=1), timedelta(minutes=10)),
    (timedelta(minutes=30), timedelta(minutes=5)), (timedelta(minutes=10), timedelta(minutes=1)),
    (timedelta(minutes=5), timedelta(seconds=30)), (timedelta(0), timedelta(seconds=10)))


def parse_ts(value: Any) -> datetime:
    """An aware UTC datetime from the server's ISO text (``...Z``) or a datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value)
    ts = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Span:
    """A half-open interval [start, end)."""

    start: datetime
    end: datetime

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class AlarmMark:
    """An alarm on the timeline: where it opened, how grave, and its id to open its panel."""

    at: datetime
    alarm_id: str
    severity: int
    label: str


@dataclass
class DayTrack:
    """What one camera has in the day shown: recorded ranges, gaps, locks and alarm marks."""

    camera_id: str
    ranges: list[Span] = field(default_factory=list)
    gaps: list[Span] = field(default_factory=list)
    locks: list[Span] = field(default_factory=list)
    marks: list[AlarmMark] = field(default_factory=list)
    #: A camera whose own platform records (registry ``playback_url``): everything is playable
    #: and there is no index to draw.
    external: bool = False

    @classmethod
    def from_index(cls, camera_id: str, reply: Mapping[str, Any]) -> DayTrack:
        """From central's ``GET /api/recordings`` reply."""
        def spans(key: str) -> list[Span]:
            return [Span(parse_ts(r["start"]), parse_ts(r["end"])) for r in reply.get(key, ())]

        return cls(camera_id, spans("ranges"), spans("gaps"), spans("locks"))

    def recorded_at(self, at: datetime) -> bool:
        """Is there a picture of this camera at ``at``? (an external recorder: always)"""
        return self.external or any(r.contains(at) for r in self.ranges)

    def next_recorded(self, at: datetime) -> datetime | None:
        """``at`` if recorded, else the start of the next recorded range (None: none left).
        Playback skips a gap shared by every camera instead of playing minutes of nothing."""
        if self.recorded_at(at):
            return at
        later = [r.start for r in self.ranges if r.start > at]
        return min(later) if later else None

    def range_at(self, at: datetime) -> Span | None:
        return next((r for r in self.ranges if r.contains(at)), None)


def next_recorded_any(tracks: Iterable[DayTrack], at: datetime) -> datetime | None:
    """The earliest instant at or after ``at`` at which any of ``tracks`` has a picture."""
    found = [t for t in (track.next_recorded(at) for track in tracks) if t is not None]
    return min(found) if found else None


def day_of(at: datetime, tz: Any = None) -> Span:
    """The local calendar day containing ``at`` (``tz``: the console's zone; default local)."""
    local = at.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # A day is 24 h of wall clock in China (no daylight saving); computed in the zone anyway.
    end = (start + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return Span(start.astimezone(UTC), end.astimezone(UTC))


@dataclass
class TimelineWindow:
    """The part of the day the timeline shows, ``width`` pixels wide.

    Zooming keeps the instant under the cursor where it is (as every VMS timeline does); the
    window never leaves the day."""

    day: Span
    width: int = 1000
    zoom: int = 0  # index into ZOOM_SPANS
    start: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.day.start

    @property
    def span(self) -> timedelta:
        return min(ZOOM_SPANS[self.zoom], self.day.end - self.day.start)

    @property
    def end(self) -> datetime:
        return self.start + self.span

    def x_of(self, at: datetime) -> float:
        """The pixel column of ``at`` (may be outside 0..width when ``at`` is not shown)."""
        return (at - self.start).total_seconds() / self.span.total_seconds() * self.width

    def time_at(self, x: float) -> datetime:
        """The instant under pixel column ``x``, clamped to the day."""
        x = min(max(x, 0.0), float(self.width))
        at = self.start + self.span * (x / max(self.width, 1))
        return min(max(at, self.day.start), self.day.end - timedelta(milliseconds=1))

    def _clamp(self) -> None:
        latest = self.day.end - self.span
        self.start = min(max(self.start, self.day.start), latest)

    def zoom_to(self, level: int, anchor: datetime | None = None) -> None:
        """Zoom to ``level`` keeping ``anchor`` (default: the middle) at its column."""
        level = min(max(level, 0), len(ZOOM_SPANS) - 1)
        anchor = anchor or self.start + self.span / 2
        share = (anchor - self.start) / self.span if self.span else 0.5
        share = min(max(share, 0.0), 1.0)
        self.zoom = level
        self.start = anchor - self.span * share
        self._clamp()

    def center_on(self, at: datetime) -> None:
        """Show ``at`` in the middle (as far as the day allows): a jump to an alarm or a gap."""
        self.start = at - self.span / 2
        self._clamp()

    def zoom_in(self, anchor: datetime | None = None) -> None:
        self.zoom_to(self.zoom + 1, anchor)

    def zoom_out(self, anchor: datetime | None = None) -> None:
        self.zoom_to(self.zoom - 1, anchor)

    def pan_pixels(self, dx: float) -> None:
        """Drag the day by ``dx`` pixels (positive: to the right, showing earlier times)."""
        self.start -= self.span * (dx / max(self.width, 1))
        self._clamp()

    def follow(self, at: datetime) -> None:
        """Keep the play head visible: page forward when it leaves the right edge."""
        if not self.start <= at < self.end:
            self.start = at - self.span * 0.1
            self._clamp()

    def ticks(self) -> list[datetime]:
        """Instants of the labelled ticks in view, on round times."""
        step = next(s for limit, s in _TICKS if self.span > limit)
        secs = step.total_seconds()
        base = self.day.start
        first = base + timedelta(seconds=-(-(self.start - base).total_seconds() // secs) * secs)
        out, at = [], first
        while at <= self.end:
            out.append(at)
            at += step
        return out

    def visible(self, spans: Sequence[Span]) -> list[tuple[float, float]]:
        """Pixel extents of the spans that are in view, clipped to the timeline."""
        view = Span(self.start, self.end)
        return [(max(self.x_of(s.start), 0.0), min(self.x_of(s.end), float(self.width)))
                for s in spans if s.overlaps(view)]
