"""Hermetic test set-up: offscreen Qt, a private data/config home, no user settings touched."""

from __future__ import annotations

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
