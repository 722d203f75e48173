"""Online patrol (网络巡查) planning: which businesses a plan covers, in which order to look
at them, and how far the plan's coverage has got this period.

This is a Qt-free zone. A plan asks for every business it selects to be looked at
``times_per_period`` times every ``period_days`` days, so each business is *due* one interval
(``period_days / times_per_period``) after its last look; a business never looked at is due
since always. The queue puts the most overdue first. Coverage counts the looks of the last
``period_days`` (a rolling window, the same window central's statistics use) and calls a
business *covered* once it has had ``times_per_period`` of them. Any look at a business
counts, whichever plan it was made under: the plan asks for the kitchen to be watched, not for
a particular form to be filled.

Selection semantics are central's (``central/stats.py``): the plan's district (or none:
city-wide), and within it the listed businesses, grids and categories, each list narrowing
the set when it is not empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from widgets.models.rows import parse_ts

MAX_TIMES_PER_PERIOD = 100
MAX_PERIOD_DAYS = 366


def _ids(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(v) for v in value if v is not None and str(v))


@dataclass(frozen=True)
class PatrolPlanSpec:
    """A ``PatrolPlan`` row as the planner needs it."""

    id: str
    name: str
    district_id: str | None = None
    grid_ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    business_ids: tuple[str, ...] = ()
    times_per_period: int = 1
    period_days: int = 30
    version: int = 1

    @classmethod
    def from_payload(cls, row: Mapping[str, Any]) -> PatrolPlanSpec:
        selection = row.get("selection") or {}
        if not isinstance(selection, Mapping):
            selection = {}
        return cls(id=str(row["id"]), name=str(row.get("name") or row["id"]),
                   district_id=row.get("district_id") or None,
                   grid_ids=_ids(selection.get("grid_ids")),
                   categories=_ids(selection.get("categories")),
                   business_ids=_ids(selection.get("business_ids")),
                   times_per_period=max(1, int(row.get("times_per_period") or 1)),
                   period_days=max(1, int(row.get("period_days") or 30)),
                   version=int(row.get("version") or 1))

    @property
    def interval(self) -> timedelta:
        """How long after its last look a business is due again."""
        return timedelta(days=self.period_days / self.times_per_period)

    @property
    def selection(self) -> dict[str, list[str]]:
        """The ``selection`` column as central stores it (empty lists left out)."""
        out: dict[str, list[str]] = {}
        for key, values in (("grid_ids", self.grid_ids), ("categories", self.categories),
                            ("business_ids", self.business_ids)):
            if values:
                out[key] = list(values)
        return out

    def includes(self, business: Mapping[str, Any]) -> bool:
        if self.district_id and business.get("district_id") != self.district_id:
            return False
        if self.business_ids and business.get("id") not in self.business_ids:
            return False
        if self.grid_ids and business.get("grid_id") not in self.grid_ids:
            return False
        return not (self.categories and business.get("category") not in self.categories)


@dataclass(frozen=True)
class LookHistory:
    """A business's patrol records as far as the plan needs them."""

    in_window: int = 0  # looks within the plan's period window
    last_at: datetime | None = None  # the latest look ever


@dataclass(frozen=True)
class QueueEntry:
    """One business in a plan's queue."""

    business_id: str
    name: str
    district_id: str
    grid_id: str | None
    category: str
    done: int  # looks in the current period
    required: int  # times_per_period
    last_at: datetime | None
    due_at: datetime | None  # None: never looked at, due since always
    overdue: bool

    @property
    def covered(self) -> bool:
        return self.done >= self.required


@dataclass(frozen=True)
class PlanCoverage:
    """A plan's queue (most overdue first) and its progress this period."""

    plan: PatrolPlanSpec
    entries: tuple[QueueEntry, ...] = ()
    period_start: datetime | None = None
    computed_at: datetime | None = None
    by_id: dict[str, QueueEntry] = field(default_factory=dict, compare=False)

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def covered(self) -> int:
        return sum(1 for e in self.entries if e.covered)

    @property
    def overdue(self) -> int:
        return sum(1 for e in self.entries if e.overdue)

    @property
    def checks_required(self) -> int:
        return self.total * self.plan.times_per_period

    @property
    def checks_done(self) -> int:
        return sum(min(e.done, e.required) for e in self.entries)

    @property
    def rate(self) -> float | None:
        return self.covered / self.total if self.total else None


def plan_coverage(plan: PatrolPlanSpec, businesses: Iterable[Mapping[str, Any]],
                  history: Mapping[str, LookHistory], now: datetime) -> PlanCoverage:
    """The plan's businesses ordered overdue-first, with this period's coverage.

    Order: never looked at first, then by due time (the longest overdue first, the ones not
    due yet last); ties by business id (registration order: code-point order of Chinese
    names means nothing to anyone), so the queue is stable.
    """
    entries = []
    for biz in businesses:
        if not plan.includes(biz):
            continue
        seen = history.get(str(biz["id"]), LookHistory())
        last = seen.last_at
        due = last + plan.interval if last is not None else None
        entries.append(QueueEntry(
            business_id=str(biz["id"]), name=str(biz.get("name") or biz["id"]),
            district_id=str(biz.get("district_id") or ""), grid_id=biz.get("grid_id"),
            category=str(biz.get("category") or ""), done=seen.in_window,
            required=plan.times_per_period, last_at=last, due_at=due,
            overdue=due is None or due <= now))
    entries.sort(key=lambda e: (e.due_at is not None,
                                e.due_at.timestamp() if e.due_at is not None else 0.0,
                                e.business_id))
    ordered = tuple(entries)
    return PlanCoverage(plan, ordered, now - timedelta(days=plan.period_days), now,
                        {e.business_id: e for e in ordered})


def histories(window_counts: Mapping[str, int], last_looks: Mapping[str, Any]
              ) -> dict[str, LookHistory]:
    """``LookHistory`` per business from looks counted in the plan's window and the latest
    look ever (both as the console's SQL gives them)."""
    out = {}
    for business_id, last in last_looks.items():
        out[str(business_id)] = LookHistory(int(window_counts.get(business_id, 0)),
                                            parse_ts(last, "patrol_record.started_at"))
    return out


def layout_for(cameras: int) -> str:
    """The smallest uniform wall layout that shows ``cameras`` at once (at most 64)."""
    for name, size in (("1", 1), ("4", 4), ("9", 9), ("16", 16), ("25", 25), ("36", 36),
                       ("49", 49)):
        if cameras <= size:
            return name
    return "64"
