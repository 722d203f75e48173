"""Stream failure reasons in the operator's language.

The engine's Qt-free parts (watchdog, diagnosis, workers) describe failures in English, which is
also what goes into logs and to central. Tiles show them translated: each known wording is a
pattern here whose template goes through Qt's translator; anything unknown is shown as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("StreamReason", text)


# (pattern, template producer); groups fill %1, %2 … in order.
PATTERNS: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (re.compile(r"picture unchanged for (\d+) s"), lambda: _t("picture unchanged for %1 s")),
    (re.compile(r"picture is black: lens covered or camera dark"),
     lambda: _t("picture is black: lens covered or camera dark")),
    (re.compile(r"connection refused by (.+)"), lambda: _t("connection refused by %1")),
    (re.compile(r"connection refused"), lambda: _t("connection refused")),
    (re.compile(r"host name (.+) not found \(DNS\)"), lambda: _t("host name %1 not found (DNS)")),
    (re.compile(r"no answer from (.+) \(timed out\)"), lambda: _t("no answer from %1 (timed out)")),
    (re.compile(r"network unreachable for (.+)"), lambda: _t("network unreachable for %1")),
    (re.compile(r"connection reset by (.+)"), lambda: _t("connection reset by %1")),
    (re.compile(r"the source ended the stream"), lambda: _t("the source ended the stream")),
    (re.compile(r"the decode worker exited unexpectedly"),
     lambda: _t("the decode worker exited unexpectedly")),
    (re.compile(r"the decode worker stopped answering"),
     lambda: _t("the decode worker stopped answering")),
    (re.compile(r"the stream could not be opened"), lambda: _t("the stream could not be opened")),
    (re.compile(r"the server refused the stream"), lambda: _t("the server refused the stream")),
    (re.compile(r"this camera has no stream address"),
     lambda: _t("this camera has no stream address")),
    (re.compile(r"the stream address is malformed"),
     lambda: _t("the stream address is malformed")),
    (re.compile(r"no picture within (\d+) s"), lambda: _t("no picture within %1 s")),
    (re.compile(r"no new picture for (\d+) s \(stalled\)"),
     lambda: _t("no new picture for %1 s (stalled)")),
    (re.compile(r"HTTP (\d{3})"), lambda: _t("HTTP %1")),
]


def translate_reason(reason: str) -> str:
    """``reason`` in the UI language; the first matching pattern wins, the rest of the
    sentence (an HTTP status, a host) is kept."""
    for pattern, template in PATTERNS:
        found = pattern.search(reason)
        if found is None:
            continue
        text = template()
        for index, value in enumerate(found.groups(), start=1):
            text = text.replace(f"%{index}", value)
        return reason[:found.start()] + text + reason[found.end():]
    return reason
