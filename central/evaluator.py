"""Applies the rules of :mod:`central.rules` to stored sensors and devices.

Runs inside the ingest transaction (an alarm and the reading that raised it commit together)
and from the periodic checks (silent sensors, meal services). Sensor rows get their last value
and rule state on every batch; their change-feed entry is refreshed about once per sensor per
``sensor_feed_interval_s`` unless the rule state changes, so a city of sensors reporting every
few seconds does not flood consoles' feeds (live values travel as ``reading`` messages).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from central import bulk, changes, disinfection, rule_state
from central.alarms import apply_decision
from central.config import CentralConfig
from central.event_limits import recent_events
from central.rules import (
    Decision,
    ParamsError,
    SensorState,
    check_meal,
    evaluate,
    is_silent,
    meal_times_between,
    params_for,
)
from db.models import Camera, Reading, Sensor
from db.serialize import payload_of
from domain.alarms import AlarmKind, Severity
from domain.clock import utcnow
from domain.health import ALARMING, HEALTHY
from domain.major_events import MajorEvent, effective_params
from domain.registry import SensorKind
from domain.rules import RuleState

log = logging.getLogger("kitchenwatch.central.evaluator")
LIVE_PER_SENSOR = 20  # live messages per sensor per batch (a replayed backlog is not streamed)


@dataclass(frozen=True)
class ParsedReading:
    index: int
    sensor_id: str
    ts: datetime
    value: float
    humidity: float | None


# Ingest works on plain rows of the sensors table and writes them back with one set-based
# UPDATE: ORM objects (identity map, dirty tracking, per-row flush) cost more than the rules
# themselves at thousands of readings a second. The feed entry of a sensor is built from the
# same plain row, so every column is read.
_SENSOR_COLUMNS = tuple(column.key for column in Sensor.__table__.columns)
_SENSOR_WRITTEN = ("online", "rule_state", "last_value", "last_humidity", "last_ts", "version")


class SensorFacts:
    """A sensor row as ingest reads and changes it: the attributes of :class:`Sensor`, plus
    ``feed`` (its feed entry must be refreshed in this transaction)."""

    __slots__ = (*_SENSOR_COLUMNS, "feed")

    # The columns of Sensor, declared for the type checker (a test keeps them in step).
    id: str
    business_id: str
    district_id: str
    camera_id: str | None
    kind: str
    location: str
    params: dict[str, Any]
    interval_s: int
    online: bool
    last_value: float | None
    last_humidity: float | None
    last_ts: datetime | None
    rule_state: str
    version: int
    feed: bool

    def __init__(self, values: Sequence[Any]) -> None:
        for name, value in zip(_SENSOR_COLUMNS, values, strict=True):
            setattr(self, name, value)
        self.feed = False


@dataclass
class IngestResult:
    accepted: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    live: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)


class RuleEngine:
    """Rule evaluation against the database; holds only configuration and the meal cursor."""

    def __init__(self, config: CentralConfig) -> None:
        self.tz = ZoneInfo(config.timezone)
        self.feed_interval_s = max(config.sensor_feed_interval_s, 0.001)
        self.silent_factor = config.silent_factor
        self.meal_cursor: datetime | None = None
        self._bad_params: set[str] = set()
        self.written = rule_state.Written()  # this worker's last writes of the rule memory

    def params(self, sensor: Sensor | SensorFacts) -> dict[str, Any]:
        """The sensor's rule parameters; defaults (and one log line) if they are invalid."""
        try:
            return params_for(sensor.kind, sensor.params)
        except ParamsError as exc:
            if sensor.id not in self._bad_params:
                self._bad_params.add(sensor.id)
                log.warning("sensor %s: %s; using the defaults for %s", sensor.id, exc,
                            sensor.kind)
            return params_for(sensor.kind, None)

    # ------------------------------------------------------------------ readings
    def ingest(self, session: Session, readings: list[ParsedReading],
               district_scope: str | None = None) -> IngestResult:
        """Store readings, evaluate rules in time order per sensor, update sensor rows."""
        result = IngestResult()
        sensors = self._lock_sensors(session, sorted({r.sensor_id for r in readings}))
        by_sensor: dict[str, list[ParsedReading]] = defaultdict(list)
        for r in readings:
            sensor = sensors.get(r.sensor_id)
            if sensor is None or (district_scope and sensor.district_id != district_scope):
                result.rejected.append({"index": r.index, "error": "not_found",
                                        "message": f"readings[{r.index}].sensor_id: unknown "
                                                   f"sensor {r.sensor_id!r}"})
                continue
            by_sensor[r.sensor_id].append(r)
        # Only now, in statements that start after every lock is held, the rule memory: the
        # locking statement may have waited for another ingest of these sensors, and what it
        # could have joined would be the memory as it was before that ingest committed.
        loaded = rule_state.load(session, self.written, list(by_sensor),
                                 {sid: sensors[sid].last_ts for sid in by_sensor})
        states = loaded.states
        events = recent_events(session, utcnow()) if by_sensor else []
        rows: list[dict[str, Any]] = []
        for sensor_id, items in by_sensor.items():
            sensor = sensors[sensor_id]
            items.sort(key=lambda r: r.ts)
            rows.extend({"sensor_id": sensor_id, "ts": r.ts, "value": r.value,
                         "humidity": r.humidity} for r in items)
            result.accepted += len(items)
            fresh = self._evaluate_sensor(session, sensor, states[sensor_id], items, events)
            for r in fresh[-LIVE_PER_SENSOR:]:
                result.live.append(({"type": "reading", "sensor_id": sensor_id,
                                     "ts": r.ts.isoformat(), "value": r.value,
                                     "humidity": r.humidity, "rule_state": sensor.rule_state},
                                    sensor.district_id))
        bulk.insert_rows(session, Reading.__table__, rows)
        self._write_sensors(session, [sensors[sid] for sid in by_sensor])
        rule_state.save(session, self.written, loaded)
        result.rejected.sort(key=lambda item: item["index"])
        return result

    @staticmethod
    def _lock_sensors(session: Session, ids: list[str]) -> dict[str, SensorFacts]:
        """The sensors' rows, locked (PostgreSQL) in id order so that concurrent ingests of
        the same sensor take turns and two batches never wait for each other's rows. Ids not
        in the registry are simply absent (their readings are refused, nothing is written).

        Nothing else is read here: a row re-read after waiting for its lock is current, any
        other table read by the same statement is not (see :mod:`central.rule_state`)."""
        sensors: dict[str, SensorFacts] = {}
        table = Sensor.__table__
        columns = [table.c[name] for name in _SENSOR_COLUMNS]  # Core rows: no ORM objects
        for chunk in bulk.id_chunks(session, ids):
            for row in session.execute(select(*columns)
                                       .where(bulk.among(table.c.id, chunk, session))
                                       .order_by(table.c.id)
                                       .with_for_update(of=table)):
                facts = SensorFacts(row)
                sensors[facts.id] = facts
        return sensors

    @staticmethod
    def _write_sensors(session: Session, touched: list[SensorFacts]) -> None:
        """Store what ingest changed (one statement) and refresh the feed entries of the
        sensors consoles must hear about now."""
        bulk.update_rows(session, Sensor.__table__, "id",
                         [{"id": s.id, **{k: getattr(s, k) for k in _SENSOR_WRITTEN}}
                          for s in touched])
        for facts in touched:
            if facts.feed:
                changes.record_payload(session, "sensor", payload_of(Sensor, facts))

    def _evaluate_sensor(self, session: Session, sensor: SensorFacts, state: SensorState,
                         items: list[ParsedReading],
                         events: list[MajorEvent] | None = None) -> list[ParsedReading]:
        own = self.params(sensor)
        fresh = [r for r in items if state.last_ts is None or r.ts > state.last_ts]
        if not fresh:
            return fresh  # stored, but older than what the rules already saw
        for r in fresh:
            # a major event's tighter limits, while its period covers the reading
            params = effective_params(sensor.kind, own, sensor.business_id, events, r.ts) \
                if events else own
            for decision in evaluate(sensor.kind, params, state, r.ts, r.value, r.humidity,
                                     sensor.interval_s):
                apply_decision(session, decision, district_id=sensor.district_id,
                               business_id=sensor.business_id, sensor_id=sensor.id,
                               camera_id=sensor.camera_id, at=r.ts)
        last = fresh[-1]
        previous_ts = sensor.last_ts
        significant = sensor.rule_state != state.rule_state or not sensor.online
        if not sensor.online:
            sensor.online = True
            apply_decision(session, Decision(AlarmKind.DEVICE_OFFLINE, "offline", False),
                           district_id=sensor.district_id, business_id=sensor.business_id,
                           sensor_id=sensor.id, at=last.ts)
        sensor.last_value, sensor.last_humidity, sensor.last_ts = (last.value, last.humidity,
                                                                   last.ts)
        sensor.rule_state = state.rule_state
        if significant or previous_ts is None or (self._feed_slot(previous_ts)
                                                  != self._feed_slot(last.ts)):
            sensor.version += 1
            sensor.feed = True
        return fresh

    def _feed_slot(self, ts: datetime) -> int:
        """Which ``sensor_feed_interval_s``-long slot of time ``ts`` falls in: a sensor's feed
        entry is refreshed when its readings enter a new slot (about once per interval)
        without remembering when it was last refreshed."""
        return int(ts.timestamp() // self.feed_interval_s)

    # ------------------------------------------------------------------ periodic checks
    def check_silent(self, session: Session, now: datetime | None = None) -> int:
        """Mark sensors that stopped reporting offline, each with a ``device_offline`` alarm."""
        now = now or utcnow()
        count = 0
        for sensor in session.scalars(select(Sensor).where(Sensor.online.is_(True),
                                                           Sensor.last_ts.is_not(None))):
            last_ts = sensor.last_ts
            if last_ts is None or not is_silent(last_ts, sensor.interval_s, self.silent_factor,
                                                now):
                continue
            self.set_sensor_online(
                session, sensor, False,
                f"no reading since {last_ts.isoformat(timespec='seconds')} "
                f"(expected every {sensor.interval_s} s)", subtype="silent", at=now)
            count += 1
        if count:
            log.info("%d sensor(s) went silent", count)
        return count

    def check_meals(self, session: Session, now: datetime | None = None,
                    since: datetime | None = None) -> int:
        """``no_disinfection`` for cabinets without a valid cycle before a meal service that
        passed since the last check. Cabinets silent for a day are left to ``device_offline``.
        """
        now = now or utcnow()
        start = since or self.meal_cursor
        self.meal_cursor = now
        if start is None or start >= now:
            return 0  # first run after start-up: do not judge meals the server did not watch
        cabinets = list(session.scalars(select(Sensor).where(
            Sensor.kind == SensorKind.DISINFECTION_CABINET, Sensor.last_ts.is_not(None),
            Sensor.last_ts >= now - timedelta(days=1))))
        states = rule_state.load(session, self.written, [c.id for c in cabinets],
                                 {c.id: c.last_ts for c in cabinets}).states
        count = 0
        for cabinet in cabinets:
            params = self.params(cabinet)
            for meal in meal_times_between(params, self.tz, start, now):
                # The disinfection ledger (清洗消毒台账) gets the same verdict as the alarm.
                disinfection.record_meal(session, cabinet, params, states[cabinet.id], meal,
                                         self.tz)
                decision = check_meal(params, states[cabinet.id], meal, self.tz)
                if decision is not None:
                    apply_decision(session, decision, district_id=cabinet.district_id,
                                   business_id=cabinet.business_id, sensor_id=cabinet.id,
                                   camera_id=cabinet.camera_id, at=meal)
                    count += 1
        if count:
            log.info("%d cabinet(s) without a valid disinfection cycle before a meal", count)
        return count

    @staticmethod
    def purge_readings(session: Session, before: datetime, limit: int = 20_000) -> int:
        """Delete up to ``limit`` readings older than ``before`` (oldest first); the caller
        repeats in separate transactions so ingest never waits long behind a purge."""
        oldest = select(Reading.id).where(Reading.ts < before).order_by(Reading.id).limit(limit)
        ids = list(session.scalars(oldest))
        if ids:
            session.execute(Reading.__table__.delete().where(Reading.id.in_(ids)))
        return len(ids)

    # ------------------------------------------------------------------ device health
    def set_sensor_online(self, session: Session, sensor: Sensor, online: bool, reason: str,
                          subtype: str = "reported", at: datetime | None = None) -> None:
        if sensor.online != online or (not online and sensor.rule_state != RuleState.OFFLINE):
            sensor.online = online
            if not online:
                sensor.rule_state = RuleState.OFFLINE
            sensor.version += 1
            changes.record(session, sensor)
        label = sensor.location or sensor.id
        apply_decision(session, Decision(
            AlarmKind.DEVICE_OFFLINE, "offline", not online, Severity.MINOR,
            message=f"sensor {label} offline: {reason}" if reason else f"sensor {label} offline",
            subtype=subtype), district_id=sensor.district_id, business_id=sensor.business_id,
            sensor_id=sensor.id, at=at)

    def set_camera_health(self, session: Session, camera: Camera, health: str,
                          online: bool | None = None, reason: str = "") -> None:
        """Record a camera's stream health; offline, frozen or black raise ``device_offline``
        (subtype = the health) and a healthy report clears it. ``stalled`` (a viewer's own
        network trouble as often as the camera's) only updates the row."""
        if online is None:
            online = health not in ALARMING
        first_online = camera.first_online_at is None and health in HEALTHY
        if camera.health != health or camera.online != online or first_online:
            camera.health, camera.online = health, online
            if first_online:
                camera.first_online_at = utcnow()
            camera.version += 1
            changes.record(session, camera)
        if health in ALARMING or health in HEALTHY:
            text = f"camera {camera.name}: {health}" + (f" ({reason})" if reason else "")
            apply_decision(session, Decision(AlarmKind.DEVICE_OFFLINE, "offline",
                                             health in ALARMING, Severity.MINOR, message=text,
                                             subtype=health),
                           district_id=camera.district_id, business_id=camera.business_id,
                           camera_id=camera.id)
