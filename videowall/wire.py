"""Messages between the UI process and decode workers: one JSON object per line (Qt-free).

Commands (UI → worker), each a dict with ``op``:

- ``open``: ``id, url, shm, width, height, backend ("vlc"|"ffmpeg"), options`` (a
  :class:`PlayerOptions` as a dict). ``width × height`` is the box the picture must fit.
- ``close``: ``id``. ``keyframes``: ``id, on``. ``snapshot``: ``id, req, path``.
- ``ping``: answered by a ``heartbeat``. ``quit``: close everything and exit.

Events (worker → UI), each with ``ev``:

- ``hello``: ``pid, live555, backends``. ``heartbeat``: ``t``.
- ``state``: ``id, state ("opening"|"playing"|"error"|"ended"), reason, offline``.
- ``stats``: ``players`` — a list of :class:`PlayerStats` dicts, every half second.
- ``snapshot``: ``req, ok, path, width, height, error``. ``closed``: ``id``.
- ``stop_hung``: ``id`` — a player did not stop within its deadline; the supervisor recycles
  the worker. ``log``: ``level, message`` (already masked).

Everything that could carry a URL is masked before it leaves the worker.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

BACKENDS = ("ffmpeg", "vlc")


@dataclass
class PlayerOptions:
    """How to decode one stream. Defaults suit a small wall tile on a sub stream."""

    network_caching_ms: int = 300
    decoder_threads: int = 1
    skip_loop_filter: bool = True   # invisible at tile size, ~15 % less decode time
    keyframes_only: bool = False
    fast_scaler: bool = True        # fast bilinear: the picture is shrunk, not enlarged
    rtsp_tcp: bool = True
    open_timeout_s: float = 8.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PlayerOptions:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class PlayerStats:
    """One player's counters, sent by the worker every half second."""

    id: str
    frames: int = 0            # distinct pictures published to shared memory
    decoded: int = 0           # pictures that came out of the decoder (repeats included)
    last_frame_at: float = 0.0  # time.monotonic() of the newest distinct picture
    last_decoded_at: float = 0.0
    codec: str = ""
    src_width: int = 0
    src_height: int = 0
    fps: float = 0.0
    luma: float = -1.0         # mean brightness 0..255 of the newest picture, -1: unknown
    keyframes_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlayerStats:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def encode(message: dict[str, Any]) -> bytes:
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def decode(line: bytes | str) -> dict[str, Any] | None:
    """One message, or None for a line that is not one (noise must never kill the link)."""
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    return message if isinstance(message, dict) else None
