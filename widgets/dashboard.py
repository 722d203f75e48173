"""Statistics dashboard for leaders and big screens (大屏).

Key figures on top (connected businesses, channels online, alarms today, task closure, patrol
coverage), pyqtgraph charts below (businesses by category, channels by district, alarms by
type per day) and the red/black lists (红黑榜). Every dataset behind a chart or table can be
exported to CSV. :meth:`Dashboard.set_big_screen` switches to a dark theme with large fonts
and hides the controls, for unattended demonstration screens.

The input is :class:`widgets.models.stats.DashboardStats`; a ``GET /api/stats`` dict is
accepted too and adapted with :meth:`DashboardStats.from_api`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLocale, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets import labels
from widgets.csv_export import write_csv
from widgets.formatting import datetime_text, number_text, percent_text
from widgets.models.stats import DashboardStats, RankEntry
from widgets.theme import DARK_CHARTS, LIGHT_CHARTS, ChartTheme, rule_state_color, ui_font

translate = QCoreApplication.translate
log = logging.getLogger("kitchenwatch.widgets.dashboard")




@dataclass(frozen=True)
class Table:
    """A dataset as shown/exported: translated header and display rows."""

    title: str
    header: list[str]
    rows: list[list[str]]


def _count(value: int | None) -> str:
    return "—" if value is None else QLocale().toString(int(value))


class KpiTile(QFrame):
    """One key figure: title, big value, a detail line."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.title_label = QLabel(title)
        self.value_label = QLabel("—")
        self.detail_label = QLabel("")
        self.detail_label.setWordWrap(True)
        for w in (self.title_label, self.value_label, self.detail_label):
            w.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(w)
        self.set_big(False)

    def set_value(self, value: str, detail: str = "", alert: bool = False) -> None:
        self.value_label.setText(value)
        self.detail_label.setText(detail)
        self._alert = alert
        self.value_label.setStyleSheet(
            f"color: {rule_state_color('breach').name()};" if alert else "")

    def set_big(self, big: bool, scale: float = 1.0) -> None:
        self.title_label.setFont(ui_font(round(22 * scale) if big else 13))
        self.value_label.setFont(ui_font(round(52 * scale) if big else 28, bold=True))
        self.detail_label.setFont(ui_font(round(18 * scale) if big else 11))


class _Panel(QFrame):
    """A titled panel with an export button for its dataset."""

    def __init__(self, title: str, body: QWidget, export: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        head = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setFont(ui_font(14, bold=True))
        head.addWidget(self.title_label, 1)
        self.export_button = QToolButton()
        self.export_button.setText(translate("Dashboard", "Export CSV…"))
        self.export_button.setAutoRaise(True)
        self.export_button.clicked.connect(export)
        head.addWidget(self.export_button)
        layout.addLayout(head)
        layout.addWidget(body, 1)
        self.body = body

    def set_big(self, big: bool, scale: float = 1.0) -> None:
        self.title_label.setFont(ui_font(round(24 * scale) if big else 14, bold=True))
        self.export_button.setVisible(not big)


def _legend(pi: pg.PlotItem, theme: ChartTheme, offset: tuple[int, int]) -> pg.LegendItem:
    """The plot's legend, emptied and styled for ``theme`` (pyqtgraph keeps one per plot)."""
    legend = pi.addLegend(offset=offset)
    legend.clear()
    legend.setLabelTextColor(theme.foreground)
    legend.setLabelTextSize(f"{theme.font_px}px")
    fill = QColor(theme.background)
    fill.setAlpha(200)
    legend.setBrush(fill)
    return legend


def _style_axes(pi: pg.PlotItem, theme: ChartTheme) -> None:
    metrics = QFontMetrics(ui_font(theme.font_px))
    for name in ("left", "bottom"):
        ax = pi.getAxis(name)
        ax.setTextPen(theme.foreground)
        ax.setPen(theme.foreground)
        ax.setStyle(tickFont=ui_font(theme.font_px))
    pi.getAxis("bottom").setHeight(metrics.height() + 14)


class BarChart(pg.PlotWidget):
    """Labelled bars with their values written at the end (readable from across the room)."""

    _built = False  # Qt resizes the plot while PlotWidget.__init__ still runs

    def __init__(self, horizontal: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.horizontal = horizontal
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMinimumHeight(200)
        self._series: list[tuple[str, list[float]]] = []
        self._labels: list[str] = []
        self.text_items: list[pg.TextItem] = []
        self.bar_items: list[pg.BarGraphItem] = []
        # One "39 / 38" label per category, shown instead of the per-bar labels when the bars
        # are too narrow for their own numbers (a district chart in a narrow dock).
        self.group_items: list[pg.TextItem] = []
        self._font = ui_font(12, bold=True)
        self._built = True

    def set_data(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                 theme: ChartTheme) -> None:
        """``series`` is ``[(name, values per category), ...]`` drawn side by side."""
        self.clear()
        self.text_items, self.bar_items, self.group_items = [], [], []
        self._font = ui_font(theme.font_px, bold=True)
        self._labels = list(categories)
        self._series = [(name, [float(v) for v in vals]) for name, vals in series]
        self.setBackground(theme.background)
        pi = self.getPlotItem()
        _style_axes(pi, theme)
        n = len(self._series) or 1
        thickness = 0.8 / n
        legend = _legend(pi, theme, offset=(-10, 10)) if n > 1 else None
        if legend is None and pi.legend is not None:
            pi.legend.clear()
        top = 0.0
        for s, (name, values) in enumerate(self._series):
            color = theme.series[s % len(theme.series)]
            positions = [i - 0.4 + thickness * (s + 0.5) for i in range(len(values))]
            if self.horizontal:
                item = pg.BarGraphItem(x0=0, y=positions, height=thickness * 0.9,
                                       width=values, brush=color, pen=pg.mkPen(None))
            else:
                item = pg.BarGraphItem(x=positions, y0=0, width=thickness * 0.9,
                                       height=values, brush=color, pen=pg.mkPen(None))
            pi.addItem(item)
            self.bar_items.append(item)
            if legend is not None:
                legend.addItem(item, name)
            for pos, value in zip(positions, values, strict=True):
                text = pg.TextItem(f"{value:,.0f}", color=theme.foreground,
                                   anchor=(0, 0.5) if self.horizontal else (0.5, 1))
                text.setFont(self._font)
                text.setPos(value, pos) if self.horizontal else text.setPos(pos, value)
                pi.addItem(text)
                self.text_items.append(text)
                top = max(top, value)
        ticks = [[(i, label) for i, label in enumerate(self._labels)]]
        span = (-0.6, len(self._labels) - 0.4)
        head = top * 1.18 + 1
        if self.horizontal:
            ax = pi.getAxis("left")
            ax.setTicks(ticks)
            metrics = QFontMetrics(ui_font(theme.font_px))
            widest = max((metrics.horizontalAdvance(t) for t in self._labels), default=20)
            ax.setWidth(widest + 14)
            pi.getAxis("bottom").setTicks(None)
            pi.setYRange(*span, padding=0)
            pi.setXRange(0, head, padding=0)
            pi.getViewBox().invertY(True)  # first category on top
        else:
            pi.getAxis("bottom").setTicks(ticks)
            pi.getAxis("left").setTicks(None)
            pi.setXRange(*span, padding=0)
            pi.setYRange(0, head, padding=0)
            if n > 1:
                for i in range(len(self._labels)):
                    group = [values[i] for _name, values in self._series]
                    text = pg.TextItem(" / ".join(f"{v:,.0f}" for v in group),
                                       color=theme.foreground, anchor=(0.5, 1))
                    text.setFont(self._font)
                    text.setPos(i, max(group))
                    pi.addItem(text)
                    self.group_items.append(text)
        self._fit_labels()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Numbers that would overlap are worse than none: on vertical bars, each bar keeps
        its own number while it fits the bar's width; otherwise each category shows its
        numbers joined above the group while that fits; otherwise the numbers are left to
        the table view and the axis."""
        if not self._built or self.horizontal or not self.group_items:
            return
        view = self.getPlotItem().getViewBox()
        (x0, x1), _y = view.viewRange()
        px_per_unit = view.width() / (x1 - x0) if x1 > x0 else 0.0
        metrics = QFontMetrics(self._font)
        n = len(self._series)
        bar_px = px_per_unit * 0.8 / n
        group_px = px_per_unit * 0.95
        bars_fit = all(metrics.horizontalAdvance(t.toPlainText()) + 4 <= bar_px
                       for t in self.text_items)
        groups_fit = all(metrics.horizontalAdvance(t.toPlainText()) + 6 <= group_px
                         for t in self.group_items)
        for text in self.text_items:
            text.setVisible(bars_fit)
        for text in self.group_items:
            text.setVisible(not bars_fit and groups_fit)

    def visible_label_rects(self) -> list[QRectF]:
        """Where the numbers are drawn, in the widget's pixels (what a reader sees)."""
        out = []
        for text in self.text_items + self.group_items:
            if text.isVisible():
                scene = text.mapRectToScene(text.boundingRect())
                out.append(self.mapFromScene(scene).boundingRect().toRectF())
        return out

    def values(self) -> list[tuple[str, list[float]]]:
        return list(self._series)

    def value_texts(self) -> list[str]:
        return [t.toPlainText() for t in self.text_items]


class LineChart(pg.PlotWidget):
    """Alarms by type per day: one line per type, days on the x axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMinimumHeight(200)
        self.curves: dict[str, pg.PlotDataItem] = {}

    def set_data(self, days: Sequence[str], series: Mapping[str, Sequence[int]],
                 theme: ChartTheme) -> None:
        self.clear()
        self.curves = {}
        self.setBackground(theme.background)
        pi = self.getPlotItem()
        pi.showGrid(x=False, y=True, alpha=theme.grid_alpha)
        _style_axes(pi, theme)
        legend = _legend(pi, theme, offset=(10, 10))
        legend.setColumnCount(2)
        x = list(range(len(days)))
        for i, (name, values) in enumerate(series.items()):
            color = theme.series[i % len(theme.series)]
            curve = pi.plot(x, list(values), pen=pg.mkPen(color, width=3 if theme.font_px > 14
                                                           else 2),
                            symbol="o", symbolSize=6, symbolBrush=color, symbolPen=None)
            legend.addItem(curve, name)
            self.curves[name] = curve
        step = max(1, len(days) // 8)
        pi.getAxis("bottom").setTicks([[(i, d) for i, d in enumerate(days) if i % step == 0]])
        top = max((max(v) for v in series.values() if len(v)), default=1)
        pi.setYRange(0, top * 1.5 + 1, padding=0)  # room for the legend
        pi.setXRange(-0.3, max(0, len(days) - 1) + 0.3, padding=0)


class DataTable(QTableWidget):
    """A small read-only table (red/black list, key figures); one column (the last by
    default) fills the width and number-like cells are right-aligned."""

    _NUMBER = re.compile(r"^[\d.,%×\s—-]+$")

    def __init__(self, stretch_column: int = -1, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self._stretch = stretch_column
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)

    def set_table(self, table: Table) -> None:
        self.setColumnCount(len(table.header))
        self.setHorizontalHeaderLabels(table.header)
        header = self.horizontalHeader()
        stretch = self._stretch % len(table.header) if table.header else 0
        for col in range(len(table.header)):
            header.setSectionResizeMode(
                col, QHeaderView.ResizeMode.Stretch if col == stretch
                else QHeaderView.ResizeMode.ResizeToContents)
        self.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if text and self._NUMBER.match(text):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def texts(self) -> list[list[str]]:
        return [[item.text() if (item := self.item(r, c)) else ""
                 for c in range(self.columnCount())] for r in range(self.rowCount())]


class Dashboard(QWidget):
    """The statistics screen. Feed it with :meth:`set_stats`."""

    TABLES = ("summary", "businesses_by_category", "channels_by_district", "alarms_by_day",
              "red_list", "black_list")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._stats = DashboardStats()
        self._big = False
        self._styled_scale = 1.0
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 8, 10, 8)
        root.setSpacing(8)
        head = QHBoxLayout()
        self.title_label = QLabel(self.tr("Bright-kitchen supervision statistics"))
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.updated_label = QLabel()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.updated_label)
        root.addLayout(head)

        kpis = QHBoxLayout()
        self.kpis = {
            "businesses": KpiTile(self.tr("Connected businesses")),
            "channels": KpiTile(self.tr("Video channels online")),
            "sensors": KpiTile(self.tr("Sensors online")),
            "alarms": KpiTile(self.tr("Alarms today")),
            "tasks": KpiTile(self.tr("Task closure rate")),
            "patrol": KpiTile(self.tr("Patrol coverage")),
        }
        for tile in self.kpis.values():
            kpis.addWidget(tile, 1)
        root.addLayout(kpis)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.category_chart = BarChart(horizontal=True)
        self.district_chart = BarChart(horizontal=False)
        self.alarm_chart = LineChart()
        self.red_table = DataTable()
        self.black_table = DataTable()
        self.panels = {
            "businesses_by_category": _Panel(self.tr("Businesses and channels by category"),
                                             self.category_chart,
                                             lambda: self._ask_export("businesses_by_category")),
            "channels_by_district": _Panel(self.tr("Channels by district"), self.district_chart,
                                           lambda: self._ask_export("channels_by_district")),
            "alarms_by_day": _Panel(self.tr("Alarms by type per day"), self.alarm_chart,
                                    lambda: self._ask_export("alarms_by_day")),
            "red_list": _Panel(self.tr("Red list (commended)"), self.red_table,
                               lambda: self._ask_export("red_list")),
            "black_list": _Panel(self.tr("Black list (problems found)"), self.black_table,
                                 lambda: self._ask_export("black_list")),
        }
        grid.addWidget(self.panels["businesses_by_category"], 0, 0)
        grid.addWidget(self.panels["channels_by_district"], 0, 1)
        grid.addWidget(self.panels["alarms_by_day"], 0, 2)
        grid.addWidget(self.panels["red_list"], 1, 0)
        grid.addWidget(self.panels["black_list"], 1, 1)
        self.summary_table = DataTable(stretch_column=0)
        self.panels["summary"] = _Panel(self.tr("Key figures"), self.summary_table,
                                        lambda: self._ask_export("summary"))
        grid.addWidget(self.panels["summary"], 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        root.addLayout(grid, 1)
        self._apply_style()

    # ------------------------------------------------------------------ API
    def stats(self) -> DashboardStats:
        return self._stats

    def set_stats(self, stats: DashboardStats | Mapping[str, Any]) -> None:
        if not isinstance(stats, DashboardStats):
            stats = DashboardStats.from_api(stats)
        self._stats = stats
        self._render()

    def set_big_screen(self, big: bool) -> None:
        """Dark theme, large fonts, no controls (unattended demonstration screens)."""
        self._big = big
        self._apply_style()
        self._render()

    def is_big_screen(self) -> bool:
        return self._big

    def big_scale(self) -> float:
        """How much larger than at 1920×1080 the big screen's text is: it grows with the
        screen (a 4K wall read from 5 m needs twice the pixels), never below full HD's."""
        if not self._big:
            return 1.0
        return max(1.0, round(min(self.width() / 1920, self.height() / 1080), 2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._big and abs(self.big_scale() - self._styled_scale) > 0.05:
            self._apply_style()
            self._render()

    @property
    def theme(self) -> ChartTheme:
        if not self._big:
            return LIGHT_CHARTS
        scale = self.big_scale()
        return DARK_CHARTS if scale == 1.0 else replace(
            DARK_CHARTS, font_px=round(DARK_CHARTS.font_px * scale))

    def table(self, name: str) -> Table:
        builders: dict[str, Callable[[], Table]] = {
            "summary": self._summary_table,
            "businesses_by_category": self._category_table,
            "channels_by_district": self._district_table,
            "alarms_by_day": self._alarms_table,
            "red_list": lambda: self._rank_table(self.tr("Red list"), self._stats.red_list),
            "black_list": lambda: self._rank_table(self.tr("Black list"),
                                                   self._stats.black_list),
        }
        if name not in builders:
            raise KeyError(f"no dashboard table {name!r}; have {', '.join(self.TABLES)}")
        return builders[name]()

    def export_csv(self, name: str, path: str | os.PathLike[str]) -> int:
        table = self.table(name)
        return write_csv(path, table.header, table.rows)

    # ------------------------------------------------------------------ tables
    def _summary_table(self) -> Table:
        s = self._stats
        rows = [
            [self.tr("Connected businesses"), _count(s.businesses_total),
             percent_text(s.connection_rate)],
            [self.tr("Video channels"), _count(s.channels_total), ""],
            [self.tr("Channels online"), _count(s.channels_online),
             percent_text(s.channel_online_rate)],
            [self.tr("Sensors online"), _count(s.sensors_online),
             percent_text(s.sensor_online_rate)],
            [self.tr("Alarms today"), _count(s.alarms_today), ""],
            [self.tr("Tasks"), _count(s.tasks_total), ""],
            [self.tr("Tasks closed"), _count(s.tasks_closed), percent_text(s.task_closure_rate)],
            [self.tr("Tasks overdue"), _count(s.tasks_overdue), ""],
            [self.tr("Supervised cases"), _count(s.tasks_escalated), ""],
            [self.tr("Patrol checks done"), _count(s.patrol_done),
             percent_text(s.patrol_coverage)],
        ]
        return Table(self.tr("Key figures"),
                     [self.tr("Figure"), self.tr("Number"), self.tr("Rate")], rows)

    def _category_keys(self) -> list[str]:
        s = self._stats
        known = list(labels.CATEGORIES)
        keys = set(s.businesses_by_category) | set(s.channels_by_category)
        return [k for k in known if k in keys] + sorted(keys - set(known))

    def _category_table(self) -> Table:
        s = self._stats
        rows = [[labels.category(k), str(s.businesses_by_category.get(k, 0)),
                 str(s.channels_by_category.get(k, 0))] for k in self._category_keys()]
        return Table(self.tr("Businesses and channels by category"),
                     [self.tr("Category"), self.tr("Businesses"), self.tr("Channels")], rows)

    def _district_keys(self) -> list[str]:
        s = self._stats
        keys = set(s.channels_by_district) | set(s.businesses_by_district)
        return sorted(keys)

    def _district_table(self) -> Table:
        s = self._stats
        rows = []
        for k in self._district_keys():
            total = s.channels_by_district.get(k, 0)
            online = s.channels_online_by_district.get(k)
            rows.append([s.district_name(k), str(s.businesses_by_district.get(k, 0)),
                         str(total), "" if online is None else str(online),
                         percent_text(online / total if online is not None and total else None)])
        return Table(self.tr("Channels by district"),
                     [self.tr("District"), self.tr("Businesses"), self.tr("Channels"),
                      self.tr("Online"), self.tr("Online rate")], rows)

    def _alarms_table(self) -> Table:
        s = self._stats
        types = s.alarm_types()
        header = [self.tr("Day"), *[self._type_label(t) for t in types], self.tr("Total")]
        rows = [[d.day.isoformat(), *[str(d.counts.get(t, 0)) for t in types], str(d.total)]
                for d in s.alarms_by_day]
        return Table(self.tr("Alarms by type per day"), header, rows)

    def _rank_table(self, title: str, entries: Sequence[RankEntry]) -> Table:
        """Rank, business, district, then only the measures the server gave."""
        header = [self.tr("Rank"), self.tr("Business"), self.tr("District")]
        extra: list[tuple[str, Callable[[RankEntry], str]]] = []
        if any(e.alarms is not None for e in entries):
            extra.append((self.tr("Alarms (30 days)"),
                          lambda e: "" if e.alarms is None else str(e.alarms)))
        if any(e.score is not None for e in entries):
            extra.append((self.tr("Score"),
                          lambda e: "" if e.score is None else number_text(e.score, 1)))
        if any(e.note for e in entries):
            extra.append((self.tr("Reason"), lambda e: e.note))
        rows = [[str(i), e.name or e.business_id, self._stats.district_name(e.district_id),
                 *[fmt(e) for _, fmt in extra]]
                for i, e in enumerate(entries, start=1)]
        return Table(title, header + [h for h, _ in extra], rows)

    @staticmethod
    def _type_label(key: str) -> str:
        kind, _, subtype = key.partition(":")
        return labels.alarm_type(kind, subtype)

    # ------------------------------------------------------------------ rendering
    def _render(self) -> None:
        s, theme = self._stats, self.theme
        self.updated_label.setText(self.tr("Updated %1").replace(
            "%1", datetime_text(s.generated_at)) if s.generated_at else "")
        if s.scope_name:
            self.title_label.setText(self.tr("Bright-kitchen supervision statistics — %1")
                                     .replace("%1", s.scope_name))
        self.kpis["businesses"].set_value(
            _count(s.businesses_total),
            self.tr("%1 of target").replace("%1", percent_text(s.connection_rate))
            if s.connection_rate is not None else "")
        self.kpis["channels"].set_value(
            percent_text(s.channel_online_rate),
            self.tr("%1 of %2 channels").replace("%1", _count(s.channels_online))
            .replace("%2", _count(s.channels_total)),
            alert=(s.channel_online_rate or 1.0) < 0.9)
        self.kpis["sensors"].set_value(
            percent_text(s.sensor_online_rate),
            self.tr("%1 of %2 sensors").replace("%1", _count(s.sensors_online))
            .replace("%2", _count(s.sensors_total)))
        self.kpis["alarms"].set_value(_count(s.alarms_today))
        self.kpis["tasks"].set_value(
            percent_text(s.task_closure_rate),
            self.tr("%1 overdue · %2 open").replace("%1", _count(s.tasks_overdue))
            .replace("%2", _count(s.tasks_open)),
            alert=bool(s.tasks_overdue))
        self.kpis["patrol"].set_value(
            percent_text(s.patrol_coverage),
            self.tr("%1 checks done").replace("%1", _count(s.patrol_done)))

        cats = self._category_keys()
        self.category_chart.set_data(
            [labels.category(k) for k in cats],
            [(self.tr("Businesses"), [s.businesses_by_category.get(k, 0) for k in cats]),
             (self.tr("Channels"), [s.channels_by_category.get(k, 0) for k in cats])], theme)
        dists = self._district_keys()
        series = [(self.tr("Channels"), [s.channels_by_district.get(k, 0) for k in dists])]
        if s.channels_online_by_district:
            series.append((self.tr("Online"),
                           [s.channels_online_by_district.get(k, 0) for k in dists]))
        self.district_chart.set_data([s.district_name(k) for k in dists], series, theme)
        types = s.alarm_types()
        self.alarm_chart.set_data(
            [f"{d.day.month}/{d.day.day}" for d in s.alarms_by_day],
            {self._type_label(t): [d.counts.get(t, 0) for d in s.alarms_by_day] for t in types},
            theme)
        self.red_table.set_table(self.table("red_list"))
        self.black_table.set_table(self.table("black_list"))
        self.summary_table.set_table(self.table("summary"))

    def _apply_style(self) -> None:
        big = self._big
        scale = self._styled_scale = self.big_scale()
        self.title_label.setFont(ui_font(round(34 * scale) if big else 18, bold=True))
        self.updated_label.setFont(ui_font(round(18 * scale) if big else 11))
        for tile in self.kpis.values():
            tile.set_big(big, scale)
        for panel in self.panels.values():
            panel.set_big(big, scale)
        table_px = round(20 * scale) if big else 12
        for table in (self.red_table, self.black_table, self.summary_table):
            table.setFont(ui_font(table_px))
            table.horizontalHeader().setFont(ui_font(table_px, bold=True))
            table.verticalHeader().setDefaultSectionSize(table_px * 2 + 6)
        if big:
            bg, fg, panel_bg, border = "#0b1a2e", "#e9f1ff", "#10243f", "#1f4068"
            self.setStyleSheet(
                f"#dashboard {{ background: {bg}; }} QLabel {{ color: {fg}; }}"
                f" #kpiTile, #dashPanel {{ background: {panel_bg}; border: 1px solid {border};"
                " border-radius: 6px; }"
                f" QTableWidget {{ background: {panel_bg}; color: {fg}; border: none;"
                f" gridline-color: {border}; }}"
                f" QHeaderView::section {{ background: {border}; color: {fg}; border: none;"
                " padding: 4px; }")
        else:
            self.setStyleSheet(
                "#kpiTile, #dashPanel { background: palette(base); border: 1px solid"
                " palette(mid); border-radius: 6px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def _ask_export(self, name: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export table"), f"{name}.csv",
                                              self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            self.export_csv(name, path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))


def chart_background(widget: pg.PlotWidget) -> QColor:
    """The chart's background colour (theme checks)."""
    return widget.backgroundBrush().color()
