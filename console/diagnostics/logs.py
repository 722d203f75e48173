"""Console logging: a rotating file in the data directory, stderr, and no secrets in either.

Stream and server URLs can carry ``user:password@`` or ``?token=``, the WebSocket URL carries the
session token, FFmpeg and libVLC quote the addresses they fail on. Every handler gets two guards
from :mod:`common.masking` (the one set of masking rules): :class:`MaskCredentials` masks each
record's message, arguments and traceback in place, and :class:`~common.masking.MaskingFormatter`
masks the finished line, so a log file can be sent to support as it is. Qt's own warnings are
routed into the same log.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from common.masking import MaskingFilter, MaskingFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A console runs for weeks: the log rotates, so the logs folder never holds more than
# (LOG_BACKUPS + 1) × LOG_MAX_BYTES (30 MB) however long it runs, and the newest lines (what
# support asks for) are always there.
LOG_MAX_BYTES = 5_000_000
LOG_BACKUPS = 5


class MaskCredentials(MaskingFilter):
    """Masks credentials in the message, the arguments and the traceback of every record."""


def setup_logging(data_dir: Path, level: str = "INFO", *, to_stderr: bool = True) -> Path:
    """Log to ``<data_dir>/logs/console.log`` (rotating: ``console.log.1`` … ``.5``, 5 MB
    each) and stderr; returns the file."""
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / "console.log"
    handlers: list[logging.Handler] = [logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    root.setLevel(level.upper())
    formatter = MaskingFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(MaskCredentials())
        root.addHandler(handler)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path


def route_qt_messages() -> None:
    """Qt's warnings (``qWarning``) into our log instead of bare stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # the rest is Qt-free

    qt_log = logging.getLogger("kitchenwatch.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
