"""The video wall engine.

Public API:
- :class:`TileSource` — what a tile plays (camera id, title, sub and main URLs).
- :class:`VideoWall` — a grid of tiles: ``set_layout(name)``, ``set_cell(i, source)``,
  ``fill(sources, start)``, ``maximise(i)``, ``to_spec()/from_spec()``, ``set_alarm``;
  signal ``health_changed(camera_id, StreamStatus)``. Drops of the
  ``application/x-kitchenwatch-cameras`` MIME type (JSON list of TileSource dicts) fill cells.
- :class:`WallWindow` — a wall in its own window, e.g. one per screen.
- :func:`mask_url` — never show or log credentials in a stream address.
"""

from videowall.layouts import LAYOUTS, layout
from videowall.source import TileSource, mask_url
from videowall.wall import CAMERAS_MIME, VideoWall, WallWindow
from videowall.watchdog import StreamState, StreamStatus

__all__ = ["CAMERAS_MIME", "LAYOUTS", "StreamState", "StreamStatus", "TileSource", "VideoWall",
           "WallWindow", "layout", "mask_url"]
