"""The online patrol panel (网络巡查): a plan's progress, its queue, the business being looked at
and the verdict buttons.

The panel only displays and asks: the console chooses the business, puts its cameras on the
wall, takes the snapshot and records the verdict. A *problem* needs a note (what was seen is
the evidence next to the snapshot); *compliant* needs nothing but the click. The elapsed time
counts from the moment the business appeared, because how long an officer looked is part of
the trace (痕迹化监督).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.business_card import BusinessCardWidget
from widgets.formatting import date_text, datetime_text, duration_text
from widgets.models.patrol import PlanCoverage, QueueEntry
from widgets.models.rows import BusinessCard, utc_now
from widgets.theme import OVERDUE_COLOR, rule_state_color, ui_font

COMPLIANT, PROBLEM = "compliant", "problem"
BUSINESS_ROLE = Qt.ItemDataRole.UserRole + 1


def clock_text(seconds: float) -> str:
    """``04:07`` / ``1:02:07``: a running stopwatch."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class PatrolPanel(QWidget):
    """Signals are requests; the console answers with ``set_*`` calls."""

    plan_selected = Signal(str)
    start_requested = Signal()
    stop_requested = Signal()
    business_chosen = Signal(str)  # jump to this business (double-click in the queue)
    verdict_given = Signal(str, str, bool)  # verdict, note, dispatch a task
    skip_requested = Signal()
    new_plan_requested = Signal()
    edit_plan_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._clock = clock
        self._coverage: PlanCoverage | None = None
        self._current_id: str | None = None
        self._started_at: datetime | None = None
        self._patrolling = False
        self._busy = False
        self._filling = False
        self.setObjectName("patrolPanel")
        self.setMinimumWidth(340)
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)

        plan_row = QHBoxLayout()
        self.plan_box = QComboBox()
        self.plan_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_box.currentIndexChanged.connect(self._on_plan_index)
        plan_row.addWidget(QLabel(self.tr("Plan")))
        plan_row.addWidget(self.plan_box, 1)
        self.new_button = QPushButton(self.tr("New…"))
        self.new_button.setToolTip(self.tr("Create a patrol plan"))
        self.new_button.clicked.connect(self.new_plan_requested)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr("Change the selected plan"))
        self.edit_button.clicked.connect(self._on_edit)
        plan_row.addWidget(self.new_button)
        plan_row.addWidget(self.edit_button)
        root.addLayout(plan_row)

        self.plan_info = QLabel()
        self.plan_info.setWordWrap(True)
        root.addWidget(self.plan_info)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        root.addWidget(self.progress)
        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        root.addWidget(self.coverage_label)

        self.queue = QTableWidget(0, 4)
        self.queue.setHorizontalHeaderLabels([self.tr("Business"), self.tr("Looks"),
                                              self.tr("Last look"), self.tr("Due")])
        self.queue.verticalHeader().hide()
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.queue.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.queue.setToolTip(self.tr("Most overdue first. Double-click a business to look at "
                                      "it now."))
        self.queue.cellDoubleClicked.connect(self._on_queue_double_clicked)
        root.addWidget(self.queue, 1)

        run_row = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start patrol"))
        self.start_button.clicked.connect(self.start_requested)
        self.stop_button = QPushButton(self.tr("Stop patrol"))
        self.stop_button.clicked.connect(self.stop_requested)
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.stop_button)
        root.addLayout(run_row)

        self.current_box = QGroupBox(self.tr("Looking at"))
        current = QVBoxLayout(self.current_box)
        head = QHBoxLayout()
        self.position_label = QLabel()
        self.elapsed_label = QLabel()
        self.elapsed_label.setFont(ui_font(bold=True))
        self.elapsed_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        head.addWidget(self.position_label, 1)
        head.addWidget(self.elapsed_label)
        current.addLayout(head)
        self.card = BusinessCardWidget()
        current.addWidget(self.card)
        self.cameras_label = QLabel()
        current.addWidget(self.cameras_label)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("What did you see? Required when you report a "
                                                  "problem."))
        self.note_edit.setFixedHeight(64)
        self.note_edit.textChanged.connect(self._on_note_changed)
        current.addWidget(self.note_edit)
        self.dispatch_check = QCheckBox(self.tr("Dispatch an inspection task for the problem"))
        current.addWidget(self.dispatch_check)
        verdicts = QHBoxLayout()
        self.compliant_button = QPushButton(self.tr("Compliant"))
        self.compliant_button.setToolTip(self.tr("Nothing wrong seen (Ctrl+1)"))
        self.compliant_button.setStyleSheet(
            f"QPushButton {{ background: {rule_state_color('normal').name()}; color: white;"
            " font-weight: bold; padding: 6px; }")
        self.compliant_button.clicked.connect(lambda: self.give_verdict(COMPLIANT))
        self.problem_button = QPushButton(self.tr("Problem found"))
        self.problem_button.setToolTip(self.tr("Report what you saw, with a snapshot (Ctrl+2)"))
        self.problem_button.setStyleSheet(
            f"QPushButton {{ background: {rule_state_color('breach').name()}; color: white;"
            " font-weight: bold; padding: 6px; }")
        self.problem_button.clicked.connect(lambda: self.give_verdict(PROBLEM))
        self.skip_button = QPushButton(self.tr("Skip"))
        self.skip_button.setToolTip(self.tr("Go to the next business without a verdict (the "
                                            "skip is recorded)"))
        self.skip_button.clicked.connect(self._on_skip)
        verdicts.addWidget(self.compliant_button, 2)
        verdicts.addWidget(self.problem_button, 2)
        verdicts.addWidget(self.skip_button, 1)
        current.addLayout(verdicts)
        QShortcut(QKeySequence("Ctrl+1"), self, lambda: self.give_verdict(COMPLIANT))
        QShortcut(QKeySequence("Ctrl+2"), self, lambda: self.give_verdict(PROBLEM))
        root.addWidget(self.current_box)

        self.message = QLabel()
        self.message.setWordWrap(True)
        root.addWidget(self.message)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_elapsed)
        self.set_plans([])
        self.set_current(None)

    # ------------------------------------------------------------------ plans and queue
    def set_can_edit(self, can_edit: bool) -> None:
        self.new_button.setVisible(can_edit)
        self.edit_button.setVisible(can_edit)

    def set_mask_personal(self, mask: bool) -> None:
        self.card.set_mask_personal(mask)

    def current_plan_id(self) -> str | None:
        data = self.plan_box.currentData()
        return str(data) if data else None

    def set_plans(self, plans: Sequence[PlanCoverage], current_id: str | None = None) -> None:
        """The plans to choose from, with their coverage in the list; keeps the choice."""
        keep = current_id or self.current_plan_id()
        self._filling = True
        try:
            self.plan_box.clear()
            for cov in plans:
                self.plan_box.addItem(
                    self.tr("%1 — %2 of %3").replace("%1", cov.plan.name)
                    .replace("%2", str(cov.covered)).replace("%3", str(cov.total)), cov.plan.id)
            index = self.plan_box.findData(keep) if keep else -1
            self.plan_box.setCurrentIndex(index if index >= 0 else (0 if plans else -1))
        finally:
            self._filling = False
        self.edit_button.setEnabled(bool(plans))
        if not plans:
            self.set_coverage(None)
            self.plan_info.setText(self.tr("No patrol plans in your scope yet."))

    def set_coverage(self, coverage: PlanCoverage | None) -> None:
        """Progress and queue of the chosen plan (most overdue first)."""
        self._coverage = coverage
        self.queue.setRowCount(0)
        if coverage is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.coverage_label.setText("")
            self._update_buttons()
            return
        plan = coverage.plan
        self.plan_info.setText(
            self.tr("Every business %1 times in %2 days (one look every %3)")
            .replace("%1", str(plan.times_per_period)).replace("%2", str(plan.period_days))
            .replace("%3", duration_text(plan.interval.total_seconds())))
        self.progress.setRange(0, max(coverage.total, 1))
        self.progress.setValue(coverage.covered)
        self.progress.setFormat(self.tr("%1 of %2 businesses").replace(
            "%1", str(coverage.covered)).replace("%2", str(coverage.total)))
        self.coverage_label.setText(
            self.tr("Patrolled %1 of %2 businesses this period · %3 of %4 looks · %5 overdue")
            .replace("%1", str(coverage.covered)).replace("%2", str(coverage.total))
            .replace("%3", str(coverage.checks_done))
            .replace("%4", str(coverage.checks_required))
            .replace("%5", str(coverage.overdue)))
        self.queue.setRowCount(coverage.total)
        now = coverage.computed_at or self._clock()
        for row, entry in enumerate(coverage.entries):
            self._fill_row(row, entry, now)
        self._mark_current_row()
        self._update_buttons()

    def _fill_row(self, row: int, entry: QueueEntry, now: datetime) -> None:
        name = QTableWidgetItem(entry.name)
        name.setData(BUSINESS_ROLE, entry.business_id)
        name.setToolTip(entry.business_id)
        looks = QTableWidgetItem(f"{entry.done}/{entry.required}")
        looks.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if entry.covered:
            looks.setForeground(QBrush(rule_state_color("normal")))
        last = QTableWidgetItem(datetime_text(entry.last_at) if entry.last_at
                                else self.tr("never"))
        if entry.due_at is None:
            due_text = self.tr("now")
        elif entry.overdue:
            due_text = self.tr("%1 overdue").replace(
                "%1", duration_text((now - entry.due_at).total_seconds()))
        else:
            due_text = date_text(entry.due_at)
        due = QTableWidgetItem(due_text)
        if entry.overdue:
            due.setForeground(QBrush(QColor(OVERDUE_COLOR)))
        for col, item in enumerate((name, looks, last, due)):
            self.queue.setItem(row, col, item)

    def _first_cells(self) -> list[QTableWidgetItem]:
        """The business cell of every queue row (each row is filled whole)."""
        cells = (self.queue.item(r, 0) for r in range(self.queue.rowCount()))
        return [cell for cell in cells if cell is not None]

    def queue_ids(self) -> list[str]:
        """Business ids in the order the queue shows them."""
        return [str(item.data(BUSINESS_ROLE)) for item in self._first_cells()]

    def _mark_current_row(self) -> None:
        for item in self._first_cells():
            font = QFont(item.font())
            font.setBold(item.data(BUSINESS_ROLE) == self._current_id)
            item.setFont(font)

    # ------------------------------------------------------------------ the current business
    def set_patrolling(self, on: bool) -> None:
        self._patrolling = on
        self._update_buttons()

    def set_current(self, card: BusinessCard | None, *, started_at: datetime | None = None,
                    position: int = 0, total: int = 0, cameras: int = 0) -> None:
        """Show the business being looked at (None: no patrol in progress)."""
        self._current_id = card.id if card is not None else None
        self._started_at = started_at if card is not None else None
        self.card.set_card(card)
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self.dispatch_check.setChecked(False)
        if card is None:
            self.position_label.setText(self.tr("No patrol in progress"))
            self.cameras_label.setText("")
            self.elapsed_label.setText("")
            self._tick.stop()
        else:
            self.position_label.setText(self.tr("Business %1 of %2").replace(
                "%1", str(position)).replace("%2", str(total)))
            self.cameras_label.setText(
                self.tr("%1 cameras on the wall").replace("%1", str(cameras)) if cameras
                else self.tr("This business has no cameras: judge by its records or skip it."))
            self._tick.start()
            self._update_elapsed()
        self._mark_current_row()
        self._update_buttons()

    def current_business_id(self) -> str | None:
        return self._current_id

    def elapsed_s(self) -> float:
        if self._started_at is None:
            return 0.0
        return max(0.0, (self._clock() - self._started_at).total_seconds())

    def _update_elapsed(self) -> None:
        if self._started_at is not None:
            self.elapsed_label.setText(self.tr("Watching %1").replace(
                "%1", clock_text(self.elapsed_s())))

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While a verdict is being saved (snapshot, outbox) the buttons wait."""
        self._busy = busy
        if text:
            self.show_message(text)
        self._update_buttons()

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            f"color: {rule_state_color('breach').name()};" if error else "")

    def _update_buttons(self) -> None:
        looking = self._patrolling and self._current_id is not None and not self._busy
        for widget in (self.compliant_button, self.problem_button, self.skip_button,
                       self.note_edit, self.dispatch_check):
            widget.setEnabled(looking)
        has_plan = self._coverage is not None and self._coverage.total > 0
        self.start_button.setEnabled(has_plan and not self._patrolling and not self._busy)
        self.stop_button.setEnabled(self._patrolling and not self._busy)
        self.plan_box.setEnabled(not self._patrolling)
        self.current_box.setEnabled(self._patrolling)

    # ------------------------------------------------------------------ verdicts
    def give_verdict(self, verdict: str) -> bool:
        """Validate and emit ``verdict_given``; False (with the reason shown) if refused."""
        if not self.compliant_button.isEnabled():
            return False
        note = self.note_edit.toPlainText().strip()
        if verdict == PROBLEM and not note:
            self.show_message(self.tr("Describe the problem before recording it: the note is "
                                      "the evidence next to the snapshot."), error=True)
            self.note_edit.setFocus()
            return False
        self.verdict_given.emit(verdict, note, verdict == PROBLEM
                                and self.dispatch_check.isChecked())
        return True

    def _on_note_changed(self) -> None:
        if self.message.styleSheet() and self.note_edit.toPlainText().strip():
            self.show_message("")

    def _on_skip(self) -> None:
        if self.skip_button.isEnabled():
            self.skip_requested.emit()

    def _on_plan_index(self, _index: int) -> None:
        if not self._filling and self.current_plan_id():
            self.plan_selected.emit(self.current_plan_id())

    def _on_edit(self) -> None:
        plan_id = self.current_plan_id()
        if plan_id:
            self.edit_plan_requested.emit(plan_id)

    def _on_queue_double_clicked(self, row: int, _col: int) -> None:
        item = self.queue.item(row, 0)
        if item is not None and not self._busy:
            self.business_chosen.emit(str(item.data(BUSINESS_ROLE)))
