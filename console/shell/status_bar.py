"""The main window's status bar: connection state, sync progress, outbox, clock.

A thin view of the coordinator's signals. The connection text says what the operator needs to
know — online, reconnecting, offline *since when* (the data on screen is at least that old),
or that the login has to be renewed — and the reason is in its tooltip. Clicking it retries at
once (or brings back the login dialog, with the reason, when the session ended); clicking the
outbox text lists the actions the server refused.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from console.sync.puller import SyncProgress
from console.sync.state import ConnectionState, ConnectionStatus

COLOURS = {ConnectionState.ONLINE: "#16a34a", ConnectionState.CONNECTING: "#ca8a04",
           ConnectionState.OFFLINE: "#dc2626", ConnectionState.AUTH_EXPIRED: "#dc2626"}
PROGRESS_MIN_TOTAL = 200  # do not flash a bar for a handful of rows after a reconnect


def _when(moment: datetime, now: datetime) -> str:
    """``14:03:22`` today, ``03-17 14:03`` on another day."""
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M")


class StatusPanel(QObject):
    """Owns the status bar's widgets."""

    retry_requested = Signal()
    relogin_requested = Signal()
    rejected_requested = Signal()

    def __init__(self, bar: QStatusBar, server: str) -> None:
        super().__init__(bar)
        self.server = server
        self.status: ConnectionStatus | None = None
        self.connection_label = QLabel(self.tr("● Connecting…"))
        self.connection_label.setObjectName("connection")
        self.connection_label.linkActivated.connect(self._on_link)
        self.progress = QProgressBar()
        self.progress.setObjectName("sync-progress")
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.outbox_label = QLabel("")
        self.outbox_label.setObjectName("outbox")
        self.outbox_label.linkActivated.connect(self._on_link)
        self.clock_label = QLabel("")
        self.clock_label.setObjectName("clock")
        bar.addWidget(self.connection_label)
        bar.addWidget(self.progress)
        bar.addPermanentWidget(self.outbox_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()

    # -- connection ----------------------------------------------------------------------------
    def set_connection(self, status: ConnectionStatus) -> None:
        self.status = status
        now = datetime.now().astimezone()
        state = status.state
        if state == ConnectionState.ONLINE:
            text = self.tr("● Online: %1").replace("%1", self.server)
        elif state == ConnectionState.OFFLINE:
            text = self.tr("● Offline since %1, working on the local cache").replace(
                "%1", _when(status.since, now))
            text += f" · <a href='retry'>{self.tr('retry now')}</a>"
        elif state == ConnectionState.AUTH_EXPIRED:
            text = self.tr("● Login expired since %1").replace("%1", _when(status.since, now))
            text += f" · <a href='relogin'>{self.tr('log in again')}</a>"
        elif status.reconnecting:
            text = self.tr("● Reconnecting…")
        else:
            text = self.tr("● Connecting to %1…").replace("%1", self.server)
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(f"color:{COLOURS[state]};")
        self.connection_label.setToolTip(status.detail)
        if state != ConnectionState.ONLINE:
            self.progress.hide()

    # -- sync progress -------------------------------------------------------------------------
    def set_progress(self, progress: SyncProgress) -> None:
        if progress.finished or progress.total < PROGRESS_MIN_TOTAL:
            self.progress.hide()
            return
        # QProgressBar counts in int; feed positions fit, and the text is ours ("1,234 / 20,000").
        self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        self.progress.setFormat(self.tr("Syncing %1").replace("%1", progress.text()))
        self.progress.show()

    # -- outbox --------------------------------------------------------------------------------
    def set_outbox(self, pending: int, rejected: int) -> None:
        parts = []
        if pending:
            parts.append(self.tr("%1 actions waiting to send").replace("%1", f"{pending:,}"))
        if rejected:
            parts.append("<a href='rejected' style='color:#dc2626;'>"
                         + self.tr("%1 refused by the server").replace("%1", f"{rejected:,}")
                         + "</a>")
        self.outbox_label.setText(" · ".join(parts))

    # -- misc ----------------------------------------------------------------------------------
    def _tick(self) -> None:
        self.clock_label.setText(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))

    def _on_link(self, link: str) -> None:
        {"retry": self.retry_requested, "relogin": self.relogin_requested,
         "rejected": self.rejected_requested}[link].emit()
