"""A Qt table model over a :class:`widgets.models.rowset.RowSet`.

The row set decides what is visible and in which order; this model only translates its
structural changes into ``QAbstractItemModel`` notifications and renders cells through column
definitions. No per-row widgets and no Python work for rows that are not painted, so a table
of 10,000 alarms costs what the visible 30 rows cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView

from widgets.models.rowset import RowSet

T = TypeVar("T")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the row id
VALUE_ROLE = Qt.ItemDataRole.UserRole + 3  # the raw value a delegate paints (state, severity)

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: how to title it, render a row's cell, and sort by it.

    ``title`` is an English source string marked with ``QT_TRANSLATE_NOOP(<model context>, …)``;
    the model translates it when the header is drawn, so a language switch applies at once.
    """

    key: str
    title: str
    text: Callable[[T], str]
    sort_value: Callable[[T], Any] | None = None
    value: Callable[[T], Any] | None = None  # for VALUE_ROLE (delegates)
    foreground: Callable[[T], QColor | None] | None = None
    background: Callable[[T], QColor | None] | None = None
    tooltip: Callable[[T], str] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RowSetTableModel(QAbstractTableModel, Generic[T]):
    def __init__(
        self,
        rowset: RowSet[T],
        columns: Sequence[Column[T]],
        context: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.rowset = rowset
        self.columns = list(columns)
        self.context = context  # translation context of the column titles
        rowset.observer = _Adapter(self)

    # ---------------------------------------------------------------- Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rowset)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rowset.row_at(index.row())
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground is not None:
            return col.foreground(row)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            return col.background(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.rowset.id_at(index.row())
        if role == VALUE_ROLE and col.value is not None:
            return col.value(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(self.context, self.columns[section].title)
        return None

    # ---------------------------------------------------------------- helpers
    def column_index(self, key: str) -> int:
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        raise KeyError(f"no column {key!r}")

    def header(self) -> list[str]:
        return [QCoreApplication.translate(self.context, c.title) for c in self.columns]

    def visible_texts(self) -> list[list[str]]:
        """Every visible row as displayed, in display order (CSV export)."""
        return [[c.text(row) for c in self.columns] for row in self.rowset.visible()]

    def index_of_id(self, row_id: Any, column: int = 0) -> QModelIndex:
        pos = self.rowset.position_of(row_id)
        return QModelIndex() if pos is None else self.index(pos, column)

    def retranslate(self) -> None:
        """Headers and cell words changed language."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if len(self.rowset):
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rowset) - 1, len(self.columns) - 1)
            )


class _Adapter:
    """RowSetObserver → QAbstractItemModel notifications."""

    def __init__(self, model: RowSetTableModel[Any]) -> None:
        self.m = model

    def begin_insert(self, first: int, last: int) -> None:
        self.m.beginInsertRows(QModelIndex(), first, last)

    def end_insert(self) -> None:
        self.m.endInsertRows()

    def begin_remove(self, first: int, last: int) -> None:
        self.m.beginRemoveRows(QModelIndex(), first, last)

    def end_remove(self) -> None:
        self.m.endRemoveRows()

    def begin_move(self, source: int, destination: int) -> None:
        ok = self.m.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
        if not ok:  # cannot happen with RowSet's arithmetic; fail loudly if it ever does
            raise RuntimeError(f"invalid row move {source} -> {destination}")

    def end_move(self) -> None:
        self.m.endMoveRows()

    def changed(self, first: int, last: int) -> None:
        right = len(self.m.columns) - 1
        self.m.dataChanged.emit(self.m.index(first, 0), self.m.index(last, right))

    def begin_reset(self) -> None:
        self.m.beginResetModel()

    def end_reset(self) -> None:
        self.m.endResetModel()


def toggle_header_sort(header: QHeaderView, section: int) -> bool:
    """Show the sort indicator on ``section``; first click descending, then toggling.

    Returns True when the new order is descending.
    """
    descending = not (header.isSortIndicatorShown()
                      and header.sortIndicatorSection() == section
                      and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(
        section, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    return descending
