"""Live looped streams fanned out to any number of HTTP clients, without re-encoding.

One ffmpeg producer per (clip, variant) copies the pre-encoded H.264 into MPEG-TS in real time;
a hub hands every 188-byte-aligned chunk to each subscriber's bounded queue. The hub keeps the
packets since the last keyframe (a GOP cache, as media servers such as ZLMediaKit do) and
gives them to a new client first, so its player shows a picture at once instead of waiting
for the next keyframe. A client that falls behind is dropped, never slowing the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from simulator.procs import die_with_parent

log = logging.getLogger("kitchenwatch.sim.streams")

TS = 188
PAT_PID = 0x0000
PMT_PID = 0x1000  # ffmpeg's mpegts muxer default
QUEUE_CHUNKS = 256
IDLE_STOP_S = 10.0


def _pid(packet: bytes) -> int:
    return ((packet[1] & 0x1F) << 8) | packet[2]


def _random_access(packet: bytes) -> bool:
    """TS adaptation field's random_access_indicator: a keyframe starts in this packet."""
    return bool(packet[3] & 0x20) and packet[4] > 0 and bool(packet[5] & 0x40)


@dataclass(eq=False)
class Subscriber:
    queue: asyncio.Queue[bytes | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_CHUNKS))
    dropped: bool = False


class Producer:
    """One looping ffmpeg and its subscribers."""

    def __init__(self, key: str, clip: Path) -> None:
        self.key = key
        self.clip = clip
        self.subscribers: set[Subscriber] = set()
        self._proc: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._gop: list[bytes] = []
        self._pat: bytes | None = None
        self._pmt: bytes | None = None
        self._idle_since: float | None = None
        self.started = asyncio.Event()
        self.began: float | None = None  # loop time of the clip's first frame on the wire

    async def start(self) -> None:
        if self._task is not None:
            return
        self._proc = await asyncio.create_subprocess_exec(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
            "-i", str(self.clip), "-c", "copy", "-f", "mpegts", "-mpegts_flags",
            "+resend_headers", "-muxdelay", "0", "pipe:1",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
            stdin=asyncio.subprocess.DEVNULL, preexec_fn=die_with_parent)
        self._task = asyncio.create_task(self._pump(), name=f"producer-{self.key}")
        log.debug("producer %s started (pid %s)", self.key, self._proc.pid)

    async def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        buffer = b""
        try:
            while True:
                data = await self._proc.stdout.read(TS * 64)
                if not data:
                    log.warning("producer %s ended unexpectedly", self.key)
                    break
                buffer += data
                usable = len(buffer) - len(buffer) % TS
                chunk, buffer = buffer[:usable], buffer[usable:]
                if chunk:
                    self._remember(chunk)
                    if self.began is None:
                        self.began = asyncio.get_running_loop().time()
                    self.started.set()
                    self._broadcast(chunk)
        finally:
            for sub in list(self.subscribers):
                self._end(sub)

    def _remember(self, chunk: bytes) -> None:
        for offset in range(0, len(chunk), TS):
            packet = chunk[offset:offset + TS]
            pid = _pid(packet)
            if pid == PAT_PID:
                self._pat = packet
            elif pid == PMT_PID:
                self._pmt = packet
            elif _random_access(packet):
                self._gop = [p for p in (self._pat, self._pmt) if p]
            self._gop.append(packet)
        if len(self._gop) > 20000:  # a broken stream without keyframes: do not grow forever
            self._gop = self._gop[-1000:]

    def _broadcast(self, chunk: bytes) -> None:
        for sub in list(self.subscribers):
            try:
                sub.queue.put_nowait(chunk)
            except asyncio.QueueFull:
                log.info("client of %s fell behind; dropping it", self.key)
                sub.dropped = True
                self._end(sub)

    def _end(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)
        while not sub.queue.empty():
            sub.queue.get_nowait()
        sub.queue.put_nowait(None)

    def subscribe(self) -> Subscriber:
        sub = Subscriber()
        if self._gop:
            with contextlib.suppress(asyncio.QueueFull):
                sub.queue.put_nowait(b"".join(self._gop))
        self.subscribers.add(sub)
        self._idle_since = None
        return sub

    def unsubscribe(self, sub: Subscriber, now: float) -> None:
        self.subscribers.discard(sub)
        if not self.subscribers:
            self._idle_since = now

    def idle_for(self, now: float) -> float:
        return 0.0 if self._idle_since is None else now - self._idle_since

    def close_clients(self) -> None:
        for sub in list(self.subscribers):
            self._end(sub)

    async def stop(self) -> None:
        if self._proc and self._proc.returncode is None:
            self._proc.kill()
            await self._proc.wait()
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None


class StreamHub:
    """Producers by key, started on demand and stopped when nobody watches."""

    def __init__(self) -> None:
        self.producers: dict[str, Producer] = {}
        self._reaper: asyncio.Task[None] | None = None

    async def producer(self, key: str, clip: Path) -> Producer:
        prod = self.producers.get(key)
        if prod is None:
            prod = Producer(key, clip)
            self.producers[key] = prod
            await prod.start()
        if self._reaper is None:
            self._reaper = asyncio.create_task(self._reap())
        return prod

    def playhead(self, clip: int | str, seconds: float) -> float | None:
        """Seconds into ``clip`` that its viewers see now, or None when nobody watches it.

        ``-re`` paces the loop by its timestamps, so the position is the time since the first
        frame went out, modulo the clip's length (the simulator's AI events wait for the moment
        their picture is on the wall)."""
        now = asyncio.get_running_loop().time()
        for key, prod in self.producers.items():
            if key.rsplit("-", 1)[0] == str(clip) and prod.began is not None:
                return (now - prod.began) % seconds
        return None

    async def _reap(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(2.0)
            for key, prod in list(self.producers.items()):
                if prod.idle_for(loop.time()) > IDLE_STOP_S:
                    del self.producers[key]
                    await prod.stop()

    async def close(self) -> None:
        if self._reaper:
            self._reaper.cancel()
        for prod in list(self.producers.values()):
            prod.close_clients()
            await prod.stop()
        self.producers.clear()
