"""Server settings: one dataclass, filled from the command line or by tests.

Every limit a bureau might want to change lives here with its default, so the rest of the
server never hard-codes a number that an operator could reasonably ask about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import platformdirs

from db.models import Severity


def default_data_dir() -> Path:
    """Where central keeps its SQLite file and evidence images unless told otherwise."""
    return Path(platformdirs.user_data_dir("kitchenwatch"))


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'central.db'}"


def _default_deadlines() -> dict[int, timedelta]:
    # Reports cite a rectification plan within 2 h for serious cases and a re-check within 72 h.
    return {Severity.CRITICAL: timedelta(hours=2), Severity.MAJOR: timedelta(hours=24),
            Severity.MINOR: timedelta(hours=72), Severity.INFO: timedelta(hours=72)}


@dataclass
class CentralConfig:
    """Settings of one central server process."""

    db_url: str = field(default_factory=default_db_url)
    media_dir: Path = field(default_factory=lambda: default_data_dir() / "central-media")

    # --- login
    token_lifetime: timedelta = timedelta(hours=12)
    login_failures_per_user: int = 5  # per username *and* client address
    login_failures_per_address: int = 20  # per client address, any username
    login_window_s: float = 300.0
    token_cache_s: float = 30.0  # a logged-out token may live this long on another worker

    # --- request limits
    max_body_bytes: int = 2 * 1024 * 1024
    max_media_bytes: int = 5 * 1024 * 1024
    body_idle_timeout_s: float = 30.0  # a body that stops arriving this long is refused (408)
    max_readings_per_batch: int = 5000
    feed_page_default: int = 1000
    feed_page_max: int = 5000
    max_clock_skew: timedelta = timedelta(minutes=5)  # readings from the future are refused
    max_reading_age: timedelta = timedelta(days=7)  # gateways may replay a buffered backlog

    # --- live push
    ws_queue_size: int = 5000  # messages a WebSocket client may lag behind before it is dropped
    ws_send_timeout_s: float = 10.0
    sensor_feed_interval_s: float = 5.0  # a sensor row enters the feed once per slot this long

    # --- rules
    timezone: str = "Asia/Shanghai"  # meal services are local times
    silent_factor: float = 3.0  # a sensor is offline after this many missed intervals
    silent_check_s: float = 30.0
    meal_check_s: float = 60.0
    task_deadlines: dict[int, timedelta] = field(default_factory=_default_deadlines)

    # --- retention
    readings_retention: timedelta = timedelta(days=30)  # trends; alarms keep their values

    # --- process
    run_background: bool = True  # periodic checks; only one worker of several runs them
    worker_id: str = field(default_factory=lambda: f"{os.getpid()}")

    def deadline_for(self, severity: int) -> timedelta:
        """Default rectification deadline for a task of ``severity``."""
        return self.task_deadlines.get(int(severity), self.task_deadlines[Severity.MAJOR])
