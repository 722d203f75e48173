"""Where a long-running process's memory goes: periodic tracemalloc and object-count diffs.

A soak (``bench/soak.py``) can say *that* the console or a decode worker grows, not *what*
grows. With ``KITCHENWATCH_TRACEMALLOC=PATH[:PERIOD_S[:FRAMES]]`` set, the console and every
decode worker start :func:`start_from_env`: a daemon thread that, every ``PERIOD_S`` (default
60), appends to ``PATH`` (``{pid}`` in it is replaced by the process id, so each worker writes
its own file) one report:

- ``RssAnon`` (private heap) and ``RssShmem`` from ``/proc`` (Linux; skipped elsewhere), so
  heap growth is told apart from mapped shared-memory pictures;
- glibc's heap: in use, freed but kept, mmapped (:func:`malloc_memory`);
- Python's traced memory and the top allocation sites that grew since the *first* report
  (the baseline) and since the *previous* one (what grows now, not what filled once);
- the object types whose live count grew most since the baseline (``gc.get_objects``).

A warm-up (a cache filling up to its bound) shows as growth between the first reports that
stops; a leak keeps appearing in the "since previous" lists. Tracing costs CPU and memory
(``FRAMES`` deep tracebacks more so): a diagnostics tool, never on in production. Its own
snapshots weigh on the process (the console's RSS stepped up ~90 MB at each report on a
16-tile soak, a report took over a minute, and the UI froze meanwhile), so read the allocation
sites and heap figures from a traced run and the growth slopes from an untraced one. Unset,
nothing is imported or started. Standard library only, so the Qt-free worker can use it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import sys
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import TextIO

log = logging.getLogger("kitchenwatch.memory_trace")
ENV = "KITCHENWATCH_TRACEMALLOC"
TOP = 25


def parse(value: str | None) -> tuple[str, float, int] | None:
    """``"/tmp/kw-{pid}.txt:30:5"`` → ``(path, 30.0, 5)``; None when unset or malformed."""
    if not value:
        return None
    parts = value.split(":")
    numbers: list[str] = []
    while len(parts) > 1 and len(numbers) < 2 and parts[-1].replace(".", "", 1).isdigit():
        numbers.insert(0, parts.pop())  # from the right: a Windows path has a colon in it
    path = ":".join(parts)
    try:
        period_s = float(numbers[0]) if numbers else 60.0
        n_frames = int(numbers[1]) if len(numbers) > 1 else 1
    except ValueError:
        return None
    if not path or period_s <= 0 or n_frames <= 0:
        return None
    return path, period_s, n_frames


def proc_memory() -> dict[str, int]:
    """``RssAnon``, ``RssFile``, ``RssShmem`` in kB (empty off Linux)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile", "RssShmem"):
                out[key] = int(value.split()[0])
    return out


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def malloc_memory() -> dict[str, int]:
    """glibc's own account in kB: ``in_use`` (allocated by the C heap, Python's and the
    decoders'), ``free_kept`` (freed but kept by the allocator: fragmentation, not a leak)
    and ``mmapped``. Empty off glibc. RssAnon growing with ``in_use`` flat is the allocator
    keeping pages; ``in_use`` growing while Python's traced memory stays flat is native code
    (FFmpeg, libVLC, Qt) holding more."""
    if not sys.platform.startswith("linux"):
        return {}
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallinfo2 = libc.mallinfo2
    except (OSError, AttributeError):
        return {}
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return {"in_use": info.uordblks // 1024, "free_kept": info.fordblks // 1024,
            "mmapped": info.hblkhd // 1024}


def type_counts() -> Counter[str]:
    return Counter(type(obj).__qualname__ for obj in gc.get_objects())


class MemoryTrace:
    """Writes one report per :meth:`report` call; the thread in :meth:`start` calls it."""

    def __init__(self, path: Path, frames: int = 1) -> None:
        self.path = path
        self.frames = frames
        self.baseline: tracemalloc.Snapshot | None = None
        self.previous: tracemalloc.Snapshot | None = None
        self.baseline_types: Counter[str] = Counter()
        self.started = time.monotonic()
        self.reports = 0

    def _snapshot(self) -> tracemalloc.Snapshot:
        return tracemalloc.take_snapshot().filter_traces((
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
            tracemalloc.Filter(False, "<unknown>"),
        ))

    def report(self) -> None:
        """Append one report to the file (the first one sets the baseline)."""
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
        snap = self._snapshot()
        types = type_counts()
        current, peak = tracemalloc.get_traced_memory()
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"=== report {self.reports} at {time.monotonic() - self.started:.0f} s "
                      f"(pid {os.getpid()}) {proc_memory()} malloc {malloc_memory()} "
                      f"traced {current / 2**20:.1f} MB "
                      f"(peak {peak / 2**20:.1f} MB), {sum(types.values())} objects\n")
            if self.baseline is not None and self.previous is not None:
                self._diff(out, "since baseline", snap.compare_to(self.baseline, "lineno"))
                self._diff(out, "since previous", snap.compare_to(self.previous, "lineno"))
                grown = Counter({k: v - self.baseline_types.get(k, 0) for k, v in types.items()})
                out.write("--- object types grown since baseline\n")
                for name, delta in grown.most_common(TOP):
                    if delta <= 0:
                        break
                    out.write(f"{delta:+9d} {name} ({types[name]})\n")
        if self.baseline is None:
            self.baseline, self.baseline_types = snap, types
        self.previous = snap
        self.reports += 1

    @staticmethod
    def _diff(out: TextIO, title: str, stats: list[tracemalloc.StatisticDiff]) -> None:
        out.write(f"--- top sites {title}\n")
        for stat in sorted(stats, key=lambda s: s.size_diff, reverse=True)[:TOP]:
            if stat.size_diff <= 0:
                break
            frame = stat.traceback[0]
            out.write(f"{stat.size_diff / 1024:+10.1f} kB {stat.count_diff:+8d} blocks "
                      f"{frame.filename}:{frame.lineno} (now {stat.size / 1024:.0f} kB)\n")

    def start(self, period_s: float) -> threading.Thread:
        tracemalloc.start(self.frames)

        def loop() -> None:
            while True:
                time.sleep(period_s)
                try:
                    self.report()
                except Exception:  # a diagnostics aid must never take the process down
                    log.exception("memory trace report failed")

        thread = threading.Thread(target=loop, name="memory-trace", daemon=True)
        thread.start()
        return thread


def start_from_env(environ: dict[str, str] | None = None) -> MemoryTrace | None:
    """Start tracing when ``KITCHENWATCH_TRACEMALLOC`` asks for it; None otherwise."""
    parsed = parse((os.environ if environ is None else environ).get(ENV))
    if parsed is None:
        return None
    path, period_s, frames = parsed
    trace = MemoryTrace(Path(path.replace("{pid}", str(os.getpid()))), frames)
    trace.start(period_s)
    print(f"memory trace every {period_s:g} s to {trace.path}", file=sys.stderr)
    return trace
