"""The engine is not Linux-only: every module of ours imports where POSIX-private modules do
not exist, and the platform-specific parts each sit behind one seam with its Windows rules."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from videowall import shm, swscale

ROOT = Path(__file__).resolve().parents[2]

# Third-party packages are imported before the platform is faked: only our own modules' import
# time code must cope with Windows (python-vlc itself looks for libvlc.dll, as it would there).
PROBE = textwrap.dedent("""
    import importlib, pkgutil, sys
    import asyncio, ctypes, ctypes.util, multiprocessing.shared_memory, subprocess, sqlite3
    import av, numpy, psutil, sqlalchemy, aiohttp, platformdirs
    import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets, pyqtgraph, qasync, vlc
    for blocked in ("_posixshmem", "fcntl", "termios", "resource", "pwd", "grp", "posix_ipc"):
        sys.modules[blocked] = None  # "import X" now fails, as on Windows
    sys.platform = "win32"
    failed = []
    for package in ("common", "db", "videowall", "widgets", "console"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            if ".migrations" in info.name:
                continue
            try:
                importlib.import_module(info.name)
            except Exception as exc:
                failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
    print("\\n".join(failed) or "ALL IMPORTED")
""")


def test_every_console_and_engine_module_imports_without_posix_only_modules() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          cwd=ROOT, timeout=240,
                          env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
                               "PATH": "/usr/bin:/bin", "HOME": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "ALL IMPORTED", done.stdout


def test_shared_memory_rules_per_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows: a mapping lives while a handle is open; there is nothing to unlink or sweep.
    monkeypatch.setattr(shm, "PERSISTENT_NAMES", False)
    monkeypatch.setitem(sys.modules, "_posixshmem", None)
    shm.unlink("kwvw-1-1")  # must not touch _posixshmem
    monkeypatch.setattr(sys, "platform", "win32")
    assert shm.leftovers_directory() is None


def test_the_scaler_finds_ffmpeg_as_each_platforms_wheel_names_it(tmp_path: Path) -> None:
    package = tmp_path / "site" / "av"
    libs = tmp_path / "site" / "av.libs"
    package.mkdir(parents=True)
    (package / ".dylibs").mkdir()
    libs.mkdir()
    for name in ("libswscale-3f2a1c9d.so.8.3.100", "swscale-8-4b1e2f3a.dll"):
        (libs / name).touch()
    (package / ".dylibs" / "libswscale.8.dylib").touch()
    found = {platform: [p.name for p in swscale.bundled_candidates("swscale", platform, package)]
             for platform in ("linux", "win32", "darwin")}
    assert found == {"linux": ["libswscale-3f2a1c9d.so.8.3.100"],
                     "win32": ["swscale-8-4b1e2f3a.dll"],
                     "darwin": ["libswscale.8.dylib"]}
