"""Dependencies point one way: the domain, the server and the simulator import no Qt, and the
reusable widgets and the video engine know nothing of sync or the server."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_OURS = ("console", "widgets", "videowall", "central", "simulator", "db")
FORBIDDEN = {
    # Shared building blocks: nothing of ours, no Qt, no SQLAlchemy.
    "common": ("PySide6", "shiboken6", "pyqtgraph", "qasync", "sqlalchemy", *_OURS),
    "db": ("PySide6", "shiboken6", "pyqtgraph", "qasync", "console", "widgets", "videowall",
           "central", "simulator"),
    "central": ("PySide6", "shiboken6", "pyqtgraph", "qasync", "console", "widgets",
                "videowall", "simulator"),
    "simulator": ("PySide6", "shiboken6", "pyqtgraph", "qasync", "console", "widgets",
                  "videowall"),
    "widgets": ("console", "central", "simulator"),
    "videowall": ("console", "central", "widgets"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_forbidden_layers(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = _imports(path) & set(FORBIDDEN[package])
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert not offenders, "\n".join(offenders)


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport central.app\n")
    assert {"PySide6", "central"} <= _imports(bad)
