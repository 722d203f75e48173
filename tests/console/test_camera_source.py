"""A camera reads the same on a tile wherever it came from: the channel tree, a business's
details, a patrol stop and an alarm all build its source with ``camera_source``."""

from __future__ import annotations

from console.channels.hierarchy import build_forest
from console.sync.store import RegistrySnapshot
from console.walls.sources import camera_source

CAMERA = {"id": "C1", "name": "后厨", "business_id": "B1", "online": True,
          "sub_url": "rtsp://10.0.0.9/sub", "main_url": "rtsp://10.0.0.9/main"}


def test_the_tree_and_the_other_views_give_a_camera_the_same_source() -> None:
    snap = RegistrySnapshot(
        districts=[{"id": "D1", "name": "康巴什区"}], grids=[],
        businesses=[{"id": "B1", "name": "明厨小馆", "district_id": "D1"}],
        cameras=[CAMERA], sensors=[])
    (from_tree,) = build_forest(snap).sources
    assert from_tree == camera_source(CAMERA, "明厨小馆")
    assert from_tree.title == "明厨小馆 · 后厨"
    assert (from_tree.sub_url, from_tree.main_url) == ("rtsp://10.0.0.9/sub",
                                                       "rtsp://10.0.0.9/main")
    assert from_tree.business_id == "B1"


def test_an_alarm_panel_plays_the_main_stream_even_in_a_small_view() -> None:
    panel = camera_source(CAMERA, "明厨小馆", main_only=True)
    assert panel.url(main=False) == panel.url(main=True) == "rtsp://10.0.0.9/main"
    assert panel.title == "明厨小馆 · 后厨"


def test_a_camera_without_stream_addresses_gets_empty_ones() -> None:
    bare = camera_source({"id": "C2", "name": "仓库", "business_id": "B1",
                          "sub_url": None, "main_url": None}, "明厨小馆")
    assert (bare.sub_url, bare.main_url) == ("", "")
