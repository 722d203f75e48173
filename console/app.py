"""Console start-up: arguments, logging, login, the qasync loop, the window.

One asyncio loop runs inside Qt (qasync): network I/O is async on it, local-database work goes
to the store's writer thread, so the UI thread never waits on I/O.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

log = logging.getLogger("kitchenwatch.console")
_CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")


class MaskCredentials(logging.Filter):
    """Logs never carry ``user:password@`` from stream or server URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _CREDENTIALS.sub(r"\1***@", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="kitchenwatch",
        description="Kitchen Watch console: live kitchen video wall, alarms and dispatch, synced "
                    "with a central server and usable offline from its local cache. "
                    "Subcommand: 'kitchenwatch probe URL' tests one stream address.")
    p.add_argument("--server", default=None, help="central server URL, e.g. http://10.0.0.5:8750")
    p.add_argument("--user", default=None, help="user name (asks in a dialog when omitted)")
    p.add_argument("--password-file", type=Path, default=None,
                   help="read the password from this file (unattended screens); the "
                        "KITCHENWATCH_PASSWORD environment variable also works")
    p.add_argument("--data-dir", type=Path, default=None,
                   help=f"local database and logs (default {default_data_dir()})")
    p.add_argument("--layout", default=None, help="initial wall layout: 1/4/9/16/25/36/64")
    p.add_argument("--fullscreen", action="store_true")
    p.add_argument("--kiosk", action="store_true", help="big-screen demonstration mode")
    p.add_argument("--lang", default=None, help="zh_CN (default) or en")
    p.add_argument("--log-level", default="INFO")
    return p.parse_args(argv)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("kitchenwatch"))


def setup_logging(data_dir: Path, level: str) -> None:
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(logs / "console.log", maxBytes=5_000_000,
                                                   backupCount=5, encoding="utf-8")
    console = logging.StreamHandler(sys.stderr)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    root.setLevel(level.upper())
    for h in (handler, console):
        h.setFormatter(fmt)
        h.addFilter(MaskCredentials())
        root.addHandler(h)


def read_password(args: argparse.Namespace) -> str | None:
    if args.password_file is not None:
        try:
            return args.password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(f"kitchenwatch: cannot read the password file: {exc}") from exc
    return os.environ.get("KITCHENWATCH_PASSWORD")


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    setup_logging(data_dir, args.log_level)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Kitchen Watch")
    app.setOrganizationName("kitchenwatch")
    from console.i18n import install_language

    install_language(app, args.lang or QSettings().value("language", "zh_CN"))
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)
    from console.session import ConsoleSession

    session = ConsoleSession(data_dir, layout=args.layout, kiosk=args.kiosk,
                             fullscreen=args.fullscreen)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    with loop:
        started = loop.run_until_complete(session.async_start(args.server, args.user,
                                                              read_password(args)))
        if not started:
            return 1
        app.aboutToQuit.connect(lambda: None)
        loop.run_forever()
        loop.run_until_complete(session.async_stop())
    return 0
