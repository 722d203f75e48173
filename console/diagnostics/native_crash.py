"""Traces of crashes in native code (Qt, libVLC, FFmpeg, drivers), kept across the restart.

A segmentation fault ends the process before any Python handler, dialog or log line can run.
``faulthandler`` writes every thread's Python stack to a file of its own at that moment
(``logs/native-crash.log``; the rotating log cannot be written from a signal handler). At the
next start :func:`take_previous` moves that trace aside (the last few are kept) and hands it to
the crash dialog, so the operator and support learn that, and where, it happened. Qt-free.
"""

from __future__ import annotations

import faulthandler
import logging
from datetime import datetime
from pathlib import Path
from typing import IO

from common.masking import mask_text

log = logging.getLogger("kitchenwatch.console.crash")
TRACE_NAME = "native-crash.log"
KEEP = 5
MAX_READ = 256_000
_trace_file: IO[str] | None = None  # must stay open for the life of the process


def take_previous(log_dir: Path) -> str | None:
    """The trace a crashed earlier run left (masked), moved aside; None if it ended cleanly."""
    path = log_dir / TRACE_NAME
    try:
        with path.open("rb") as f:
            text = f.read(MAX_READ).decode("utf-8", "replace")
    except FileNotFoundError:
        return None
    if "Fatal Python error" not in text:
        path.unlink(missing_ok=True)
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path.replace(log_dir / f"native-crash-{stamp}.log")
    for old in sorted(log_dir.glob("native-crash-*.log"))[:-KEEP]:
        old.unlink(missing_ok=True)
    return mask_text(text)


def enable(log_dir: Path) -> Path:
    """From now on a fatal signal leaves every thread's stack in ``log_dir/native-crash.log``."""
    global _trace_file
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / TRACE_NAME
    if _trace_file is not None:
        _trace_file.close()
    _trace_file = path.open("w", encoding="utf-8")
    faulthandler.enable(file=_trace_file, all_threads=True)
    return path
