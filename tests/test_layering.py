"""Dependencies point one way: the vocabulary, the server and the simulator import no Qt, the
reusable widgets and the video engine know nothing of sync, the database or the server, the
console's client underneath the window runs without Qt, and no module of ours takes part in an
import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

QT = ("PySide6", "shiboken6", "pyqtgraph", "qasync")
PACKAGES = ("common", "domain", "db", "central", "console", "widgets", "videowall", "simulator",
            "recorder", "demo", "bench", "ledger")
_OURS = ("console", "widgets", "videowall", "central", "simulator", "recorder", "db", "domain",
         "demo", "bench", "tests", "ledger")
FORBIDDEN = {
    # Shared building blocks: nothing of ours, no Qt, no SQLAlchemy.
    "common": (*QT, "sqlalchemy", *_OURS),
    # The vocabulary: the standard library and common only (test_domain_imports_only_...).
    "domain": (*QT, "sqlalchemy", *[name for name in _OURS if name != "domain"]),
    # Ledgers in and out: plain rows, no Qt, no database (central and the console persist).
    "ledger": (*QT, "sqlalchemy", *[name for name in _OURS if name != "ledger"
                                   and name not in ("common", "domain")]),
    "db": (*QT, "console", "widgets", "videowall", "central", "simulator", "recorder"),
    "central": (*QT, "console", "widgets", "videowall", "simulator", "recorder"),
    "simulator": (*QT, "console", "widgets", "videowall", "recorder"),
    # The recorder speaks the protocol (with the simulator's client), like a gateway.
    "recorder": (*QT, "sqlalchemy", "console", "widgets", "videowall", "central", "db"),
    "widgets": ("console", "central", "simulator", "db"),
    "videowall": ("console", "central", "widgets"),
    # The console talks to central over the protocol only (the demo launcher drives both).
    "console": ("central", "simulator"),
    "bench": ("tests",),
}

# Modules of the console that run without Qt: the sync client and its store, and the pure
# logic the windows build on. They may use the video engine's plain data (tile sources,
# layouts), nothing that draws.
QT_FREE_CONSOLE = (
    "console/sync",  # client, puller, pusher, live feed, the local store
    "console/channels/hierarchy.py",
    "console/alarms/context.py",
    "console/alarms/effects.py",
    "console/patrol/effects.py",
    "console/media/spool.py",
    "console/diagnostics/native_crash.py",
    "console/diagnostics/capabilities.py",
    "console/shell/roles.py",
    "console/shell/aio.py",
    "console/walls/health_reports.py",
    "console/walls/layouts.py",
    "console/registry/onboarding.py",  # onboarding progress counts and exports
    "console/registry/edits.py",  # a registry edit through the outbox, and its verdict
    "ledger",  # the ledger reader, checker, template and export (console/ledger is the UI)
    "console/ledger/local.py",
    # playback's model: timeline, clock, addresses, export and its ledger
    "console/playback/timeline.py",
    "console/playback/clock.py",
    "console/playback/sources.py",
    "console/playback/export.py",
    "console/playback/ledger.py",
)
QT_FREE_FORBIDDEN = (*QT, "widgets")
QT_FREE_VIDEOWALL = frozenset({"videowall.source", "videowall.layouts"})


def _statements(tree: ast.AST) -> Iterable[ast.stmt]:
    """Every import-bearing statement, skipping ``if TYPE_CHECKING:`` blocks (never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield other
                yield from _statements(other)
            continue
        if isinstance(node, ast.stmt):
            yield node
        yield from _statements(node)


def _is_type_checking(test: ast.expr) -> bool:
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _module_imports(path: Path) -> set[str]:
    """Full dotted names this file imports absolutely (``from a.b import c`` → ``a.b.c`` and
    ``a.b``), inside functions too: a lazy import is still a dependency."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _imports(path: Path) -> set[str]:
    """Top-level package names this file imports."""
    return {name.split(".")[0] for name in _module_imports(path)}


def _files(entries: Iterable[str]) -> list[Path]:
    paths: list[Path] = []
    for entry in entries:
        target = ROOT / entry
        paths += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return paths


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_forbidden_layers(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = _imports(path) & set(FORBIDDEN[package])
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert not offenders, "\n".join(offenders)


def test_domain_imports_only_the_standard_library_and_common() -> None:
    allowed = set(sys.stdlib_module_names) | {"common", "domain", "__future__"}
    offenders = [f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}"
                 for path in _files(["domain"])
                 if (bad := _imports(path) - allowed)]
    assert not offenders, "\n".join(offenders)


def test_qt_free_console_modules_import_no_qt() -> None:
    offenders = []
    for path in _files(QT_FREE_CONSOLE):
        imported = _module_imports(path)
        bad = {name.split(".")[0] for name in imported} & set(QT_FREE_FORBIDDEN)
        bad |= {name for name in imported if name.split(".")[0] == "videowall"
                and not any(name == ok or name.startswith(f"{ok}.") for ok in QT_FREE_VIDEOWALL)}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert not offenders, "\n".join(offenders)


def test_qt_free_console_modules_load_without_qt() -> None:
    """Importing them (with everything they import in turn) loads no Qt: run in a fresh
    interpreter, since this test process has Qt loaded already."""
    modules = [_module_name_at(ROOT, path) for path in _files(QT_FREE_CONSOLE)]
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    importlib.import_module(name)\n"
              f"print(sorted(n for n in {QT!r} if n in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"Qt loaded by the Qt-free console: {done.stdout}"


# ------------------------------------------------------------------------ import cycles


def _import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Our modules → the modules of ours each imports (relative imports resolved; a name
    imported from a package counts as its submodule when there is one)."""
    files = {_module_name_at(root, path): path for package in packages
             for path in sorted((root / package).rglob("*.py"))}

    def ours(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges: set[str] = set()
        for node in _statements(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - (node.level - 1)]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                           for alias in node.names]
            edges.update(found for target in targets if (found := ours(target)))
        edges.discard(module)
        graph[module] = edges
    return graph


def _module_name_at(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) per strongly connected component of
    more than one module (Tarjan, iteratively: no recursion limit on a deep chain)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return [_cycle_through(graph, component) for component in components]


def _cycle_through(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """The shortest way from the component's first module back to itself (breadth first)."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & component):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return sorted(component)  # unreachable for a strongly connected component


def test_no_import_cycles_among_our_modules() -> None:
    """A cycle makes import order matter (a module half-initialised when the other one reads
    it) and ties two modules into one unit; lazy imports inside functions count too."""
    cycles = _cycles(_import_graph(ROOT, PACKAGES))
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_cycle_finder_reports_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from pkg import c\n")
    (pkg / "c.py").write_text("from . import a\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\n"
                              "if TYPE_CHECKING:\n    from pkg import a\n")
    graph = _import_graph(tmp_path, ["pkg"])
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert graph["pkg.d"] == set()  # type-checking imports are no dependency


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport central.app\n"
                   "def later():\n    from db.models import Role\n")
    assert {"PySide6", "central", "db"} <= _imports(bad)
