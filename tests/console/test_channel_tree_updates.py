"""The channel tree on a registry reload: sensor news reloads the registry every few seconds
while a wall plays; a reload that changes a camera's state or address must reach the operator
(counts, drags) although the tree's shape is the same and it repaints in place."""

from __future__ import annotations

import copy
from typing import Any

from console.channels.hierarchy import build_forest
from console.channels.tree import SOURCES_ROLE, ChannelTree
from console.sync.store import RegistrySnapshot


def registry(cameras: int = 6) -> RegistrySnapshot:
    cams: list[dict[str, Any]] = [
        {"id": f"B{i // 2}-C{i % 2}", "business_id": f"B{i // 2}", "name": f"后厨 {i}",
         "sub_url": f"http://127.0.0.1:9/live/{i}/sub.ts", "main_url": "", "online": True,
         "health": "playing"} for i in range(cameras)]
    return RegistrySnapshot(
        districts=[{"id": "D1", "name": "康巴什区"}],
        grids=[{"id": "G1", "district_id": "D1", "name": "北街"}],
        businesses=[{"id": f"B{i}", "district_id": "D1", "grid_id": "G1", "name": f"餐馆 {i}"}
                    for i in range(cameras // 2)],
        cameras=cams, sensors=[])


def test_a_camera_going_offline_and_a_new_stream_address_still_reach_the_tree(qtbot) -> None:
    tree = ChannelTree()
    qtbot.addWidget(tree)
    snap = registry()
    tree.set_forest(build_forest(snap))
    changed = copy.deepcopy(snap)
    changed.cameras[0]["online"] = False
    changed.cameras[3]["sub_url"] = "http://127.0.0.1:9/live/moved/sub.ts"

    tree.set_forest(build_forest(changed))

    district = tree.model.item_for("district", "D1")
    assert district is not None and district.data() == "康巴什区 (5/6)"
    dragged = {s.camera_id: s.sub_url for s in district.data(SOURCES_ROLE)}
    assert dragged["B1-C1"] == "http://127.0.0.1:9/live/moved/sub.ts"
    business = tree.model.item_for("business", "B1")
    assert business is not None
    assert [s.sub_url for s in business.data(SOURCES_ROLE)][1].endswith("/moved/sub.ts")
