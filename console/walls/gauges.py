"""Sensor gauges on the wall: a tile showing a camera in a room with a sensor carries its gauge.

Gauges are created when a camera with a sensor lands on a tile, seeded with the sensor's last
known value from the cache, and fed every live reading from the WebSocket (no polling). Tiles
whose camera changes lose their gauge. Operators can hide all gauges.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer

from console.sync.store import RegistrySnapshot
from videowall.interfaces import WallView
from widgets.gauges import CabinetGauge, GaugeLimits, RoomGauge
from widgets.models.cabinet import CabinetParams

log = logging.getLogger("kitchenwatch.console.walls.gauges")


class GaugeBinder(QObject):
    def __init__(self, wall: WallView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self.visible = True
        self._sensor_of_camera: dict[str, dict[str, Any]] = {}
        self._gauges: dict[int, tuple[str, RoomGauge | CabinetGauge]] = {}
        self._timer = QTimer(self, interval=1000)  # follows layout changes and drops
        self._timer.timeout.connect(self.sync_tiles)
        self._timer.start()

    def set_registry(self, snap: RegistrySnapshot) -> None:
        """Take the registry's sensors (the gauges need nothing else of it)."""
        self.set_sensors(snap.sensors)

    def set_sensors(self, sensors: Sequence[dict[str, Any]]) -> None:
        """Take every sensor row: one pass over them, whatever the number of gauges (a
        province has 200,000 sensors; scanning them once per gauge on the UI thread froze the
        wall for a second on every reload)."""
        self._sensor_of_camera = {s["camera_id"]: s for s in sensors if s.get("camera_id")}
        if self._gauges:
            shown = {sensor_id for sensor_id, _gauge in self._gauges.values()}
            by_id = {s["id"]: s for s in sensors if s["id"] in shown}
            for sensor_id, gauge in self._gauges.values():
                sensor = by_id.get(sensor_id)
                if sensor is not None and not sensor.get("online", True):
                    gauge.set_offline()
        self.sync_tiles()

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        for _sensor, gauge in self._gauges.values():
            gauge.setVisible(visible)

    def sync_tiles(self) -> None:
        tiles = self.wall.tiles()
        for index in list(self._gauges):
            tile = tiles[index] if index < len(tiles) else None
            sensor_id, gauge = self._gauges[index]
            camera = tile.source.camera_id if tile is not None and tile.source else None
            if camera is None or self._sensor_of_camera.get(camera, {}).get("id") != sensor_id:
                if tile is not None:
                    tile.set_overlay(None)
                gauge.deleteLater()
                del self._gauges[index]
        for index, tile in enumerate(tiles):
            if index in self._gauges or tile.source is None:
                continue
            sensor = self._sensor_of_camera.get(tile.source.camera_id)
            if sensor is None:
                continue
            gauge = self._make(sensor)
            gauge.setVisible(self.visible)
            tile.set_overlay(gauge)
            self._gauges[index] = (sensor["id"], gauge)

    @staticmethod
    def _make(sensor: dict[str, Any]) -> RoomGauge | CabinetGauge:
        if sensor["kind"] == "disinfection_cabinet":
            gauge: RoomGauge | CabinetGauge = CabinetGauge(
                CabinetParams.from_params(sensor.get("params")))
        else:
            gauge = RoomGauge(GaugeLimits.from_params(sensor.get("params"), sensor["kind"]))
        if sensor.get("last_value") is not None:
            gauge.update_reading(sensor.get("last_ts"), sensor["last_value"],
                                 sensor.get("last_humidity"), sensor.get("rule_state", "normal"))
        if not sensor.get("online", True):
            gauge.set_offline()
        return gauge

    def on_reading(self, message: dict[str, Any]) -> None:
        for sensor_id, gauge in self._gauges.values():
            if sensor_id == message.get("sensor_id"):
                gauge.update_reading(message.get("ts"), message.get("value"),
                                     message.get("humidity"),
                                     message.get("rule_state") or "normal")

    def gauge_for_tile(self, index: int) -> RoomGauge | CabinetGauge | None:
        entry = self._gauges.get(index)
        return entry[1] if entry else None
