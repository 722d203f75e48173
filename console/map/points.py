"""Kitchens as points: their state, where they go on the map, and how they group.

Qt-free so that projection and clustering are tested and benchmarked without a screen, and
cheap enough for a province: clustering is a grid in scene units whose cell follows the zoom,
cached per zoom step, so panning costs nothing and a zoom step one pass over the points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

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


class ClusterSet:
    """The clusters of one zoom step as columns (numpy): centre, size and worst state of each,
    so that painting culls and draws thousands without making an object per kitchen;
    :class:`Cluster` objects are made only for what is asked for (a hit, a test)."""

    def __init__(self, points: Sequence[MapPoint], cx: np.ndarray, cy: np.ndarray,
                 count: np.ndarray, worst: np.ndarray, order: np.ndarray,
                 starts: np.ndarray) -> None:
        self.points = points
        self.cx, self.cy, self.count, self.worst = cx, cy, count, worst
        self._order, self._starts = order, starts  # members of k: order[starts[k]:starts[k+1]]

    def __len__(self) -> int:
        return len(self.cx)

    def member_indices(self, k: int) -> np.ndarray:
        return self._order[self._starts[k]:self._starts[k + 1]]

    def cluster(self, k: int) -> Cluster:
        members = [self.points[i] for i in self.member_indices(k)]
        c = Cluster(float(self.cx[k]), float(self.cy[k]), members)
        for p in members:
            c.by_state[p.state] += 1
        return c

    def __iter__(self) -> Iterator[Cluster]:
        return (self.cluster(k) for k in range(len(self)))

    def visible(self, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        """Indices of clusters whose centre lies in the rectangle."""
        return np.flatnonzero((self.cx >= x0) & (self.cx <= x1)
                              & (self.cy >= y0) & (self.cy <= y1))


def cluster(points: Sequence[MapPoint], cell: float,
            columns: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> ClusterSet:
    """Group points by a square grid of ``cell`` scene units; each cluster sits at its
    members' mean position and shows its most urgent state. ``cell <= 0``: every point alone.
    ``columns``: the points' (x, y, state) as arrays, when the caller keeps them."""
    xs, ys, states = columns if columns is not None else point_columns(points)
    n = len(xs)
    if n == 0:
        empty = np.zeros(0)
        return ClusterSet(points, empty, empty, empty.astype(np.int64), empty.astype(np.int64),
                          np.zeros(0, np.int64), np.zeros(1, np.int64))
    if cell <= 0:
        order = np.arange(n)
        return ClusterSet(points, xs.copy(), ys.copy(), np.ones(n, np.int64), states.copy(),
                          order, np.arange(n + 1))
    gx = np.floor(xs / cell).astype(np.int64)
    gy = np.floor(ys / cell).astype(np.int64)
    keys = (gx - gx.min()) * (int(gy.max() - gy.min()) + 1) + (gy - gy.min())
    _uniq, inverse = np.unique(keys, return_inverse=True)
    k = int(inverse.max()) + 1
    count = np.bincount(inverse, minlength=k)
    cx = np.bincount(inverse, weights=xs, minlength=k) / count
    cy = np.bincount(inverse, weights=ys, minlength=k) / count
    worst = np.zeros(k, np.int64)
    np.maximum.at(worst, inverse, states)
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate(([0], np.cumsum(count)))
    return ClusterSet(points, cx, cy, count, worst, order, starts)


def point_columns(points: Sequence[MapPoint]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.fromiter((p.x for p in points), float, len(points)),
            np.fromiter((p.y for p in points), float, len(points)),
            np.fromiter((int(p.state) for p in points), np.int64, len(points)))


class Clusterer:
    """Clusters for a zoom, cached per zoom step (steps of √2): a cluster radius of about
    ``cell_px`` screen pixels whatever the zoom; points alone once they are far enough apart
    (``single_above`` pixels per scene unit)."""

    def __init__(self, cell_px: float = 44.0, single_above: float = 40.0) -> None:
        self.cell_px = cell_px
        self.single_above = single_above
        self.points: Sequence[MapPoint] = ()
        self._columns = point_columns(())
        self._cache: dict[int, ClusterSet] = {}

    def set_points(self, points: Sequence[MapPoint]) -> None:
        self.points = points
        self._columns = point_columns(points)
        self._cache.clear()

    def invalidate(self) -> None:
        """States changed (positions did not): recount on the next call."""
        xs, ys, _states = self._columns
        self._columns = (xs, ys, np.fromiter((int(p.state) for p in self.points), np.int64,
                                             len(self.points)))
        self._cache.clear()

    def state_counts(self) -> np.ndarray:
        """Kitchens per state (index: PointState)."""
        return np.bincount(self._columns[2], minlength=len(PointState))

    @staticmethod
    def step(scale: float) -> int:
        return round(math.log(max(scale, 1e-9), math.sqrt(2)))

    def at(self, scale: float) -> ClusterSet:
        """``scale``: screen pixels per scene unit."""
        step = self.step(scale)
        found = self._cache.get(step)
        if found is None:
            quantised = math.sqrt(2) ** step
            cell = 0.0 if quantised >= self.single_above else self.cell_px / quantised
            found = self._cache[step] = cluster(self.points, cell, self._columns)
        return found


def counts_by_state(points: Iterable[MapPoint]) -> Mapping[PointState, int]:
    counts = dict.fromkeys(PointState, 0)
    for p in points:
        counts[p.state] += 1
    return counts
