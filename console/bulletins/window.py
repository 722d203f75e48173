"""The Bulletins window (Administration → Bulletins…): a district's 督查通报 drafts, their
preview, and the approve and publish steps.

Bulletins live in central only (they are drafted from central's figures and are not part of
the synced cache), so this window asks central directly: the list (``GET /api/bulletins``),
the PDF for the preview, and the ``bulletin.*`` actions. Approving and publishing need a
connection on purpose: a bulletin that names businesses on a black list is published by a
person who saw the version central holds (the action carries that version; a newer draft is
refused with 409 and the list refreshes). Only city and district administrators see the
approve and publish buttons enabled; central checks the same.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.shell.aio import spawn
from console.sync.client import ApiClient, SyncError
from domain.roles import Role

log = logging.getLogger("kitchenwatch.console.bulletins")
APPROVERS = frozenset({Role.ADMIN, Role.DISTRICT})
DRAFTERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.DISTRICT})


def last_month(today: date | None = None) -> str:
    """The period a monthly bulletin is usually drafted for: the month before this one."""
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


class BulletinsWindow(QDialog):
    def __init__(self, client: ApiClient | None, user: dict[str, Any],
                 districts: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulletins-window")
        self.setWindowTitle(self.tr("Bulletins"))
        self.client = client
        self.role = str(user.get("role", ""))
        scope = user.get("district_id") or None
        self.districts = {k: v for k, v in districts.items() if scope is None or k == scope}
        self.bulletins: list[dict[str, Any]] = []
        self.pdf: bytes = b""
        self.pages: list[QPixmap] = []

        self.district = QComboBox()
        self.district.setObjectName("bulletin-district")
        for ident, name in sorted(self.districts.items()):
            self.district.addItem(name, ident)
        self.period = QLineEdit(last_month())
        self.period.setObjectName("bulletin-period")
        self.period.setPlaceholderText(self.tr("2026-11 or 2026-W47"))
        self.period.setMaximumWidth(120)
        self.draft_button = QPushButton(self.tr("Draft now"))
        self.draft_button.setObjectName("draft-bulletin")
        self.draft_button.setToolTip(self.tr("Central computes the figures of the period and "
                                             "keeps the draft for review"))
        self.draft_button.clicked.connect(self.draft)
        top = QHBoxLayout()
        for widget in (QLabel(self.tr("District")), self.district, QLabel(self.tr("Period")),
                       self.period, self.draft_button):
            top.addWidget(widget)
        top.addStretch(1)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("bulletins-table")
        self.table.setHorizontalHeaderLabels([self.tr("Period"), self.tr("District"),
                                              self.tr("State"), self.tr("Approved by"),
                                              self.tr("Published by")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.preview = QLabel(self.tr("Select a bulletin to preview it."))
        self.preview.setObjectName("bulletin-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setSizes([500, 500])

        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.approve_button = QPushButton(self.tr("Approve"))
        self.approve_button.setObjectName("approve-bulletin")
        self.approve_button.clicked.connect(lambda: self.step("bulletin.approve"))
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setObjectName("publish-bulletin")
        self.publish_button.clicked.connect(lambda: self.step("bulletin.publish"))
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.clicked.connect(self.save_pdf)
        self.status = QLabel()
        self.status.setObjectName("bulletins-status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.refresh_button, self.approve_button, self.publish_button,
                       self.save_button):
            buttons.addWidget(button)
        buttons.addWidget(self.status, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(1000, 640)
        self.draft_button.setEnabled(self.role in DRAFTERS and bool(self.districts))
        self._selection_changed()

    # -- state ----------------------------------------------------------------------------
    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.bulletins[rows[0].row()] if rows else None

    def state_text(self, state: str) -> str:
        return {"draft": self.tr("Draft (awaiting review)"),
                "approved": self.tr("Approved (not yet published)"),
                "published": self.tr("Published")}.get(state, state)

    def _selection_changed(self) -> None:
        row = self.selected()
        approver = self.role in APPROVERS and self.client is not None
        self.approve_button.setEnabled(approver and row is not None
                                       and row["state"] == "draft")
        self.publish_button.setEnabled(approver and row is not None
                                       and row["state"] == "approved")
        self.save_button.setEnabled(row is not None and bool(self.pdf))
        if row is not None:
            spawn(self.load_preview(row), "bulletin preview")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c92a2a;" if error else "")

    def _fill(self) -> None:
        chosen = self.selected()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.bulletins))
        for r, b in enumerate(self.bulletins):
            cells = [b["period"], self.districts.get(b["district_id"], b["district_id"]),
                     self.state_text(b["state"]), b.get("approved_by") or "",
                     b.get("published_by") or ""]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.blockSignals(False)
        if chosen is not None:
            for r, b in enumerate(self.bulletins):
                if b["id"] == chosen["id"]:
                    self.table.selectRow(r)
        self._selection_changed()

    # -- central --------------------------------------------------------------------------
    def refresh(self) -> None:
        spawn(self.load(), "bulletins")

    async def load(self) -> None:
        if self.client is None:
            self._say(self.tr("Bulletins are kept by central; connect to see them."), True)
            return
        try:
            body = await self.client.request("GET", "/api/bulletins")
        except SyncError as exc:
            self._say(self.tr("Could not load the bulletins: %1").replace("%1", str(exc)), True)
            return
        self.bulletins = list(body.get("bulletins", []))
        self._fill()
        if not self.bulletins:
            self._say(self.tr("No bulletins yet: draft one for a period above."))

    def draft(self) -> None:
        spawn(self.send_draft(), "bulletin draft")

    async def send_draft(self) -> None:
        if self.client is None:
            return
        payload = {"district_id": self.district.currentData(),
                   "period": self.period.text().strip()}
        try:
            await self.client.action(uuid4().hex, "bulletin.draft", payload)
        except SyncError as exc:
            self._say(self.tr("Central refused the draft: %1").replace("%1", str(exc)), True)
            return
        self._say(self.tr("Drafted %1; review it, then approve.").replace(
            "%1", payload["period"]))
        await self.load()

    def step(self, kind: str) -> None:
        row = self.selected()
        if row is not None:
            spawn(self.send_step(kind, row), kind)

    async def send_step(self, kind: str, row: dict[str, Any]) -> None:
        if self.client is None:
            return
        try:
            await self.client.action(uuid4().hex, kind, {"bulletin_id": row["id"],
                                                         "expected_version": row["version"]})
        except SyncError as exc:
            self._say(self.tr("Central refused: %1").replace("%1", str(exc)), True)
            await self.load()
            return
        self._say(self.tr("Approved.") if kind == "bulletin.approve" else self.tr("Published."))
        await self.load()

    async def load_preview(self, row: dict[str, Any]) -> None:
        if self.client is None:
            return
        try:
            self.pdf = await self.client.download(f"/api/bulletins/{row['id']}/pdf")
        except SyncError as exc:
            self.preview.setText(self.tr("Could not load the PDF: %1").replace("%1", str(exc)))
            return
        self.pages = render_pages(self.pdf, 480)
        if self.pages:
            self.preview.setPixmap(self.pages[0] if len(self.pages) == 1
                                   else stack(self.pages))
        self.save_button.setEnabled(True)

    def save_pdf(self) -> None:
        row = self.selected()
        if row is None or not self.pdf:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save bulletin"), f"bulletin-{row['district_id']}-{row['period']}.pdf",
            self.tr("PDF (*.pdf)"))
        if name:
            with open(name, "wb") as out:
                out.write(self.pdf)
            self._say(self.tr("Saved %1").replace("%1", name))


def render_pages(pdf: bytes, width: int) -> list[QPixmap]:
    """The PDF's pages as pixmaps ``width`` pixels wide (the preview; QtPdf reads the file)."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    pages = []
    for index in range(document.pageCount()):
        size = document.pagePointSize(index)
        height = int(width * size.height() / size.width()) if size.width() else width
        pages.append(QPixmap.fromImage(document.render(index, QSize(width, height))))
    document.close()
    return pages


def stack(pages: list[QPixmap]) -> QPixmap:
    """Pages one below the other with a gap, as one pixmap for the preview label."""
    from PySide6.QtGui import QColor, QPainter

    gap = 12
    width = max(p.width() for p in pages)
    out = QPixmap(width, sum(p.height() for p in pages) + gap * (len(pages) - 1))
    out.fill(QColor("#868e96"))
    painter = QPainter(out)
    y = 0
    for page in pages:
        painter.drawPixmap(0, y, page)
        y += page.height() + gap
    painter.end()
    return out


def show_bulletins(client: ApiClient | None, user: dict[str, Any], districts: dict[str, str],
                   parent: QWidget) -> BulletinsWindow:
    window = BulletinsWindow(client, user, districts, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.refresh()
    return window
