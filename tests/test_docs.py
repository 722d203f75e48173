"""docs/architecture.md stays in step with the code where the code can say what is true: the
console's packages (a newcomer finds a feature's room from that map) and the console modules
the layering test keeps free of Qt."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_layering import QT_FREE_CONSOLE

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _section(text: str, title: str) -> str:
    """The body of the ``## title`` section (up to the next ``## ``)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/architecture.md has no section '## {title}'"
    return match.group(1)


def console_packages(root: Path = ROOT) -> set[str]:
    return {path.parent.name for path in (root / "console").glob("*/__init__.py")}


def mapped_packages(text: str) -> set[str]:
    """The packages the map describes: its lines start ``- `console/<name>/```."""
    body = _section(text, "Console packages")
    return set(re.findall(r"^- `console/([a-z_]+)/`", body, re.M))


def test_every_console_package_is_in_the_map() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    packages, mapped = console_packages(), mapped_packages(text)
    assert packages, "no console packages found"
    assert not packages - mapped, (
        "console packages missing from '## Console packages' in docs/architecture.md: "
        + ", ".join(sorted(packages - mapped)))
    assert not mapped - packages, (
        "docs/architecture.md maps console packages that do not exist: "
        + ", ".join(sorted(mapped - packages)))


def test_the_qt_free_console_modules_are_named_as_the_layering_test_has_them() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [entry for entry in QT_FREE_CONSOLE
               if f"`{entry.removeprefix('console/')}" not in text
               and f"`{entry}" not in text]
    assert not missing, ("docs/architecture.md does not name these Qt-free console modules "
                         "of tests/test_layering.py: " + ", ".join(missing))


def test_the_map_check_sees_a_package_left_out(tmp_path: Path) -> None:
    for name in ("sync", "maps"):
        (tmp_path / "console" / name).mkdir(parents=True)
        (tmp_path / "console" / name / "__init__.py").write_text("")
    text = "## Console packages\n- `console/sync/` — the client.\n\n## Next\n- `console/maps/`\n"
    assert console_packages(tmp_path) - mapped_packages(text) == {"maps"}
