"""The lock file installs what pyproject.toml asks for: a dependency added without `make lock`
would otherwise be missing from every fresh install (setup.sh installs the lock, then the
project with --no-deps). Both locks: lock.txt and, for glibc 2.28 PCs, lock-glibc2.28.txt."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = [ROOT / "installer" / "requirements" / name
         for name in ("lock.txt", "lock-glibc2.28.txt")]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def _pins(lock: Path) -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for name, version in PIN.findall(lock.read_text(encoding="utf-8")):
        pins.setdefault(canonicalize_name(name), []).append(version)
    return pins


def _required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    names = [*project["dependencies"], *extras["dev"], *extras["postgres"], *extras["bundle"]]
    return [Requirement(text) for text in names]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_dependency_is_pinned_within_its_range_with_hashes(lock: Path) -> None:
    pins = _pins(lock)
    problems = []
    for requirement in _required():
        versions = pins.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name} is not in the lock")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement.name}: locked {versions} outside "
                            f"{requirement.specifier}")
    assert not problems, "run `make lock`: " + "; ".join(problems)
    entries = lock.read_text(encoding="utf-8").split("\n")
    pinned = [i for i, line in enumerate(entries) if PIN.match(line)]
    assert all("--hash=sha256:" in entries[i + 1] for i in pinned)
