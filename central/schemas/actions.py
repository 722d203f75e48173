"""``POST /api/actions``: the envelope and one payload model per action kind.

The description of the route is a discriminated union on ``kind``, so a client (or a fuzzer)
reads exactly which payload each kind takes. Fields a console sends because it keeps the whole
row locally but that central decides itself (who created it, its district, its version, its
timestamps) are declared as "ignored" rather than refused, so the console's drafts keep
applying; everything else is closed (``extra="forbid"``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union, cast

from pydantic import Field, create_model, model_validator

from central.schemas import accounts, bulletins
from central.schemas import baobao as bb
from central.schemas import recordings as rec
from central.schemas.common import (
    PATTERN_WORDS,
    CameraHealthWord,
    DeviceId,
    Id,
    MediaRef,
    Model,
    Reply,
    Timestamp,
    required_text,
    text,
)
from central.schemas.events import PAYLOADS as EVENT_PAYLOADS
from central.schemas.params import HHMM, Category, RuleParams, Version
from central.schemas.registry import PAYLOADS as REGISTRY_PAYLOADS

__all__ = ["HHMM", "Category", "RuleParams", "Version"]  # shared with the registry's actions

IDEM_KEY_PATTERN = r"^[!-~]{8,64}$"
IdemKey = Annotated[str, Field(min_length=8, max_length=64, pattern=IDEM_KEY_PATTERN,
                               description="printable ASCII without spaces (a uuid4 hex is "
                                           "ideal); a repeat returns the first answer")]
Assignee = Annotated[str, Field(max_length=64, pattern=r"^\S*$",
                                description="username of the assignee, or empty")]
IGNORED = "ignored: central sets it"
PATTERN_WORDS[r"^\S*$"] = "a username (no spaces) or empty"
# central.tasks.ACTIONS, written out so that the type checker reads a closed set (so are the
# other vocabularies here); tests/central/test_vocabularies.py keeps each equal to its source.
TaskAction = Literal["accept", "arrive", "close", "close_by_look", "decline", "escalate",
                     "rectify", "reject", "reopen", "submit_review"]


# --------------------------------------------------------------------------- alarms
class AlarmAck(Model):
    alarm_id: Id


class AlarmDismiss(Model):
    alarm_id: Id
    reason: Annotated[str, required_text(2000),
                      Field(description="why the alarm is a false positive")]


class AlarmClose(Model):
    alarm_id: Id
    note: Annotated[str, required_text(2000),
                    Field(description="why no inspection is needed")]


class AlarmEscalate(Model):
    alarm_id: Id
    note: Annotated[str, text(2000)] = ""


# --------------------------------------------------------------------------- tasks
class ChecklistItem(Model):
    text: Annotated[str, required_text(200)]
    done: bool = False


class Checklist(Model):
    items: list[ChecklistItem] = Field(default_factory=list, max_length=50)


class TaskDraft(Model):
    """The new task's columns (the console sends the whole row it shows meanwhile)."""

    id: Id | None = None
    alarm_id: Id | None = None
    business_id: Id | None = Field(None, description="required unless the alarm names it")
    assignee: Assignee = ""
    title: Annotated[str, text(256)] = ""
    notes: Annotated[str, text(10000)] = ""
    checklist: Checklist = Field(default_factory=Checklist)
    evidence_url: MediaRef = ""
    severity: Annotated[int, Field(ge=1, le=4)] | None = Field(
        None, description="1 info .. 4 critical; default: the alarm's, or 3")
    deadline: Timestamp | None = Field(None, description="in the future; default by severity")
    escalated: bool = False
    supervisor: Annotated[str, text(64)] = ""
    district_id: Id | None = Field(None, description=f"{IGNORED} (the business's district)")
    state: Literal["dispatched"] | None = Field(None, description=IGNORED)
    created_by: Annotated[str, text(64)] = Field("", description=IGNORED)
    created_at: Timestamp | None = Field(None, description=IGNORED)
    updated_at: Timestamp | None = Field(None, description=IGNORED)
    closed_at: None = Field(None, description=IGNORED)
    version: Version | None = Field(None, description=IGNORED)


class TaskDispatch(Model):
    alarm_id: Id | None = None
    task: TaskDraft
    event_id: Id | None = None


class TaskTransition(Model):
    task_id: Id
    action: TaskAction
    expected_version: Version | None = Field(None, description="409 if the task moved on")
    event_id: Id | None = None
    note: Annotated[str, text(4000)] = ""
    attachment_url: MediaRef = ""
    supervisor: Annotated[str, text(64)] = Field("", description="for escalate")


# --------------------------------------------------------------------------- patrol
class PatrolRecord(Model):
    id: Id | None = None
    plan_id: Id | None = None
    business_id: Id
    verdict: Literal["compliant", "problem"]  # db.models.PatrolVerdict
    started_at: Timestamp | None = None
    ended_at: Timestamp | None = None
    note: Annotated[str, text(10000)] = ""
    snapshot_url: MediaRef = ""
    task_id: Id | None = None
    district_id: Id | None = Field(None, description=f"{IGNORED} (the business's district)")
    user: Annotated[str, text(64)] = Field("", description=f"{IGNORED} (the caller)")
    version: Version | None = Field(None, description=IGNORED)

    @model_validator(mode="after")
    def _in_order(self) -> PatrolRecord:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at: before started_at")
        return self


class Selection(Model):
    """Which businesses of the plan's district a patrol visits (all three empty: all)."""

    grid_ids: list[Id] = Field(default_factory=list, max_length=500)
    categories: list[Category] = Field(default_factory=list, max_length=20)
    business_ids: list[Id] = Field(default_factory=list, max_length=5000)


class PatrolPlanSave(Model):
    id: Id | None = Field(None, description="a new id creates a plan")
    name: Annotated[str, required_text(128)] | None = Field(
        None, description="required for a new plan")
    district_id: Id | None = Field(None, description="null: city-wide (operator and admin only)")
    selection: Selection | None = None
    times_per_period: Annotated[int, Field(ge=1, le=100)] | None = None
    period_days: Annotated[int, Field(ge=1, le=366)] | None = None
    expected_version: Version | None = None


class PatrolSkip(Model):
    """A business looked at without a verdict: central writes the audit entry."""

    business_id: Id
    plan_id: Id | None = None
    reason: Annotated[str, required_text(200),
                      Field(description="e.g. 'skipped', 'switched to another business'")]
    seconds: Annotated[int, Field(ge=0, le=86400, description="time spent on the business")]


# --------------------------------------------------------------------------- devices
class CameraHealth(Model):
    camera_id: DeviceId
    health: CameraHealthWord
    reason: Annotated[str, text(500)] = ""


class SensorParams(Model):
    sensor_id: DeviceId
    params: RuleParams


PAYLOADS: dict[str, type[Model]] = {
    "alarm.ack": AlarmAck,
    "alarm.dismiss": AlarmDismiss,
    "alarm.close": AlarmClose,
    "alarm.escalate": AlarmEscalate,
    "task.dispatch": TaskDispatch,
    "task.transition": TaskTransition,
    "patrol.record": PatrolRecord,
    "patrol_plan.save": PatrolPlanSave,
    "patrol.skip": PatrolSkip,
    "camera.health": CameraHealth,
    "sensor.params": SensorParams,
    "recording.start": rec.RecordingStart,
    "recording.stop": rec.RecordingStop,
    "recording.lock": rec.RecordingLock,
    "recording.export": rec.RecordingExport,
    "recording.policy": rec.RecordingPolicySave,
    **accounts.PAYLOADS,  # user.* and session.end (central.account_actions)
    **bulletins.PAYLOADS,  # bulletin.* (central.bulletin_actions)
    **REGISTRY_PAYLOADS,  # the registry's edits (central.schemas.registry)
    **bb.PAYLOADS,  # 包保 officials, checklists, visits, looks (central.schemas.baobao)
    **EVENT_PAYLOADS,  # major-event mode (central.schemas.events)
}


class Envelope(Model):
    """What is checked before the kind is known (the payload is checked by its kind)."""

    idem_key: str
    kind: Annotated[str, Field(max_length=48)]
    payload: dict[str, Any]


def _request_model(kind: str, payload: type[Model]) -> type[Model]:
    name = "Action_" + "".join(part.title() for part in kind.replace("_", ".").split("."))
    # Literal[kind] of a kind known only here: a type form the checker cannot name.
    tag: Any = cast(Any, Literal)[kind]
    return create_model(name, __base__=Model,
                        idem_key=(IdemKey, ...), kind=(tag, ...),
                        payload=(payload, ...))


# The description of the body (a value for the OpenAPI builder, built from PAYLOADS): one
# variant per kind, told apart by ``kind``.
ActionRequest: Any = Annotated[Union[tuple(_request_model(k, p) for k, p in PAYLOADS.items())],  # noqa: UP007
                          Field(discriminator="kind")]


class ActionReply(Reply):
    status: Literal["applied"]
    result: dict[str, Any] = Field(description="the rows the action changed, by entity")
