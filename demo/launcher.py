"""`kitchenwatch-demo`: the whole system on one machine with one command.

Starts, in order, the simulated kitchens' stream server, the central server on a fresh embedded
SQLite file populated with a demo city whose camera URLs point at those streams, the
simulator's sensors / AI boxes / field staff posting to central, and finally the console logged
in as the demo operator. Every child runs in its own process group and is stopped when the
console window closes or on Ctrl+C, so nothing is left running.

The stack is also what the end-to-end tests use (:class:`DemoStack`), so the demo and the tests
exercise the same start-up path.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

log = logging.getLogger("kitchenwatch.demo")

DEMO_OPERATOR = "operator"
DEMO_VIEWER = "viewer"  # read-only, personal details masked by central
READY_TIMEOUT_S = 120.0  # the first run encodes the demo media


class DemoError(RuntimeError):
    """A part of the demo stack failed to start; the message says which and why."""


def free_port() -> int:
    """A loopback port that was free a moment ago (the child binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Child:
    """One started program: its process, the URL it announced and the tail of its output."""

    name: str
    proc: subprocess.Popen[str]
    url: str = ""
    tail: list[str] = field(default_factory=list)

    def stop(self, timeout: float = 8.0) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %.0f s; killing it", self.name, timeout)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def start_child(name: str, argv: Sequence[str], url_key: str | None,
                env: dict[str, str] | None = None, timeout: float = READY_TIMEOUT_S) -> Child:
    """Start ``argv`` in a new process group and wait for its ``url_key=`` line.

    The child's output keeps flowing to our log (so a failure explains itself) and its last
    lines are kept for the error message.
    """
    proc = subprocess.Popen(
        list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        start_new_session=True, env=env,
    )
    child = Child(name, proc)
    announced = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            child.tail = [*child.tail[-40:], line]
            if url_key and line.startswith(url_key + "="):
                child.url = line.split("=", 1)[1].strip()
                announced.set()
            log.debug("[%s] %s", name, line)
        announced.set()

    threading.Thread(target=pump, name=f"pump-{name}", daemon=True).start()
    if url_key is None:
        return child
    deadline = time.monotonic() + timeout
    while not announced.wait(0.2):
        if time.monotonic() > deadline:
            child.stop()
            raise DemoError(f"{name} did not become ready within {timeout:.0f} s:\n"
                            + "\n".join(child.tail[-15:]))
    if not child.url:
        code = proc.poll()
        raise DemoError(f"{name} exited (status {code}) before it was ready:\n"
                        + "\n".join(child.tail[-15:]))
    return child


@dataclass
class DemoStack:
    """Central + simulator on loopback ports picked at start, with a fresh central database."""

    workdir: Path
    businesses: int = 60
    seed: int = 7
    media_dir: Path | None = None
    sensors: bool = True
    ai: bool = True
    field_staff: bool = True
    speed: float = 1.0
    history_days: int = 0
    extra_sim_args: Sequence[str] = ()
    # kitchenwatch-recorder with the demo's recording policies (recording.py): off for the
    # tests that do not need it, on in `kitchenwatch-demo`.
    recorder: bool = False
    children: list[Child] = field(default_factory=list)
    central_url: str = ""
    sim_url: str = ""
    recorder_restarts: int = 0

    def start(self) -> DemoStack:
        from central.demo_registry import DEMO_PASSWORD

        self.workdir.mkdir(parents=True, exist_ok=True)
        py = sys.executable
        sim_port = free_port()
        media = ["--media-dir", str(self.media_dir)] if self.media_dir else []
        # The media is encoded once and cached; do it before the servers so a first run's
        # encoding time is not mistaken for a hung server.
        prep = subprocess.run([py, "-m", "simulator", "--prepare-only", *media],
                              capture_output=True, text=True, timeout=600)
        if prep.returncode != 0:
            raise DemoError("preparing the demo media failed:\n" + prep.stdout[-2000:]
                            + prep.stderr[-2000:])
        sim_base = f"http://127.0.0.1:{sim_port}"
        central = start_child("central", [
            py, "-m", "central", "--host", "127.0.0.1", "--port", "0",
            "--db", f"sqlite:///{self.workdir / 'central.db'}",
            "--media-dir", str(self.workdir / "media"),
            "--recordings-dir", str(self.recordings_dir),
            "--demo-registry", "--businesses", str(self.businesses), "--seed", str(self.seed),
            "--stream-base", sim_base,
            *(["--demo-history", str(self.history_days)] if self.history_days else []),
        ], "KITCHENWATCH_CENTRAL_URL")
        self.children.append(central)
        self.central_url = central.url
        sim_args = [
            py, "-m", "simulator", "--host", "127.0.0.1", "--port", str(sim_port),
            "--central", self.central_url, "--password", DEMO_PASSWORD,
            "--speed", str(self.speed), *media, *self.extra_sim_args,
        ]
        if not self.sensors:
            sim_args.append("--no-sensors")
        if not self.ai:
            sim_args.append("--no-ai")
        if not self.field_staff:
            sim_args.append("--no-field")
        sim = start_child("simulator", sim_args, "KITCHENWATCH_SIM_URL")
        self.children.append(sim)
        self.sim_url = sim.url
        if self.recorder:
            from demo.recording import seed_policies

            seed_policies(self.central_url, DEMO_PASSWORD)
            self.children.append(self._start_recorder())
        return self

    @property
    def recordings_dir(self) -> Path:
        return self.workdir / "recordings"

    def _start_recorder(self) -> Child:
        from central.demo_registry import DEMO_PASSWORD

        return start_child("recorder", [
            sys.executable, "-m", "recorder", "--central", self.central_url,
            "--user", "recorder", "--name", "demo", "--store", str(self.recordings_dir),
            "--min-free-mb", "256",
        ], "KITCHENWATCH_RECORDER", env={**os.environ, "KITCHENWATCH_PASSWORD": DEMO_PASSWORD})

    def supervise(self) -> None:
        """Start the recorder again if it died (it resumes from its store and journal)."""
        for index, child in enumerate(self.children):
            if child.name == "recorder" and child.proc.poll() is not None:
                log.warning("the recorder exited (status %s); starting it again:\n%s",
                            child.proc.returncode, "\n".join(child.tail[-10:]))
                self.recorder_restarts += 1
                self.children[index] = self._start_recorder()

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()
        self.children.clear()

    def __enter__(self) -> DemoStack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@contextlib.contextmanager
def virtual_display(size: str = "1920x1080x24") -> Iterator[str]:
    """Run an Xvfb for a headless machine (screenshots, unattended demos)."""
    if shutil.which("Xvfb") is None:
        raise DemoError("--xvfb needs Xvfb (Debian package xvfb)")
    for number in range(99, 140):
        if not (Path(f"/tmp/.X11-unix/X{number}").exists()
                or Path(f"/tmp/.X{number}-lock").exists()):
            break
    display = f":{number}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise DemoError(f"Xvfb {display} failed to start")
            time.sleep(0.1)
        yield display
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kitchenwatch-demo",
        description="Start the whole Kitchen Watch demo on this machine: the central server on "
                    "an embedded SQLite file, simulated kitchens (live camera streams, sensors, "
                    "AI violation events, field staff) and the console logged in as the demo "
                    "operator. Close the console window or press Ctrl+C to stop everything.",
    )
    parser.add_argument("--businesses", type=int, default=60,
                        help="size of the demo city (default 60 businesses, ~120 cameras)")
    parser.add_argument("--layout", default="16", help="initial wall layout (1/4/9/16/25/36)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="simulated-time multiplier for sensors and field staff")
    parser.add_argument("--lang", default=None, help="zh_CN (default) or en")
    parser.add_argument("--kiosk", action="store_true", help="big-screen demonstration mode")
    parser.add_argument("--xvfb", action="store_true",
                        help="run the console on a private Xvfb display (headless machines)")
    parser.add_argument("--seconds", type=float, default=None,
                        help="stop by itself after this many seconds (unattended runs)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where this run keeps its databases and logs "
                             "(default: a fresh folder in the user cache)")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.xvfb and not _display_available():
        print("kitchenwatch-demo: no display found (DISPLAY is not set).\n"
              "  On a headless machine run:  make demo ARGS=--xvfb\n"
              "  (or xvfb-run -a kitchenwatch-demo).", file=sys.stderr)
        return 2
    cache = Path(platformdirs.user_cache_dir("kitchenwatch"))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="demo-", dir=_mkdir(cache / "runs")))
    stack = DemoStack(workdir=workdir, businesses=args.businesses, speed=args.speed,
                      history_days=14, recorder=True)
    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop_requested.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    display_cm = virtual_display() if args.xvfb else contextlib.nullcontext(None)
    try:
        with display_cm as display, stack:
            print(f"central server:   {stack.central_url}")
            print(f"simulated kitchens: {stack.sim_url}")
            print(f"demo data:        {workdir}")
            print(f"recordings:       {stack.recordings_dir}")
            if display:
                print(f"virtual display:  {display}")
            env = dict(os.environ)
            if display:
                env["DISPLAY"] = display
                env.pop("WAYLAND_DISPLAY", None)
                env.setdefault("QT_QPA_PLATFORM", "xcb")
            from central.demo_registry import DEMO_PASSWORD

            env["KITCHENWATCH_PASSWORD"] = DEMO_PASSWORD
            console_args = [
                sys.executable, "-m", "console", "--server", stack.central_url,
                "--user", DEMO_VIEWER if args.kiosk else DEMO_OPERATOR,
                "--data-dir", str(workdir / "console"),
                "--layout", args.layout,
            ]
            if args.lang:
                console_args += ["--lang", args.lang]
            if args.kiosk:
                console_args.append("--kiosk")
            console = subprocess.Popen(console_args, env=env, start_new_session=True)
            started = time.monotonic()
            print("console started; close its window or press Ctrl+C to stop the demo")
            while console.poll() is None:
                stack.supervise()
                if stop_requested.is_set() or (
                        args.seconds and time.monotonic() - started > args.seconds):
                    Child("console", console).stop()  # type: ignore[arg-type]
                    break
                time.sleep(0.2)
            code = console.returncode or 0
    except DemoError as exc:
        print(f"kitchenwatch-demo: {exc}", file=sys.stderr)
        return 1
    print("demo stopped; nothing left running")
    return 0 if code in (0, -signal.SIGTERM) else code


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
