"""Honest stream state, decided from what was actually decoded (Qt-free; the clock is passed in).

libVLC raises no event when a live stream stalls (and keeps re-rendering the last picture), and
FFmpeg can sit in a read for seconds, so the watchdog judges by the decoder's counters alone, in
Frigate's manner (``CameraWatchdog``):

- ``connecting`` until the first picture; none within ``connect_timeout_s`` is a failure.
- ``playing`` while pictures come out of the decoder.
- no new picture for ``stall_s`` (longer for key-frames-only or slow cameras) = stalled: the
  caller reconnects, with capped exponential backoff and jitter (``reconnecting``, attempt n,
  next try at t). The cap is short for a fresh outage, so a camera back after a hiccup plays
  again within seconds, and grows for cameras that stay away (they are not hammered).
- the source refused (HTTP 404/503, connection refused, DNS, no video) = ``offline`` with the
  reason in words; retried on the same schedule.
- pictures keep coming but nothing in them moves for ``frozen_s`` = ``frozen`` (a hung encoder).
- the picture stays dark, uniform and still for ``black_s`` = ``black`` (covered lens). Dark
  alone is not covered: a kitchen at night with a lit window or a moving light is live
  (``texture`` and ``stirs`` from :mod:`videowall.picture`).

Status is published only when something an operator would notice changes (not the fps).
Reconnects are counted over the last hour and the last error lines kept for the report.
"""

from __future__ import annotations

import enum
import random
import time
from collections import deque
from dataclasses import dataclass, field, replace

from common.backoff import capped_delay, jittered


class StreamState(enum.StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    PLAYING = "playing"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    FROZEN = "frozen"
    BLACK = "black"


LIVE_STATES = (StreamState.PLAYING, StreamState.FROZEN, StreamState.BLACK)


@dataclass(frozen=True)
class StreamStatus:
    state: StreamState = StreamState.IDLE
    reason: str = ""
    attempt: int = 0
    next_retry_at: float | None = None  # time.monotonic() of the next attempt
    fps: float = 0.0
    width: int = 0       # the source's resolution
    height: int = 0
    codec: str = ""
    keyframes_only: bool = False
    reconnects_last_hour: int = 0

    def news(self) -> tuple[object, ...]:
        """What must change for the status to be worth publishing (not the fps)."""
        return (self.state, self.reason, self.attempt, self.next_retry_at, self.width,
                self.height, self.codec, self.keyframes_only, self.reconnects_last_hour)

    @property
    def live(self) -> bool:
        return self.state in LIVE_STATES


@dataclass
class WatchdogConfig:
    connect_timeout_s: float = 10.0
    stall_s: float = 3.0
    frozen_s: float = 8.0
    black_s: float = 4.0
    black_luma: float = 16.0
    black_texture: float = 10.0        # a brighter spot than this on a dark picture: not covered
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 1.5         # while the outage is fresh
    long_outage_s: float = 60.0
    long_backoff_cap_s: float = 15.0   # for a camera that stays away
    jitter: float = 0.2
    max_stall_s: float = 15.0          # slow cameras / key frames only: at most this


@dataclass(frozen=True)
class Observation:
    """The decoder's counters for one stream (from the worker's statistics)."""

    frames: int = 0      # distinct pictures shown
    decoded: int = 0     # pictures out of the decoder
    changes: int = 0     # real picture changes (noise-proof)
    luma: float = -1.0
    width: int = 0
    height: int = 0
    codec: str = ""
    fps: float = 0.0
    keyframes_only: bool = False
    texture: float = -1.0  # brightest block above the median (averaged), -1: unknown
    stirs: int = 0         # strong local changes (something moving), noise-proof


@dataclass
class Watchdog:
    """Feed it what happened; it says what the stream is and when to reconnect."""

    config: WatchdogConfig = field(default_factory=WatchdogConfig)
    rng: random.Random = field(default_factory=random.Random)
    status: StreamStatus = field(default_factory=StreamStatus)
    published: StreamStatus = field(default_factory=StreamStatus)
    errors: deque[tuple[float, str]] = field(default_factory=lambda: deque(maxlen=20))
    failures: int = 0
    outage_since: float | None = None
    _reconnects: deque[float] = field(default_factory=deque)
    _started_at: float = 0.0
    _decoded: int = 0
    _changes: int = 0
    _last_decoded_at: float | None = None
    _last_change_at: float | None = None
    _dark_since: float | None = None
    _stirs: int = 0
    _gap: float = 0.0

    # -- events -------------------------------------------------------------------------------
    def opened(self, now: float, note: str = "") -> StreamStatus | None:
        """A player (re)started for this stream."""
        self._started_at = now
        self._decoded = 0
        self._changes = 0
        self._last_decoded_at = None
        self._last_change_at = None
        self._dark_since = None
        self._stirs = 0
        self._gap = 0.0
        if self.failures == 0 and not note:
            state, reason = StreamState.CONNECTING, ""
        elif self.status.state == StreamState.OFFLINE and not note:
            # Retrying a source that refused: it stays offline until it plays again, so the
            # health report does not flap offline/reconnecting on every attempt.
            state, reason = StreamState.OFFLINE, self.status.reason
        else:
            state, reason = StreamState.RECONNECTING, note or self.status.reason
        return self._set(replace(self.status, state=state, reason=reason, attempt=self.failures,
                                 next_retry_at=None, fps=0.0), now)

    def failed(self, now: float, reason: str, offline: bool = False) -> StreamStatus | None:
        """The source refused, ended or stalled: schedule the next attempt."""
        self.failures += 1
        if self.outage_since is None:
            self.outage_since = now
        self._reconnects.append(now)
        self.errors.append((time.time(), reason))
        config = self.config
        outage = now - self.outage_since
        cap = config.long_backoff_cap_s if outage >= config.long_outage_s else \
            config.backoff_cap_s
        delay = jittered(capped_delay(self.failures - 1, config.backoff_base_s, cap),
                         config.jitter, self.rng)
        state = StreamState.OFFLINE if offline else StreamState.RECONNECTING
        return self._set(replace(self.status, state=state, reason=reason, attempt=self.failures,
                                 next_retry_at=now + delay, fps=0.0), now)

    def invalid(self, now: float, reason: str) -> StreamStatus | None:
        """The address itself is unusable: offline for good, no retries."""
        self.errors.append((time.time(), reason))
        return self._set(replace(self.status, state=StreamState.OFFLINE, reason=reason,
                                 attempt=0, next_retry_at=None, fps=0.0), now)

    def due_for_retry(self, now: float) -> bool:
        at = self.status.next_retry_at
        return at is not None and now >= at

    def reconnects_last_hour(self, now: float) -> int:
        while self._reconnects and now - self._reconnects[0] > 3600:
            self._reconnects.popleft()
        return len(self._reconnects)

    # -- observation --------------------------------------------------------------------------
    def stall_limit(self) -> float:
        """Slow cameras and key-frames-only tiles get ~3 picture intervals, within bounds."""
        return min(self.config.max_stall_s, max(self.config.stall_s, 3.0 * self._gap))

    def observe(self, now: float, seen: Observation) -> tuple[StreamStatus | None, str | None]:
        """Judge the counters; returns (status if it is news, reason to reconnect or None)."""
        if self.status.next_retry_at is not None or self.status.state == StreamState.IDLE:
            return None, None
        config = self.config
        if seen.decoded > self._decoded:
            if self._last_decoded_at is not None:
                gap = (now - self._last_decoded_at) / (seen.decoded - self._decoded)
                self._gap = gap if self._gap == 0 else 0.8 * self._gap + 0.2 * gap
            self._decoded = seen.decoded
            self._last_decoded_at = now
            self.failures = 0
            self.outage_since = None
        if seen.changes != self._changes:
            self._changes = seen.changes
            self._last_change_at = now
        if self._last_decoded_at is None:
            if now - self._started_at > config.connect_timeout_s:
                return None, f"no picture within {config.connect_timeout_s:.0f} s"
            return None, None
        silent = now - self._last_decoded_at
        if silent > self.stall_limit():
            return None, f"no new picture for {silent:.0f} s (stalled)"
        stirred, self._stirs = seen.stirs != self._stirs, seen.stirs
        if self._covered(seen) and not stirred:
            self._dark_since = self._dark_since if self._dark_since is not None else now
        else:
            self._dark_since = None
        state, reason = StreamState.PLAYING, ""
        if self._dark_since is not None and now - self._dark_since >= config.black_s:
            state, reason = StreamState.BLACK, "picture is black: lens covered or camera dark"
        elif self._last_change_at is not None and now - self._last_change_at >= config.frozen_s:
            still = now - self._last_change_at
            state, reason = StreamState.FROZEN, f"picture unchanged for {still:.0f} s"
            if self.status.state == StreamState.FROZEN:
                reason = self.status.reason  # do not republish every second
        status = replace(self.status, state=state, reason=reason, attempt=0, next_retry_at=None,
                         fps=seen.fps, width=seen.width or self.status.width,
                         height=seen.height or self.status.height,
                         codec=seen.codec or self.status.codec,
                         keyframes_only=seen.keyframes_only)
        return self._set(status, now), None

    def _covered(self, seen: Observation) -> bool:
        """Dark and uniform (stillness is the caller's part); an unknown texture (an older
        worker) leaves darkness alone to judge."""
        dark = 0 <= seen.luma < self.config.black_luma
        return dark and seen.texture < self.config.black_texture

    def _set(self, status: StreamStatus, now: float) -> StreamStatus | None:
        status = replace(status, reconnects_last_hour=self.reconnects_last_hour(now))
        self.status = status
        if status.news() == self.published.news():
            return None
        self.published = status
        return status
