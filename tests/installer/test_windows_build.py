"""The Windows build recipe, exercised on Linux: installer/windows/build.py checks the
prerequisites against real folders and, with ``--dry-run --platform win32``, prints the commands
a Windows build PC runs; every file they, the spec and the Inno Setup script name exists or is
made by an earlier step; the .ico is a real multi-size icon; the runtime hook sets up the
bundled libVLC on Windows."""

from __future__ import annotations

import os
import re
import runpy
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
build = runpy.run_path(str(INSTALLER / "windows" / "build.py"))
BuildError = build["BuildError"]


def fake_dll(path: Path, machine: int = 0x8664) -> Path:
    """A file with the DOS and PE headers a real DLL starts with (machine field included)."""
    head = bytearray(0x100)
    head[:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x80)
    head[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", head, 0x84, machine)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(head))
    return path


def fake_vlc(folder: Path, machine: int = 0x8664) -> Path:
    fake_dll(folder / "libvlc.dll", machine)
    fake_dll(folder / "libvlccore.dll", machine)
    (folder / "plugins" / "access").mkdir(parents=True)
    (folder / "plugins" / "plugins.dat").write_bytes(b"cache")
    return folder


def no_registry() -> tuple[None, None]:
    return None, None


def dry_run(*args: str, registry=no_registry, which=lambda name: None) -> tuple[int, list[str]]:
    said: list[str] = []
    code = build["main"](["--dry-run", "--platform", "win32", *args], registry=registry,
                         which=which, say=said.append)
    return code, said


def test_dry_run_prints_the_windows_build_in_order(tmp_path: Path) -> None:
    vlc = fake_vlc(tmp_path / "VLC")
    iscc = tmp_path / "Inno Setup 6" / "ISCC.exe"
    iscc.parent.mkdir()
    iscc.write_bytes(b"")
    code, said = dry_run("--vlc-dir", str(vlc), which=lambda name: str(iscc))
    assert code == 0, said
    assert any(line.startswith("VLC ") and str(vlc) in line for line in said)
    commands = [line for line in said if ".venv" in line or "ISCC" in line or "kitchenwatch.exe"
                in line]
    py = str(ROOT / ".venv" / "Scripts" / "python.exe")
    expected_order = [
        f"{py} -m pip install --upgrade pip>=24",
        f"{py} -m pip install --require-hashes -r {ROOT / 'installer/requirements/lock.txt'}",
        f"{py} -m pip install --no-deps --no-build-isolation -e {ROOT}",
        "pyside6-lrelease.exe -silent",
        f"{py} {INSTALLER / 'render_icon.py'} {ROOT / 'build/stage/icon'}",
        f'set "KW_STAGE={ROOT / "build/stage"}" && set "KW_VLC_DIR={vlc}" && {py} -m PyInstaller',
        f'set "QT_QPA_PLATFORM=offscreen" && {ROOT / "dist/kitchenwatch/kitchenwatch.exe"} --smoke',
        f'"{iscc}" /DAppVersion=0.1.0 {INSTALLER / "windows/kitchenwatch.iss"}',
    ]
    position = 0
    for fragment in expected_order:
        found = [i for i, line in enumerate(commands) if fragment in line and i >= position]
        assert found, f"{fragment!r} missing or out of order in:\n" + "\n".join(commands)
        position = found[0]


def test_fresh_clone_plan_creates_the_venv_and_skips_iscc_when_absent(tmp_path: Path) -> None:
    pre = build["Prerequisites"](python=sys.executable, vlc_dir=fake_vlc(tmp_path / "VLC"),
                                 vlc_version="3.0.21", iscc=None)
    steps = build["plan"](pre, venv_exists=False)
    titles = [s.title for s in steps]
    assert titles[0] == "virtual environment"
    assert steps[0].argv[:3] == (sys.executable, "-m", "venv")
    assert titles[-1] == "smoke test" and "installer" not in titles
    console = build["plan"](pre, console=True)
    assert next(s for s in console if s.title == "bundle").env["KW_CONSOLE"] == "1"


def test_every_file_the_recipe_names_exists_or_is_built_first(tmp_path: Path, qapp) -> None:
    pre = build["Prerequisites"](python=sys.executable, vlc_dir=fake_vlc(tmp_path / "VLC"),
                                 vlc_version=None, iscc=Path("ISCC.exe"))
    produced = (ROOT / ".venv", ROOT / "build", ROOT / "dist")
    for step in build["plan"](pre):
        for arg in (*step.argv, *step.env.values()):
            path = Path(arg.split("=", 1)[-1])
            if not path.is_absolute() or not str(path).startswith(str(ROOT)):
                continue
            if any(path == p or p in path.parents for p in produced):
                continue
            assert path.exists(), f"step {step.title!r} names {path}, which is not in the repo"
    # The Inno Setup script's inputs: the bundle (the PyInstaller step) and the .ico, which the
    # icon step writes into build/stage/icon.
    iss = (INSTALLER / "windows" / "kitchenwatch.iss").read_text(encoding="utf-8")
    sources = re.findall(r'(?:Source|SetupIconFile)[:=]\s*"?([^";\r\n]+)', iss)
    assert sources, "no inputs found in the .iss"
    for source in sources:
        relative = source.replace("\\", "/").removeprefix("../../")
        assert relative.startswith(("dist/kitchenwatch/", "build/stage/icon/")), source
    written = runpy.run_path(str(INSTALLER / "render_icon.py"))["render"](tmp_path / "icon")
    for source in sources:
        if "build/stage/icon/" in source.replace("\\", "/"):
            name = source.replace("\\", "/").rsplit("/", 1)[-1]
            assert tmp_path / "icon" / name in written
    spec = (INSTALLER / "kitchenwatch.spec").read_text(encoding="utf-8")
    assert 'STAGE / "icon" / "kitchenwatch.ico"' in spec


def test_the_ico_holds_every_size_as_a_real_png(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    icon = runpy.run_path(str(INSTALLER / "render_icon.py"))
    icon["render"](tmp_path)
    images = icon["read_ico"](tmp_path / "kitchenwatch.ico")
    assert sorted(images) == [16, 32, 48, 64, 128, 256]
    for size, data in images.items():
        image = QImage.fromData(data, "PNG")
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() > 0
    with pytest.raises(ValueError):
        icon["write_ico"]({300: images[256]}, tmp_path / "bad.ico")


@pytest.mark.parametrize(("machine", "words"), [(0x14C, "32-bit"), (0xAA64, "ARM64")])
def test_a_vlc_that_is_not_64_bit_x64_is_refused(tmp_path: Path, machine: int, words: str) -> None:
    vlc = fake_vlc(tmp_path / "VLC", machine)
    code, said = dry_run("--vlc-dir", str(vlc))
    assert code == 1
    assert words in said[-1] and "64-bit VLC 3.x" in said[-1] and "videolan.org" in said[-1]


def test_vlc_is_found_from_the_registry_and_must_be_version_3(tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.delenv("KW_VLC_DIR", raising=False)
    vlc = fake_vlc(tmp_path / "VLC")
    code, said = dry_run(registry=lambda: (str(vlc), "3.0.21"))
    assert code == 0 and f"VLC 3.0.21 at {vlc}" in said
    code, said = dry_run(registry=lambda: (str(vlc), "4.0.0-dev"))
    assert code == 1 and "VLC 4.0.0-dev" in said[-1] and "3.x" in said[-1]


def test_missing_prerequisites_say_what_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("KW_VLC_DIR", raising=False)
    find_vlc = build["find_vlc"]
    with pytest.raises(BuildError, match=r"not found.*videolan\.org.*KW_VLC_DIR"):
        find_vlc({}, None, no_registry, defaults=[str(tmp_path / "nowhere")])
    with pytest.raises(BuildError, match=r"has no libvlc\.dll"):
        find_vlc({"KW_VLC_DIR": str(tmp_path)}, None, no_registry, defaults=[])
    broken = tmp_path / "broken"
    fake_dll(broken / "libvlc.dll")
    with pytest.raises(BuildError, match=r"no libvlccore\.dll"):
        find_vlc({}, str(broken), no_registry, defaults=[])
    with pytest.raises(BuildError, match=r"Python 3\.12.*3\.11 64-bit.*python\.org"):
        build["check_python"]((3, 12), 8)
    with pytest.raises(BuildError, match=r"32-bit"):
        build["check_python"]((3, 11), 4)
    code, said = build["main"](["--platform", "linux"], say=(lines := []).append), lines
    assert code == 1 and "make dist" in said[-1]


def test_a_failing_step_stops_the_build_and_a_failed_smoke_test_fails_it(tmp_path) -> None:
    Step = build["Step"]
    ran: list[str] = []

    def runner(status: dict[str, int], stdout: str = ""):
        def run(step):
            ran.append(step.title)
            return subprocess.CompletedProcess(step.argv, status.get(step.title, 0), stdout, "")
        return run

    steps = [Step("locked dependencies", ("pip",)), Step("bundle", ("pyinstaller",)),
             Step("smoke test", ("kitchenwatch.exe", "--smoke"))]
    with pytest.raises(BuildError, match="locked dependencies"):
        build["build"](steps, runner({"locked dependencies": 1}), lambda: None, lambda s: None)
    assert ran == ["locked dependencies"]
    with pytest.raises(BuildError, match="--smoke failed"):
        build["build"](steps, runner({"smoke test": 1}), lambda: None, lambda s: None)
    report = '{"ok": true, "wall": {"backend": "vlc"}, "libvlc": {"loaded": false, "error": "x"}}'
    with pytest.raises(BuildError, match="did not load its libVLC"):
        build["build"](steps, runner({}, report), lambda: None, lambda s: None)


def test_the_bundle_check_wants_libvlc_and_plugins(tmp_path: Path) -> None:
    internal = tmp_path / "dist" / "kitchenwatch" / "_internal"
    (internal / "resources" / "i18n").mkdir(parents=True)
    (internal / "resources" / "i18n" / "kitchenwatch_zh_CN.qm").write_bytes(b"qm")
    (tmp_path / "build" / "stage" / "icon").mkdir(parents=True)
    (tmp_path / "build" / "stage" / "icon" / "kitchenwatch.ico").write_bytes(b"")
    with pytest.raises(BuildError, match=r"vlc/libvlc\.dll"):
        build["check_bundle"](tmp_path)
    fake_vlc(internal / "vlc")
    build["check_bundle"](tmp_path)


def test_runtime_hook_sets_up_the_bundled_libvlc_on_windows(tmp_path: Path, monkeypatch) -> None:
    fake_vlc(tmp_path / "vlc")
    added: list[str] = []
    for name in ("PYTHON_VLC_LIB_PATH", "PYTHON_VLC_MODULE_PATH", "VLC_PLUGIN_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(os, "add_dll_directory", added.append, raising=False)
    runpy.run_path(str(INSTALLER / "rthook_libvlc.py"))
    assert added == [str(tmp_path / "vlc")]  # libvlccore.dll and the plugins' own DLLs
    assert os.environ["PYTHON_VLC_LIB_PATH"] == str(tmp_path / "vlc" / "libvlc.dll")
    assert os.environ["VLC_PLUGIN_PATH"] == str(tmp_path / "vlc" / "plugins")


def test_spec_ships_libvlc_and_its_plugins_on_windows(tmp_path: Path, monkeypatch) -> None:
    from tests.installer.test_bundle import Recorder, _stub_hooks

    _stub_hooks(monkeypatch)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("KW_STAGE", str(tmp_path / "stage"))

    def run_spec() -> None:
        Recorder.calls = {}
        namespace = {"SPECPATH": str(INSTALLER)}
        namespace.update({k: Recorder(k) for k in ("Analysis", "PYZ", "EXE", "COLLECT")})
        spec = (INSTALLER / "kitchenwatch.spec").read_text(encoding="utf-8")
        exec(compile(spec, "kitchenwatch.spec", "exec"), namespace)

    monkeypatch.delenv("KW_VLC_DIR", raising=False)
    with pytest.raises(SystemExit, match="KW_VLC_DIR"):
        run_spec()  # a Windows bundle without libVLC would start with a dead wall
    vlc = fake_vlc(tmp_path / "VLC")
    monkeypatch.setenv("KW_VLC_DIR", str(vlc))
    run_spec()
    analysis = Recorder.calls["Analysis"][1]
    assert (str(vlc / "libvlc.dll"), "vlc") in analysis["binaries"]
    assert (str(vlc / "libvlccore.dll"), "vlc") in analysis["binaries"]
    assert (str(vlc / "plugins"), "vlc/plugins") in analysis["datas"]  # plugins.dat included
    exe = Recorder.calls["EXE"][1]
    assert exe["console"] is False and exe["icon"].endswith("kitchenwatch.ico")
