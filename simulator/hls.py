"""HLS variants of the looped clips, written by ffmpeg on demand into a temporary folder."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from pathlib import Path

from simulator.procs import die_with_parent

log = logging.getLogger("kitchenwatch.sim.hls")
IDLE_STOP_S = 30.0


class HlsWriter:
    def __init__(self, key: str, clip: Path, root: Path) -> None:
        self.key = key
        self.clip = clip
        self.dir = root / key
        self.proc: asyncio.subprocess.Process | None = None
        self.last_used = 0.0

    @property
    def playlist(self) -> Path:
        return self.dir / "index.m3u8"

    async def ensure(self, timeout: float = 8.0) -> bool:
        loop = asyncio.get_running_loop()
        self.last_used = loop.time()
        if self.proc is None or self.proc.returncode is not None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.proc = await asyncio.create_subprocess_exec(
                "ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", str(self.clip), "-c", "copy", "-f", "hls", "-hls_time", "1",
                "-hls_list_size", "6", "-hls_flags", "delete_segments+omit_endlist",
                str(self.playlist), stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                preexec_fn=die_with_parent)
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.playlist.exists() and self.playlist.read_text().count("#EXTINF") >= 2:
                return True
            await asyncio.sleep(0.1)
        return False

    async def stop(self) -> None:
        if self.proc and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class HlsManager:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kw-hls-"))
        self.writers: dict[str, HlsWriter] = {}
        self._reaper: asyncio.Task[None] | None = None

    async def writer(self, key: str, clip: Path) -> HlsWriter:
        writer = self.writers.get(key)
        if writer is None:
            writer = self.writers[key] = HlsWriter(key, clip, self.root)
        if self._reaper is None:
            self._reaper = asyncio.create_task(self._reap())
        return writer

    async def _reap(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(5)
            for key, writer in list(self.writers.items()):
                if loop.time() - writer.last_used > IDLE_STOP_S:
                    del self.writers[key]
                    await writer.stop()

    async def close(self) -> None:
        if self._reaper:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        for writer in self.writers.values():
            await writer.stop()
        shutil.rmtree(self.root, ignore_errors=True)
