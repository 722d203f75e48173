"""Wires the 包保 parts into a console window: the figures panel, the "包保" menu (checklist
visit of a tile's business, the administrator's checklist editor) and the card line."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QMessageBox, QWidget

from console.baobao.panel import BaobaoPanel
from console.baobao.text import look_how_text, look_line, short_time
from console.baobao.visit import ChecklistEditor, VisitDialog
from console.shell.aio import spawn
from console.shell.docks import add_bottom_panel
from db.models import Business
from db.serialize import to_payload
from videowall.source import TileSource

translate = QCoreApplication.translate
log = logging.getLogger("kitchenwatch.console.baobao")
READS_FIGURES = frozenset({"admin", "operator", "district", "field"})  # central.baobao
VISITS = frozenset({"admin", "operator", "district", "field"})  # central.scope.PATROLS



class Baobao(QObject):
    """The session's 包保 parts for one window."""

    def __init__(self, window: Any, store: Any, client: Any, user: dict[str, Any],
                 wake_outbox: Any, details: Any = None) -> None:
        super().__init__(window)
        self.window, self.store, self.client, self.user = window, store, client, user
        self.wake_outbox, self.details = wake_outbox, details
        self.role = str(user.get("role") or "")
        self.panel = BaobaoPanel(client)
        self.dock = add_bottom_panel(window, translate("Baobao", "包保"), "baobao", self.panel)
        if details is not None:
            self.panel.business_chosen.connect(details.open)
        if self.role in VISITS:  # an on-site visit by a field official, from the list
            self.panel.visit_requested.connect(self.visit)
        else:
            self.panel.visit_button.hide()
        self.menu = QMenu(translate("Baobao", "包保"), window)
        self.menu.setObjectName("baobao-menu")
        show = self.dock.toggleViewAction()
        show.setText(translate("Baobao", "包保 figures"))
        self.menu.addAction(show)
        if self.role == "admin" and not user.get("district_id"):  # the city's checklists
            self.menu.addAction(translate("Baobao", "Checklists per category…"),
                                self.edit_checklists)
        help_menu = getattr(window, "help_menu", None)
        if help_menu is not None:
            window.menuBar().insertMenu(help_menu.menuAction(), self.menu)
        else:
            window.menuBar().addMenu(self.menu)
        if self.role in VISITS:
            window.wall.add_menu_hook(self._tile_menu)
        self._dialogs: list[QDialog] = []
        self.panel.start()

    def shutdown(self) -> None:
        self.panel.stop()
        for dialog in self._dialogs:
            dialog.close()

    # -- visits ---------------------------------------------------------------------------------
    def _tile_menu(self, _index: int, source: TileSource | None, menu: QMenu) -> None:
        if source is not None and source.business_id:
            menu.addAction(translate("Baobao", "包保 visit with checklist…"),
                           partial(self.visit, source.business_id))

    def visit(self, business_id: str) -> None:
        spawn(self._visit(business_id), name="baobao-visit")

    async def _visit(self, business_id: str) -> None:
        business = await self.store.read(
            lambda s: (lambda b: to_payload(b) if b is not None else None)(
                s.get(Business, business_id)))
        if business is None:
            return
        try:
            body = await self.client.request(
                "GET", f"/api/checklists?category={business['category']}")
            checklist = body["checklists"][0]
        except Exception as exc:
            QMessageBox.warning(self.window, translate("Baobao", "包保 visit"),
                                translate("Baobao",
                                          "The checklist could not be loaded: %1").replace(
                                    "%1", str(exc)[:200]))
            return
        dialog = VisitDialog(business, checklist, self.window)
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda result: self._visited(dialog, result))
        dialog.open()

    def _visited(self, dialog: VisitDialog, result: int) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
        if result != QDialog.DialogCode.Accepted:
            return

        async def record() -> None:
            for kind, payload in dialog.payloads():
                await self.store.record_action(kind, payload)
            self.wake_outbox()
            self.panel.refresh()

        spawn(record(), name="baobao-visit-record")

    # -- checklists -----------------------------------------------------------------------------
    def edit_checklists(self) -> None:
        spawn(self._edit_checklists(), name="baobao-checklists")

    async def _edit_checklists(self) -> None:
        try:
            body = await self.client.request("GET", "/api/checklists")
        except Exception as exc:
            QMessageBox.warning(self.window, translate("Baobao", "Checklists"), str(exc)[:200])
            return
        current = {c["category"]: c for c in body.get("checklists") or []}
        dialog = ChecklistEditor(current, self.window)
        self._dialogs.append(dialog)

        def done(result: int) -> None:
            if dialog in self._dialogs:
                self._dialogs.remove(dialog)
            payload = dialog.payload() if result == QDialog.DialogCode.Accepted else None
            if payload is not None:
                spawn(self._save_checklist(payload), name="baobao-checklist-save")

        dialog.finished.connect(done)
        dialog.open()

    async def _save_checklist(self, payload: dict[str, Any]) -> None:
        await self.store.record_action("checklist.save", payload)
        self.wake_outbox()


def install_baobao(window: Any, store: Any, client: Any, coordinator: Any,
                   user: dict[str, Any], *, details: Any = None,
                   kiosk: bool = False) -> Baobao | None:
    """The session's hook: office roles and field officials (not the viewer, not a kiosk)."""
    if kiosk or str(user.get("role") or "") not in READS_FIGURES:
        return None
    return Baobao(window, store, client, user, coordinator.wake_outbox, details)


def attach_card_line(view: QWidget, client: Any, business_id: str) -> QLabel:
    """A line under a business card: its last 包保 visit and the latest remote looks
    ("远程查看：张三 12-07 14:20，3 分钟"), fetched from central."""
    label = QLabel(view)
    label.setObjectName("baobao-card-line")
    label.setWordWrap(True)
    label.setText(translate("Baobao", "包保: loading…"))
    layout = view.layout()
    if layout is not None:
        layout.insertWidget(1, label)  # type: ignore[attr-defined]

    async def load() -> None:
        try:
            visits = await client.request(
                "GET", f"/api/baobao/visits?business_id={business_id}&limit=1")
            looks = await client.request("GET", f"/api/views?business_id={business_id}&limit=3")
        except Exception as exc:
            log.info("baobao card line: %s", exc)
            label.setText(translate("Baobao", "包保: not available offline"))
            return
        label.setText(card_text(visits.get("visits") or [], looks.get("views") or []))

    spawn(load(), name="baobao-card")
    return label


def card_text(visits: list[dict[str, Any]], looks: list[dict[str, Any]]) -> str:
    if visits:
        v = visits[0]
        first = (translate("Baobao", "Last 包保 visit: %1, %2, %3")
                 .replace("%1", short_time(v["started_at"]))
                 .replace("%2", look_how_text(v["mode"]))
                 .replace("%3", translate("Baobao", "problem found") if v["verdict"] == "problem"
                          else translate("Baobao", "compliant")))
    else:
        first = translate("Baobao", "No 包保 visit recorded")
    lines = [first] + [look_line(view) for view in looks]
    return "\n".join(lines)
