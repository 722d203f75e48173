"""Synthetic kitchen video, encoded once and cached.

Each clip is a rendered kitchen (simulator/scenes.py) encoded as H.264 with a keyframe every
second and no B-frames (fast start, low latency), in a sub (640×360) and a main (1280×720)
variant at 15 fps, with a camera OSD (date, running clock, channel) burnt in. The cache key is a
hash of the recipe (and of the renderer's source): change either and the clips are rendered
again; an interrupted encode never leaves a half file (atomic rename).

The OSD's date is the day the set was rendered and its clock the scene's own time of day
running with the clip: served streams are copied, not re-encoded (64 tiles cost the simulator
next to nothing), so a live clock cannot be burnt in. The AI events' pictures, which are
evidence, get an OSD with the event's real time drawn on at the moment they are posted.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import resource
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import platformdirs

from simulator.scenes import SCENES, H, Renderer, Scene, W

log = logging.getLogger("kitchenwatch.sim.media")

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FPS = 15
SECONDS = 20
VARIANTS = {"sub": (640, 360, "400k"), "main": (1280, 720, "1500k")}
CLIP_COUNT = len(SCENES)
FAULT_CLIPS = ("frozen", "black")
RECIPE_VERSION = 5
WEEKDAYS = "一二三四五六日"


def clip_for(camera_id: str) -> int:
    """A stable clip per camera, so one kitchen always looks the same."""
    return int(hashlib.sha1(camera_id.encode()).hexdigest(), 16) % CLIP_COUNT


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

    def timeline(self, index: int) -> Path:
        """What clip ``index`` shows frame by frame (cooks, masks, hats, the rodent)."""
        return self.root / f"clip-{index}.timeline.json"

    def moment(self, index: int, frame: int) -> Path:
        """Frame ``frame`` of clip ``index`` without OSD (an AI event's picture)."""
        return self.root / f"clip-{index}-f{frame:04d}.jpg"


def _recipe_hash() -> str:
    renderer = Path(__file__).with_name("scenes.py").read_bytes()
    recipe = {"v": RECIPE_VERSION, "scenes": [repr(s) for s in SCENES], "variants": VARIANTS,
              "fps": FPS, "seconds": SECONDS, "font": FONT.exists(),
              "renderer": hashlib.sha256(renderer).hexdigest()}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]


def _text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")


def osd_filter(scene: Scene, w: int, day: date, start: str | None = None,
               running: bool = True) -> str:
    """The camera's on-screen display as drawtext filters: date, weekday and a running clock
    top-left (from ``start``, the scene's time of day at the clip's first frame), channel
    bottom-right; white with a dark outline, sized like a Hikvision OSD."""
    size = max(12, w // 40)
    font = f"fontfile={FONT}:" if FONT.exists() else ""
    style = f"fontcolor=white:borderw={max(1, w // 640)}:bordercolor=black@0.8:fontsize={size}"
    hh, mm, ss = (int(p) for p in (start or scene.clock).split(":"))
    weekday = f"星期{WEEKDAYS[day.weekday()]}" if FONT.exists() else day.strftime("%a")
    clock = _text(start or scene.clock) if not running else \
        f"%{{pts\\:gmtime\\:{hh * 3600 + mm * 60 + ss}\\:%H\\\\\\:%M\\\\\\:%S}}"
    channel = scene.channel if FONT.exists() else "Camera"
    margin = max(6, w // 60)
    return (f"drawtext={font}{style}:text='{day.isoformat()} {weekday} {clock}':"
            f"x={margin}:y={margin},"
            f"drawtext={font}{style}:text='{_text(channel)}':x=w-tw-{margin}:y=h-th-{margin}")


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
    started = time.monotonic()
    cpu = _cpu()
    made = 0
    day = date.today()
    missing = [(index, scene) for index, scene in enumerate(SCENES)
               if not all(p.exists() for p in (*(media.clip(index, v) for v in VARIANTS),
                                               media.snapshot(index), media.timeline(index)))]
    # Two clips at a time: one renders in Python while the other's ffmpeg encodes.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(_render_clip, media, i, s, day) for i, s in missing]:
            future.result()
    made += len(missing)
    for variant, (w, h, rate) in VARIANTS.items():
        frozen = media.clip("frozen", variant)
        if not frozen.exists():
            # Frames keep arriving but the picture never changes (a hung encoder upstream):
            # the first kitchen's first frame, its OSD clock stopped too.
            still = media.root / "frozen.png"
            if not still.exists():
                raw = Renderer(SCENES[0], FPS, SECONDS).render(0)
                _still(raw, still)
            _encode(["-loop", "1", "-framerate", str(FPS), "-i", str(still), "-vf",
                     f"scale={w}:{h}," + osd_filter(SCENES[0], w, day, running=False),
                     "-t", str(SECONDS), *_h264(w, h, rate)], frozen)
            made += 1
        black = media.clip("black", variant)
        if not black.exists():
            _encode(["-f", "lavfi", "-i", f"color=c=black:size={w}x{h}:rate={FPS}",
                     "-t", str(SECONDS), *_h264(w, h, rate)], black)
            made += 1
    if made:
        log.info("rendered %d demo clips in %.1f s (%.1f CPU s) into %s", made,
                 time.monotonic() - started, _cpu() - cpu, media.root)
    return media


def _cpu() -> float:
    """CPU seconds of this process and its finished children (ffmpeg)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _still(frame: np.ndarray, out: Path) -> None:
    """One RGB frame to PNG or JPEG (by suffix) through ffmpeg (no imaging library needed)."""
    h, w = frame.shape[:2]
    tmp = out.with_name(f"{out.stem}.part{os.getpid()}{out.suffix}")
    quality = ["-q:v", "3"] if out.suffix == ".jpg" else []
    proc = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f",
                           "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-i", "-",
                           "-frames:v", "1", *quality, str(tmp)],
                          input=frame.tobytes(), capture_output=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise MediaError(f"ffmpeg failed for {out.name}: {proc.stderr.decode()[-400:]}")
    tmp.replace(out)


def _render_clip(media: MediaSet, index: int, scene: Scene, day: date) -> None:
    """Frames piped once into one ffmpeg that writes both variants with the OSD burnt in;
    the timeline and the AI moments' pictures (no OSD: it is drawn with the event's time)
    are written beside them."""
    renderer = Renderer(scene, FPS, SECONDS)
    outs = {v: media.clip(index, v) for v in VARIANTS}
    tmps = {v: p.with_name(f"{p.stem}.part{os.getpid()}{p.suffix}") for v, p in outs.items()}
    graph = [f"[0:v]split={len(VARIANTS)}" + "".join(f"[s{v}]" for v in VARIANTS)]
    args: list[str] = []
    for variant, (w, h, rate) in VARIANTS.items():
        graph.append(f"[s{variant}]scale={w}:{h}:flags=area,{osd_filter(scene, w, day)}"
                     f"[o{variant}]")
        args += ["-map", f"[o{variant}]", *_h264(w, h, rate), str(tmps[variant])]
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
           "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "-",
           "-filter_complex", ";".join(graph), *args]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    timeline = renderer.timeline()
    moments = {event["frame"] for event in timeline["events"]}
    cover = renderer.frames // 4
    try:
        for n in range(renderer.frames):
            frame = renderer.render(n)
            if n in moments:
                _still(frame, media.moment(index, n))
            if n == cover:
                _still(frame, media.snapshot(index))
            proc.stdin.write(frame.tobytes())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.wait() != 0:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)
        raise MediaError(f"ffmpeg failed for clip {index}: {err.strip()[-800:]}")
    for variant, tmp in tmps.items():
        tmp.replace(outs[variant])
    part = media.timeline(index).with_suffix(".part")
    part.write_text(json.dumps(timeline, separators=(",", ":")))
    part.replace(media.timeline(index))
