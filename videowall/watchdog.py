"""Honest stream state, decided from what was actually decoded (no libVLC events needed).

libVLC often raises no event when a live stream stalls, so the watchdog counts decoded frames
itself: no new frame for ``stall_s`` means stalled; a picture that does not change for
``frozen_s`` while frames keep coming means frozen (a hung encoder upstream); a picture that
stays dark means a covered lens. Reconnects back off exponentially with jitter, capped. Status
is published only when it changes.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field, replace


class StreamState(enum.StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    PLAYING = "playing"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    FROZEN = "frozen"
    BLACK = "black"


@dataclass(frozen=True)
class StreamStatus:
    state: StreamState = StreamState.IDLE
    reason: str = ""
    attempt: int = 0
    next_retry_at: float | None = None
    fps: float = 0.0
    width: int = 0
    height: int = 0


@dataclass
class WatchdogConfig:
    connect_timeout_s: float = 10.0
    stall_s: float = 3.0
    frozen_s: float = 6.0
    black_s: float = 4.0
    black_luma: float = 16.0
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0


@dataclass
class Watchdog:
    """Feed it observations (``tick``); it answers whether to reconnect now."""

    config: WatchdogConfig = field(default_factory=WatchdogConfig)
    rng: random.Random = field(default_factory=random.Random)
    status: StreamStatus = field(default_factory=StreamStatus)
    started_at: float = 0.0
    last_frame_at: float | None = None
    last_frames: int = 0
    last_change_at: float | None = None
    last_signature: bytes | None = None
    dark_since: float | None = None
    failures: int = 0
    fps_window: list[tuple[float, int]] = field(default_factory=list)

    def opened(self, now: float) -> StreamStatus | None:
        self.started_at = now
        self.last_frame_at = None
        self.last_change_at = None
        self.last_signature = None
        self.dark_since = None
        self.last_frames = 0
        self.fps_window.clear()
        state = StreamState.CONNECTING if self.failures == 0 else StreamState.RECONNECTING
        return self._set(replace(self.status, state=state, next_retry_at=None,
                                 attempt=self.failures))

    def failed(self, now: float, reason: str, offline: bool = False) -> StreamStatus | None:
        """The source refused or ended; schedule a retry with backoff."""
        self.failures += 1
        delay = min(self.config.backoff_cap_s,
                    self.config.backoff_base_s * 2 ** (self.failures - 1))
        delay *= self.rng.uniform(0.8, 1.2)
        state = StreamState.OFFLINE if offline or self.failures >= 3 else StreamState.RECONNECTING
        return self._set(replace(self.status, state=state, reason=reason, attempt=self.failures,
                                 next_retry_at=now + delay, fps=0.0))

    def due_for_retry(self, now: float) -> bool:
        at = self.status.next_retry_at
        return at is not None and now >= at

    def tick(self, now: float, frames: int, signature: bytes | None, luma: float | None,
             width: int = 0, height: int = 0) -> tuple[StreamStatus | None, str | None]:
        """Observe the decoder; returns (new status or None, reason to reconnect or None)."""
        if self.status.next_retry_at is not None:
            return None, None
        if frames != self.last_frames:
            self.last_frames = frames
            self.last_frame_at = now
            self.failures = 0
        self.fps_window = [(t, n) for t, n in self.fps_window if now - t <= 2.0] + [(now, frames)]
        t0, n0 = self.fps_window[0]
        fps = (frames - n0) / (now - t0) if now > t0 else 0.0
        if self.last_frame_at is None:
            if now - self.started_at > self.config.connect_timeout_s:
                return None, "no picture within the connect timeout"
            return None, None
        if now - self.last_frame_at > self.config.stall_s:
            return None, f"no frame for {now - self.last_frame_at:.0f} s (stalled)"
        if signature is not None and signature != self.last_signature:
            self.last_signature = signature
            self.last_change_at = now
        if luma is not None and luma < self.config.black_luma:
            self.dark_since = self.dark_since or now
        else:
            self.dark_since = None
        state, reason = StreamState.PLAYING, ""
        if self.dark_since is not None and now - self.dark_since >= self.config.black_s:
            state, reason = StreamState.BLACK, "picture is black (lens covered or camera dark)"
        elif self.last_change_at is not None and now - self.last_change_at >= self.config.frozen_s:
            state, reason = StreamState.FROZEN, (
                f"picture unchanged for {self.config.frozen_s:.0f} s or more")
        status = replace(self.status, state=state, reason=reason, attempt=0, fps=round(fps, 1),
                         width=width or self.status.width, height=height or self.status.height)
        # Publish on state change; fps alone changes too often to be news.
        if status.state != self.status.state or status.reason != self.status.reason:
            return self._set(status), None
        self.status = status
        return None, None

    def _set(self, status: StreamStatus) -> StreamStatus | None:
        changed = status != self.status
        self.status = status
        return status if changed else None
