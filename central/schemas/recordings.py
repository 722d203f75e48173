"""Recording bodies and queries: the recorders' index and status, the playback index, and the
operators' recording actions (``recording.start/stop/lock``, ``recording.policy``).

The modes and their default retention are :mod:`domain.recordings`; a recorder names itself
(``recorder``) so that several can share a city's cameras and prune only their own files.
An end before its start is refused by the routes (422 ``invalid_payload``, 400 for a query),
not here: the description cannot say it, and what it allows passes these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from central.schemas.common import ID_PATTERN, DeviceId, Id, Model, Reply, Timestamp, text
from central.schemas.reads import Query

RecorderName = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                                pattern=ID_PATTERN),
                         Field(description="the recorder's name (its folder under the "
                                           "recordings directory)")]
SegmentId = Annotated[str, StringConstraints(min_length=1, max_length=96,
                                             pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
SegmentPath = Annotated[str, StringConstraints(
    min_length=1, max_length=256, pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"),
    Field(description="relative to the recorder's store root; no '..', no leading '/'")]
ModeWord = Literal["continuous", "alarm", "demand"]
PolicyMode = Literal["continuous", "alarm"]
MAX_SEGMENTS = 500
MAX_RETENTION_DAYS = 3650


# --------------------------------------------------------------------------- the recorder
class Segment(Model):
    id: SegmentId
    camera_id: DeviceId
    start: Timestamp
    end: Timestamp
    bytes: Annotated[int, Field(ge=1, le=2**40)]
    codec: Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=ID_PATTERN)]
    path: SegmentPath
    reason: ModeWord
    retention_days: Annotated[int, Field(ge=1, le=MAX_RETENTION_DAYS)]


class SegmentsBody(Model):
    recorder: RecorderName
    segments: list[Segment] = Field(max_length=MAX_SEGMENTS)


class SegmentsReply(Reply):
    accepted: int


class PruneBody(Model):
    recorder: RecorderName
    free_bytes: Annotated[int, Field(ge=0, le=2**50,
                                     description="beyond expired segments, delete the oldest "
                                                 "unlocked ones until this many bytes are freed")]
    limit: Annotated[int, Field(ge=1, le=5000)] = 1000


class PrunedSegment(Reply):
    id: str
    path: str
    bytes: int


class PruneReply(Reply):
    deleted: list[PrunedSegment]
    locked_bytes: int


class RecorderStatus(Model):
    recorder: RecorderName
    disk_full: bool
    camera_ids: list[DeviceId] = Field(max_length=5000,
                                       description="the cameras whose recording this concerns")
    message: Annotated[str, text(500)] = ""


class PlanQuery(Query):
    recorder: RecorderName


# --------------------------------------------------------------------------- playback
class RecordingsQuery(Query):
    camera: DeviceId
    from_: Timestamp = Field(alias="from")
    to: Timestamp


class LinkBody(Model):
    """A signed playback address for one camera and range (``POST /api/recordings/links``)."""

    camera: DeviceId
    from_: Timestamp = Field(alias="from")
    to: Timestamp


class LinkReply(Reply):
    path: str
    expires_at: str
    first_segment_start: str


class RangeOut(Reply):
    start: str
    end: str


class SegmentOut(Reply):
    id: str
    start: str
    end: str
    bytes: int
    codec: str
    reason: str
    locked: bool


class LockOut(Reply):
    id: str
    start: str
    end: str
    reason: str
    created_by: str


class RecordingsReply(Reply):
    camera_id: str
    segments: list[SegmentOut]
    ranges: list[RangeOut]
    gaps: list[RangeOut]
    locks: list[LockOut]


# --------------------------------------------------------------------------- actions
class RecordingStart(Model):
    camera_id: DeviceId
    minutes: Annotated[int, Field(ge=1, le=720,
                                  description="stops by itself after this long unless "
                                              "recording.stop comes first")] = 60


class RecordingStop(Model):
    camera_id: DeviceId


class RecordingLock(Model):
    camera_id: DeviceId
    start: Timestamp
    end: Timestamp
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S"),
                      Field(description="why this range is evidence")]


class RecordingExport(Model):
    """An exported clip, for the audit: which camera and range, and the file's SHA-256 (so a
    copy handed to a court can be checked against what the bureau exported)."""

    camera_id: DeviceId
    start: Timestamp
    end: Timestamp
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$"),
                      Field(description="lower-case hex SHA-256 of the exported MP4")]
    bytes: Annotated[int, Field(ge=1, le=2**40)]
    alarm_id: Id | None = None


class RecordingPolicySave(Model):
    """Create (no ``id``), change or delete (``delete``) a continuous or alarm policy for a
    camera, a business, a district or (none of them) the whole city."""

    id: Id | None = None
    mode: PolicyMode
    camera_id: DeviceId | None = None
    business_id: Id | None = None
    district_id: Id | None = None
    retention_days: Annotated[int, Field(ge=1, le=MAX_RETENTION_DAYS)] | None = None
    pre_s: Annotated[int, Field(ge=10, le=300)] = 10
    post_s: Annotated[int, Field(ge=20, le=1800)] = 20
    delete: bool = False
