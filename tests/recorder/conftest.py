"""The recorder against real parts: central in this process on a loopback socket (with the
demo city), the simulator's stream server in a child process serving live HTTP-TS, real
``ffmpeg`` children and real files. Segments are 2 s long here (the test clips have a key
frame every second) so that a 10 s pre-roll and a 20 s post-roll take seconds, not minutes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from central.config import CentralConfig
from db.models import Camera, RecordingSegment
from recorder.service import Recorder, RecorderConfig
from simulator.client import CentralClient
from tests.central.conftest import Api, db_url, start_api, template_db  # noqa: F401
from tests.videowall.conftest import Sim, prepare_media, start_sim, stop_sim

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.fixture(scope="session")
def sim() -> Iterator[Sim]:
    server = start_sim(prepare_media())
    yield server
    stop_sim(server)


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> CentralConfig:  # noqa: F811
    return CentralConfig(db_url=db_url, media_dir=tmp_path / "media",
                         recordings_dir=tmp_path / "recordings", run_background=False,
                         token_cache_s=0.0)


@pytest.fixture
async def api(config: CentralConfig) -> AsyncIterator[Api]:
    client, server, session = await start_api(config)
    try:
        yield client
    finally:
        await session.close()
        await server.close()


def cameras(api: Api, sim: Sim, count: int, district: str = "D01") -> list[str]:
    """``count`` cameras of ``district`` whose main stream is the simulator's live HTTP-TS."""
    def work(session: Any) -> list[str]:
        ids = list(session.scalars(select(Camera.id).where(Camera.district_id == district)
                                   .order_by(Camera.id).limit(count)))
        for camera_id in ids:
            session.execute(update(Camera).where(Camera.id == camera_id)
                            .values(main_url=sim.sub(camera_id)))
        return ids

    return api.db.write_sync(work)


def indexed(api: Api, camera_id: str | None = None) -> list[RecordingSegment]:
    def work(session: Any) -> list[RecordingSegment]:
        stmt = select(RecordingSegment).order_by(RecordingSegment.start)
        if camera_id:
            stmt = stmt.where(RecordingSegment.camera_id == camera_id)
        rows = list(session.scalars(stmt))
        for row in rows:
            session.expunge(row)
        return rows

    return api.db.read_sync(work)


@dataclass
class Running:
    recorder: Recorder
    task: asyncio.Task[None]
    session: aiohttp.ClientSession

    async def stop(self) -> None:
        """A clean stop: each capture closes its segment."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.recorder.close()
        await self.session.close()

    async def crash(self) -> None:
        """As if the machine lost power: the loop stops, the FFmpeg children are killed
        mid-segment, nothing is tidied up."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        # a pass over the files may still run in its thread: wait for it, and hold the lock
        # for good (a dead process moves no more files)
        await asyncio.to_thread(self.recorder.files_lock.acquire)
        for capture in self.recorder.captures.values():
            if capture.proc is not None:
                capture.proc.kill()
                capture.proc.wait(5)
        self.recorder.captures.clear()
        await self.session.close()


StartRecorder = Callable[..., Awaitable[Running]]


@pytest.fixture
async def start_recorder(api: Api, config: CentralConfig) -> AsyncIterator[StartRecorder]:
    started: list[Running] = []

    async def start(**overrides: Any) -> Running:
        settings = {"name": "rec-test", "store_root": config.recordings_dir, "segment_s": 2.0,
                    "buffer_s": 40.0, "tick_s": 0.2, "plan_s": 0.5, "prune_s": 3600.0,
                    "min_free_bytes": 1024 * 1024, "retry_cap_s": 2.0, **overrides}
        session = aiohttp.ClientSession()
        client = CentralClient(session, api.base, "recorder", "kw-demo-2026")
        recorder = Recorder(client, RecorderConfig(**settings))
        running = Running(recorder, asyncio.create_task(recorder.run()), session)
        started.append(running)
        return running

    yield start
    for running in started:
        if not running.task.done() or running.recorder.captures:
            with contextlib.suppress(Exception):
                await running.stop()


async def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.25)


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's view of a file: its format and streams (raises if it cannot read it)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                          "-show_streams", str(path)], capture_output=True, text=True,
                         timeout=30, check=True)
    return json.loads(out.stdout)


def decode_all(path: Path) -> int:
    """Decode every video frame (PyAV); the number decoded. Raises on a decoding error."""
    import av

    frames = 0
    with av.open(str(path)) as container:
        for _ in container.decode(video=0):
            frames += 1
    return frames
