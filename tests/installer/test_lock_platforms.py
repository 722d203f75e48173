"""Every PC kind the console is installed on gets a wheel of every locked package, with its hash
in the lock: the Windows build PC installs offline-checked (``--require-hashes``) and cannot build
PySide6, av or pydantic-core from an sdist. The README's glibc statements for UOS / Kylin follow
from the same data."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
platforms = runpy.run_path(str(ROOT / "installer" / "lock_platforms.py"))
LOCK_TEXT = (ROOT / "installer" / "requirements" / "lock.txt").read_text(encoding="utf-8")
#: What the bundle cannot do without (the console's compiled dependencies and PyInstaller's).
BUNDLE_NEEDS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6", "av", "numpy",
                "pydantic-core", "argon2-cffi-bindings", "cffi", "psutil", "sqlalchemy",
                "aiohttp", "multidict", "yarl", "frozenlist", "propcache", "python-vlc",
                "pyinstaller", "pefile", "pywin32-ctypes", "tzdata", "keyring"}


def verdicts(lock_text: str = LOCK_TEXT) -> dict[str, object]:
    return {v.target: v for v in platforms["check"](lock_text)}


def test_windows_gets_a_hashed_wheel_of_every_locked_package() -> None:
    windows = verdicts()["win_amd64"]
    assert windows.problems == []
    assert set(windows.chosen) >= BUNDLE_NEEDS
    assert windows.chosen["pyside6"].endswith("-win_amd64.whl")
    assert windows.chosen["pydantic-core"].endswith("-cp311-cp311-win_amd64.whl")
    # Linux-only packages are not asked for on Windows, Windows-only ones are.
    assert "jeepney" not in windows.chosen and "pefile" in windows.chosen


def test_a_lock_without_the_windows_wheel_hash_fails() -> None:
    """A doctored lock: pydantic-core's win_amd64 hash removed, as if only an sdist and Linux
    wheels had been locked."""
    files = platforms["parse_platforms"](
        (ROOT / "installer" / "requirements" / "platforms.txt").read_text(encoding="utf-8"))
    win = [sha for (name, _v), entries in files.items() if name == "pydantic-core"
           for filename, sha in entries if filename.endswith("cp311-cp311-win_amd64.whl")]
    assert len(win) == 1
    doctored = "\n".join(line for line in LOCK_TEXT.splitlines() if win[0] not in line)
    assert doctored != LOCK_TEXT
    result = verdicts(doctored)
    assert any(p.startswith("pydantic-core==") and "win_amd64" in p and "--require-hashes" in p
               for p in result["win_amd64"].problems), result["win_amd64"].problems
    assert result["linux_x86_64"].problems == []  # only Windows lost its wheel


def test_a_package_with_only_an_sdist_fails() -> None:
    sdist_only = LOCK_TEXT + ("\nkw-sdist-only==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    for verdict in verdicts(sdist_only).values():
        assert any("kw-sdist-only==1.0 has no Python 3.11 wheel" in p for p in verdict.problems)


def test_platforms_file_matches_the_lock() -> None:
    """A lock updated without `make lock` (which rewrites platforms.txt) is caught: every pin
    that applies to Python 3.11 is listed with the lock's version."""
    files = platforms["parse_platforms"](
        (ROOT / "installer" / "requirements" / "platforms.txt").read_text(encoding="utf-8"))
    pins = platforms["parse_lock"](LOCK_TEXT)
    py311 = {"python_full_version": "3.11.9", "python_version": "3.11"}
    for pin in pins:
        if pin.marker is not None and "python_full_version" in str(pin.marker) and \
                "sys_platform" not in str(pin.marker) and not pin.marker.evaluate(py311):
            continue
        assert (pin.name, pin.version) in files, f"{pin.name}=={pin.version}: run `make lock`"
        assert any(sha in pin.hashes for _f, sha in files[(pin.name, pin.version)])


def test_linux_glibc_needs_are_what_the_readme_says() -> None:
    """PySide6's Linux wheels set the oldest distribution the console installs on; the UOS /
    Kylin section of README.md quotes these numbers."""
    result = verdicts()
    x86, arm = result["linux_x86_64"].glibc, result["linux_aarch64"].glibc
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### UOS / Kylin"):]
    section = section[:section.index("\n## ")]
    assert re.search(rf"x86_64[^\n]*glibc {x86[0]}\.{x86[1]}", section), x86
    assert re.search(rf"(ARM64|aarch64)[^\n]*glibc {arm[0]}\.{arm[1]}", section), arm
