"""The Qt-free half of the wall stays Qt-free: workers and the probe must not load PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QT_FREE = ["videowall", "videowall.frames", "videowall.wire", "videowall.pool",
           "videowall.streams", "videowall.watchdog", "videowall.layouts", "videowall.tour",
           "videowall.governor", "videowall.adapters", "videowall.diagnose", "videowall.probe",
           "videowall.worker", "videowall.player_ffmpeg", "videowall.player_vlc",
           "videowall.source", "videowall.picture", "videowall.swscale", "videowall.interfaces"]


def test_qt_free_modules_do_not_import_qt() -> None:
    code = ("import sys\n" + "".join(f"import {m}\n" for m in QT_FREE)
            + "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            + "print(bad)\nassert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_public_api_names_resolve() -> None:
    import videowall

    for name in videowall.__all__:
        assert getattr(videowall, name) is not None, name
