"""The console's side of risk: fetch scores and plans from central and put them where the
staff look — the business details card, the Tour menu ("highest risk first") and the Patrol
menu ("Patrol plan by risk…").

Scores are computed by central (``GET /api/risk``), never in the console: they count tasks,
alarms and patrol records of the whole scope, which a console's cache may hold only in part.
Offline, the card simply shows no risk row and the tour says the scores are unavailable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMenu, QWidget

from console.shell.aio import spawn
from console.sync.client import ApiClient, SyncError
from widgets.business_detail import BusinessDetailView
from widgets.risk_view import RiskPlanDialog, RiskSummary

if TYPE_CHECKING:
    from console.channels.business_detail import BusinessDetails
    from console.walls.tours import TourControl

log = logging.getLogger("kitchenwatch.console.risk")
SCORE_LIMIT = 5000  # central's maximum: a city's businesses


class RiskService(QObject):
    def __init__(self, parent: QObject | None, client: ApiClient) -> None:
        super().__init__(parent)
        self.client = client
        self.plan_dialog: RiskPlanDialog | None = None

    # -- reads -----------------------------------------------------------------------------
    async def scores(self) -> Mapping[str, float]:
        """Business id → score for the caller's scope (raises SyncError when unreachable)."""
        body = await self.client.request("GET", f"/api/risk?limit={SCORE_LIMIT}")
        return {str(b["business_id"]): float(b["score"]) for b in body.get("businesses", ())}

    async def one(self, business_id: str) -> RiskSummary | None:
        """The score and reasons of one business; None when central cannot say (offline,
        outside the caller's scope)."""
        try:
            body = await self.client.request(
                "GET", f"/api/risk?business_id={quote(business_id, safe='')}")
        except SyncError as exc:
            log.info("risk of %s unavailable: %s", business_id, exc.message)
            return None
        entries = body.get("businesses") or []
        return RiskSummary.from_payload(entries[0]) if entries else None

    # -- where it shows ----------------------------------------------------------------------
    def on_details_opened(self, business_id: str, view: BusinessDetailView) -> None:
        async def fill() -> None:
            summary = await self.one(business_id)
            if summary is not None and view.business is not None \
                    and view.business.id == business_id:
                view.card.set_risk(summary)

        spawn(fill(), name="business-risk")

    def show_plan(self, parent: QWidget | None = None, month: str = "") -> RiskPlanDialog:
        """Open (or raise) the month's plan and load it."""
        dialog = self.plan_dialog
        if dialog is None:
            dialog = self.plan_dialog = RiskPlanDialog(parent)
            dialog.destroyed.connect(lambda _o=None: setattr(self, "plan_dialog", None))
        dialog.show()
        dialog.raise_()
        spawn(self.load_plan(dialog, month), name="risk-plan")
        return dialog

    async def load_plan(self, dialog: RiskPlanDialog, month: str = "") -> None:
        path = "/api/risk/plan" + (f"?month={quote(month, safe='')}" if month else "")
        try:
            body = await self.client.request("GET", path)
        except SyncError as exc:
            dialog.set_error(exc.message)
            return
        dialog.set_plan(body)


def install(parent: QWidget, client: ApiClient, *, tours: TourControl | None,
            details: BusinessDetails | None, patrol_menu: QMenu | None) -> RiskService:
    """Wire the service into the session's tours, details windows and Patrol menu."""
    service = RiskService(parent, client)
    if tours is not None:
        tours.set_risk_scores(service.scores)
    if details is not None:
        details.opened_hooks.append(service.on_details_opened)
    if patrol_menu is not None:
        patrol_menu.addAction(
            QCoreApplication.translate("RiskService", "Patrol plan by risk…"),
            lambda: service.show_plan(parent))
    return service
