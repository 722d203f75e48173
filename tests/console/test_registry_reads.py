"""The console reads its registry as often as the channel tree needs it, and no more: not once
more per listener at the end of an initial sync (a province's 300,000 rows cost seconds each
time, and the tree waited behind them), not once per sensor change (sensor rows change all
the time during a storm, and the tree does not show sensors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from central import changes
from console.shell.main_window import MainWindow
from console.shell.session import ConsoleSession
from console.sync.state import ConnectionState
from console.sync.store import LocalStore
from db.models import Camera, Sensor
from tests.console.conftest import DEMO_PASSWORD, CentralServer, run, wait_until
from tests.console.fakes import fake_wall

pytestmark = pytest.mark.timeout(120)


class Reads:
    """Counts every registry read of any local store, and those the window made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.all = 0
        self.window = 0
        read, reload = LocalStore.registry, MainWindow._reload_registry

        async def counted_read(store: LocalStore) -> Any:
            self.all += 1
            return await read(store)

        async def counted_reload(window: MainWindow) -> None:
            self.window += 1
            await reload(window)

        monkeypatch.setattr(LocalStore, "registry", counted_read)
        monkeypatch.setattr(MainWindow, "_reload_registry", counted_reload)


def synced(qloop, qcentral: CentralServer, tmp_path: Path) -> ConsoleSession:
    """An operator's console whose initial sync has ended and whose tree shows every camera."""
    cameras = run(qloop, qcentral.read(lambda s: len(s.scalars(select(Camera.id)).all())))
    session = ConsoleSession(tmp_path / "data", wall_factory=fake_wall)
    assert run(qloop, session.async_start(qcentral.url, "operator", DEMO_PASSWORD))
    window, coordinator = session.window, session.coordinator
    assert window is not None and coordinator is not None
    wait_until(qloop, lambda: coordinator.state == ConnectionState.ONLINE
               and window.forest is not None and window.forest.camera_count == cameras,
               30, "the tree to show every camera")
    run(qloop, _settle())
    return session


async def _settle() -> None:
    import asyncio

    await asyncio.sleep(1.0)  # the coordinator's coalescing and any late reloads


def stop(qloop, session: ConsoleSession) -> None:
    run(qloop, session.async_stop())
    if session.window is not None:
        session.window.close()
        session.window.deleteLater()


def test_the_initial_sync_reads_the_registry_for_the_tree_only(
        qloop, qtbot, qcentral: CentralServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reads = Reads(monkeypatch)
    session = synced(qloop, qcentral, tmp_path)
    try:
        assert reads.window >= 1
        # The health reporter learns the cameras' health from two columns, not a registry.
        assert reads.all == reads.window, f"{reads.all} registry reads, the tree's {reads.window}"
        assert session.health is not None and session.health._server  # it did learn them
    finally:
        stop(qloop, session)


def test_a_sensor_change_updates_the_gauges_without_reloading_the_registry(
        qloop, qtbot, qcentral: CentralServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reads = Reads(monkeypatch)
    session = synced(qloop, qcentral, tmp_path)
    try:
        window = session.window
        assert window is not None
        before = reads.all

        def sensor_goes_offline(s: Any) -> str:
            sensor = s.scalars(select(Sensor).where(Sensor.camera_id.is_not(None),
                                                    Sensor.online.is_(True)).limit(1)).one()
            sensor.online = False
            sensor.version += 1
            changes.record(s, sensor)
            return str(sensor.camera_id)

        camera_id = run(qloop, qcentral.write(sensor_goes_offline))
        known = window.gauges._sensor_of_camera
        wait_until(qloop, lambda: window.gauges._sensor_of_camera is not known
                   and window.gauges._sensor_of_camera[camera_id]["online"] is False,
                   15, "the gauges to learn the sensor went offline")
        run(qloop, _settle())
        assert reads.all == before, "a sensor change read the whole registry again"
    finally:
        stop(qloop, session)
