"""The decode workers, supervised from the UI process (Qt-free).

:class:`WorkerPool` starts a few ``python -m videowall.worker`` processes, gives each new player
to the least-loaded one, and watches them: a worker that exits, crashes, stops answering
heartbeats or reports a player that will not stop is killed and replaced, and its players are
opened again on the new one (into the same shared memory, so tiles keep their last picture
meanwhile). Nothing here blocks the caller: writes to a worker go through a queue and a writer
thread, reads come from reader threads; :meth:`poll` hands events to the owner's thread.

Workers die with the console: they set ``PR_SET_PDEATHSIG`` and exit when stdin closes.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.masking import mask_text
from videowall import wire
from videowall.frames import sweep_stale_segments
from videowall.source import mask_url

log = logging.getLogger("kitchenwatch.wall.pool")

HEARTBEAT_TIMEOUT_S = 2.0
STDERR_TAIL = 40
FATAL_MARK = "Fatal Python error"  # how faulthandler starts its report
FATAL_LINES = 400


def default_worker_count() -> int:
    """Two workers on a dual-core machine, up to four on bigger ones."""
    return max(2, min(4, os.cpu_count() or 2))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (Linux /proc; 0 when unknown)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def describe_exit(code: int | None) -> str:
    """``-11`` → ``killed by SIGSEGV (a crash in native code)``: what a log reader needs."""
    if code is None:
        return "still running when replaced"
    if code >= 0:
        return f"exit status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        return f"killed by signal {-code}"
    native = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT"}
    return f"killed by {name}" + (" (a crash in native code: libVLC or FFmpeg)"
                                  if name in native else "")


def worker_command() -> list[str]:
    override = os.environ.get("KITCHENWATCH_WORKER_CMD")
    if override:
        return override.split()
    return [sys.executable, "-m", "videowall.worker"]


@dataclass
class PlayerSpec:
    """Everything needed to (re)open a player on any worker."""

    id: str
    url: str
    shm: str
    width: int
    height: int
    backend: str = "ffmpeg"
    options: dict[str, Any] = field(default_factory=dict)
    weight: float = 1.0

    def command(self) -> dict[str, Any]:
        return {"op": "open", "id": self.id, "url": self.url, "shm": self.shm,
                "width": self.width, "height": self.height, "backend": self.backend,
                "options": self.options}


class WorkerHandle:
    """One worker process and its three pipe threads."""

    def __init__(self, index: int, events: queue.SimpleQueue[dict[str, Any]],
                 warm_libvlc: bool = False) -> None:
        self.index = index
        self.players: set[str] = set()
        self.load = 0.0
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL)
        # faulthandler's report of a native crash, kept whole (the tail would cut it).
        self.fatal: list[str] = []
        self.started_at = time.monotonic()
        self.last_heartbeat = self.started_at
        self.cpu_mark: tuple[float, float] | None = None
        self.dead = False
        self._events = events
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root,
                                                        env.get("PYTHONPATH")) if p)
        env.setdefault("MALLOC_ARENA_MAX", "2")
        # numpy's BLAS would start a spinning thread per core in every worker for nothing.
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env.setdefault("OMP_NUM_THREADS", "1")
        env["KITCHENWATCH_WORKER_INDEX"] = str(index)
        env["KITCHENWATCH_WARM_LIBVLC"] = "1" if warm_libvlc else "0"
        self.proc = subprocess.Popen(
            worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, close_fds=True)
        self.pid = self.proc.pid
        self._threads = {name: threading.Thread(target=target, name=f"wall-worker{index}-{name}",
                                                daemon=True)
                         for target, name in ((self._read, "out"), (self._read_err, "err"),
                                              (self._write, "in"))}
        for thread in self._threads.values():
            thread.start()

    # -- pipe threads -------------------------------------------------------------------------
    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            message = wire.decode(line)
            if message is not None:
                message["worker"] = self.index
                message["pid"] = self.pid
                self._events.put(message)
        self._events.put({"ev": "_eof", "worker": self.index, "pid": self.pid})

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            # Native FFmpeg/libVLC prints reach stderr unmasked; they end up in our log.
            line = mask_text(raw.decode("utf-8", "replace").rstrip())
            if line:
                self.stderr_tail.append(line)
                crashing = line.startswith(FATAL_MARK) or self.fatal
                if crashing and len(self.fatal) < FATAL_LINES:
                    self.fatal.append(line)
                log.debug("worker %d: %s", self.index, line)

    def _write(self) -> None:
        assert self.proc.stdin is not None
        while True:
            data = self._outbox.get()
            if data is None:
                break
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                break
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()

    # -- owner's thread -----------------------------------------------------------------------
    def send(self, message: dict[str, Any]) -> None:
        if not self.dead:
            self._outbox.put(wire.encode(message))

    def close_input(self) -> None:
        self._outbox.put(None)

    def kill(self) -> None:
        self.dead = True
        self.close_input()
        with contextlib.suppress(ProcessLookupError, OSError):
            self.proc.kill()

    def reap(self, timeout: float = 2.0) -> None:
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(1.0)
        # The process is gone: what it wrote last (a crash report) is still in the pipe.
        self._threads["err"].join(min(timeout, 1.0))
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class WorkerPool:
    """A supervised set of decode workers. Call :meth:`poll` often (e.g. 10 Hz)."""

    def __init__(self, workers: int | None = None,
                 heartbeat_timeout_s: float = HEARTBEAT_TIMEOUT_S,
                 warm_libvlc: bool = False) -> None:
        self.size = workers or default_worker_count()
        # Workers load libVLC as they start when full-rate views will use it (see worker.py).
        self.warm_libvlc = warm_libvlc
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self._events: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._workers: dict[int, WorkerHandle] = {}
        self._specs: dict[str, PlayerSpec] = {}
        self._owner: dict[str, int] = {}
        self._indices = itertools.count()
        self._started = False
        self.restarts = 0
        self.live555 = False
        self._last_poll = time.monotonic()

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._started = True
        sweep_stale_segments()
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> WorkerHandle:
        handle = WorkerHandle(next(self._indices), self._events, self.warm_libvlc)
        self._workers[handle.index] = handle
        log.debug("started decode worker %d (pid %d)", handle.index, handle.pid)
        return handle

    def shutdown(self, timeout: float = 3.0) -> None:
        """Ask every worker to quit, then kill whatever is left. Idempotent."""
        workers = list(self._workers.values())
        self._workers.clear()
        self._specs.clear()
        self._owner.clear()
        for handle in workers:
            handle.send({"op": "quit"})
            handle.close_input()
        deadline = time.monotonic() + timeout
        for handle in workers:
            handle.reap(max(0.1, deadline - time.monotonic()))
        self._started = False

    def pids(self) -> list[int]:
        return [h.pid for h in self._workers.values() if not h.dead]

    @property
    def player_count(self) -> int:
        return len(self._specs)

    # -- players ------------------------------------------------------------------------------
    def open(self, spec: PlayerSpec) -> None:
        self.start()
        if spec.id in self._specs:
            self.close(spec.id)
        handle = self._least_loaded()
        self._assign(spec, handle)

    def _least_loaded(self) -> WorkerHandle:
        alive = [h for h in self._workers.values() if not h.dead]
        if not alive:
            return self._spawn()
        return min(alive, key=lambda h: (h.load, len(h.players), h.index))

    def _assign(self, spec: PlayerSpec, handle: WorkerHandle) -> None:
        self._specs[spec.id] = spec
        self._owner[spec.id] = handle.index
        handle.players.add(spec.id)
        handle.load += spec.weight
        handle.send(spec.command())

    def close(self, player_id: str) -> None:
        spec = self._specs.pop(player_id, None)
        index = self._owner.pop(player_id, None)
        handle = self._workers.get(index) if index is not None else None
        if handle is None or spec is None:
            return
        handle.players.discard(player_id)
        handle.load = max(0.0, handle.load - spec.weight)
        handle.send({"op": "close", "id": player_id})

    def send(self, player_id: str, message: dict[str, Any]) -> bool:
        """Send a command about one player to the worker that hosts it."""
        index = self._owner.get(player_id)
        handle = self._workers.get(index) if index is not None else None
        if handle is None:
            return False
        handle.send({**message, "id": player_id})
        return True

    def set_keyframes_only(self, player_id: str, on: bool) -> None:
        spec = self._specs.get(player_id)
        if spec is not None:
            spec.options["keyframes_only"] = on  # a reopened player keeps the mode
        self.send(player_id, {"op": "keyframes", "on": on})

    def worker_of(self, player_id: str) -> int | None:
        index = self._owner.get(player_id)
        handle = self._workers.get(index) if index is not None else None
        return handle.pid if handle is not None else None

    # -- supervision --------------------------------------------------------------------------
    def poll(self, now: float | None = None) -> list[dict[str, Any]]:
        """Events since the last call; replaces dead or silent workers on the way."""
        now = time.monotonic() if now is None else now
        out: list[dict[str, Any]] = []
        while True:
            try:
                message = self._events.get_nowait()
            except queue.Empty:
                break
            handle = self._workers.get(message.get("worker", -1))
            if handle is None or handle.pid != message.get("pid"):
                continue  # from a worker already replaced
            kind = message.get("ev")
            if kind in ("heartbeat", "hello", "stats"):
                handle.last_heartbeat = now
            if kind == "hello":
                self.live555 = bool(message.get("live555"))
                continue
            if kind == "heartbeat":
                continue
            if kind == "_eof":
                out += self._replace(handle, "the decode worker exited unexpectedly")
                continue
            if kind == "stop_hung":
                out += self._replace(handle, "a player did not stop; its worker was restarted")
                continue
            if kind == "stats":
                players = [p for p in message.get("players", [])
                           if self._owner.get(p.get("id")) == handle.index]
                message["players"] = players
            elif message.get("id") is not None and kind != "snapshot" and \
                    self._owner.get(message["id"]) != handle.index:
                continue  # about a player that has moved or closed
            out.append(message)
        # Never judge right after this thread itself was starved of CPU.
        starved = now - self._last_poll > 1.0
        self._last_poll = now
        for handle in list(self._workers.values()):
            if handle.dead:
                continue
            if handle.proc.poll() is not None:
                out += self._replace(handle, "the decode worker exited unexpectedly")
            elif starved:
                handle.last_heartbeat = max(handle.last_heartbeat,
                                            now - self.heartbeat_timeout_s / 2)
            elif self._hung(handle, now):
                out += self._replace(handle, "the decode worker stopped answering")
        return out

    def _hung(self, handle: WorkerHandle, now: float) -> bool:
        """Silent for the timeout and using no CPU = hung (stopped, deadlocked). Silent but
        busy may just be a starved machine: that gets three times as long."""
        silent = now - handle.last_heartbeat
        if silent <= self.heartbeat_timeout_s:
            handle.cpu_mark = None
            return False
        if silent > 3 * self.heartbeat_timeout_s:
            return True
        used = _cpu_seconds(handle.pid)
        if handle.cpu_mark is None:
            handle.cpu_mark = (used, now)
            return False
        before, since = handle.cpu_mark
        return now - since >= 0.2 and used - before < 0.02 * (now - since)

    def _replace(self, handle: WorkerHandle, reason: str) -> list[dict[str, Any]]:
        if handle.dead and handle.index not in self._workers:
            return []
        code = handle.proc.poll()
        handle.kill()
        handle.reap(1.0)
        playing = ", ".join(sorted(mask_url(self._specs[p].url) for p in handle.players
                                   if p in self._specs)) or "no stream"
        if handle.fatal:
            log.error("decode worker %d (pid %d) crashed: %s; it was playing %s; its report:\n%s",
                      handle.index, handle.pid, describe_exit(code), playing,
                      "\n".join(handle.fatal))
        else:
            log.warning("decode worker %d (pid %d): %s (%s); it was playing %s; last lines: %s",
                        handle.index, handle.pid, reason, describe_exit(code), playing,
                        " | ".join(list(handle.stderr_tail)[-3:]))
        self._workers.pop(handle.index, None)
        self.restarts += 1
        moved = sorted(handle.players)
        replacement = self._spawn()
        for player_id in moved:
            spec = self._specs.get(player_id)
            if spec is None:
                continue
            self._owner.pop(player_id, None)
            self._assign(spec, self._least_loaded() if len(self._workers) > 1 else replacement)
        return [{"ev": "worker_restarted", "ids": moved, "reason": reason,
                 "worker": replacement.index, "pid": replacement.pid}]
