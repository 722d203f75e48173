"""Saving an alarm's evidence pack (PDF) where the operator chooses.

The file dialog is non-blocking (a modal ``exec`` would stall the event loop the sync client
and the wall run on); the pack is collected from the cache plus what central can still give
(:func:`collect`), and the status bar says what was written and what could not be included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QStatusBar, QWidget

from console.alarms.context import load_alarm_context
from console.alarms.evidence_export import collect, pack_file_name
from console.shell.aio import spawn
from console.sync.client import ApiClient
from console.sync.store import LocalStore
from widgets.evidence_pdf import export_evidence_pdf
from widgets.models.rows import AlarmRow

log = logging.getLogger("kitchenwatch.console.alarms")

# The picture an open panel shows of the alarm (it goes into the pack), if any.
SnapshotOf = Callable[[str], QImage | None]


class EvidenceExport(QObject):
    def __init__(self, store: LocalStore, client: ApiClient, user: dict[str, Any],
                 status_bar: QStatusBar, *, mask_personal: bool,
                 snapshot_of: SnapshotOf, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.client = client
        self.username = str(user.get("username", ""))
        self.status_bar = status_bar
        self.mask_personal = mask_personal
        self.snapshot_of = snapshot_of

    def ask(self, alarm_id: str, row: AlarmRow | None, parent: QWidget) -> None:
        """Ask where to save the alarm's evidence pack, then write it."""
        name = pack_file_name(row.business_name if row else "", row.business_id if row else "",
                              alarm_id)
        dialog = QFileDialog(parent, self.tr("Save evidence pack"), str(Path.home() / name),
                             self.tr("PDF files (*.pdf)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: spawn(
            self.write(alarm_id, Path(path)), name="EvidenceExport.write"))
        dialog.open()

    async def write(self, alarm_id: str, path: Path) -> list[str]:
        """Write the pack to ``path``; returns what could not be included (server away)."""
        ctx = await self.store.read(lambda s: load_alarm_context(s, alarm_id, self.username))
        if ctx is None:
            raise LookupError(f"alarm {alarm_id} is not in the local cache")
        image = self.snapshot_of(alarm_id)
        snapshot = image if image is not None and not image.isNull() else None
        collected = await collect(ctx, self.client, generated_by=self.username,
                                  mask_personal=self.mask_personal, snapshot=snapshot)
        bar = self.status_bar
        try:
            pages = export_evidence_pdf(path, collected.pack)
        except OSError as exc:
            log.warning("evidence pack for %s not written: %s", alarm_id, exc)
            bar.showMessage(self.tr("Evidence pack not saved: %1").replace("%1", str(exc)),
                            15_000)
            raise
        text = self.tr("Evidence pack saved: %1 (%2 pages)").replace("%1", str(path)).replace(
            "%2", str(pages))
        if collected.missing:
            text += " · " + self.tr("without %1").replace(
                "%1", ", ".join(collected.missing))
        bar.showMessage(text, 15_000)
        return collected.missing
