"""The installable bundle: the spec describes what the console needs, the entry point also runs
decode workers (a frozen program has no ``python -m``), the runtime hook finds the system
libVLC, the desktop entry and icon are valid, and ``kitchenwatch --smoke`` works from source.

Building the real bundle takes a minute or more of both cores, so that test runs only when
asked: ``KW_BUNDLE_TEST=1 .venv/bin/pytest tests/installer`` (it runs ``make dist`` and then
``installer/smoke.sh`` on the result).
"""

from __future__ import annotations

import configparser
import json
import os
import pkgutil
import runpy
import subprocess
import sys
import types
from pathlib import Path

import pytest

from videowall import wire

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
PY = sys.executable

pytestmark = pytest.mark.timeout(120)


# -- the spec -----------------------------------------------------------------------------------

class Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT and records their arguments."""

    calls: dict[str, tuple[tuple, dict]] = {}

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, *args, **kwargs):
        Recorder.calls[self.kind] = (args, kwargs)
        obj = types.SimpleNamespace(args=args, kwargs=kwargs, pure=[], scripts=[], datas=[])
        if self.kind == "Analysis":
            obj.binaries = [("libQt6Core.so.6", "/x", "BINARY"),
                            ("PySide6/Qt/lib/libQt6Quick.so.6", "/x", "BINARY"),
                            ("PySide6/Qt/plugins/platforminputcontexts/"
                             "libqtvirtualkeyboardplugin.so", "/x", "BINARY")]
        return obj


def _stub_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyInstaller's collect_* helpers, without PyInstaller (the dev extra does not have it)."""

    def collect_submodules(package: str, filter=lambda name: True):
        def walk(name: str, paths: list[str]) -> list[str]:
            found = [name]
            for info in pkgutil.iter_modules(paths):  # names only: imports nothing
                child = f"{name}.{info.name}"
                if not filter(child):
                    continue
                if info.ispkg:
                    found += walk(child, [os.path.join(info.module_finder.path, info.name)])
                else:
                    found.append(child)
            return found

        module = __import__(package)
        return walk(package, list(module.__path__)) if filter(package) else []

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = collect_submodules
    hooks.collect_data_files = lambda *a, **k: []
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)


def test_spec_bundles_the_console_and_its_data(monkeypatch, tmp_path) -> None:
    _stub_hooks(monkeypatch)
    monkeypatch.setenv("KW_STAGE", str(tmp_path))
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "kitchenwatch_zh_CN.qm").write_bytes(b"qm")
    Recorder.calls = {}
    namespace = {"SPECPATH": str(INSTALLER), "__file__": str(INSTALLER / "kitchenwatch.spec")}
    namespace.update({kind: Recorder(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT")})
    spec = (INSTALLER / "kitchenwatch.spec").read_text(encoding="utf-8")
    exec(compile(spec, str(INSTALLER / "kitchenwatch.spec"), "exec"), namespace)

    (scripts,), analysis = Recorder.calls["Analysis"]
    assert [Path(s) for s in scripts] == [INSTALLER / "kitchenwatch_entry.py"]
    assert all(Path(hook).exists() for hook in analysis["runtime_hooks"])
    hidden = set(analysis["hiddenimports"])
    assert {"videowall.worker", "videowall.player_ffmpeg", "videowall.player_vlc",
            "console.settings.model", "console.diagnostics.smoke", "db.engine",
            "resources.i18n", "domain.tasks"} <= hidden
    assert not any(h.startswith("demo") for h in hidden) and not any(h.startswith("alembic.testing")
                                                    for h in hidden)
    assert {"central", "simulator", "tests"} <= set(analysis["excludes"])
    datas = {(Path(src), dest) for src, dest in analysis["datas"]}
    assert (ROOT / "db" / "migrations", "db/migrations") in datas
    for ts in (ROOT / "resources" / "i18n").glob("*.ts"):
        assert (ts, "resources/i18n") in datas
    if (ROOT / "resources" / "i18n" / "kitchenwatch_zh_CN.ts").exists():
        assert (tmp_path / "i18n" / "kitchenwatch_zh_CN.qm", "resources/i18n") in datas
    kept = [Path(b[0]).name for b in namespace["a"].binaries]
    assert kept == ["libQt6Core.so.6"]  # the unused Qt Quick / virtual keyboard are dropped
    assert Recorder.calls["EXE"][1]["name"] == "kitchenwatch"
    assert Recorder.calls["COLLECT"][1]["name"] == "kitchenwatch"


def test_build_script_and_makefile_agree() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "installer/build_dist.sh" in makefile
    script = (INSTALLER / "build_dist.sh").read_text()
    assert "installer/kitchenwatch.spec" in script and "pyside6-lrelease" in script
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert any(r.startswith("pyinstaller") for r in extras["bundle"])
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any(r.lower().startswith("pyinstaller") for r in runtime)
    result = subprocess.run(["bash", "-n", str(INSTALLER / "build_dist.sh")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run(["bash", "-n", str(INSTALLER / "smoke.sh")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- entry point, runtime hook, desktop entry ---------------------------------------------------

def test_the_bundle_entry_also_runs_the_decode_worker() -> None:
    """The wall starts ``sys.executable -m videowall.worker``; frozen, that is this entry."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([PY, str(INSTALLER / "kitchenwatch_entry.py"), "-m",
                           "videowall.worker"], input=b"", capture_output=True, env=env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    hello = wire.decode(proc.stdout.splitlines()[0])
    assert hello["ev"] == "hello" and "ffmpeg" in hello["backends"]


def test_runtime_hook_points_python_vlc_at_the_system_libvlc(monkeypatch) -> None:
    monkeypatch.delenv("PYTHON_VLC_LIB_PATH", raising=False)
    monkeypatch.delenv("VLC_PLUGIN_PATH", raising=False)
    runpy.run_path(str(INSTALLER / "rthook_libvlc.py"))
    found = os.environ.get("PYTHON_VLC_LIB_PATH")
    system = [p for p in ("/usr/lib/x86_64-linux-gnu/libvlc.so.5", "/usr/lib/libvlc.so.5")
              if Path(p).exists()]
    if not system:
        pytest.skip("no system libVLC on this machine")
    assert found == system[0]
    assert Path(os.environ["VLC_PLUGIN_PATH"], "access").is_dir()
    monkeypatch.setenv("PYTHON_VLC_LIB_PATH", "/opt/vlc/libvlc.so.5")  # the user's choice wins
    runpy.run_path(str(INSTALLER / "rthook_libvlc.py"))
    assert os.environ["PYTHON_VLC_LIB_PATH"] == "/opt/vlc/libvlc.so.5"


def test_desktop_entry_and_icon(tmp_path: Path, qapp) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(INSTALLER / "kitchenwatch.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "kitchenwatch"
    assert desktop["Icon"] == "kitchenwatch" and desktop["Name[zh_CN]"]
    assert desktop["Categories"].endswith(";")
    render = runpy.run_path(str(INSTALLER / "render_icon.py"))["render"]
    written = render(tmp_path)
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "kitchenwatch.png"))
    assert (image.width(), image.height()) == (256, 256)
    assert image.pixelColor(128, 128).alpha() == 255 and image.pixelColor(0, 0).alpha() == 0
    assert len(written) == 8  # six sizes, the 256 px copy and the .ico


# -- the program from source ----------------------------------------------------------------------

def test_version_and_smoke_from_source(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    version = subprocess.run([PY, "-m", "console", "--version"], capture_output=True,
                             text=True, env=env, timeout=60, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("kitchenwatch ")
    smoke = subprocess.run([PY, "-m", "console", "--smoke"], capture_output=True, text=True,
                           env=env, timeout=100, cwd=tmp_path)
    assert smoke.returncode == 0, smoke.stdout[-2000:] + smoke.stderr[-3000:]
    report = json.loads(smoke.stdout)
    assert report["ok"] and report["cameras"] == 0 and report["qpa"] == "offscreen"
    assert report["common_passwords"] > 10000  # the login's password policy has its lists
    assert report["ledger_template_bytes"] > 1000  # and the ledger template can be written
    assert report["map_districts"] == 9  # and the map has the demo city's districts
    assert report["wall"]["workers"] >= 1
    assert {report["wall"]["backend"], report["wall"]["also_plays_on"]} == {"vlc", "ffmpeg"}
    assert set(report["steps_s"]) >= {"window", "empty_store_reload", "wall_plays_clip",
                                      "other_decoder_plays_clip", "shutdown"}
    assert not list(tmp_path.iterdir())  # it leaves nothing behind


# -- the real bundle (minutes): KW_BUNDLE_TEST=1 ------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(1500)
@pytest.mark.skipif(os.environ.get("KW_BUNDLE_TEST") != "1",
                    reason="builds the PyInstaller bundle (minutes); set KW_BUNDLE_TEST=1")
def test_built_bundle_passes_the_smoke_test() -> None:
    build = subprocess.run(["make", "dist"], cwd=ROOT, capture_output=True, text=True,
                           timeout=1400)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "ready:" in build.stdout
    smoke = subprocess.run(["bash", str(INSTALLER / "smoke.sh"), str(ROOT / "dist" /
                                                                      "kitchenwatch")],
                           cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert smoke.returncode == 0, smoke.stdout[-3000:] + smoke.stderr[-3000:]
    assert "smoke: OK" in smoke.stdout
    bundle = ROOT / "dist" / "kitchenwatch"
    assert (bundle / "share" / "kitchenwatch.desktop").exists()
    assert (bundle / "share" / "icons" / "kitchenwatch-256.png").exists()


# -- the installed package ------------------------------------------------------------------------

def test_every_data_file_of_the_packages_is_installed_with_them() -> None:
    """A wheel (and ``pip install .``) carries only the data files ``package-data`` names: a
    word list left out there would leave the login's password policy without its lists."""
    import fnmatch
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    patterns = setuptools["package-data"]["*"]
    packages = {pattern.rstrip("*") for pattern in setuptools["packages"]["find"]["include"]}
    tracked = subprocess.run(["git", "ls-files", *sorted(packages)], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    missing = [path for path in tracked
               if not path.endswith(".py") and Path(path).name != "README.md"
               and (ROOT / path).parent.joinpath("__init__.py").exists()
               and not any(fnmatch.fnmatch(Path(path).name, p) for p in patterns)]
    assert not missing, f"add their patterns to [tool.setuptools.package-data]: {missing}"
