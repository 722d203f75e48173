"""Decode workers under stress, without Qt: hangs, crashes, and hundreds of open/close cycles."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import psutil
import pytest

from tests.videowall.conftest import wait_for
from videowall.pool import WorkerPool
from videowall.streams import StreamManager
from videowall.watchdog import StreamState

pytestmark = pytest.mark.timeout(150)


def _poll_until(manager: StreamManager, condition, timeout: float, what: str) -> float:
    def check() -> bool:
        manager.poll()
        return condition()
    return wait_for(check, timeout, what)


@pytest.fixture
def manager():
    m = StreamManager(WorkerPool(workers=2))
    yield m
    m.shutdown()


def _segments() -> set[str]:
    return {p.name for p in Path("/dev/shm").glob(f"kwvw-{os.getpid()}-*")}


def test_a_hung_worker_is_killed_and_its_streams_come_back(sim, manager) -> None:
    streams = [manager.acquire(sim.sub(f"H{i}"), 160, 90) for i in range(4)]
    _poll_until(manager, lambda: all(s.status.state == StreamState.PLAYING for s in streams),
                10, "four streams playing")
    victim = manager.pool.worker_of(streams[0].player_id)
    marks = [s.frames for s in streams]
    os.kill(victim, signal.SIGSTOP)  # alive but silent: what a deadlocked decoder looks like
    try:
        took = _poll_until(manager, lambda: all(s.frames > m + 5 for s, m in
                                                zip(streams, marks, strict=True)),
                           5, "the hung worker's streams to come back")
    finally:
        if psutil.pid_exists(victim):
            os.kill(victim, signal.SIGCONT)
    print(f"streams of a hung worker back after {took:.2f} s")
    assert took < 3.5
    assert not psutil.pid_exists(victim) or psutil.Process(victim).status() == "zombie"
    for stream in streams:
        manager.release(stream)


def test_500_open_close_cycles_leave_nothing_behind(sim, manager) -> None:
    me = psutil.Process()
    urls = [sim.sub(f"C{i}") for i in range(4)]

    def cycle(i: int, wait_picture: bool) -> None:
        stream = manager.acquire(urls[i % 4], 160 + 2 * (i % 3), 90)
        if wait_picture:
            _poll_until(manager, stream.has_picture, 10, f"a picture in cycle {i}")
        else:
            manager.poll()
        manager.release(stream)
        manager.poll()

    for i in range(20):  # warm up: workers, imports, the simulator's producers
        cycle(i, wait_picture=i % 10 == 0)
    _poll_until(manager, lambda: True, 1, "settling")
    workers = sorted(manager.pool.pids())
    fds, rss = me.num_fds(), me.memory_info().rss
    worker_rss = sum(psutil.Process(p).memory_info().rss for p in workers)
    started = time.monotonic()
    for i in range(500):
        cycle(i, wait_picture=i % 10 == 0)  # every tenth cycle decodes for real
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # let the workers finish their closes
        manager.poll()
        time.sleep(0.05)
        if all(len(psutil.Process(p).threads()) < 12 for p in workers):
            break
    grown_fds = me.num_fds() - fds
    grown_rss = (me.memory_info().rss - rss) / 2**20
    grown_worker_rss = (sum(psutil.Process(p).memory_info().rss for p in workers)
                        - worker_rss) / 2**20
    print(f"500 cycles in {elapsed:.1f} s; fds {grown_fds:+d}, UI RSS {grown_rss:+.1f} MB, "
          f"worker RSS {grown_worker_rss:+.1f} MB")
    assert sorted(manager.pool.pids()) == workers and manager.pool.restarts == 0
    assert {c.pid for c in me.children(recursive=True)} >= set(workers)
    assert len([c for c in me.children() if c.pid in workers]) == 2
    assert grown_fds <= 5
    assert grown_rss < 25
    assert grown_worker_rss < 60
    assert manager.streams() == [] and _segments() == set()


def test_shutdown_leaves_no_process_and_no_shared_memory(sim) -> None:
    manager = StreamManager(WorkerPool(workers=2))
    streams = [manager.acquire(sim.sub(f"Q{i}"), 160, 90) for i in range(3)]
    _poll_until(manager, lambda: all(s.has_picture() for s in streams), 10, "pictures")
    pids = manager.pool.pids()
    manager.shutdown()
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"
                   for p in pids)
    assert _segments() == set()


def test_a_native_crash_leaves_its_stack_and_the_streams_it_played_in_the_log(
        manager, caplog) -> None:
    """A segfault in libVLC/FFmpeg used to leave only "exit -11" behind."""
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers: "connecting"
    port = silent.getsockname()[1]
    try:
        stream = manager.acquire(f"http://kw:s3cr@t:pw@127.0.0.1:{port}/kitchen-7.ts", 160, 90)
        # Statistics about the player come from the running worker: faulthandler is on by then.
        _poll_until(manager, lambda: stream.stats is not None, 20, "the worker to report")
        victim = manager.pool.worker_of(stream.player_id)
        caplog.set_level("WARNING", logger="kitchenwatch.wall.pool")
        os.kill(victim, signal.SIGSEGV)  # what a crash in native decoder code delivers
        _poll_until(manager, lambda: manager.pool.restarts >= 1, 10, "the worker's replacement")
        report = "\n".join(r.getMessage() for r in caplog.records)
        assert "killed by SIGSEGV (a crash in native code" in report
        assert "Fatal Python error: Segmentation fault" in report
        assert "videowall/worker.py" in report  # the stack of the crashed process
        assert f"127.0.0.1:{port}/kitchen-7.ts" in report
        assert "s3cr" not in report and "t:pw" not in report
        manager.release(stream)
    finally:
        silent.close()


def test_decode_workers_run_below_the_console_so_the_ui_paints_first() -> None:
    pool = WorkerPool(1)
    pool.start()
    try:
        wait_for(lambda: pool.pids(), 20, "a worker")
        worker = psutil.Process(pool.pids()[0])
        wait_for(lambda: worker.nice() > psutil.Process().nice(), 20,
                 "the worker to lower its priority")
    finally:
        pool.shutdown()
