"""UOS 20 and Kylin V10 (x86_64, glibc 2.28-2.31) get the lock whose wheels run there.

``installer/setup.sh`` asks ``installer/pick_lock.sh`` which lock to install; here it runs
against fake ``getconf`` / ``ldd`` / ``uname`` answering as those systems do. The glibc 2.28
lock itself is checked wheel by wheel (every package has a hashed wheel for glibc <= 2.28), and
a doctored lock that slips PySide6 6.11 in fails by name. ``find_python.sh`` gets uv's CPython
3.11 when the PC only has an old python3 (UOS 20: 3.7)."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQ = ROOT / "installer" / "requirements"
platforms = runpy.run_path(str(ROOT / "installer" / "lock_platforms.py"))
MAIN, COMPAT = "installer/requirements/lock.txt", "installer/requirements/lock-glibc2.28.txt"
BASH = "/bin/bash"


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


def pick(tmp_path: Path, getconf: str | None, ldd: str | None = None,
         machine: str = "x86_64") -> subprocess.CompletedProcess[str]:
    """pick_lock.sh on a PC whose getconf / ldd print these lines (None: the command fails)."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    _script(fake / "getconf", f"echo '{getconf}'" if getconf else "exit 1")
    _script(fake / "ldd", f"echo '{ldd}'; echo 'Copyright (C) 2018'" if ldd else "exit 1")
    _script(fake / "uname", f"echo {machine}")
    env = {k: v for k, v in os.environ.items() if k != "KW_LOCK"}
    env["PATH"] = f"{fake}:{env.get('PATH', '/usr/bin:/bin')}"
    return subprocess.run([BASH, str(ROOT / "installer" / "pick_lock.sh")], env=env,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize(("getconf", "ldd", "machine", "lock"), [
    ("glibc 2.36", None, "x86_64", MAIN),                                     # Debian 12
    ("glibc 2.34", None, "x86_64", MAIN),
    ("glibc 2.33", None, "x86_64", COMPAT),
    ("glibc 2.28", None, "x86_64", COMPAT),                                   # UOS 20
    (None, "ldd (Debian GLIBC 2.28-10+deb10u1) 2.28", "x86_64", COMPAT),      # UOS 20, no getconf
    (None, "ldd (Ubuntu GLIBC 2.31-0kylin9.2k0.1) 2.31", "x86_64", COMPAT),  # Kylin V10 SP1
    ("glibc 2.39", None, "aarch64", MAIN),
])
def test_the_lock_follows_glibc(tmp_path: Path, getconf: str | None, ldd: str | None,
                                machine: str, lock: str) -> None:
    result = pick(tmp_path, getconf, ldd, machine)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == lock
    version = re.search(r"\d+\.\d+$", getconf or ldd or "")
    assert version and f"glibc {version.group()} on {machine}" in result.stderr
    assert lock in result.stderr  # the user is told which lock, and why
    if lock == COMPAT:
        assert "PySide6 6.9" in result.stderr and "older than the 2.34" in result.stderr


@pytest.mark.parametrize(("getconf", "machine", "says"), [
    ("glibc 2.27", "x86_64", "older than 2.28"),
    ("glibc 2.31", "aarch64", "cannot install the console from PyPI's wheels"),
])
def test_a_pc_no_lock_fits_stops_with_the_reason(tmp_path: Path, getconf: str, machine: str,
                                                 says: str) -> None:
    result = pick(tmp_path, getconf, None, machine)
    assert result.returncode == 1 and result.stdout == ""
    assert says in result.stderr


def test_the_thresholds_are_what_the_locks_need() -> None:
    """pick_lock.sh's numbers are the glibc the wheels of each lock really need."""
    text = (ROOT / "installer" / "pick_lock.sh").read_text(encoding="utf-8")
    number = {k: tuple(int(x) for x in v.split(".")) for k, v in
              re.findall(r"^(\w+_GLIBC_\w+)=(\d+\.\d+)$", text, re.M)}
    main = {v.target: v.glibc for v in platforms["check"]()}
    compat = {v.target: v.glibc for v in platforms["check"](compat=True)}
    assert number["MAIN_GLIBC_X86_64"] == main["linux_x86_64"]
    assert number["MAIN_GLIBC_AARCH64"] == main["linux_aarch64"]
    assert number["COMPAT_GLIBC_X86_64"] == compat["linux_x86_64_glibc2.28"] == (2, 28)


def test_every_wheel_of_the_glibc_2_28_lock_runs_on_glibc_2_28() -> None:
    (verdict,) = platforms["check"](compat=True)
    assert verdict.problems == []
    assert verdict.chosen["pyside6"] == "pyside6-6.9.3-cp39-abi3-manylinux_2_28_x86_64.whl"
    for name in ("pyside6-essentials", "pyside6-addons", "shiboken6", "av", "numpy",
                 "pydantic-core", "psutil", "sqlalchemy", "aiohttp", "argon2-cffi-bindings"):
        glibc = platforms["_glibc"](verdict.chosen[name])
        assert glibc is not None and glibc <= (2, 28), verdict.chosen[name]
    # Every package of the lock is installed from a wheel chosen by that check.
    pins = platforms["parse_lock"](REQ.joinpath("lock-glibc2.28.txt").read_text("utf-8"))
    assert {p.name for p in pins} == set(verdict.chosen)


def test_a_glibc_2_28_lock_with_pyside6_6_11_fails() -> None:
    """Doctored: the compat lock and its platforms file carry the main lock's PySide6 6.11.3
    (x86_64 wheel: manylinux_2_34), as if the constraint had been dropped."""
    def block(text: str, name: str) -> str:
        return re.search(rf"^{name}==.*?(?=^\S)", text, re.M | re.S).group()  # type: ignore[union-attr]
    main = REQ.joinpath("lock.txt").read_text("utf-8")
    compat = REQ.joinpath("lock-glibc2.28.txt").read_text("utf-8")
    doctored = compat.replace(block(compat, "pyside6"), block(main, "pyside6"))
    assert "pyside6==6.11.3" in doctored and "pyside6==6.9.3" not in doctored
    plats = REQ.joinpath("platforms-glibc2.28.txt").read_text("utf-8") + "".join(
        line + "\n" for line in REQ.joinpath("platforms.txt").read_text("utf-8").splitlines()
        if line.startswith("pyside6==6.11.3 ") and "x86_64" in line)
    (verdict,) = platforms["check"](doctored, plats, compat=True)
    assert verdict.problems == ["pyside6==6.11.3 has no Python 3.11 wheel for "
                                "linux_x86_64_glibc2.28: its Linux wheels need a glibc newer "
                                "than 2.28; pin an older release in installer/lock.sh"]
    assert "pyside6" not in verdict.chosen


def test_without_python_3_11_uv_provides_it(tmp_path: Path) -> None:
    """A PC with only Python 3.7 (UOS 20): find_python.sh installs uv's CPython 3.11 and
    answers with its path (uv faked: it records its arguments)."""
    fake, log = tmp_path / "bin", tmp_path / "uv.log"
    fake.mkdir()
    _script(fake / "python3", 'echo 3.7')
    managed = tmp_path / "uv-python" / "python3.11"
    managed.parent.mkdir()
    _script(managed, 'echo 3.11')
    _script(fake / "uv", f'echo "$*" >> {log}; [ "$1 $2" = "python find" ] && echo {managed}; '
                         'exit 0')
    env = {"PATH": str(fake), "HOME": str(tmp_path / "home")}
    result = subprocess.run([BASH, str(ROOT / "installer" / "find_python.sh"), "3.11"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(managed)
    assert log.read_text().splitlines() == ["python install 3.11", "python find 3.11"]
    assert "no Python 3.11 on this PC (python3 is 3.7)" in result.stderr
    assert "uv's managed CPython 3.11" in result.stderr


def test_a_python_3_11_on_the_path_is_used_without_uv(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    _script(fake / "python3.11", 'echo 3.11')
    _script(fake / "uv", f'touch {tmp_path}/uv-ran')
    result = subprocess.run([BASH, str(ROOT / "installer" / "find_python.sh"), "3.11"],
                            env={"PATH": str(fake), "HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == str(fake / "python3.11") and not (tmp_path / "uv-ran").exists()
