"""The demo kitchens: what the timeline says is what the picture shows, the AI box surrounds
the cook without a mask (or the rodent) in the very snapshot sent, and clips loop seamlessly."""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import UTC, datetime

import numpy as np
import pytest

from simulator.media import FPS, SCENES, SECONDS, MediaSet
from simulator.moments import Moments, delay_until
from simulator.scenes import H, Renderer, W
from tests.simulator.conftest import DAY, NIGHT, camera_on

pytestmark = pytest.mark.timeout(180)


def decode(jpeg: bytes, width: int = W, height: int = H) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
                          "pipe:1"], input=jpeg, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def centre(box: dict[str, float]) -> tuple[int, int]:
    return int((box["x"] + box["w"] / 2) * W), int((box["y"] + box["h"] / 2) * H)


@pytest.mark.parametrize("index", range(len(SCENES)))
def test_every_ai_moment_boxes_the_violator_in_its_frame(index: int) -> None:
    scene = SCENES[index]
    renderer = Renderer(scene, FPS, SECONDS)
    timeline = renderer.timeline()
    kinds = {e["violation"] for e in timeline["events"]}
    assert kinds, f"scene {index} gives the AI nothing to see"
    assert ("rodent" in kinds) == (scene.light == "night")
    for event in timeline["events"]:
        owners = np.full((H, W), -1, np.int16)
        renderer.render(event["frame"], owners)
        item = next(i for i in timeline["items"][event["frame"]] if i["id"] == event["id"])
        if event["violation"] == "no_mask":
            assert item["kind"] == "cook" and not item["masked"]
        if event["violation"] == "no_chef_hat":
            assert item["kind"] == "cook" and not item["hat"]
        x, y = centre(event["box"])
        assert owners[y, x] == event["id"], (index, event)
        # the box holds the violator and nobody else
        b = event["box"]
        inside = owners[int(b["y"] * H):int((b["y"] + b["h"]) * H),
                        int(b["x"] * W):int((b["x"] + b["w"]) * W)]
        assert set(np.unique(inside)) <= {-1, event["id"]}
        assert (owners == event["id"]).sum() == (inside == event["id"]).sum()


def test_clips_loop_without_a_jump() -> None:
    for scene in SCENES:
        renderer = Renderer(scene, FPS, SECONDS)
        last, first, second = (renderer.render(n).astype(int)
                               for n in (renderer.frames - 1, 0, 1))
        wrap = np.abs(first - last).mean()
        step = np.abs(second - first).mean()
        assert wrap <= 2 * step + 0.5, (scene, wrap, step)


def test_the_snapshot_sent_shows_the_unmasked_cook_inside_the_box(rendered: MediaSet) -> None:
    from simulator.kitchens import Kitchens, KitchenSettings

    kitchens = Kitchens("http://127.0.0.1:9", rendered, KitchenSettings(), session=None)  # type: ignore[arg-type]
    camera = camera_on(DAY)
    when = datetime(2026, 12, 7, 9, 30, 5, tzinfo=UTC)
    jpeg, box = asyncio.run(kitchens.evidence(camera, "no_mask", when=when))
    picture = decode(jpeg)
    moment = next(m for m in Moments(rendered).of(DAY) if m.box == box)
    renderer = Renderer(SCENES[DAY], FPS, SECONDS)
    owners = np.full((H, W), -1, np.int16)
    frame = renderer.render(moment.frame, owners)
    item = next(i for i in renderer.items(moment.frame) if i["id"] == owners[centre(box)[::-1]])
    assert item["kind"] == "cook" and not item["masked"], item
    x, y = centre(box)
    # the snapshot is that frame: the coat under the box's centre, the OSD on top
    assert np.abs(picture[y - 3:y + 4, x - 3:x + 4].astype(int)
                  - frame[y - 3:y + 4, x - 3:x + 4].astype(int)).mean() < 12
    assert picture[y, x].min() > 200, "the box's centre is not on the white coat"
    top_left = picture[10:50, 10:400].astype(int)
    assert (top_left > 235).sum() > 300 and (top_left < 40).sum() > 300, "no OSD drawn"


def test_a_night_camera_reports_the_rodent_where_it_runs(rendered: MediaSet) -> None:
    from simulator.kitchens import Kitchens, KitchenSettings

    kitchens = Kitchens("http://127.0.0.1:9", rendered, KitchenSettings(), session=None)  # type: ignore[arg-type]
    jpeg, box = asyncio.run(kitchens.evidence(camera_on(NIGHT), "rodent"))
    moment = next(m for m in Moments(rendered).of(NIGHT) if m.box == box)
    renderer = Renderer(SCENES[NIGHT], FPS, SECONDS)
    owners = np.full((H, W), -1, np.int16)
    renderer.render(moment.frame, owners)
    x, y = centre(box)
    assert owners[y, x] == 100  # the rodent
    picture = decode(jpeg)
    assert picture[y, x].mean() > 90, "the rodent is not at the box's centre of the snapshot"


def test_the_ai_event_waits_until_its_moment_is_on_the_wall(rendered: MediaSet) -> None:
    """A real looping producer: after the wait, its viewers are inside the moment's frames."""
    from simulator.streams import StreamHub

    async def scenario() -> tuple[float, float, float]:
        hub = StreamHub()
        try:
            producer = await hub.producer(f"{DAY}-sub", rendered.clip(DAY, "sub"))
            sub = producer.subscribe()
            await asyncio.wait_for(producer.started.wait(), 10)
            await asyncio.sleep(1.0)
            moment = Moments(rendered).of(DAY)[0]
            head = hub.playhead(DAY, SECONDS)
            assert head is not None
            await asyncio.sleep(delay_until(moment, head))
            now = hub.playhead(DAY, SECONDS)
            assert now is not None
            producer.unsubscribe(sub, 0.0)
            return now, moment.first / FPS, moment.last / FPS
        finally:
            await hub.close()

    now, first, last = asyncio.run(scenario())
    assert first - 0.3 <= now <= last + 0.3, (now, first, last)


def test_the_timeline_is_written_beside_the_clips(rendered: MediaSet) -> None:
    timeline = json.loads(rendered.timeline(DAY).read_text())
    assert timeline["frames"] == FPS * SECONDS and len(timeline["items"]) == FPS * SECONDS
    for variant, width in (("sub", 640), ("main", 1280)):
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                                "-show_entries", "stream=width,nb_frames", "-of", "json",
                                str(rendered.clip(DAY, variant))], capture_output=True,
                               check=True, text=True)
        stream = json.loads(probe.stdout)["streams"][0]
        assert stream["width"] == width and int(stream["nb_frames"]) == FPS * SECONDS
