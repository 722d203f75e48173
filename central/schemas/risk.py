"""Queries and answers of the risk routes (``GET /api/risk``, ``GET /api/risk/plan``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from central.schemas.common import Id, Reply
from central.schemas.reads import Query

MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
#: Comma-separated business ids (a query parameter is one string).
ID_LIST_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_:-]*(,[A-Za-z0-9][A-Za-z0-9_:-]*)*$"


class RiskQuery(Query):
    business_id: Id | None = Field(None, description="one business only (404 outside scope)")
    limit: Annotated[int, Field(ge=1, le=5000, description="highest scores first")] = 500


class RiskPlanQuery(Query):
    month: Annotated[str | None, Field(pattern=MONTH_PATTERN, description="YYYY-MM, local "
                                                                          "time; default: "
                                                                          "this month")] = None
    monthly_min: Annotated[int, Field(ge=0, le=31, description="online looks a month for "
                                                               "every business")] = 1
    high_risk_extra: Annotated[int, Field(ge=0, le=31, description="more looks a month for "
                                                                   "high-risk businesses")] = 1
    reception_yearly_min: Annotated[int, Field(ge=0, le=366)] = 4
    reception: Annotated[str | None, Field(max_length=4000, pattern=ID_LIST_PATTERN,
                                           description="comma-separated ids of reception "
                                                       "kitchens")] = None


class RiskReasonOut(Reply):
    code: str = Field(description="category, open_tasks, overdue_tasks, alarms_30d, black_list, "
                                  "red_list, licence_expired, licence_expiring, dark_hours_30d")
    points: float
    value: float
    text: str


class RiskEntry(Reply):
    business_id: str
    name: str
    district_id: str
    category: str
    score: float
    level: str = Field(description="high, medium or low")
    reasons: list[RiskReasonOut]


class RiskReply(Reply):
    generated_at: str
    businesses: list[RiskEntry]


class PlanLineOut(Reply):
    business_id: str
    name: str
    district_id: str
    score: float
    required: int
    done: int
    due_by_today: int
    behind: bool
    planned: int
    reception: bool
    follow_ups: int = Field(description="tasks closed this month: one more look each")


class RiskPlanReply(Reply):
    month: str
    generated_at: str
    lines: list[PlanLineOut]
    behind: int
    planned_looks: int
