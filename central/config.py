"""Server settings: one dataclass, filled from the command line or by tests.

Every limit a bureau might want to change lives here with its default, so the rest of the
server never hard-codes a number that an operator could reasonably ask about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

import platformdirs
from aiohttp import web

from domain.alarms import Severity


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
    # Recorders' stores: a recorder named N keeps its segments under recordings_dir / N (the
    # index holds paths relative to that), shared with central (same disk or a network mount).
    recordings_dir: Path = field(default_factory=lambda: default_data_dir() / "recordings")

    # --- login
    token_lifetime: timedelta = timedelta(hours=12)
    # Throttling (central/throttle.py): after this many failures for one account, each attempt
    # waits login_delay_s, then twice as long, ... up to login_delay_max_s.
    login_failures_per_account: int = 5
    # Failures from one address for accounts that never logged in from there; then the same
    # growing delay for that address (accounts known there are exempt).
    login_failures_per_address: int = 20
    login_delay_s: float = 1.0
    login_delay_max_s: float = 900.0
    login_forget_s: float = 86400.0  # counters start afresh after this long without a failure
    login_known_days: float = 90.0  # an address stays "known" for an account this long
    # A checked token is trusted this long without asking the database again; the sweep and
    # this cache together end a session everywhere within SESSION_END_BOUND_S (capped at 1 s).
    token_cache_s: float = 1.0
    session_check_s: float = 0.5  # every worker re-checks its WebSockets' sessions this often
    # Peers whose X-Forwarded-For is believed (central/client_address.py); empty: nobody's.
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()

    # --- request limits
    max_body_bytes: int = 2 * 1024 * 1024
    max_media_bytes: int = 5 * 1024 * 1024
    # An AI box's own clip of an event (a few seconds of H.264 in MP4 or MPEG-TS).
    max_clip_bytes: int = 16 * 1024 * 1024
    max_ledger_bytes: int = 64 * 1024 * 1024  # a ledger file to import (30,000 rows: ~3 MB)
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


#: Where the application keeps its :class:`CentralConfig`. Defined here rather than in
#: :mod:`central.context` so that the modules context itself builds on (errors, the client
#: address) can read the config without importing it back (tests/test_layering.py refuses
#: import cycles).
CONFIG = web.AppKey("config", CentralConfig)
