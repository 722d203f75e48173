"""The channel hierarchy as plain data (Qt-free): district → grid (street) → business → camera,
with online/total counts per node.

Built from a :class:`RegistrySnapshot` off the UI thread; the tree view
(``console.channels.tree``) is a lazy model over it (rows are only asked for when the operator
opens their parent), and only resets when the *shape* changed (:attr:`ChannelForest.shape`);
otherwise it repaints labels and states in place, so frequent camera state changes do not
collapse the operator's tree or lose the selection. A province (100,000 businesses, 200,000
cameras) is too big to turn into one Qt item per row on the UI thread: that took seconds and
froze the wall.

The filter box searches :class:`SearchIndex`: every node's lower-cased search text joined into
one string, so a query is a few ``str.find`` calls at C speed instead of a Python call per row.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from console.sync.store import RegistrySnapshot
from videowall.source import TileSource

DISTRICT, GRID, BUSINESS, CAMERA = "district", "grid", "business", "camera"


NO_CHILDREN: list[ChannelNode] = []  # shared by every camera (never appended to)


@dataclass(slots=True, eq=False)
class ChannelNode:
    """One row of the tree. Slots and no per-node list of cameras below: a province has
    300,000 of these, and every container Python holds makes its garbage collector's full
    passes (which pause every thread) longer."""

    kind: str
    id: str
    name: str
    children: list[ChannelNode] = field(default_factory=list)
    source: TileSource | None = None  # a camera's own
    online: int = 0
    total: int = 0
    health: str = ""  # cameras: the last reported stream health
    search_text: str = ""  # what the filter box matches against
    uid: int = -1  # position in ChannelForest.nodes (the tree model's internal id)
    row: int = 0  # position among its parent's children
    # The parent's uid (-1 for a district): a number, not a reference, so that a forest has no
    # reference cycles and an old one is freed as soon as the view lets go of it.
    parent_uid: int = -1

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.id

    @property
    def sources(self) -> list[TileSource]:
        """Every camera at or below this node, in tree order (walked when asked: a drag, a
        double-click)."""
        if self.source is not None:
            return [self.source]
        out: list[TileSource] = []
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.source is not None:
                out.append(node.source)
            elif node.children:
                stack.extend(reversed(node.children))
        return out

    @property
    def label(self) -> str:
        """"康巴什区 (12/14)" for groups, the plain name for a camera."""
        if self.kind == CAMERA:
            return self.name
        return f"{self.name} ({self.online}/{self.total})"

    @property
    def is_online(self) -> bool:
        return self.online > 0 if self.kind == CAMERA else self.online == self.total > 0


def camera_source(camera: dict[str, Any], business_name: str) -> TileSource:
    """What a tile needs to show this camera (sub stream on the wall, main when maximised)."""
    return TileSource(camera_id=camera["id"], title=f"{business_name} · {camera['name']}",
                      sub_url=camera.get("sub_url") or "", main_url=camera.get("main_url") or "",
                      business_id=camera["business_id"])


class SearchIndex:
    """Which nodes' search text contains a query (case-insensitive), without a Python step per
    node: the texts are joined into one string and searched with ``str.find``; a hit's offset
    maps back to its node by bisection. 300,000 nodes answer in milliseconds."""

    SEPARATOR = "\x00"

    def __init__(self, nodes: list[ChannelNode]) -> None:
        starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for node in nodes:
            text = node.search_text.lower().replace(self.SEPARATOR, " ")
            starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self._starts = starts
        self._text = self.SEPARATOR.join(parts)

    def find(self, query: str) -> list[int]:
        """The uids whose text contains ``query``, ascending (tree order)."""
        needle = query.lower()
        if not needle or self.SEPARATOR in needle:
            return []
        text, starts, out = self._text, self._starts, []
        last = len(starts) - 1
        at = text.find(needle)
        while at != -1:
            uid = bisect_right(starts, at) - 1
            out.append(uid)
            if uid >= last:
                break
            at = text.find(needle, starts[uid + 1])
        return out


@dataclass
class ChannelForest:
    roots: list[ChannelNode]
    by_key: dict[tuple[str, str], ChannelNode]
    sources: list[TileSource]  # every camera, in tree order
    shape: tuple[tuple[str, str, str, str], ...]  # (kind, id, parent id, name) per node
    nodes: list[ChannelNode] = field(default_factory=list)  # by uid, in tree order
    index: SearchIndex | None = None

    @property
    def camera_count(self) -> int:
        return len(self.sources)

    def count(self, kind: str) -> int:
        return sum(1 for node in self.nodes if node.kind == kind)

    def search(self, query: str) -> list[ChannelNode]:
        """Nodes whose search text contains ``query`` (case-insensitive), in tree order."""
        if self.index is None:
            self.index = SearchIndex(self.nodes)
        return [self.nodes[uid] for uid in self.index.find(query)]


    def parent(self, node: ChannelNode) -> ChannelNode | None:
        return self.nodes[node.parent_uid] if node.parent_uid >= 0 else None

    def ancestors(self, node: ChannelNode) -> Iterator[ChannelNode]:
        """The node's parent, grandparent, … up to its district."""
        uid = node.parent_uid
        while uid >= 0:
            parent = self.nodes[uid]
            yield parent
            uid = parent.parent_uid


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector while hundreds of thousands of objects are made: each
    full collection walks every object the console holds, which made building a province's
    forest five times slower (and a collection pauses the UI thread too). The forest itself
    has no cycles, so nothing waits for the collector."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_forest(snap: RegistrySnapshot) -> ChannelForest:
    """Group the registry; businesses without a street hang directly under their district."""
    with _no_cyclic_gc():
        return _build_forest(snap)


def _build_forest(snap: RegistrySnapshot) -> ChannelForest:
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
    nodes: list[ChannelNode] = []
    sources: list[TileSource] = []  # cameras are added in tree order

    def add(node: ChannelNode, parent: ChannelNode | None) -> ChannelNode:
        by_key[node.key] = node
        shape.append((node.kind, node.id, parent.id if parent else "", node.name))
        node.uid = len(nodes)
        nodes.append(node)
        if parent is not None:
            node.parent_uid = parent.uid
            node.row = len(parent.children)
            parent.children.append(node)
        return node

    def business_node(biz: dict[str, Any], parent: ChannelNode) -> None:
        b = add(ChannelNode(BUSINESS, biz["id"], biz["name"],
                            search_text=f"{biz['name']} {biz.get('address', '')} {biz['id']}"),
                parent)
        for cam in cams_by_biz.get(biz["id"], []):
            source = camera_source(cam, biz["name"])
            sources.append(source)
            online = bool(cam.get("online"))
            add(ChannelNode(CAMERA, cam["id"], cam["name"], NO_CHILDREN, source,
                            online=int(online), total=1, health=cam.get("health") or "",
                            search_text=f"{biz['name']} {cam['name']} {cam.get('location', '')}"
                                        f" {cam['id']}"), b)

    roots: list[ChannelNode] = []
    for district in snap.districts:
        d = add(ChannelNode(DISTRICT, district["id"], district["name"],
                            search_text=f"{district['name']} {district.get('name_en', '')}"),
                None)
        d.row = len(roots)
        roots.append(d)
        for grid in grids_by_district.get(district["id"], []):
            g = add(ChannelNode(GRID, grid["id"], grid["name"], search_text=grid["name"]), d)
            for biz in biz_by_grid.get(grid["id"], []):
                business_node(biz, g)
        for biz in loose_biz.get(district["id"], []):
            business_node(biz, d)

    for node in reversed(nodes):  # children come after their parent: totals bubble up
        if node.parent_uid >= 0:
            parent = nodes[node.parent_uid]
            parent.online += node.online
            parent.total += node.total
    return ChannelForest(roots, by_key, sources, tuple(shape), nodes, SearchIndex(nodes))
