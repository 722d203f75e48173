"""The video wall engine of Kitchen Watch.

Decoding runs in worker processes (``python -m videowall.worker``; FFmpeg through PyAV by
default, libVLC with ``KITCHENWATCH_DECODER=vlc``); pictures travel through shared memory at
each tile's size; the UI process only paints. Qt-free parts (``frames``, ``pool``, ``streams``,
``watchdog``, ``layouts``, ``tour``, ``governor``, ``adapters``, ``probe``) import no PySide6;
the names below load lazily, so a worker never pulls Qt in.

Public API (Qt):

- :class:`VideoWall` — a grid of tiles. ``set_layout(name | Layout)`` (1, 4, 6, 8, 9, 13, 16,
  25, 36, 49, 64 or a custom :class:`Layout`), ``set_cell(i, TileSource | None)``,
  ``set_cells({i: source})``, ``fill(sources, start)``, ``cells()``, ``tiles()``,
  ``maximise(i | None)`` (main stream while maximised), ``swap(a, b)``,
  ``set_alarm(camera_id, on)``, ``snapshot(i, path) -> Future[SnapshotResult]``,
  ``reconnect(i)``, ``to_spec() / from_spec(spec)``, ``add_menu_hook(hook)``, ``shutdown()``.
  Signals: ``health_changed(camera_id, StreamStatus)`` (only when state or reason changes —
  wire it to the ``camera.health`` action), ``layout_changed(name)``, ``tile_maximised(i | -1)``,
  ``selection_changed(i | -1)``, ``cells_changed()``. Drops of :data:`CAMERAS_MIME` (a JSON
  list of :class:`TileSource` dicts) fill cells from the drop point; tiles drag to swap.
  F11 toggles full screen, Esc restores a maximised tile.
- :class:`WallWindow` — a wall in its own window on a given ``QScreen`` (one per screen).
- :class:`TileWidget` — ``set_overlay(widget)`` hosts e.g. a sensor gauge in the corner,
  ``status``, ``state_text()``, ``source``, ``stream``.
- :class:`WallEngine` — the shared decode workers (``WallEngine.default()``).
- :class:`TourDriver` / :class:`Tour` — pages of cameras with dwell, pinned cells, pause,
  ``pause_for_alarm()``; the next page is opened in the background before its turn.

Interfaces (``videowall.interfaces``, Qt-free at run time): ``TileEngine`` (what a tile needs
of :class:`WallEngine`) and ``WallView`` (the wall as the console uses it; a test's stand-in
implements it too).

Qt-free: :class:`TileSource`, :func:`mask_url` (``rtsp://***@host/...``), :class:`StreamState`,
:class:`StreamStatus`, :data:`LAYOUTS`, :func:`layout`, :class:`Layout`, ``probe.main(argv)``
(``kitchenwatch probe URL [--seconds N]``).
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "CAMERAS_MIME": "videowall.wall", "VideoWall": "videowall.wall",
    "WallWindow": "videowall.wall", "TileWidget": "videowall.tile",
    "WallEngine": "videowall.engine", "TourDriver": "videowall.tour_qt",
    "Tour": "videowall.tour", "LAYOUTS": "videowall.layouts", "Layout": "videowall.layouts",
    "layout": "videowall.layouts", "TileSource": "videowall.source",
    "mask_url": "videowall.source", "StreamState": "videowall.watchdog",
    "StreamStatus": "videowall.watchdog", "SnapshotResult": "videowall.streams",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'videowall' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))
