"""Uncaught exceptions: logged, and shown in a dialog with a report the operator can copy to
support, while the wall keeps running.

:class:`CrashReporter` installs ``sys.excepthook`` (the UI thread, including exceptions that
PySide6 reports from slots and overridden virtuals such as ``paintEvent``) and
``threading.excepthook`` (every other thread). The report reaches the UI thread through a
queued signal; a failure that repeats (a paint handler fails 25 times a second) updates one
dialog with a counter instead of opening a storm of windows. Nothing here quits the console: the
operator decides, with the wall still showing kitchens behind the dialog.

Reports carry versions, the traceback and the last lines of the log, all passed through
:func:`common.masking.mask_text`, so a report never contains a camera password or a token.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.masking import mask_text
from console.diagnostics.capabilities import versions

log = logging.getLogger("kitchenwatch.console.crash")
LOG_TAIL_LINES = 40
KEEP_REPORTS = 5


def log_tail(path: Path | None, lines: int = LOG_TAIL_LINES, max_bytes: int = 64_000) -> str:
    """The last ``lines`` lines of the log file (read from its end: logs grow to 5 MB)."""
    if path is None:
        return "(no log file)"
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - max_bytes))
            data = f.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc.strerror or exc})"
    return "\n".join(data.splitlines()[-lines:])


def _versions_text() -> str:
    parts = [f"{name}: {value}" for name, value in versions().items()]
    vlc = sys.modules.get("vlc")  # never load libVLC while handling a crash
    if vlc is not None:
        try:
            parts.append(f"libVLC: {vlc.libvlc_get_version().decode(errors='replace')}")
        except Exception as exc:
            parts.append(f"libVLC: unknown ({type(exc).__name__})")
    av = sys.modules.get("av")
    if av is not None:
        # ffmpeg_version_info is PyAV >= 13.1; pyproject allows 12.
        parts.append(f"PyAV: {av.__version__} "
                     f"(FFmpeg {getattr(av, 'ffmpeg_version_info', '?')})")
    return "\n".join(parts)


def build_report(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None, thread: str, log_file: Path | None) -> str:
    """The whole report as plain text, credentials masked."""
    trace = "".join(traceback.format_exception(exc_type, exc, tb))
    when = datetime.now().astimezone().isoformat(timespec="seconds")
    text = (f"Kitchen Watch error report — {when}\nThread: {thread}\n\n{_versions_text()}\n\n"
            f"--- traceback ---\n{trace}\n"
            f"--- last log lines ({log_file or 'no log file'}) ---\n{log_tail(log_file)}\n")
    return mask_text(text)


class CrashDialog(QDialog):
    """Non-modal: the wall stays live and usable behind it."""

    quit_requested = Signal()

    def __init__(self, log_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash-dialog")
        self.setWindowTitle(self.tr("Kitchen Watch — unexpected error"))
        self.setModal(False)
        self.log_dir = log_dir
        self.reports: list[str] = []
        self.count = 0
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.report = QPlainTextEdit()
        self.report.setObjectName("crash-report")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setMinimumSize(720, 360)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy report"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.logs_button = QPushButton(self.tr("Open log folder"))
        self.logs_button.setEnabled(log_dir is not None)
        self.logs_button.clicked.connect(self._open_logs)
        buttons.addButton(self.logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = QPushButton(self.tr("Quit Kitchen Watch"))
        self.quit_button.clicked.connect(self.quit_requested)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Keep working"))
        close.clicked.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.report)
        layout.addWidget(buttons)

    def add_report(self, report: str) -> None:
        report = mask_text(report)  # whoever built it: the dialog itself shows no secret
        self.count += 1
        self.reports = [*self.reports, report][-KEEP_REPORTS:]
        if self.count == 1:
            text = self.tr("Something went wrong inside Kitchen Watch. The video wall and the "
                           "alarms keep running. Copy the report below and send it to support; "
                           "it contains no passwords.")
        else:
            text = (self.tr("%1 errors so far (the last %2 are shown). The video wall and the "
                            "alarms keep running. Copy the report and send it to support; "
                            "restart Kitchen Watch if something no longer works.")
                    .replace("%1", str(self.count)).replace("%2", str(len(self.reports))))
        self.summary.setText(text)
        self.report.setPlainText(self.report_text())

    def report_text(self) -> str:
        return ("\n" + "=" * 72 + "\n").join(self.reports)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText(self.tr("Copied"))

    def _open_logs(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))


class _Reporting(threading.local):
    """Per thread: is this thread already reporting a crash (then a second one is not)."""

    active = False


class CrashReporter(QObject):
    """Owns the hooks and the one dialog. ``install()`` / ``uninstall()``."""

    report_ready = Signal(str)

    def __init__(self, log_file: Path | None = None, parent: QObject | None = None,
                 on_quit: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: CrashDialog | None = None
        self.window: QWidget | None = None  # the main window, once there: the dialog stays on it
        self._on_quit = on_quit
        self._previous: tuple[Any, Any] | None = None
        self._reporting = _Reporting()
        # Emitted from any thread; the slot runs on this object's (the UI) thread.
        self.report_ready.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            previous = self._previous[0] if self._previous else sys.__excepthook__
            previous(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, threading.current_thread().name)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None, thread: str) -> None:
        """Log the exception and queue the report for the dialog (any thread)."""
        if self._reporting.active:
            return  # the reporter itself failed: do not recurse
        self._reporting.active = True
        try:
            log.critical("uncaught exception in %s", thread, exc_info=(exc_type, exc, tb))
            for handler in logging.getLogger().handlers:
                handler.flush()  # the report's log tail must include the traceback above
            report = build_report(exc_type, exc, tb, thread, self.log_file)
            if QApplication.instance() is not None:
                self.report_ready.emit(report)
            else:
                sys.stderr.write(report)
        except Exception:
            sys.stderr.write("Kitchen Watch: the error reporter failed:\n"
                             + mask_text(traceback.format_exc()))
        finally:
            self._reporting.active = False

    def report_previous_crash(self, trace: str) -> None:
        """The last run ended in a crash in native code: say so, with the stacks it left."""
        head = QCoreApplication.translate(
            "CrashReporter", "The console stopped unexpectedly the last time it ran (a crash "
                             "in native code: the video, the graphics driver or Qt). The "
                             "stacks of its threads at that moment:")
        self.report_ready.emit(f"{head}\n\n{mask_text(trace)}")

    @Slot(str)
    def _show(self, report: str) -> None:
        if self.dialog is None:
            log_dir = self.log_file.parent if self.log_file is not None else None
            self.dialog = CrashDialog(log_dir, self.window)
            self.dialog.quit_requested.connect(self._quit)
        self.dialog.add_report(report)
        self.dialog.show()
        self.dialog.raise_()

    def _quit(self) -> None:
        log.info("quit requested from the error dialog")
        if self._on_quit is not None:
            self._on_quit()
        else:
            app = QApplication.instance()
            if app is not None:
                app.quit()
