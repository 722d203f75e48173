"""Sensor trend chart: readings over time with the rule's band, breaches and alarm marks.

pyqtgraph draws it (downsampling and clip-to-view keep a week of minute readings cheap to pan).
Breach periods are shaded as time intervals rather than drawn as a red curve: a curve would be
downsampled away at the 7-day zoom, an interval stays visible however far out one zooms.
The x axis is epoch seconds labelled in local time. The y range follows the data *and* the
limit, so the operator always sees how far a value is from its limit.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from widgets.gauges import GaugeLimits
from widgets.models.rows import parse_ts, utc_now
from widgets.theme import LIGHT_CHARTS, ChartTheme, rule_state_color, ui_font
from widgets.throttle import Throttle

log = logging.getLogger("kitchenwatch.widgets.trend")

MAX_BREACH_REGIONS = 200  # beyond this, neighbouring breach intervals are merged


class TrendSpan(enum.Enum):
    DAY = timedelta(hours=24)
    WEEK = timedelta(days=7)


def breach_intervals(t: np.ndarray, v: np.ndarray, low: float | None,
                     high: float | None) -> list[tuple[float, float]]:
    """Time intervals where ``v`` is outside [low, high].

    An interval runs from its first breaching sample to the first sample back inside (the
    value was out of range until then, as far as the data tells), so a single bad reading
    still gives a visible interval.
    """
    if len(t) == 0 or (low is None and high is None):
        return []
    mask = np.zeros(len(v), dtype=bool)
    if high is not None:
        mask |= v > high
    if low is not None:
        mask |= v < low
    if not mask.any():
        return []
    edges = np.diff(mask.astype(np.int8))
    starts = list(np.flatnonzero(edges == 1) + 1)
    ends = list(np.flatnonzero(edges == -1) + 1)
    if mask[0]:
        starts.insert(0, 0)
    out = []
    for i, s in enumerate(starts):
        e = ends[i] if i < len(ends) else None
        t_end = float(t[e]) if e is not None else float(t[-1])
        t_start = float(t[s])
        if t_end <= t_start:  # last sample breaching: give it a minute's width
            t_end = t_start + 60.0
        out.append((t_start, t_end))
    while len(out) > MAX_BREACH_REGIONS:  # merge the closest neighbours
        gaps = [out[i + 1][0] - out[i][1] for i in range(len(out) - 1)]
        i = int(np.argmin(gaps))
        out[i : i + 2] = [(out[i][0], out[i + 1][1])]
    return out


class SensorTrendChart(QWidget):
    """Readings of one sensor over 24 h or 7 d.

    Signals:
        span_changed(datetime, datetime): the operator picked another range; the console
            fetches ``/api/sensors/{id}/readings?from=&to=`` and calls :meth:`set_points`.
    """

    span_changed = Signal(object, object)

    def __init__(self, parent: QWidget | None = None, show_span_buttons: bool = True,
                 theme: ChartTheme = LIGHT_CHARTS, redraw_hz: float = 2.0) -> None:
        super().__init__(parent)
        self._theme = theme
        self._t = np.empty(0)
        self._v = np.empty(0)
        self._h = np.empty(0)
        self._limits = GaugeLimits()
        self._span = TrendSpan.DAY
        self._end: datetime | None = None
        self._title_text = ""
        self._marks: list[tuple[float, str]] = []
        self._mark_items: list[pg.InfiniteLine] = []
        self._breach_items: list[pg.LinearRegionItem] = []
        self._redraw = Throttle(self._apply_data, max(1, round(1000 / redraw_hz)), self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        self._title = QLabel()
        self._title.setFont(ui_font(bold=True))
        bar.addWidget(self._title, 1)
        self._buttons = QButtonGroup(self)
        self._day_btn = QPushButton(self.tr("24 h"))
        self._week_btn = QPushButton(self.tr("7 d"))
        for btn, span in ((self._day_btn, TrendSpan.DAY), (self._week_btn, TrendSpan.WEEK)):
            btn.setCheckable(True)
            btn.setFlat(True)
            btn.clicked.connect(lambda _=False, s=span: self._on_span_clicked(s))
            self._buttons.addButton(btn)
            bar.addWidget(btn)
            btn.setVisible(show_span_buttons)
        self._day_btn.setChecked(True)
        layout.addLayout(bar)

        axis = pg.DateAxisItem(orientation="bottom")  # local time labels
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": axis}, background=theme.background)
        self.plot_widget.setMinimumHeight(120)
        layout.addWidget(self.plot_widget, 1)
        pi = self.plot_item
        pi.showGrid(x=True, y=True, alpha=theme.grid_alpha)
        pi.setDownsampling(auto=True, mode="peak")
        pi.setClipToView(True)
        pi.setMouseEnabled(x=True, y=False)
        pi.hideButtons()
        pi.setMenuEnabled(False)
        for name in ("left", "bottom"):
            ax = pi.getAxis(name)
            ax.setTextPen(theme.foreground)
            ax.setPen(theme.foreground)
        pi.setLabel("left", "°C")
        # Dual axes are told apart by colour: the humidity axis wears its curve's colour.
        hum_axis = pi.getAxis("right")
        hum_axis.setTextPen(theme.series[4])
        hum_axis.setPen(theme.series[4])

        self._band = pg.LinearRegionItem(
            values=(0, 1), orientation="horizontal", movable=False,
            brush=QColor(47, 179, 68, 38), pen=pg.mkPen(None))
        self._band.setZValue(-20)
        self._band.hide()
        pi.addItem(self._band, ignoreBounds=True)
        limit_pen = pg.mkPen(rule_state_color("breach"), width=1, style=Qt.PenStyle.DashLine)
        self._high_line = pg.InfiniteLine(angle=0, movable=False, pen=limit_pen)
        self._low_line = pg.InfiniteLine(angle=0, movable=False, pen=limit_pen)
        for line in (self._high_line, self._low_line):
            line.hide()
            pi.addItem(line, ignoreBounds=True)
        self.curve = pi.plot(pen=pg.mkPen(theme.series[0], width=2), name="temperature")

        # Humidity on its own axis (right), sharing the time axis.
        self._hum_view = pg.ViewBox()
        self._hum_view.setMouseEnabled(x=False, y=False)
        pi.scene().addItem(self._hum_view)
        pi.getAxis("right").linkToView(self._hum_view)
        self._hum_view.setXLink(pi)
        self.humidity_curve = pg.PlotDataItem(
            pen=pg.mkPen(theme.series[4], width=1, style=Qt.PenStyle.DotLine))
        self.humidity_curve.setDownsampling(auto=True, method="peak")
        self.humidity_curve.setClipToView(True)
        self._hum_view.addItem(self.humidity_curve)
        pi.vb.sigResized.connect(self._sync_humidity_view)
        pi.vb.sigXRangeChanged.connect(lambda *_: self._fit_y())
        self._update_title()

    # ------------------------------------------------------------------ public API
    @property
    def plot_item(self) -> pg.PlotItem:
        return self.plot_widget.getPlotItem()

    @property
    def span(self) -> TrendSpan:
        return self._span

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def set_title(self, text: str) -> None:
        self._title_text = text
        self._update_title()

    def set_limits(self, limits: GaugeLimits) -> None:
        self._limits = limits
        lo, hi = limits.temp_low, limits.temp_high
        for line, val in ((self._low_line, lo), (self._high_line, hi)):
            line.setVisible(val is not None)
            if val is not None:
                line.setValue(val)
        if lo is None and hi is None:
            self._band.hide()
        else:
            self._band.setRegion((lo if lo is not None else -1e4, hi if hi is not None else 1e4))
            self._band.show()
        self._redraw.trigger()

    def set_points(self, points: Iterable[Sequence[Any]], end: datetime | None = None) -> None:
        """Replace the data: ``[ts, value, humidity?]`` rows (the readings endpoint's shape)."""
        ts, vs, hs = [], [], []
        for row in points:
            when = parse_ts(row[0], "points.ts")
            if when is None or row[1] is None:
                continue
            ts.append(when.timestamp())
            vs.append(float(row[1]))
            hum = row[2] if len(row) > 2 else None
            hs.append(math.nan if hum is None else float(hum))
        order = np.argsort(ts, kind="stable")
        self._t = np.asarray(ts, dtype=float)[order]
        self._v = np.asarray(vs, dtype=float)[order]
        self._h = np.asarray(hs, dtype=float)[order]
        if end is not None:
            self._end = end
        self._redraw.trigger()

    def append_reading(self, ts: Any, value: float, humidity: float | None = None) -> None:
        """A live reading; redraws are coalesced to the chart's rate."""
        when = parse_ts(ts, "reading.ts")
        if when is None:
            return
        t = when.timestamp()
        if len(self._t) and t <= self._t[-1]:
            return
        self._t = np.append(self._t, t)
        self._v = np.append(self._v, float(value))
        self._h = np.append(self._h, math.nan if humidity is None else float(humidity))
        self._redraw.trigger()

    def set_alarm_marks(self, marks: Iterable[tuple[Any, str]]) -> None:
        """Vertical marks at alarm times, labelled (e.g. "×3 Sensor limit breached")."""
        self._marks = []
        for ts, text in marks:
            when = parse_ts(ts, "mark.ts")
            if when is not None:
                self._marks.append((when.timestamp(), text))
        self._redraw.trigger()

    def set_span(self, span: TrendSpan, end: datetime | None = None) -> None:
        self._span = span
        if end is not None:
            self._end = end
        (self._day_btn if span is TrendSpan.DAY else self._week_btn).setChecked(True)
        self._update_title()
        self._apply_x_range()

    def breach_regions(self) -> list[tuple[float, float]]:
        """The shaded breach intervals (epoch seconds), as drawn."""
        return [tuple(item.getRegion()) for item in self._breach_items]

    def render_image(self, width: int = 900, height: int = 320) -> QImage:
        """The chart as an image (evidence pack), laid out at the given size."""
        self._redraw.flush()
        self.resize(width, height)
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.plot_widget.resize(self.plot_widget.size())
        self._sync_humidity_view()
        self._fit_y()
        return self.grab().toImage()

    # ------------------------------------------------------------------ internals
    def _on_span_clicked(self, span: TrendSpan) -> None:
        self.set_span(span)
        end = self._end_time()
        self.span_changed.emit(end - span.value, end)

    def _end_time(self) -> datetime:
        return self._end or utc_now()

    def _update_title(self) -> None:
        base = self._title_text
        span = self.tr("last 24 h") if self._span is TrendSpan.DAY else self.tr("last 7 days")
        self._title.setText(f"{base} · {span}" if base else span)

    def _apply_data(self) -> None:
        t, v, h = self._t, self._v, self._h
        self.curve.setData(t, v)
        has_h = bool(len(h)) and not np.all(np.isnan(h))
        if self.plot_item.getAxis("right").isVisible() != has_h:
            self.plot_item.showAxis("right", show=has_h)
            self.plot_item.layout.activate()  # lay out now, not at the next event loop turn
        if has_h:
            self.plot_item.getAxis("right").setLabel("%RH", color=self._theme.series[4])
            self.humidity_curve.setData(t, h, connect="finite")
        else:
            self.humidity_curve.setData([], [])
        pi = self.plot_item
        for item in self._breach_items:
            pi.removeItem(item)
        self._breach_items = []
        brush = QColor(rule_state_color("breach"))
        brush.setAlpha(60)
        for start, end in breach_intervals(t, v, self._limits.temp_low, self._limits.temp_high):
            region = pg.LinearRegionItem(values=(start, end), orientation="vertical",
                                         movable=False, brush=brush, pen=pg.mkPen(None))
            region.setZValue(-15)
            pi.addItem(region, ignoreBounds=True)
            self._breach_items.append(region)
        for item in self._mark_items:
            pi.removeItem(item)
        self._mark_items = []
        x_end = self._end_time().timestamp()
        x_start = x_end - self._span.value.total_seconds()
        for when, text in self._marks:
            # Labels go to the side with room: right of the line, or left near the end.
            right_side = (when - x_start) < 0.6 * (x_end - x_start)
            anchor = (0, 0) if right_side else (1, 0)
            line = pg.InfiniteLine(
                pos=when, angle=90, movable=False,
                pen=pg.mkPen(rule_state_color("breach"), width=2),
                label=text, labelOpts={"position": 0.95, "color": self._theme.foreground,
                                       "fill": (255, 255, 255, 210),
                                       "anchors": [anchor, anchor]})
            pi.addItem(line, ignoreBounds=True)
            self._mark_items.append(line)
        self._apply_x_range()

    def _apply_x_range(self) -> None:
        end = self._end_time().timestamp()
        if self._end is None and len(self._t):
            end = max(end, float(self._t[-1]))
        self.plot_item.setXRange(end - self._span.value.total_seconds(), end, padding=0.01)
        self._fit_y()

    def _fit_y(self) -> None:
        (x0, x1), _ = self.plot_item.viewRange()
        t, v = self._t, self._v
        sel = (t >= x0) & (t <= x1) if len(t) else np.zeros(0, dtype=bool)
        vals = list(v[sel]) if sel.any() else []
        lims = [x for x in (self._limits.temp_low, self._limits.temp_high) if x is not None]
        span_vals = vals + lims
        if span_vals:
            lo, hi = float(np.nanmin(span_vals)), float(np.nanmax(span_vals))
            pad = max((hi - lo) * 0.12, 0.5)
            self.plot_item.setYRange(lo - pad, hi + pad, padding=0)
        h = self._h[sel] if len(self._h) and sel.any() else np.empty(0)
        h = h[~np.isnan(h)] if len(h) else h
        if len(h):
            lo, hi = float(h.min()), float(h.max())
            pad = max((hi - lo) * 0.12, 2.0)
            self._hum_view.setYRange(lo - pad, hi + pad, padding=0)

    def _sync_humidity_view(self) -> None:
        self._hum_view.setGeometry(self.plot_item.vb.sceneBoundingRect())
        self._hum_view.linkedViewChanged(self.plot_item.vb, self._hum_view.XAxis)

