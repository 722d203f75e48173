"""Help → About: versions of everything support asks for, and what this installation's decoders
can open (which is why a camera plays on one PC and not on another: Debian's libVLC has no RTSP).

The versions are shown at once; the decoder probe
(:func:`console.diagnostics.capabilities.probe_all`) loads libVLC and PyAV, so it runs once per
process on a helper thread and the dialog fills in when it is done. "Copy" puts the same facts
as plain text on the clipboard.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import __version__
from console.diagnostics.capabilities import Capabilities, EngineReport, probe_all, versions

log = logging.getLogger("kitchenwatch.console.about")
PROTOCOL_ORDER = ("file", "http", "https", "hls", "http-flv", "http-ts", "rtsp", "rtmp",
                  "udp/rtp", "srt", "h264")


class _Prober(QObject):
    """One probe per process, shared by every About dialog (capabilities do not change)."""

    done = Signal(object)  # Capabilities

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.result: Capabilities | None = None
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        threading.Thread(target=self._run, name="about-probe", daemon=True).start()

    def _run(self) -> None:
        try:
            result = probe_all()
        except Exception as exc:  # never leave the dialog waiting
            log.exception("probing the decoders failed")
            result = Capabilities(versions(), [EngineReport("libVLC", error=str(exc))])
        self.result = result
        self.done.emit(result)


_prober: _Prober | None = None


def prober() -> _Prober:
    global _prober
    if _prober is None:
        _prober = _Prober()
    return _prober


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle(self.tr("About Kitchen Watch"))
        title = QLabel(self.tr("Kitchen Watch %1 — bright-kitchen supervision console")
                       .replace("%1", __version__))
        title.setStyleSheet("font-weight:600; font-size:15px;")
        self.versions = QTableWidget(0, 2)
        self.versions.setObjectName("about-versions")
        self.versions.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version")])
        self.capabilities = QTableWidget(len(PROTOCOL_ORDER), 2)
        self.capabilities.setObjectName("about-capabilities")
        self.capabilities.setHorizontalHeaderLabels(["FFmpeg (PyAV)", "libVLC"])
        self.capabilities.setVerticalHeaderLabels([self._protocol_label(p)
                                                   for p in PROTOCOL_ORDER])
        for table in (self.versions, self.capabilities):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions.verticalHeader().hide()
        self.status = QLabel(self.tr("Checking what the decoders can open…"))
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.versions)
        layout.addWidget(QLabel(self.tr("Stream protocols this computer can open")))
        layout.addWidget(self.capabilities)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(640, 0)
        self.result: Capabilities | None = None
        self._show_versions(versions(), [])
        probe = prober()
        if probe.result is not None:
            self.show_capabilities(probe.result)
        else:
            probe.done.connect(self.show_capabilities, Qt.ConnectionType.QueuedConnection)
            probe.start()

    def _protocol_label(self, protocol: str) -> str:
        if protocol == "file":
            return self.tr("local file")
        if protocol == "h264":
            return self.tr("H.264 decoding")
        return protocol.upper() if protocol in ("http", "https", "hls", "rtsp", "rtmp",
                                                "srt") else protocol

    def _show_versions(self, values: dict[str, str], engines: list[EngineReport]) -> None:
        rows = list(values.items()) + [
            (engine.name, engine.version if engine.loaded
             else self.tr("not available: %1").replace("%1", engine.error))
            for engine in engines]
        self.versions.setRowCount(len(rows))
        for row, (name, value) in enumerate(rows):
            self.versions.setItem(row, 0, QTableWidgetItem(name))
            self.versions.setItem(row, 1, QTableWidgetItem(value))
        self._fit(self.versions)
        self._fit(self.capabilities)

    @staticmethod
    def _fit(table: QTableWidget) -> None:
        """As tall as its rows: everything visible at once, no scrolling in an About box."""
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height)

    @Slot(object)
    def show_capabilities(self, result: Capabilities) -> None:
        self.result = result
        self._show_versions(result.versions, result.engines)
        by_name = {engine.name: engine for engine in result.engines}
        notes = []
        for column, name in enumerate(("FFmpeg (PyAV)", "libVLC")):
            engine = by_name.get(name)
            for row, protocol in enumerate(PROTOCOL_ORDER):
                if engine is None or not engine.loaded:
                    text = "—"
                elif protocol not in engine.protocols:
                    text = ""
                else:
                    text = self.tr("yes") if engine.protocols[protocol] else self.tr("no")
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.capabilities.setItem(row, column, item)
            if engine is not None and engine.loaded and engine.error:
                notes.append(f"{name}: {engine.error}")
        libvlc = by_name.get("libVLC")
        if libvlc is not None and libvlc.loaded and not libvlc.protocols.get("rtsp", True):
            notes.append(self.tr("This libVLC has no RTSP module (Debian builds VLC without "
                                 "live555). The console still opens RTSP cameras: it remuxes "
                                 "them with FFmpeg before libVLC decodes them."))
        self.status.setText("\n".join(notes) or self.tr("Decoders checked."))

    def text(self) -> str:
        if self.result is not None:
            return self.result.as_text()
        return "\n".join(f"{k}: {v}" for k, v in versions().items())

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
