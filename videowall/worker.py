"""A decode worker process: ``python -m videowall.worker`` (Qt-free).

Hosts a few players (FFmpeg or libVLC backends; one ``vlc.Instance`` per process, created only
if a libVLC player is asked for) that write pictures into shared memory created by the UI
process. Commands arrive as JSON lines on stdin, events leave as JSON lines on a private copy
of stdout (the real fd 1 is pointed at stderr, so a chatty native library cannot corrupt the
link). See :mod:`videowall.wire` for the messages.

Threads: the main thread reads stdin; one control thread owns the players (open, close,
statistics, heartbeat); decoder libraries call back on their own threads and only post to the
control queue. Stopping a player, diagnosing a failure and writing a snapshot run on helper
threads with deadlines: a player that does not stop in time is reported (``stop_hung``) and
the supervisor replaces the whole worker — a hung decoder never hangs the wall. When stdin
closes (the console exited or died) the worker exits.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import queue
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from common.masking import MaskingFormatter, mask_text, mask_url
from videowall import wire
from videowall.diagnose import diagnose_or, validate_url
from videowall.frames import FrameBuffer
from videowall.heap import HeapTrimmer
from videowall.player_base import PlayerBase

log = logging.getLogger("kitchenwatch.wall.worker")

TICK_S = 0.5
STOP_DEADLINE_S = 8.0
NICE_ENV = "KITCHENWATCH_WORKER_NICE"
DEFAULT_NICE = 5


def _warm_libvlc_wanted() -> bool:
    """The pool asks for it when libVLC plays its full-rate views (a maximised tile, the alarm
    panel): not for a grid or probe on FFmpeg alone, where loading it would only cost ~0.5 s
    of CPU at start and ~30 MB."""
    return os.environ.get("KITCHENWATCH_WARM_LIBVLC") == "1"


def _warm_libvlc() -> None:
    """Load libVLC and its ~470 plugins now (~0.5 s) rather than when an operator maximises
    a tile, where it would be half of the 1.5 s allowed for the first picture."""
    try:
        from videowall.player_vlc import instance

        instance()
    except Exception as exc:  # a missing libVLC is reported when a player needs it
        log.info("libVLC not preloaded: %s", exc)


class Worker:
    def __init__(self, out_fd: int) -> None:
        self._out = os.fdopen(out_fd, "wb", buffering=0)
        self._out_lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._players: dict[str, PlayerBase] = {}
        self._adapters: dict[str, Any] = {}
        self._helpers = ThreadPoolExecutor(max_workers=6, thread_name_prefix="helper")
        self._stopping: list[tuple[float, str, Future[None]]] = []
        self._running = True
        self._heap = HeapTrimmer()

    # -- output -------------------------------------------------------------------------------
    def emit(self, message: dict[str, Any]) -> None:
        reason = message.get("reason")
        if isinstance(reason, str) and reason:
            message = {**message, "reason": mask_text(reason)}  # a decoder's words may hold a URL
        data = wire.encode(message)
        with self._out_lock:
            try:
                self._out.write(data)
            except (BrokenPipeError, OSError):
                self._running = False

    def post(self, item: tuple[str, Any]) -> None:
        self._queue.put(item)

    # -- main loops ---------------------------------------------------------------------------
    def read_stdin(self) -> None:
        for line in sys.stdin.buffer:
            message = wire.decode(line)
            if message is not None:
                self._queue.put(("cmd", message))
        self._queue.put(("eof", None))

    def run(self) -> None:
        from videowall.adapters import libvlc_can_play_rtsp

        self.emit({"ev": "hello", "pid": os.getpid(), "live555": libvlc_can_play_rtsp(),
                   "backends": list(wire.BACKENDS)})
        if _warm_libvlc_wanted():
            threading.Thread(target=_warm_libvlc, name="vlc-warm", daemon=True).start()
        next_tick = time.monotonic()
        while self._running:
            timeout = max(0.0, next_tick - time.monotonic())
            try:
                kind, payload = self._queue.get(timeout=timeout)
            except queue.Empty:
                kind, payload = "tick", None
            if kind == "cmd":
                self._command(payload)
            elif kind == "eof":
                log.info("the console closed the link; exiting")
                self._shutdown(budget_s=2.0)
                return
            elif kind == "vlc_error":
                self._vlc_failed(payload)
            elif kind == "vlc_ended":
                player = self._players.get(payload)
                if player is not None:
                    player.set_state("ended", "the source ended the stream")
            now = time.monotonic()
            if now >= next_tick:
                self._tick(now)
                next_tick = now + TICK_S

    def _tick(self, now: float) -> None:
        self.emit({"ev": "heartbeat", "t": now})
        self._heap.tick(now)  # closed decoders' memory back to the system (videowall.heap)
        stats = []
        for player in list(self._players.values()):
            try:
                stats.append(player.collect(now))
            except Exception:
                log.exception("collecting statistics of %s failed", player.id)
        if stats:
            self.emit({"ev": "stats", "players": stats})
        for deadline, player_id, future in list(self._stopping):
            if future.done():
                self._stopping.remove((deadline, player_id, future))
            elif now > deadline:
                self._stopping.remove((deadline, player_id, future))
                log.error("player %s did not stop within %.0f s", player_id, STOP_DEADLINE_S)
                self.emit({"ev": "stop_hung", "id": player_id})

    # -- commands -----------------------------------------------------------------------------
    def _command(self, message: dict[str, Any]) -> None:
        op = message.get("op")
        try:
            if op == "open":
                self._open(message)
            elif op == "close":
                self._close(str(message.get("id")))
            elif op == "keyframes":
                self._keyframes(str(message.get("id")), bool(message.get("on")))
            elif op == "snapshot":
                self._snapshot(message)
            elif op == "ping":
                self.emit({"ev": "heartbeat", "t": time.monotonic()})
            elif op == "quit":
                self._shutdown(budget_s=3.0)
                self._running = False
            else:
                log.warning("unknown command %r", op)
        except Exception:
            log.exception("command %s failed", op)

    def _open(self, message: dict[str, Any]) -> None:
        player_id = str(message["id"])
        url = str(message.get("url", ""))
        if player_id in self._players:
            self._close(player_id)
        invalid = validate_url(url)
        if invalid:
            self.emit({"ev": "state", "id": player_id, "state": "error", "reason": invalid,
                       "offline": True})
            return
        try:
            frames = FrameBuffer.attach(str(message["shm"]))
        except (FileNotFoundError, ValueError) as exc:
            self.emit({"ev": "state", "id": player_id, "state": "error",
                       "reason": f"frame buffer unavailable ({type(exc).__name__})"})
            return
        options = wire.PlayerOptions.from_dict(message.get("options"))
        box = (int(message.get("width", 320)), int(message.get("height", 180)))
        backend = message.get("backend", "ffmpeg")
        player = self._make(backend, player_id, url, frames, box, options)
        self._players[player_id] = player
        self.emit({"ev": "state", "id": player_id, "state": "opening", "reason": "",
                   "offline": False})
        try:
            player.start()
        except (ValueError, RuntimeError, OSError) as exc:
            player.set_state("error", mask_text(str(exc).replace(url, mask_url(url)))[:200])

    def _make(self, backend: str, player_id: str, url: str, frames: FrameBuffer,
              box: tuple[int, int], options: wire.PlayerOptions) -> PlayerBase:
        if backend == "vlc":
            from videowall.adapters import RemuxToTs, needs_adapter
            from videowall.player_vlc import VlcPlayer

            factory = None
            if needs_adapter(url):
                adapter = RemuxToTs(url, tcp=options.rtsp_tcp,
                                   open_timeout_s=options.open_timeout_s)
                self._adapters[player_id] = adapter
                adapter.start()
                factory = adapter.media
            return VlcPlayer(player_id, url, frames, box, options, self.emit, post=self.post,
                             media_factory=factory)
        from videowall.player_ffmpeg import FfmpegPlayer

        return FfmpegPlayer(player_id, url, frames, box, options, self.emit)

    def _close(self, player_id: str) -> None:
        player = self._players.pop(player_id, None)
        adapter = self._adapters.pop(player_id, None)
        if player is None:
            self.emit({"ev": "closed", "id": player_id})
            return

        def stop() -> None:
            if adapter is not None:
                adapter.close()
            # If this raises (a decoder that will not stop), the mapping stays: a thread may
            # still write into it. The deadline reports it and the worker is replaced.
            player.stop()
            player.release_buffer()
            player.frames.close()
            self.emit({"ev": "closed", "id": player_id})

        future = self._helpers.submit(stop)
        self._stopping.append((time.monotonic() + STOP_DEADLINE_S, player_id, future))

    def _keyframes(self, player_id: str, on: bool) -> None:
        player = self._players.get(player_id)
        if player is None:
            return
        if player.backend == "vlc":  # restarts libVLC: may block, so off this thread
            future = self._helpers.submit(player.set_keyframes_only, on)
            self._stopping.append((time.monotonic() + STOP_DEADLINE_S, player_id, future))
        else:
            player.set_keyframes_only(on)

    def _snapshot(self, message: dict[str, Any]) -> None:
        request = message.get("req")
        player = self._players.get(str(message.get("id")))
        path = str(message.get("path", ""))
        if player is None:
            self.emit({"ev": "snapshot", "req": request, "ok": False, "path": path,
                       "error": "the stream is not open"})
            return

        def take() -> None:
            try:
                width, height = player.snapshot(path)
                self.emit({"ev": "snapshot", "req": request, "ok": True, "path": path,
                           "width": width, "height": height, "error": ""})
            except Exception as exc:
                self.emit({"ev": "snapshot", "req": request, "ok": False, "path": path,
                           "error": str(exc)[:200] or type(exc).__name__})

        self._helpers.submit(take)

    def _vlc_failed(self, player_id: str) -> None:
        player = self._players.get(player_id)
        if player is None:
            return
        adapter = self._adapters.get(player_id)
        url = player.url

        def explain() -> None:
            if adapter is not None and adapter.error:
                reason, offline = adapter.error, adapter.offline
            else:
                diagnosis = diagnose_or(url, "the stream could not be opened")
                reason, offline = diagnosis.reason, diagnosis.offline
            if self._players.get(player_id) is player:
                player.set_state("error", reason, offline)

        self._helpers.submit(explain)

    def _shutdown(self, budget_s: float) -> None:
        for player_id in list(self._players):
            self._close(player_id)
        deadline = time.monotonic() + budget_s
        for _deadline, _id, future in list(self._stopping):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                future.result(timeout=remaining)
            except Exception:
                pass
        self._running = False


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the console dies, even if it could not close our stdin."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the console was already gone before prctl took effect
        os._exit(0)


def _yield_to_the_console() -> None:
    """Run at a lower priority than the console (``KITCHENWATCH_WORKER_NICE``, default 5; 0
    keeps the console's).

    The scheduler shares a busy CPU out per thread: the console's one UI thread, which paints
    every picture, would get one share against dozens of decoder threads and paint a fraction
    of what they decode (measured on a loaded 2-core machine: 40 % of the pictures painted,
    99 % decoded). A picture decoded but never painted is waste; with the workers below the
    console, the UI paints first and the decoders take the rest (the governor drops small
    tiles to key frames when they cannot keep up). On an idle machine nothing changes."""
    try:
        steps = int(os.environ.get(NICE_ENV, DEFAULT_NICE))
    except ValueError:
        steps = DEFAULT_NICE
    if steps <= 0:
        return
    try:
        if sys.platform == "win32":  # one class below normal
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(min(steps, 19))
    except (OSError, AttributeError):
        log.debug("could not lower the decode worker's priority", exc_info=True)


def main() -> int:
    _die_with_parent()
    _yield_to_the_console()
    out_fd = os.dup(1)
    os.dup2(2, 1)  # stray native prints go to stderr, never into the message stream
    # A crash inside libVLC or FFmpeg kills the process with a signal and no Python traceback;
    # faulthandler writes every thread's Python stack to stderr first, which the pool reads
    # and puts in the console's log with the streams this worker was playing.
    faulthandler.enable(file=sys.stderr, all_threads=True)
    level = os.environ.get("KITCHENWATCH_WORKER_LOG", "WARNING").upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter("%(asctime)s worker[%(process)d] %(levelname)s "
                                          "%(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    from common.memory_trace import start_from_env

    start_from_env()  # KITCHENWATCH_TRACEMALLOC={pid}-named file per worker (diagnostics)
    worker = Worker(out_fd)
    reader = threading.Thread(target=worker.read_stdin, name="stdin", daemon=True)
    reader.start()
    try:
        worker.run()
    except KeyboardInterrupt:
        pass
    sys.stdout.flush()
    sys.stderr.flush()
    # Decoder threads may still sit in a blocking read; do not wait for them at exit.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
