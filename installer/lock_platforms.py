"""Which wheel of each locked package a Windows, Linux x86_64 or Linux ARM64 PC installs.

``lock.txt`` pins versions and lists the sha256 of every file of each version, but not the file
names, so it cannot say whether a Windows build PC gets a wheel or has to build from an sdist
(which an offline ``pip install --require-hashes`` of PySide6, av or pydantic-core cannot).
``make lock`` (installer/lock.sh) therefore also writes ``platforms.txt``: the Python 3.11 wheels
of the locked versions for win_amd64, manylinux x86_64 and manylinux aarch64 with their hashes,
from uv's PEP 751 output. ``check`` then asks, per platform, whether every package the platform
installs has a wheel whose hash is in the lock, and which glibc the Linux wheels need::

    python installer/lock_platforms.py write pylock.toml > installer/requirements/platforms.txt
    python installer/lock_platforms.py check      # exit 1 and the reasons when a platform fails

The second lock, ``lock-glibc2.28.txt`` (PySide6 6.9, resolved by uv for
``x86_64-manylinux_2_28``), is for the PCs whose glibc is older than the main lock's PySide6
needs: UOS 20 (Debian 10, glibc 2.28) and Kylin V10 (2.28-2.31). Its ``platforms-glibc2.28.txt``
is checked against one target that accepts no manylinux wheel newer than glibc 2.28, so a
package whose locked version has only newer wheels fails ``check`` by name.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

HERE = Path(__file__).resolve().parent
LOCK = HERE / "requirements" / "lock.txt"
PLATFORMS = HERE / "requirements" / "platforms.txt"
COMPAT_LOCK = HERE / "requirements" / "lock-glibc2.28.txt"
COMPAT_PLATFORMS = HERE / "requirements" / "platforms-glibc2.28.txt"
PYTHON = (3, 11)
#: The platform tags that are written down and checked: the Windows build PC, the Linux PCs.
KEPT = re.compile(r"(win_amd64|manylinux\w*_x86_64|manylinux\w*_aarch64|any)$")
#: The compat lock lists every Linux x86_64 wheel of each version, whatever glibc it needs, so
#: that ``check`` (not uv's choice) decides whether one of them fits glibc 2.28.
KEPT_COMPAT = re.compile(r"(manylinux\w*_x86_64|any)$")


@dataclass(frozen=True)
class Target:
    """A PC kind: its marker environment and the wheel platform tags it accepts."""

    name: str
    environment: dict[str, str]
    platforms: tuple[str, ...]
    #: The newest glibc this PC kind has, when the target stands for old PCs (else None).
    max_glibc: tuple[int, int] | None = None


def _manylinux(arch: str, glibc_minor: int) -> tuple[str, ...]:
    tags = [f"manylinux_2_{m}_{arch}" for m in range(glibc_minor, 16, -1)]
    return (*tags, f"manylinux2014_{arch}")


def _env(sys_platform: str, system: str, os_name: str, machine: str) -> dict[str, str]:
    return {"sys_platform": sys_platform, "platform_system": system, "os_name": os_name,
            "platform_machine": machine, "python_version": "3.11",
            "python_full_version": "3.11.9", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "platform_release": "",
            "platform_version": "", "implementation_version": "3.11.9", "extra": ""}


#: Windows 10/11 x64 (the build PC of installer/windows/build.py). The Linux targets accept any
#: glibc up to 2.99: which glibc the chosen wheels need is reported, not assumed.
TARGETS = (
    Target("win_amd64", _env("win32", "Windows", "nt", "AMD64"), ("win_amd64",)),
    Target("linux_x86_64", _env("linux", "Linux", "posix", "x86_64"), _manylinux("x86_64", 99)),
    Target("linux_aarch64", _env("linux", "Linux", "posix", "aarch64"),
           _manylinux("aarch64", 99)),
)
#: The compat lock's one PC kind: Linux x86_64 with glibc 2.28 (UOS 20 / Debian 10, Kylin V10).
COMPAT_TARGETS = (
    Target("linux_x86_64_glibc2.28", _env("linux", "Linux", "posix", "x86_64"),
           _manylinux("x86_64", 28), max_glibc=(2, 28)),
)


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: Marker | None
    hashes: frozenset[str]


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def parse_lock(text: str) -> list[Pin]:
    """The pins of a ``uv pip compile --generate-hashes`` file: name, version, marker, hashes."""
    pins: list[Pin] = []
    current: list = []
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            if current:
                pins.append(Pin(current[0], current[1], current[2], frozenset(current[3])))
            name, version, marker = match.groups()
            current = [canonicalize_name(name), version, Marker(marker) if marker else None, []]
        elif current and "--hash=sha256:" in line:
            current[3].append(line.split("--hash=sha256:")[1].split()[0].rstrip("\\"))
    if current:
        pins.append(Pin(current[0], current[1], current[2], frozenset(current[3])))
    return pins


def write(pylock: Path, compat: bool = False) -> str:
    """platforms.txt from uv's pylock.toml: ``name==version wheel-file sha256`` per line."""
    data = tomllib.loads(pylock.read_text(encoding="utf-8"))
    kinds = "Linux x86_64 PCs with glibc 2.28 (lock-glibc2.28.txt)" if compat \
        else "Windows x64 and Linux x86_64 / aarch64"
    lines = ["# Generated by `make lock` (installer/lock_platforms.py): the Python 3.11 wheels of",
             f"# the locked versions for {kinds}, with their hashes.",
             "# Checked by tests/installer/test_lock_platforms.py; do not edit by hand."]
    kept = KEPT_COMPAT if compat else KEPT
    for package in data["packages"]:
        name, version = canonicalize_name(package["name"]), package["version"]
        for wheel in package.get("wheels", []):
            filename = wheel["url"].rsplit("/", 1)[-1]
            tags = parse_wheel_filename(filename)[3]
            if any(_py311(t) and kept.search(t.platform) for t in tags):
                lines.append(f"{name}=={version} {filename} {wheel['hashes']['sha256']}")
    return "\n".join(lines) + "\n"


_PY311 = {t.interpreter for t in (*cpython_tags(PYTHON, platforms=["any"]),
                                   *compatible_tags(PYTHON, "cp311", platforms=["any"]))}


def _py311(tag: Tag) -> bool:
    return tag.interpreter in _PY311


def _glibc(filename: str) -> tuple[int, int] | None:
    """The oldest glibc a manylinux wheel runs on; None for a pure-Python or Windows wheel."""
    needs = [(int(a), int(b)) for a, b in re.findall(r"manylinux_(\d+)_(\d+)_", filename)]
    if "manylinux2014" in filename:
        needs.append((2, 17))
    return min(needs) if needs else None


def parse_platforms(text: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    files: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pin, filename, sha = line.split()
            name, version = pin.split("==")
            files.setdefault((name, version), []).append((filename, sha))
    return files


@dataclass(frozen=True)
class Verdict:
    target: str
    problems: list[str]
    #: The wheel each package installs, and the highest glibc any of them needs (Linux).
    chosen: dict[str, str]
    glibc: tuple[int, int] | None


def check_target(target: Target, pins: list[Pin],
                 files: dict[tuple[str, str], list[tuple[str, str]]]) -> Verdict:
    tags = [*cpython_tags(PYTHON, platforms=list(target.platforms)),
            *compatible_tags(PYTHON, "cp311", platforms=list(target.platforms))]
    rank = {tag: i for i, tag in enumerate(tags)}
    problems, chosen = [], {}
    glibc: tuple[int, int] | None = None
    for pin in pins:
        if pin.marker is not None and not pin.marker.evaluate(target.environment):
            continue
        candidates = []
        for filename, sha in files.get((pin.name, pin.version), []):
            best = min((rank[t] for t in parse_wheel_filename(filename)[3] if t in rank),
                       default=None)
            if best is not None:
                candidates.append((best, filename, sha))
        if not candidates:
            if target.max_glibc and files.get((pin.name, pin.version)):
                newest = f"{target.max_glibc[0]}.{target.max_glibc[1]}"
                problems.append(f"{pin.name}=={pin.version} has no Python 3.11 wheel for "
                                f"{target.name}: its Linux wheels need a glibc newer than "
                                f"{newest}; pin an older release in installer/lock.sh")
            else:
                problems.append(f"{pin.name}=={pin.version} has no Python 3.11 wheel for "
                                f"{target.name}: pip would have to build it from source")
            continue
        hashed = [c for c in candidates if c[2] in pin.hashes]
        if not hashed:
            problems.append(f"{pin.name}=={pin.version}: the {target.name} wheel "
                            f"{candidates[0][1]} is not among the lock's hashes, so "
                            "pip install --require-hashes refuses it")
            continue
        chosen[pin.name] = min(hashed)[1]
        # The oldest glibc one of its wheels accepts; the platform needs the highest of those.
        needs = [_glibc(c[1]) for c in hashed]
        if needs and all(needs):
            low = min(n for n in needs if n)
            glibc = max(glibc, low) if glibc else low
    return Verdict(target.name, problems, chosen, glibc)


def check(lock_text: str | None = None, platforms_text: str | None = None,
          compat: bool = False) -> list[Verdict]:
    """The verdicts for the main lock, or (``compat``) for lock-glibc2.28.txt's one target."""
    lock, plats, targets = (COMPAT_LOCK, COMPAT_PLATFORMS, COMPAT_TARGETS) if compat \
        else (LOCK, PLATFORMS, TARGETS)
    pins = parse_lock(lock.read_text(encoding="utf-8") if lock_text is None else lock_text)
    files = parse_platforms(plats.read_text(encoding="utf-8")
                            if platforms_text is None else platforms_text)
    return [check_target(target, pins, files) for target in targets]


def main(argv: list[str]) -> int:
    if argv[:1] == ["write"] and len(argv) in (2, 3) and argv[2:] in ([], ["--compat"]):
        sys.stdout.write(write(Path(argv[1]), compat=argv[2:] == ["--compat"]))
        return 0
    if argv == ["check"]:
        failed = False
        for lock, verdict in [*(("lock.txt", v) for v in check()),
                              *(("lock-glibc2.28.txt", v) for v in check(compat=True))]:
            glibc = f", needs glibc >= {verdict.glibc[0]}.{verdict.glibc[1]}" \
                if verdict.glibc else ""
            print(f"{lock} {verdict.target}: {len(verdict.chosen)} wheels{glibc}")
            for problem in verdict.problems:
                print(f"  {problem}")
                failed = True
        return 1 if failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
