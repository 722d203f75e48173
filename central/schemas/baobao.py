"""Payloads and queries of the 包保 network (issue 18 items 1, 2 and 9).

Actions: ``baobao.assign`` (a business's 包保 official), ``checklist.save`` (a category's next
checklist version), ``baobao.visit`` (a visit with a verdict per item) and ``view.batch`` (the
console's looks at cameras, many per request). Reads: ``GET /api/baobao/figures``,
``GET /api/baobao/visits``, ``GET /api/checklists`` and ``GET /api/views``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from central.schemas.common import (
    PATTERN_WORDS,
    DeviceId,
    Id,
    MediaRef,
    Model,
    Reply,
    Timestamp,
    required_text,
    text,
)
from central.schemas.params import Category, Version
from central.schemas.reads import Query

ITEM_KEY_PATTERN = r"^[a-z0-9_]{1,40}$"
PATTERN_WORDS[ITEM_KEY_PATTERN] = "an item key (a-z, 0-9 and '_', at most 40)"
ItemKey = Annotated[str, Field(pattern=ITEM_KEY_PATTERN)]
# domain.baobao's vocabularies, written out (tests/central/test_baobao.py keeps them equal).
VisitModeWord = Literal["onsite", "online"]
ItemVerdictWord = Literal["pass", "fail", "na"]
ViewSourceWord = Literal["wall", "tour", "patrol", "playback"]
MAX_VIEWS_PER_BATCH = 500


class BaobaoAssign(Model):
    business_id: Id
    username: Annotated[str, Field(max_length=64, pattern=r"^\S*$",
                                   description="the official's account; empty: none")]


class ChecklistItemDef(Model):
    key: ItemKey
    text: Annotated[str, required_text(200)]
    text_en: Annotated[str, text(200)] = ""


class ChecklistSave(Model):
    category: Category
    items: list[ChecklistItemDef] = Field(min_length=1, max_length=60)
    expected_version: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = Field(
        None, description="the version edited (0: the built-in default); 409 if another "
                          "administrator saved meanwhile")


class VisitItem(Model):
    key: ItemKey
    verdict: ItemVerdictWord
    note: Annotated[str, text(1000)] = ""


class BaobaoVisit(Model):
    id: Id | None = None
    business_id: Id
    mode: VisitModeWord
    verdict: Literal["compliant", "problem"]
    checklist_version: Annotated[int, Field(ge=0, le=2**31 - 1,
                                            description="the version ticked through (0: the "
                                                        "built-in default)")]
    items: list[VisitItem] = Field(default_factory=list, max_length=60)
    photos: list[MediaRef] = Field(default_factory=list, max_length=20)
    started_at: Timestamp | None = None
    ended_at: Timestamp | None = None
    note: Annotated[str, text(4000)] = ""

    @model_validator(mode="after")
    def _in_order(self) -> BaobaoVisit:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at: before started_at")
        return self


class ViewSpan(Model):
    camera_id: DeviceId
    source: ViewSourceWord
    started_at: Timestamp
    seconds: Annotated[int, Field(ge=1, le=86400)]


class ViewBatch(Model):
    """Looks at cameras, gathered by the console and sent together (not one per tile)."""

    views: list[ViewSpan] = Field(min_length=1, max_length=MAX_VIEWS_PER_BATCH)


PAYLOADS: dict[str, type[Model]] = {
    "baobao.assign": BaobaoAssign,
    "checklist.save": ChecklistSave,
    "baobao.visit": BaobaoVisit,
    "view.batch": ViewBatch,
}


# --------------------------------------------------------------------------- reads
class FiguresQuery(Query):
    district_id: Id | None = Field(None, description="narrow to one district (city roles)")


class VisitsQuery(Query):
    business_id: Id | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50


class ChecklistsQuery(Query):
    category: Category | None = None


class ViewsQuery(Query):
    business_id: Id | None = None
    user: Annotated[str, Field(max_length=64, pattern=r"^\S+$")] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class FiguresReply(Reply):
    now: str
    totals: dict[str, Any]
    districts: list[dict[str, Any]]
    streets: list[dict[str, Any]]
    officials: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    businesses: dict[str, Any] = Field(description="business id → official and last visit")


__all__ = ["Version"]
