"""``kitchenwatch probe`` on an address whose password holds ``@``, ``:`` and ``%40`` and whose
query holds a token: nothing of either in what it prints (stdout, stderr, the JSON line), while
the host, port and path the installer needs to check stay readable."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from videowall.diagnose import ffmpeg_reason

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "P@ss%40w:rd"
SECRETS = ("P@ss", "ss%40", "%40w", "40w:", "w:rd", "tok-5d4c3b")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _console_probe(url: str, seconds: str) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "console", "probe", url, "--seconds", seconds],
                          capture_output=True, text=True, timeout=90, cwd=ROOT)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1]), \
        done.stdout + done.stderr


def test_a_refused_probe_prints_no_credentials() -> None:
    port = _closed_port()
    code, result, out = _console_probe(
        f"http://admin:{PASSWORD}@127.0.0.1:{port}/live/1.ts?token=tok-5d4c3b&ch=2", "2")
    assert code == 1 and result["state"] == "offline", out
    assert result["url"] == f"http://***@127.0.0.1:{port}/live/1.ts?token=***&ch=2"
    assert f"opening http://***@127.0.0.1:{port}/live/1.ts?token=***&ch=2" in out
    assert [s for s in SECRETS if s in out] == [], out


def test_a_playing_rtsp_probe_prints_no_credentials(rtsp_url: str) -> None:
    url = rtsp_url.replace("rtsp://", f"rtsp://operator:{PASSWORD}@")
    code, result, out = _console_probe(url, "4")
    assert code == 0 and result["state"] == "playing", out
    assert result["url"] == rtsp_url.replace("rtsp://", "rtsp://***@")
    assert [s for s in SECRETS if s in out] == [], out


def test_a_decoder_message_quoting_the_address_differently_is_masked() -> None:
    """FFmpeg may print the address re-encoded; replacing the exact string is not enough."""
    url = f"rtsp://admin:{PASSWORD.replace('%40', '@')}@192.0.2.7:554/ch1"
    exc = RuntimeError(f"weird failure opening rtsp://admin:{PASSWORD}@192.0.2.7:554/ch1")
    reason = ffmpeg_reason(exc, url).reason
    assert "rtsp://***@192.0.2.7:554/ch1" in reason
    assert [s for s in SECRETS if s in reason] == [], reason
