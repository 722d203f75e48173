"""The channel tree: district → street → business → camera, with online counts and a filter.

A lazy model over :mod:`console.channels.hierarchy` (no Qt item per row: a province's 300,000
rows cost nothing until the operator opens them). Cameras, businesses or whole streets can be
dragged onto the wall (the wall's camera MIME type: a JSON list of tile sources) or
double-clicked into the selected / next free tile. Frequent state changes repaint in place;
only a changed shape (rows added, removed, renamed, moved) lays the rows out anew, keeping what
the operator had expanded. The search box filters through the forest's search index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from console.channels.hierarchy import BUSINESS, CAMERA, ChannelForest, ChannelNode
from videowall import CAMERAS_MIME
from videowall.source import TileSource

# What Qt hands a model's methods: a plain or a persistent index.
AnyIndex = QModelIndex | QPersistentModelIndex

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


class ChannelModel(QAbstractItemModel):
    """A lazy model over a :class:`ChannelForest`: no Qt object per row; the view asks for the
    rows of the nodes the operator opens, and a row's index carries its node's uid.

    With a filter (:meth:`set_filter`) the model shows the matching nodes, their ancestors (to
    reach them) and everything below a match (a matching business shows its cameras, to drag
    them). Drags carry the cameras below the dragged rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all_sources: Sequence[TileSource] = ()
        self._forest: ChannelForest | None = None
        self.query = ""
        self.matches: list[int] = []  # uids matching the filter, tree order
        self._matched: set[int] = set()
        self._keep: set[int] = set()  # matches and their ancestors
        self._visible: dict[int, Sequence[int]] = {}  # filtered children by parent uid
        self._row: dict[int, int] = {}  # filtered row of a node under its parent

    # -- content -------------------------------------------------------------------------------
    @property
    def forest(self) -> ChannelForest | None:
        return self._forest

    @property
    def filtering(self) -> bool:
        return bool(self.query)

    def set_forest(self, forest: ChannelForest) -> bool:
        """Show ``forest``; returns True if the rows had to be laid out anew (the shape
        changed), False if only labels and states changed (repainted in place)."""
        self.all_sources = forest.sources
        same = self._forest is not None and forest.shape == self._forest.shape
        if not same:
            self.beginResetModel()
        self._forest = forest
        self._apply_filter()
        if same:
            if forest.roots:
                # Same shape, same uids: the view's indexes stay valid; it repaints what it
                # shows and asks again.
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))
            return False
        self.endResetModel()
        return True

    def set_filter(self, query: str) -> None:
        """Show only what matches ``query`` (case-insensitive substring; "" shows all)."""
        query = query.strip()
        if query == self.query:
            return
        self.beginResetModel()
        self.query = query
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        self._visible, self._row = {}, {}
        forest = self._forest
        if not self.query or forest is None:
            self.matches, self._matched, self._keep = [], set(), set()
            return
        self.matches = forest.search(self.query)
        self._matched = set(self.matches)
        keep = set(self._matched)
        for uid in self.matches:
            for parent in forest.ancestors(uid):
                if parent in keep:
                    break
                keep.add(parent)
        self._keep = keep

    def _open(self, uid: int) -> bool:
        """Whether everything below ``uid`` shows (it or an ancestor matched)."""
        if uid in self._matched:
            return True
        return self._forest is not None and any(
            parent in self._matched for parent in self._forest.ancestors(uid))

    def child_uids(self, uid: int) -> Sequence[int]:
        """The rows under ``uid`` (-1: the districts) as the view shows them."""
        forest = self._forest
        if forest is None:
            return ()
        if not self.query:
            return forest.child_uids(uid)
        shown = self._visible.get(uid)
        if shown is None:
            if uid >= 0 and self._open(uid):
                shown = forest.child_uids(uid)
            else:
                keep = self._keep
                shown = [c for c in forest.child_uids(uid) if c in keep]
                for row, child in enumerate(shown):
                    self._row[child] = row
            self._visible[uid] = shown
        return shown

    def _row_of(self, uid: int) -> int:
        assert self._forest is not None
        if not self.query:
            return self._forest.rows[uid]
        self.child_uids(self._forest.parents[uid])  # lays out the parent's rows if not yet
        return self._row.get(uid, self._forest.rows[uid])

    def uid_of(self, index: AnyIndex) -> int:
        """The node of ``index`` (-1 for the invisible root)."""
        if not index.isValid() or self._forest is None:
            return -1
        uid = index.internalId()
        return uid if 0 <= uid < len(self._forest) else -1

    def node(self, index: QModelIndex) -> ChannelNode | None:
        uid = self.uid_of(index)
        return self._forest.node(uid) if uid >= 0 and self._forest is not None else None

    def index_for(self, kind: str, ident: str) -> QModelIndex:
        """The index of a node (invalid if the filter hides it or it is not in the tree)."""
        if self._forest is None:
            return QModelIndex()
        uid = self._forest.uid(kind, ident)
        if uid is None:
            return QModelIndex()
        if self.query and uid not in self._keep:
            parent = self._forest.parents[uid]
            if parent < 0 or not self._open(parent):
                return QModelIndex()
        return self.createIndex(self._row_of(uid), 0, uid)

    def item_for(self, kind: str, ident: str) -> QModelIndex | None:
        """Like :meth:`index_for`, None when the node is not shown."""
        index = self.index_for(kind, ident)
        return index if index.isValid() else None

    def label(self, row: int) -> str:
        """A district's label as shown ("康巴什区 (12/14)")."""
        return str(self.index(row, 0).data() or "")

    # -- QAbstractItemModel ----------------------------------------------------------------------
    def index(self, row: int, column: int = 0,
              parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's default
        if column != 0 or row < 0:
            return QModelIndex()
        rows = self.child_uids(self.uid_of(parent))
        if row >= len(rows):
            return QModelIndex()
        return self.createIndex(row, 0, rows[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        uid = self.uid_of(index)
        if uid < 0 or self._forest is None:
            return QModelIndex()
        parent = self._forest.parents[uid]
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self._row_of(parent), 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.child_uids(self.uid_of(parent)))

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        uid = self.uid_of(index)
        forest = self._forest
        if uid < 0 or forest is None:
            return None
        if role == SOURCES_ROLE:
            return forest.sources_below(uid)
        if role == KEY_ROLE:
            return forest.kinds[uid], forest.ids[uid]
        if role == KIND_ROLE:
            return forest.kinds[uid]
        if role == SEARCH_ROLE:
            return forest.search_texts[uid]
        node = forest.node(uid)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.DecorationRole:
            return _dot(node_colour(node))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(GREY)) if node.kind == CAMERA and not node.online else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        return None

    def _tooltip(self, node: ChannelNode) -> str:
        if node.kind == CAMERA:
            state = self.tr("online") if node.online else self.tr("offline")
            if node.health and node.health not in ("unknown", "online", "playing"):
                state += f" · {node.health}"
            return f"{node.name} ({node.id}): {state}"
        return (self.tr("%1 of %2 cameras online").replace("%1", str(node.online))
                .replace("%2", str(node.total)))

    def mimeTypes(self) -> list[str]:
        return [CAMERAS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        mime.setData(CAMERAS_MIME, json.dumps([s.to_dict() for s in sources_of(indexes)],
                                              ensure_ascii=False).encode("utf-8"))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


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
    EXPAND_MATCHES = 200  # a search opens the way to at most this many matches

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChannelModel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search districts, streets, businesses, cameras"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)  # no per-row size question over 100,000 rows
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.doubleClicked.connect(self._on_double_clicked)
        # What the operator opened, by key: restored after the rows are laid out anew (a new
        # shape, a search cleared) without walking the tree.
        self._expanded: set[tuple[str, str]] = set()
        self.view.expanded.connect(lambda index: self._track(index, True))
        self.view.collapsed.connect(lambda index: self._track(index, False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def _track(self, index: QModelIndex, expanded: bool) -> None:
        if self.model.filtering:
            return  # a search's expansion is not the operator's arrangement
        key = index.data(KEY_ROLE)
        if expanded:
            self._expanded.add(key)
        else:
            self._expanded.discard(key)

    def set_forest(self, forest: ChannelForest) -> None:
        """Show ``forest``, keeping what the operator had expanded."""
        first = self.model.forest is None or not len(self.model.forest.roots)
        if self.model.set_forest(forest):
            if first and not self._expanded:
                self.view.expandToDepth(0)
            elif self.model.filtering:
                self._expand_matches()
            else:
                self._restore(self._expanded)
        else:
            self.view.viewport().update()

    def _walk(self, parent: QModelIndex = QModelIndex()):  # noqa: B008 - an empty index
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            yield index
            yield from self._walk(index)

    def _restore(self, keys: set[tuple[str, str]]) -> None:
        # Parents first, so that opening a child does not lay out rows twice.
        depth = {"district": 0, "grid": 1, "business": 2, "camera": 3}
        for kind, ident in sorted(keys, key=lambda key: depth.get(key[0], 9)):
            index = self.model.index_for(kind, ident)
            if index.isValid():
                self.view.expand(index)

    def _expand_matches(self) -> None:
        """Open the way to the first matches (and the matching rows themselves)."""
        forest = self.model.forest
        if forest is None:
            return
        opened: set[int] = set()
        for uid in self.model.matches[:self.EXPAND_MATCHES]:
            for step in reversed([uid, *forest.ancestors(uid)]):
                if step in opened or not forest.children[step]:
                    continue
                opened.add(step)
                self.view.expand(self.model.index_for(forest.kinds[step], forest.ids[step]))

    def _on_search(self, text: str) -> None:
        query = text.strip()
        self.model.set_filter(query)
        if query:
            self._expand_matches()
        else:
            self._restore(self._expanded)

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
