"""Per-district figures for the choropleth, and the colours they are painted in.

Qt-free: computed from plain rows the panel reads from the local store, so tests give rows
and check the numbers a bureau's leadership will read off the wall."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Metric(StrEnum):
    ONLINE_RATE = "online_rate"  # cameras online / cameras, %
    ALARMS_PER_100 = "alarms_per_100"  # alarms in the window per 100 kitchens
    PATROL_COVERAGE = "patrol_coverage"  # kitchens patrolled in the window / kitchens, %


# Higher is better for these (a green end at the top); alarms: lower is better.
HIGHER_IS_BETTER = {Metric.ONLINE_RATE: True, Metric.ALARMS_PER_100: False,
                    Metric.PATROL_COVERAGE: True}


@dataclass
class DistrictFigures:
    district_id: str
    name: str
    kitchens: int = 0
    cameras: int = 0
    cameras_online: int = 0
    alarms: int = 0
    patrolled: int = 0

    def value(self, metric: Metric) -> float | None:
        """The figure, or None when it means nothing (no cameras, no kitchens)."""
        if metric is Metric.ONLINE_RATE:
            return 100.0 * self.cameras_online / self.cameras if self.cameras else None
        if not self.kitchens:
            return None
        if metric is Metric.ALARMS_PER_100:
            return 100.0 * self.alarms / self.kitchens
        return 100.0 * self.patrolled / self.kitchens


def district_figures(districts: Iterable[Mapping[str, str]],
                     businesses: Iterable[Mapping[str, object]],
                     cameras: Iterable[Mapping[str, object]],
                     alarm_districts: Iterable[str],
                     patrolled_businesses: Iterable[tuple[str, str]]) -> dict[str, DistrictFigures]:
    """``alarm_districts``: one district id per alarm in the window; ``patrolled_businesses``:
    (district id, business id) of patrol records in the window (repeats count once)."""
    out = {str(d["id"]): DistrictFigures(str(d["id"]), str(d["name"])) for d in districts}
    for b in businesses:
        f = out.get(str(b["district_id"]))
        if f is not None:
            f.kitchens += 1
    for c in cameras:
        f = out.get(str(c["district_id"]))
        if f is not None:
            f.cameras += 1
            f.cameras_online += bool(c.get("online"))
    for did in alarm_districts:
        f = out.get(did)
        if f is not None:
            f.alarms += 1
    for did, _bid in set(patrolled_businesses):
        f = out.get(did)
        if f is not None:
            f.patrolled += 1
    return out


# A sequential ramp from poor (warm) to good (cool green), readable on a dark wall.
RAMP = ((0xb7, 0x1c, 0x1c), (0xe6, 0x51, 0x00), (0xf9, 0xa8, 0x25), (0x9e, 0x9d, 0x24),
        (0x2e, 0x7d, 0x32))
NO_DATA = (0x45, 0x4a, 0x54)


def scale_bounds(metric: Metric, values: Iterable[float | None]) -> tuple[float, float]:
    """The legend's range: 0–100 % for rates; 0 to the largest value for alarms."""
    if metric is not Metric.ALARMS_PER_100:
        return 0.0, 100.0
    top = max((v for v in values if v is not None), default=0.0)
    return 0.0, max(1.0, top)


def colour_for(metric: Metric, value: float | None,
               bounds: tuple[float, float]) -> tuple[int, int, int]:
    """The fill of a district: its figure's place between the bounds on the ramp."""
    if value is None:
        return NO_DATA
    lo, hi = bounds
    t = 0.0 if hi <= lo else min(1.0, max(0.0, (value - lo) / (hi - lo)))
    if not HIGHER_IS_BETTER[metric]:
        t = 1.0 - t
    pos = t * (len(RAMP) - 1)
    i = min(int(pos), len(RAMP) - 2)
    frac = pos - i
    a, b = RAMP[i], RAMP[i + 1]
    r, g, bl = (round(a[k] + (b[k] - a[k]) * frac) for k in range(3))
    return r, g, bl
