"""Console logging: a rotating file in the data directory, stderr, and no secrets in either.

Stream and server URLs can carry ``user:password@``, the WebSocket URL carries the session
token: :class:`MaskCredentials` masks both in messages and in tracebacks, on every handler, so
a log file can be sent to support as it is. Qt's own warnings are routed into the same log.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
_TOKEN = re.compile(r"(?P<key>[?&](?:token|access_token|password)=)[^&\s'\"]+")
_JSON_PASSWORD = re.compile(r"(?P<key>[\"']password[\"']\s*:\s*[\"'])[^\"']*")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def mask_secrets(text: str) -> str:
    """``rtsp://admin:12345@cam/x`` → ``rtsp://***@cam/x``; ``?token=abc`` → ``?token=***``."""
    text = _USERINFO.sub(lambda m: m.group("scheme") + "***@", text)
    text = _TOKEN.sub(lambda m: m.group("key") + "***", text)
    return _JSON_PASSWORD.sub(lambda m: m.group("key") + "***", text)


class MaskCredentials(logging.Filter):
    """Masks credentials in the message and the traceback of every record it sees."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True


def setup_logging(data_dir: Path, level: str = "INFO", *, to_stderr: bool = True) -> Path:
    """Log to ``<data_dir>/logs/console.log`` (5 × 5 MB) and stderr; returns the file."""
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / "console.log"
    handlers: list[logging.Handler] = [logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    root.setLevel(level.upper())
    formatter = logging.Formatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(MaskCredentials())
        root.addHandler(handler)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path


def route_qt_messages() -> None:
    """Qt's warnings (``qWarning``) into our log instead of bare stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("kitchenwatch.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)
