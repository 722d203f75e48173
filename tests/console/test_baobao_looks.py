"""Every look leaves a record (痕迹化): the console's look trace, what a full wall costs
central, and a look travelling through the outbox to central's viewing record."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from common.backoff import Backoff
from console.baobao import looks
from console.baobao.trace import BATCH_MAX, FLUSH_S, MAX_SPAN_S, MIN_LOOK_S, LookTrace
from console.sync.client import ApiClient
from console.sync.puller import Puller
from console.sync.pusher import Pusher
from console.sync.store import LocalStore, OutboxCounts
from db.models import Camera, OutboxAction, ViewRecord
from tests.console.conftest import DEMO_PASSWORD, CentralServer

pytestmark = pytest.mark.timeout(90)
T0 = datetime(2026, 12, 7, 8, 0, 0)
SAMPLE_S = looks.SAMPLE_MS / 1000


def _run(trace: LookTrace, seconds: float, shown: Any) -> list[list[dict[str, Any]]]:
    """Sample like the console (every SAMPLE_S) for ``seconds``; the batches sent."""
    batches: list[list[dict[str, Any]]] = []
    t = 0.0
    while t <= seconds:
        trace.observe(shown(t), T0 + timedelta(seconds=t), t)
        batches += trace.take(t)
        t += SAMPLE_S
    trace.close_all(T0 + timedelta(seconds=t), t)
    return batches + trace.take(t, force=True)


def test_a_64_tile_wall_for_8_hours_is_256_rows_and_12_requests_an_hour() -> None:
    wall = {f"cam-{i:02d}": "wall" for i in range(64)}
    batches = _run(LookTrace(), 8 * 3600, lambda _t: wall)
    rows = sum(len(b) for b in batches)
    assert rows <= 64 * (3600 / MAX_SPAN_S) * 8 + 64  # 256 an hour (+ the last cut)
    assert len(batches) <= 8 * 3600 / FLUSH_S + 1  # at most 12 requests an hour
    # a look is cut every 15 min (a console that dies loses at most that much)
    assert max(v["seconds"] for b in batches for v in b) <= MAX_SPAN_S + SAMPLE_S
    # and no second of watching is lost: 64 cameras × 8 h
    assert sum(v["seconds"] for b in batches for v in b) == pytest.approx(
        64 * 8 * 3600, rel=0.001)


def test_a_64_tile_tour_over_600_cameras_stays_within_7200_rows_an_hour() -> None:
    cameras = [f"cam-{i:03d}" for i in range(600)]

    def page(t: float) -> dict[str, str]:
        first = (int(t // 10) * 64) % len(cameras)  # a 10 s dwell
        return {c: "tour" for c in (cameras + cameras)[first:first + 64]}

    batches = _run(LookTrace(), 3600, page)
    assert sum(len(b) for b in batches) <= 600 * 12
    assert len(batches) <= 24 and all(len(b) <= BATCH_MAX for b in batches)
    assert {v["source"] for b in batches for v in b} == {"tour"}


def test_a_glance_is_dropped_and_a_change_of_source_ends_a_look() -> None:
    trace = LookTrace()
    trace.observe({"a": "wall", "b": "wall"}, T0, 0.0)
    trace.observe({"a": "wall"}, T0 + timedelta(seconds=2), 2.0)  # b for 2 s: a flicker
    trace.observe({"a": "patrol"}, T0 + timedelta(seconds=62), 62.0)  # the patrol takes a
    trace.close_all(T0 + timedelta(seconds=242), 242.0)
    [batch] = trace.take(242.0, force=True)
    assert MIN_LOOK_S > 2
    assert [(v["camera_id"], v["source"], v["seconds"]) for v in batch] == [
        ("a", "wall", 62), ("a", "patrol", 180)]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    local = LocalStore(tmp_path / "local.db")
    yield local
    local.close()


async def test_looks_reach_central_through_the_outbox_and_playback_with_one_call(
        central: CentralServer, store: LocalStore, qapp: Any) -> None:
    client = ApiClient(central.url)
    await client.login("operator", DEMO_PASSWORD)
    await Puller(client, store).pull()
    camera = await central.read(lambda s: s.scalars(
        select(Camera).where(Camera.district_id == "D01").order_by(Camera.id)).first())
    clock = {"mono": 0.0}
    shown = {camera.id: "wall"}
    recorder = looks.LookRecorder(qapp, lambda: dict(shown),
                                  lambda b: store.record_action("view.batch", {"views": b}),
                                  clock=lambda: T0 + timedelta(seconds=clock["mono"]),
                                  mono=lambda: clock["mono"])
    recorder.start()
    counts: list[OutboxCounts] = []
    pusher = Pusher(client, store, on_counts=counts.append,
                    backoff=Backoff(initial_s=0.2, cap_s=0.5))
    task = asyncio.ensure_future(pusher.run())
    try:
        recorder.sample()
        clock["mono"] = 200.0
        recorder.sample()
        looks.record_look(camera.id, "playback", T0 + timedelta(minutes=1), 90)
        await recorder.async_stop()
        looks.record_look(camera.id, "playback", T0, 30)  # no recorder: nothing, no error
        def stored(session: Any) -> list[tuple[str, str, int, str]]:
            return [(r.camera_id, r.source, r.seconds, r.user) for r in session.scalars(
                select(ViewRecord).order_by(ViewRecord.source))]

        rows: list[Any] = []
        for _ in range(100):
            rows = await central.read(stored)
            if len(rows) >= 2:
                break
            await asyncio.sleep(0.1)
        refused = await store.read(lambda s: [(a.kind, a.error) for a in s.scalars(
            select(OutboxAction).where(OutboxAction.state == "rejected"))])
        assert refused == []
        assert rows == [(camera.id, "playback", 90, "operator"),
                        (camera.id, "wall", 200, "operator")]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()
