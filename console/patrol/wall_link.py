"""The patrol's hold on the video wall: one business's cameras at once, then the wall back.

A patrol borrows the operator's wall: it switches to a layout that fits the business's
cameras, and when the patrol stops the wall gets its layout and cameras back exactly. A
verdict's snapshot comes from the wall's own decoded picture (the selected tile first, if it
shows the business), so the evidence is what the operator saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from common.aio import within
from videowall.interfaces import WallView
from videowall.source import TileSource
from widgets.models.patrol import layout_for


class PatrolWall:
    def __init__(self, wall: WallView, *, snapshot_timeout_s: float) -> None:
        self.wall = wall
        self.snapshot_timeout_s = snapshot_timeout_s

    def saved(self) -> tuple[str, list[TileSource | None]]:
        """The wall as the operator left it (to give back when the patrol stops)."""
        return self.wall.layout_name, list(self.wall.cells())

    def show(self, sources: Sequence[TileSource]) -> None:
        """Every camera of one business at once (the layout that fits them)."""
        self.wall.set_layout(layout_for(max(1, len(sources))))
        cells: dict[int, TileSource | None] = dict.fromkeys(range(len(self.wall.cells())))
        cells.update(enumerate(sources[:len(cells)]))
        self.wall.set_cells(cells)

    def restore(self, layout_name: str, saved: Sequence[TileSource | None]) -> None:
        self.wall.set_layout(layout_name)
        count = len(self.wall.cells())
        self.wall.set_cells({i: (saved[i] if i < len(saved) else None) for i in range(count)})

    def tiles_showing(self, camera_ids: set[str]) -> list[int]:
        """Tiles that show one of ``camera_ids``, the selected one first."""
        order = [i for i, c in enumerate(self.wall.cells())
                 if c is not None and c.camera_id in camera_ids]
        selected = self.wall.selected
        if selected in order:
            order.remove(selected)
            order.insert(0, selected)
        return order

    async def snapshot(self, index: int, path: Path) -> None:
        """Tile ``index``'s picture as PNG at ``path``; raises OSError, TimeoutError,
        RuntimeError or ValueError when it has none (yet)."""
        await within(asyncio.wrap_future(self.wall.snapshot(index, path)),
                     self.snapshot_timeout_s)
