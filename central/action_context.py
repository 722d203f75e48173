"""What every action handler is given and the two writes they all share (Qt-free).

:mod:`central.actions` and the modules that add their own actions to it (the registry's edits,
:mod:`central.registry_actions`) build on this module rather than on each other, so adding a
module of actions never makes an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from central import changes
from central.config import CentralConfig
from central.evaluator import RuleEngine
from central.scope import Principal
from db.models import AuditEntry
from domain.clock import utcnow


@dataclass(frozen=True)
class ActionContext:
    principal: Principal
    config: CentralConfig
    rules: RuleEngine


Handler = Callable[[Session, ActionContext, Any], dict[str, Any]]


def audit(session: Session, ctx: ActionContext, action: str, district_id: str, *,
          alarm_id: str | None = None, task_id: str | None = None, detail: str = "") -> None:
    """The only writer of audit entries: central's time, the caller's name, a district the
    caller's scope covers (every caller has checked the row it acted on)."""
    entry = AuditEntry(district_id=district_id, user=ctx.principal.username, action=action,
                       alarm_id=alarm_id, task_id=task_id, detail=detail[:2000], ts=utcnow())
    session.add(entry)
    changes.record(session, entry)


def bump(session: Session, row: Any) -> None:
    """A new version of ``row``, in the change feed when the transaction commits."""
    row.version += 1
    changes.record(session, row)
