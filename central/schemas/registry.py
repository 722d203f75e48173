"""Payloads of the registry's edit actions (``district.save`` … ``onboarding_target.set``).

A ``*.save`` carries the whole row as the console's dialog shows it: a new id creates the row,
a known id replaces its editable columns. Editing an existing row needs ``expected_version``,
the version the edit was made on: a stale one is refused with 409 ``stale_version`` and the
current row, so the console can say "changed by someone else meanwhile" and reload without
losing what the user typed. Field rules that need more than a length or a pattern (the credit
code's check character, stream URLs) are applied by :mod:`central.registry_actions`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from central.schemas.common import DeviceId, Id, Model, required_text, text
from central.schemas.params import Category, RuleParams, Version

SensorKindWord = Literal["special_room", "disinfection_cabinet", "refrigerator", "freezer"]
NEW_OR_EDIT = "a new id creates the row; an existing one is edited (then expected_version)"
EXPECTED = "the version the edit was made on (required when editing): 409 stale_version if " \
           "someone changed the row meanwhile"
Phone = Annotated[str, Field(max_length=32, description="a mobile or landline number, or "
                                                       "empty (ledger.fields.phone)")]
Url = Annotated[str, text(512)]


class DistrictSave(Model):
    id: Id = Field(description=NEW_OR_EDIT)
    name: Annotated[str, required_text(64)]
    name_en: Annotated[str, text(64)] = ""
    expected_version: Version | None = Field(None, description=EXPECTED)


class StreetSave(Model):
    id: Id = Field(description=NEW_OR_EDIT)
    district_id: Id
    name: Annotated[str, required_text(64)]
    expected_version: Version | None = Field(None, description=EXPECTED)


class GridSave(Model):
    """A community (社区/网格) of a street."""

    id: Id = Field(description=NEW_OR_EDIT)
    district_id: Id
    street_id: Id | None = None
    name: Annotated[str, required_text(64)]
    officer_name: Annotated[str, text(32)] = ""
    officer_phone: Phone = ""
    expected_version: Version | None = Field(None, description=EXPECTED)


class BusinessSave(Model):
    id: Id = Field(description=NEW_OR_EDIT)
    district_id: Id
    street_id: Id | None = None
    grid_id: Id | None = Field(None, description="its community; null: directly under the street")
    name: Annotated[str, required_text(128)]
    category: Category
    address: Annotated[str, text(256)] = ""
    credit_code: Annotated[str, text(32)] = Field(
        "", description="统一社会信用代码 (GB 32100-2015: 18 digits and capitals, the last a "
                        "check character), or empty")
    licence_no: Annotated[str, text(64)] = Field("", description="JY and 14 digits, or empty")
    licence_expiry: date | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = Field(
        None, description="WGS-84 degrees; give both coordinates or neither")
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    official_name: Annotated[str, text(32)] = ""
    official_phone: Phone = ""
    director_name: Annotated[str, text(32)] = ""
    director_phone: Phone = ""
    contact_name: Annotated[str, text(32)] = ""
    contact_phone: Phone = ""
    expected_version: Version | None = Field(None, description=EXPECTED)

    @model_validator(mode="before")
    @classmethod
    def _date_from_text(cls, data: object) -> object:
        # JSON has no dates: "2027-03-01" is the wire form (strict mode would refuse a str).
        if isinstance(data, dict) and isinstance(data.get("licence_expiry"), str):
            try:
                data = {**data, "licence_expiry": date.fromisoformat(data["licence_expiry"])}
            except ValueError:
                raise ValueError("licence_expiry: expected a date like 2027-03-01") from None
        return data


class CameraSave(Model):
    id: DeviceId = Field(description=NEW_OR_EDIT)
    business_id: Id
    name: Annotated[str, required_text(64)]
    gb_code: Annotated[str, Field(max_length=32,
                                  description="GB/T 28181 device code: 20 digits, or empty")] = ""
    location: Annotated[str, text(64)] = ""
    main_url: Annotated[str, required_text(512)] = Field(
        description="rtsp, rtmp, http(s) or srt with a host (ledger.fields.stream_url)")
    sub_url: Url = ""
    playback_url: Url = ""
    public: bool = False
    expected_version: Version | None = Field(None, description=EXPECTED)


class SensorSave(Model):
    id: DeviceId = Field(description=NEW_OR_EDIT)
    business_id: Id
    camera_id: DeviceId | None = Field(None, description="the camera of the same room")
    kind: SensorKindWord
    location: Annotated[str, text(64)] = ""
    interval_s: Annotated[int, Field(ge=5, le=86400)] = 60
    params: RuleParams | None = Field(None, description="rule parameters of its kind; null or "
                                                        "absent: the kind's defaults")
    expected_version: Version | None = Field(None, description=EXPECTED)


class Retire(Model):
    """Take a row out of the registry (its history — alarms, tasks, audit — stays)."""

    id: DeviceId
    expected_version: Version | None = Field(None, description=EXPECTED)


class OnboardingTargetSet(Model):
    district_id: Id
    street_id: Annotated[str, Field(max_length=32, pattern=r"^([A-Za-z0-9][A-Za-z0-9_:-]*)?$",
                                    description='"" = the whole district')] = ""
    businesses: Annotated[int, Field(ge=0, le=1_000_000,
                                     description="how many businesses should be connected")]
    expected_version: Version | None = Field(None, description=EXPECTED)


PAYLOADS: dict[str, type[Model]] = {
    "district.save": DistrictSave,
    "district.retire": Retire,
    "street.save": StreetSave,
    "street.retire": Retire,
    "grid.save": GridSave,
    "grid.retire": Retire,
    "business.save": BusinessSave,
    "business.retire": Retire,
    "camera.save": CameraSave,
    "camera.retire": Retire,
    "sensor.save": SensorSave,
    "sensor.retire": Retire,
    "onboarding_target.set": OnboardingTargetSet,
}
