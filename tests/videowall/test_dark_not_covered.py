"""Dark is not covered (issue 17, item 4): judged on real decoded frames, then through the real
wall engine on both decode backends.

A covered lens is dark *and* uniform *and* still, even while the camera keeps burning its OSD
clock into the picture and its sensor noise flickers; a kitchen at night with a moving light,
or a dim but textured still picture, is live."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from simulator.media import SCENES, _render_clip
from simulator.media import MediaSet as SimMedia
from simulator.scenes import Renderer
from tests.videowall.conftest import FONT, H264, start_sim, stop_sim, wait_for
from videowall.picture import PictureWatch
from videowall.watchdog import Observation, StreamState, Watchdog, WatchdogConfig

pytestmark = pytest.mark.timeout(240)
NIGHT = 3
_OSD = ("drawtext=text='2026-12-07 %{pts\\:gmtime\\:36900\\:%H\\\\\\:%M\\\\\\:%S}':"
        "fontcolor=white:borderw=1:bordercolor=black:x=10:y=10:fontsize=16,"
        "drawtext=text='Camera 01':fontcolor=white:x=w-tw-10:y=h-th-10:fontsize=16")
OSD = _OSD.replace("drawtext=", f"drawtext=fontfile={FONT}:") if FONT.exists() else _OSD
CLIPS = {
    # a hand over the lens: black, the camera's OSD clock still ticking
    "covered": f"color=c=0x0a0a0a:s=640x360:r=15,{OSD}",
    # a covered lens at night gain: heavy sensor noise, new in every picture
    "covered-noisy": f"color=c=0x0c0c0c:s=640x360:r=15,noise=alls=60:allf=t+u,{OSD}",
    # a torch or a phone screen moving on a black picture
    "moving-light": ("color=c=black:s=640x360:r=15[b];color=c=white:s=24x24:r=15[w];"
                     f"[b][w]overlay=x='mod(t*90\\,600)':y=160:shortest=1,{OSD}"),
}


def _encode(args: list[str], out: Path) -> Path:
    if not out.exists():
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args, "-t", "10",
                        *H264, "-b:v", "400k", "-maxrate", "400k", "-bufsize", "400k",
                        str(out)], check=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("dark")
    out = {name: _encode(["-f", "lavfi", "-i", lavfi], root / f"{name}.mp4")
           for name, lavfi in CLIPS.items()}
    # the night kitchen standing still: no car passing, the rodent frozen (dim, textured)
    still = root / "night-still.png"
    frame = Renderer(SCENES[NIGHT], 15, 20).render(0)
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
                    "-pix_fmt", "rgb24", "-s", "1280x720", "-i", "-", "-frames:v", "1",
                    str(still)], input=frame.tobytes(), check=True)
    out["night-still"] = _encode(["-loop", "1", "-framerate", "15", "-i", str(still),
                                  "-vf", "scale=640:360"], root / "night-still.mp4")
    media = SimMedia(root / "sim")
    media.root.mkdir()
    _render_clip(media, NIGHT, SCENES[NIGHT], date.today())
    out["night"] = media.clip(NIGHT, "sub")
    return out


def judge(clip: Path, seconds: int = 10) -> tuple[StreamState, float]:
    """Decode ``clip`` at a tile's size, look at it once a second as the worker does, and let
    the watchdog judge; returns the final state and the darkest mean brightness seen."""
    w, h = 320, 180
    raw = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-stream_loop", "1",
                          "-i", str(clip), "-vf", f"scale={w}:{h},fps=1", "-frames:v",
                          str(seconds), "-f", "rawvideo", "-pix_fmt", "bgra", "pipe:1"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w * 4)
    watch = PictureWatch()
    dog = Watchdog(WatchdogConfig(black_s=4.0, frozen_s=60.0))
    dog.opened(0.0)
    darkest = 255.0
    for n, frame in enumerate(frames):
        watch.observe(frame.tobytes(), w, h, w * 4)
        darkest = min(darkest, watch.luma)
        dog.observe(float(n), Observation(frames=n + 1, decoded=n + 1, changes=watch.changes,
                                          luma=watch.luma, texture=watch.texture,
                                          stirs=watch.stirs, width=640, height=360))
    return dog.status.state, darkest


@pytest.mark.parametrize(("name", "expected"), [
    ("covered", StreamState.BLACK),
    ("covered-noisy", StreamState.BLACK),
    ("moving-light", StreamState.PLAYING),
    ("night-still", StreamState.PLAYING),
    ("night", StreamState.PLAYING),
])
def test_dark_pictures_are_judged_by_what_is_in_them(clips, name, expected) -> None:
    state, darkest = judge(clips[name], seconds=20 if name == "night" else 10)
    assert darkest < WatchdogConfig().black_luma, f"{name} is not even dark ({darkest:.1f})"
    assert state == expected, f"{name}: {state} (darkest {darkest:.1f})"


@pytest.mark.parametrize("backend", ["ffmpeg", "vlc"])
def test_the_night_kitchen_stays_live_on_the_wall_and_a_covered_lens_is_named(
        clips, backend, qtbot, tmp_path) -> None:
    """The simulator serves the rendered night kitchen; the wall's real engine decodes it for
    a whole loop (its darkest stretch included) and never calls it covered."""
    from videowall import TileSource, VideoWall
    from videowall.engine import WallEngine

    media = tmp_path / "media"
    media.mkdir()
    for variant in ("sub", "main"):
        for index in range(8):
            (media / f"clip-{index}-{variant}.mp4").symlink_to(clips["night"])
        (media / f"clip-black-{variant}.mp4").symlink_to(clips["covered-noisy"])
        (media / f"clip-frozen-{variant}.mp4").symlink_to(clips["covered"])
    sim = start_sim(media)
    engine = WallEngine(backend=backend, workers=1,
                        watchdog=WatchdogConfig(frozen_s=30.0, black_s=2.0))
    wall = VideoWall("4", engine=engine)
    qtbot.addWidget(wall)
    wall.resize(640, 360)
    wall.show()
    try:
        sim.fault("covered", "black")
        wall.fill([TileSource(cam, f"夜间后厨 · {cam}", sim.sub(cam), sim.main(cam), "biz")
                   for cam in ("night", "covered")])
        night, covered = wall.tiles()[:2]
        wait_for(lambda: night.status.state == StreamState.PLAYING, 15, "the night tile", qtbot)
        states: set[StreamState] = set()
        wall.health_changed.connect(lambda cam, status: states.add(status.state)
                                    if cam == "night" else None)
        wait_for(lambda: covered.status.state == StreamState.BLACK, 15, "covered", qtbot)
        assert "covered" in covered.state_text()
        qtbot.wait(21000)  # a whole loop of the clip, its darkest seconds included
        assert night.status.state == StreamState.PLAYING, night.status
        assert StreamState.BLACK not in states, states
    finally:
        wall.shutdown()
        engine.shutdown()
        stop_sim(sim)
