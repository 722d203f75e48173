"""The alarm list: thousands of alarms, filtered, searched, sorted, aggregated, exported.

:class:`AlarmTableModel` is a ``QAbstractTableModel`` over a :class:`RowSet` of
:class:`AlarmRow`; the sync layer's changes arrive as upserts that become single-row inserts,
moves or updates (the operator's selection and scroll position survive a busy feed). With
grouping on, live alarms of one business and type share one entry with the summed count
(:mod:`widgets.models.alarm_groups`), so a storm of repeats stays a short list.
:class:`AlarmListWidget` adds the filter bar, the search box and CSV export of exactly what is
shown, in the interface language.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from domain.clock import utcnow
from resources.i18n import QT_TRANSLATE_NOOP
from widgets import labels
from widgets.alarm_text import describe
from widgets.csv_export import write_csv
from widgets.delegates import ChipDelegate, DotDelegate
from widgets.dialogs import DismissDialog, common_dismiss_reasons
from widgets.formatting import datetime_text
from widgets.models.alarm_filter import (
    ACTIVE_STATES,
    AlarmFilter,
    AlarmSort,
    column_key,
    sort_key,
)
from widgets.models.alarm_groups import AlarmGroups, GroupChange, group_key
from widgets.models.alarm_window import live_total
from widgets.models.rows import AlarmRow
from widgets.models.rowset import RowSet
from widgets.rowset_model import ID_ROLE, ROW_ROLE, Column, RowSetTableModel, toggle_header_sort
from widgets.theme import alarm_state_color, severity_color

translate = QCoreApplication.translate
log = logging.getLogger("kitchenwatch.widgets.alarm_list")

AlarmLike = AlarmRow | Mapping[str, Any]


def _count_text(row: AlarmRow) -> str:
    return f"×{row.count}" if row.count > 1 else ""


def _type_text(row: AlarmRow) -> str:
    text = labels.alarm_type(row.kind, row.subtype)
    if len(row.member_ids) > 1:
        text += " · " + translate("AlarmTableModel", "%n alarm(s)", None, len(row.member_ids))
    return text


def _count_tooltip(row: AlarmRow) -> str:
    text = translate("AlarmTableModel", "Repeated %n time(s)", None, row.count)
    if len(row.member_ids) > 1:
        text += "\n" + translate("AlarmTableModel", "%n alarm(s) of this type at this business",
                                  None, len(row.member_ids))
    return text


def alarm_columns() -> list[Column[AlarmRow]]:
    """The alarm list's columns (also the CSV layout)."""
    return [
        Column("time", QT_TRANSLATE_NOOP("AlarmTableModel", "Last seen"),
               lambda r: datetime_text(r.last_seen_at),
               sort_value=lambda r: r.last_seen_at.timestamp(),
               tooltip=lambda r: translate("AlarmTableModel", "Opened %1").replace(
                   "%1", datetime_text(r.opened_at))),
        Column("severity", QT_TRANSLATE_NOOP("AlarmTableModel", "Severity"),
               lambda r: labels.severity(r.severity),
               sort_value=lambda r: r.severity, value=lambda r: r.severity),
        Column("type", QT_TRANSLATE_NOOP("AlarmTableModel", "Type"), _type_text,
               sort_value=lambda r: labels.alarm_type(r.kind, r.subtype)),
        Column("business", QT_TRANSLATE_NOOP("AlarmTableModel", "Business"),
               lambda r: r.business_name or r.business_id,
               sort_value=lambda r: r.business_name or r.business_id,
               tooltip=lambda r: r.business_id),
        Column("district", QT_TRANSLATE_NOOP("AlarmTableModel", "District"),
               lambda r: r.district_name or r.district_id,
               sort_value=lambda r: r.district_name or r.district_id),
        Column("message", QT_TRANSLATE_NOOP("AlarmTableModel", "Message"), describe,
               sort_value=describe, tooltip=describe),
        Column("count", QT_TRANSLATE_NOOP("AlarmTableModel", "Count"), _count_text,
               sort_value=lambda r: r.count, tooltip=_count_tooltip,
               align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        Column("state", QT_TRANSLATE_NOOP("AlarmTableModel", "State"),
               lambda r: labels.alarm_state(r.state),
               sort_value=lambda r: r.state, value=lambda r: r.state,
               tooltip=lambda r: r.dismiss_reason or labels.alarm_state(r.state)),
    ]


class AlarmTableModel(RowSetTableModel[AlarmRow]):
    """Alarm entries with filter and sort kept by the underlying :class:`RowSet`.

    The row set holds *entries*: an alarm, or with grouping on an aggregate of the live alarms
    of one business and type (keyed by its group key). ``ID_ROLE`` and :meth:`index_of_id`
    speak alarm ids: an entry answers with the alarm it opens and acts on.
    """

    def __init__(self, parent: QObject | None = None, grouping: bool = False) -> None:
        self.filter = AlarmFilter(states=ACTIVE_STATES, describe=describe)
        self.order = AlarmSort.NEWEST
        self.groups = AlarmGroups(grouping)
        rowset: RowSet[AlarmRow] = RowSet(
            id_of=lambda r: group_key(r, self.groups.grouping), key=sort_key(self.order),
            predicate=self.filter.matches)
        super().__init__(rowset, alarm_columns(), "AlarmTableModel", parent)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == ID_ROLE and index.isValid():
            return self.rowset.row_at(index.row()).id
        return super().data(index, role)

    def index_of_id(self, row_id: Any, column: int = 0) -> QModelIndex:
        """The entry showing alarm ``row_id``."""
        key = self.groups.entry_key(row_id) or row_id
        return super().index_of_id(key, column)

    def set_grouping(self, grouping: bool) -> None:
        if grouping == self.groups.grouping:
            return
        self.groups.set_grouping(grouping)
        self.rowset.replace_all(self.groups.entries())

    def set_filter(self, flt: AlarmFilter) -> None:
        self.filter = flt
        self.rowset.set_predicate(flt.matches)

    def set_order(self, order: AlarmSort) -> None:
        self.order = order
        self.rowset.set_key(sort_key(order))

    def sort_by_column(self, column: int, descending: bool) -> None:
        col = self.columns[column]
        if col.sort_value is not None:
            self.rowset.set_key(column_key(col.sort_value, descending))

    def alarm(self, alarm_id: str) -> AlarmRow | None:
        """The alarm as the model holds it (whether shown or filtered out)."""
        return self.groups.get(alarm_id)

    def alarms(self) -> Iterable[AlarmRow]:
        """Every alarm held (grouped or not, shown or filtered out)."""
        return self.groups.raw_rows()

    def held(self) -> int:
        """How many alarms the model holds."""
        return len(self.groups)

    def counts_by_state(self) -> dict[str, int]:
        return self.groups.counts_by_state()

    def upsert(self, rows: Iterable[AlarmRow]) -> GroupChange:
        return self._apply(self.groups.upsert(rows))

    def remove(self, ids: Iterable[str]) -> GroupChange:
        return self._apply(self.groups.remove(ids))

    def sync(self, rows: Iterable[AlarmRow]) -> GroupChange:
        """Make the model hold exactly ``rows``, updating only the entries that changed."""
        return self._apply(self.groups.replace(rows))

    def replace_all(self, rows: Iterable[AlarmRow]) -> None:
        """Start over with ``rows`` (one model reset)."""
        self.groups = AlarmGroups(self.groups.grouping)
        self.groups.upsert(rows)
        self.rowset.replace_all(self.groups.entries())

    def _apply(self, change: GroupChange) -> GroupChange:
        self.rowset.remove(change.removed)
        self.rowset.upsert(change.upserts)
        return change


_TIME_PRESETS: tuple[tuple[str, timedelta | None], ...] = (
    (QT_TRANSLATE_NOOP("AlarmListWidget", "Any time"), None),
    (QT_TRANSLATE_NOOP("AlarmListWidget", "Last hour"), timedelta(hours=1)),
    (QT_TRANSLATE_NOOP("AlarmListWidget", "Last 24 hours"), timedelta(hours=24)),
    (QT_TRANSLATE_NOOP("AlarmListWidget", "Last 7 days"), timedelta(days=7)),
    (QT_TRANSLATE_NOOP("AlarmListWidget", "Last 30 days"), timedelta(days=30)),
)

_SEVERITY_PRESETS = (
    (0, QT_TRANSLATE_NOOP("AlarmListWidget", "All severities")),
    (2, QT_TRANSLATE_NOOP("AlarmListWidget", "Minor and above")),
    (3, QT_TRANSLATE_NOOP("AlarmListWidget", "Major and above")),
    (4, QT_TRANSLATE_NOOP("AlarmListWidget", "Critical only")),
)


class AlarmListWidget(QWidget):
    """Filter bar + search + table + export.

    Signals:
        alarm_activated(str): open the alarm's panel (double click / Enter / menu).
        current_alarm_changed(str): selection moved ("" when none).
        acknowledged(str), dismissed(str, str): operator actions from the context menu.
        dispatch_requested_for(str): "Dispatch…" chosen; the console opens the dispatch dialog.
    """

    alarm_activated = Signal(str)
    current_alarm_changed = Signal(str)
    acknowledged = Signal(str)
    dismissed = Signal(str, str)
    dispatch_requested_for = Signal(str)
    evidence_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utcnow, grouping: bool = False,
                 model: AlarmTableModel | None = None) -> None:
        """``model``: the alarms to render, owned by whoever feeds them (the console's alarm
        centre); without one the list keeps its own (a list on its own, the tests')."""
        super().__init__(parent)
        self._clock = clock
        self._business_names: dict[str, str] = {}
        self._district_names: dict[str, str] = {}
        self._places: dict[str, str] = {}  # camera / sensor id -> where in the kitchen
        self._business_filter: tuple[str, str] | None = None
        self._restore_id = ""
        self._read_only = False
        self.model = model if model is not None else AlarmTableModel(self, grouping=grouping)
        self.model.set_grouping(grouping)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search business or message…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(230)
        self.kind_box = QComboBox()
        self.severity_box = QComboBox()
        self.district_box = QComboBox()
        self.state_box = QComboBox()
        self.time_box = QComboBox()
        self.sort_box = QComboBox()
        self.group_box = QCheckBox(self.tr("Group by business"))
        self.group_box.setToolTip(self.tr(
            "Show the live alarms of one business and type as one entry with their total count"))
        self.group_box.setChecked(grouping)
        for w in (self.search, self.kind_box, self.severity_box, self.district_box,
                  self.state_box, self.time_box, self.sort_box, self.group_box):
            bar.addWidget(w)
        bar.addStretch(1)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        bar.addWidget(self.export_button)
        layout.addLayout(bar)

        chips = QHBoxLayout()
        self.business_chip = QToolButton()
        self.business_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.business_chip.setAutoRaise(True)
        self.business_chip.hide()
        self.business_chip.clicked.connect(lambda: self.set_business_filter(None))
        chips.addWidget(self.business_chip)
        chips.addStretch(1)
        # The list is a window onto the local database (widgets.models.alarm_window): say
        # how many alarms needing action it does not hold, so the operator knows the total.
        self.more_label = QLabel()
        self.more_label.setObjectName("alarms-not-listed")
        self.more_label.setStyleSheet("color: #c92a2a; font-weight: bold;")
        self.more_label.hide()
        self._not_listed = 0
        chips.addWidget(self.more_label)
        self.status = QLabel()
        chips.addWidget(self.status)
        layout.addLayout(chips)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.sectionClicked.connect(self._on_header_clicked)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(self.model.column_index("message"),
                                    QHeaderView.ResizeMode.Stretch)
        widths = {"time": 150, "severity": 90, "type": 180, "business": 180, "district": 90,
                  "count": 56, "state": 130}
        for key, width in widths.items():
            self.view.setColumnWidth(self.model.column_index(key), width)
        self.view.setItemDelegateForColumn(
            self.model.column_index("severity"), DotDelegate(severity_color, self.view))
        self.view.setItemDelegateForColumn(
            self.model.column_index("state"), ChipDelegate(alarm_state_color, self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.activated.connect(self._on_activated)
        self.view.doubleClicked.connect(self._on_activated)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        layout.addWidget(self.view, 1)

        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_status)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._apply_filter_from_controls)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._relative_timer = QTimer(self)  # a "last 24 h" window moves with the clock
        self._relative_timer.setInterval(60_000)
        self._relative_timer.timeout.connect(self._apply_filter_from_controls)

        self._fill_controls()
        for box in (self.kind_box, self.severity_box, self.district_box, self.state_box,
                    self.time_box):
            box.currentIndexChanged.connect(lambda _i: self._apply_filter_from_controls())
        self.sort_box.currentIndexChanged.connect(self._on_sort_changed)
        self.group_box.toggled.connect(self.set_grouping)
        self.export_button.clicked.connect(self._on_export_clicked)
        self._apply_filter_from_controls()

    # ------------------------------------------------------------------ data in
    def set_directory(self, business_names: Mapping[str, str],
                      district_names: Mapping[str, str],
                      places: Mapping[str, str] | None = None) -> None:
        """Names for ids, used when alarms arrive as payload dicts and for the district filter;
        ``places`` names cameras and sensors by id (where in the kitchen)."""
        self._business_names = dict(business_names)
        if places is not None:
            self._places = dict(places)
        self.set_districts(district_names)

    def set_districts(self, district_names: Mapping[str, str]) -> None:
        self._district_names = dict(district_names)
        current = self.district_box.currentData()
        self.district_box.blockSignals(True)
        self.district_box.clear()
        self.district_box.addItem(self.tr("All districts"), None)
        for did, name in sorted(self._district_names.items(), key=lambda kv: kv[0]):
            self.district_box.addItem(name or did, did)
        idx = self.district_box.findData(current)
        self.district_box.setCurrentIndex(max(0, idx))
        self.district_box.blockSignals(False)
        self.district_box.setVisible(len(self._district_names) > 1)

    def to_row(self, alarm: AlarmLike) -> AlarmRow:
        if isinstance(alarm, AlarmRow):
            place = alarm.place or self._places.get(alarm.camera_id or alarm.sensor_id or "", "")
            if (alarm.business_name and (alarm.district_name or not self._district_names)
                    and place == alarm.place):
                return alarm
            return dataclasses.replace(
                alarm, place=place,
                business_name=alarm.business_name
                or self._business_names.get(alarm.business_id, ""),
                district_name=alarm.district_name
                or self._district_names.get(alarm.district_id, ""))
        bid, did = str(alarm.get("business_id", "")), str(alarm.get("district_id", ""))
        device = alarm.get("camera_id") or alarm.get("sensor_id") or ""
        return AlarmRow.from_payload(alarm, business_name=self._business_names.get(bid, ""),
                                     district_name=self._district_names.get(did, ""),
                                     place=self._places.get(str(device), ""))

    def replace_alarms(self, alarms: Iterable[AlarmLike]) -> None:
        self.model.replace_all(self.to_row(a) for a in alarms)

    def sync_alarms(self, alarms: Iterable[AlarmLike]) -> GroupChange:
        """Make the list hold exactly ``alarms``; only changed entries are touched (the
        selection and scroll position stay)."""
        return self.model.sync([self.to_row(a) for a in alarms])

    def upsert_alarms(self, alarms: Iterable[AlarmLike]) -> GroupChange:
        """New or changed alarms; the answer says which started a new entry."""
        return self.model.upsert([self.to_row(a) for a in alarms])

    def remove_alarms(self, ids: Iterable[str]) -> GroupChange:
        return self.model.remove(ids)

    def alarm(self, alarm_id: str) -> AlarmRow | None:
        """The alarm as the list holds it (whether shown or filtered out)."""
        return self.model.groups.get(alarm_id)

    def entry_members(self, alarm_id: str) -> list[str]:
        """The alarms shown together with ``alarm_id`` in one entry (itself included)."""
        return self.model.groups.members(alarm_id)

    def counts_by_state(self) -> dict[str, int]:
        """Alarms held per state (the status bar's counters)."""
        return self.model.groups.counts_by_state()

    def set_database_counts(self, counts: Mapping[str, int]) -> None:
        """Alarms per state in the local database: those needing action that the list does
        not hold are announced above it (they move in as the listed ones are handled)."""
        held = live_total(self.model.groups.counts_by_state())
        self._not_listed = max(0, live_total(counts) - held)
        if self._not_listed:
            self.more_label.setText(self.tr(
                "%1 more alarms waiting for action are not listed: the newest %2 are; the "
                "older ones come in as these are handled").replace(
                "%1", str(self._not_listed)).replace("%2", str(held)))
        self.more_label.setVisible(bool(self._not_listed))

    def not_listed(self) -> int:
        """Alarms needing action in the database but not held by the list."""
        return self._not_listed

    def set_grouping(self, grouping: bool) -> None:
        """Aggregate live alarms of one business and type into one entry (or not)."""
        if self.group_box.isChecked() != grouping:
            self.group_box.setChecked(grouping)  # comes back here through toggled
            return
        selected = self.selected_alarm_id()
        self.model.set_grouping(grouping)
        if selected:
            self.select_alarm(selected)
        self._update_status()

    def grouping(self) -> bool:
        return self.model.groups.grouping

    def set_read_only(self, read_only: bool) -> None:
        """Viewer role: the context menu offers no actions."""
        self._read_only = read_only

    def show_state(self, state: str | None) -> None:
        """Filter to one state (``"active"`` = needs action, None = all), e.g. from a counter."""
        index = self.state_box.findData(state)
        if index >= 0:
            self.state_box.setCurrentIndex(index)

    # ------------------------------------------------------------------ filter / sort
    def set_filter(self, flt: AlarmFilter) -> None:
        """Set a filter directly (bypassing the controls, e.g. "alarms of this business")."""
        self.model.set_filter(flt)
        self._update_status()

    def filter(self) -> AlarmFilter:
        return self.model.filter

    def set_business_filter(self, business_id: str | None, name: str = "") -> None:
        self._business_filter = (business_id, name or business_id) if business_id else None
        if self._business_filter:
            self.business_chip.setText(self.tr("Business: %1  ✕").replace(
                "%1", self._business_filter[1]))
        self.business_chip.setVisible(self._business_filter is not None)
        self._apply_filter_from_controls()

    def set_sort(self, order: AlarmSort) -> None:
        self.sort_box.setCurrentIndex(self.sort_box.findData(order))
        self.view.horizontalHeader().setSortIndicatorShown(False)
        self.model.set_order(order)

    def set_search_text(self, text: str) -> None:
        """Search now (the box itself waits for typing to pause)."""
        self.search.setText(text)
        self._search_timer.stop()
        self._apply_filter_from_controls()

    # ------------------------------------------------------------------ selection
    def selected_alarm_id(self) -> str:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def select_alarm(self, alarm_id: str) -> bool:
        index = self.model.index_of_id(alarm_id)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    # ------------------------------------------------------------------ export
    def export_csv(self, path: str | os.PathLike[str]) -> int:
        """Write the rows shown (filter and order as on screen); header in the UI language."""
        return write_csv(path, self.model.header(), self.model.visible_texts())

    # ------------------------------------------------------------------ internals
    def _fill_controls(self) -> None:
        self.kind_box.addItem(self.tr("All types"), None)
        for kind in labels.ALARM_KINDS:
            self.kind_box.addItem(labels.alarm_kind(kind), kind)
            if kind == "ai_violation":
                for sub in labels.AI_VIOLATIONS:
                    self.kind_box.addItem("    " + labels.ai_violation(sub), f"{kind}:{sub}")
        for level, text in _SEVERITY_PRESETS:
            self.severity_box.addItem(self.tr(text), level)
        self.district_box.addItem(self.tr("All districts"), None)
        self.district_box.hide()
        self.state_box.addItem(self.tr("Needs action"), "active")
        self.state_box.addItem(self.tr("All states"), None)
        for state in labels.ALARM_STATES:
            self.state_box.addItem(labels.alarm_state(state), state)
        for text, delta in _TIME_PRESETS:
            self.time_box.addItem(self.tr(text), delta)
        self.sort_box.addItem(self.tr("Newest first"), AlarmSort.NEWEST)
        self.sort_box.addItem(self.tr("Most severe first"), AlarmSort.SEVERITY)

    def _current_filter_from_controls(self) -> AlarmFilter:
        kind_data = self.kind_box.currentData()
        kind = [*kind_data.split(":", 1), None] if kind_data else None
        state = self.state_box.currentData()
        delta = self.time_box.currentData()
        district = self.district_box.currentData()
        states: frozenset[str] | None
        if state == "active":
            states = ACTIVE_STATES
        elif state:
            states = frozenset({state})
        else:
            states = None
        now: datetime = self._clock()
        return AlarmFilter(
            kinds=frozenset({kind[0]}) if kind else None,
            subtype=kind[1] if kind else None,
            min_severity=int(self.severity_box.currentData() or 0),
            districts=frozenset({district}) if district else None,
            business_id=self._business_filter[0] if self._business_filter else None,
            states=states,
            since=now - delta if delta else None,
            search=self.search.text().strip(),
            describe=describe,
        )

    def _apply_filter_from_controls(self) -> None:
        flt = self._current_filter_from_controls()
        if flt.since is not None:
            self._relative_timer.start()
        else:
            self._relative_timer.stop()
        self.set_filter(flt)

    def _on_sort_changed(self, _index: int) -> None:
        order = self.sort_box.currentData()
        if order is not None:
            self.set_sort(order)

    def _on_header_clicked(self, section: int) -> None:
        if self.model.columns[section].sort_value is None:
            return
        descending = toggle_header_sort(self.view.horizontalHeader(), section)
        self.model.sort_by_column(section, descending)

    def _update_status(self, *_args: Any) -> None:
        self.status.setText(self.tr("Showing %1 of %2 alarms").replace(
            "%1", str(self.model.rowCount())).replace("%2", str(len(self.model.groups))))

    def _remember_selection(self) -> None:
        self._restore_id = self.selected_alarm_id()

    def _restore_selection(self) -> None:
        if self._restore_id:
            self.select_alarm(self._restore_id)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_alarm_changed.emit(str(current.data(ID_ROLE)) if current.isValid() else "")

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.alarm_activated.emit(str(index.data(ID_ROLE)))

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row: AlarmRow = index.data(ROW_ROLE)
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.alarm_activated.emit(row.id))
        members = [m for i in row.alarm_ids if (m := self.alarm(i)) is not None] or [row]
        to_ack = [m.id for m in members if m.state == "open"]
        to_dismiss = [m.id for m in members if m.state in ("open", "acknowledged")]
        if to_ack and not self._read_only:
            text = self.tr("Acknowledge") if len(to_ack) == 1 else self.tr(
                "Acknowledge all %1").replace("%1", str(len(to_ack)))
            menu.addAction(text, lambda: [self.acknowledged.emit(i) for i in to_ack])
        if row.state in ("open", "acknowledged") and not self._read_only:
            menu.addAction(self.tr("Dispatch…"), lambda: self.dispatch_requested_for.emit(row.id))
            menu.addAction(self.tr("Dismiss as false positive…"),
                           lambda: self.ask_dismiss(row, to_dismiss))
        menu.addAction(self.tr("Evidence pack (PDF)…"),
                       lambda: self.evidence_requested.emit(row.id))
        if row.business_id:
            menu.addAction(self.tr("Only this business"), lambda: self.set_business_filter(
                row.business_id, row.business_name))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def ask_dismiss(self, row: AlarmRow, alarm_ids: Iterable[str] | None = None) -> None:
        """Ask for the reason, then dismiss the entry's alarms (all members of an aggregate)."""
        ids = list(alarm_ids) if alarm_ids is not None else [row.id]
        dialog = DismissDialog(
            f"{row.business_name or row.business_id} · {labels.alarm_type(row.kind, row.subtype)}",
            common_dismiss_reasons(row.kind, row.subtype), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            for alarm_id in ids:
                self.dismissed.emit(alarm_id, dialog.reason())

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export alarms"), "alarms.csv", self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            count = self.export_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return
        self.status.setText(self.tr("Exported %1 alarms to %2").replace(
            "%1", str(count)).replace("%2", path))

