"""The task board in the console: every inspection task by state with its timeline, and the
operator's review actions (close / 销号, reject, reopen, escalate) through the outbox.

The timeline's photos are fetched here, through :meth:`ApiClient.fetch_bytes` (central's own
``/media/<sha256>`` only, with the token), decoded and shrunk off the UI thread, and handed to
the board; a photo that cannot be had is shown as the reason, in the operator's language.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.media.errors import fetch_failure_text
from console.shell.aio import spawn
from console.shell.docks import add_bottom_panel
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from db.models import Alarm, Business, District, Task, TaskEvent, User
from db.serialize import to_payload
from domain.alarms import AlarmState
from domain.clock import utcnow
from domain.ids import new_id
from widgets.models.rows import TaskEventRow, TaskRow
from widgets.task_board import TaskBoard

log = logging.getLogger("kitchenwatch.console.tasks")
# The state an operator action leads to (central's state machine decides for real).
TARGET = {"close": "closed", "reject": "rectifying", "reopen": "rectifying"}
#: Timeline photos are kept at most this size (twice the thumbnail, for sharp HiDPI).
THUMB_SIZE = QSize(256, 144)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def decode_thumbnail(data: bytes) -> QImage | None:
    """The photo shrunk to :data:`THUMB_SIZE` (``None`` if the bytes are not an image);
    runs off the UI thread (QImage is safe there)."""
    image = QImage.fromData(data)
    if image.isNull():
        return None
    return image.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class TaskCentre(QObject):
    def __init__(self, window: QMainWindow, store: LocalStore, user: dict[str, Any],
                 notify_outbox, client: ApiClient | None = None) -> None:
        super().__init__(window)
        self.store = store
        self.user = user
        self.notify_outbox = notify_outbox
        self.client = client
        self.board = TaskBoard()
        add_bottom_panel(window, self.tr("Inspection tasks"), "tasks", self.board)
        self.board.action_requested.connect(self.request)
        self.board.attachment_requested.connect(self.load_attachment)
        self._fetching: set[str] = set()

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

    # -- timeline photos -------------------------------------------------------------------------
    def load_attachment(self, url: str) -> None:
        """Fetch one timeline photo (once at a time) and show it, or why it is not shown."""
        if url in self._fetching:
            return
        self._fetching.add(url)
        self._spawn(self._load_attachment(url))

    async def _load_attachment(self, url: str) -> None:
        try:
            if self.client is None:
                self.board.set_attachment_failed(url, QCoreApplication.translate(
                    "CentralMedia", "Not connected to the central server; the photo was not "
                                    "downloaded."))
                return
            try:
                data = await self.client.fetch_bytes(url, max_bytes=MAX_PHOTO_BYTES)
            except SyncError as exc:
                log.info("timeline photo not shown: %s", exc.message)
                self.board.set_attachment_failed(url, fetch_failure_text(exc))
                return
            image = await asyncio.get_event_loop().run_in_executor(None, decode_thumbnail, data)
            if image is None:
                log.info("timeline photo %s is not a readable image (%d bytes)",
                         url.rsplit("/", 1)[-1], len(data))
                self.board.set_attachment_failed(url, QCoreApplication.translate(
                    "CentralMedia", "The photo could not be read (not a JPEG or PNG image)."))
                return
            self.board.set_attachment_image(url, image)
        except RuntimeError:  # the board was deleted (window closed) while we fetched
            pass
        finally:
            self._fetching.discard(url)

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
