"""The channel tree: district → street → business → camera, with online counts.

Built from a plain registry snapshot read off the UI thread. Cameras and whole businesses can
be dragged onto the wall (the wall's camera MIME type) or double-clicked into a tile.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from console.store import RegistrySnapshot
from videowall import CAMERAS_MIME, TileSource

SOURCES_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
ONLINE = QBrush(QColor("#16a34a"))
OFFLINE = QBrush(QColor("#9ca3af"))


def camera_source(camera: dict[str, Any], business_name: str) -> TileSource:
    return TileSource(camera_id=camera["id"], title=f"{business_name} · {camera['name']}",
                      sub_url=camera.get("sub_url") or "", main_url=camera.get("main_url") or "",
                      business_id=camera["business_id"])


class ChannelModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalHeaderLabels([self.tr("Channels")])
        self.all_sources: list[TileSource] = []

    def rebuild(self, snap: RegistrySnapshot) -> None:
        self.clear()
        self.setHorizontalHeaderLabels([self.tr("Channels")])
        cams_by_biz: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for cam in snap.cameras:
            cams_by_biz[cam["business_id"]].append(cam)
        biz_by_grid: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for biz in snap.businesses:
            biz_by_grid[biz["grid_id"]].append(biz)
        grids_by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for grid in snap.grids:
            grids_by_district[grid["district_id"]].append(grid)
        self.all_sources = []
        online_ids = {cam["id"] for cam in snap.cameras if cam.get("online")}
        root = self.invisibleRootItem()
        for district in snap.districts:
            d_item, d_sources = self._node("district"), []
            for grid in grids_by_district.get(district["id"], []):
                g_item, g_sources = self._node("grid"), []
                for biz in biz_by_grid.get(grid["id"], []):
                    b_item, b_sources = self._node("business"), []
                    for cam in cams_by_biz.get(biz["id"], []):
                        source = camera_source(cam, biz["name"])
                        c_item = self._node("camera", cam["name"])
                        c_item.setData([source], SOURCES_ROLE)
                        online = cam["id"] in online_ids
                        c_item.setForeground(ONLINE if online else OFFLINE)
                        c_item.setToolTip(self.tr("online") if online else self.tr("offline"))
                        b_item.appendRow(c_item)
                        b_sources.append(source)
                    self._finish(b_item, biz["name"], b_sources, online_ids)
                    g_item.appendRow(b_item)
                    g_sources += b_sources
                self._finish(g_item, grid["name"], g_sources, online_ids)
                d_item.appendRow(g_item)
                d_sources += g_sources
            self._finish(d_item, district["name"], d_sources, online_ids)
            root.appendRow(d_item)
            self.all_sources += d_sources

    @staticmethod
    def _node(kind: str, text: str = "") -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setData(kind, KIND_ROLE)
        item.setDragEnabled(True)
        return item

    @staticmethod
    def _finish(item: QStandardItem, name: str, sources: list[TileSource],
                online_ids: set[str]) -> None:
        """Name with online/total counts, e.g. "康巴什区 (12/14)"."""
        item.setData(sources, SOURCES_ROLE)
        online = sum(1 for s in sources if s.camera_id in online_ids)
        item.setText(f"{name} ({online}/{len(sources)})")

    def mimeTypes(self) -> list[str]:
        return [CAMERAS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        sources: list[TileSource] = []
        for index in indexes:
            sources += index.data(SOURCES_ROLE) or []
        mime = QMimeData()
        mime.setData(CAMERAS_MIME, json.dumps([s.to_dict() for s in sources]).encode())
        return mime


class ChannelTree(QWidget):
    """Search box + tree; emits the cameras the operator wants to see."""

    open_requested = Signal(list)  # list[TileSource]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChannelModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search businesses or cameras"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setUniformRowHeights(True)
        self.view.doubleClicked.connect(self._on_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def set_registry(self, snap: RegistrySnapshot) -> None:
        """Rebuild, keeping what the operator had expanded and selected."""
        expanded = self._expanded_paths()
        first = self.model.rowCount() == 0
        self.model.rebuild(snap)
        if first:
            self.view.expandToDepth(0)
        else:
            self._restore(expanded)

    def _expanded_paths(self) -> set[tuple[str, ...]]:
        paths: set[tuple[str, ...]] = set()

        def walk(parent: QModelIndex, prefix: tuple[str, ...]) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                path = (*prefix, str(index.data()).rsplit(" (", 1)[0])
                if self.view.isExpanded(index):
                    paths.add(path)
                    walk(index, path)

        walk(QModelIndex(), ())
        return paths

    def _restore(self, paths: set[tuple[str, ...]]) -> None:
        def walk(parent: QModelIndex, prefix: tuple[str, ...]) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                path = (*prefix, str(index.data()).rsplit(" (", 1)[0])
                if path in paths:
                    self.view.expand(index)
                    walk(index, path)

        walk(QModelIndex(), ())

    def _on_double_clicked(self, index: QModelIndex) -> None:
        sources = index.data(SOURCES_ROLE) or []
        if sources:
            self.open_requested.emit(list(sources))
