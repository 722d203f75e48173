"""The task board in the console: every inspection task by state with its timeline, and the
operator's review actions (close / 销号, reject, reopen, escalate) through the outbox."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.aio import spawn
from console.docks import add_bottom_panel
from console.store import LocalStore
from db.models import Alarm, AlarmState, Business, District, Task, TaskEvent, User, new_id, utcnow
from db.serialize import to_payload
from widgets.models.rows import TaskEventRow, TaskRow
from widgets.task_board import TaskBoard

log = logging.getLogger("kitchenwatch.console.tasks")
# The state an operator action leads to (central's state machine decides for real).
TARGET = {"close": "closed", "reject": "rectifying", "reopen": "rectifying"}


class TaskCentre(QObject):
    def __init__(self, window: QMainWindow, store: LocalStore, user: dict[str, Any],
                 notify_outbox) -> None:
        super().__init__(window)
        self.store = store
        self.user = user
        self.notify_outbox = notify_outbox
        self.board = TaskBoard()
        add_bottom_panel(window, self.tr("Inspection tasks"), "tasks", self.board)
        self.board.action_requested.connect(self.request)

    def _spawn(self, coro) -> None:
        spawn(coro, name=f"{type(self).__name__}.{coro.__qualname__}")

    def on_entities_changed(self, names: set[str]) -> None:
        if names & {"task", "task_event", "business"}:
            self._spawn(self.reload())

    async def reload(self) -> None:
        def work(session: Session):
            tasks = [to_payload(t) for t in session.scalars(
                select(Task).order_by(Task.updated_at.desc()).limit(2000))]
            events = [to_payload(e) for e in session.scalars(select(TaskEvent))]
            names = dict(session.execute(select(Business.id, Business.name)).all())
            districts = dict(session.execute(select(District.id, District.name)).all())
            users = dict(session.execute(select(User.username, User.display_name)).all())
            return tasks, events, names, districts, users

        tasks, events, names, districts, users = await self.store.read(work)
        self.board.set_districts(districts)
        self.board.set_assignees({k: v for k, v in users.items() if v})
        self.board.replace_tasks([TaskRow.from_payload(
            t, business_name=names.get(t["business_id"], ""),
            district_name=districts.get(t["district_id"], ""),
            assignee_name=users.get(t["assignee"], "")) for t in tasks])
        self.board.upsert_events([TaskEventRow.from_payload(e) for e in events])

    def request(self, task_id: str, action: str, expected_version: int, note: str) -> None:
        event_id = new_id()
        actor = self.user.get("username", "")

        def effect(session: Session) -> None:
            task = session.get(Task, task_id)
            if task is None:
                return
            before = task.state
            if action == "escalate":
                task.escalated, task.supervisor = True, note[:64]
            else:
                task.state = TARGET.get(action, task.state)
            task.updated_at = utcnow()
            session.add(TaskEvent(id=event_id, task_id=task.id, district_id=task.district_id,
                                  actor=actor, action=action, from_state=before,
                                  to_state=task.state, note=note))
            if task.state == "closed" and task.alarm_id:
                alarm = session.get(Alarm, task.alarm_id)
                if alarm is not None:
                    alarm.state, alarm.closed_at = AlarmState.CLOSED, utcnow()

        payload = {"task_id": task_id, "action": action, "expected_version": expected_version,
                   "note": note, "event_id": event_id}

        async def go() -> None:
            await self.store.record_action("task.transition", payload, effect)
            self.notify_outbox()
            await self.reload()

        self._spawn(go())
