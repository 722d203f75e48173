"""The walking skeleton, end to end: central + simulated kitchens + the console.

A user would notice: the wall shows live pictures of real kitchens (not black tiles, not a
frozen frame), the channel tree lists the city, and pulling the server's plug leaves the
console running on its cache — and a restarted console still opens from that cache.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from central.demo_registry import DEMO_PASSWORD
from console.shell.session import ConsoleSession
from tests.e2e.conftest import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def tile_pixels(tile) -> np.ndarray:
    image = tile.grab().toImage().convertToFormat(tile.grab().toImage().Format.Format_RGB32)
    ptr = image.constBits()
    return np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : image.width() * 4].copy()


def picture_region(pixels: np.ndarray) -> np.ndarray:
    """The middle of the tile (away from the name band and state text)."""
    h, w = pixels.shape[0], pixels.shape[1] // 4
    return pixels[h // 4: h * 3 // 4, (w // 4) * 4: (w * 3 // 4) * 4]


def test_wall_shows_live_kitchens_and_survives_server_loss(stack, qloop, qtbot,
                                                           tmp_path: Path) -> None:
    data_dir = tmp_path / "console"
    session = ConsoleSession(data_dir, layout="4")
    assert qloop.run_until_complete(session.async_start(stack.central_url, "operator",
                                                        DEMO_PASSWORD))
    window = session.window
    qtbot.addWidget(window)
    window.resize(1280, 720)
    wall = window.wall
    tiles = wall.tiles()
    assert len(tiles) == 4

    took = wait_until(qloop, lambda: window.tree.model.rowCount() >= 4, 20,
                      "the channel tree to list the demo city's districts")
    wait_until(qloop, lambda: all(t.source is not None for t in tiles), 10,
               "the wall to be filled with cameras")
    first_frame = wait_until(qloop, lambda: all(t.player and t.player.frames > 3 for t in tiles),
                             30, "decoded frames on every tile")
    print(f"tree after {took:.1f} s, frames on all 4 tiles after {first_frame:.1f} s more")
    # The watchdog looks twice a second; give it a moment to call the tiles playing.
    wait_until(qloop, lambda: all(t.status.state.value == "playing" for t in tiles), 5,
               "every tile's state to read playing")
    titles = [t.source.title for t in tiles]
    assert all(" · " in title for title in titles), titles

    before = [tile_pixels(t) for t in tiles]
    qloop.run_until_complete(asyncio.sleep(1.5))
    after = [tile_pixels(t) for t in tiles]
    for index, (a, b) in enumerate(zip(before, after, strict=True)):
        assert picture_region(a).std() > 5, f"tile {index} is blank"
        # Every kitchen clip carries a running clock: a live tile changes between looks.
        changed = (np.abs(a.astype(int) - b.astype(int)) > 40).sum()
        assert changed > 100, f"tile {index} is frozen ({changed} pixels changed)"

    # The server goes away: the console keeps running on its cache and says so.
    stack.children[0].stop()
    wait_until(qloop, lambda: "Offline" in window.connection_label.text(), 30,
               "the status bar to report the server offline")
    assert window.isVisible()
    assert window.tree.model.rowCount() >= 4
    qloop.run_until_complete(session.async_stop())

    # A console started while the server is down opens from the local cache.
    again = ConsoleSession(data_dir, layout="4")
    assert qloop.run_until_complete(again.async_start(stack.central_url, "operator",
                                                      DEMO_PASSWORD))
    qtbot.addWidget(again.window)
    wait_until(qloop, lambda: again.window.tree.model.rowCount() >= 4, 20,
               "the cached channel tree after a restart without the server")
    wait_until(qloop, lambda: "Offline" in again.window.connection_label.text(), 30,
               "the offline state after a restart without the server")
    qloop.run_until_complete(again.async_stop())
