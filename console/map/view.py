"""The map widget: district outlines filled by a figure, kitchens as points or clusters.

Drawn with QGraphicsView/QPainter (no web engine, no internet tiles: control rooms are
offline). The points are one item that paints only what is exposed, in screen pixels, from
clusters cached per zoom step (:class:`console.map.points.Clusterer`), so a province's
10,000 kitchens pan and zoom within a frame.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDrag,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QLabel,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from console.map.figures import (
    DistrictFigures,
    Metric,
    colour_for,
    scale_bounds,
)
from console.map.points import (
    Cluster,
    Clusterer,
    ClusterSet,
    MapPoint,
    PointState,
    Projection,
)
from domain.geo import Region
from videowall import CAMERAS_MIME, TileSource

STATE_COLOURS = {PointState.ALARM: QColor("#ff1744"), PointState.OFFLINE: QColor("#9e9e9e"),
                 PointState.COMPLIANT: QColor("#00e676"),
                 PointState.UNCONNECTED: QColor("#40c4ff")}
PULSE_S = 6.0  # how long a new alarm's point pulses
BACKGROUND = QColor("#0b1623")


def state_names() -> dict[PointState, str]:
    return {PointState.ALARM: QCoreApplication.translate("MapView", "open alarm"),
            PointState.OFFLINE: QCoreApplication.translate("MapView", "camera offline"),
            PointState.COMPLIANT: QCoreApplication.translate("MapView", "compliant"),
            PointState.UNCONNECTED: QCoreApplication.translate("MapView",
                                                               "not yet connected")}


def metric_names() -> dict[Metric, str]:
    return {Metric.ONLINE_RATE: QCoreApplication.translate("MapView", "Camera online rate"),
            Metric.ALARMS_PER_100: QCoreApplication.translate(
                "MapView", "Alarms per 100 kitchens (30 days)"),
            Metric.PATROL_COVERAGE: QCoreApplication.translate(
                "MapView", "Patrol coverage (30 days)")}


class PointLayer(QGraphicsItem):
    """Every kitchen, painted in screen pixels at its scene position."""

    def __init__(self, view: MapView) -> None:
        super().__init__()
        self.view = view
        self.clusterer = Clusterer()
        self.rect = QRectF()
        self.pulses: dict[str, float] = {}  # business id → monotonic start
        self.radius_px = 6.0
        self._marker_key = -1.0
        self._marker_cache: dict[PointState, QPixmap] = {}
        self.font = QFont()
        self.setZValue(10)

    def set_points(self, points: Sequence[MapPoint]) -> None:
        self.prepareGeometryChange()
        self.clusterer.set_points(points)
        if points:
            xs = [p.x for p in points]
            ys = [p.y for p in points]
            self.rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        else:
            self.rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        # Markers are drawn in pixels around their point: a margin of a few scene units at
        # the farthest zoom-out keeps their edges inside the repainted area.
        return self.rect.adjusted(-60, -60, 60, 60)

    def clusters(self) -> ClusterSet:
        return self.clusterer.at(self.view.scale_factor())

    def _markers(self) -> dict[PointState, QPixmap]:
        """One antialiased dot per state at the current marker size (made again when the
        big screen changes the size)."""
        key = round(self.radius_px, 2)
        if self._marker_key != key:
            r = self.radius_px
            size = math.ceil(2 * r + 2 * max(1.0, r / 4) + 2)
            self._marker_cache = {}
            for state, colour in STATE_COLOURS.items():
                pm = QPixmap(size, size)
                pm.fill(Qt.GlobalColor.transparent)
                p = QPainter(pm)
                p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                p.setPen(QPen(QColor("#ffffff"), max(1.0, r / 4)))
                p.setBrush(colour)
                p.drawEllipse(QPointF(size / 2, size / 2), r, r)
                p.end()
                self._marker_cache[state] = pm
            self._marker_key = key
        return self._marker_cache

    def _radius(self, count: int) -> float:
        return self.radius_px * (1.6 + min(2.4, math.log10(count))) if count > 1 \
            else self.radius_px

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        transform = painter.worldTransform()
        exposed = option.exposedRect
        scale, dx, dy, sy = transform.m11(), transform.dx(), transform.dy(), transform.m22()
        margin = 40 / max(scale, 1e-9)
        clusters = self.clusters()
        visible = clusters.visible(exposed.left() - margin, exposed.top() - margin,
                                   exposed.right() + margin, exposed.bottom() + margin)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font)
        r = self.radius_px
        pulsing: list[QPointF] = []
        pulses = self.pulses
        counts = clusters.count[visible].tolist()
        xs = (clusters.cx[visible] * scale + dx).tolist()
        ys = (clusters.cy[visible] * sy + dy).tolist()
        worst = clusters.worst[visible].tolist()
        rings = {s: QPen(c, max(2.0, r / 2.5)) for s, c in STATE_COLOURS.items()}
        inner = QBrush(QColor(10, 20, 32, 215))
        white = QPen(QColor("#ffffff"))
        # Singles first, as one pre-drawn marker each: a zoomed-in city draws thousands, and
        # one drawPixmap a kitchen is several times cheaper than pen, brush and ellipse.
        markers = self._markers()
        half = markers[PointState.COMPLIANT].width() / 2 / markers[
            PointState.COMPLIANT].devicePixelRatio()
        for k, n in enumerate(counts):
            if n == 1:
                painter.drawPixmap(QPointF(xs[k] - half, ys[k] - half),
                                   markers[PointState(worst[k])])
                if pulses and clusters.points[int(clusters.member_indices(
                        int(visible[k]))[0])].business_id in pulses:
                    pulsing.append(QPointF(xs[k], ys[k]))
        for k, n in enumerate(counts):
            if n == 1:
                continue
            centre = QPointF(xs[k], ys[k])
            radius = self._radius(n)
            painter.setPen(rings[PointState(worst[k])])
            painter.setBrush(inner)
            painter.drawEllipse(centre, radius, radius)
            painter.setPen(white)
            painter.drawText(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius,
                                    2 * radius), Qt.AlignmentFlag.AlignCenter, str(n))
            if pulses and any(clusters.points[int(i)].business_id in pulses
                              for i in clusters.member_indices(int(visible[k]))):
                pulsing.append(centre)
        phase = (time.monotonic() * 1.5) % 1.0
        for centre in pulsing:
            ring = r * (1.5 + 3.5 * phase)
            painter.setPen(QPen(QColor(255, 23, 68, int(255 * (1 - phase))), max(2.0, r / 3)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, ring, ring)
        painter.restore()

    def hit(self, scene_pos: QPointF) -> Cluster | None:
        """The cluster or point under the cursor (within its drawn radius)."""
        scale = self.view.scale_factor()
        clusters = self.clusters()
        if not len(clusters):
            return None
        reach = self._radius(100000) / max(scale, 1e-9)
        near = clusters.visible(scene_pos.x() - reach, scene_pos.y() - reach,
                                scene_pos.x() + reach, scene_pos.y() + reach)
        best, best_d = None, float("inf")
        for k in near.tolist():
            n = int(clusters.count[k])
            radius = self._radius(n) if n > 1 else self.radius_px * 1.5
            d = math.hypot(float(clusters.cx[k]) - scene_pos.x(),
                           float(clusters.cy[k]) - scene_pos.y()) * scale
            if d <= radius and d < best_d:
                best, best_d = k, d
        return None if best is None else clusters.cluster(best)


class Legend(QFrame):
    """The figure's colour ramp with its bounds, and the point colours with counts."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("map-legend")
        self.setStyleSheet("#map-legend { background: rgba(10, 20, 32, 215); "
                           "border: 1px solid #2a3a4d; border-radius: 6px; } "
                           "QLabel { color: #e0e6ed; background: transparent; }")
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.ramp = QLabel(self)
        self.states = QLabel(self)
        self.states.setTextFormat(Qt.TextFormat.RichText)
        self.ramp.setTextFormat(Qt.TextFormat.RichText)
        for w in (self.title, self.ramp, self.states):
            layout.addWidget(w)

    def show_figures(self, metric: Metric, bounds: tuple[float, float],
                     counts: dict[PointState, int], unmatched: Sequence[str]) -> None:
        self.title.setText(f"<b>{metric_names()[metric]}</b>")
        lo, hi = bounds
        unit = "" if metric is Metric.ALARMS_PER_100 else "%"
        steps = []
        for k in range(5):
            value = lo + (hi - lo) * k / 4
            r, g, b = colour_for(metric, value, bounds)
            steps.append(f"<span style='background-color: rgb({r},{g},{b}); color: #fff'>"
                         f"&nbsp;{value:.0f}{unit}&nbsp;</span>")
        self.ramp.setText("".join(steps))
        names = state_names()
        lines = [f"<span style='color: {STATE_COLOURS[s].name()}'>●</span> {names[s]}"
                 f"&nbsp;&nbsp;{counts.get(s, 0)}"
                 for s in (PointState.ALARM, PointState.OFFLINE, PointState.COMPLIANT,
                           PointState.UNCONNECTED)]
        if unmatched:
            lines.append(QCoreApplication.translate("MapView", "No boundary for: %1").replace(
                "%1", "、".join(unmatched)))
        self.states.setText("<br>".join(lines))
        self.adjustSize()


class MapView(QGraphicsView):
    """Pan with the mouse, zoom with the wheel; click a point for its business card,
    double-click for its cameras on the wall, drag it onto a tile; click a cluster to zoom in."""

    business_clicked = Signal(str)
    business_activated = Signal(str)
    metric_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map-view")
        self.projection = Projection()
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(BACKGROUND)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.points = PointLayer(self)
        self.scene().addItem(self.points)
        self.regions: dict[str, QGraphicsPathItem] = {}  # district name → outline
        self.labels: dict[str, QGraphicsSimpleTextItem] = {}
        self.region_ids: dict[str, str] = {}  # district name → district id (matched)
        self.figures: dict[str, DistrictFigures] = {}
        self.shown_metric = Metric.ONLINE_RATE
        self.unmatched: list[str] = []
        self.sources_for: Callable[[str], list[TileSource]] = lambda _bid: []
        self.font_scale = 1.0
        self.big_screen = False
        self._press: QPoint | None = None
        self._press_point: str | None = None
        self.selector = QComboBox(self)
        self.selector.setObjectName("map-metric")
        for metric, name in metric_names().items():
            self.selector.addItem(name, metric.value)
        self.selector.currentIndexChanged.connect(
            lambda _i: self.set_metric(Metric(self.selector.currentData())))
        self.legend = Legend(self)
        self._pulse_timer = QTimer(self, interval=80)
        self._pulse_timer.timeout.connect(self._pulse_tick)
        self._fit_rect = QRectF()

    # -- content ----------------------------------------------------------------------------
    def scale_factor(self) -> float:
        return self.transform().m11()

    def set_regions(self, regions: Sequence[Region], districts: dict[str, str],
                    scope: set[str] | None = None) -> None:
        """Outlines for ``regions``; ``districts``: registry name → id (features are matched
        to districts by name); ``scope``: the ids the user sees (None: all), the view fits
        them and the other outlines stay dim."""
        scene = self.scene()
        for item in [*self.regions.values(), *self.labels.values()]:
            scene.removeItem(item)
        self.regions.clear()
        self.labels.clear()
        self.region_ids = {}
        by_name = {name.strip(): did for name, did in districts.items()}
        fit = QRectF()
        for region in regions:
            path = QPainterPath()
            for poly in region.polygons:
                for ring in poly:
                    first = True
                    for lon, lat in ring:
                        x, y = self.projection.to_scene(lon, lat)
                        if first:
                            path.moveTo(x, y)
                            first = False
                        else:
                            path.lineTo(x, y)
                    path.closeSubpath()
            item = QGraphicsPathItem(path)
            pen = QPen(QColor("#7fb3d5"), 1.5)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setZValue(0)
            scene.addItem(item)
            self.regions[region.name] = item
            did = by_name.get(region.name)
            if did is not None:
                self.region_ids[region.name] = did
            label = QGraphicsSimpleTextItem(region.name)
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            label.setBrush(QColor("#e8eef5"))
            label.setZValue(5)
            lx, ly = self.projection.to_scene(*region.label_point())
            label.setPos(lx, ly)
            scene.addItem(label)
            self.labels[region.name] = label
            if did is not None and (scope is None or did in scope):  # the bureau's own
                fit = fit.united(item.boundingRect()) if not fit.isNull() \
                    else item.boundingRect()
        self.unmatched = sorted(n for n, did in by_name.items()
                                if did not in self.region_ids.values()
                                and (scope is None or did in scope))
        self._fit_rect = fit
        self._apply_fonts()
        self._recolour()
        self.fit()

    def set_points(self, points: Sequence[MapPoint]) -> None:
        self.projection.place(points)
        self.points.set_points(points)
        if self._fit_rect.isNull() and points:
            self._fit_rect = self.points.rect.adjusted(-20, -20, 20, 20)
            self.fit()
        self._update_legend()

    def refresh_states(self) -> None:
        """Point states changed in place: recount clusters and repaint."""
        self.points.clusterer.invalidate()
        self.points.update()
        self._update_legend()

    def set_figures(self, figures: dict[str, DistrictFigures]) -> None:
        self.figures = figures
        self._recolour()

    def set_metric(self, metric: Metric) -> None:
        if metric is self.shown_metric:
            return
        self.shown_metric = metric
        index = self.selector.findData(metric.value)
        if index != self.selector.currentIndex():
            self.selector.setCurrentIndex(index)
        self._recolour()
        self.metric_changed.emit(metric.value)

    def _bounds(self) -> tuple[float, float]:
        metric = self.shown_metric
        return scale_bounds(metric, (f.value(metric) for f in self.figures.values()))

    def _recolour(self) -> None:
        bounds = self._bounds()
        for name, item in self.regions.items():
            did = self.region_ids.get(name)
            figures = self.figures.get(did) if did else None
            value = figures.value(self.shown_metric) if figures else None
            r, g, b = colour_for(self.shown_metric, value, bounds)
            item.setBrush(QBrush(QColor(r, g, b, 150 if value is not None else 90)))
            label = self.labels.get(name)
            if label is not None:
                unit = "" if self.shown_metric is Metric.ALARMS_PER_100 else "%"
                label.setText(name if value is None else f"{name}\n{value:.0f}{unit}")
        self._update_legend()

    def _update_legend(self) -> None:
        tally = self.points.clusterer.state_counts()
        counts = {s: int(tally[s]) for s in PointState}
        self.legend.show_figures(self.shown_metric, self._bounds(), counts, self.unmatched)
        self._place_overlays()

    # -- pulses -----------------------------------------------------------------------------
    def pulse(self, business_id: str) -> None:
        """A new alarm: the kitchen's point (or its cluster) pulses for a few seconds."""
        self.points.pulses[business_id] = time.monotonic()
        if not self._pulse_timer.isActive():
            self._pulse_timer.start()

    def _pulse_tick(self) -> None:
        now = time.monotonic()
        for bid, start in list(self.points.pulses.items()):
            if now - start > PULSE_S:
                del self.points.pulses[bid]
        if not self.points.pulses:
            self._pulse_timer.stop()
            self.points.update()  # the last rings go
            return
        # Only around the pulsing kitchens: a full repaint of a city 12 times a second during
        # an alarm storm kept the UI thread busy for most of it.
        reach = self.points.radius_px * 6 / max(self.scale_factor(), 1e-9)
        by_id = {p.business_id: p for p in self.points.clusterer.points
                 if p.business_id in self.points.pulses} if len(self.points.pulses) < 200 \
            else None
        if by_id is None:
            self.points.update()
            return
        clusters = self.points.clusters()
        for p in by_id.values():
            self.points.update(QRectF(p.x - reach, p.y - reach, 2 * reach, 2 * reach))
        # A pulsing kitchen inside a group rings around the group's centre.
        for k in clusters.visible(*self._scene_bounds()).tolist():
            if int(clusters.count[k]) > 1 and any(
                    clusters.points[int(i)].business_id in by_id
                    for i in clusters.member_indices(k)):
                x, y = float(clusters.cx[k]), float(clusters.cy[k])
                big = reach * 2
                self.points.update(QRectF(x - big, y - big, 2 * big, 2 * big))

    def _scene_bounds(self) -> tuple[float, float, float, float]:
        rect = self.mapToScene(self.viewport().rect()).boundingRect()
        return rect.left(), rect.top(), rect.right(), rect.bottom()

    # -- layout -----------------------------------------------------------------------------
    def set_font_scale(self, factor: float) -> None:
        """Larger text and markers for a big screen read from across the room."""
        self.font_scale = factor
        self._apply_fonts()

    def set_big_screen(self, big: bool) -> None:
        """Dark, no selector, text and markers sized by the screen's height (1080 lines: ×1.6,
        2160: ×3.2) so the wall reads the same from 5 m at full HD and at 4K."""
        self.big_screen = big
        self.selector.setVisible(not big)
        self._scale_for_screen()

    def _scale_for_screen(self) -> None:
        if self.big_screen and self.height() > 0:
            factor = round(1.6 * self.height() / 1080, 2)
            if abs(factor - self.font_scale) > 0.01:
                self.set_font_scale(factor)

    def _apply_fonts(self) -> None:
        base = QFont(self.font())
        size = max(9.0, (base.pointSizeF() if base.pointSizeF() > 0 else 10.0)) * self.font_scale
        label_font = QFont(base)
        label_font.setPointSizeF(size * 1.1)
        label_font.setBold(True)
        for label in self.labels.values():
            label.setFont(label_font)
        marker_font = QFont(base)
        marker_font.setPointSizeF(size * 0.85)
        marker_font.setBold(True)
        self.points.font = marker_font
        self.points.radius_px = 6.0 * self.font_scale
        self.points.clusterer.cell_px = 44.0 * self.font_scale
        self.points.clusterer.invalidate()
        overlay = QFont(base)
        overlay.setPointSizeF(size)
        self.legend.setFont(overlay)
        for child in self.legend.findChildren(QLabel):
            child.setFont(overlay)
        self.selector.setFont(overlay)
        self.selector.adjustSize()
        self.legend.adjustSize()
        self._place_overlays()

    def fit(self) -> None:
        rect = self._fit_rect if not self._fit_rect.isNull() else self.points.rect
        if rect.isNull() or self.viewport().width() < 10:
            return
        self.setSceneRect(rect.adjusted(-rect.width(), -rect.height(), rect.width(),
                                        rect.height()))
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_for_screen()
        self.fit()
        self._place_overlays()

    def _place_overlays(self) -> None:
        margin = int(12 * self.font_scale)
        self.selector.adjustSize()
        self.selector.move(margin, margin)
        self.legend.adjustSize()
        self.legend.move(margin, max(margin, self.height() - self.legend.height() - margin))

    # -- interaction ------------------------------------------------------------------------
    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        scale = self.scale_factor() * factor
        base = self._base_scale()
        if base and not (base * 0.5 <= scale <= base * 400):
            return
        if anchor is not None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            before = self.mapToScene(anchor.toPoint())
            self.scale(factor, factor)
            after = self.mapToScene(anchor.toPoint())
            delta = after - before
            self.translate(delta.x(), delta.y())
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        else:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(factor, factor)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def _base_scale(self) -> float:
        rect = self._fit_rect
        if rect.isNull() or rect.width() <= 0 or rect.height() <= 0:
            return 0.0
        return min(self.viewport().width() / rect.width(),
                   self.viewport().height() / rect.height())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.25 ** steps)
        event.accept()

    def _point_at(self, pos: QPoint) -> Cluster | None:
        return self.points.hit(self.mapToScene(pos))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self._point_at(event.position().toPoint())
            if hit is not None:
                self._press = event.position().toPoint()
                self._press_point = hit.members[0].business_id if hit.count == 1 else None
                event.accept()
                return
        self._press = None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self._press_point is not None:
            moved = (event.position().toPoint() - self._press).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._start_drag(self._press_point)
                self._press = None
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and event.button() == Qt.MouseButton.LeftButton:
            hit = self._point_at(self._press)
            self._press = None
            if hit is not None and hit.count == 1:
                self.business_clicked.emit(hit.members[0].business_id)
            elif hit is not None:  # a cluster: zoom in on it
                self.centerOn(QPointF(hit.x, hit.y))
                self.zoom_by(2.0)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._point_at(event.position().toPoint())
        if hit is not None and hit.count == 1:
            self.business_activated.emit(hit.members[0].business_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def drag_mime(self, business_id: str) -> QMimeData | None:
        """What a point carries onto a tile: the wall's camera MIME type (its cameras)."""
        sources = self.sources_for(business_id)
        if not sources:
            return None
        mime = QMimeData()
        mime.setData(CAMERAS_MIME, json.dumps([s.to_dict() for s in sources],
                                              ensure_ascii=False).encode())
        return mime

    def _start_drag(self, business_id: str) -> None:
        mime = self.drag_mime(business_id)
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)
