"""The one place central writes the registry: streets, communities, businesses, cameras, sensors.

Every registry row is written by one row-level function, :func:`merge_row` (insert, or update
only what differs, a new version, the row's change-feed entry). A ledger import and the demo
city come through :func:`write`, which reads the tables once, matches each row by natural key
and batches the writes; an administrator's single edit (:mod:`central.registry_actions`) reads
only its row and calls :func:`merge_row` with the version the edit was made on, so a stale
edit is refused there and nowhere else. The import matches rows by natural key, never by
position:

* a business by its 统一社会信用代码, else its licence number (else an explicit ``id``);
* a camera by its GB/T 28181 code, else by its business and name;
* a sensor by its business, kind and place;
* a street or community by its district and name (created when a row names a new one).

Everything runs in the caller's transaction: an error raises :class:`RegistryWriteError` and
the caller's rollback leaves the registry as it was. Writing the same rows twice changes
nothing the second time (``unchanged``), which is what makes a repeated import harmless.

Rows are plain dictionaries of already-normalised values (``ledger.check`` produces them; the
registry actions validate theirs with the same ``ledger.fields``). Unchanged rows are not
touched; new rows are inserted in bulk with their feed entries, so 10,000 businesses and
20,000 cameras take seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import bulk, changes
from central.baobao import OfficialLinker
from db.models import AuditEntry, Base, Business, Camera, District, Grid, Sensor, Street
from db.registry_keys import load_known as load_known  # the check's keys, read in one place
from domain.clock import utcnow
from domain.ids import new_id

#: Columns a business row may set (besides its place: district, street, community).
BUSINESS_FIELDS = ("name", "category", "address", "credit_code", "licence_no",
                   "licence_expiry", "latitude", "longitude", "official_name",
                   "official_phone", "director_name", "director_phone", "contact_name",
                   "contact_phone")
CAMERA_FIELDS = ("name", "gb_code", "location", "main_url", "sub_url", "playback_url",
                 "public")
SENSOR_FIELDS = ("kind", "location", "params", "interval_s")
#: The suffix of a sensor id after its camera's (the demo city's ids use TH and DC).
SENSOR_SUFFIX = {"special_room": "TH", "disinfection_cabinet": "DC", "refrigerator": "RF",
                 "freezer": "FZ"}
ENTITIES = ("streets", "grids", "businesses", "cameras", "sensors")


class RegistryWriteError(ValueError):
    """A row the registry cannot take; ``code`` is a ledger reason code (ledger.fields)."""

    def __init__(self, code: str, message: str, *, index: int | None = None,
                 entity: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.index = index  # the row's position in the list it came in
        self.entity = entity


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class WriteResult:
    counts: dict[str, Counts] = field(default_factory=lambda: {e: Counts() for e in ENTITIES})
    #: the id of each written row, in the order of the rows given
    business_ids: list[str] = field(default_factory=list)
    camera_ids: list[str] = field(default_factory=list)
    sensor_ids: list[str] = field(default_factory=list)
    #: each row's outcome ("added", "updated", "unchanged"), same order
    business_outcomes: list[str] = field(default_factory=list)
    camera_outcomes: list[str] = field(default_factory=list)
    sensor_outcomes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: counts.as_dict() for name, counts in self.counts.items()}


# --------------------------------------------------------------------------- reading


def _rows(session: Session, model: type[Base]) -> list[dict[str, Any]]:
    table = model.__table__
    return [dict(r._mapping) for r in session.execute(select(table))]


_SERIAL = re.compile(r"^(.+)-([A-Z])(\d+)$")


class _Ids:
    """Readable ids for new rows (D01-B00042, D01-B00042-C3), continuing each parent's series
    so a city imported in the demo's order gets the demo's ids. The existing ids are parsed
    once (a series per parent), so giving 20,000 ids stays linear."""

    def __init__(self, existing: Iterable[str], suffix: str, width: int) -> None:
        self.taken = set(existing)
        self.suffix = suffix
        self.width = width
        self.next: dict[str, int] = {}
        for ident in self.taken:
            match = _SERIAL.match(ident)
            if match and match.group(2) == suffix:
                parent = match.group(1)
                self.next[parent] = max(self.next.get(parent, 1), int(match.group(3)) + 1)

    def new(self, parent: str) -> str:
        prefix = f"{parent}-{self.suffix}"
        while True:
            n = self.next.get(parent, 1)
            self.next[parent] = n + 1
            ident = f"{prefix}{n:0{self.width}d}"
            if len(ident) > 32:  # a parent with a long id of its own: an opaque id
                ident = new_id()
            if ident not in self.taken:
                self.taken.add(ident)
                return ident


# --------------------------------------------------------------------------- writing


@dataclass
class _Plan:
    """The rows of one entity to insert and to update, with their feed payloads."""

    model: type[Base]
    entity: str
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, session: Session) -> None:
        table = self.model.__table__
        for start in range(0, len(self.inserts), 5000):
            bulk.insert_rows(session, table, self.inserts[start:start + 5000])
        changes.record_bulk(session, self.entity, self.inserts)
        if self.updates:
            for start in range(0, len(self.updates), 5000):
                bulk.update_rows(session, table, "id", self.updates[start:start + 5000])
            for row in self.updates:
                changes.record_payload(session, self.entity, _payload(row))


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


def _same(a: Any, b: Any) -> bool:
    """Equal as stored (a coordinate read back from the database may differ in the last bit)."""
    if isinstance(a, float) and isinstance(b, float | int):
        return abs(a - float(b)) < 1e-9
    return bool(a == b)


class StaleRow(RegistryWriteError):
    """An edit made on another version of the row than the one stored (409 for an action);
    ``current`` is the row as stored, for the editor to reload."""

    def __init__(self, code: str, message: str, current: dict[str, Any]) -> None:
        super().__init__(code, message)
        self.current = current


def load_row(session: Session, model: type[Base], ident: str) -> dict[str, Any] | None:
    """One row as the plain dictionary :func:`merge_row` takes (a single edit reads only the
    row it edits; the import reads whole tables once, :func:`write`)."""
    table = model.__table__
    found = session.execute(select(table).where(table.c.id == ident)).first()
    return dict(found._mapping) if found is not None else None


def new_row(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` completed with the column defaults: a bulk insert and its feed entry carry
    every column, as an ORM insert would."""
    row: dict[str, Any] = {}
    for column in model.__table__.columns:
        default = column.default
        if default is None:
            row[column.key] = None
        elif getattr(default, "is_scalar", False):
            row[column.key] = default.arg  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False):
            row[column.key] = default.arg(None)  # type: ignore[attr-defined]
        else:
            row[column.key] = None
    return {**row, **values}


def merge_row(old: dict[str, Any] | None, new: dict[str, Any], plan: _Plan, counts: Counts,
              *, expected_version: int | None = None, versioned: bool = False,
              entity: str = "") -> tuple[dict[str, Any], str]:
    """THE row-level write of the registry: insert ``new`` or update ``old`` with it (only
    when a value differs), version and feed entry included; returns the row and its outcome.

    The import matches rows by natural key and takes the ledger as the truth (``versioned``
    False). A single edit (``versioned``) was made on one version of the row: an existing row
    needs ``expected_version`` and it must still be the stored one, else :class:`StaleRow`."""
    if old is not None and versioned:
        ident, version = old.get("id"), old.get("version")
        if expected_version is None:
            raise StaleRow("version_required",
                           f"{entity} {ident} exists: editing it needs expected_version (the "
                           f"version the edit was made on)", old)
        if expected_version != version:
            raise StaleRow("stale_version",
                           f"{entity} {ident} was changed by someone else meanwhile (version "
                           f"{version}, the edit was made on {expected_version}); reload "
                           f"it and apply the edit again", old)
    return _merge(old, new, plan, counts)


def _merge(old: dict[str, Any] | None, new: dict[str, Any], plan: _Plan,
           counts: Counts) -> tuple[dict[str, Any], str]:
    """Insert ``new`` or update ``old`` with it; returns the row and its outcome."""
    if old is None:
        row = {**new, "version": 1}
        plan.inserts.append(row)
        counts.added += 1
        return row, "added"
    if all(_same(old.get(k), v) for k, v in new.items()):
        counts.unchanged += 1
        return old, "unchanged"
    row = {**old, **new, "version": int(old.get("version") or 1) + 1}
    old.update(row)  # later rows of the same write see the new state
    plan.updates.append(row)
    counts.updated += 1
    return row, "updated"


def write(session: Session, *, businesses: Sequence[dict[str, Any]] = (),
          cameras: Sequence[dict[str, Any]] = (), sensors: Sequence[dict[str, Any]] = (),
          actor: str, action: str = "registry_import", note: str = "",
          district_scope: str | None = None) -> WriteResult:
    """Upsert the rows by natural key in the caller's transaction (see the module docstring).

    Business rows: the columns of :data:`BUSINESS_FIELDS` present in the ledger (a column the
    ledger lacks keeps its value), ``district_id``, and the place as ``street`` / ``grid``
    names (created when missing) or ``street_id`` / ``grid_id``; ``id`` to edit one business
    by id. Camera and sensor rows name their business by ``business_id`` or by
    ``business_credit_code`` / ``business_licence_no`` (a business of this write or of the
    registry); a sensor names its camera by ``camera_id``, ``camera_gb_code`` or
    ``camera_name``. ``district_scope``: a district administrator's district; a row of
    another district raises. One audit entry per district touched records the counts.
    """
    result = WriteResult()
    officials = OfficialLinker(session)
    districts = {d.id for d in session.execute(select(District.id))}
    touched: dict[str, dict[str, Counts]] = {}

    def touch(district_id: str, entity: str, outcome: str) -> None:
        per = touched.get(district_id)
        if per is None:
            per = touched[district_id] = {e: Counts() for e in ENTITIES}
        setattr(per[entity], outcome, getattr(per[entity], outcome) + 1)

    # ---- places
    street_rows = {r["id"]: r for r in _rows(session, Street)}
    grid_rows = {r["id"]: r for r in _rows(session, Grid)}
    streets_by_name = {(r["district_id"], r["name"]): r for r in street_rows.values()}
    grids_by_name = {(r["district_id"], r["name"]): r for r in grid_rows.values()}
    street_ids = _Ids(street_rows, "S", 2)
    grid_ids = _Ids(grid_rows, "G", 2)
    street_plan, grid_plan = _Plan(Street, "street"), _Plan(Grid, "grid")

    def street_of(district_id: str, name: str) -> str | None:
        if not name:
            return None
        row = streets_by_name.get((district_id, name))
        if row is None:
            row = {"id": street_ids.new(district_id), "district_id": district_id,
                   "name": name, "version": 1}
            streets_by_name[(district_id, name)] = row
            street_plan.inserts.append(row)
            result.counts["streets"].added += 1
            touch(district_id, "streets", "added")
        return str(row["id"])

    def grid_of(district_id: str, street_id: str | None, name: str) -> str | None:
        if not name:
            return None
        row = grids_by_name.get((district_id, name))
        if row is None:
            row = {"id": grid_ids.new(district_id), "district_id": district_id,
                   "street_id": street_id, "name": name, "officer_name": "",
                   "officer_phone": "", "version": 1}
            grids_by_name[(district_id, name)] = row
            grid_plan.inserts.append(row)
            result.counts["grids"].added += 1
            touch(district_id, "grids", "added")
        elif street_id and row["street_id"] != street_id:
            _, outcome = merge_row(row, {"street_id": street_id}, grid_plan, result.counts["grids"])
            touch(district_id, "grids", outcome)
        return str(row["id"])

    # ---- businesses
    business_rows = {r["id"]: r for r in _rows(session, Business)}
    by_credit = {r["credit_code"]: r for r in business_rows.values() if r["credit_code"]}
    by_licence = {r["licence_no"]: r for r in business_rows.values() if r["licence_no"]}
    business_ids = _Ids(business_rows, "B", 5)
    business_plan = _Plan(Business, "business")
    moved: dict[str, str] = {}  # business id → its new district
    for index, given in enumerate(businesses):
        district_id = str(given.get("district_id") or "")
        if district_id not in districts:
            raise RegistryWriteError("district_unknown", f"unknown district {district_id!r}",
                                     index=index, entity="businesses")
        if district_scope is not None and district_id != district_scope:
            raise RegistryWriteError("district_forbidden",
                                     f"row of district {district_id!r}, outside your district",
                                     index=index, entity="businesses")
        credit, licence = given.get("credit_code") or "", given.get("licence_no") or ""
        old = business_rows.get(given["id"]) if given.get("id") else None
        if old is None:
            old = by_credit.get(credit) if credit else None
        if old is None and licence:
            old = by_licence.get(licence)
            if old is not None and credit and old["credit_code"] \
                    and old["credit_code"] != credit:
                raise RegistryWriteError(
                    "key_conflict", f"licence {licence} belongs to a business with another "
                    "credit code", index=index, entity="businesses")
        if old is None and not (credit or licence or given.get("id")):
            raise RegistryWriteError("business_key_missing", "neither a unified social credit "
                                     "code nor a licence number", index=index,
                                     entity="businesses")
        if old is not None and district_scope is not None \
                and old["district_id"] != district_scope:
            raise RegistryWriteError("district_forbidden", "the business belongs to another "
                                     "district", index=index, entity="businesses")
        values = {k: given[k] for k in BUSINESS_FIELDS if k in given}
        values["district_id"] = district_id
        if "street_id" in given:
            values["street_id"] = given["street_id"]
        elif "street" in given:
            values["street_id"] = street_of(district_id, given["street"])
        if "grid_id" in given:
            values["grid_id"] = given["grid_id"]
        elif "grid" in given:
            values["grid_id"] = grid_of(district_id, values.get("street_id"), given["grid"])
        if old is None:
            values = {"id": given.get("id") or business_ids.new(district_id), "grid_id": None,
                      "street_id": None, "name": "", "category": "small", "address": "",
                      "credit_code": "", "licence_no": "", "licence_expiry": None,
                      "latitude": None, "longitude": None, "official_name": "",
                      "official_phone": "", "official_user_id": None, "director_name": "",
                      "director_phone": "", "contact_name": "", "contact_phone": "", **values}
        elif old["district_id"] != district_id:
            moved[old["id"]] = district_id
        if "official_name" in values or "official_phone" in values:
            # 包保责任人 named by the ledger: linked to their account when one matches.
            merged = {**(old or {}), **values}
            values["official_user_id"] = officials.account_of(
                merged.get("official_name") or "", merged.get("official_phone") or "",
                district_id)
        row, outcome = merge_row(old, values, business_plan, result.counts["businesses"])
        business_rows[row["id"]] = row
        if row["credit_code"]:
            by_credit[row["credit_code"]] = row
        if row["licence_no"]:
            by_licence[row["licence_no"]] = row
        result.business_ids.append(row["id"])
        result.business_outcomes.append(outcome)
        touch(district_id, "businesses", outcome)

    def business_for(given: dict[str, Any], index: int, entity: str) -> dict[str, Any]:
        row = None
        if given.get("business_id"):
            row = business_rows.get(given["business_id"])
        if row is None and given.get("business_credit_code"):
            row = by_credit.get(given["business_credit_code"])
        if row is None and given.get("business_licence_no"):
            row = by_licence.get(given["business_licence_no"])
        if row is None:
            key = given.get("business_credit_code") or given.get("business_licence_no") \
                or given.get("business_id") or ""
            raise RegistryWriteError("business_unknown", f"no business with this credit code "
                                     f"or licence number: {key}", index=index, entity=entity)
        if district_scope is not None and row["district_id"] != district_scope:
            raise RegistryWriteError("district_forbidden", "the business belongs to another "
                                     "district", index=index, entity=entity)
        return row

    # ---- cameras
    camera_rows = {r["id"]: r for r in _rows(session, Camera)}
    cam_by_code = {r["gb_code"]: r for r in camera_rows.values() if r["gb_code"]}
    cam_by_name = {(r["business_id"], r["name"]): r for r in camera_rows.values()}
    camera_ids = _Ids(camera_rows, "C", 1)
    camera_plan = _Plan(Camera, "camera")
    for index, given in enumerate(cameras):
        business = business_for(given, index, "cameras")
        code, name = given.get("gb_code") or "", given.get("name") or ""
        old = camera_rows.get(given["id"]) if given.get("id") else None
        if old is None and code:
            old = cam_by_code.get(code)
        if old is None and name:
            old = cam_by_name.get((business["id"], name))
        if old is None and not (code or name):
            raise RegistryWriteError("camera_key_missing", "neither a GB/T 28181 code nor a "
                                     "camera name", index=index, entity="cameras")
        values = {k: given[k] for k in CAMERA_FIELDS if k in given}
        values["business_id"] = business["id"]
        values["district_id"] = business["district_id"]
        if old is None:
            values = {"id": given.get("id") or camera_ids.new(business["id"]), "name": name,
                      "gb_code": "", "location": "", "main_url": "", "sub_url": "",
                      "playback_url": "", "public": False, "online": True, "health": "unknown",
                      **values}
        row, outcome = merge_row(old, values, camera_plan, result.counts["cameras"])
        camera_rows[row["id"]] = row
        if row["gb_code"]:
            cam_by_code[row["gb_code"]] = row
        cam_by_name[(row["business_id"], row["name"])] = row
        result.camera_ids.append(row["id"])
        result.camera_outcomes.append(outcome)
        touch(row["district_id"], "cameras", outcome)

    # ---- sensors
    sensor_rows = {r["id"]: r for r in _rows(session, Sensor)}
    sensor_by_key = {(r["business_id"], r["kind"], r["location"]): r
                     for r in sensor_rows.values()}
    sensor_ids = _Ids(sensor_rows, "S", 1)
    sensor_plan = _Plan(Sensor, "sensor")
    for index, given in enumerate(sensors):
        business = business_for(given, index, "sensors")
        camera_id = given.get("camera_id")
        if camera_id is None and given.get("camera_gb_code"):
            cam = cam_by_code.get(given["camera_gb_code"])
            camera_id = cam["id"] if cam else None
        if camera_id is None and given.get("camera_name"):
            cam = cam_by_name.get((business["id"], given["camera_name"]))
            camera_id = cam["id"] if cam else None
        kind, location = given["kind"], given.get("location") or ""
        old = sensor_rows.get(given["id"]) if given.get("id") else None
        if old is None:
            old = sensor_by_key.get((business["id"], kind, location))
        values = {k: given[k] for k in SENSOR_FIELDS if k in given}
        values.update(business_id=business["id"], district_id=business["district_id"],
                      location=location)
        if camera_id is not None or "camera_id" in given:
            values["camera_id"] = camera_id
        if old is None:
            ident = given.get("id") or ""
            if not ident and camera_id and kind in SENSOR_SUFFIX \
                    and f"{camera_id}-{SENSOR_SUFFIX[kind]}" not in sensor_ids.taken:
                ident = f"{camera_id}-{SENSOR_SUFFIX[kind]}"
                sensor_ids.taken.add(ident)
            values = {"id": ident or sensor_ids.new(business["id"]), "camera_id": None,
                      "params": {}, "interval_s": 60, "online": True, "last_value": None,
                      "last_humidity": None, "last_ts": None, "rule_state": "normal",
                      **values}
        row, outcome = merge_row(old, values, sensor_plan, result.counts["sensors"])
        sensor_rows[row["id"]] = row
        sensor_by_key[(row["business_id"], row["kind"], row["location"])] = row
        result.sensor_ids.append(row["id"])
        result.sensor_outcomes.append(outcome)
        touch(row["district_id"], "sensors", outcome)

    # ---- a business that moved district takes its cameras and sensors along
    for plan, rows, counts in ((camera_plan, camera_rows, result.counts["cameras"]),
                               (sensor_plan, sensor_rows, result.counts["sensors"])):
        for row in list(rows.values()):
            target = moved.get(row["business_id"])
            if target and row["district_id"] != target:
                merge_row(row, {"district_id": target}, plan, counts)

    for plan in (street_plan, grid_plan, business_plan, camera_plan, sensor_plan):
        plan.apply(session)
    _audit(session, touched, actor, action, note)
    return result


def _audit(session: Session, touched: dict[str, dict[str, Counts]], actor: str, action: str,
           note: str) -> None:
    """One entry per district whose registry changed: who, what file, how many rows."""
    for district_id, per in sorted(touched.items()):
        if not any(c.added or c.updated for c in per.values()):
            continue
        detail = json.dumps({"note": note, **{k: c.as_dict() for k, c in per.items()
                                              if c.added or c.updated or c.unchanged}},
                            ensure_ascii=False)
        entry = AuditEntry(district_id=district_id, user=actor, action=action,
                           detail=detail[:2000], ts=utcnow())
        session.add(entry)
        changes.record(session, entry)
