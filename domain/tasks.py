"""The inspection task's closed loop (闭环: dispatch → tick off) and who may move it.

::

    dispatched ─accept→ accepted ─arrive→ on_site ─rectify→ rectifying ─submit_review→ review
        │                                                        ↑                  │   │
        └─reject (assignee declines)→ rejected                   └──── reject ──────┘ close
                                                                 ↑                      ↓
                                                                 └──────── reopen ── closed
    escalate (挂牌督办): any open state, sets ``escalated`` and ``supervisor``
    close_by_look: dispatched or accepted → closed, a minor AI violation seen put right by a
    second online look at its camera (:mod:`domain.second_look`; central checks the look)

Field staff accept, arrive, rectify, submit for review and may decline a dispatch; office roles
(operator, district staff, admin) review, close, reopen and escalate. :mod:`central.tasks`
applies this table to rows; the console's task board reads it to offer only what central will
accept.
"""

from __future__ import annotations

import enum

from domain.roles import FIELD_ROLES, OFFICE_ROLES, Role


class TaskState(enum.StrEnum):
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    ON_SITE = "on_site"
    RECTIFYING = "rectifying"
    REVIEW = "review"
    CLOSED = "closed"
    REJECTED = "rejected"  # declined by the assignee: a side state, the office re-dispatches


class TaskAction(enum.StrEnum):
    """The ``task.transition`` actions."""

    ACCEPT = "accept"
    REJECT = "reject"  # the assignee declines a dispatch, or the office fails a review
    ARRIVE = "arrive"
    RECTIFY = "rectify"
    SUBMIT_REVIEW = "submit_review"
    CLOSE = "close"  # 销号: review passed
    CLOSE_BY_LOOK = "close_by_look"  # a minor AI violation seen put right (domain.second_look)
    REOPEN = "reopen"
    ESCALATE = "escalate"  # 挂牌督办


S = TaskState
A = TaskAction

#: The closed loop in order (``rejected`` is a side state).
TASK_FLOW: tuple[TaskState, ...] = (S.DISPATCHED, S.ACCEPTED, S.ON_SITE, S.RECTIFYING,
                                    S.REVIEW, S.CLOSED)
#: States a task is still being worked in (and may be escalated from).
OPEN_STATES: frozenset[TaskState] = frozenset({S.DISPATCHED, S.ACCEPTED, S.ON_SITE,
                                               S.RECTIFYING, S.REVIEW})
#: Older names clients may send.
ALIASES: dict[str, TaskAction] = {"decline": A.REJECT}

#: (action, from state) → (to state, roles that may do it); escalate keeps the state.
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (A.ACCEPT, S.DISPATCHED): (S.ACCEPTED, FIELD_ROLES),
    (A.REJECT, S.DISPATCHED): (S.REJECTED, FIELD_ROLES),
    (A.ARRIVE, S.ACCEPTED): (S.ON_SITE, FIELD_ROLES),
    (A.RECTIFY, S.ON_SITE): (S.RECTIFYING, FIELD_ROLES),
    (A.SUBMIT_REVIEW, S.RECTIFYING): (S.REVIEW, FIELD_ROLES),
    (A.REJECT, S.REVIEW): (S.RECTIFYING, OFFICE_ROLES),
    (A.CLOSE, S.REVIEW): (S.CLOSED, OFFICE_ROLES),
    (A.REOPEN, S.CLOSED): (S.RECTIFYING, OFFICE_ROLES),
    # Before anyone went: a second online look at the camera closes a minor AI violation.
    (A.CLOSE_BY_LOOK, S.DISPATCHED): (S.CLOSED, OFFICE_ROLES),
    (A.CLOSE_BY_LOOK, S.ACCEPTED): (S.CLOSED, OFFICE_ROLES),
    **{(A.ESCALATE, state): (state, OFFICE_ROLES) for state in OPEN_STATES},
}
#: The field officer's next step from each state on the way to review (the mobile app's main
#: button; the simulator's field staff follow it).
FIELD_NEXT_STEP: dict[str, TaskAction] = {
    state: TaskAction(action) for (action, state), (target, roles) in TRANSITIONS.items()
    if Role.FIELD in roles and target not in (state, S.REJECTED)}
#: Every action name central accepts, aliases included (sorted, for messages and the schema).
ACTIONS: list[str] = sorted({str(action) for action, _ in TRANSITIONS} | set(ALIASES))


def allowed_actions(state: str, role: str) -> list[str]:
    """What ``role`` may do to a task in ``state`` (sorted; for messages and clients)."""
    return sorted(str(a) for (a, s), (_, roles) in TRANSITIONS.items()
                  if s == state and role in roles)


def target_state(action: str, state: str) -> str | None:
    """Where ``action`` takes a task in ``state`` (None: not a transition from there)."""
    rule = TRANSITIONS.get((ALIASES.get(action, action), state))
    return rule[0] if rule is not None else None
