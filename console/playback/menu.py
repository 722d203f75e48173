"""Playback and "record now" in a wall tile's context menu, and playback of a business from its
details: the hooks the session installs (each part of the console adds its own)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from console.playback.opener import PlaybackOpener
from console.shell.aio import spawn
from videowall.interfaces import WallView
from videowall.source import TileSource


def tile_actions(opener: PlaybackOpener, source: TileSource | None, menu: QMenu, *,
                 may_record: bool) -> None:
    """Add "Playback…", "Playback of the business…", "Record now" and "Stop recording"."""
    if source is None or not source.camera_id:
        return
    menu.addSeparator()
    camera_id, business_id = source.camera_id, source.business_id
    menu.addAction(QCoreApplication.translate("PlaybackMenu", "Playback…"),
                   lambda: spawn(opener.for_camera(camera_id), name="playback.camera"))
    if business_id:
        menu.addAction(QCoreApplication.translate("PlaybackMenu",
                                                  "Playback of the business's cameras…"),
                       lambda: spawn(opener.for_business(business_id),
                                     name="playback.business"))
    if may_record:
        menu.addAction(QCoreApplication.translate("PlaybackMenu", "Record now"),
                       lambda: spawn(opener.record_now(camera_id, True), name="record.start"))
        menu.addAction(QCoreApplication.translate("PlaybackMenu", "Stop recording"),
                       lambda: spawn(opener.record_now(camera_id, False), name="record.stop"))


def install(wall: WallView, opener: PlaybackOpener, *, may_record: bool) -> None:
    """The wall's tiles get the playback and recording actions."""
    wall.add_menu_hook(lambda _i, source, menu: tile_actions(opener, source, menu,
                                                             may_record=may_record))
