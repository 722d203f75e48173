"""Initial snapshot and incremental pull of the change feed (Qt-free).

The feed keeps one row per entity, so reading from cursor 0 is a complete snapshot and reading
from a cursor is exactly what changed since. Pages of ``page_size`` rows are each applied in
one transaction together with the cursor, so a pull that is interrupted (network, crash,
quit) resumes from the last applied page. If the server's database was replaced (another
``feed_id``, or our cursor is ahead of its head), the cache is emptied and synced from 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.sync.client import ApiClient, ServerError, ServerRejected
from console.sync.store import AppliedPage, LocalStore
from db.models import SYNCED_ENTITIES

log = logging.getLogger("kitchenwatch.console.sync.pull")

DEFAULT_PAGE = 2000


@dataclass(frozen=True)
class SyncProgress:
    """How far a pull is, in feed positions since it started: ``done`` of ``total``.

    Positions, not rows: a district user's feed skips other districts' rows, so the number of
    rows is only known at the end; positions reach ``total`` exactly when the pull is done.
    """

    done: int
    total: int
    rows: int  # rows applied so far

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def text(self) -> str:
        """``1,234 / 20,000``."""
        return f"{self.done:,} / {self.total:,}"


class Puller:
    def __init__(self, client: ApiClient, store: LocalStore, *, page_size: int = DEFAULT_PAGE,
                 on_progress: Callable[[SyncProgress], None] | None = None,
                 on_applied: Callable[[AppliedPage], None] | None = None) -> None:
        if not 1 <= page_size <= 5000:
            raise ValueError("page_size must be within 1..5000 (the server's limit)")
        self.client = client
        self.store = store
        self.page_size = page_size
        self.on_progress = on_progress or (lambda progress: None)
        self.on_applied = on_applied or (lambda page: None)

    async def pull(self) -> int:
        """Page the feed from the stored cursor up to the server's head; returns the number of
        rows applied. Raises the client's errors (the caller retries; applied pages stay).

        The next page is asked for while the current one is written: central reads and
        encodes it while the local store writes, so a province's 300 pages cost about the
        slower of the two sides rather than their sum."""
        cursor, known_feed = await self.store.feed_position()
        start, rows, restarted = cursor, 0, False
        ahead: asyncio.Task[dict[str, Any]] | None = None
        try:
            while True:
                try:
                    if ahead is not None:
                        fetch, ahead = ahead, None
                        page = await fetch
                    else:
                        page = await self.client.changes(cursor, self.page_size)
                except ServerRejected as exc:
                    if exc.code != "cursor_ahead" or restarted:
                        raise
                    await self._restart(f"our cursor {cursor} is ahead of the server's feed "
                                        f"({exc.message})")
                    cursor, known_feed, start, restarted = 0, "", 0, True
                    continue
                try:
                    changes = list(page["changes"])
                    last_seq, head, more = int(page["last_seq"]), int(page["head_seq"]), \
                        bool(page["more"])
                except (KeyError, TypeError, ValueError) as exc:
                    raise ServerError(f"the change feed answer lacks or garbles {exc}",
                                      code="bad_response") from exc
                feed_id = str(page.get("feed_id") or "")
                if known_feed and feed_id and feed_id != known_feed and not restarted:
                    await self._restart(f"the server's database changed (feed {feed_id}, our "
                                        f"cache came from {known_feed})")
                    cursor, known_feed, start, restarted = 0, "", 0, True
                    continue
                if more:  # the cursor after this page is its last_seq: ask for the next now
                    ahead = asyncio.ensure_future(self.client.changes(last_seq, self.page_size))
                applied = await self.store.apply_changes(changes, upto=last_seq,
                                                         feed_id=feed_id or None)
                known_feed = feed_id or known_feed
                rows += applied.applied
                cursor = applied.cursor
                if applied.touched:
                    self.on_applied(applied)
                total = max(head - start, 0)
                self.on_progress(SyncProgress(
                    min(max(cursor - start, 0), total) if more else total, total, rows))
                if not more:
                    if rows:
                        log.info("pulled %d changed rows (cursor %d)", rows, cursor)
                    return rows
        finally:
            if ahead is not None:  # a failed write or a cancelled pull: drop the request
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await ahead

    async def _restart(self, reason: str) -> None:
        await self.store.reset_cache(reason)
        self.on_applied(AppliedPage(0, 0, frozenset(SYNCED_ENTITIES)))
