"""Task board: the closed loop (闭环) of inspection tasks, from dispatch to ticked off (销号).

A filterable table of tasks with a per-state bar (counts per state; click to filter), overdue
tasks in red, escalated ones badged (挂牌督办), and a detail pane with the task's timeline
(who did what, when, with which note and photo) and the operator's actions: close after
review, reject back to rectification, reopen, escalate. Actions are emitted with the task's
version as the caller saw it; the server refuses a stale one (409) and the console shows the
current row.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from domain.clock import utcnow
from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.csv_export import write_csv
from widgets.delegates import ChipDelegate
from widgets.dialogs import NoteDialog
from widgets.formatting import datetime_text, duration_text
from widgets.models.rows import TaskEventRow, TaskRow
from widgets.models.rowset import RowSet
from widgets.models.tasks import (
    NOTE_REQUIRED,
    OperatorAction,
    TaskFilter,
    allowed_actions,
    column_key,
    deadline_key,
    is_overdue,
)
from widgets.rowset_model import ID_ROLE, Column, RowSetTableModel, toggle_header_sort
from widgets.theme import OVERDUE_COLOR, task_state_color, ui_font
from widgets.throttle import Throttle

translate = QCoreApplication.translate
log = logging.getLogger("kitchenwatch.widgets.task_board")

BOARD_STATES = ("dispatched", "accepted", "on_site", "rectifying", "review", "closed",
                "rejected")

_OVERDUE_BG = QColor(224, 49, 49, 28)
SUPERVISOR_MAX_LENGTH = 64  # Task.supervisor column




class TaskTableModel(RowSetTableModel[TaskRow]):
    """Tasks with filter and order; ``clock`` decides what is overdue."""

    def __init__(self, clock: Callable[[], datetime] = utcnow,
                 parent: QObject | None = None) -> None:
        self.clock = clock
        self.filter = TaskFilter()
        rowset: RowSet[TaskRow] = RowSet(id_of=lambda t: t.id, key=deadline_key)
        super().__init__(rowset, self._columns(), "TaskBoard", parent)

    def _columns(self) -> list[Column[TaskRow]]:
        def overdue(t: TaskRow) -> bool:
            return is_overdue(t, self.clock())

        def deadline_text(t: TaskRow) -> str:
            if t.deadline is None:
                return ""
            if t.state == "closed":
                return datetime_text(t.deadline)
            left = (t.deadline - self.clock()).total_seconds()
            if left < 0:
                return translate("TaskBoard", "Overdue %1").replace("%1", duration_text(-left))
            return translate("TaskBoard", "%1 left").replace("%1", duration_text(left))

        def red_if_overdue(t: TaskRow) -> QColor | None:
            return QColor(OVERDUE_COLOR) if overdue(t) else None

        def bg(t: TaskRow) -> QColor | None:
            return _OVERDUE_BG if overdue(t) else None

        def badge(t: TaskRow) -> str:
            return translate("TaskBoard", "Supervised") if t.escalated else ""

        return [
            Column("deadline", QT_TRANSLATE_NOOP("TaskBoard", "Deadline"),
                   deadline_text,
                   sort_value=lambda t: t.deadline.timestamp() if t.deadline else None,
                   foreground=red_if_overdue, background=bg,
                   tooltip=lambda t: datetime_text(t.deadline)),
            Column("state", QT_TRANSLATE_NOOP("TaskBoard", "State"),
                   lambda t: labels.task_state(t.state),
                   sort_value=lambda t: BOARD_STATES.index(t.state)
                   if t.state in BOARD_STATES else 99,
                   value=lambda t: t.state, background=bg),
            Column("escalated", QT_TRANSLATE_NOOP("TaskBoard", "Escalation"),
                   badge,
                   sort_value=lambda t: t.escalated, value=lambda t: "escalated",
                   background=bg, tooltip=lambda t: t.supervisor),
            Column("business", QT_TRANSLATE_NOOP("TaskBoard", "Business"),
                   lambda t: t.business_name or t.business_id,
                   sort_value=lambda t: t.business_name or t.business_id, background=bg),
            Column("title", QT_TRANSLATE_NOOP("TaskBoard", "Task"),
                   lambda t: t.title, sort_value=lambda t: t.title,
                   background=bg, tooltip=lambda t: t.notes or t.title),
            Column("assignee", QT_TRANSLATE_NOOP("TaskBoard", "Assignee"),
                   lambda t: t.assignee_name or t.assignee,
                   sort_value=lambda t: t.assignee_name or t.assignee, background=bg),
            Column("district", QT_TRANSLATE_NOOP("TaskBoard", "District"),
                   lambda t: t.district_name or t.district_id,
                   sort_value=lambda t: t.district_name or t.district_id, background=bg),
            Column("age", QT_TRANSLATE_NOOP("TaskBoard", "Age"),
                   lambda t: duration_text((self.clock() - t.created_at).total_seconds()),
                   sort_value=lambda t: -t.created_at.timestamp(), background=bg,
                   tooltip=lambda t: datetime_text(t.created_at),
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ]

    def set_filter(self, flt: TaskFilter) -> None:
        self.filter = flt
        self.rowset.set_predicate(flt.matches)

    def sort_by_column(self, column: int, descending: bool) -> None:
        col = self.columns[column]
        if col.sort_value is not None:
            self.rowset.set_key(column_key(col.sort_value, descending))

    def sort_by_deadline(self) -> None:
        self.rowset.set_key(deadline_key)

    def refresh_time(self) -> None:
        """Time moved on: ages, remaining times and overdue colours change."""
        if len(self.rowset):
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rowset) - 1, len(self.columns) - 1))


class _EventCard(QFrame):
    """One timeline entry."""

    def __init__(self, event: TaskEventRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task_event = event
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        dot = QLabel("●")
        dot.setStyleSheet(f"color: {task_state_color(event.to_state).name()};")
        dot.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(dot)
        text = QVBoxLayout()
        head = QLabel(f"{labels.task_action(event.action)} · {event.actor or '—'}")
        head.setFont(ui_font(bold=True))
        head.setTextFormat(Qt.TextFormat.PlainText)
        text.addWidget(head)
        meta = datetime_text(event.ts)
        if event.from_state and event.to_state and event.from_state != event.to_state:
            change = f"{labels.task_state(event.from_state)} → {labels.task_state(event.to_state)}"
            meta += f" · {change}"
        meta_label = QLabel(meta)
        meta_label.setStyleSheet("color: palette(mid);")
        text.addWidget(meta_label)
        if event.note:
            note = QLabel(event.note)
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            text.addWidget(note)
        layout.addLayout(text, 1)
        self.thumb = QLabel()
        self.thumb.setFixedSize(128, 72)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setStyleSheet("background: #1b1f24; color: #adb5bd;")
        self.thumb.setWordWrap(True)
        self.thumb.setVisible(bool(event.attachment_url))
        self.thumb.setText(self.tr("Loading photo…"))
        self.thumb.setToolTip(event.attachment_url)
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)

    def set_thumbnail(self, image: QImage | None) -> None:
        if image is None or image.isNull():
            self.set_thumbnail_failed(self.tr("Photo unavailable"))
            return
        self.thumb.setPixmap(QPixmap.fromImage(image).scaled(
            self.thumb.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.thumb.setToolTip(self.task_event.attachment_url)

    def set_thumbnail_failed(self, reason: str) -> None:
        """The photo will not be shown: say why, in the thumbnail's place."""
        self.thumb.clear()
        self.thumb.setText(reason)
        self.thumb.setToolTip(f"{reason}\n{self.task_event.attachment_url}")

    def thumbnail_text(self) -> str:
        return self.thumb.text()


class TaskDetail(QWidget):
    """One task: header, checklist, notes, timeline and the operator's actions.

    Signals:
        action_requested(str task_id, str action, int expected_version, str note)
        attachment_requested(str url): a timeline photo should be fetched; answer with
            :meth:`set_attachment_image` or :meth:`set_attachment_failed`. Asked once per
            photo while it is shown (a failure is asked again when the task is selected
            again).
        evidence_requested(str alarm_id): export the evidence pack of the task's alarm.
    """

    action_requested = Signal(str, str, int, str)
    attachment_requested = Signal(str)
    evidence_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(parent)
        self._clock = clock
        self._task: TaskRow | None = None
        self._events: list[TaskEventRow] = []
        self._images: dict[str, QImage] = {}
        self._failures: dict[str, str] = {}  # url -> why it is not shown
        self._requested: set[str] = set()
        self._cards: list[_EventCard] = []
        self._read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.title_label = QLabel(self.tr("No task selected"))
        self.title_label.setFont(ui_font(16, bold=True))
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title_label)
        chips = QHBoxLayout()
        self.state_chip = QLabel()
        self.badge = QLabel(self.tr("Supervised"))
        self.badge.setStyleSheet("background: #c92a2a; color: white; border-radius: 4px;"
                                 " padding: 2px 6px; font-weight: bold;")
        self.deadline_label = QLabel()
        chips.addWidget(self.state_chip)
        chips.addWidget(self.badge)
        chips.addWidget(self.deadline_label, 1)
        layout.addLayout(chips)
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.info_label)

        actions = QHBoxLayout()
        self.buttons: dict[OperatorAction, QPushButton] = {
            OperatorAction.CLOSE: QPushButton(self.tr("Close (tick off)")),
            OperatorAction.CLOSE_BY_LOOK: QPushButton(self.tr("Close by online look")),
            OperatorAction.REJECT: QPushButton(self.tr("Reject…")),
            OperatorAction.REOPEN: QPushButton(self.tr("Reopen…")),
            OperatorAction.ESCALATE: QPushButton(self.tr("Escalate…")),
        }
        self.buttons[OperatorAction.CLOSE_BY_LOOK].setToolTip(self.tr(
            "A minor AI violation put right: close without a visit once someone has looked at "
            "its camera online at least 30 minutes after the alarm (central checks the look)"))
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _=False, a=action: self.request(a))
            actions.addWidget(button)
        actions.addStretch(1)
        self.evidence_button = QPushButton(self.tr("Evidence pack (PDF)…"))
        self.evidence_button.clicked.connect(
            lambda: self._task is not None and self._task.alarm_id
            and self.evidence_requested.emit(self._task.alarm_id))
        actions.addWidget(self.evidence_button)
        layout.addLayout(actions)

        timeline_title = QLabel(self.tr("Timeline"))
        timeline_title.setFont(ui_font(bold=True))
        layout.addWidget(timeline_title)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._timeline_host = QWidget()
        self._timeline = QVBoxLayout(self._timeline_host)
        self._timeline.setContentsMargins(0, 0, 0, 0)
        self._timeline.addStretch(1)
        self._scroll.setWidget(self._timeline_host)
        layout.addWidget(self._scroll, 1)
        self._render()

    def task(self) -> TaskRow | None:
        return self._task

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._render_actions()

    def set_task(self, task: TaskRow | None, events: Iterable[TaskEventRow] = ()) -> None:
        if task is None or self._task is None or task.id != self._task.id:
            # Another task: photos that failed (server away) are asked for again.
            self._failures.clear()
            self._requested.clear()
        self._task = task
        self._events = sorted(events, key=lambda e: (e.ts, e.id))
        self._render()

    def set_events(self, events: Iterable[TaskEventRow]) -> None:
        self._events = sorted(events, key=lambda e: (e.ts, e.id))
        self._render_timeline()

    def set_attachment_image(self, url: str, image: QImage | None) -> None:
        self._requested.discard(url)
        if image is not None and not image.isNull():
            self._images[url] = image
        for card in self._cards:
            if card.task_event.attachment_url == url:
                card.set_thumbnail(image)

    def set_attachment_failed(self, url: str, reason: str) -> None:
        """The photo at ``url`` could not be fetched or shown; ``reason`` is shown instead."""
        self._requested.discard(url)
        self._failures[url] = reason
        for card in self._cards:
            if card.task_event.attachment_url == url:
                card.set_thumbnail_failed(reason)

    def timeline_cards(self) -> list[_EventCard]:
        return list(self._cards)

    def make_note_dialog(self, action: OperatorAction) -> NoteDialog:
        titles = {
            OperatorAction.REJECT: (self.tr("Reject rectification"),
                                    self.tr("Send the task back for rectification. What is "
                                            "still wrong?")),
            OperatorAction.REOPEN: (self.tr("Reopen task"),
                                    self.tr("Why does this task need to be reopened?")),
            OperatorAction.ESCALATE: (self.tr("Escalate task (supervised case)"),
                                      self.tr("Name the official who will supervise this case "
                                              "(挂牌督办):")),
            OperatorAction.CLOSE: (self.tr("Close task"), self.tr("Closing note")),
        }
        title, prompt = titles[action]
        # Central records the escalation note as the task's supervisor (64 characters).
        limit = SUPERVISOR_MAX_LENGTH if action is OperatorAction.ESCALATE else None
        return NoteDialog(title, prompt, required=action in NOTE_REQUIRED, parent=self,
                          max_length=limit)

    def request(self, action: OperatorAction) -> None:
        """Ask for a note when the action needs one, then emit ``action_requested``."""
        task = self._task
        if task is None or action not in allowed_actions(task):
            return
        note = ""
        if action in NOTE_REQUIRED:
            dialog = self.make_note_dialog(action)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            note = dialog.note()
        self.action_requested.emit(task.id, str(action), task.version, note)

    def _render(self) -> None:
        t = self._task
        if t is None:
            self.title_label.setText(self.tr("No task selected"))
            for w in (self.state_chip, self.badge, self.deadline_label, self.info_label):
                w.hide()
        else:
            self.title_label.setText(t.title or t.id)
            color = task_state_color(t.state).name()
            self.state_chip.setText(f" {labels.task_state(t.state)} ")
            self.state_chip.setStyleSheet(f"background: {color}; color: white; "
                                          "border-radius: 8px; padding: 2px 8px;")
            self.state_chip.show()
            self.badge.setVisible(t.escalated)
            if t.escalated and t.supervisor:
                self.badge.setToolTip(self.tr("Supervised by %1").replace("%1", t.supervisor))
            self.deadline_label.show()
            overdue = is_overdue(t, self._clock())
            text = self.tr("Deadline %1").replace("%1", datetime_text(t.deadline))
            if overdue:
                text += " · " + self.tr("overdue by %1").replace(
                    "%1", duration_text((self._clock() - t.deadline).total_seconds()))
            self.deadline_label.setText(text)
            self.deadline_label.setStyleSheet(
                f"color: {OVERDUE_COLOR}; font-weight: bold;" if overdue else "")
            items = t.checklist.get("items", []) if isinstance(t.checklist, dict) else []
            lines = [f"{t.business_name or t.business_id} · {t.assignee_name or t.assignee}"]
            lines += [("☑ " if i.get("done") else "☐ ") + str(i.get("text", "")) for i in items
                      if isinstance(i, dict)]
            if t.notes:
                lines.append(t.notes)
            self.info_label.setText("\n".join(lines))
            self.info_label.show()
        self._render_actions()
        self._render_timeline()

    def _render_actions(self) -> None:
        self.evidence_button.setEnabled(bool(self._task and self._task.alarm_id))
        allowed = allowed_actions(self._task) if self._task else []
        for action, button in self.buttons.items():
            button.setVisible(not self._read_only)
            button.setEnabled(action in allowed)

    def _render_timeline(self) -> None:
        for card in self._cards:
            self._timeline.removeWidget(card)
            card.deleteLater()
        self._cards = []
        for event in self._events:
            card = _EventCard(event, self._timeline_host)
            self._timeline.insertWidget(self._timeline.count() - 1, card)
            self._cards.append(card)
            url = event.attachment_url
            if url:
                if url in self._images:
                    card.set_thumbnail(self._images[url])
                elif url in self._failures:
                    card.set_thumbnail_failed(self._failures[url])
                elif url not in self._requested:  # one fetch per photo, not one per redraw
                    self._requested.add(url)
                    self.attachment_requested.emit(url)


_AGE_PRESETS: tuple[tuple[str, timedelta | None, timedelta | None], ...] = (
    (QT_TRANSLATE_NOOP("TaskBoard", "Any age"), None, None),
    (QT_TRANSLATE_NOOP("TaskBoard", "Created in the last 24 h"), None, timedelta(hours=24)),
    (QT_TRANSLATE_NOOP("TaskBoard", "Older than 1 day"), timedelta(days=1), None),
    (QT_TRANSLATE_NOOP("TaskBoard", "Older than 3 days"), timedelta(days=3), None),
    (QT_TRANSLATE_NOOP("TaskBoard", "Older than 7 days"), timedelta(days=7), None),
)


class TaskBoard(QWidget):
    """Filterable task table with state counts, detail pane, actions and CSV export.

    Signals:
        action_requested(str task_id, str action, int expected_version, str note)
        attachment_requested(str url)
        task_selected(str task_id)
    """

    action_requested = Signal(str, str, int, str)
    attachment_requested = Signal(str)
    task_selected = Signal(str)
    evidence_requested = Signal(str)  # alarm id of the selected task

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(parent)
        self._clock = clock
        self._events: dict[str, dict[str, TaskEventRow]] = {}
        self._count_values: dict[str, int] = {}
        self.model = TaskTableModel(clock, self)

        root = QVBoxLayout(self)
        root.setContentsMargins(4, 4, 4, 4)
        self.state_bar = QHBoxLayout()
        self.state_buttons: dict[str, QToolButton] = {}
        for key in (*BOARD_STATES, "overdue", "escalated"):
            btn = QToolButton()
            btn.setCheckable(True)
            btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            btn.toggled.connect(lambda _c: self._apply_filter())
            self.state_buttons[key] = btn
            self.state_bar.addWidget(btn)
        self.state_bar.addStretch(1)
        root.addLayout(self.state_bar)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search business or task…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.district_box = QComboBox()
        self.assignee_box = QComboBox()
        self.age_box = QComboBox()
        for text, lo, hi in _AGE_PRESETS:
            self.age_box.addItem(self.tr(text), (lo, hi))
        self.open_only = QCheckBox(self.tr("Hide closed"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        for w in (self.search, self.district_box, self.assignee_box, self.age_box,
                  self.open_only):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        root.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.sectionClicked.connect(self._on_header_clicked)
        header.setSectionResizeMode(self.model.column_index("title"),
                                    QHeaderView.ResizeMode.Stretch)
        for key, width in {"deadline": 150, "state": 100, "escalated": 90, "business": 170,
                           "assignee": 90, "district": 80, "age": 80}.items():
            self.view.setColumnWidth(self.model.column_index(key), width)
        self.view.setItemDelegateForColumn(
            self.model.column_index("state"), ChipDelegate(task_state_color, self.view))
        self.view.setItemDelegateForColumn(
            self.model.column_index("escalated"),
            ChipDelegate(lambda _v: QColor("#c92a2a"), self.view))
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        splitter.addWidget(self.view)
        self.detail = TaskDetail(clock=clock)
        self.detail.action_requested.connect(self.action_requested)
        self.detail.attachment_requested.connect(self.attachment_requested)
        self.detail.evidence_requested.connect(self.evidence_requested)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        root.addWidget(splitter, 1)

        self._counts = Throttle(self._update_counts, 300, self)
        for sig in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved,
                    self.model.dataChanged):
            sig.connect(lambda *_: self._counts.trigger())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for box in (self.district_box, self.assignee_box, self.age_box):
            box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.open_only.toggled.connect(lambda _c: self._apply_filter())
        self.export_button.clicked.connect(self._on_export_clicked)
        self._clock_timer = QTimer(self)  # overdue/age move with time
        self._clock_timer.setInterval(60_000)
        self._clock_timer.timeout.connect(self._on_minute)
        self._clock_timer.start()
        self.set_districts({})
        self.set_assignees({})
        self._apply_filter()
        self._update_counts()

    # ------------------------------------------------------------------ data in
    def set_districts(self, names: Mapping[str, str]) -> None:
        self._fill_box(self.district_box, self.tr("All districts"), names)
        self.district_box.setVisible(len(names) > 1)

    def set_assignees(self, names: Mapping[str, str]) -> None:
        """``username -> display name`` of field officers for the assignee filter."""
        self._fill_box(self.assignee_box, self.tr("All assignees"), names)

    def replace_tasks(self, tasks: Iterable[TaskRow]) -> None:
        self.model.rowset.replace_all(tasks)
        self._refresh_detail()

    def upsert_tasks(self, tasks: Iterable[TaskRow]) -> None:
        self.model.rowset.upsert(tasks)
        self._refresh_detail()

    def remove_tasks(self, ids: Iterable[str]) -> None:
        self.model.rowset.remove(ids)
        self._refresh_detail()

    def upsert_events(self, events: Iterable[TaskEventRow]) -> None:
        touched = set()
        for event in events:
            self._events.setdefault(event.task_id, {})[event.id] = event
            touched.add(event.task_id)
        current = self.detail.task()
        if current is not None and current.id in touched:
            self.detail.set_events(self._events[current.id].values())

    def set_attachment_image(self, url: str, image: QImage | None) -> None:
        self.detail.set_attachment_image(url, image)

    def set_attachment_failed(self, url: str, reason: str) -> None:
        self.detail.set_attachment_failed(url, reason)

    # ------------------------------------------------------------------ selection / export
    def select_task(self, task_id: str) -> bool:
        index = self.model.index_of_id(task_id)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        return True

    def selected_task_id(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def export_csv(self, path: str | os.PathLike[str]) -> int:
        return write_csv(path, self.model.header(), self.model.visible_texts())

    def state_count(self, key: str) -> int:
        return self._count_values.get(key, 0)

    # ------------------------------------------------------------------ internals
    def _fill_box(self, box: QComboBox, all_text: str, names: Mapping[str, str]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(all_text, None)
        for key, name in sorted(names.items(), key=lambda kv: kv[1] or kv[0]):
            box.addItem(name or key, key)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    def _base_filter(self) -> TaskFilter:
        lo, hi = self.age_box.currentData() or (None, None)
        district = self.district_box.currentData()
        return TaskFilter(
            districts=frozenset({district}) if district else None,
            assignee=self.assignee_box.currentData(),
            min_age=lo, max_age=hi, search=self.search.text().strip(), now=self._clock())

    def _apply_filter(self) -> None:
        base = self._base_filter()
        states = {s for s in BOARD_STATES if self.state_buttons[s].isChecked()}
        if not states and self.open_only.isChecked():
            states = set(BOARD_STATES) - {"closed"}
        flt = TaskFilter(
            states=frozenset(states) if states else None, districts=base.districts,
            assignee=base.assignee, min_age=base.min_age, max_age=base.max_age,
            search=base.search, now=base.now,
            overdue_only=self.state_buttons["overdue"].isChecked(),
            escalated_only=self.state_buttons["escalated"].isChecked())
        self.model.set_filter(flt)
        self._counts.trigger()

    def _update_counts(self) -> None:
        """Per-state counts under the non-state filters (what each button would show)."""
        base = self._base_filter()
        counts = dict.fromkeys((*BOARD_STATES, "overdue", "escalated"), 0)
        now = self._clock()
        for t in self.model.rowset.all_rows():
            if not base.matches(t):
                continue
            if t.state in counts:
                counts[t.state] += 1
            if is_overdue(t, now):
                counts["overdue"] += 1
            if t.escalated and t.state != "closed":
                counts["escalated"] += 1
        self._count_values = counts
        for key, btn in self.state_buttons.items():
            if key == "overdue":
                name = self.tr("Overdue")
                color = OVERDUE_COLOR
            elif key == "escalated":
                name = self.tr("Supervised")
                color = "#c92a2a"
            else:
                name = labels.task_state(key)
                color = task_state_color(key).name()
            btn.setText(f"{name} {counts[key]}")
            weight = "bold" if key in ("overdue", "escalated") and counts[key] else "normal"
            btn.setStyleSheet(f"QToolButton {{ color: {color}; font-weight: {weight}; }}")

    def _on_minute(self) -> None:
        self.model.refresh_time()
        if self.age_box.currentIndex() > 0 or self.state_buttons["overdue"].isChecked():
            self._apply_filter()
        self._counts.trigger()

    def _on_header_clicked(self, section: int) -> None:
        if self.model.columns[section].sort_value is None:
            return
        self.model.sort_by_column(section, toggle_header_sort(self.view.horizontalHeader(),
                                                              section))

    def _on_current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        task_id = str(current.data(ID_ROLE)) if current.isValid() else ""
        self._show_detail(task_id)
        self.task_selected.emit(task_id)

    def _show_detail(self, task_id: str) -> None:
        task = self.model.rowset.get(task_id) if task_id else None
        self.detail.set_task(task, self._events.get(task_id, {}).values())

    def _refresh_detail(self) -> None:
        current = self.detail.task()
        if current is None:
            return
        fresh = self.model.rowset.get(current.id)
        if fresh is not current:
            self.detail.set_task(fresh, self._events.get(current.id, {}).values())

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export tasks"), "tasks.csv",
                                              self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))

