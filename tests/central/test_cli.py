"""`kitchenwatch-central` as a real process on a real socket."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from central.demo_registry import DEMO_PASSWORD

CLI = [sys.executable, "-m", "central"]


def _start(args: list[str], tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the URL line or EOF
    if not line.startswith("KITCHENWATCH_CENTRAL_URL="):
        proc.kill()
        raise AssertionError(f"no URL line: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return proc, line.strip().split("=", 1)[1]


def _json(url: str, body: dict | None = None, token: str | None = None) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"}
                                             if token else {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc, url = _start(["--port", "0", "--db", f"sqlite:///{tmp_path / 'c.db'}",
                        "--media-dir", str(tmp_path / "media"), "--demo-registry",
                        "--businesses", "30", "--stream-base", "http://127.0.0.1:9999"],
                       tmp_path)
    try:
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_serves_a_demo_city_on_a_free_port_and_stops_cleanly(
        central: tuple[subprocess.Popen[str], str]) -> None:
    proc, url = central
    assert url.startswith("http://127.0.0.1:")
    assert _json(f"{url}/api/health")["status"] == "ok"
    token = _json(f"{url}/api/login", {"username": "operator", "password": DEMO_PASSWORD})["token"]
    page = _json(f"{url}/api/changes?since=0&limit=5000", token=token)
    cameras = [c["payload"] for c in page["changes"] if c["entity"] == "camera"]
    assert cameras and all(c["sub_url"] == f"http://127.0.0.1:9999/live/{c['id']}/sub.ts"
                           for c in cameras)
    # A connected WebSocket does not hold the shutdown up.
    parts = urlsplit(url)
    ws = socket.create_connection((parts.hostname, parts.port))
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    ws.sendall(f"GET /api/ws?token={token} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\n\r\n".encode())
    assert b"101" in ws.recv(200)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(15) == 0
    assert time.monotonic() - started < 4.0
    ws.close()
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")


def test_restart_keeps_the_registry(tmp_path: Path) -> None:
    args = ["--port", "0", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--media-dir",
            str(tmp_path / "m"), "--demo-registry", "--businesses", "12"]
    proc, url = _start(args, tmp_path)
    head = _json(f"{url}/api/health")["head_seq"]
    feed_id = _json(f"{url}/api/health")["feed_id"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(15) == 0
    proc, url = _start([*args[:-1], "99"], tmp_path)  # a second --demo-registry adds nothing
    try:
        again = _json(f"{url}/api/health")
        assert (again["head_seq"], again["feed_id"]) == (head, feed_id)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0


def test_usage_errors_are_explained(tmp_path: Path) -> None:
    helped = subprocess.run([*CLI, "--help"], capture_output=True, text=True, timeout=30)
    assert helped.returncode == 0
    for option in ("--port", "--db", "--demo-registry", "--workers", "--stream-base"):
        assert option in helped.stdout
    workers = subprocess.run([*CLI, "--workers", "2", "--db", f"sqlite:///{tmp_path / 'x.db'}"],
                             capture_output=True, text=True, timeout=30)
    assert workers.returncode == 2 and "needs PostgreSQL" in workers.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([*CLI, "--port", str(port), "--db",
                               f"sqlite:///{tmp_path / 'y.db'}"],
                              capture_output=True, text=True, timeout=60)
    assert busy.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    bad_db = subprocess.run([*CLI, "--db", "nonsense"], capture_output=True, text=True,
                            timeout=30)
    assert bad_db.returncode == 2 and "is not a database URL" in bad_db.stderr


def test_workers_get_the_options_minus_what_only_the_supervisor_does() -> None:
    from central.__main__ import _worker_argv

    argv = ["--host", "0.0.0.0", "--port", "0", "--db", "postgresql+psycopg://kw@db/kw",
            "--workers=4", "--demo-registry", "--businesses", "500", "--seed=3",
            "--stream-base", "http://media", "--demo-history", "14", "--log-level", "DEBUG"]
    assert _worker_argv(argv) == ["--host", "0.0.0.0", "--db", "postgresql+psycopg://kw@db/kw",
                                  "--log-level", "DEBUG"]
