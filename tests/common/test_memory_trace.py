"""The soak's memory trace names the line whose allocations keep growing, per process."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from common.memory_trace import MemoryTrace, parse

HELD: list[bytes] = []


def grow(n: int) -> None:
    HELD.extend(bytes(1000) + bytes([i % 256]) for i in range(n))  # the "leak"


def test_the_report_names_the_growing_line_and_the_process_memory(tmp_path: Path) -> None:
    path = tmp_path / "trace.txt"
    trace = MemoryTrace(path)
    was_tracing = tracemalloc.is_tracing()
    try:
        trace.report()  # baseline
        grow(2000)
        trace.report()
        grow(2000)
        trace.report()
    finally:
        HELD.clear()
        if not was_tracing:
            tracemalloc.stop()
    text = path.read_text(encoding="utf-8")
    last = text.split("=== report 2")[1]
    since_previous = last.split("--- top sites since previous")[1].split("---")[0]
    top = since_previous.strip().splitlines()[0]
    assert "test_memory_trace.py:14" in top and "+20" in top.split("kB")[0], top
    assert "RssAnon" in text.splitlines()[0]


def test_the_setting_is_read_from_the_right_so_windows_paths_work() -> None:
    assert parse(r"C:\kw\trace-{pid}.txt:30:5") == (r"C:\kw\trace-{pid}.txt", 30.0, 5)
    assert parse("/tmp/t.txt") == ("/tmp/t.txt", 60.0, 1)
    assert parse("/tmp/t.txt:0") is None
    assert parse("") is None
