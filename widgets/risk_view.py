"""A business's risk score in the interface language, and the month's patrol plan by risk.

Central sends each reason as a stable code with its points and the number behind it
(``GET /api/risk``); the words are the console's, so a Chinese desk reads "2 项未办结任务"
rather than central's English. Unknown codes (a newer server) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.theme import rule_state_color

_CTX = "Risk"
REASONS = {
    "category": QT_TRANSLATE_NOOP("Risk", "category: %1"),
    "open_tasks": QT_TRANSLATE_NOOP("Risk", "%1 open tasks"),
    "overdue_tasks": QT_TRANSLATE_NOOP("Risk", "%1 overdue tasks"),
    "alarms_30d": QT_TRANSLATE_NOOP("Risk", "%1 alarms in 30 days"),
    "black_list": QT_TRANSLATE_NOOP("Risk", "on the black list"),
    "red_list": QT_TRANSLATE_NOOP("Risk", "on the red list"),
    "licence_expired": QT_TRANSLATE_NOOP("Risk", "licence expired %1 days ago"),
    "licence_expiring": QT_TRANSLATE_NOOP("Risk", "licence expires in %1 days"),
    "dark_hours_30d": QT_TRANSLATE_NOOP("Risk", "%1 h with a covered or offline camera "
                                                "(30 days)"),
}
SCORE = QT_TRANSLATE_NOOP("Risk", "%1 (%2)")
LEVELS = {"high": QT_TRANSLATE_NOOP("Risk", "high"),
          "medium": QT_TRANSLATE_NOOP("Risk", "medium"),
          "low": QT_TRANSLATE_NOOP("Risk", "low")}


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class RiskSummary:
    """One business's entry of ``GET /api/risk``."""

    business_id: str
    score: float
    level: str
    reasons: tuple[tuple[str, float, float], ...]  # (code, points, value)
    category: str = ""

    @classmethod
    def from_payload(cls, entry: Mapping[str, Any]) -> RiskSummary:
        return cls(str(entry["business_id"]), float(entry["score"]), str(entry["level"]),
                   tuple((str(r["code"]), float(r["points"]), float(r.get("value", 0.0)))
                         for r in entry.get("reasons", ())),
                   str(entry.get("category", "")))


def reason_line(code: str, points: float, value: float, category: str = "") -> str:
    """"30 天内预警 3 次 (+6)": one reason and what it adds; the category reason names the
    category (its number is the points already shown)."""
    template = REASONS.get(code)
    shown = labels.category(category) or category if code == "category" else _number(value)
    words = QCoreApplication.translate(_CTX, template).replace("%1", shown) if template \
        else code
    return f"{words} ({points:+g})"


def risk_text(summary: RiskSummary) -> str:
    """The card's line: score, level, then every reason, largest first."""
    level = LEVELS.get(summary.level)
    head = QCoreApplication.translate(_CTX, SCORE).replace("%1", _number(summary.score)).replace(
        "%2", QCoreApplication.translate(_CTX, level) if level else summary.level)
    if not summary.reasons:
        return head
    return head + " · " + "; ".join(reason_line(*r, category=summary.category)
                                    for r in summary.reasons)


def level_color(level: str) -> str:
    return rule_state_color({"high": "breach", "medium": "warning"}.get(level, "normal")).name()


class RiskPlanDialog(QDialog):
    """The month's online patrol plan (``GET /api/risk/plan``): who is behind, first, in red;
    then by risk; how many looks each still needs."""

    COLUMNS = ("name", "score", "required", "done", "due_by_today", "planned")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskPlanDialog")
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([
            self.tr("Business"), self.tr("Risk"), self.tr("Looks required"),
            self.tr("Looks done"), self.tr("Due by today"), self.tr("Still to plan")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Patrol plan by risk"))

    def set_error(self, message: str) -> None:
        self.summary.setText(self.tr("The plan could not be loaded: %1").replace("%1", message))
        self.table.setRowCount(0)

    def set_plan(self, plan: Mapping[str, Any]) -> None:
        lines: Sequence[Mapping[str, Any]] = plan.get("lines", ())
        self.setWindowTitle(self.tr("Patrol plan by risk — %1").replace(
            "%1", str(plan.get("month", ""))))
        self.summary.setText(
            self.tr("%1 businesses, %2 behind schedule; %3 online looks still to do this month. "
                    "Businesses behind schedule come first, then the highest risk.")
            .replace("%1", str(len(lines))).replace("%2", str(plan.get("behind", 0)))
            .replace("%3", str(plan.get("planned_looks", 0))))
        self.table.setRowCount(len(lines))
        red = QBrush(rule_state_color("breach"))
        for row, line in enumerate(lines):
            name = str(line.get("name") or line.get("business_id", ""))
            if line.get("reception"):
                name += " · " + self.tr("reception kitchen")
            values = [name, _number(float(line.get("score", 0))), str(line.get("required", 0)),
                      str(line.get("done", 0)), str(line.get("due_by_today", 0)),
                      str(line.get("planned", 0))]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, line.get("business_id"))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if line.get("behind"):
                    item.setForeground(red)
                    if col == 0:
                        item.setToolTip(self.tr("Behind schedule"))
                self.table.setItem(row, col, item)

    def behind_rows(self) -> list[int]:
        """Rows drawn as behind schedule (what the officer is meant to see first)."""
        red = rule_state_color("breach")
        return [r for r in range(self.table.rowCount())
                if (item := self.table.item(r, 0)) is not None
                and item.foreground().color() == red]
