"""The channel tree: district → street → business → camera, with online counts and a filter.

A thin view of :mod:`console.channels.hierarchy`. Cameras, businesses or whole streets can be
dragged onto the wall (the wall's camera MIME type: a JSON list of tile sources) or double-clicked
into the selected / next free tile. Frequent state changes update the items in place; only a
changed shape (rows added, removed, renamed, moved) rebuilds them, keeping what the operator
had expanded.
"""

from __future__ import annotations

import json
from functools import cache

from PySide6.QtCore import QMimeData, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from console.channels.hierarchy import BUSINESS, CAMERA, ChannelForest, ChannelNode
from videowall import CAMERAS_MIME
from videowall.source import TileSource

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SOURCES_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
KIND_ROLE = Qt.ItemDataRole.UserRole + 4

GREEN, AMBER, GREY = "#16a34a", "#d97706", "#9ca3af"
TROUBLED = {"frozen", "black", "stalled"}  # online, but the picture is not right


@cache
def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def node_colour(node: ChannelNode) -> str:
    if node.kind == CAMERA:
        if not node.online:
            return GREY
        return AMBER if node.health in TROUBLED else GREEN
    if node.total == 0 or node.online == 0:
        return GREY
    return GREEN if node.online == node.total else AMBER


class ChannelModel(QStandardItemModel):
    """Items for a :class:`ChannelForest`; drags carry the cameras below the dragged rows."""

    def __init__(self) -> None:
        super().__init__()
        self.all_sources: list[TileSource] = []
        self._items: dict[tuple[str, str], QStandardItem] = {}
        self._shape: tuple[tuple[str, str, str, str], ...] | None = None
        # What each item shows now: an unchanged node is not touched again (every setData is
        # a dataChanged through the filter proxy, and sensor news reloads the registry often).
        self._shown: dict[tuple[str, str], tuple[object, ...]] = {}

    def same_shape(self, forest: ChannelForest) -> bool:
        """Whether ``forest`` has the rows shown now (only their state may differ)."""
        return forest.shape == self._shape

    def set_forest(self, forest: ChannelForest) -> bool:
        """Show ``forest``; returns True if the items had to be rebuilt."""
        self.all_sources = list(forest.sources)
        if forest.shape == self._shape:
            # Groups list the cameras below them: new only when a camera's source is new.
            cameras = [n for n in forest.by_key.values() if n.kind == CAMERA]
            sources_changed = any(self._shown.get(n.key, ())[-1:] != tuple(n.sources[:1])
                                  for n in cameras)
            for key, node in forest.by_key.items():
                self._decorate(self._items[key], node, sources_changed)
            return False
        self.clear()
        self._items = {}
        self._shown = {}
        root = self.invisibleRootItem()
        for node in forest.roots:
            root.appendRow(self._item(node))
        self._shape = forest.shape
        return True

    def _item(self, node: ChannelNode) -> QStandardItem:
        item = QStandardItem()
        item.setEditable(False)
        item.setDragEnabled(True)
        item.setData(node.key, KEY_ROLE)
        item.setData(node.kind, KIND_ROLE)
        item.setData(node.search_text, SEARCH_ROLE)
        self._decorate(item, node)
        self._items[node.key] = item
        for child in node.children:
            item.appendRow(self._item(child))
        return item

    def _decorate(self, item: QStandardItem, node: ChannelNode, sources: bool = True) -> None:
        colour = node_colour(node)
        shown = (node.label, colour, node.online, node.total, node.health, node.name,
                 *node.sources[:1]) if node.kind == CAMERA else (node.label, colour)
        if self._shown.get(node.key) == shown and not (sources and node.kind != CAMERA):
            return
        self._shown[node.key] = shown
        if item.text() != node.label:
            item.setText(node.label)
        item.setData(node.sources, SOURCES_ROLE)
        item.setIcon(_dot(colour))
        if node.kind == CAMERA:
            item.setForeground(QBrush(QColor(GREY)) if not node.online else QBrush())
            state = self.tr("online") if node.online else self.tr("offline")
            if node.health and node.health not in ("unknown", "online", "playing"):
                state += f" · {node.health}"
            item.setToolTip(f"{node.name} ({node.id}): {state}")
        else:
            item.setToolTip(self.tr("%1 of %2 cameras online").replace("%1", str(node.online))
                            .replace("%2", str(node.total)))

    def item_for(self, kind: str, ident: str) -> QStandardItem | None:
        return self._items.get((kind, ident))

    def mimeTypes(self) -> list[str]:
        return [CAMERAS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        mime.setData(CAMERAS_MIME, json.dumps([s.to_dict() for s in sources_of(indexes)],
                                              ensure_ascii=False).encode("utf-8"))
        return mime


def sources_of(indexes: list[QModelIndex]) -> list[TileSource]:
    """The cameras under ``indexes``, each once, in tree order."""
    seen: set[str] = set()
    out: list[TileSource] = []
    for index in indexes:
        for source in index.data(SOURCES_ROLE) or []:
            if source.camera_id not in seen:
                seen.add(source.camera_id)
                out.append(source)
    return out


class ChannelTree(QWidget):
    """Search box + tree; ``open_requested`` carries the cameras the operator wants to see."""

    open_requested = Signal(list)  # list[TileSource]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChannelModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)  # a matching business shows its cameras
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search districts, streets, businesses, cameras"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.doubleClicked.connect(self._on_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def set_forest(self, forest: ChannelForest) -> None:
        """Show ``forest``, keeping what the operator had expanded."""
        first = self.model.rowCount() == 0
        # Walking every row for what is expanded only matters when the rows are rebuilt.
        expanded = set() if first or self.model.same_shape(forest) else self._expanded_keys()
        if self.model.set_forest(forest):
            if first:
                self.view.expandToDepth(0)
            else:
                self._restore(expanded)

    def _walk(self, parent: QModelIndex = QModelIndex()):  # noqa: B008 - an empty index
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            yield index
            yield from self._walk(index)

    def _expanded_keys(self) -> set[tuple[str, str]]:
        return {index.data(KEY_ROLE) for index in self._walk() if self.view.isExpanded(index)}

    def _restore(self, keys: set[tuple[str, str]]) -> None:
        for index in self._walk():
            if index.data(KEY_ROLE) in keys:
                self.view.expand(index)

    def _on_search(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()

    def selected_sources(self) -> list[TileSource]:
        return sources_of(self.view.selectionModel().selectedIndexes())

    def _on_double_clicked(self, index: QModelIndex) -> None:
        """A camera opens in a tile, a business opens all its cameras; double-clicking a
        district or street only expands it (it would flood the wall)."""
        if index.data(KIND_ROLE) in (CAMERA, BUSINESS):
            sources = index.data(SOURCES_ROLE) or []
            if sources:
                self.open_requested.emit(list(sources))

    def visible_rows(self) -> int:
        """Rows the filter lets through (for tests and the status line)."""
        return sum(1 for _ in self._walk())
