"""Hermetic test set-up: offscreen Qt, a private data/config home, no user settings touched."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Demo clips are encoded once per checkout (about a minute) and shared by every test.
os.environ.setdefault("KITCHENWATCH_MEDIA_DIR",
                      os.path.join(os.path.dirname(os.path.dirname(__file__)), ".cache", "media"))

import pytest


@pytest.fixture(autouse=True)
def _private_homes(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own XDG dirs, so nothing reads or writes the real user's files."""
    base = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = base / var.lower()
        path.mkdir()
        monkeypatch.setenv(var, str(path))
    yield



@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():
    """Collect each test's reference cycles here, on the Qt thread, when it ends.

    Left to the automatic collector, a finished test's windows and QObjects are freed whenever
    it next runs, possibly on a store, sync or decode-pool thread; a QObject with a running
    QTimer destroyed there leaves the timer registered with the main thread's dispatcher, and
    Qt later fires it into freed memory (a segfault in ``QTimerInfoList::activateTimers`` seen
    under gdb during the end-to-end test). The console itself collects on its Qt thread only
    (``console.app``); the suite keeps automatic collection and adds this one."""
    yield
    gc.collect()
