"""Playback and "record now" in a wall tile's context menu, and playback of a business or a
camera from the channel tree's menu: the hooks the session installs (each part of the console
adds its own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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


def tree_actions(opener: PlaybackOpener, kind: str, sources: Sequence[TileSource],
                 menu: QMenu) -> None:
    """The channel tree's business or camera row: "Playback…" of that business's cameras (a
    business row: its first four) or of the camera."""
    cameras = [s for s in sources if s.camera_id]
    if kind not in ("business", "camera") or not cameras:
        return
    if kind == "camera":
        camera_id = cameras[0].camera_id
        menu.addAction(QCoreApplication.translate("PlaybackMenu", "Playback…"),
                       lambda: spawn(opener.for_camera(camera_id), name="playback.camera"))
        return
    business_id = cameras[0].business_id
    if business_id:
        menu.addAction(QCoreApplication.translate("PlaybackMenu", "Playback…"),
                       lambda: spawn(opener.for_business(business_id),
                                     name="playback.business"))


def install_tree(hooks: list[Callable[[str, str, list[TileSource], Any], None]],
                 opener: PlaybackOpener) -> None:
    """The channel tree's rows get "Playback…" (``MainWindow.tree_menu_hooks``)."""
    hooks.append(lambda kind, _name, sources, menu: tree_actions(opener, kind, sources, menu))
