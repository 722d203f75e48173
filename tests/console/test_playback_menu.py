"""A wall tile's menu offers playback of the camera and of its business, and "record now" /
"stop recording" through the outbox (not for a viewer)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu

from console.playback.menu import tile_actions
from console.playback.opener import PlaybackOpener
from videowall.source import TileSource


def test_record_now_and_stop_from_a_tile_menu(qloop: asyncio.AbstractEventLoop,
                                              tmp_path: Path) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []

    async def record(kind: str, payload: dict[str, Any]) -> None:
        sent.append((kind, payload))

    opener = PlaybackOpener(None, None, "operator", record=record)  # type: ignore[arg-type]
    menu = QMenu()
    source = TileSource("D01-B00001-C1", "cam", "rtsp://cam/sub", business_id="D01-B00001")
    tile_actions(opener, source, menu, may_record=True)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["Playback…", "Playback of the business's cameras…", "Record now",
                     "Stop recording"]
    actions = {a.text(): a for a in menu.actions()}
    actions["Record now"].trigger()
    actions["Stop recording"].trigger()
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert sent == [("recording.start", {"camera_id": "D01-B00001-C1", "minutes": 60}),
                    ("recording.stop", {"camera_id": "D01-B00001-C1"})]

    viewer = QMenu()
    alone = TileSource("D01-B00001-C1", "cam", "rtsp://cam/sub")
    tile_actions(opener, alone, viewer, may_record=False)
    assert [a.text() for a in viewer.actions() if a.text()] == ["Playback…"]


def test_the_channel_tree_offers_playback_of_a_business_and_of_a_camera(
        qloop: asyncio.AbstractEventLoop) -> None:
    from console.playback.menu import tree_actions

    opened: list[tuple[str, str]] = []

    class Opener:
        async def for_camera(self, camera_id: str) -> None:
            opened.append(("camera", camera_id))

        async def for_business(self, business_id: str) -> None:
            opened.append(("business", business_id))

    sources = [TileSource(f"D01-B00001-C{i}", "cam", "rtsp://cam/sub", business_id="D01-B00001")
               for i in (1, 2)]
    for kind, rows in (("business", sources), ("camera", sources[1:]), ("district", sources)):
        menu = QMenu()
        tree_actions(Opener(), kind, rows, menu)  # type: ignore[arg-type]
        for action in menu.actions():
            action.trigger()
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert opened == [("business", "D01-B00001"), ("camera", "D01-B00001-C2")]
