"""The business card of the alarm panel: who the kitchen is and who answers for it.

Licence expiry is highlighted when past or within ``licence_warn_days`` (30 by default): an
alarm at a kitchen whose licence has lapsed is a different case. Names and phones are masked
when ``mask_personal`` is set (big screens, visitors).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QWidget

from widgets import labels
from widgets.formatting import date_text
from widgets.models.masking import mask_name, mask_phone
from widgets.models.rows import BusinessCard, place_line
from widgets.risk_view import RiskSummary, level_color, risk_text
from widgets.theme import rule_state_color, ui_font


def licence_status(expiry: date | None, today: date, warn_days: int = 30) -> str:
    """``"expired"``, ``"expiring"`` (within ``warn_days``), ``"valid"`` or ``"unknown"``."""
    if expiry is None:
        return "unknown"
    if expiry < today:
        return "expired"
    if (expiry - today).days <= warn_days:
        return "expiring"
    return "valid"


class BusinessCardWidget(QFrame):
    def __init__(self, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today, licence_warn_days: int = 30) -> None:
        super().__init__(parent)
        self._today = today
        self.licence_warn_days = licence_warn_days
        self._card: BusinessCard | None = None
        self._mask = False
        self._risk: RiskSummary | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("businessCard")
        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(10, 8, 10, 8)
        form.setVerticalSpacing(4)
        self.name_label = QLabel()
        self.name_label.setFont(ui_font(16, bold=True))
        self.name_label.setWordWrap(True)
        form.addRow(self.name_label)
        self.fields: dict[str, QLabel] = {}
        for key, title in (
            ("category", self.tr("Category")),
            ("district", self.tr("District / street / community")),
            ("address", self.tr("Address")),
            ("licence", self.tr("Licence")),
            ("official", self.tr("Responsible official")),
            ("contact", self.tr("Contact")),
            ("history", self.tr("History")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(title, value)
        # The risk score (central's GET /api/risk) and its reasons: shown once one arrives.
        self._form = form
        risk = QLabel()
        risk.setWordWrap(True)
        risk.setTextFormat(Qt.TextFormat.PlainText)
        risk.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        risk.setObjectName("risk")
        self.fields["risk"] = risk
        form.addRow(self.tr("Risk"), risk)
        form.setRowVisible(risk, False)

    def set_mask_personal(self, mask: bool) -> None:
        self._mask = mask
        self._render()

    def set_card(self, card: BusinessCard | None) -> None:
        self._card = card
        if self._risk is not None and (card is None or card.id != self._risk.business_id):
            self.set_risk(None)  # another business's score must not stay on this card
        self._render()

    def card(self) -> BusinessCard | None:
        return self._card

    def set_risk(self, risk: RiskSummary | None) -> None:
        """Show ``risk`` (score, level, reasons); None hides the row (not known here)."""
        self._risk = risk
        label = self.fields["risk"]
        self._form.setRowVisible(label, risk is not None)
        if risk is not None:
            label.setText(risk_text(risk))
            label.setStyleSheet(f"color: {level_color(risk.level)};"
                                + (" font-weight: bold;" if risk.level == "high" else ""))

    def risk(self) -> RiskSummary | None:
        return self._risk

    def licence_state(self) -> str:
        if self._card is None:
            return "unknown"
        return licence_status(self._card.licence_expiry, self._today(), self.licence_warn_days)

    def _person(self, name: str, phone: str) -> str:
        if self._mask:
            name, phone = mask_name(name), mask_phone(phone)
        return " · ".join(x for x in (name, phone) if x) or "—"

    def _render(self) -> None:
        c = self._card
        if c is None:
            self.name_label.setText(self.tr("Business unknown"))
            for label in self.fields.values():
                label.setText("—")
            return
        self.name_label.setText(c.name or c.id)
        f = self.fields
        f["category"].setText(labels.category(c.category) or "—")
        f["district"].setText(place_line(c))
        f["address"].setText(c.address or "—")
        state = self.licence_state()
        expiry = date_text(c.licence_expiry) if c.licence_expiry else self.tr("no expiry date")
        suffix = {"expired": self.tr(" (expired)"),
                  "expiring": self.tr(" (expires within %1 days)").replace(
                      "%1", str(self.licence_warn_days))}.get(state, "")
        f["licence"].setText(f"{c.licence_no or '—'} · {expiry}{suffix}")
        warn = state in ("expired", "expiring")
        f["licence"].setStyleSheet(
            f"color: {rule_state_color('breach').name()}; font-weight: bold;" if warn else "")
        f["official"].setText(self._person(c.official_name, c.official_phone))
        f["contact"].setText(self._person(c.contact_name, c.contact_phone))
        f["history"].setText(
            self.tr("%1 previous alarms · %2 open tasks")
            .replace("%1", str(c.previous_alarms)).replace("%2", str(c.open_tasks)))
        f["history"].setStyleSheet(
            f"color: {rule_state_color('warning').name()};" if c.open_tasks else "")
