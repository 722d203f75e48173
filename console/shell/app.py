"""Console start-up: command line, logging, the qasync loop, login and the window.

One asyncio loop runs inside Qt (qasync): network I/O is async on it, the local database works
on the store's threads, anything else blocking goes to an executor — the UI thread never waits
on I/O. ``run(argv)`` returns the process exit status; ``console ready`` is logged at INFO when
the window is up.

The imports of the window, the session and the panels sit inside :func:`run`, after the
command line is parsed: ``kitchenwatch --help``, ``--version`` and ``kitchenwatch probe URL``
answer without loading QtWidgets, qasync, pyqtgraph and the console (several seconds on a
slow PC), and ``--smoke`` loads what it checks itself.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from console import __version__
from videowall.layouts import LAYOUTS

if TYPE_CHECKING:
    from console.shell.credentials import UnattendedPassword

log = logging.getLogger("kitchenwatch.console")
LANGUAGES = ("zh_CN", "en")
PASSWORD_ENV = "KITCHENWATCH_PASSWORD"  # the same name as console.shell.credentials.PASSWORD_ENV

EPILOG = f"""\
examples:
  kitchenwatch
      asks for the server, user name and password in a dialog
  kitchenwatch --server http://10.0.0.5:8750 --user screen1 --password-file /etc/kw/screen1
      unattended start (control-room screens); the password can also come from the
      {PASSWORD_ENV} environment variable, never from the command line
  kitchenwatch probe rtsp://user:pass@10.1.2.3/stream1 --seconds 10
      opens one stream the way a wall tile does and prints what it found
"""


# How long a thread may hold the GIL while another asks for it (Python's default: 5 ms). The
# store's writer and the registry reader are pure Python for seconds during a big sync; with
# 5 ms turns the UI thread, which needs the GIL for every slot and timer, fell behind by
# several turns at a time. Set by :func:`favour_the_ui_thread`.
UI_SWITCH_INTERVAL_S = 0.001


def favour_the_ui_thread(interval_s: float = UI_SWITCH_INTERVAL_S) -> None:
    """Shorten the GIL's switch interval so the UI thread gets its turn sooner while worker
    threads run Python (the console and its benchmarks call this before the window opens)."""
    sys.setswitchinterval(interval_s)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("kitchenwatch"))


def _layout_names() -> list[str]:
    return sorted(LAYOUTS, key=lambda name: (len(name), name))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kitchenwatch",
        description="Kitchen Watch console: live kitchen video wall, alarms and dispatch, "
                    "synced with a central server and usable offline from its local cache.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--server", metavar="URL", help="central server, e.g. http://10.0.0.5:8750")
    p.add_argument("--user", help="user name (the login dialog asks when it is missing)")
    p.add_argument("--password-file", type=Path, metavar="FILE",
                   help=f"read the password from FILE for an unattended start (mode 600); "
                        f"or set {PASSWORD_ENV}")
    p.add_argument("--data-dir", type=Path, metavar="DIR",
                   help=f"local database and logs (default: {default_data_dir()})")
    p.add_argument("--layout", choices=_layout_names(), metavar="N",
                   help="initial wall layout: 1, 4, 9, 16, 25, 36, … tiles (default by role: "
                        "16, district staff 4)")
    p.add_argument("--screen", type=int, metavar="N", help="open on screen N (0 = first)")
    p.add_argument("--fullscreen", action="store_true", help="start full screen (F11 toggles)")
    p.add_argument("--kiosk", action="store_true",
                   help="big-screen mode: no controls, a tour of kitchens and statistics")
    p.add_argument("--lang", choices=LANGUAGES, help="interface language for this run "
                                                     "(default: the one in the settings, zh_CN)")
    p.add_argument("--log-level", default="INFO", type=str.upper,
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    p.add_argument("--smoke", action="store_true",
                   help="installation check: start offscreen, open the main window on an empty "
                        "local database, play a generated clip on a wall tile, print a JSON "
                        "report and exit (0 = works)")
    from console.settings.model import add_arguments as add_settings_arguments  # see the top

    add_settings_arguments(p)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    probe = sub.add_parser("probe", help="test one stream address and print a JSON verdict "
                                         "(further options: kitchenwatch probe URL --help)")
    probe.add_argument("url", help="stream URL (rtsp, http(s), hls, srt, udp, file)")
    probe.add_argument("--seconds", type=float, default=None, help="how long to watch")
    return p


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, list[str]]:
    parser = build_parser()
    args, extra = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if extra and args.command != "probe":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.password_file is not None and not args.user:
        parser.error("--password-file needs --user")
    return args, extra


def password_source(args: argparse.Namespace) -> UnattendedPassword | None:
    """Where an unattended start reads the password (``--password-file`` or the environment;
    never the command line), checked once here so a bad file stops the start at once. The
    password itself is read again for each login and not kept (see console.shell.credentials)."""
    from console.shell.credentials import PasswordFileError, UnattendedPassword  # see the top

    if args.password_file is not None:
        source = UnattendedPassword(file=args.password_file)
    elif os.environ.get(PASSWORD_ENV):
        source = UnattendedPassword()
    else:
        return None
    try:
        source.read()  # fail fast on an unreadable or empty file; the result is dropped
    except PasswordFileError as exc:
        raise SystemExit(f"kitchenwatch: {exc}") from exc
    return source


def run_probe(args: argparse.Namespace, extra: list[str]) -> int:
    from videowall.probe import main as probe_main  # see the top of the module

    argv = [args.url, *([] if args.seconds is None else ["--seconds", str(args.seconds)]), *extra]
    return probe_main(argv)


def run(argv: Sequence[str] | None = None) -> int:
    """Start the console (or ``probe``); returns the exit status."""
    args, extra = parse_args(argv)
    if args.command == "probe":
        return run_probe(args, extra)
    if args.smoke:
        from console.diagnostics.smoke import run_smoke  # see the top of the module

        return run_smoke()
    from console.settings.model import settings_for_run  # from here on: the console's run

    settings = settings_for_run(args)  # the user's file + this run's options; exits on a bad one
    data_dir: Path = settings.data_path
    from console.diagnostics.logs import route_qt_messages, setup_logging  # (see the top)

    log_file = setup_logging(data_dir, args.log_level)
    from console.diagnostics import native_crash  # (see the top)

    previous_crash = native_crash.take_previous(log_file.parent)
    native_crash.enable(log_file.parent)  # a crash in Qt, libVLC or FFmpeg leaves its stacks
    if previous_crash:
        log.error("the console stopped unexpectedly the last time it ran; its trace:\n%s",
                  previous_crash)
    from common.memory_trace import start_from_env  # (see the top)

    start_from_env()  # KITCHENWATCH_TRACEMALLOC: where memory goes over a soak (diagnostics)
    for problem in settings.load_problems:
        log.warning("settings: %s", problem)
    source = password_source(args)
    log.info("Kitchen Watch console %s starting (data in %s, log %s)", __version__, data_dir,
             log_file)

    from PySide6.QtCore import QTimer  # the Qt part of the run (see the top)
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    route_qt_messages()
    favour_the_ui_thread()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kitchen Watch")
    app.setOrganizationName("kitchenwatch")
    app.setApplicationVersion(__version__)
    from widgets.theme import application_font  # (see the top)

    app.setFont(application_font(app.font()))  # Chinese in 微软雅黑 / Noto Sans CJK, per platform
    from console.diagnostics.crash_dialog import CrashReporter  # (see the top)
    from console.shell.i18n import install_language
    from console.shell.role_ui import settings_wall_factory
    from console.sync.client import ApiClient

    crash_reporter = CrashReporter(log_file, app)
    crash_reporter.install()  # uncaught exceptions: a dialog with a report; the wall runs on
    if previous_crash:
        crash_reporter.report_previous_crash(previous_crash)
    from pyqtgraph.util.garbage_collector import GarbageCollector  # (see the top)

    # Reference cycles are collected on this (the Qt) thread only, once a second: left to the
    # automatic collector they are freed on whichever thread allocates next (store, sync and
    # decode-pool threads), and a QObject with a running timer destroyed there leaves the
    # timer registered with this thread's dispatcher, which later fires into freed memory.
    app.kw_garbage_collector = GarbageCollector(interval=1.0)  # lives as long as the app
    from console.diagnostics.loop_probe import LoopProbe  # (see the top)

    # A frozen UI leaves a line in the log saying when and for how long (troubleshooting).
    app.kw_loop_probe = LoopProbe(100, keep_samples=False, stall_ms=500, parent=app)
    app.kw_loop_probe.start()
    install_language(app, settings.language)
    ApiClient.verify_tls = settings.verify_tls
    if not settings.verify_tls:
        log.warning("the server's HTTPS certificate is NOT checked (settings: verify_tls off)")
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    from console.shell.session import ConsoleSession  # (see the top)

    screens = settings.wall_screens
    session = ConsoleSession(data_dir, layout=args.layout, kiosk=args.kiosk,
                             fullscreen=args.fullscreen, screen=screens[0] if screens else None,
                             wall_factory=settings_wall_factory(settings), settings=settings)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    wake = QTimer()  # lets Python run its signal handlers while Qt sleeps
    wake.timeout.connect(lambda: None)
    wake.start(300)
    app.setQuitOnLastWindowClosed(False)  # closing the login dialog must not end the loop
    outcome: dict[str, bool] = {}

    async def start() -> None:
        # Started inside the one run_forever: a run_until_complete before it would end Qt's
        # exec once (qasync), emitting aboutToQuit to everything that listens for it.
        try:
            outcome["started"] = await session.async_start(settings.server_url or None,
                                                           args.user, password_source=source)
        except Exception:
            log.exception("the console failed to start")
            outcome["started"] = False
        if outcome["started"]:
            crash_reporter.window = session.window
            app.setQuitOnLastWindowClosed(True)
        else:
            app.quit()

    with loop:
        loop.create_task(start())
        loop.run_forever()
        log.info("shutting down")
        loop.run_until_complete(session.async_stop())
    if not outcome.get("started"):
        log.info("not started (login cancelled or failed)")
        return 1
    return 0
