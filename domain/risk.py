"""A business's risk score (风险分级) and the reasons it is made of.

Why a pure function of facts: central computes the score for thousands of businesses from SQL
counts, the console shows the same reasons in Chinese, and a bureau argues about the weights,
not about the code. So the facts are a plain record, the weights are declared data
(:data:`DEFAULT_WEIGHTS`, one place to change), and every point of the total is carried by a
:class:`RiskReason` with a stable code the console translates. Schools and elderly canteens
(一老一小) weigh more by category; so do open and overdue tasks, recent alarms, a place on the
black list, a licence near or past expiry, and hours with a covered (black), frozen or offline
camera. A place on the red list lowers the score a little.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.registry import BusinessCategory


@dataclass(frozen=True)
class RiskWeights:
    """Points per fact; a bureau tunes these, not the code."""

    category: Mapping[str, float] = field(default_factory=lambda: {
        BusinessCategory.SCHOOL_CANTEEN: 30.0, BusinessCategory.ELDERLY_CANTEEN: 30.0,
        BusinessCategory.HOSPITAL_CANTEEN: 20.0, BusinessCategory.EXTRA_LARGE: 20.0,
        BusinessCategory.LARGE: 15.0, BusinessCategory.GOVERNMENT_CANTEEN: 10.0,
        BusinessCategory.MEDIUM: 10.0, BusinessCategory.SMALL: 5.0,
        BusinessCategory.BEVERAGE: 2.0})
    per_open_task: float = 6.0
    open_tasks_cap: float = 24.0
    per_overdue_task: float = 8.0
    overdue_tasks_cap: float = 24.0
    per_alarm_30d: float = 2.0
    alarms_cap: float = 20.0
    black_list: float = 15.0
    red_list: float = -5.0
    licence_expired: float = 20.0
    licence_expiring: float = 8.0  # within ``licence_warn_days``
    licence_warn_days: int = 30
    per_dark_hour_30d: float = 0.5  # a camera covered, frozen or offline
    dark_hours_cap: float = 20.0


DEFAULT_WEIGHTS = RiskWeights()

#: Score bands as the console colours them: at or above the first bound is "high".
HIGH_AT = 50.0
MEDIUM_AT = 25.0


@dataclass(frozen=True)
class RiskFacts:
    """What is known about one business, counted by central (or a test)."""

    business_id: str
    category: str
    open_tasks: int = 0
    overdue_tasks: int = 0
    alarms_30d: int = 0  # not dismissed
    black_list: bool = False
    red_list: bool = False
    licence_days_left: int | None = None  # negative: expired; None: no expiry date
    dark_hours_30d: float = 0.0  # sum over its cameras of covered / frozen / offline hours


@dataclass(frozen=True)
class RiskReason:
    """One part of a score: a stable ``code`` (translated by the console), the points it adds
    and the number behind it (a count, days or hours) so the text can say why."""

    code: str
    points: float
    value: float = 0.0


@dataclass(frozen=True)
class RiskScore:
    business_id: str
    score: float
    level: str  # "high" | "medium" | "low"
    reasons: tuple[RiskReason, ...]


#: English sentence per reason code (central's reply; the console has its own Chinese).
REASON_TEXT: dict[str, str] = {
    "category": "category weight ({value:g})",
    "open_tasks": "{value:g} open task(s)",
    "overdue_tasks": "{value:g} overdue task(s)",
    "alarms_30d": "{value:g} alarm(s) in 30 days",
    "black_list": "on the black list",
    "red_list": "on the red list",
    "licence_expired": "licence expired {value:g} day(s) ago",
    "licence_expiring": "licence expires in {value:g} day(s)",
    "dark_hours_30d": "{value:g} h with a covered or offline camera in 30 days",
}


def level_of(score: float) -> str:
    return "high" if score >= HIGH_AT else "medium" if score >= MEDIUM_AT else "low"


def reason_text(reason: RiskReason) -> str:
    return REASON_TEXT[reason.code].format(value=reason.value)


def score(facts: RiskFacts, weights: RiskWeights = DEFAULT_WEIGHTS) -> RiskScore:
    """The score of ``facts`` under ``weights``: the sum of its reasons, never below 0.

    Reasons come largest first; a fact that adds nothing gives no reason (the card lists only
    what matters)."""
    w = weights
    reasons: list[RiskReason] = []

    def add(code: str, points: float, value: float = 0.0) -> None:
        if points:
            reasons.append(RiskReason(code, round(points, 1), round(value, 1)))

    add("category", w.category.get(facts.category, 0.0), w.category.get(facts.category, 0.0))
    add("open_tasks", min(facts.open_tasks * w.per_open_task, w.open_tasks_cap),
        facts.open_tasks)
    add("overdue_tasks", min(facts.overdue_tasks * w.per_overdue_task, w.overdue_tasks_cap),
        facts.overdue_tasks)
    add("alarms_30d", min(facts.alarms_30d * w.per_alarm_30d, w.alarms_cap), facts.alarms_30d)
    if facts.black_list:
        add("black_list", w.black_list)
    elif facts.red_list:
        add("red_list", w.red_list)
    days = facts.licence_days_left
    if days is not None and days < 0:
        add("licence_expired", w.licence_expired, -days)
    elif days is not None and days <= w.licence_warn_days:
        add("licence_expiring", w.licence_expiring, days)
    hours = max(facts.dark_hours_30d, 0.0)
    add("dark_hours_30d", min(hours * w.per_dark_hour_30d, w.dark_hours_cap), hours)
    total = round(max(sum(r.points for r in reasons), 0.0), 1)
    ordered = tuple(sorted(reasons, key=lambda r: (-r.points, r.code)))
    return RiskScore(facts.business_id, total, level_of(total), ordered)


# -- patrol plans that meet frequency rules ----------------------------------------------------
@dataclass(frozen=True)
class FrequencyRule:
    """How often each business must be looked at online (网络巡查频次).

    ``monthly_min`` online looks a month for every business, more for high-risk ones
    (``high_risk_extra``), and at least ``reception_yearly_min`` a year for reception kitchens
    of major events (spread over the months left)."""

    monthly_min: int = 1
    high_risk_extra: int = 1
    reception_yearly_min: int = 4


@dataclass(frozen=True)
class PlanInput:
    business_id: str
    score: float
    looks_this_month: int = 0
    looks_this_year: int = 0
    reception: bool = False
    follow_ups: int = 0  # tasks closed this month: each asks for one more look (回访)


@dataclass(frozen=True)
class PlanLine:
    business_id: str
    score: float
    required: int  # looks this month the rules ask for
    done: int
    due_by_today: int  # of ``required``, pro rata to the day of the month
    behind: bool
    planned: int  # looks still to do this month (0 when the rules are met)


def required_looks(item: PlanInput, rule: FrequencyRule, month: int) -> int:
    """Looks the rules ask of ``item`` in calendar month ``month`` (1–12): the monthly
    minimum (more for high risk, more for a reception kitchen's yearly minimum), plus one
    follow-up look per task closed this month — a ticked-off case is looked at again."""
    need = rule.monthly_min + (rule.high_risk_extra if level_of(item.score) == "high" else 0)
    if item.reception:
        done_before = item.looks_this_year - item.looks_this_month
        left = max(rule.reception_yearly_min - done_before, 0)
        need = max(need, math.ceil(left / (13 - month)))
    return need + max(item.follow_ups, 0)


def fill_plan(items: list[PlanInput], rule: FrequencyRule, month: int, day: int,
              days_in_month: int) -> list[PlanLine]:
    """A month's plan: every business with the looks its rules still ask for, the ones behind
    schedule first, then by risk (highest first), then by id for a stable order.

    "Behind" means fewer looks done than the required ones pro rata to ``day``: on the 20th of
    a 30-day month a business that needs 3 and has 1 is behind (2 were due)."""
    lines = []
    for item in items:
        need = required_looks(item, rule, month)
        due = math.floor(need * min(max(day, 0), days_in_month) / days_in_month)
        lines.append(PlanLine(item.business_id, item.score, need, item.looks_this_month, due,
                              item.looks_this_month < due,
                              max(need - item.looks_this_month, 0)))
    return sorted(lines, key=lambda ln: (not ln.behind, -ln.score, ln.business_id))
