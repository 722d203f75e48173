"""The two interfaces the rest of the application programs against: a tile's decode engine and
the wall as the console sees it.

Why protocols and not the classes: the console's pure UI tests drive it with a stand-in wall
(no decoder processes), and the tour driver pre-opens streams on whatever engine the wall has.
Both used to be duck-typed (``getattr(wall, "engine", None)``, ``engine: Any``), so a method
renamed on :class:`~videowall.wall.VideoWall` went unnoticed until an operator clicked it. The
stand-in and the real classes are checked against these protocols (``tests/videowall/
test_interfaces.py``), signatures included.

They live here, in ``videowall``, because the wall's own modules consume them too
(:class:`~videowall.tile.TileWidget` takes a :class:`TileEngine`,
:class:`~videowall.tour_qt.TourDriver` pages a :class:`WallView`), and ``videowall`` may not
import ``console``. The module imports no Qt at run time (the annotations are strings), so a
decode worker importing ``videowall`` still never loads PySide6.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from videowall.layouts import Layout
from videowall.source import TileSource
from videowall.streams import SnapshotResult, Stream

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QMenu

    from videowall.tile import TileWidget

__all__ = ["MenuHook", "TileEngine", "WallView"]

MenuHook = Callable[[int, "TileSource | None", "QMenu"], None]


@runtime_checkable
class TileEngine(Protocol):
    """What a tile (and a tour's pre-opening) needs of the decode engine: streams by URL and
    size, handed back when done, and the governor's key-frames-only switch for one stream.

    :class:`~videowall.engine.WallEngine` is the implementation; a test may pass a stand-in
    that counts what was opened."""

    def acquire(self, url: str, width: int, height: int, *, full_rate: bool = False) -> Stream:
        """A stream of ``url`` decoded at ``width`` × ``height`` (shared with other tiles
        asking for the same); ``full_rate`` views decode on the engine's main decoder."""
        ...

    def release(self, stream: Stream) -> None:
        """Give back a stream from :meth:`acquire` (it stops when nobody holds it)."""
        ...

    def set_keyframes_only(self, stream: Stream, on: bool) -> None:
        """Decode only key frames of ``stream`` (the CPU governor's lever), or all again."""
        ...


@runtime_checkable
class WallView(Protocol):
    """The wall as the console uses it: cells, layout, alarms, the tile menu and snapshots.

    :class:`~videowall.wall.VideoWall` implements it; ``tests/console/fakes.FakeWall`` is the
    stand-in of the console's UI tests. ``engine`` is None only on a stand-in that decodes
    nothing (there is then nothing to pre-open, and an alarm panel shows a stand-in too).
    """

    health_changed: SignalInstance   # camera_id, StreamStatus (when state or reason changes)
    layout_changed: SignalInstance   # layout name
    cells_changed: SignalInstance

    @property
    def engine(self) -> TileEngine | None: ...

    @property
    def layout_name(self) -> str: ...

    @property
    def wall_layout(self) -> Layout: ...

    @property
    def selected(self) -> int | None: ...

    def cells(self) -> list[TileSource | None]: ...

    def set_cell(self, index: int, source: TileSource | None) -> None: ...

    def set_cells(self, cells: dict[int, TileSource | None]) -> None: ...

    def fill(self, sources: Sequence[TileSource], start: int = 0) -> int: ...

    def set_layout(self, name: str | Layout) -> None: ...

    def tiles(self) -> list[TileWidget]: ...

    def tile(self, index: int) -> TileWidget: ...

    def set_alarm(self, camera_id: str, active: bool) -> bool: ...

    def add_menu_hook(self, hook: MenuHook) -> None: ...

    def snapshot(self, index: int, path: str | Path) -> Future[SnapshotResult]: ...

    def shutdown(self) -> None: ...
