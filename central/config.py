"""Server settings, from the command line or tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("kitchenwatch"))


@dataclass
class CentralConfig:
    db_url: str = field(default_factory=lambda: f"sqlite:///{default_data_dir() / 'central.db'}")
    media_dir: Path = field(default_factory=lambda: default_data_dir() / "central-media")
    token_lifetime: timedelta = timedelta(hours=12)
    login_failures_allowed: int = 5
    login_window_s: float = 300.0
    max_body_bytes: int = 2 * 1024 * 1024
    max_media_bytes: int = 5 * 1024 * 1024
    feed_page_max: int = 5000
    silent_check_s: float = 30.0
