"""Kitchens as points: their state, where they go on the map, and how they group.

Qt-free so that projection and clustering are tested and benchmarked without a screen, and
cheap enough for a province: clustering is a grid in scene units whose cell follows the zoom,
cached per zoom step, so panning costs nothing and a zoom step one pass over the points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

SCENE_PER_DEGREE = 1000.0  # scene units per degree of latitude


class PointState(IntEnum):
    """What a kitchen's point says, in the order of urgency (a cluster shows its worst)."""

    COMPLIANT = 0
    UNCONNECTED = 1  # no camera registered yet (not yet connected to the platform)
    OFFLINE = 2  # a camera offline
    ALARM = 3  # an open alarm


def point_state(cameras_total: int, cameras_online: int, open_alarms: int) -> PointState:
    if open_alarms > 0:
        return PointState.ALARM
    if cameras_total == 0:
        return PointState.UNCONNECTED
    if cameras_online < cameras_total:
        return PointState.OFFLINE
    return PointState.COMPLIANT


@dataclass
class MapPoint:
    business_id: str
    name: str
    district_id: str
    lon: float
    lat: float
    state: PointState = PointState.COMPLIANT
    x: float = 0.0  # scene position, set by Projection.place
    y: float = 0.0


@dataclass(frozen=True)
class Projection:
    """Equirectangular around the city's middle latitude: longitudes shrink by cos(lat), so a
    city of 200 km looks as on a paper map (no tiles to match, so no Web Mercator needed)."""

    lat0: float = 39.8

    @property
    def kx(self) -> float:
        return SCENE_PER_DEGREE * math.cos(math.radians(self.lat0))

    def to_scene(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.kx, -lat * SCENE_PER_DEGREE

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return x / self.kx, -y / SCENE_PER_DEGREE

    def place(self, points: Iterable[MapPoint]) -> None:
        kx = self.kx
        for p in points:
            p.x, p.y = p.lon * kx, -p.lat * SCENE_PER_DEGREE


@dataclass
class Cluster:
    """Points that fall in one grid cell at the current zoom (one point: shown as itself)."""

    x: float
    y: float
    members: list[MapPoint] = field(default_factory=list)
    by_state: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def worst(self) -> PointState:
        for state in sorted(PointState, reverse=True):
            if self.by_state[state]:
                return state
        return PointState.COMPLIANT


def cluster(points: Sequence[MapPoint], cell: float) -> list[Cluster]:
    """Group points by a square grid of ``cell`` scene units; each cluster sits at its
    members' mean position. ``cell <= 0``: every point alone."""
    if cell <= 0:
        out = []
        for p in points:
            c = Cluster(p.x, p.y, [p])
            c.by_state[p.state] += 1
            out.append(c)
        return out
    cells: dict[tuple[int, int], Cluster] = {}
    sums: dict[tuple[int, int], list[float]] = {}
    for p in points:
        key = (math.floor(p.x / cell), math.floor(p.y / cell))
        c = cells.get(key)
        if c is None:
            c = cells[key] = Cluster(0.0, 0.0)
            sums[key] = [0.0, 0.0]
        c.members.append(p)
        c.by_state[p.state] += 1
        s = sums[key]
        s[0] += p.x
        s[1] += p.y
    for key, c in cells.items():
        n = len(c.members)
        c.x, c.y = sums[key][0] / n, sums[key][1] / n
    return list(cells.values())


class Clusterer:
    """Clusters for a zoom, cached per zoom step (steps of √2): a cluster radius of about
    ``cell_px`` screen pixels whatever the zoom; ``None`` once points are far enough apart
    to be shown one by one."""

    def __init__(self, cell_px: float = 44.0, single_above: float = 40.0) -> None:
        self.cell_px = cell_px
        self.single_above = single_above  # pixels per scene unit above which never cluster
        self.points: Sequence[MapPoint] = ()
        self._cache: dict[int, list[Cluster]] = {}

    def set_points(self, points: Sequence[MapPoint]) -> None:
        self.points = points
        self._cache.clear()

    def invalidate(self) -> None:
        """States changed (positions did not): recount on the next call."""
        self._cache.clear()

    @staticmethod
    def step(scale: float) -> int:
        return round(math.log(max(scale, 1e-9), math.sqrt(2)))

    def at(self, scale: float) -> list[Cluster]:
        """``scale``: screen pixels per scene unit."""
        step = self.step(scale)
        found = self._cache.get(step)
        if found is None:
            quantised = math.sqrt(2) ** step
            cell = 0.0 if quantised >= self.single_above else self.cell_px / quantised
            found = self._cache[step] = cluster(self.points, cell)
        return found


def counts_by_state(points: Iterable[MapPoint]) -> Mapping[PointState, int]:
    counts = dict.fromkeys(PointState, 0)
    for p in points:
        counts[p.state] += 1
    return counts
