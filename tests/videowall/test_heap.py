"""A decode worker hands the memory its closed decoders freed back to the system, so its
private memory does not climb all day as a tour opens and closes streams."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from videowall import heap
from videowall.worker import Worker

ROOT = Path(__file__).resolve().parents[2]

# A fresh process frees 9 of 10 of 60 MB of mid-sized C-heap blocks (as closing decoders
# frees frame pools and pictures; every tenth block still in use pins the heap's top), then
# asks the worker's heap trimmer to give back what it can.
CHURN = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from common.memory_trace import proc_memory
    from videowall import heap

    blocks = [bytes(3000) + bytes([i % 251]) for i in range(20_000)]
    kept = blocks[::10]
    del blocks
    before = proc_memory()["RssAnon"]
    heap.trim()
    after = proc_memory()["RssAnon"]
    print(before, after, len(kept))
""")


@pytest.mark.skipif(not heap.available(), reason="glibc only; other allocators give back")
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    run = subprocess.run([sys.executable, "-c", CHURN, str(ROOT)], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "MALLOC_ARENA_MAX": "2"})
    assert run.returncode == 0, run.stderr
    before_kb, after_kb, _ = map(int, run.stdout.split())
    # ~54 MB freed: most of it leaves the process's private memory.
    assert before_kb - after_kb > 35_000, (before_kb, after_kb)


def test_the_trimmer_runs_every_period_from_the_tick() -> None:
    calls: list[float] = []
    now = [100.0]
    trimmer = heap.HeapTrimmer(every_s=30.0, run=lambda: calls.append(now[0]) or True)
    for t in range(100, 200):
        now[0] = float(t)
        trimmer.tick(float(t))
    assert calls == [130.0, 160.0, 190.0]


def test_the_worker_tick_trims_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[bool] = []
    monkeypatch.setattr(heap, "trim", lambda: trims.append(True) or True)
    read_fd, write_fd = os.pipe()
    worker = Worker(write_fd)
    try:
        for t in range(0, 95, 1):  # the worker ticks every half second; 95 s of them
            worker._tick(float(t))
    finally:
        worker._out.close()
        os.close(read_fd)
        worker._helpers.shutdown()
    assert len(trims) == 3
