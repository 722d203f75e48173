"""A crash in native code leaves the stacks of every thread, and the next start shows them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from console.diagnostics import native_crash
from console.diagnostics.crash_dialog import CrashReporter

ROOT = Path(__file__).resolve().parents[2]

CRASH = textwrap.dedent("""
    import os, signal, sys, threading, time
    from pathlib import Path
    from console.diagnostics import native_crash
    native_crash.enable(Path(sys.argv[1]))
    def decoding():
        time.sleep(30)
    threading.Thread(target=decoding, name="decoder", daemon=True).start()
    time.sleep(0.2)
    print("rtsp://kw:hunter2@10.0.0.5/cam opened", flush=True)
    os.kill(os.getpid(), signal.SIGSEGV)  # what a bug in libVLC or a driver delivers
""")


def _crash_once(log_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH, str(log_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -11


def test_a_segfault_leaves_every_threads_stack_for_the_next_start(tmp_path: Path) -> None:
    _crash_once(tmp_path)
    trace = native_crash.take_previous(tmp_path)
    assert trace is not None
    assert "Fatal Python error: Segmentation fault" in trace
    assert "in decoding" in trace  # the other thread's stack too
    assert not (tmp_path / native_crash.TRACE_NAME).exists()
    assert len(list(tmp_path.glob("native-crash-*.log"))) == 1
    assert native_crash.take_previous(tmp_path) is None  # reported once


def test_a_clean_run_leaves_nothing_to_report(tmp_path: Path) -> None:
    native_crash.enable(tmp_path)
    assert native_crash.take_previous(tmp_path) is None


def test_the_crash_dialog_shows_the_previous_crash(qtbot, tmp_path: Path) -> None:
    _crash_once(tmp_path)
    reporter = CrashReporter(tmp_path / "console.log")
    reporter.report_previous_crash(native_crash.take_previous(tmp_path) or "")
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
                    timeout=5000)
    text = reporter.dialog.report_text()
    assert "stopped unexpectedly the last time it ran" in text
    assert "Segmentation fault" in text
    reporter.dialog.close()
