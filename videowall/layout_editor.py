"""The custom-layout editor: a grid of units where dragging a rectangle merges it into one cell.

Control rooms shape walls around what matters (one big special-room view beside a column of
small kitchens), which the fixed 1+5 / 1+7 / 1+12 layouts do not always give. The result is a
plain ``videowall.layouts.Layout``; overlapping or out-of-grid merges are refused by
``layouts.merged`` and the editor shows its reason instead of drawing something it cannot save.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from videowall.layouts import Cell, Layout, merged

MAX_UNITS = 8


class MergeCanvas(QWidget):
    """Paints the grid and the merged rectangles; a drag over units asks to merge them."""

    merge_requested = Signal(object)  # Cell

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cols, self.rows = 4, 4
        self.merges: list[Cell] = []
        self._press: tuple[int, int] | None = None
        self._hover: tuple[int, int] | None = None
        self.setMinimumSize(QSize(320, 180))
        self.setMouseTracking(True)

    def unit_at(self, pos: QPoint) -> tuple[int, int]:
        col = min(self.cols - 1, max(0, pos.x() * self.cols // max(1, self.width())))
        row = min(self.rows - 1, max(0, pos.y() * self.rows // max(1, self.height())))
        return col, row

    def unit_rect(self, cell: Cell) -> QRect:
        x0 = cell.col * self.width() // self.cols
        y0 = cell.row * self.height() // self.rows
        x1 = (cell.col + cell.cols) * self.width() // self.cols
        y1 = (cell.row + cell.rows) * self.height() // self.rows
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def selection(self) -> Cell | None:
        if self._press is None or self._hover is None:
            return None
        (c0, r0), (c1, r1) = self._press, self._hover
        return Cell(min(c0, c1), min(r0, r1), abs(c1 - c0) + 1, abs(r1 - r0) + 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._hover = self.unit_at(event.position().toPoint())
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            self._hover = self.unit_at(event.position().toPoint())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        chosen = self.selection()
        self._press = self._hover = None
        self.update()
        if chosen is not None and (chosen.cols > 1 or chosen.rows > 1):
            self.merge_requested.emit(chosen)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1b1f24"))
        try:
            cells = merged("preview", self.cols, self.rows, self.merges).cells
        except ValueError:
            cells = ()
        painter.setPen(QPen(QColor("#5c6773"), 1))
        for cell in cells:
            rect = self.unit_rect(cell).adjusted(2, 2, -2, -2)
            big = cell.cols > 1 or cell.rows > 1
            painter.fillRect(rect, QColor("#2f5d8a") if big else QColor("#2a2f36"))
            painter.drawRect(rect)
        chosen = self.selection()
        if chosen is not None:
            painter.setPen(QPen(QColor("#f5a623"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(self.unit_rect(chosen).adjusted(1, 1, -2, -2))
        painter.end()


class LayoutEditor(QDialog):
    """Choose a grid, drag to merge units, get a ``Layout`` named by its cell count."""

    def __init__(self, parent: QWidget | None = None, start: Layout | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom wall layout"))
        self.canvas = MergeCanvas(self)
        self.cols_box, self.rows_box = QSpinBox(self), QSpinBox(self)
        for box in (self.cols_box, self.rows_box):
            box.setRange(1, MAX_UNITS)
        self.cols_box.setValue(start.cols if start else 4)
        self.rows_box.setValue(start.rows if start else 4)
        if start is not None:
            self.canvas.merges = [c for c in start.cells if c.cols > 1 or c.rows > 1]
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c92a2a;")
        self.summary = QLabel(self)
        reset = QPushButton(self.tr("Split all cells"), self)
        reset.clicked.connect(self.split_all)

        form = QFormLayout()
        sizes = QHBoxLayout()
        sizes.addWidget(self.cols_box)
        sizes.addWidget(QLabel("×", self))
        sizes.addWidget(self.rows_box)
        sizes.addStretch(1)
        sizes.addWidget(reset)
        form.addRow(self.tr("Grid (columns × rows)"), sizes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addLayout(form)
        root.addWidget(QLabel(self.tr("Drag across units to merge them into one cell."), self))
        root.addWidget(self.canvas, 1)
        root.addWidget(self.summary)
        root.addWidget(self.problem)
        root.addWidget(self.buttons)
        self.cols_box.valueChanged.connect(self._grid_changed)
        self.rows_box.valueChanged.connect(self._grid_changed)
        self.canvas.merge_requested.connect(self.merge)
        self._grid_changed()
        self.resize(560, 420)

    def _grid_changed(self) -> None:
        self.canvas.cols, self.canvas.rows = self.cols_box.value(), self.rows_box.value()
        fits = [m for m in self.canvas.merges
                if m.col + m.cols <= self.canvas.cols and m.row + m.rows <= self.canvas.rows]
        self.canvas.merges = fits
        self._refresh("")

    def merge(self, cell: Cell) -> bool:
        """Merge ``cell``'s units; a rectangle that overlaps an earlier merge is refused."""
        candidate = [*self.canvas.merges, cell]
        try:
            merged("check", self.canvas.cols, self.canvas.rows, candidate)
        except ValueError:
            self._refresh(self.tr("That rectangle overlaps a merged cell; split it first."))
            return False
        self.canvas.merges = candidate
        self._refresh("")
        return True

    def split_all(self) -> None:
        self.canvas.merges = []
        self._refresh("")

    def _refresh(self, problem: str) -> None:
        count = len(self.result_layout())
        self.summary.setText(self.tr("%1 cells").replace("%1", str(count)))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.canvas.update()

    def result_layout(self) -> Layout:
        cols, rows = self.canvas.cols, self.canvas.rows
        probe = merged("custom", cols, rows, self.canvas.merges)
        return merged(f"custom-{len(probe)}", cols, rows, self.canvas.merges)
