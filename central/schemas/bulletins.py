"""Payloads of the bulletin actions (督查通报: draft → approved → published)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from central.schemas.common import Id, Model

Period = Annotated[str, Field(pattern=r"^\d{4}-(\d{2}|W\d{2})$", max_length=8,
                              description="a month (2026-11) or an ISO week (2026-W47)")]


class BulletinDraft(Model):
    """Draft (or draft again, with fresh figures) a district's bulletin of a period."""

    district_id: Id
    period: Period


class BulletinStep(Model):
    """Approve a draft, or publish an approved bulletin, as the version last seen."""

    bulletin_id: Id
    expected_version: Annotated[int, Field(ge=1)]


PAYLOADS: dict[str, type[Model]] = {
    "bulletin.draft": BulletinDraft,
    "bulletin.approve": BulletinStep,
    "bulletin.publish": BulletinStep,
}


class BulletinsQuery(Model):
    """``GET /api/bulletins``: narrow the caller's bulletins."""

    district: Id | None = None
    state: Literal["draft", "approved", "published"] | None = None
