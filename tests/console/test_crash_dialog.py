"""An uncaught exception shows one dialog with a copyable, masked report and the window behind
it keeps running; the log file on disk never holds a camera or server password."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow

from console.diagnostics.crash_dialog import CrashReporter, build_report, log_tail
from console.diagnostics.logs import MaskCredentials, setup_logging

pytestmark = pytest.mark.timeout(60)

SECRET_URL = "rtsp://admin:Kitchen-Secret-9@192.0.2.10/Streaming/Channels/102"


@pytest.fixture
def log_file(tmp_path: Path):
    """The console's real logging set-up into a temporary data directory (removed after)."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = setup_logging(tmp_path / "data", "INFO", to_stderr=False)
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def reporter(qapp, log_file):
    reporter = CrashReporter(log_file)
    reporter.install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()
        reporter.dialog.deleteLater()


def test_log_file_masks_credentials(log_file: Path) -> None:
    log = logging.getLogger("kitchenwatch.test")
    log.info("opening %s", SECRET_URL)
    log.warning("ws %s", "ws://127.0.0.1:8750/api/ws?since=3&token=abcdef123")
    try:
        raise ConnectionError(f"cannot open {SECRET_URL}")
    except ConnectionError:
        log.exception("stream failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Kitchen-Secret-9" not in text and "abcdef123" not in text
    assert "rtsp://***@192.0.2.10/Streaming/Channels/102" in text
    assert "token=***" in text
    assert text.count("rtsp://***@") == 2  # the message and the exception in the traceback


def test_a_slot_exception_opens_one_dialog_and_the_window_keeps_running(
        qtbot, reporter: CrashReporter, log_file: Path) -> None:
    window = QMainWindow()
    window.setCentralWidget(QLabel("wall"))
    qtbot.addWidget(window)
    window.show()
    reporter.window = window
    ticks: list[int] = []
    heartbeat = QTimer(window, interval=20)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start()

    def failing_slot() -> None:
        raise RuntimeError(f"decoder gave up on {SECRET_URL}")

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
                    timeout=5000)
    dialog = reporter.dialog
    report = dialog.report.toPlainText()
    assert "RuntimeError: decoder gave up on rtsp://***@192.0.2.10" in report
    assert "Kitchen-Secret-9" not in report
    for part in ("Kitchen Watch:", "Qt:", "PySide6:", "Python:", "--- traceback ---",
                 "failing_slot", "--- last log lines"):
        assert part in report
    assert "uncaught exception in MainThread" in report  # the log tail made it in
    assert window.isVisible()
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > seen + 3, timeout=3000)  # the UI keeps going

    QTimer.singleShot(0, failing_slot)  # a repeat updates the same dialog
    qtbot.waitUntil(lambda: dialog.count == 2, timeout=5000)
    assert reporter.dialog is dialog
    assert dialog.summary.text().startswith("2 errors so far")

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.report_text()
    assert "Kitchen-Secret-9" not in QGuiApplication.clipboard().text()
    assert "Kitchen-Secret-9" not in log_file.read_text(encoding="utf-8")


def test_an_exception_in_another_thread_reaches_the_dialog(qtbot, reporter) -> None:
    def work() -> None:
        raise ValueError("worker thread failed")

    thread = threading.Thread(target=work, name="sync-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
                    timeout=5000)
    report = reporter.dialog.report.toPlainText()
    assert "Thread: sync-worker" in report
    assert "ValueError: worker thread failed" in report


def test_keep_working_hides_and_quit_asks_to_quit(qtbot, log_file) -> None:
    asked: list[bool] = []
    reporter = CrashReporter(log_file, on_quit=lambda: asked.append(True))
    try:
        reporter.handle(KeyError, KeyError("x"), None, "MainThread")
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
                        timeout=5000)
        reporter.dialog.quit_button.click()
        assert asked == [True]
        reporter.dialog.hide()
        assert not reporter.dialog.isVisible()
    finally:
        if reporter.dialog is not None:
            reporter.dialog.deleteLater()


def test_report_parts(tmp_path: Path) -> None:
    log = tmp_path / "console.log"
    log.write_text("\n".join(f"line {i} {SECRET_URL}" for i in range(100)) + "\n")
    tail = log_tail(log, lines=5)
    assert tail.splitlines()[0].startswith("line 95 ") and len(tail.splitlines()) == 5
    assert "cannot read" in log_tail(tmp_path / "missing.log")
    try:
        raise OSError("boom")
    except OSError as exc:
        report = build_report(OSError, exc, exc.__traceback__, "MainThread", log)
    assert "Kitchen-Secret-9" not in report and "line 99 rtsp://***@" in report
    assert MaskCredentials().filter(logging.makeLogRecord({"msg": SECRET_URL}))
