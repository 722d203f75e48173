"""The channel hierarchy as plain data (Qt-free): district → grid (street) → business → camera,
with online/total counts per node.

Built from a :class:`RegistrySnapshot`; the tree view (``console.channels.tree``) renders it and
only rebuilds its items when the *shape* changed (:attr:`ChannelForest.shape`), otherwise it
updates labels and states in place, so frequent camera state changes do not collapse the
operator's tree or lose the selection.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from console.sync.store import RegistrySnapshot
from console.walls.sources import camera_source
from videowall.source import TileSource

DISTRICT, GRID, BUSINESS, CAMERA = "district", "grid", "business", "camera"


@dataclass
class ChannelNode:
    kind: str
    id: str
    name: str
    children: list[ChannelNode] = field(default_factory=list)
    sources: list[TileSource] = field(default_factory=list)  # every camera at or below
    online: int = 0
    total: int = 0
    health: str = ""  # cameras: the last reported stream health
    search_text: str = ""  # what the filter box matches against

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.id

    @property
    def label(self) -> str:
        """"康巴什区 (12/14)" for groups, the plain name for a camera."""
        if self.kind == CAMERA:
            return self.name
        return f"{self.name} ({self.online}/{self.total})"

    @property
    def is_online(self) -> bool:
        return self.online > 0 if self.kind == CAMERA else self.online == self.total > 0


@dataclass
class ChannelForest:
    roots: list[ChannelNode]
    by_key: dict[tuple[str, str], ChannelNode]
    sources: list[TileSource]  # every camera, in tree order
    shape: tuple[tuple[str, str, str, str], ...]  # (kind, id, parent id, name) per node

    @property
    def camera_count(self) -> int:
        return len(self.sources)


def build_forest(snap: RegistrySnapshot) -> ChannelForest:
    """Group the registry; businesses without a street hang directly under their district."""
    cams_by_biz: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cam in snap.cameras:
        cams_by_biz[cam["business_id"]].append(cam)
    biz_by_grid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    loose_biz: dict[str, list[dict[str, Any]]] = defaultdict(list)
    grid_ids = {g["id"] for g in snap.grids}
    for biz in snap.businesses:
        if biz.get("grid_id") in grid_ids:
            biz_by_grid[biz["grid_id"]].append(biz)
        else:
            loose_biz[biz["district_id"]].append(biz)
    grids_by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for grid in snap.grids:
        grids_by_district[grid["district_id"]].append(grid)

    by_key: dict[tuple[str, str], ChannelNode] = {}
    shape: list[tuple[str, str, str, str]] = []

    def add(node: ChannelNode, parent: ChannelNode | None) -> ChannelNode:
        by_key[node.key] = node
        shape.append((node.kind, node.id, parent.id if parent else "", node.name))
        if parent is not None:
            parent.children.append(node)
        return node

    def business_node(biz: dict[str, Any], parent: ChannelNode) -> None:
        b = add(ChannelNode(BUSINESS, biz["id"], biz["name"],
                            search_text=f"{biz['name']} {biz.get('address', '')} {biz['id']}"),
                parent)
        for cam in cams_by_biz.get(biz["id"], []):
            source = camera_source(cam, biz["name"])
            online = bool(cam.get("online"))
            add(ChannelNode(CAMERA, cam["id"], cam["name"], sources=[source],
                            online=int(online), total=1, health=cam.get("health") or "",
                            search_text=f"{biz['name']} {cam['name']} {cam.get('location', '')}"
                                        f" {cam['id']}"), b)

    roots: list[ChannelNode] = []
    for district in snap.districts:
        d = add(ChannelNode(DISTRICT, district["id"], district["name"],
                            search_text=f"{district['name']} {district.get('name_en', '')}"),
                None)
        roots.append(d)
        for grid in grids_by_district.get(district["id"], []):
            g = add(ChannelNode(GRID, grid["id"], grid["name"], search_text=grid["name"]), d)
            for biz in biz_by_grid.get(grid["id"], []):
                business_node(biz, g)
        for biz in loose_biz.get(district["id"], []):
            business_node(biz, d)

    def total_up(node: ChannelNode) -> None:
        if node.kind == CAMERA:
            return
        node.sources, node.online, node.total = [], 0, 0
        for child in node.children:
            total_up(child)
            node.sources += child.sources
            node.online += child.online
            node.total += child.total

    sources: list[TileSource] = []
    for root in roots:
        total_up(root)
        sources += root.sources
    return ChannelForest(roots, by_key, sources, tuple(shape))
