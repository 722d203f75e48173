"""Dispatching a task for a problem found on patrol: whom to, and the operator's draft.

The dialog is the alarm panel's dispatch dialog, filled with the business on screen, the
operator's note and the verdict's snapshot (there is no alarm: the problem is the patrol's
own finding). Field officers come from central, or from the cache while it is away, so a
problem found offline can still be dispatched; the dialog opens non-modally and is awaited,
so the wall and the sync keep running while the operator fills it in.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from console.patrol.queries import field_officers
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from domain.alarms import Severity
from widgets.dispatch_dialog import DispatchDialog
from widgets.models.rows import AlarmRow, Assignee, BusinessCard

log = logging.getLogger("kitchenwatch.console.patrol.dispatch")


class PatrolDispatch(QObject):
    def __init__(self, store: LocalStore, client: ApiClient, user: dict[str, Any],
                 window: QWidget) -> None:
        super().__init__(window)
        self.store = store
        self.client = client
        self.username = str(user.get("username", ""))
        self.window = window
        self._assignees: list[Assignee] | None = None
        self._open: list[QDialog] = []  # kept alive while open

    async def assignees(self) -> list[Assignee]:
        """Field officers: central's list (kept), else the cache's (asked again next time)."""
        if self._assignees:
            return self._assignees
        try:
            body = await self.client.request("GET", "/api/users?role=field")
            self._assignees = [Assignee.from_payload(u) for u in body.get("users", [])]
        except SyncError as exc:
            log.info("field officers from the cache (%s)", exc.message)
            officers: list[Assignee] = await self.store.read(field_officers)
            return officers
        return self._assignees

    async def ask(self, business: dict[str, Any], grid: dict[str, Any] | None,
                  district_name: str, note: str, evidence_url: str,
                  evidence: bytes | None) -> dict[str, Any] | None:
        """The operator's task draft for ``business``, or None when the dialog is cancelled."""
        assignees = [a for a in await self.assignees()
                     if a.district_id in (None, business.get("district_id"))]
        card = BusinessCard.from_payload(business, grid=grid, district_name=district_name)
        alarm = AlarmRow(id="", kind="patrol", district_id=business.get("district_id", ""),
                         business_id=business.get("id", ""), severity=int(Severity.MAJOR),
                         message=note, evidence_url=evidence_url,
                         business_name=business.get("name", ""))
        dialog = DispatchDialog(alarm, card, assignees, created_by=self.username,
                                evidence=evidence, parent=self.window)
        dialog.setObjectName("patrol-dispatch")
        dialog.title_edit.setText(f"{business.get('name', '')}: "
                                  + self.tr("problem found in online patrol"))
        future: asyncio.Future[int] = asyncio.get_event_loop().create_future()

        def finished(result: int) -> None:
            if not future.done():
                future.set_result(int(result))

        dialog.finished.connect(finished)
        self._open.append(dialog)
        dialog.open()
        try:
            result = await future
        finally:
            self._open.remove(dialog)
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted.value:
            return None
        draft = dialog.task_draft()
        draft.update(alarm_id=None, district_id=business["district_id"],
                     business_id=business["id"], evidence_url=evidence_url)
        return draft
