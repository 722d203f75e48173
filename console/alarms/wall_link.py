"""The alarm centre's hold on the video wall: marks, the alarm's camera on a tile, the tour.

When an alarm's panel pops up, the operator should see its kitchen on the wall without
searching: the camera takes the wall's last tile (unless a tile already shows it) and a
running tour pauses so it does not page the camera away again. The panel's own live picture
decodes on the main wall's engine (one set of decode workers for the whole console); a wall
that decodes nothing (a test's or benchmark's stand-in) gets a stand-in picture from the
wall factory it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtWidgets import QWidget

from console.alarms.marks import AlarmMarks
from console.alarms.queries import camera_payload
from console.shell.aio import spawn
from console.sync.store import LocalStore
from console.walls.sources import camera_source
from videowall import VideoWall
from videowall.engine import WallEngine
from videowall.interfaces import WallView
from videowall.source import TileSource
from videowall.tour_qt import TourDriver

#: Builds a wall widget for a layout name (``MainWindow``'s wall factory).
WallFactory = Callable[[str, QWidget], WallView]
TourOf = Callable[[], TourDriver | None]


def no_tour() -> TourDriver | None:
    return None


class WallLink:
    """Marks, alarm cameras and panel video on one wall.

    Args:
        wall: the main window's wall.
        store: the local cache (camera rows).
        tour: the tour running on the wall now, if any (it changes while the console runs).
        stand_in: builds the panels' picture when ``wall`` decodes nothing.
    """

    def __init__(self, wall: WallView, store: LocalStore, *, tour: TourOf = no_tour,
                 stand_in: WallFactory | None = None) -> None:
        self.wall = wall
        self.store = store
        self.tour = tour
        self.stand_in = stand_in
        self.marks = AlarmMarks(wall)  # cameras with open alarms flash on the wall

    def shows(self, camera_id: str) -> bool:
        return any(c is not None and c.camera_id == camera_id for c in self.wall.cells())

    def show_camera(self, camera_id: str, business_name: str) -> None:
        """The camera takes the wall's last tile, unless a tile already shows it."""
        if not self.shows(camera_id):
            spawn(self.place_camera(camera_id, business_name), name="WallLink.place_camera")

    async def place_camera(self, camera_id: str, business_name: str) -> None:
        cam = await self.store.read(lambda s: camera_payload(s, camera_id))
        if cam is None:
            return
        self.wall.set_cell(len(self.wall.cells()) - 1, camera_source(cam, business_name))
        self.wall.set_alarm(camera_id, camera_id in self.marks)
        tour = self.tour()
        if tour is not None:
            tour.pause_for_alarm()

    def panel_video(self, layout: str, sources: Sequence[TileSource],
                    parent: QWidget) -> WallView:
        """A wall showing ``sources`` for an alarm panel: full rate, on the main wall's
        engine (``parent`` owns it until the panel takes it)."""
        engine = self.wall.engine
        video: WallView
        if engine is None and self.stand_in is not None:
            video = self.stand_in(layout, parent)
        else:
            # WallEngine is the class behind the engine protocol that VideoWall names.
            video = VideoWall(layout, parent, engine=cast(WallEngine | None, engine),
                              full_rate=True)
        video.fill(sources)
        return video
