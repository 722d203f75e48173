"""Build the Windows bundle and installer of the console from a fresh clone, in one command.

Run from the repository root on a Windows 10/11 x64 build PC::

    py -3.11 installer\\windows\\build.py

It checks the prerequisites first (64-bit Python 3.11, 64-bit VLC 3.x, optionally Inno Setup)
and says what to install from where, then does what ``installer/setup.sh`` and
``installer/build_dist.sh`` do on Linux: a ``.venv`` installed from the lock file with
``--require-hashes`` (the versions CI tests), the project with ``--no-deps``, the translations
compiled, the icon rendered (with a multi-size ``.ico``), PyInstaller run with
``installer/kitchenwatch.spec`` (which copies libVLC and its plugins from the VLC found here),
the bundle's ``--smoke`` run, and the installer compiled with ``iscc`` when Inno Setup is there.

The logic is plain Python so the tests run it on Linux: ``--dry-run --platform win32`` checks the
prerequisites against the folders given and prints the commands instead of running them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = Path("installer", "requirements", "lock.txt")
SPEC = Path("installer", "kitchenwatch.spec")
ISS = Path("installer", "windows", "kitchenwatch.iss")
RENDER_ICON = Path("installer", "render_icon.py")
STAGE = Path("build", "stage")
DIST = Path("dist", "kitchenwatch")

PYTHON_URL = "https://www.python.org/downloads/windows/"
VLC_URL = "https://www.videolan.org/vlc/download-windows.html"
INNO_URL = "https://jrsoftware.org/isdl.php"
#: Where the VLC and Inno Setup installers put themselves by default.
VLC_DEFAULTS = (r"C:\Program Files\VideoLAN\VLC",)
INNO_DEFAULTS = (r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe",
                 r"C:\Program Files\Inno Setup 6\ISCC.exe")
PE_MACHINE_X64 = 0x8664
PE_MACHINES = {0x14C: "32-bit x86", 0x8664: "64-bit x64", 0xAA64: "ARM64"}


class BuildError(Exception):
    """A prerequisite is missing or a step failed; the message says what to do."""


@dataclass(frozen=True)
class Step:
    """One command of the build; ``env`` holds only the variables the step adds."""

    title: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)

    def shown(self) -> str:
        """As cmd.exe would take it (``set "K=V"`` keeps a trailing space out of the value)."""
        extra = "".join(f'set "{k}={v}" && ' for k, v in sorted(self.env.items()))
        return extra + subprocess.list2cmdline(self.argv)


@dataclass(frozen=True)
class Prerequisites:
    python: str
    vlc_dir: Path
    vlc_version: str | None
    iscc: Path | None


# --- prerequisite checks ------------------------------------------------------------------------

def check_python(version: tuple[int, int] = sys.version_info[:2],
                 pointer_bytes: int = struct.calcsize("P")) -> None:
    """The bundle carries this interpreter: it must be the 64-bit 3.11 the lock was made for."""
    if version != (3, 11) or pointer_bytes != 8:
        bits = pointer_bytes * 8
        raise BuildError(
            f"this is Python {version[0]}.{version[1]} ({bits}-bit); the build needs Python 3.11 "
            f"64-bit. Install 'Windows installer (64-bit)' of the latest 3.11 from {PYTHON_URL} "
            "and run:  py -3.11 installer\\windows\\build.py")


def pe_machine(dll: Path) -> int:
    """The machine field of a Windows DLL's PE header (0x8664 = x64)."""
    with dll.open("rb") as f:
        head = f.read(4096)
    if head[:2] != b"MZ" or len(head) < 0x40:
        raise BuildError(f"{dll} is not a Windows DLL")
    (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
    if head[pe_offset:pe_offset + 4] != b"PE\0\0":
        raise BuildError(f"{dll} is not a Windows DLL (no PE header)")
    (machine,) = struct.unpack_from("<H", head, pe_offset + 4)
    return machine


def registry_vlc() -> tuple[str | None, str | None]:
    """(InstallDir, Version) that the VLC installer wrote to HKLM, 64-bit view; Windows only."""
    if sys.platform != "win32":  # the type checker then skips the rest on other platforms
        return None, None
    import winreg
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\VideoLAN\VLC", 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            values = {}
            for name in ("InstallDir", "Version"):
                try:
                    values[name] = str(winreg.QueryValueEx(key, name)[0])
                except OSError:
                    values[name] = None
            return values["InstallDir"], values["Version"]
    except OSError:
        return None, None


def find_vlc(env: Mapping[str, str], vlc_dir: str | None = None,
             registry: Callable[[], tuple[str | None, str | None]] = registry_vlc,
             defaults: Sequence[str] = VLC_DEFAULTS) -> tuple[Path, str | None]:
    """The VLC installation whose libVLC the bundle ships: --vlc-dir, KW_VLC_DIR, the registry
    key of VLC's installer, then the default folder. It must be 64-bit VLC 3.x, complete."""
    reg_dir, reg_version = registry()
    candidates = [(vlc_dir, "--vlc-dir"), (env.get("KW_VLC_DIR"), "KW_VLC_DIR"),
                  (reg_dir, r"HKLM\SOFTWARE\VideoLAN\VLC"),
                  *((d, "the default folder") for d in defaults)]
    tried = []
    for value, source in candidates:
        if not value:
            continue
        folder = Path(value)
        if not (folder / "libvlc.dll").is_file():
            tried.append(f"{folder} ({source})")
            if source in ("--vlc-dir", "KW_VLC_DIR"):
                raise BuildError(f"{folder} (from {source}) has no libvlc.dll: point it at the "
                                 "folder of a 64-bit VLC 3.x installation")
            continue
        for part in ("libvlccore.dll", "plugins"):
            if not (folder / part).exists():
                raise BuildError(f"{folder} has libvlc.dll but no {part}: reinstall VLC from "
                                 f"{VLC_URL}")
        machine = pe_machine(folder / "libvlc.dll")
        if machine != PE_MACHINE_X64:
            kind = PE_MACHINES.get(machine, hex(machine))
            raise BuildError(f"{folder} is the {kind} VLC; the console is 64-bit and needs the "
                             f"64-bit VLC 3.x ('Windows 64bit' at {VLC_URL})")
        version = reg_version if source.startswith("HKLM") or folder == Path(reg_dir or "") \
            else None
        if version and not version.startswith("3."):
            raise BuildError(f"{folder} is VLC {version}; python-vlc 3 needs VLC 3.x "
                             f"(download 3.0.x from {VLC_URL})")
        return folder, version
    looked = "; ".join(tried) or "nowhere (no registry key, no default folder)"
    raise BuildError(f"VLC (64-bit, 3.x) was not found: looked in {looked}. Install it from "
                     f"{VLC_URL}, or set KW_VLC_DIR to its folder")


def find_iscc(env: Mapping[str, str], which: Callable[[str], str | None] = shutil.which,
              defaults: Sequence[str] = INNO_DEFAULTS) -> Path | None:
    """Inno Setup's compiler, if installed: the bundle is built either way."""
    for value in (env.get("ISCC"), which("iscc"), *defaults):
        if value and Path(value).is_file():
            return Path(value)
    return None


def check_prerequisites(env: Mapping[str, str], vlc_dir: str | None = None,
                        registry: Callable[[], tuple[str | None, str | None]] = registry_vlc,
                        which: Callable[[str], str | None] = shutil.which) -> Prerequisites:
    check_python()
    for path in (LOCK, SPEC, ISS, RENDER_ICON):
        if not (ROOT / path).is_file():
            raise BuildError(f"{path} is missing: run the build from a complete clone")
    folder, version = find_vlc(env, vlc_dir, registry)
    return Prerequisites(python=sys.executable, vlc_dir=folder, vlc_version=version,
                         iscc=find_iscc(env, which))


# --- the build ----------------------------------------------------------------------------------

def project_version(root: Path = ROOT) -> str:
    with (root / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def plan(pre: Prerequisites, root: Path = ROOT, console: bool = False,
         venv_exists: bool = False, installer: bool = True) -> list[Step]:
    """The commands of the build, in order (what --dry-run prints)."""
    venv = root / ".venv"
    scripts = venv / "Scripts"
    py = str(scripts / "python.exe")
    stage = root / STAGE
    steps = []
    if not venv_exists:
        steps.append(Step("virtual environment", (pre.python, "-m", "venv", str(venv))))
    steps += [
        Step("pip", (py, "-m", "pip", "install", "--upgrade", "pip>=24")),
        # Exactly the versions CI tested, each checked against its hash (as installer/setup.sh).
        Step("locked dependencies", (py, "-m", "pip", "install", "--require-hashes",
                                     "-r", str(root / LOCK))),
        Step("the project", (py, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                             "-e", str(root))),
    ]
    for ts in sorted((root / "resources" / "i18n").glob("*.ts")):
        steps.append(Step(f"translation {ts.stem}", (
            str(scripts / "pyside6-lrelease.exe"), "-silent", str(ts),
            "-qm", str(stage / "i18n" / f"{ts.stem}.qm"))))
    steps.append(Step("icon", (py, str(root / RENDER_ICON), str(stage / "icon"))))
    env = {"KW_STAGE": str(stage), "KW_VLC_DIR": str(pre.vlc_dir)}
    if console:
        env["KW_CONSOLE"] = "1"
    steps.append(Step("bundle", (py, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                                 "--workpath", str(root / "build" / "pyinstaller"),
                                 "--distpath", str(root / "dist"), str(root / SPEC)), env))
    steps.append(Step("smoke test", (str(root / DIST / "kitchenwatch.exe"), "--smoke"),
                      {"QT_QPA_PLATFORM": "offscreen"}))
    if installer and pre.iscc:
        steps.append(Step("installer", (str(pre.iscc), f"/DAppVersion={project_version(root)}",
                                        str(root / ISS))))
    return steps


def check_bundle(root: Path = ROOT) -> None:
    """What the spec was asked to put in: libVLC beside its plugins, the compiled translations.

    The .qm files get fresh time stamps: resources.i18n prefers a .qm only when it is at least
    as new as its .ts (else it recompiles, which a bundle cannot) — as build_dist.sh does."""
    internal = root / DIST / "_internal"
    for part in ("vlc/libvlc.dll", "vlc/libvlccore.dll", "vlc/plugins"):
        if not (internal / part).exists():
            raise BuildError(f"the bundle has no _internal/{part}: was KW_VLC_DIR passed to "
                             "PyInstaller?")
    qms = list((internal / "resources" / "i18n").glob("*.qm"))
    if not qms:
        raise BuildError("the bundle has no compiled translations (.qm)")
    for qm in qms:
        qm.touch()
    for ico in (root / STAGE / "icon" / "kitchenwatch.ico",):
        if not ico.is_file():
            raise BuildError(f"{ico} was not rendered")


Runner = Callable[[Step], subprocess.CompletedProcess[str]]


def run_step(step: Step) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **step.env}
    return subprocess.run(step.argv, env=env, cwd=ROOT, text=True,
                          capture_output=step.title == "smoke test", check=False)


def build(steps: Sequence[Step], runner: Runner = run_step,
          after_bundle: Callable[[], None] = check_bundle,
          say: Callable[[str], None] = print) -> None:
    for number, step in enumerate(steps, 1):
        say(f"[{number}/{len(steps)}] {step.title}: {step.shown()}")
        if step.title.startswith("translation"):
            Path(step.argv[-1]).parent.mkdir(parents=True, exist_ok=True)
        result = runner(step)
        if step.title == "smoke test":
            report_smoke(result, say)
            continue
        if result.returncode != 0:
            raise BuildError(f"step '{step.title}' failed with exit status {result.returncode}")
        if step.title == "bundle":
            after_bundle()


def report_smoke(result: subprocess.CompletedProcess[str], say: Callable[[str], None]) -> None:
    """The windowless program has no stdout; its exit status is the verdict either way."""
    report = None
    for line in reversed((result.stdout or "").splitlines()):
        if line.startswith("{"):
            report = json.loads(line)
            break
    if result.returncode != 0 or (report is not None and not report.get("ok")):
        detail = (report or {}).get("error") or (result.stderr or "").strip()[-2000:]
        raise BuildError(f"the bundle's --smoke failed (exit {result.returncode}): {detail}. "
                         "Build with --console to see its report")
    if report is not None and not report.get("libvlc", {}).get("loaded"):
        raise BuildError(f"the bundle did not load its libVLC: {report['libvlc'].get('error')}")
    say("smoke test: OK" + (f" (wall on {report['wall']['backend']}, libVLC "
                            f"{report['libvlc'].get('version')})" if report else ""))


def main(argv: Sequence[str] | None = None,
         registry: Callable[[], tuple[str | None, str | None]] = registry_vlc,
         which: Callable[[str], str | None] = shutil.which,
         say: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vlc-dir", help="the VLC folder (default: KW_VLC_DIR, the registry, "
                        r"C:\Program Files\VideoLAN\VLC)")
    parser.add_argument("--console", action="store_true",
                        help="a support build with a console window (shows --smoke's report)")
    parser.add_argument("--no-installer", action="store_true", help="skip Inno Setup")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the prerequisites and print the commands, run nothing")
    parser.add_argument("--platform", default=sys.platform, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.platform != "win32":
            raise BuildError("this builds the Windows installer and runs on Windows; on Linux "
                             "use `make dist` (installer/build_dist.sh)")
        pre = check_prerequisites(os.environ, args.vlc_dir, registry, which)
        say(f"Python {sys.version.split()[0]} at {pre.python}")
        say(f"VLC {pre.vlc_version or '(version not in the registry)'} at {pre.vlc_dir}")
        say(f"Inno Setup: {pre.iscc}" if pre.iscc else
            f"Inno Setup not found: the bundle is built, the setup.exe is not ({INNO_URL})")
        steps = plan(pre, console=args.console, venv_exists=(ROOT / ".venv").is_dir(),
                     installer=not args.no_installer)
        if args.dry_run:
            for step in steps:
                say(step.shown())
            return 0
        shutil.rmtree(ROOT / STAGE, ignore_errors=True)  # no .qm of a removed language ships
        build(steps, say=say)
    except BuildError as exc:
        say(f"build: {exc}")
        return 1
    say(f"build: {ROOT / DIST} ready" + (
        f"; installer in {ROOT / 'dist'}" if pre.iscc and not args.no_installer else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
