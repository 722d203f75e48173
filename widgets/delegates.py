"""Item delegates: state chips and severity dots painted per visible cell (no widgets per row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.rowset_model import VALUE_ROLE

_Index = QModelIndex | QPersistentModelIndex


class ChipDelegate(QStyledItemDelegate):
    """Paints the cell's text as a rounded chip coloured by ``color_of(VALUE_ROLE value)``."""

    def __init__(self, color_of: Callable[[Any], QColor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color_of = color_of

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        if not text:
            return
        color = self._color_of(index.data(VALUE_ROLE))
        fm = QFontMetrics(option.font)
        pad_x, pad_y = 8, 2
        natural = fm.horizontalAdvance(text) + 2 * pad_x + 2
        w = min(natural, option.rect.width() - 4)
        h = min(fm.height() + 2 * pad_y, option.rect.height() - 2)
        r = QRectF(option.rect.left() + 3, option.rect.center().y() - h / 2 + 1, w, h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(r, h / 2, h / 2)
        painter.setPen(QColor("white"))
        painter.setFont(option.font)
        shown = text if w >= natural else fm.elidedText(
            text, Qt.TextElideMode.ElideRight, int(w - 2 * pad_x))
        painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter), shown)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 20, size.height() + 4)


class DotDelegate(QStyledItemDelegate):
    """Paints a coloured dot before the text (severity)."""

    def __init__(self, color_of: Callable[[Any], QColor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._color_of = color_of

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        color = self._color_of(index.data(VALUE_ROLE))
        d = max(8, option.fontMetrics.height() // 2)
        option.rect.adjust(d + 8, 0, 0, 0)
        style = option.widget.style() if option.widget else None
        if style is not None:
            full = QStyleOptionViewItem(option)
            full.rect.adjust(-(d + 8), 0, 0, 0)
            full.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter,
                              option.widget)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        cy = option.rect.center().y()
        painter.drawEllipse(QRectF(option.rect.left() - d - 4, cy - d / 2 + 1, d, d))
        painter.restore()
