"""The domain model shared by the central server and the console's local cache.

This is a Qt-free zone. Both programs use the same declarative classes: central persists
everything here; the console keeps a synced copy of the registry, alarms and tasks, and owns
its outbox, sync cursor and layouts. Tables either side alone uses are declared here too (see
the "central-only" section), so that one chain of Alembic migrations describes every table.

The words the columns hold (states, kinds, roles, severities) and the identifier and clock
helpers are defined in :mod:`domain` and stored as their string (or integer) values, so the
database content and the wire format are those values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# The vocabulary lives in :mod:`domain` (Qt- and SQLAlchemy-free); it is re-exported here
# because the columns below store it and older imports name it through this module.
from domain.alarms import AiViolation, AlarmKind, AlarmState, Severity
from domain.clock import utcnow
from domain.ids import new_id
from domain.patrol import PatrolVerdict
from domain.registry import BusinessCategory, SensorKind
from domain.roles import Role
from domain.tasks import TaskState

__all__ = [  # the tables and, re-exported, the vocabulary from domain
    "SYNCED_ENTITIES",
    "AiViolation",
    "Alarm",
    "AlarmKind",
    "AlarmState",
    "AppliedAction",
    "AuditEntry",
    "AuthToken",
    "Base",
    "Bulletin",
    "Business",
    "BusinessCategory",
    "Camera",
    "ChangeLog",
    "DisinfectionCycle",
    "District",
    "Grid",
    "OnboardingTarget",
    "OutboxAction",
    "PatrolPlan",
    "PatrolRecord",
    "PatrolVerdict",
    "Reading",
    "RecordingLock",
    "RecordingPolicy",
    "RecordingSegment",
    "Role",
    "RuleState",
    "SavedLayout",
    "Sensor",
    "SensorKind",
    "Severity",
    "Street",
    "SyncState",
    "Task",
    "TaskEvent",
    "TaskState",
    "UTCDateTime",
    "User",
    "new_id",
    "utcnow",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and returns them aware.

    SQLite has no time zones; without this a round trip silently drops tzinfo and naive and
    aware values stop comparing.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, date: Date}

    if TYPE_CHECKING:
        # Every model here maps one Table, never a join or a subquery (SQLAlchemy types it as
        # any FromClause): bulk statements and the change log use its Table methods.
        __table__: ClassVar[Table]


# --------------------------------------------------------------------------- registry


class District(Base):
    __tablename__ = "districts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class Street(Base):
    """A street or township (街道/乡镇), between a district and its communities. Ledgers name
    the street of almost every kitchen even where the community (网格) is not known, so a
    business may point at a street directly."""

    __tablename__ = "streets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Grid(Base):
    """A street / grid inside a district (the three-level network's middle level)."""

    __tablename__ = "grids"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("districts.id"), index=True)
    street_id: Mapped[str | None] = mapped_column(ForeignKey("streets.id"), nullable=True,
                                                  index=True)
    name: Mapped[str] = mapped_column(String(64))
    officer_name: Mapped[str] = mapped_column(String(32), default="")
    officer_phone: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class Business(Base):
    __tablename__ = "businesses"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("districts.id"), index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"), index=True)
    street_id: Mapped[str | None] = mapped_column(ForeignKey("streets.id"), nullable=True,
                                                  index=True)
    name: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(256), default="")
    # 统一社会信用代码 (18 characters): the natural key a ledger import matches on first.
    credit_code: Mapped[str] = mapped_column(String(18), default="", index=True)
    licence_no: Mapped[str] = mapped_column(String(64), default="", index=True)
    licence_expiry: Mapped[date | None] = mapped_column(Date, nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)  # WGS-84 degrees
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    official_name: Mapped[str] = mapped_column(String(32), default="")  # 包保 official
    official_phone: Mapped[str] = mapped_column(String(32), default="")
    # The 包保 official's account (issue 18): set by the action baobao.assign, or by a ledger
    # import whose 包保责任人 name and phone match an account. The two text fields above stay:
    # a ledger may name an official who has no account yet.
    official_user_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True,
                                                         default=None)
    director_name: Mapped[str] = mapped_column(String(32), default="")  # 食品安全总监/员
    director_phone: Mapped[str] = mapped_column(String(32), default="")
    contact_name: Mapped[str] = mapped_column(String(32), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class Camera(Base):
    __tablename__ = "cameras"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id"), index=True)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64))
    # GB/T 28181 device/channel code (20 digits): a camera's natural key in ledgers.
    gb_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    location: Mapped[str] = mapped_column(String(64), default="")  # e.g. hot kitchen, 专间
    main_url: Mapped[str] = mapped_column(String(512), default="")
    sub_url: Mapped[str] = mapped_column(String(512), default="")
    # Where the camera's own platform keeps its recordings (RTSP with a start time, or HLS).
    playback_url: Mapped[str] = mapped_column(String(512), default="")
    # May be shown to the public (阳光厨房 on a phone or a screen in the dining room).
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    health: Mapped[str] = mapped_column(String(32), default="unknown")
    # When a report first said the camera was online or playing: onboarding's "ever online"
    # (its health today says nothing about a camera that has gone offline since, or that
    # only ever reported "offline").
    first_online_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Sensor(Base):
    __tablename__ = "sensors"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    business_id: Mapped[str] = mapped_column(ForeignKey("businesses.id"), index=True)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    camera_id: Mapped[str | None] = mapped_column(String(48), nullable=True)  # same room
    kind: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(64), default="")
    # Rule parameters; defaults in db.rules.default_params(kind).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    interval_s: Mapped[int] = mapped_column(Integer, default=60)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    last_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_humidity: Mapped[float | None] = mapped_column(Float, nullable=True)
    last_ts: Mapped[datetime | None] = mapped_column(nullable=True)
    rule_state: Mapped[str] = mapped_column(String(32), default="normal")
    version: Mapped[int] = mapped_column(Integer, default=1)


class Reading(Base):
    """One sensor sample. Not in the change feed (too many): live over the WebSocket and
    fetched by range for trends."""

    __tablename__ = "readings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sensor_id: Mapped[str] = mapped_column(String(48))
    ts: Mapped[datetime] = mapped_column()
    value: Mapped[float] = mapped_column(Float)  # temperature °C
    humidity: Mapped[float | None] = mapped_column(Float, nullable=True)  # %RH
    __table_args__ = (Index("ix_readings_sensor_ts", "sensor_id", "ts"),)


# --------------------------------------------------------------------------- alarms, tasks


class Alarm(Base):
    __tablename__ = "alarms"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    subtype: Mapped[str] = mapped_column(String(32), default="")  # AI violation, rule name
    severity: Mapped[int] = mapped_column(Integer, default=Severity.MAJOR)
    state: Mapped[str] = mapped_column(String(16), default=AlarmState.OPEN)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    business_id: Mapped[str] = mapped_column(String(32), index=True)
    camera_id: Mapped[str | None] = mapped_column(String(48), nullable=True)
    sensor_id: Mapped[str | None] = mapped_column(String(48), nullable=True)
    # One open alarm per condition: the key aggregates repeats (count) instead of flooding.
    condition_key: Mapped[str] = mapped_column(String(160), index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)
    evidence_url: Mapped[str] = mapped_column(String(512), default="")
    evidence_box: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The AI box's own clip of the event (/media/<sha256>.mp4 or .ts); "" when none came.
    evidence_clip_url: Mapped[str] = mapped_column(String(512), default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acked_by: Mapped[str] = mapped_column(String(64), default="")
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    dismiss_reason: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Task(Base):
    """An inspection task dispatched from an alarm (or a patrol finding)."""

    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    alarm_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    business_id: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16), default=TaskState.DISPATCHED)
    assignee: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(256), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence_url: Mapped[str] = mapped_column(String(512), default="")
    severity: Mapped[int] = mapped_column(Integer, default=Severity.MAJOR)
    deadline: Mapped[datetime | None] = mapped_column(nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)  # 挂牌督办
    supervisor: Mapped[str] = mapped_column(String(64), default="")
    # Who answers for it now: street → district → city (domain.deadlines.LEVELS); an overdue
    # task moves up one level by itself (central.deadlines).
    level: Mapped[str] = mapped_column(String(16), default="street")
    # The 挂牌督办 deadline: set when the task is escalated, checked instead of ``deadline``.
    supervision_deadline: Mapped[datetime | None] = mapped_column(nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Jobs that create tasks by themselves (licence reminders) name what the task is about,
    # so a second run, or a second worker, cannot create it twice: unique where set.
    origin_key: Mapped[str | None] = mapped_column(String(96), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("origin_key", name="uq_tasks_origin_key"),)


class TaskEvent(Base):
    """One step of a task's timeline: who did what, when, with which attachment."""

    __tablename__ = "task_events"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(String(32), index=True)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_url: Mapped[str] = mapped_column(String(512), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class PatrolPlan(Base):
    __tablename__ = "patrol_plans"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(128))
    district_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # Selection: {"grid_ids": [...], "categories": [...], "business_ids": [...]}
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    times_per_period: Mapped[int] = mapped_column(Integer, default=1)
    period_days: Mapped[int] = mapped_column(Integer, default=30)
    version: Mapped[int] = mapped_column(Integer, default=1)


class PatrolRecord(Base):
    """Trace supervision (痕迹化监督): every look at a business leaves one of these."""

    __tablename__ = "patrol_records"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    plan_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    business_id: Mapped[str] = mapped_column(String(32), index=True)
    user: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot_url: Mapped[str] = mapped_column(String(512), default="")
    task_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuditEntry(Base):
    """Who did what to which alarm/task, recorded where it happened and synced."""

    __tablename__ = "audit_entries"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    user: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    alarm_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    task_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class User(Base):
    """A person who logs in. ``password_hash`` only ever exists in central's database."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    district_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A street-level account sees only its street within its district.
    street_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # A community-level (社区/网格) 包保 official's community, within the street.
    grid_id: Mapped[str | None] = mapped_column(String(32), nullable=True, default=None)
    phone: Mapped[str] = mapped_column(String(32), default="")
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    # Set by an administrator's reset: the next login must choose a new password first.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class OnboardingTarget(Base):
    """How many kitchens a district (or one of its streets) is to connect: the denominator of
    onboarding progress (接入率), set by an administrator."""

    __tablename__ = "onboarding_targets"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    street_id: Mapped[str] = mapped_column(String(32), default="")  # "": the whole district
    businesses: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("district_id", "street_id",
                                       name="uq_onboarding_target_place"),)


# --------------------------------------------------------------------------- console-local


class SavedLayout(Base):
    __tablename__ = "saved_layouts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    screen: Mapped[int] = mapped_column(Integer, default=0)
    # {"layout": "9", "cells": [camera_id | None, ...], "merged": [...]}
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncState(Base):
    """Key/value sync bookkeeping: the change-feed cursor, server URL, last contact."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class OutboxAction(Base):
    """An operator action waiting for the server's acknowledgement.

    Written in the same transaction as the action's local effect, so a crash can never keep
    one without the other. ``idem_key`` makes the server apply it exactly once.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idem_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|acked|rejected
    error: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_outbox_state_id", "state", "id"),)


# --------------------------------------------------------------------------- central-only


class ChangeLog(Base):
    """Latest-state change feed: one row per entity, re-inserted with a new ``seq`` on every
    change. Reading from 0 is therefore a full snapshot and the table never outgrows the
    registry; reading from a cursor gives exactly what changed since."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(48))
    district_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", name="uq_change_log_entity"),
        {"sqlite_autoincrement": True},
    )


class AppliedAction(Base):
    """Idempotency ledger: an action key seen once is answered from here ever after."""

    __tablename__ = "applied_actions"
    idem_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(48))
    status: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ts: Mapped[datetime] = mapped_column(default=utcnow)


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    expires_at: Mapped[datetime] = mapped_column()


class RuleState(Base):
    """The rule evaluator's memory of one sensor (hold timers, cycle progress), as JSON.

    Derived state, read and written by :mod:`central.rule_state` with Core statements: it may
    be emptied at any time (the rules then start afresh, as after installing). ``updated_at``
    is a naive UTC stamp, strictly increasing per process, compared for equality to tell this
    worker's own last write from anyone else's, so it is a plain ``DateTime``. Installations
    from before migration 0002 created the table by hand at start-up; 0002 adopts it."""

    __tablename__ = "central_rule_state"
    sensor_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# --------------------------------------------------------------------------- recordings
# Central-only: the recorders' index of video segments, what to record, and evidence locks.


class RecordingPolicy(Base):
    """What to record: ``continuous`` or ``alarm`` (pre/post roll) for a camera, a business or a
    district (the most specific wins), or ``demand`` for one camera until ``until``.

    Retention is per policy: a segment is kept ``retention_days`` after it ended, unless a
    lock covers it."""

    __tablename__ = "recording_policies"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    mode: Mapped[str] = mapped_column(String(16))
    camera_id: Mapped[str | None] = mapped_column(String(48), nullable=True, index=True)
    business_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    district_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    retention_days: Mapped[int] = mapped_column(Integer)
    pre_s: Mapped[int] = mapped_column(Integer, default=10)
    post_s: Mapped[int] = mapped_column(Integer, default=20)
    until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordingSegment(Base):
    """One finished segment file: ``path`` is relative to its recorder's store root."""

    __tablename__ = "recording_segments"
    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    recorder: Mapped[str] = mapped_column(String(64))
    camera_id: Mapped[str] = mapped_column(String(48))
    district_id: Mapped[str] = mapped_column(String(32))
    start: Mapped[datetime] = mapped_column()
    end: Mapped[datetime] = mapped_column()
    bytes: Mapped[int] = mapped_column(Integer)
    codec: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(256))
    reason: Mapped[str] = mapped_column(String(16))  # continuous | alarm | demand
    # end + the policy's retention: retention deletes it after this, unless a lock covers it.
    expires_at: Mapped[datetime] = mapped_column()
    __table_args__ = (Index("ix_recording_segments_camera_start", "camera_id", "start"),
                      Index("ix_recording_segments_recorder_expires", "recorder", "expires_at"),
                      Index("ix_recording_segments_recorder_start", "recorder", "start"))


class RecordingLock(Base):
    """Evidence lock: no retention or quota deletes a segment overlapping [start, end)."""

    __tablename__ = "recording_locks"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    camera_id: Mapped[str] = mapped_column(String(48), index=True)
    district_id: Mapped[str] = mapped_column(String(32))
    start: Mapped[datetime] = mapped_column()
    end: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --------------------------------------------------------------------------- bureau work
# Central-only: the disinfection ledger written from sensor evidence, and the bulletins.


class DisinfectionCycle(Base):
    """One disinfection-cabinet cycle the rules judged (清洗消毒台账), or one missing cycle:
    ``valid`` False with ``missing`` True means no valid cycle before that meal service."""

    __tablename__ = "disinfection_cycles"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    business_id: Mapped[str] = mapped_column(String(32), index=True)
    district_id: Mapped[str] = mapped_column(String(32))
    sensor_id: Mapped[str] = mapped_column(String(48))
    day: Mapped[date] = mapped_column(Date)  # local date of the meal service
    meal: Mapped[str] = mapped_column(String(16))  # breakfast | lunch | dinner
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    peak_c: Mapped[float | None] = mapped_column(Float, nullable=True)
    held_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    missing: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("sensor_id", "day", "meal",
                                       name="uq_disinfection_cycle_meal"),)


class Bulletin(Base):
    """A 督查通报 of one district and period: drafted by central from the figures, approved and
    published by a person (draft → approved → published). ``content`` holds the figures and
    the red/black lists as drafted, so what was approved is what is published."""

    __tablename__ = "bulletins"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    period: Mapped[str] = mapped_column(String(16))  # 2026-11 or 2026-W47
    state: Mapped[str] = mapped_column(String(16), default="draft")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    published_by: Mapped[str] = mapped_column(String(64), default="")
    published_at: Mapped[datetime | None] = mapped_column(nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("district_id", "period", name="uq_bulletin_period"),)
# --------------------------------------------------------------------------- 包保 (issue 18)


class Checklist(Base):
    """One version of a business category's standard checklist (格式化检查). Versions are
    never changed: an edit adds the next one, and a visit names the version it used."""

    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("category", "version", name="uq_checklists_version"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    category: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BaobaoVisit(Base):
    """A 包保 visit (on site or online) with a verdict per checklist item (central only)."""

    __tablename__ = "baobao_visits"
    __table_args__ = (Index("ix_baobao_visits_business_started", "business_id", "started_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    business_id: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(String(64), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    verdict: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    checklist_version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class ViewRecord(Base):
    """Who watched which camera, when and for how long (痕迹化监督; central only)."""

    __tablename__ = "view_records"
    __table_args__ = (Index("ix_view_records_business_started", "business_id", "started_at"),
                      Index("ix_view_records_user_started", "user", "started_at"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    district_id: Mapped[str] = mapped_column(String(32), index=True)
    business_id: Mapped[str] = mapped_column(String(32))
    camera_id: Mapped[str] = mapped_column(String(48))
    user: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column()
    seconds: Mapped[int] = mapped_column(Integer)


class MajorEventRow(Base):
    """A major event (重大活动保障): its reception kitchens, its period and the tighter limits
    that apply to them during it (``domain.major_events``). Central-only: read through
    ``GET /api/major-events``."""

    __tablename__ = "major_events"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(128))
    district_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    business_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class EventSignoff(Base):
    """One meal of one reception kitchen signed off: who, when, the verdict and a snapshot."""

    __tablename__ = "event_signoffs"
    __table_args__ = (UniqueConstraint("event_id", "business_id", "day", "meal"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(32), index=True)
    district_id: Mapped[str] = mapped_column(String(32))
    business_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(16))
    user: Mapped[str] = mapped_column(String(64))
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot_url: Mapped[str] = mapped_column(String(512), default="")

# Entities carried by the change feed, by their feed name.
SYNCED_ENTITIES: dict[str, type[Base]] = {
    "district": District,
    "street": Street,
    "grid": Grid,
    "business": Business,
    "camera": Camera,
    "sensor": Sensor,
    "alarm": Alarm,
    "task": Task,
    "task_event": TaskEvent,
    "patrol_plan": PatrolPlan,
    "patrol_record": PatrolRecord,
    "audit": AuditEntry,
    "user": User,
    "onboarding_target": OnboardingTarget,
}
