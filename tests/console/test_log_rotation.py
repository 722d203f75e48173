"""A console that runs for weeks keeps a bounded logs folder, and the newest lines in it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from console.diagnostics import logs


def test_the_logs_folder_stays_bounded_however_much_is_logged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small files so the test writes a megabyte, not the 30 MB the real limits allow.
    monkeypatch.setattr(logs, "LOG_MAX_BYTES", 20_000)
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = logs.setup_logging(tmp_path / "data", "INFO", to_stderr=False)
    try:
        chatty = logging.getLogger("kitchenwatch.test.rotation")
        for i in range(10_000):  # ~1 MB: fifty times what the files may hold together
            chatty.info("stream D01-B%05d-C1 reconnecting after HTTP 503, attempt %d", i, i)
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
        root.setLevel(level)
    files = sorted(path.parent.glob("console.log*"))
    total = sum(f.stat().st_size for f in files)
    assert len(files) == logs.LOG_BACKUPS + 1
    assert total <= (logs.LOG_BACKUPS + 1) * logs.LOG_MAX_BYTES
    # The newest line is kept (what support reads first).
    assert "attempt 9999" in path.read_text(encoding="utf-8")
