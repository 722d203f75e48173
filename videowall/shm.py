"""Named shared memory: the one module that knows the operating system's rules (Qt-free).

- POSIX (Linux, UOS, Kylin, macOS): a segment is a name in ``/dev/shm`` that outlives every
  process until it is unlinked. The console creates and unlinks each one; segments a crashed
  console left behind are swept at the next start by the pid in their name.
- Windows: a segment is a named file mapping that exists while some process holds a handle to
  it. The console holds its handle until the stream closes, and the kernel frees the mapping
  when the last holder exits, a crash included: nothing to unlink, nothing to sweep.

Neither side registers segments with ``multiprocessing.resource_tracker``: it would unlink a live
segment when *any* process that touched it exits (CPython issue 82300; Frigate's
``UntrackedSharedMemory`` does the same). ``_posixshmem`` (POSIX only, private) is imported here
and only on POSIX, so the engine imports everywhere.
"""

from __future__ import annotations

import sys
import threading
from multiprocessing import resource_tracker, shared_memory
from pathlib import Path

PERSISTENT_NAMES = sys.platform != "win32"  # names outlive their processes until unlinked
_register_lock = threading.Lock()


def _no_register(*_args: object, **_kwargs: object) -> None:
    return None


def open_untracked(name: str | None, create: bool,
                   size: int) -> shared_memory.SharedMemory:
    """SharedMemory that the resource tracker does not know about (we release it ourselves)."""
    with _register_lock:
        original = resource_tracker.register
        resource_tracker.register = _no_register
        try:
            return shared_memory.SharedMemory(name=name, create=create, size=size)
        finally:
            resource_tracker.register = original


def unlink(name: str) -> None:
    """Remove the name so no new process can attach (POSIX); nothing to do on Windows.

    Not ``SharedMemory.unlink()``: it would tell the resource tracker about a segment it never
    saw (and start a tracker process just to complain). Raises FileNotFoundError if gone.
    """
    if not PERSISTENT_NAMES:
        return
    import _posixshmem

    _posixshmem.shm_unlink(name if name.startswith("/") else "/" + name)


def leftovers_directory() -> Path | None:
    """Where segments of dead processes can be listed and removed, if anywhere (Linux)."""
    if sys.platform.startswith("linux"):
        return Path("/dev/shm")
    return None
