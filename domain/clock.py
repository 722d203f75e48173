"""UTC time: every timestamp in both databases and on the wire is aware UTC; the UI localises."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now (a naive value would compare wrongly with stored ones and is refused)."""
    return datetime.now(UTC)
