"""Payloads of major-event mode (重大活动保障): ``event.save`` and ``event.signoff``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from central.schemas.common import Id, MediaRef, Model, Reply, Timestamp, required_text, text

SensorKindName = Literal["special_room", "refrigerator", "freezer", "disinfection_cabinet"]
ParamName = Annotated[str, StringConstraints(min_length=1, max_length=32,
                                             pattern=r"^[a-z_]+$")]
Meal = Literal["breakfast", "lunch", "dinner"]  # domain.major_events.DEFAULT_MEALS
DAY_PATTERN = r"^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class EventSave(Model):
    id: Id | None = None
    name: Annotated[str, required_text(128)]
    business_ids: Annotated[list[Id], Field(min_length=1, max_length=200,
                                            description="the reception kitchens")]
    starts_at: Timestamp
    ends_at: Timestamp = Field(description="after starts_at, at most 60 days later")
    overrides: Annotated[dict[SensorKindName, Annotated[dict[ParamName, float],
                                                        Field(max_length=10)]],
                         Field(description="tighter limits per sensor kind for the period, "
                                           "e.g. {\"special_room\": {\"max_temp\": 22}}")] = {}
    expected_version: Annotated[int, Field(ge=1)] | None = None
    # ends_at after starts_at, at most 60 days: checked by the handler (422 event_period),
    # a rule between two fields that JSON Schema cannot state.


class EventSignoffBody(Model):
    id: Id | None = None
    event_id: Id
    business_id: Id
    day: Annotated[str, StringConstraints(pattern=DAY_PATTERN),
                   Field(description="the local day of the meal, YYYY-MM-DD")]
    meal: Meal
    verdict: Literal["passed", "problem"]
    note: Annotated[str, text(2000)] = ""
    snapshot_url: MediaRef = ""
    # a problem needs a note: checked by the handler (422 note_required)


PAYLOADS: dict[str, type[Model]] = {"event.save": EventSave, "event.signoff": EventSignoffBody}


class EventOut(Reply):
    id: str
    name: str
    district_id: str | None
    business_ids: list[str]
    starts_at: str
    ends_at: str
    overrides: dict[str, dict[str, float]]
    active: bool
    version: int
    signoffs: int
    missing_signoffs: list[list[str]] = Field(description="[business_id, day, meal] past due")


class EventsReply(Reply):
    events: list[EventOut]
