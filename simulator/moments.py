"""The AI moments of the demo clips: when a cook without a mask or hat (or, at night, a
rodent) is in the picture, where, and that frame as evidence.

The scene renderer writes each clip's timeline (simulator/scenes.py); this module reads it,
picks a moment for an AI event, says how long to wait until that moment is on the wall (the
stream hub knows how far into the loop its viewers are) and draws the camera's OSD with the
event's real time onto the frame, so the snapshot shows what the box surrounds, when it
happened.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.media import FPS, SCENES, SECONDS, MediaSet, osd_filter
from simulator.scenes import Scene, W

log = logging.getLogger("kitchenwatch.sim.moments")

# Violations a cook in the picture stands for when the clip has no moment of that very kind
COOK_KINDS = ("no_mask", "no_chef_hat", "no_work_clothes", "no_gloves", "smoking", "phone_use")


@dataclass(frozen=True)
class Moment:
    clip: int
    frame: int
    first: int            # the run of frames in which the violation is in the picture
    last: int
    violation: str
    box: dict[str, float]  # normalised, around the violator
    picture: Path          # the frame without OSD
    scene: Scene

    @property
    def at(self) -> float:
        return self.frame / FPS


class Moments:
    """Timelines by clip, read once (a missing one — test clips — means no moments)."""

    def __init__(self, media: MediaSet) -> None:
        self.media = media
        self._cache: dict[int, list[Moment]] = {}

    def of(self, clip: int) -> list[Moment]:
        if clip not in self._cache:
            self._cache[clip] = self._load(clip)
        return self._cache[clip]

    def _load(self, clip: int) -> list[Moment]:
        try:
            timeline: dict[str, Any] = json.loads(self.media.timeline(clip).read_text())
        except (OSError, ValueError):
            return []
        out = []
        for event in timeline.get("events", []):
            picture = self.media.moment(clip, int(event["frame"]))
            if picture.exists() and clip < len(SCENES):
                out.append(Moment(clip, int(event["frame"]), int(event["first"]),
                                  int(event["last"]), str(event["violation"]),
                                  dict(event["box"]), picture, SCENES[clip]))
        return out

    def pick(self, clip: int, violation: str | None, rng: random.Random) -> Moment | None:
        """A moment of ``violation`` (any kind if None) in ``clip``; for a kind the clip never
        shows, a cook's moment when the violation is about a cook; else None."""
        moments = self.of(clip)
        fitting = [m for m in moments if violation is None or m.violation == violation]
        if not fitting and violation in COOK_KINDS:
            fitting = [m for m in moments if m.violation != "rodent"]
        return rng.choice(fitting) if fitting else None


def delay_until(moment: Moment, playhead: float | None) -> float:
    """Seconds until the viewers of the clip see ``moment`` (0 when nobody watches: no wall
    shows the picture, so any moment is as true as another)."""
    if playhead is None:
        return 0.0
    if moment.first / FPS <= playhead <= moment.last / FPS:
        return 0.0
    return (moment.at - playhead) % SECONDS


async def evidence_jpeg(moment: Moment, when: datetime) -> bytes:
    """The moment's frame with the camera's OSD showing ``when`` (local time), as JPEG."""
    local = when.astimezone()
    osd = osd_filter(moment.scene, W, local.date(), start=local.strftime("%H:%M:%S"),
                     running=False)
    proc = await asyncio.create_subprocess_exec(
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(moment.picture), "-vf", osd,
        "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", "pipe:1",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL)
    out, err = await proc.communicate()
    if proc.returncode != 0 or not out:
        log.warning("drawing the OSD on %s failed: %s", moment.picture.name,
                    err.decode(errors="replace")[-300:])
        return moment.picture.read_bytes()
    return out
