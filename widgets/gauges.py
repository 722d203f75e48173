"""Compact sensor gauges for kitchen tiles: special-room climate and disinfection cabinets.

A 36-tile wall gives each kitchen about 320×180 px; the gauge overlay gets roughly 120×70 of
it, on top of live video. So the gauges are painted with plain QPainter (no QGraphicsView per
tile, unlike the full trend chart) on a semi-transparent background, with the value large and
the rule state as colour. The painting lives in renderer classes whose ``image()`` caches
the painted gauge until its state changes, so a tile repainting for every video frame only
blits it (a video tile can also use a renderer directly from its own ``paintEvent``). The
QWidget wrappers add repaint coalescing: readings may arrive at any rate, the gauge repaints
at most ``repaint_hz`` times a second.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from domain.rules import default_band
from widgets import labels
from widgets.formatting import number_text, time_text
from widgets.models.cabinet import (
    CabinetCycleTracker,
    CabinetParams,
    CabinetPhase,
    CabinetStatus,
    InvalidReason,
)
from widgets.models.rows import parse_ts
from widgets.theme import rule_state_color, ui_font
from widgets.throttle import Throttle

translate = QCoreApplication.translate
log = logging.getLogger("kitchenwatch.widgets.gauges")

BACKGROUND = QColor(12, 16, 22, 170)
TEXT = QColor(240, 244, 248)
DIM_TEXT = QColor(190, 198, 208)
DESIGN_HEIGHT = 70.0  # sizes below are in px at 120×70 and scale with the gauge
DESIGN_WIDTH = 120.0




@dataclass(frozen=True)
class GaugeLimits:
    """The rule's limits as the gauge shows them (None = no such limit)."""

    temp_low: float | None = None
    temp_high: float | None = None
    humidity_high: float | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None,
                    kind: str = "special_room") -> GaugeLimits:
        """Limits from a sensor's rule ``params``.

        Reads central's keys ``max_temp``/``min_temp``/``max_humidity`` (``max_c``/``min_c``
        accepted too); a special room without parameters gets the code's default of ≤ 25 °C.
        """
        params = params or {}

        def num(*keys: str) -> float | None:
            for key in keys:
                if params.get(key) is not None:
                    return float(params[key])
            return None

        high = num("max_temp", "max_c")
        low = num("min_temp", "min_c")
        if high is None and low is None:
            # Central's defaults (an empty params means "the defaults").
            low, high = default_band(kind)
        return cls(low, high, num("max_humidity", "humidity_max", "max_rh"))

    def text(self) -> str:
        """``≤ 25 °C`` / ``0–8 °C`` / ``≥ 2 °C``."""
        lo, hi = self.temp_low, self.temp_high
        if lo is not None and hi is not None:
            return f"{number_text(lo, 0)}–{number_text(hi, 0)} °C"
        if hi is not None:
            return f"≤ {number_text(hi, 0)} °C"
        if lo is not None:
            return f"≥ {number_text(lo, 0)} °C"
        return ""


class _Frame:
    """Geometry helper: pixel sizes designed at 70 px height, scaled to the actual rect."""

    def __init__(self, rect: QRectF) -> None:
        self.rect = rect
        # Scale with the smaller dimension so a wide or tall gauge never overlaps its texts.
        self.u = max(0.6, min(rect.height() / DESIGN_HEIGHT, rect.width() / DESIGN_WIDTH))

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.u))


def _draw_background(p: QPainter, f: _Frame, accent: QColor) -> QRectF:
    """Rounded translucent box with a coloured state stripe; returns the content rect."""
    r = f.rect
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BACKGROUND)
    radius = 5 * f.u
    p.drawRoundedRect(r, radius, radius)
    stripe = QRectF(r.left(), r.top(), 4 * f.u, r.height())
    path = QPainterPath()
    path.addRoundedRect(r, radius, radius)
    p.save()
    p.setClipPath(path)
    p.fillRect(stripe, accent)
    p.restore()
    return r.adjusted(8 * f.u, 3 * f.u, -5 * f.u, -4 * f.u)


@functools.lru_cache(maxsize=64)
def _font(px: int, bold: bool) -> tuple[QFont, QFontMetricsF]:
    """Fonts and metrics by pixel size: building them per paint was half the paint cost."""
    font = ui_font(px, bold)
    return font, QFontMetricsF(font)


def _draw_text(p: QPainter, rect: QRectF, text: str, px: int, color: QColor,
               align: Qt.AlignmentFlag, bold: bool = False) -> float:
    """Draw one line elided to ``rect``; returns the width it took."""
    font, metrics = _font(px, bold)
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    p.setFont(font)
    p.setPen(color)
    p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
    return metrics.horizontalAdvance(shown)


@dataclass(frozen=True)
class _Text:
    text: str
    px: int
    color: QColor
    bold: bool = False


def _draw_pair(p: QPainter, rect: QRectF, left: _Text, right: _Text | None) -> None:
    """A left and a right text on one line; the right one wins, the left one is elided."""
    used = 0.0
    if right is not None and right.text:
        used = _draw_text(p, rect, right.text, right.px, right.color,
                          Qt.AlignmentFlag.AlignRight, right.bold)
        used += 4
    room = QRectF(rect.left(), rect.top(), max(0.0, rect.width() - used), rect.height())
    _draw_text(p, room, left.text, left.px, left.color, Qt.AlignmentFlag.AlignLeft, left.bold)


class _Renderer:
    """State + painting, with the painted gauge cached until the state changes.

    A tile repaints for every video frame (25/s) and a translucent overlay is repainted with
    it; painting a gauge from scratch costs ~0.3-1 ms, blitting the cached image ~0.02 ms.
    """

    def __init__(self) -> None:
        self.rule_state = "offline"
        self._version = 0
        self._cache: QImage | None = None
        self._cache_key: tuple[int, int, float, int] | None = None

    def touch(self) -> None:
        """The state changed: the next :meth:`image` paints afresh."""
        self._version += 1

    def set_rule_state(self, rule_state: str) -> None:
        if rule_state != self.rule_state:
            self.rule_state = rule_state
            self.touch()

    def paint(self, p: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def image(self, size: QSize, device_pixel_ratio: float = 1.0) -> QImage:
        """The gauge painted at ``size`` (logical pixels), from cache when unchanged."""
        key = (size.width(), size.height(), device_pixel_ratio, self._version)
        if self._cache is None or key != self._cache_key:
            img = QImage(round(size.width() * device_pixel_ratio),
                         round(size.height() * device_pixel_ratio),
                         QImage.Format.Format_ARGB32_Premultiplied)
            img.setDevicePixelRatio(device_pixel_ratio)
            img.fill(Qt.GlobalColor.transparent)
            p = QPainter(img)
            try:
                self.paint(p, QRectF(0, 0, size.width(), size.height()))
            finally:
                p.end()
            self._cache, self._cache_key = img, key
        return self._cache


class RoomGaugeRenderer(_Renderer):
    """State and painting of a special-room (or fridge) temperature/humidity gauge."""

    def __init__(self, window_s: float = 30 * 60.0, limits: GaugeLimits | None = None) -> None:
        super().__init__()
        self.window_s = window_s
        self.limits = limits or GaugeLimits(temp_high=25.0)
        self.value: float | None = None
        self.humidity: float | None = None
        self.last_ts: datetime | None = None
        self.history: deque[tuple[float, float]] = deque(maxlen=2000)

    def set_limits(self, limits: GaugeLimits) -> None:
        self.limits = limits
        self.touch()

    def update_reading(self, ts: Any, value: float | None, humidity: float | None,
                       rule_state: str) -> None:
        when = parse_ts(ts, "reading.ts")
        self.rule_state = rule_state or "normal"
        self.humidity = humidity
        self.touch()
        if value is None or when is None:
            return
        if self.last_ts is not None and when < self.last_ts:
            return  # a late duplicate from a backfill: the sparkline stays monotonic
        self.value = float(value)
        self.last_ts = when
        t = when.timestamp()
        self.history.append((t, self.value))
        while self.history and self.history[0][0] < t - self.window_s:
            self.history.popleft()

    def paint(self, p: QPainter, rect: QRectF) -> None:
        f = _Frame(rect)
        color = rule_state_color(self.rule_state)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = _draw_background(p, f, color)
        offline = self.rule_state == "offline"
        top = QRectF(c.left(), c.top(), c.width(), 26 * f.u)
        value_text = "—" if self.value is None else f"{number_text(self.value, 1)}°C"
        hum = None
        if self.humidity is not None:
            hum_color = TEXT
            lim = self.limits.humidity_high
            if lim is not None and self.humidity > lim and not offline:
                hum_color = rule_state_color("warning")
            hum = _Text(f"{number_text(self.humidity, 0)}%RH", f.px(11), hum_color)
        _draw_pair(p, top, _Text(value_text, f.px(19), DIM_TEXT if offline else color, True), hum)
        mid = QRectF(c.left(), top.bottom(), c.width(), 14 * f.u)
        state = None
        if self.rule_state != "normal":
            state = _Text(labels.rule_state(self.rule_state), f.px(10),
                          DIM_TEXT if offline else color, True)
        _draw_pair(p, mid, _Text(self.limits.text(), f.px(10), DIM_TEXT), state)
        spark = QRectF(c.left(), mid.bottom() + 2 * f.u, c.width(),
                       max(4.0, c.bottom() - mid.bottom() - 2 * f.u))
        self._paint_sparkline(p, spark, f, DIM_TEXT if offline else color)

    def _paint_sparkline(self, p: QPainter, r: QRectF, f: _Frame, color: QColor) -> None:
        pts = list(self.history)
        if len(pts) < 2:
            return
        t_end = pts[-1][0]
        t_start = t_end - self.window_s
        values = [v for _, v in pts]
        lo, hi = min(values), max(values)
        for lim in (self.limits.temp_high, self.limits.temp_low):
            if lim is not None:
                lo, hi = min(lo, lim), max(hi, lim)
        span = hi - lo or 1.0
        lo, hi = lo - span * 0.1, hi + span * 0.1

        left, bottom = r.left(), r.bottom()
        sx, sy = r.width() / self.window_s, r.height() / (hi - lo)

        def to_xy(t: float, v: float) -> QPointF:
            return QPointF(left + (t - t_start) * sx, bottom - (v - lo) * sy)

        pen = QPen(QColor(255, 255, 255, 110), max(1.0, 0.8 * f.u), Qt.PenStyle.DashLine)
        p.setPen(pen)
        for lim in (self.limits.temp_high, self.limits.temp_low):
            if lim is not None:
                y = to_xy(t_start, lim).y()
                p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        pts = _per_column_extremes(pts, t_start, self.window_s, max(1, int(r.width())))
        line = QPolygonF([to_xy(t, v) for t, v in pts])
        p.setPen(QPen(color, max(1.0, 1.5 * f.u)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(line)
        p.setBrush(color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(to_xy(*pts[-1]), 2 * f.u, 2 * f.u)


def _per_column_extremes(pts: list[tuple[float, float]], t_start: float, window_s: float,
                         columns: int) -> list[tuple[float, float]]:
    """At most a min and a max per pixel column, in time order: the line looks the same
    (spikes kept) and a 30-minute window of 1-second readings draws 200 points, not 1800."""
    if len(pts) <= 2 * columns:
        return pts
    out: list[tuple[float, float]] = []
    bucket: list[tuple[float, float]] = []
    current = None
    for t, v in pts:
        col = int((t - t_start) / window_s * columns)
        if col != current and bucket:
            lo, hi = min(bucket, key=lambda x: x[1]), max(bucket, key=lambda x: x[1])
            out.extend(sorted({lo, hi}))
            bucket = []
        current = col
        bucket.append((t, v))
    if bucket:
        lo, hi = min(bucket, key=lambda x: x[1]), max(bucket, key=lambda x: x[1])
        out.extend(sorted({lo, hi}))
    return out


_PHASE_COLORS = {
    CabinetPhase.IDLE: QColor("#adb5bd"),
    CabinetPhase.HEATING: QColor("#f59f00"),
    CabinetPhase.HOLDING: QColor("#4dabf7"),
    CabinetPhase.VALID: QColor("#2fb344"),
    CabinetPhase.INVALID: QColor("#e03131"),
}


class CabinetGaugeRenderer(_Renderer):
    """State and painting of a disinfection-cabinet gauge (cycle phase and hold progress)."""

    def __init__(self, params: CabinetParams | None = None) -> None:
        super().__init__()
        self.tracker = CabinetCycleTracker(params)

    @property
    def status(self) -> CabinetStatus:
        return self.tracker.status

    def set_params(self, params: CabinetParams) -> None:
        self.tracker.reset(params)
        self.touch()

    def update_reading(self, ts: Any, value: float | None, humidity: float | None,
                       rule_state: str) -> None:
        del humidity  # cabinets report temperature only
        when = parse_ts(ts, "reading.ts")
        self.rule_state = rule_state or "normal"
        self.touch()
        if value is not None and when is not None:
            self.tracker.feed(when, float(value))

    def phase_text(self) -> str:
        return {
            CabinetPhase.IDLE: translate("CabinetGauge", "Idle"),
            CabinetPhase.HEATING: translate("CabinetGauge", "Heating"),
            CabinetPhase.HOLDING: translate("CabinetGauge", "Holding"),
            CabinetPhase.VALID: translate("CabinetGauge", "Cycle valid"),
            CabinetPhase.INVALID: translate("CabinetGauge", "Cycle invalid"),
        }[self.status.phase]

    def detail_text(self) -> str:
        st, prm = self.status, self.tracker.params
        hold_min = round(prm.hold_s / 60)
        if st.phase is CabinetPhase.HOLDING:
            return (translate("CabinetGauge", "%1 of %2 min")
                    .replace("%1", str(int(st.held_s // 60))).replace("%2", str(hold_min)))
        if st.phase is CabinetPhase.HEATING:
            return translate("CabinetGauge", "to %1 °C").replace("%1", number_text(prm.target_c, 0))
        if st.phase is CabinetPhase.VALID:
            return (translate("CabinetGauge", "%1 min held, %2")
                    .replace("%1", str(int(st.held_s // 60)))
                    .replace("%2", time_text(st.cycle_ended_at)))
        if st.phase is CabinetPhase.INVALID:
            return {
                InvalidReason.NOT_REACHED: translate("CabinetGauge", "target not reached"),
                InvalidReason.TOO_SHORT: translate("CabinetGauge", "held only %1 min").replace(
                    "%1", str(int(st.held_s // 60))),
                InvalidReason.DATA_GAP: translate("CabinetGauge", "readings missing"),
                None: "",
            }[st.reason]
        if st.last_result is CabinetPhase.VALID:
            return translate("CabinetGauge", "last cycle valid")
        if st.last_result is CabinetPhase.INVALID:
            return translate("CabinetGauge", "last cycle invalid")
        return translate("CabinetGauge", "no cycle yet")

    def paint(self, p: QPainter, rect: QRectF) -> None:
        f = _Frame(rect)
        st = self.status
        offline = self.rule_state == "offline"
        color = rule_state_color("offline") if offline else _PHASE_COLORS[st.phase]
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = _draw_background(p, f, color)
        top = QRectF(c.left(), c.top(), c.width(), 24 * f.u)
        phase = labels.rule_state("offline") if offline else self.phase_text()
        temp = "—" if st.temperature is None else f"{number_text(st.temperature, 0)}°C"
        _draw_pair(p, top, _Text(phase, f.px(11), color, True),
                   _Text(temp, f.px(15), DIM_TEXT if offline else TEXT, True))
        mid = QRectF(c.left(), top.bottom(), c.width(), 16 * f.u)
        _draw_text(p, mid, self.detail_text(), f.px(10), DIM_TEXT, Qt.AlignmentFlag.AlignLeft)
        bar = QRectF(c.left(), mid.bottom() + 5 * f.u, c.width(), 8 * f.u)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 45))
        p.drawRoundedRect(bar, 3 * f.u, 3 * f.u)
        fraction = self._bar_fraction()
        if fraction > 0:
            p.setBrush(color)
            p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * fraction,
                                     bar.height()), 3 * f.u, 3 * f.u)
        if self.rule_state in ("breach", "invalid") and not offline:  # central's verdict
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(rule_state_color("breach"), 2 * f.u))
            p.drawRoundedRect(f.rect.adjusted(f.u, f.u, -f.u, -f.u), 5 * f.u, 5 * f.u)

    def _bar_fraction(self) -> float:
        st = self.status
        if st.phase is CabinetPhase.HEATING and st.temperature is not None:
            return max(0.0, min(1.0, st.temperature / self.tracker.params.target_c))
        if st.phase in (CabinetPhase.HOLDING, CabinetPhase.VALID, CabinetPhase.INVALID):
            return st.progress
        return 0.0


class _GaugeWidget(QWidget):
    """Common QWidget shell: coalesced repaints, compact size, translucent overlay."""

    def __init__(self, renderer: _Renderer, repaint_hz: float, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._throttle = Throttle(self._refresh, max(1, round(1000 / repaint_hz)), self)
        self.repaints = 0  # diagnostics: how many times the gauge actually painted

    def sizeHint(self) -> QSize:
        return QSize(120, 70)

    def minimumSizeHint(self) -> QSize:
        return QSize(96, 56)

    @property
    def throttle(self) -> Throttle:
        return self._throttle

    def update_reading(self, ts: Any, value: float | None, humidity: float | None = None,
                       rule_state: str = "normal") -> None:
        """Take a reading (any rate); the gauge repaints at its coalesced rate."""
        self._renderer.update_reading(ts, value, humidity, rule_state)
        self._throttle.trigger()

    def set_offline(self) -> None:
        self._renderer.set_rule_state("offline")
        self._throttle.trigger()

    def _refresh(self) -> None:
        self.setToolTip(self._tooltip())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        self.repaints += 1
        image = self._renderer.image(self.size(), self.devicePixelRatioF())
        p = QPainter(self)
        try:
            p.drawImage(0, 0, image)
        finally:
            p.end()

    def _tooltip(self) -> str:
        return ""


class RoomGauge(_GaugeWidget):
    """Special-room temperature and humidity with its limit, state colour and sparkline."""

    def __init__(self, limits: GaugeLimits | None = None, window_s: float = 30 * 60.0,
                 repaint_hz: float = 2.0, parent: QWidget | None = None) -> None:
        renderer = RoomGaugeRenderer(window_s, limits)
        super().__init__(renderer, repaint_hz, parent)
        self.renderer = renderer

    def set_limits(self, limits: GaugeLimits) -> None:
        self.renderer.set_limits(limits)
        self._throttle.trigger()

    @property
    def value(self) -> float | None:
        return self.renderer.value

    @property
    def rule_state(self) -> str:
        return self.renderer.rule_state

    def _tooltip(self) -> str:
        r = self.renderer
        return self.tr("%1 °C, limit %2, %3 (at %4)").replace(
            "%1", number_text(r.value, 1)).replace("%2", r.limits.text()).replace(
            "%3", labels.rule_state(r.rule_state)).replace("%4", time_text(r.last_ts))


class CabinetGauge(_GaugeWidget):
    """Disinfection cabinet: idle / heating / holding with progress / cycle valid or invalid."""

    def __init__(self, params: CabinetParams | None = None, repaint_hz: float = 2.0,
                 parent: QWidget | None = None) -> None:
        renderer = CabinetGaugeRenderer(params)
        super().__init__(renderer, repaint_hz, parent)
        self.renderer = renderer

    def set_params(self, params: CabinetParams) -> None:
        self.renderer.set_params(params)
        self._throttle.trigger()

    @property
    def status(self) -> CabinetStatus:
        return self.renderer.status

    def _tooltip(self) -> str:
        prm = self.renderer.tracker.params
        return self.tr("%1 — rule: ≥ %2 °C for %3 min").replace(
            "%1", self.renderer.phase_text()).replace(
            "%2", number_text(prm.target_c, 0)).replace("%3", str(round(prm.hold_s / 60)))
