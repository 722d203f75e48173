"""Editing the registry through actions: districts, streets, communities, businesses, cameras,
sensors and onboarding targets (issue 15 items 3 and 5).

Who may: an admin. An admin without a district edits the whole city; an admin with a
district ("district admin") edits only that district, and rows of other districts do not
exist for them (404, as on every other route). Districts themselves are the city-wide
admin's. Every change is bumped, put in the change feed and audited in the caller's
transaction (:func:`central.actions.apply` owns it), so a console sees the edit exactly when
it has committed.

Concurrency is optimistic: an edit names the version it was made on (``expected_version``);
if the row moved on meanwhile the edit is refused with 409 ``stale_version`` and the current
row, and the console reloads it while keeping what the user typed. The row itself is written
by the import's row-level function (:func:`central.registry_write.merge_row`), which makes
that check: an edit and an imported ledger row are one write path.

Retiring takes a row out of the registry (the feed carries it as deleted); what happened to
it — alarms, tasks, audit — stays. A row that still has children, or a business (camera) with
open alarms or tasks, is refused with the reason: those need finishing first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import changes, registry_write
from central.action_context import ActionContext, Handler, audit, bump
from central.errors import ApiError, forbidden, invalid, not_found
from central.rules import ParamsError, params_for
from central.schemas import registry as r
from db.models import (
    Alarm,
    Business,
    Camera,
    District,
    Grid,
    OnboardingTarget,
    Sensor,
    Street,
    Task,
)
from db.serialize import to_payload
from domain.alarms import AlarmState
from domain.roles import Role
from domain.rules import DEFAULT_PARAMS
from domain.tasks import OPEN_STATES
from ledger import fields

# The registry rows an action edits (a constrained variable: each has id and version).
_Row = TypeVar("_Row", District, Street, Grid, Business, Camera, Sensor, OnboardingTarget)
FINISHED_ALARMS = (AlarmState.CLOSED, AlarmState.DISMISSED)


# --------------------------------------------------------------------------- scope


def _scope(ctx: ActionContext, doing: str) -> str | None:
    """The district the caller administers (None: the whole city); 403 for everyone else."""
    principal = ctx.principal
    if principal.role != Role.ADMIN:
        raise forbidden(f"role {principal.role} may not {doing}; the registry is the "
                        f"administrators'")
    return principal.district_id or None


def _visible(scope: str | None, district_id: str | None) -> bool:
    return scope is None or district_id == scope


def _district(session: Session, scope: str | None, district_id: str, where: str) -> District:
    district = session.get(District, district_id)
    if district is None or not _visible(scope, district.id):
        raise not_found("district", district_id)  # another district's: as if none
    return district


def _existing(session: Session, scope: str | None, model: type[_Row], entity: str,
              ident: str, district_of: Callable[[_Row], str]) -> _Row | None:
    """The row being edited, or None for a new one; another district's row is 404."""
    row = session.get(model, ident)
    if row is not None and not _visible(scope, district_of(row)):
        raise not_found(entity, ident)
    return row


def _check_version(row: _Row, entity: str, expected: int | None) -> None:
    ident = row.id
    if expected is None:
        raise ApiError(409, "version_required",
                       f"{entity} {ident} exists: editing it needs expected_version (the "
                       f"version the edit was made on)", current=to_payload(row))
    if expected != row.version:
        raise ApiError(409, "stale_version",
                       f"{entity} {ident} was changed by someone else meanwhile (version "
                       f"{row.version}, the edit was made on {expected}); reload "
                       f"it and apply the edit again", current=to_payload(row))


def _write(session: Session, ctx: ActionContext, entity: str, row: _Row | None,
           make: Callable[[], _Row], values: dict[str, Any], district_id: str,
           expected: int | None) -> tuple[_Row, str]:
    """Create or update one row through the import's row-level path
    (:func:`central.registry_write.merge_row`, with the version check a single edit needs);
    feed and audit. Returns the row and what happened ("added", "updated" or "unchanged")."""
    if row is not None:
        model, ident = type(row), row.id
        old = registry_write.load_row(session, model, ident)
        new = {**values, "id": ident}
    else:
        made = make()  # the new row's key columns, as the handler names them
        model, old = type(made), None
        given = {k: v for k, v in vars(made).items() if not k.startswith("_")}
        new = registry_write.new_row(model, {**given, **values})
        ident = new["id"]
    plan = registry_write._Plan(model, entity)
    try:
        _, outcome = registry_write.merge_row(old, new, plan, registry_write.Counts(),
                                              expected_version=expected, versioned=True,
                                              entity=entity)
    except registry_write.StaleRow as exc:
        raise ApiError(409, exc.code, str(exc), current=_payload(model, exc.current)) from None
    if row is not None:
        session.flush()  # the ORM's pending changes go first: the write below is the last
    plan.apply(session)
    out = session.get(model, ident, populate_existing=True)
    assert out is not None
    if outcome != "unchanged":
        audit(session, ctx, f"{entity}.save", district_id,
              detail=f"{outcome} {ident}: "
                     + json.dumps(values, ensure_ascii=False, default=str)[:1500])
    return out, outcome


def _payload(model: type[_Row], row: dict[str, Any]) -> dict[str, Any]:
    from types import SimpleNamespace

    from db.serialize import payload_of

    return payload_of(model, SimpleNamespace(**row))


def _retire(session: Session, ctx: ActionContext, entity: str, row: _Row, district_id: str,
            expected: int | None, label: str) -> dict[str, Any]:
    if expected is not None:
        _check_version(row, entity, expected)
    changes.record(session, row, deleted=True)
    session.delete(row)
    audit(session, ctx, f"{entity}.retire", district_id,
          detail=f"{row.id}: {label}")
    return {"retired": {"entity": entity, "id": row.id}}


def _in_use(what: str, ident: str, reason: str) -> ApiError:
    return ApiError(409, "in_use", f"{what} {ident} cannot be retired: {reason}")


def _field(where: str, rule: Callable[[Any], Any], value: Any) -> Any:
    """``value`` through its ledger field rule (the same the import and the console apply);
    a refusal names the field and the rule's reason code."""
    try:
        return rule(value)
    except fields.FieldError as exc:
        raise ApiError(422, "invalid_payload", f"payload.{where}: {exc.message}",
                       reason=exc.code) from None


def _count(session: Session, model: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# --------------------------------------------------------------------------- districts


def district_save(session: Session, ctx: ActionContext, p: r.DistrictSave) -> dict[str, Any]:
    if _scope(ctx, "edit districts") is not None:
        raise forbidden("districts are edited by a city-wide administrator")
    row = session.get(District, p.id)
    out, outcome = _write(session, ctx, "district", row, lambda: District(id=p.id),
                          {"name": p.name.strip(), "name_en": p.name_en.strip()}, p.id,
                          p.expected_version)
    return {"district": to_payload(out), "outcome": outcome}


# --------------------------------------------------------------------------- streets, grids


def street_save(session: Session, ctx: ActionContext, p: r.StreetSave) -> dict[str, Any]:
    scope = _scope(ctx, "edit streets")
    row = _existing(session, scope, Street, "street", p.id, lambda s: s.district_id)
    _district(session, scope, p.district_id, "district_id")
    if row is not None and row.district_id != p.district_id:
        raise invalid(f"payload.district_id: street {row.id} belongs to district "
                      f"{row.district_id}; a street does not move between districts")
    out, outcome = _write(session, ctx, "street", row, lambda: Street(id=p.id),
                          {"district_id": p.district_id, "name": p.name.strip()},
                          p.district_id, p.expected_version)
    return {"street": to_payload(out), "outcome": outcome}


def _street(session: Session, street_id: str | None, district_id: str, where: str) -> None:
    if street_id is None:
        return
    street = session.get(Street, street_id)
    if street is None or street.district_id != district_id:
        raise ApiError(404, "not_found", f"payload.{where}: no street {street_id} in "
                                         f"district {district_id}")


def grid_save(session: Session, ctx: ActionContext, p: r.GridSave) -> dict[str, Any]:
    scope = _scope(ctx, "edit communities")
    row = _existing(session, scope, Grid, "grid", p.id, lambda g: g.district_id)
    _district(session, scope, p.district_id, "district_id")
    if row is not None and row.district_id != p.district_id:
        raise invalid(f"payload.district_id: community {row.id} belongs to district "
                      f"{row.district_id}; a community does not move between districts")
    _street(session, p.street_id, p.district_id, "street_id")
    values = {"district_id": p.district_id, "street_id": p.street_id, "name": p.name.strip(),
              "officer_name": p.officer_name.strip(), "officer_phone": p.officer_phone.strip()}
    out, outcome = _write(session, ctx, "grid", row, lambda: Grid(id=p.id), values,
                          p.district_id, p.expected_version)
    return {"grid": to_payload(out), "outcome": outcome}


# --------------------------------------------------------------------------- businesses


def _unique(session: Session, model: Any, column: Any, value: str, own_id: str,
            scope: str | None, words: str, where: str) -> None:
    """A natural key (credit code, licence number, GB/T 28181 code) names one row only."""
    if not value:
        return
    other = session.execute(select(model.id, model.district_id)
                            .where(column == value, model.id != own_id)
                            .limit(1)).first()
    if other is not None:
        whose = other[0] if _visible(scope, other[1]) else "a business of another district"
        raise ApiError(409, "duplicate", f"payload.{where}: {words} {value} is already "
                                         f"registered ({whose})")


def business_save(session: Session, ctx: ActionContext, p: r.BusinessSave) -> dict[str, Any]:
    scope = _scope(ctx, "edit businesses")
    row = _existing(session, scope, Business, "business", p.id, lambda b: b.district_id)
    _district(session, scope, p.district_id, "district_id")
    if row is not None and row.district_id != p.district_id:
        raise invalid(f"payload.district_id: business {row.id} belongs to district "
                      f"{row.district_id}; to move it, retire it and register it in the other "
                      f"district")
    street_id = p.street_id
    if p.grid_id is not None:
        grid = session.get(Grid, p.grid_id)
        if grid is None or grid.district_id != p.district_id:
            raise ApiError(404, "not_found", f"payload.grid_id: no community {p.grid_id} in "
                                             f"district {p.district_id}")
        if street_id is None:
            street_id = grid.street_id
        elif grid.street_id is not None and grid.street_id != street_id:
            raise invalid(f"payload.grid_id: community {grid.id} lies in street "
                          f"{grid.street_id}, not {street_id}")
    _street(session, street_id, p.district_id, "street_id")
    latitude, longitude = _field("latitude", lambda pair: fields.coordinates(*pair),
                                 (p.latitude, p.longitude))
    credit = _field("credit_code", fields.credit_code, p.credit_code)
    _unique(session, Business, Business.credit_code, credit, p.id, scope, "credit code",
            "credit_code")
    licence = _field("licence_no", fields.licence_no, p.licence_no)
    _unique(session, Business, Business.licence_no, licence, p.id, scope, "licence number",
            "licence_no")
    values: dict[str, Any] = {
        "district_id": p.district_id, "street_id": street_id, "grid_id": p.grid_id,
        "name": p.name.strip(), "category": p.category, "address": p.address.strip(),
        "credit_code": credit, "licence_no": licence, "licence_expiry": p.licence_expiry,
        "latitude": latitude, "longitude": longitude,
        **{key: fields.text(getattr(p, key)) for key in (
            "official_name", "director_name", "contact_name")},
        **{key: _field(key, fields.phone, getattr(p, key)) for key in (
            "official_phone", "director_phone", "contact_phone")}}
    out, outcome = _write(session, ctx, "business", row, lambda: Business(id=p.id), values,
                          p.district_id, p.expected_version)
    return {"business": to_payload(out), "outcome": outcome}


def _open_work(session: Session, *, business_id: str | None = None,
               camera_id: str | None = None) -> str:
    """Why a business (camera) cannot go yet: its open alarms and tasks, or ""."""
    which = (Alarm.business_id == business_id if business_id is not None
             else Alarm.camera_id == camera_id)
    alarms = _count(session, Alarm, Alarm.state.notin_(FINISHED_ALARMS), which)
    tasks = _count(session, Task, Task.business_id == business_id,
                   Task.state.in_(sorted(OPEN_STATES))) if business_id is not None else 0
    parts = [f"{alarms} open alarms" if alarms else "", f"{tasks} open tasks" if tasks else ""]
    reason = " and ".join(part for part in parts if part)
    return f"it has {reason}; close or dismiss them first" if reason else ""


# --------------------------------------------------------------------------- devices


def _business(session: Session, scope: str | None, business_id: str) -> Business:
    business = session.get(Business, business_id)
    if business is None or not _visible(scope, business.district_id):
        raise not_found("business", business_id)
    return business


def camera_save(session: Session, ctx: ActionContext, p: r.CameraSave) -> dict[str, Any]:
    scope = _scope(ctx, "edit cameras")
    row = _existing(session, scope, Camera, "camera", p.id, lambda c: c.district_id)
    business = _business(session, scope, p.business_id)
    if row is not None and row.business_id != business.id:
        raise invalid(f"payload.business_id: camera {row.id} belongs to business "
                      f"{row.business_id}; a camera does not move between businesses")
    gb_code = _field("gb_code", fields.gb_code, p.gb_code)
    _unique(session, Camera, Camera.gb_code, gb_code, p.id, scope, "GB/T 28181 code",
            "gb_code")
    urls = {key: _field(key, fields.stream_url, getattr(p, key))
            for key in ("main_url", "sub_url", "playback_url")}
    if not urls["main_url"]:
        raise invalid("payload.main_url: a value is required")
    values: dict[str, Any] = {
        "business_id": business.id, "district_id": business.district_id,
        "name": fields.text(p.name), "gb_code": gb_code,
        "location": fields.text(p.location), **urls, "public": p.public}
    out, outcome = _write(session, ctx, "camera", row, lambda: Camera(id=p.id), values,
                          business.district_id, p.expected_version)
    return {"camera": to_payload(out), "outcome": outcome}


def checked_params(kind: str, params: dict[str, Any], current: dict[str, Any] | None = None
                   ) -> dict[str, Any]:
    """The parameters a sensor of ``kind`` keeps (``current`` overlaid with ``params``; a null
    value goes back to the default), within the bounds of :data:`domain.rules.PARAM_RANGES`.
    ``sensor.params`` (central.actions) and ``sensor.save`` share it, so a limit is bounded the
    same whichever way it is set."""
    allowed = set(DEFAULT_PARAMS.get(kind, {}))
    for key in params:
        if key not in allowed:
            raise invalid(f"payload.params.{key}: not a parameter of a {kind} sensor "
                          f"(those are {', '.join(sorted(allowed))})")
    merged = {**(current or {}), **params}
    merged = {k: v for k, v in merged.items() if v is not None}  # null: back to the default
    try:
        params_for(kind, merged)
    except ParamsError as exc:
        raise invalid(f"payload.{exc}") from exc
    return merged


def sensor_save(session: Session, ctx: ActionContext, p: r.SensorSave) -> dict[str, Any]:
    scope = _scope(ctx, "edit sensors")
    row = _existing(session, scope, Sensor, "sensor", p.id, lambda s: s.district_id)
    business = _business(session, scope, p.business_id)
    if row is not None and row.business_id != business.id:
        raise invalid(f"payload.business_id: sensor {row.id} belongs to business "
                      f"{row.business_id}; a sensor does not move between businesses")
    if p.camera_id is not None:
        camera = session.get(Camera, p.camera_id)
        if camera is None or camera.business_id != business.id:
            raise ApiError(404, "not_found", f"payload.camera_id: no camera {p.camera_id} of "
                                             f"business {business.id}")
    given = p.params.model_dump(exclude_unset=True) if p.params is not None else {}
    kept = row.params if row is not None and row.kind == p.kind else {}
    params = checked_params(p.kind, given, kept)
    values: dict[str, Any] = {
        "business_id": business.id, "district_id": business.district_id,
        "camera_id": p.camera_id, "kind": p.kind, "location": p.location.strip(),
        "interval_s": p.interval_s, "params": params}
    out, outcome = _write(session, ctx, "sensor", row, lambda: Sensor(id=p.id), values,
                          business.district_id, p.expected_version)
    return {"sensor": to_payload(out), "outcome": outcome}


# --------------------------------------------------------------------------- onboarding


def onboarding_target_set(session: Session, ctx: ActionContext,
                          p: r.OnboardingTargetSet) -> dict[str, Any]:
    """One target per district and street ("" = the whole district), found by that key."""
    scope = _scope(ctx, "set onboarding targets")
    _district(session, scope, p.district_id, "district_id")
    _street(session, p.street_id or None, p.district_id, "street_id")
    row = session.scalar(select(OnboardingTarget).where(
        OnboardingTarget.district_id == p.district_id,
        OnboardingTarget.street_id == p.street_id))
    expected = p.expected_version if row is not None else None
    if row is not None and expected is None:
        expected = row.version  # a target is one number: the last word wins, audited
    out, outcome = _write(session, ctx, "onboarding_target", row,
                          lambda: OnboardingTarget(district_id=p.district_id,
                                                   street_id=p.street_id),
                          {"businesses": p.businesses}, p.district_id, expected)
    return {"onboarding_target": to_payload(out), "outcome": outcome}


# --------------------------------------------------------------------------- retiring


def _business_goes(session: Session, row: Business, expected: int | None) -> None:
    """A business goes with its cameras and sensors (they cannot be anyone else's), and not
    while it has open work."""
    reason = _open_work(session, business_id=row.id)
    if reason:
        raise _in_use("business", row.id, reason)
    if expected is not None:
        _check_version(row, "business", expected)
    for model in (Sensor, Camera):
        for device in session.scalars(select(model).where(model.business_id == row.id)):
            changes.record(session, device, deleted=True)
            session.delete(device)
    session.flush()  # the devices go first: the business's row is what their keys point to


def _camera_goes(session: Session, row: Camera, expected: int | None) -> None:
    """Not while it has open alarms; the room's sensors stay, without a picture."""
    reason = _open_work(session, camera_id=row.id)
    if reason:
        raise _in_use("camera", row.id, reason)
    for sensor in session.scalars(select(Sensor).where(Sensor.camera_id == row.id)):
        sensor.camera_id = None
        bump(session, sensor)


@dataclass(frozen=True)
class RetireRule:
    """How one kind of row leaves the registry: what must be gone from below it first, and
    what else happens (``steps``: open-work checks, rows that go or change with it)."""

    model: type[Any]
    words: str  # the row as messages name it
    plural: str
    district_of: Callable[[Any], str]
    children: tuple[tuple[Any, Any, str], ...] = ()  # (model, its column naming the row, words)
    label: Callable[[Any], str] = lambda row: str(row.name)
    steps: Callable[[Session, Any, int | None], None] | None = None
    city_wide_only: bool = False


RETIRE_RULES: dict[str, RetireRule] = {
    "district": RetireRule(District, "district", "districts", lambda d: d.id,
                           ((Street, Street.district_id, "streets"),
                            (Grid, Grid.district_id, "communities"),
                            (Business, Business.district_id, "businesses")),
                           city_wide_only=True),
    "street": RetireRule(Street, "street", "streets", lambda s: s.district_id,
                         ((Grid, Grid.street_id, "communities"),
                          (Business, Business.street_id, "businesses"))),
    "grid": RetireRule(Grid, "community", "communities", lambda g: g.district_id,
                       ((Business, Business.grid_id, "businesses"),)),
    "business": RetireRule(Business, "business", "businesses", lambda b: b.district_id,
                           steps=_business_goes),
    "camera": RetireRule(Camera, "camera", "cameras", lambda c: c.district_id,
                         steps=_camera_goes),
    "sensor": RetireRule(Sensor, "sensor", "sensors", lambda s: s.district_id,
                         label=lambda s: f"{s.kind} {s.location}"),
}


def _retire_handler(entity: str, rule: RetireRule) -> Handler:
    """The ``<entity>.retire`` action of one rule: scope, the row, what is still below it,
    the rule's own steps, then out of the registry with feed and audit."""

    def handler(session: Session, ctx: ActionContext, p: r.Retire) -> dict[str, Any]:
        scope = _scope(ctx, f"retire {rule.plural}")
        if rule.city_wide_only and scope is not None:
            raise forbidden(f"{rule.plural} are retired by a city-wide administrator")
        row = _existing(session, scope, rule.model, entity, p.id, rule.district_of)
        if row is None:
            raise not_found(entity, p.id)
        for model, column, words in rule.children:
            n = _count(session, model, column == row.id)
            if n:
                raise _in_use(rule.words, row.id, f"it still has {n} {words}")
        if rule.steps is not None:
            rule.steps(session, row, p.expected_version)
        return _retire(session, ctx, entity, row, rule.district_of(row), p.expected_version,
                       rule.label(row))

    handler.__name__ = f"{entity}_retire"
    return handler


HANDLERS: dict[str, Handler] = {
    "district.save": district_save,
    "street.save": street_save,
    "grid.save": grid_save,
    "business.save": business_save,
    "camera.save": camera_save,
    "sensor.save": sensor_save,
    "onboarding_target.set": onboarding_target_set,
    **{f"{entity}.retire": _retire_handler(entity, rule)
       for entity, rule in RETIRE_RULES.items()},
}
assert HANDLERS.keys() == r.PAYLOADS.keys(), "every registry action has a payload model"
