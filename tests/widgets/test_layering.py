"""widgets.models is Qt-free; widgets never import the sync/server side."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import widgets

ROOT = Path(widgets.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_models_import_no_qt() -> None:
    offenders = {
        p.name: sorted(n for n in _imports(p) if n.split(".")[0] in {"PySide6", "pyqtgraph"})
        for p in (ROOT / "models").glob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_models_load_without_qt_at_runtime() -> None:
    mods = [f"widgets.models.{p.stem}" for p in (ROOT / "models").glob("*.py")]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in mods)
            + "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]\n"
            + "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT.parent, timeout=60)


def test_widgets_know_nothing_of_sync_or_server() -> None:
    for path in ROOT.rglob("*.py"):
        roots = {n.split(".")[0] for n in _imports(path)}
        assert not roots & {"console", "central", "simulator", "videowall", "aiohttp"}, path
