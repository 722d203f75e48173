"""Task-board rules: which operator actions a task allows, overdue, filtering.

This is a Qt-free zone. Central's state machine is the authority; the table it applies
(:mod:`domain.tasks`) decides here which buttons the operator sees (a stale choice is answered
by the server with 409 and the current row).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.roles import Role
from domain.tasks import TaskAction, TaskState
from domain.tasks import allowed_actions as allowed_actions_for
from widgets.models.rows import TaskRow, epoch_s
from widgets.models.rowset import sortable


class OperatorAction(enum.StrEnum):
    """The ``task.transition`` actions the centre operator takes, in the order the buttons
    show (the rest of :class:`domain.tasks.TaskAction` is the field officer's)."""

    CLOSE = TaskAction.CLOSE.value  # 销号: review passed
    # a minor AI violation put right, seen in a second online look (服务型执法): no visit
    CLOSE_BY_LOOK = TaskAction.CLOSE_BY_LOOK.value
    REJECT = TaskAction.REJECT.value  # review failed: back to rectifying
    REOPEN = TaskAction.REOPEN.value
    ESCALATE = TaskAction.ESCALATE.value  # 挂牌督办


#: Actions that need a note from the operator (the field officer must know why).
NOTE_REQUIRED = frozenset({OperatorAction.REJECT, OperatorAction.REOPEN, OperatorAction.ESCALATE})


def allowed_actions(task: TaskRow) -> list[OperatorAction]:
    """Operator actions central's state machine (:data:`domain.tasks.TRANSITIONS`) accepts
    for the task's state, an escalated task not being escalated again.

    A task the field officer declined (``rejected``) offers none: it is re-dispatched. Closing
    by a second look needs the task's alarm (central checks that it is a minor AI violation and
    that someone looked at its camera long enough after it).
    """
    office = set(allowed_actions_for(task.state, Role.OPERATOR))
    return [action for action in OperatorAction if action in office
            and not (action is OperatorAction.ESCALATE and task.escalated)
            and not (action is OperatorAction.CLOSE_BY_LOOK and not task.alarm_id)]


def is_overdue(task: TaskRow, now: datetime) -> bool:
    """Deadline passed and the task not ticked off."""
    return task.state != TaskState.CLOSED and task.deadline is not None and task.deadline < now


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
    closed = task.state == TaskState.CLOSED
    return (closed, sortable(epoch_s(task.deadline) if task.deadline else None),
            -epoch_s(task.created_at), task.id)


def column_key(
    value_of: Callable[[TaskRow], Any], descending: bool
) -> Callable[[TaskRow], tuple[Any, ...]]:
    def key(task: TaskRow) -> tuple[Any, ...]:
        return (sortable(value_of(task), descending), -epoch_s(task.created_at), task.id)

    return key
