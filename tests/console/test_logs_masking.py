"""The console's log file and its crash dialog, through the real set-up: a camera password with
``@ : / ? #`` in it, a token in a query string, a password in a JSON body — none of them reaches
the file on disk or the report the operator copies to support."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from console.diagnostics.crash_dialog import CrashReporter
from console.diagnostics.logs import setup_logging

pytestmark = pytest.mark.timeout(60)

PASSWORD = "P@ss/w:rd?#1"
SECRET_URL = f"rtsp://admin:{PASSWORD}@192.0.2.10:554/Streaming/Channels/102?token=tok-9f8e7d"
SECRETS = ("P@ss", "ss/w", "w:rd", "rd?#", "tok-9f8e7d", "hunter22")


def _leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


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


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_the_log_file_holds_no_password_from_messages_args_or_tracebacks(log_file) -> None:
    log = logging.getLogger("kitchenwatch.test.masking")
    log.info("opening %s", SECRET_URL)  # in the arguments
    log.warning(f"player failed on {SECRET_URL}: 401 Unauthorized")  # in the message itself
    log.info("login body %s", {"username": "op", "password": "hunter22"})
    log.info("two addresses: %s then %s", SECRET_URL, "http://u:hunter22@cam-2:8080/x.flv")
    try:
        raise ConnectionError(f"cannot open {SECRET_URL}")
    except ConnectionError:
        log.exception("stream failed")
    log.info("stack", stack_info=True)
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert not _leaked(text), text
    assert text.count("rtsp://***@192.0.2.10:554/Streaming/Channels/102?token=***") == 4
    assert "http://***@cam-2:8080/x.flv" in text
    assert "ConnectionError: cannot open rtsp://***@192.0.2.10:554" in text


def test_an_argument_formatted_only_when_written_is_masked(log_file) -> None:
    """An object whose text (made only when the line is written) holds the address."""

    class Camera:
        def __str__(self) -> str:
            return f"camera at {SECRET_URL}"

    logging.getLogger("kitchenwatch.test.masking").info("%s", Camera())
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert "camera at rtsp://***@192.0.2.10:554" in text and not _leaked(text)


def test_the_crash_dialog_shows_no_password(qtbot, log_file) -> None:
    reporter = CrashReporter(log_file)
    try:
        try:
            raise RuntimeError(f"decoder lost {SECRET_URL} (retrying "
                               f"http://viewer:{PASSWORD}@central.example:8750/api/ws?since=1)")
        except RuntimeError as exc:
            reporter.handle(RuntimeError, exc, exc.__traceback__, "MainThread")
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
                        timeout=5000)
        shown = reporter.dialog.report.toPlainText()
        assert "RuntimeError: decoder lost rtsp://***@192.0.2.10:554" in shown
        assert "http://***@central.example:8750/api/ws?since=1" in shown
        assert not _leaked(shown), shown
        # A report handed to the dialog by anyone else is masked as well.
        reporter.dialog.add_report(f"extra: {SECRET_URL}")
        assert not _leaked(reporter.dialog.report_text())
        assert not _leaked(log_file.read_text(encoding="utf-8"))
    finally:
        if reporter.dialog is not None:
            reporter.dialog.close()
            reporter.dialog.deleteLater()
