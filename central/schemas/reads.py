"""Query parameters of the GET routes and the shapes of their answers.

Query models are validated in lax mode (query values are text: ``since=5`` is the integer 5),
ignore parameters they do not declare (``token`` on a WebSocket, a cache-buster), and refuse
values outside their ranges with a 400 that names the parameter.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from central.config import CentralConfig
from central.schemas.common import ID_PATTERN, Model, Reply, Timestamp

_DEFAULTS = CentralConfig()
CURSOR_MAX = 2**62


class Query(Model):
    model_config = ConfigDict(strict=False, extra="ignore")


class ChangesQuery(Query):
    since: Annotated[int, Field(ge=0, le=CURSOR_MAX, description="cursor; 0 = full snapshot")] = 0
    limit: Annotated[int, Field(ge=1, le=_DEFAULTS.feed_page_max)] = _DEFAULTS.feed_page_default


class WsQuery(Query):
    since: Annotated[int, Field(ge=0, le=CURSOR_MAX)] = 0
    token: Annotated[str, Field(max_length=256, description="the bearer token (a browser "
                                                            "cannot set headers)")] = ""


class SensorReadingsQuery(Query):
    from_: Timestamp | None = Field(None, alias="from", description="default: to - 24 h; "
                                                                    "not after to")
    to: Timestamp | None = Field(None, description="default: now; at most 400 days after from")
    max_points: Annotated[int, Field(ge=2, le=20000)] = 2000


# db.models.Role and SYNCED_ENTITIES, in their order, written out so that the type checker reads
# a closed set; tests/central/test_vocabularies.py keeps them equal.
RoleName = Literal["admin", "operator", "district", "viewer", "field", "device"]
Entity = Literal["district", "street", "grid", "business", "camera", "sensor", "alarm", "task",
                 "task_event", "patrol_plan", "patrol_record", "audit", "user",
                 "onboarding_target"]


class UsersQuery(Query):
    role: RoleName | None = None

EntityId = Annotated[str, Field(min_length=1, max_length=48, pattern=ID_PATTERN)]
MediaName = Annotated[str, Field(pattern=r"^[0-9a-f]{64}\.(jpg|png)$")]
SensorId = Annotated[str, Field(min_length=1, max_length=48, pattern=ID_PATTERN)]


class Change(Reply):
    seq: int
    entity: str
    id: str
    district_id: str | None = None
    deleted: bool
    payload: dict[str, Any]


class ChangesReply(Reply):
    changes: list[Change]
    last_seq: int
    head_seq: int
    more: bool
    feed_id: str


class ReadingsReply(Reply):
    sensor_id: str
    from_: str = Field(alias="from")
    to: str
    points: list[list[Any]] = Field(description="[ts, value, humidity, min, max]")
    downsampled: bool
    bucket_s: float | None
    count: int


class UsersReply(Reply):
    users: list[dict[str, Any]]
