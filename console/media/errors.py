"""What the operator is told, in their language, when a photo from central is not shown.

The sync layer (Qt-free) raises typed errors in English for the log; the task board, the
alarm panel and the evidence pack turn them into one short sentence here, so a refused
address reads the same everywhere: it is not on this central server and was not downloaded.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.sync.client import (
    AuthError,
    RefusedAddress,
    ServerRejected,
    ServerUnreachable,
    SyncError,
)

translate = QCoreApplication.translate


def fetch_failure_text(exc: SyncError) -> str:
    """One sentence for the user about a photo that could not be fetched from central."""
    if isinstance(exc, RefusedAddress):
        return translate("CentralMedia", "The attachment address is not on this central "
                                         "server; not downloaded.")
    if isinstance(exc, AuthError):
        return translate("CentralMedia", "The session has ended; log in again to see the "
                                         "photo.")
    if isinstance(exc, ServerUnreachable):
        return translate("CentralMedia", "The central server cannot be reached; the photo "
                                         "was not downloaded.")
    if isinstance(exc, ServerRejected) and exc.code == "too_large":
        return translate("CentralMedia", "The photo is larger than the download limit; not "
                                         "downloaded.")
    if isinstance(exc, ServerRejected) and exc.status == 404:
        return translate("CentralMedia", "The photo is not on the central server (HTTP 404).")
    return translate("CentralMedia", "The photo could not be downloaded: %1").replace(
        "%1", exc.message)
