"""A province's initial sync as the operator lives it: the next page of the feed is already on
its way while the current one is written (the sync costs the slower side, not the sum), and
the UI thread's share of taking the registry does not grow with the city (gauges and a
layout change touch what the wall shows, not every one of 200,000 cameras or sensors)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from console.channels.hierarchy import build_forest
from console.shell.main_window import MainWindow
from console.sync.client import ApiClient
from console.sync.puller import Puller
from console.sync.store import LocalStore, RegistrySnapshot
from console.walls.gauges import GaugeBinder
from tests.console.conftest import DEMO_PASSWORD, CentralServer
from tests.console.fakes import fake_wall
from tests.console.test_province_tree import province

pytestmark = pytest.mark.timeout(120)


class HeldStore(LocalStore):
    """Holds each page's write until the client has asked for the page after it (or 5 s)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.asked: set[int] = set()  # `since` of every feed request so far
        self.overlapped: list[bool] = []  # per held page: was the next one asked meanwhile?

    async def apply_changes(self, changes, *, upto=None, feed_id=None):  # type: ignore[override]
        last = int(changes[-1]["seq"]) if changes else None
        if last is not None:
            deadline = asyncio.get_event_loop().time() + 5.0
            while last not in self.asked and asyncio.get_event_loop().time() < deadline:
                await asyncio.sleep(0.01)
            self.overlapped.append(last in self.asked)
        return await super().apply_changes(changes, upto=upto, feed_id=feed_id)


@pytest.fixture
async def held(tmp_path: Path) -> AsyncIterator[HeldStore]:
    local = HeldStore(tmp_path / "local.db")
    yield local
    local.close()


async def test_the_next_page_is_fetched_while_one_is_written(central: CentralServer,
                                                             held: HeldStore) -> None:
    client = ApiClient(central.url)
    await client.login("operator", DEMO_PASSWORD)
    sent = client.changes

    async def changes(since: int, limit: int) -> dict[str, Any]:
        held.asked.add(since)
        return await sent(since, limit)

    client.changes = changes  # type: ignore[method-assign]
    try:
        rows = await Puller(client, held, page_size=50).pull()
    finally:
        await client.close()
    assert rows > 150 and len(held.overlapped) >= 3
    # Every page but the last had its successor asked for before it was written.
    assert all(held.overlapped[:-1]), held.overlapped


class CountingList(list):
    """A list that counts how often it is walked (the UI thread's work per registry)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__(items)
        self.walks = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.walks += 1
        return super().__iter__()


class Tile:
    def __init__(self, source: Any) -> None:
        self.source = source
        self.overlay: QWidget | None = None

    def set_overlay(self, widget: QWidget | None) -> None:
        self.overlay = widget


class GaugeWall:
    def __init__(self, sources: list[Any]) -> None:
        self._tiles = [Tile(s) for s in sources]

    def tiles(self) -> list[Tile]:
        return self._tiles


def test_a_province_reload_reads_the_sensors_once_for_all_gauges(qtbot) -> None:
    snap = province(20_000)
    forest = build_forest(snap)
    sensors = CountingList([
        {"id": f"S-{cam['id']}", "camera_id": cam["id"], "kind": "room", "params": None,
         "online": i % 3 != 0, "last_value": 4.0, "last_ts": None}
        for i, cam in enumerate(snap.cameras)])
    wall = GaugeWall(list(forest.sources[:16]))
    binder = GaugeBinder(wall)  # type: ignore[arg-type]
    try:
        binder.set_registry(RegistrySnapshot(snap.districts, snap.grids, snap.businesses,
                                             snap.cameras, sensors))
        assert all(tile.overlay is not None for tile in wall.tiles())
        sensors.walks = 0
        binder.set_registry(RegistrySnapshot(snap.districts, snap.grids, snap.businesses,
                                             snap.cameras, sensors))
        # 16 gauges on the wall: the 40,000 sensors are walked a fixed number of times, not
        # once per gauge (which froze the wall for a second on each reload of a province).
        assert sensors.walks <= 2, sensors.walks
    finally:
        binder._timer.stop()


def test_growing_the_layout_builds_only_the_new_tiles_sources(qloop, qtbot,
                                                               synced_store) -> None:
    win = MainWindow(synced_store, {"username": "operator", "role": "operator",
                                    "display_name": "值班员"}, "4",
                     server_url="http://central:8750", wall_factory=fake_wall)
    qtbot.addWidget(win)
    forest = build_forest(province(20_000))
    win._show_registry(RegistrySnapshot([], [], [], [], []), forest)
    built = 0
    make = forest.source

    def counting(uid: int) -> Any:
        nonlocal built
        built += 1
        return make(uid)

    forest.source = counting  # type: ignore[method-assign]
    win.set_layout("16")
    cells = win.wall.cells()
    assert all(cell is not None for cell in cells)
    assert len({cell.camera_id for cell in cells if cell is not None}) == 16
    # 12 new tiles (and the 4 shown skipped): not one source per camera of the city.
    assert built <= 16, built


def test_no_full_garbage_collection_freezes_the_console_during_a_long_pull(
        qloop, qcentral, tmp_path) -> None:
    """Each page leaves many live objects behind (as a province's pages do while they are
    decoded, written and reloaded): Python would run full collections, each stopping every
    thread for up to a second on a big console. None may run until the pull is done, and the
    normal setting is back afterwards."""
    import gc
    import time

    from console.shell.sync_coordinator import SyncCoordinator
    from console.sync.state import ConnectionState
    from tests.console.conftest import run, wait_until

    store = LocalStore(tmp_path / "local.db")
    client = ApiClient(qcentral.url)
    run(qloop, client.login("operator", DEMO_PASSWORD))
    coordinator = SyncCoordinator(client, store, coalesce_ms=5, page_size=50)
    applied = store.apply_changes
    kept: list[list[int]] = []
    full: list[float] = []
    pages: list[float] = []

    async def page_leaving_objects(*args, **kwargs):
        page = await applied(*args, **kwargs)
        kept.extend([i] for i in range(60_000))  # survivors: the collector's full-pass trigger
        pages.append(time.perf_counter())
        return page

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start" and info.get("generation") == 2:
            full.append(time.perf_counter())

    store.apply_changes = page_leaving_objects  # type: ignore[method-assign]
    finished: list[float] = []
    coordinator.progress.connect(lambda p: p.finished and finished.append(time.perf_counter()))
    before = gc.get_threshold()
    gc.callbacks.append(on_gc)
    try:
        coordinator.start()
        wait_until(qloop, lambda: coordinator.state == ConnectionState.ONLINE and finished, 60,
                   "the initial sync")
        assert len(pages) >= 5
        during = [t for t in full if pages[0] <= t < finished[0]]
        assert not during, f"{len(during)} full collections ran during the pull"
        assert gc.get_threshold() == before
    finally:
        gc.callbacks.remove(on_gc)
        run(qloop, coordinator.async_stop())
        store.close()
        kept.clear()


async def test_a_big_feed_page_is_decoded_off_the_ui_thread(central: CentralServer,
                                                             monkeypatch) -> None:
    """The loop is the UI's: a page of thousands of rows is decoded on a worker thread (small
    answers stay on the loop, where a thread hop would cost more than the decoding)."""
    import threading

    import console.sync.client as client_module

    decoded_on: list[tuple[int, bool]] = []
    real = client_module.decode_json

    def recording(raw: bytes) -> Any:
        decoded_on.append((len(raw), threading.current_thread() is threading.main_thread()))
        return real(raw)

    monkeypatch.setattr(client_module, "decode_json", recording)
    # The test city is small: its whole feed stands for a province's 1.5 MB page.
    monkeypatch.setattr(client_module, "OFF_LOOP_DECODE_BYTES", 16 * 1024)
    client = ApiClient(central.url)
    try:
        await client.login("operator", DEMO_PASSWORD)
        page = await client.changes(0, 5000)
    finally:
        await client.close()
    assert len(page["changes"]) > 100
    big = [on_ui for size, on_ui in decoded_on if size >= client_module.OFF_LOOP_DECODE_BYTES]
    assert big == [False], decoded_on
    assert any(on_ui for size, on_ui in decoded_on if size < 4096)  # the login's answer
