"""The channel hierarchy as plain data (Qt-free): district → street (街道/乡镇) → community
(grid) → business → camera, with online/total counts per node. A business without a community
sits under its street, one without either under its district; a community without a street
under its district.

Built from a :class:`RegistrySnapshot` off the UI thread; the tree view
(``console.channels.tree``) is a lazy model over it (rows are only asked for when the operator
opens their parent), and only resets when the *shape* changed (:attr:`ChannelForest.shape`);
otherwise it repaints labels and states in place, so frequent camera state changes do not
collapse the operator's tree or lose the selection. A province (100,000 businesses, 200,000
cameras) is too big to turn into one Qt item per row on the UI thread: that took seconds and
froze the wall.

The forest is kept in columns (one list per field, indexed by a node's *uid*, its position in
tree order) and :class:`ChannelNode` objects are made only for the rows asked about: 300,000
node objects made every full pass of Python's garbage collector take seconds on a loaded PC
(it pauses every thread, the UI's included); a few lists of strings and numbers cost it
nothing.

The filter box searches :class:`SearchIndex`: every node's lower-cased search text joined into
one string, so a query is a few ``str.find`` calls at C speed instead of a Python call per row.
"""

from __future__ import annotations

import gc
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, overload

from console.sync.store import RegistrySnapshot
from console.walls.sources import tile_title
from videowall.source import TileSource

DISTRICT, STREET, GRID, BUSINESS, CAMERA = "district", "street", "grid", "business", "camera"


@dataclass(frozen=True, slots=True)
class ChannelNode:
    """One row of the tree as the view shows it (made on demand from the forest's columns)."""

    kind: str
    id: str
    name: str
    online: int = 0
    total: int = 0
    health: str = ""  # cameras: the last reported stream health
    search_text: str = ""  # what the filter box matches against
    uid: int = -1  # position in the forest (the tree model's internal id)
    row: int = 0  # position among its parent's children
    parent_uid: int = -1  # -1 for a district

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


class SearchIndex:
    """Which nodes' search text contains a query (case-insensitive), without a Python step per
    node: the texts are joined into one string and searched with ``str.find``; a hit's offset
    maps back to its node by bisection. 300,000 nodes answer in milliseconds."""

    SEPARATOR = "\x00"

    def __init__(self, texts: Sequence[str]) -> None:
        starts = array("q")
        parts: list[str] = []
        offset = 0
        for raw in texts:
            text = raw.lower().replace(self.SEPARATOR, " ")
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


class _Nodes(Sequence[ChannelNode]):
    """``forest.nodes[uid]``: a :class:`ChannelNode` made when asked."""

    def __init__(self, forest: ChannelForest) -> None:
        self._forest = forest

    def __len__(self) -> int:
        return len(self._forest.kinds)

    @overload
    def __getitem__(self, uid: int) -> ChannelNode: ...

    @overload
    def __getitem__(self, uid: slice) -> list[ChannelNode]: ...

    def __getitem__(self, uid: int | slice) -> ChannelNode | list[ChannelNode]:
        if isinstance(uid, slice):
            return [self._forest.node(u) for u in range(len(self))[uid]]
        if uid < 0:
            uid += len(self)
        return self._forest.node(uid)


class _Sources(Sequence[TileSource]):
    """Every camera's tile source in tree order, made when asked (the wall takes 16 of
    200,000)."""

    def __init__(self, forest: ChannelForest, uids: array) -> None:
        self._forest, self._uids = forest, uids

    def __len__(self) -> int:
        return len(self._uids)

    @overload
    def __getitem__(self, i: int) -> TileSource: ...

    @overload
    def __getitem__(self, i: slice) -> list[TileSource]: ...

    def __getitem__(self, i: int | slice) -> TileSource | list[TileSource]:
        if isinstance(i, slice):
            return [self._forest.source(u) for u in self._uids[i]]
        return self._forest.source(self._uids[i])

    def __iter__(self) -> Iterator[TileSource]:
        source = self._forest.source
        for uid in self._uids:
            yield source(uid)

    def __bool__(self) -> bool:
        return len(self._uids) > 0


class ChannelForest:
    """The hierarchy in columns by uid (tree order: a node's descendants follow it)."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.ids: list[str] = []
        self.names: list[str] = []
        self.online = array("q")
        self.total = array("q")
        self.health: list[str] = []
        self.search_texts: list[str] = []
        self.parents = array("q")
        self.rows = array("q")
        self.children: list[array | None] = []  # child uids of groups, None for cameras
        self.roots = array("q")
        # "kind\x00id" → uid: string keys, not tuples, which the collector would have to visit.
        self.by_key: dict[str, int] = {}
        # Cameras' tile source fields ("" for groups); TileSource objects are made on demand.
        self._titles: list[str] = []
        self._subs: list[str] = []
        self._mains: list[str] = []
        self._business: list[str] = []
        self._camera_uids = array("q")
        # Every node's kind, id, parent id and name in one string: equal when only states and
        # counts changed (the view then repaints in place instead of laying out anew).
        self.shape = ""
        self.index: SearchIndex | None = None
        self.nodes: Sequence[ChannelNode] = _Nodes(self)
        self.sources: Sequence[TileSource] = _Sources(self, self._camera_uids)

    # -- building ----------------------------------------------------------------------------
    def _add(self, kind: str, ident: str, name: str, parent: int, search: str, *,
             online: int = 0, total: int = 0, health: str = "",
             source: tuple[str, str, str, str] = ("", "", "", "")) -> int:
        uid = len(self.kinds)
        self.kinds.append(kind)
        self.ids.append(ident)
        self.names.append(name)
        self.online.append(online)
        self.total.append(total)
        self.health.append(health)
        self.search_texts.append(search)
        self.parents.append(parent)
        siblings = self.roots if parent < 0 else self.children[parent]
        assert siblings is not None
        self.rows.append(len(siblings))
        siblings.append(uid)
        self.children.append(None if kind == CAMERA else array("q"))
        self.by_key[f"{kind}\x00{ident}"] = uid
        title, sub, main, business = source
        self._titles.append(title)
        self._subs.append(sub)
        self._mains.append(main)
        self._business.append(business)
        if kind == CAMERA:
            self._camera_uids.append(uid)
        return uid

    # -- reading -----------------------------------------------------------------------------
    @property
    def camera_count(self) -> int:
        return len(self._camera_uids)

    def __len__(self) -> int:
        return len(self.kinds)

    def count(self, kind: str) -> int:
        return self.kinds.count(kind)

    def node(self, uid: int) -> ChannelNode:
        return ChannelNode(self.kinds[uid], self.ids[uid], self.names[uid], self.online[uid],
                           self.total[uid], self.health[uid], self.search_texts[uid], uid,
                           self.rows[uid], self.parents[uid])

    def uid(self, kind: str, ident: str) -> int | None:
        return self.by_key.get(f"{kind}\x00{ident}")

    def child_uids(self, uid: int) -> Sequence[int]:
        """Children of ``uid`` (-1: the districts)."""
        if uid < 0:
            return self.roots
        return self.children[uid] or ()

    def source(self, uid: int) -> TileSource:
        """The camera's tile source, as :func:`console.walls.sources.camera_source` makes it,
        from the columns kept at build time (no payload dict per camera is kept)."""
        return TileSource(camera_id=self.ids[uid], title=self._titles[uid],
                          sub_url=self._subs[uid], main_url=self._mains[uid],
                          business_id=self._business[uid])

    def sources_below(self, uid: int) -> list[TileSource]:
        """Every camera at or below ``uid``, in tree order (descendants follow their node)."""
        if self.kinds[uid] == CAMERA:
            return [self.source(uid)]
        end = self._subtree_end(uid)
        first, last = bisect_right(self._camera_uids, uid), bisect_right(self._camera_uids, end)
        return [self.source(u) for u in self._camera_uids[first:last]]

    def _subtree_end(self, uid: int) -> int:
        """The last uid below ``uid`` (itself if it has no children)."""
        while True:
            kids = self.children[uid]
            if not kids:
                return uid
            uid = kids[-1]

    def ancestors(self, uid: int) -> Iterator[int]:
        """The parent's, grandparent's, … uids up to the district's."""
        uid = self.parents[uid]
        while uid >= 0:
            yield uid
            uid = self.parents[uid]

    def search(self, query: str) -> list[int]:
        """uids whose search text contains ``query`` (case-insensitive), in tree order."""
        if self.index is None:
            self.index = SearchIndex(self.search_texts)
        return self.index.find(query)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector while hundreds of thousands of values are made: each
    full pass walks every object the console holds (the forest has no cycles, so nothing
    waits for the collector)."""
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
    biz_by_street: dict[str, list[dict[str, Any]]] = defaultdict(list)
    loose_biz: dict[str, list[dict[str, Any]]] = defaultdict(list)
    grid_ids = {g["id"] for g in snap.grids}
    street_ids = {s["id"] for s in snap.streets}
    for biz in snap.businesses:
        if biz.get("grid_id") in grid_ids:
            biz_by_grid[biz["grid_id"]].append(biz)
        elif biz.get("street_id") in street_ids:
            biz_by_street[biz["street_id"]].append(biz)
        else:
            loose_biz[biz["district_id"]].append(biz)
    grids_by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
    grids_by_street: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for grid in snap.grids:
        if grid.get("street_id") in street_ids:
            grids_by_street[grid["street_id"]].append(grid)
        else:
            grids_by_district[grid["district_id"]].append(grid)
    streets_by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for street in snap.streets:
        streets_by_district[street["district_id"]].append(street)

    forest = ChannelForest()
    add = forest._add
    shape: list[str] = []

    def business_node(biz: dict[str, Any], parent: int, parent_id: str) -> None:
        name = biz["name"]
        b = add(BUSINESS, biz["id"], name, parent,
                f"{name} {biz.get('address', '')} {biz['id']}")
        shape.append("\x01".join((BUSINESS, biz["id"], parent_id, name)))
        for cam in cams_by_biz.get(biz["id"], ()):
            add(CAMERA, cam["id"], cam["name"], b,
                f"{name} {cam['name']} {cam.get('location', '')} {cam['id']}",
                online=int(bool(cam.get("online"))), total=1, health=cam.get("health") or "",
                source=(tile_title(name, cam["name"]), cam.get("sub_url") or "",
                        cam.get("main_url") or "", cam["business_id"]))
            shape.append("\x01".join((CAMERA, cam["id"], biz["id"], cam["name"])))

    def grid_nodes(grids: Sequence[dict[str, Any]], parent: int) -> None:
        for grid in grids:
            g = add(GRID, grid["id"], grid["name"], parent, grid["name"])
            shape.append("\x01".join((GRID, grid["id"], forest.ids[parent], grid["name"])))
            for biz in biz_by_grid.get(grid["id"], ()):
                business_node(biz, g, grid["id"])

    for district in snap.districts:
        did = district["id"]
        d = add(DISTRICT, did, district["name"], -1,
                f"{district['name']} {district.get('name_en', '')}")
        shape.append("\x01".join((DISTRICT, did, "", district["name"])))
        for street in streets_by_district.get(did, ()):
            s = add(STREET, street["id"], street["name"], d, street["name"])
            shape.append("\x01".join((STREET, street["id"], did, street["name"])))
            grid_nodes(grids_by_street.get(street["id"], ()), s)
            for biz in biz_by_street.get(street["id"], ()):
                business_node(biz, s, street["id"])
        grid_nodes(grids_by_district.get(did, ()), d)
        for biz in loose_biz.get(did, ()):
            business_node(biz, d, did)

    online, total, parents = forest.online, forest.total, forest.parents
    for uid in range(len(parents) - 1, -1, -1):  # children follow parents: totals bubble up
        parent = parents[uid]
        if parent >= 0:
            online[parent] += online[uid]
            total[parent] += total[uid]
    forest.shape = "\x00".join(shape)
    forest.index = SearchIndex(forest.search_texts)
    return forest
