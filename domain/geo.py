"""District boundaries: reading and checking a GeoJSON file, and which district a point is in.

Qt- and SQLAlchemy-free: central's demo city places its kitchens inside their real district
(central/demo_registry.py) and the console's map (console/map/) draws the same polygons.
A bureau hands in its own boundaries as a GeoJSON FeatureCollection; what is wrong with a file
is said in Chinese naming the feature and the field, because the person choosing the file is
the bureau's administrator, not a developer.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_BOUNDARIES = Path(__file__).resolve().parents[1] / "resources" / "map" / "ordos.json"
MAX_FILE_BYTES = 64 * 1024 * 1024
Ring = list[tuple[float, float]]  # (lon, lat), closed


class BoundaryError(ValueError):
    """A boundary file that cannot be used; the message says what is wrong, in Chinese."""


@dataclass
class Region:
    """One district's outline: polygons of rings (the first of each is the outside)."""

    name: str
    polygons: list[list[Ring]]
    bbox: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0))

    def __post_init__(self) -> None:
        xs = [x for poly in self.polygons for x, _y in poly[0]]
        ys = [y for poly in self.polygons for _x, y in poly[0]]
        self.bbox = (min(xs), min(ys), max(xs), max(ys))

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        for poly in self.polygons:
            if _in_ring(poly[0], lon, lat) and not any(_in_ring(h, lon, lat)
                                                       for h in poly[1:]):
                return True
        return False

    def label_point(self) -> tuple[float, float]:
        """Where the district's name goes: the centroid of its largest polygon (inside for
        the convex-ish outlines of districts; else the bbox centre of that polygon)."""
        outer = max((p[0] for p in self.polygons), key=lambda r: abs(_area(r)))
        area = _area(outer)
        if area == 0:
            return outer[0]
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(outer):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        point = (cx / (6 * area), cy / (6 * area))
        return point if self.contains(*point) else outer[len(outer) // 2]


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _ring(raw: Any, where: str) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise BoundaryError(f"{where}：环至少要有 4 个坐标点（首尾相同）")
    ring: Ring = []
    for k, point in enumerate(raw):
        if (not isinstance(point, list | tuple) or len(point) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           and math.isfinite(v) for v in point[:2])):
            raise BoundaryError(f"{where}：第 {k + 1} 个坐标点不是 [经度, 纬度] 数字对")
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryError(f"{where}：第 {k + 1} 个坐标点 [{lon}, {lat}] 超出经纬度范围"
                                "（应为经度 -180～180、纬度 -90～90，经度在前）")
        ring.append((lon, lat))
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def parse_boundaries(data: Any, name_property: str = "name") -> list[Region]:
    """Regions from a decoded GeoJSON FeatureCollection; :class:`BoundaryError` otherwise."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError("不是 GeoJSON 要素集合：顶层 type 应为 \"FeatureCollection\"")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError("要素集合中没有要素（features 为空或缺失）")
    regions: list[Region] = []
    seen: set[str] = set()
    for n, feature in enumerate(features, 1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        name = props.get(name_property) if isinstance(props, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise BoundaryError(f"第 {n} 个要素没有名称：properties.{name_property} 应为区县名称")
        name = name.strip()
        where = f"第 {n} 个要素（{name}）"
        if name in seen:
            raise BoundaryError(f"{where}：名称重复，每个区县只能有一个要素")
        seen.add(name)
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if kind == "Polygon" and isinstance(coords, list) and coords:
            polygons = [[_ring(r, f"{where}的第 {k + 1} 个环") for k, r in enumerate(coords)]]
        elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
            polygons = []
            for p, poly in enumerate(coords, 1):
                if not isinstance(poly, list) or not poly:
                    raise BoundaryError(f"{where}：第 {p} 个多边形为空")
                polygons.append([_ring(r, f"{where}第 {p} 个多边形的第 {k + 1} 个环")
                                 for k, r in enumerate(poly)])
        else:
            raise BoundaryError(f"{where}：几何类型应为 Polygon 或 MultiPolygon 且坐标非空，"
                                f"实际为 {kind or '无'}")
        regions.append(Region(name, polygons))
    return regions


def load_boundaries(path: Path | str | None = None) -> list[Region]:
    """Regions from a GeoJSON file (the demo city's when ``path`` is empty)."""
    file = Path(path) if path else DEMO_BOUNDARIES
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise BoundaryError(f"无法读取边界文件 {file}：{exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise BoundaryError(f"边界文件 {file} 过大（{size // 1048576} MB，上限 "
                            f"{MAX_FILE_BYTES // 1048576} MB）")
    try:
        data = json.loads(file.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"边界文件 {file} 不是 UTF-8 编码的文本") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"边界文件 {file} 不是有效的 JSON：第 {exc.lineno} 行第 "
                            f"{exc.colno} 列，{exc.msg}") from exc
    return parse_boundaries(data)


def region_of(regions: list[Region], lon: float, lat: float) -> Region | None:
    return next((r for r in regions if r.contains(lon, lat)), None)
