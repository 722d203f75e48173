"""Synthetic kitchen video, encoded once and cached.

Each clip is H.264 with a keyframe every second and no B-frames (fast start, low latency), in a
sub (640×360) and a main (1280×720) variant at 15 fps, with a running clock and frame counter
burnt in so a frozen tile is obvious. The cache key is a hash of the recipe: change the recipe
and the clips are re-encoded; an interrupted encode never leaves a half file (atomic rename).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger("kitchenwatch.sim.media")

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FPS = 15
SECONDS = 20
VARIANTS = {"sub": (640, 360, "400k"), "main": (1280, 720, "1500k")}
# lavfi sources that look different from each other on a wall
SOURCES = [
    "testsrc2=size={w}x{h}:rate={fps}",
    "smptehdbars=size={w}x{h}:rate={fps},hue=H=t/4",
    "mandelbrot=size={w}x{h}:rate={fps}",
    "life=size={w}x{h}:rate={fps}:mold=10:ratio=0.1:life_color=#ffcc66:death_color=#2f5f8f",
    "cellauto=size={w}x{h}:rate={fps}:rule=110",
    "testsrc=size={w}x{h}:rate={fps},hue=s=0.6",
    "rgbtestsrc=size={w}x{h}:rate={fps},hue=H=t",
    "gradients=size={w}x{h}:rate={fps}:speed=0.05",
]
CLIP_COUNT = len(SOURCES)
FAULT_CLIPS = ("frozen", "black")
RECIPE_VERSION = 4


class MediaError(RuntimeError):
    """Encoding the demo media failed; the message carries ffmpeg's last lines."""


def default_media_dir() -> Path:
    env = os.environ.get("KITCHENWATCH_MEDIA_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("kitchenwatch")) / "media"


@dataclass(frozen=True)
class MediaSet:
    root: Path

    def clip(self, index: int | str, variant: str) -> Path:
        return self.root / f"clip-{index}-{variant}.mp4"

    def snapshot(self, index: int) -> Path:
        return self.root / f"clip-{index}.jpg"


def _recipe_hash() -> str:
    recipe = {"v": RECIPE_VERSION, "sources": SOURCES, "variants": VARIANTS, "fps": FPS,
              "seconds": SECONDS, "font": FONT.exists()}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def _drawtext(index: int | str, w: int) -> str:
    size = max(14, w // 28)
    font = f"fontfile={FONT}:" if FONT.exists() else ""
    caption = f"模拟后厨 {index}" if FONT.exists() else f"KITCHEN {index}"
    box = "box=1:boxcolor=black@0.55:boxborderw=6"
    return (f"drawtext={font}text='{caption}':x=12:y=12:fontsize={size}:fontcolor=white:{box},"
            f"drawtext={font}text='%{{pts\\:hms}}  #%{{n}}':x=w-tw-12:y=h-th-12:"
            f"fontsize={size}:fontcolor=yellow:{box}")


def _encode(args: list[str], out: Path) -> None:
    tmp = out.with_name(f"{out.stem}.part{os.getpid()}{out.suffix}")
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args, str(tmp)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise MediaError(f"ffmpeg failed for {out.name}: {proc.stderr.strip()[-800:]}")
    tmp.replace(out)


def _h264(w: int, h: int, rate: str) -> list[str]:
    return ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
            "-profile:v", "main", "-pix_fmt", "yuv420p", "-g", str(FPS), "-keyint_min", str(FPS),
            "-sc_threshold", "0", "-bf", "0", "-b:v", rate, "-maxrate", rate,
            "-bufsize", rate, "-an", "-movflags", "+faststart"]


def prepare(root: Path | None = None) -> MediaSet:
    """Encode whatever is missing; cheap when everything is cached."""
    if shutil.which("ffmpeg") is None:
        raise MediaError("ffmpeg is not installed (Debian package ffmpeg)")
    base = (root or default_media_dir()) / _recipe_hash()
    base.mkdir(parents=True, exist_ok=True)
    # Several programs (demo, tests) may start at once: one encodes, the others wait for it.
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _prepare_locked(MediaSet(base))


def _prepare_locked(media: MediaSet) -> MediaSet:
    base = media.root
    started = time.monotonic()
    made = 0
    for index, source in enumerate(SOURCES):
        for variant, (w, h, rate) in VARIANTS.items():
            out = media.clip(index, variant)
            if out.exists():
                continue
            lavfi = source.format(w=w, h=h, fps=FPS) + "," + _drawtext(index + 1, w)
            _encode(["-f", "lavfi", "-i", lavfi, "-t", str(SECONDS), *_h264(w, h, rate)], out)
            made += 1
        snap = media.snapshot(index)
        if not snap.exists():
            _encode(["-ss", "3", "-i", str(media.clip(index, "main")), "-frames:v", "1",
                     "-q:v", "4"], snap)
    for variant, (w, h, rate) in VARIANTS.items():
        frozen = media.clip("frozen", variant)
        if not frozen.exists():
            # Frames keep arriving but the picture never changes (a hung encoder upstream).
            still = SOURCES[0].format(w=w, h=h, fps=FPS) + ",trim=end_frame=1,loop=-1:1:0," \
                + f"setpts=N/{FPS}/TB"
            _encode(["-f", "lavfi", "-i", still, "-t", str(SECONDS), *_h264(w, h, rate)], frozen)
            made += 1
        black = media.clip("black", variant)
        if not black.exists():
            _encode(["-f", "lavfi", "-i", f"color=c=black:size={w}x{h}:rate={FPS}",
                     "-t", str(SECONDS), *_h264(w, h, rate)], black)
            made += 1
    if made:
        log.info("encoded %d demo clips in %.1f s into %s", made, time.monotonic() - started,
                 base)
    return media
