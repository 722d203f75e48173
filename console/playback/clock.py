"""One clock for every camera of a playback window, Qt-free: position, speed, pause, frame step.

Cameras played "in step" all follow this clock: the window advances it from the wall clock,
each player is told where to be, and a player that drifts more than :data:`MAX_DRIFT` is put
back. Pausing freezes the clock (the players pause with it); a frame step moves it by one
frame's time while paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

#: The speeds a user steps through (slower / faster buttons), as in iVMS and Smart Client.
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
#: How far a camera may lag or lead the clock before it is re-seeked (a key-frame interval).
MAX_DRIFT = timedelta(seconds=1.5)
#: Frame step when the stream's rate is unknown (the recorder keeps the camera's own rate).
DEFAULT_FPS = 25.0


def faster(speed: float) -> float:
    """The next speed up (16× stays 16×)."""
    return next((s for s in SPEEDS if s > speed), SPEEDS[-1])


def slower(speed: float) -> float:
    """The next speed down (0.5× stays 0.5×)."""
    return next((s for s in reversed(SPEEDS) if s < speed), SPEEDS[0])


def speed_label(speed: float) -> str:
    return f"{speed:g}×"


@dataclass
class PlaybackClock:
    """Where playback is, driven by elapsed wall time × speed unless paused."""

    position: datetime
    speed: float = 1.0
    paused: bool = False

    def advance(self, elapsed_s: float) -> datetime:
        """Move by ``elapsed_s`` of wall time (nothing while paused); the new position."""
        if not self.paused and elapsed_s > 0:
            self.position += timedelta(seconds=elapsed_s * self.speed)
        return self.position

    def seek(self, at: datetime) -> None:
        self.position = at

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed {speed} is not one of {SPEEDS}")
        self.speed = speed

    def step_frame(self, fps: float = DEFAULT_FPS, frames: int = 1) -> datetime:
        """Pause and move by ``frames`` frames (negative: back)."""
        self.paused = True
        self.position += timedelta(seconds=frames / (fps or DEFAULT_FPS))
        return self.position


def drifted(player_at: datetime | None, clock_at: datetime) -> bool:
    """Must a player showing ``player_at`` be re-seeked to ``clock_at``?"""
    return player_at is None or abs(player_at - clock_at) > MAX_DRIFT
