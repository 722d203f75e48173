"""The registry back into the template's layout, so a bureau can keep its ledger in Excel,
edit it and import it again (the same file imported back changes nothing).

Takes the registry as plain rows (central's tables or the console's synced store, either way
dictionaries of columns) and writes names where the database holds ids: the district's and
street's names, the category's and sensor kind's Chinese labels, 是/否.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from ledger.fields import CATEGORY_NAMES, SENSOR_KIND_NAMES
from ledger.headers import BUSINESSES, CAMERAS, SENSORS
from ledger.template import Places, write_workbook

SENSOR_PARAM_COLUMNS = ("max_temp", "min_temp", "max_humidity", "target_temp", "hold_min")


@dataclass
class Registry:
    """The registry as plain rows (each a dict of its table's columns)."""

    districts: list[dict[str, Any]] = field(default_factory=list)
    streets: list[dict[str, Any]] = field(default_factory=list)
    grids: list[dict[str, Any]] = field(default_factory=list)
    businesses: list[dict[str, Any]] = field(default_factory=list)
    cameras: list[dict[str, Any]] = field(default_factory=list)
    sensors: list[dict[str, Any]] = field(default_factory=list)


def ledger_rows(registry: Registry) -> dict[str, list[dict[str, Any]]]:
    """The registry's rows as ledger rows (template field names → cell values)."""
    district = {d["id"]: d["name"] for d in registry.districts}
    street = {s["id"]: s["name"] for s in registry.streets}
    grid = {g["id"]: g for g in registry.grids}
    businesses = sorted(registry.businesses, key=lambda b: (b["district_id"], b["id"]))
    owner = {b["id"]: b for b in businesses}
    out_b = []
    for b in businesses:
        g = grid.get(b.get("grid_id") or "")
        street_id = b.get("street_id") or (g.get("street_id") if g else None)
        out_b.append({
            **{k: b.get(k) for k in ("name", "credit_code", "licence_no", "licence_expiry",
                                     "address", "latitude", "longitude", "official_name",
                                     "official_phone", "director_name", "director_phone",
                                     "contact_name", "contact_phone")},
            "district": district.get(b["district_id"], b["district_id"]),
            "street": street.get(street_id or "", ""),
            "grid": g["name"] if g else "",
            "category": CATEGORY_NAMES.get(b.get("category") or "", b.get("category"))})

    def ref(business_id: str) -> dict[str, Any]:
        b = owner.get(business_id, {})
        return {"business_name": b.get("name", ""),
                "business_credit_code": b.get("credit_code", ""),
                "business_licence_no": b.get("licence_no", "")}

    cameras = sorted(registry.cameras, key=lambda c: (c["business_id"], c["id"]))
    camera = {c["id"]: c for c in cameras}
    out_c = [{**ref(c["business_id"]),
              **{k: c.get(k) for k in ("gb_code", "name", "location", "main_url", "sub_url",
                                       "playback_url")},
              "public": "是" if c.get("public") else "否"} for c in cameras if c["business_id"]
             in owner]
    out_s = []
    for s in sorted(registry.sensors, key=lambda s: (s["business_id"], s["id"])):
        if s["business_id"] not in owner:
            continue
        cam = camera.get(s.get("camera_id") or "")
        params = s.get("params") or {}
        out_s.append({**ref(s["business_id"]),
                      "kind": SENSOR_KIND_NAMES.get(s["kind"], s["kind"]),
                      "location": s.get("location", ""),
                      "camera_gb_code": cam.get("gb_code", "") if cam else "",
                      "camera_name": cam["name"] if cam and not cam.get("gb_code") else "",
                      **{k: params.get(k) for k in SENSOR_PARAM_COLUMNS},
                      "interval_s": s.get("interval_s")})
    return {BUSINESSES: out_b, CAMERAS: out_c, SENSORS: out_s}


def places_of(registry: Registry) -> Places:
    return Places(districts=[d["name"] for d in registry.districts],
                  streets=sorted({s["name"] for s in registry.streets}))


def export_registry(stream: IO[bytes], registry: Registry) -> dict[str, int]:
    """Write the registry as a ledger workbook; returns the rows written per kind."""
    return write_workbook(stream, dict(ledger_rows(registry)), places_of(registry))


def export_bytes(registry: Registry) -> bytes:
    stream = io.BytesIO()
    export_registry(stream, registry)
    return stream.getvalue()


def rows_of(items: Iterable[Any], columns: Iterable[str]) -> list[dict[str, Any]]:
    """Plain rows from objects with column attributes (the console's store rows)."""
    names = list(columns)
    return [{n: getattr(item, n) for n in names} for item in items]
