"""Task-board rules: which operator actions a task allows, overdue, filtering.

This is a Qt-free zone. Central's state machine is the authority; these rules only decide
which buttons the operator sees (a stale choice is answered by the server with 409 and the
current row).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from widgets.models.rows import TaskRow, epoch_s
from widgets.models.rowset import sortable

#: The closed loop in order (rejected is a side state: sent back for rectification).
TASK_FLOW = ("dispatched", "accepted", "on_site", "rectifying", "review", "closed")


class OperatorAction(enum.StrEnum):
    """Actions the centre operator takes on a task (``task.transition`` actions)."""

    CLOSE = "close"  # 销号: review passed
    REJECT = "reject"  # review failed: back to rectifying
    REOPEN = "reopen"
    ESCALATE = "escalate"  # 挂牌督办


#: Actions that need a note from the operator (the field officer must know why).
NOTE_REQUIRED = frozenset({OperatorAction.REJECT, OperatorAction.REOPEN, OperatorAction.ESCALATE})


#: States from which the office may escalate (central/tasks.py TRANSITIONS["escalate"]).
ESCALATABLE = frozenset({"dispatched", "accepted", "on_site", "rectifying", "review"})


def allowed_actions(task: TaskRow) -> list[OperatorAction]:
    """Operator actions central's state machine accepts for the task's state.

    A task the field officer declined (``rejected``) offers none: it is re-dispatched.
    """
    actions: list[OperatorAction] = []
    if task.state == "review":
        actions += [OperatorAction.CLOSE, OperatorAction.REJECT]
    if task.state == "closed":
        actions.append(OperatorAction.REOPEN)
    if task.state in ESCALATABLE and not task.escalated:
        actions.append(OperatorAction.ESCALATE)
    return actions


def is_overdue(task: TaskRow, now: datetime) -> bool:
    """Deadline passed and the task not ticked off."""
    return task.state != "closed" and task.deadline is not None and task.deadline < now


@dataclass(frozen=True)
class TaskFilter:
    """All conditions ANDed; None/empty = any. ``min_age``/``max_age`` on time since creation."""

    states: frozenset[str] | None = None
    districts: frozenset[str] | None = None
    assignee: str | None = None
    min_age: timedelta | None = None
    max_age: timedelta | None = None
    overdue_only: bool = False
    escalated_only: bool = False
    search: str = ""
    now: datetime | None = None  # reference time for age / overdue

    def matches(self, task: TaskRow) -> bool:
        if self.states is not None and task.state not in self.states:
            return False
        if self.districts is not None and task.district_id not in self.districts:
            return False
        if self.assignee and task.assignee != self.assignee:
            return False
        if self.escalated_only and not task.escalated:
            return False
        if self.now is not None:
            age = self.now - task.created_at
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age > self.max_age:
                return False
            if self.overdue_only and not is_overdue(task, self.now):
                return False
        if self.search:
            needle = self.search.casefold()
            hay = (task.business_name, task.title, task.business_id, task.id, task.notes)
            if not any(needle in h.casefold() for h in hay if h):
                return False
        return True


def deadline_key(task: TaskRow) -> tuple[Any, ...]:
    """Default board order: open tasks by nearest deadline first, closed ones last."""
    closed = task.state == "closed"
    return (closed, sortable(epoch_s(task.deadline) if task.deadline else None),
            -epoch_s(task.created_at), task.id)


def column_key(
    value_of: Callable[[TaskRow], Any], descending: bool
) -> Callable[[TaskRow], tuple[Any, ...]]:
    def key(task: TaskRow) -> tuple[Any, ...]:
        return (sortable(value_of(task), descending), -epoch_s(task.created_at), task.id)

    return key
