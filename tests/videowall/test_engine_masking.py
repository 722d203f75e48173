"""The decode engine's words never carry a camera password: a worker's own log lines on stderr,
what FFmpeg or libVLC print natively (kept by the pool and written into the console's log when a
worker is replaced), and the reasons a worker sends for a failed stream."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import pytest

from videowall.pool import WorkerHandle
from videowall.worker import Worker

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]
URL = "rtsp://admin:P@ss/w:rd@192.0.2.1:554/ch1?token=tok-5d4c3b"
SECRETS = ("P@ss", "ss/w", "w:rd", "tok-5d4c3b")


def _leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_a_workers_own_log_lines_are_masked() -> None:
    done = subprocess.run([sys.executable, "-m", "videowall.worker"], cwd=ROOT, timeout=30,
                          input=json.dumps({"op": URL}) + "\n" + json.dumps({"op": "quit"})
                          + "\n", capture_output=True, text=True)
    assert "unknown command 'rtsp://***@192.0.2.1:554/ch1?token=***'" in done.stderr, done.stderr
    assert not _leaked(done.stderr), done.stderr


def test_native_stderr_of_a_worker_is_masked_by_the_pool(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "fake_worker.py"
    fake.write_text("import sys, time\n"
                    f"print('[rtsp @ 0x1] Could not open {URL}', file=sys.stderr, flush=True)\n"
                    "sys.stdin.read()\n")
    monkeypatch.setenv("KITCHENWATCH_WORKER_CMD", f"{sys.executable} {fake}")
    handle = WorkerHandle(0, queue.SimpleQueue())
    try:
        deadline = time.monotonic() + 10
        while not handle.stderr_tail and time.monotonic() < deadline:
            time.sleep(0.02)
        tail = " | ".join(handle.stderr_tail)
        assert "Could not open rtsp://***@192.0.2.1:554/ch1?token=***" in tail
        assert not _leaked(tail)
    finally:
        handle.close_input()
        handle.kill()
        handle.reap(2.0)


def test_a_reason_sent_by_a_worker_is_masked() -> None:
    read_fd, write_fd = os.pipe()
    worker = Worker(write_fd)
    worker.emit({"ev": "state", "id": "p1", "state": "error", "offline": True,
                 "reason": f"the stream failed: 401 on {URL}"})
    with os.fdopen(read_fd, "rb") as reader:
        message = json.loads(reader.readline())
    worker._out.close()
    assert message["reason"] == "the stream failed: 401 on rtsp://***@192.0.2.1:554/ch1?token=***"
