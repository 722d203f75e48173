"""Stream failure reasons in the operator's language.

The engine's Qt-free parts (watchdog, diagnosis, workers) describe failures in English, which is
also what goes into logs and to central. Tiles show them translated: each known wording is a
pattern here whose template goes through Qt's translator; anything unknown is shown as is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from resources.i18n import QT_TRANSLATE_NOOP

# (pattern, English template collected by lupdate); groups fill %1, %2 … in order.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"picture unchanged for (\d+) s"),
     QT_TRANSLATE_NOOP("StreamReason", "picture unchanged for %1 s")),
    (re.compile(r"picture is black: lens covered or camera dark"),
     QT_TRANSLATE_NOOP("StreamReason", "picture is black: lens covered or camera dark")),
    (re.compile(r"connection refused by (.+)"),
     QT_TRANSLATE_NOOP("StreamReason", "connection refused by %1")),
    (re.compile(r"connection refused"), QT_TRANSLATE_NOOP("StreamReason", "connection refused")),
    (re.compile(r"host name (.+) not found \(DNS\)"),
     QT_TRANSLATE_NOOP("StreamReason", "host name %1 not found (DNS)")),
    (re.compile(r"no answer from (.+) \(timed out\)"),
     QT_TRANSLATE_NOOP("StreamReason", "no answer from %1 (timed out)")),
    (re.compile(r"network unreachable for (.+)"),
     QT_TRANSLATE_NOOP("StreamReason", "network unreachable for %1")),
    (re.compile(r"connection reset by (.+)"),
     QT_TRANSLATE_NOOP("StreamReason", "connection reset by %1")),
    (re.compile(r"the source ended the stream"),
     QT_TRANSLATE_NOOP("StreamReason", "the source ended the stream")),
    (re.compile(r"the decode worker exited unexpectedly"),
     QT_TRANSLATE_NOOP("StreamReason", "the decode worker exited unexpectedly")),
    (re.compile(r"the decode worker stopped answering"),
     QT_TRANSLATE_NOOP("StreamReason", "the decode worker stopped answering")),
    (re.compile(r"the stream could not be opened"),
     QT_TRANSLATE_NOOP("StreamReason", "the stream could not be opened")),
    (re.compile(r"the server refused the stream"),
     QT_TRANSLATE_NOOP("StreamReason", "the server refused the stream")),
    (re.compile(r"this camera has no stream address"),
     QT_TRANSLATE_NOOP("StreamReason", "this camera has no stream address")),
    (re.compile(r"the stream address is malformed"),
     QT_TRANSLATE_NOOP("StreamReason", "the stream address is malformed")),
    (re.compile(r"no picture within (\d+) s"),
     QT_TRANSLATE_NOOP("StreamReason", "no picture within %1 s")),
    (re.compile(r"no new picture for (\d+) s \(stalled\)"),
     QT_TRANSLATE_NOOP("StreamReason", "no new picture for %1 s (stalled)")),
    (re.compile(r"HTTP (\d{3})"), QT_TRANSLATE_NOOP("StreamReason", "HTTP %1")),
]


def translate_reason(reason: str) -> str:
    """``reason`` in the UI language; the first matching pattern wins, the rest of the
    sentence (an HTTP status, a host) is kept."""
    for pattern, template in PATTERNS:
        found = pattern.search(reason)
        if found is None:
            continue
        text = QCoreApplication.translate("StreamReason", template)
        for index, value in enumerate(found.groups(), start=1):
            text = text.replace(f"%{index}", value)
        return reason[:found.start()] + text + reason[found.end():]
    return reason
