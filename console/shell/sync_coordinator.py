"""The sync coordinator: adapts the Qt-free sync parts to Qt signals for the console's views.

Owns the puller, the live link, the pusher and the connection state machine; views only ever
see signals:

- ``state_changed(ConnectionStatus)`` — online / connecting (reconnecting) / offline since T /
  auth expired.
- ``progress(SyncProgress)`` — "1,234 / 20,000" while a pull runs.
- ``outbox_changed(pending, rejected)``.
- ``entities_changed(frozenset[str])`` — which kinds of rows changed in the cache, coalesced
  to at most one emission per ``coalesce_ms``, so a burst of thousands of changes costs the
  views one reload. While a pull of several pages runs (the initial sync of a province is 200
  pages), its changes are held back and told once when the pull ends (or fails, or after
  ``hold_max_s``): a reload of 300,000 registry rows every 250 ms would keep the console busy
  re-reading a registry that is still arriving.
- ``reading_received(dict)`` — a live sensor reading (not stored).
- ``alarm_received(dict)`` — an alarm row that changed while live (new or updated).
- ``session_ended(AuthError)`` — central no longer accepts this login (a 401 on any call made
  through the client, or the live link closed with 4401): syncing and delivery have stopped,
  the outbox is kept; the console asks for a login and calls :meth:`async_resume`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from common.backoff import Backoff
from console.sync.client import ApiClient, AuthError
from console.sync.live import LiveFeed, LiveSync
from console.sync.puller import DEFAULT_PAGE, Puller, SyncProgress
from console.sync.pusher import Pusher
from console.sync.state import ConnectionState, ConnectionStatus, ConnectionTracker
from console.sync.store import AppliedPage, LocalStore, OutboxCounts

log = logging.getLogger("kitchenwatch.console.sync")


class FullCollections:
    """Postpones Python's full (oldest generation) garbage collections while a long pull runs.

    A full collection walks every object the console holds and stops every thread meanwhile:
    during a province's snapshot the pages' short-lived rows triggered them every few seconds,
    and each froze the wall for 0.5-1 s. Young collections go on (they are cheap and free the
    pages' cycles); rows that are garbage are freed by their reference counts anyway. The
    normal threshold comes back when the pull ends, fails, or is cut short."""

    PAUSED = 1_000_000  # full collections after this many young ones: none in a pull

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    @property
    def paused(self) -> bool:
        return self._saved is not None

    def pause(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], self.PAUSED)

    def resume(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None


class SyncCoordinator(QObject):
    state_changed = Signal(object)  # ConnectionStatus
    progress = Signal(object)  # SyncProgress
    outbox_changed = Signal(int, int)  # pending, rejected
    entities_changed = Signal(object)  # frozenset[str]
    reading_received = Signal(dict)
    alarm_received = Signal(dict)
    session_ended = Signal(object)  # AuthError: why

    def __init__(self, client: ApiClient, store: LocalStore, *, coalesce_ms: int = 250,
                 page_size: int = DEFAULT_PAGE, backoff: Backoff | None = None,
                 hold_max_s: float = 60.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.store = store
        self.tracker = ConnectionTracker(client.base_url)
        self.puller = Puller(client, store, page_size=page_size,
                             on_progress=self._on_progress, on_applied=self._on_pulled)
        self.live = LiveFeed(client, store, on_applied=self._on_live,
                             on_reading=self.reading_received.emit)
        self.sync = LiveSync(client, store, self.puller, self.live, self.tracker,
                             on_status=self._on_status, on_online=self._on_online,
                             on_reset=self._on_pulled, backoff=backoff)
        self.pusher = Pusher(client, store, on_counts=self._on_counts,
                             on_repaired=self._mark_changed)
        self._pending: set[str] = set()
        # Changes of a pull still running (see the module docstring); None: not holding.
        self._held: set[str] | None = None
        self._held_since = 0.0
        self.hold_max_s = hold_max_s
        self._flush = QTimer(self)  # single shot: idle consoles do not wake up for nothing
        self._flush.setSingleShot(True)
        self._flush.setInterval(coalesce_ms)
        self._flush.timeout.connect(self._emit_entities)
        self._tasks: list[asyncio.Task[Any]] = []
        self.full_collections = FullCollections()
        self.counts = OutboxCounts()
        client.on_session_ended(self._on_session_ended)

    # -- state -------------------------------------------------------------------------------
    @property
    def status(self) -> ConnectionStatus:
        return self.tracker.status

    @property
    def state(self) -> ConnectionState:
        return self.tracker.state

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start syncing on the running (qasync) loop."""
        if self._tasks:
            return
        loop = asyncio.get_event_loop()
        self._tasks = [loop.create_task(self.sync.run(), name="sync-live"),
                       loop.create_task(self.pusher.run(), name="sync-push")]
        for task in self._tasks:
            task.add_done_callback(self._on_task_done)
        self.state_changed.emit(self.status)

    async def async_stop(self) -> None:
        self._flush.stop()
        self.full_collections.resume()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.client.close()

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("sync task %s ended: %r", task.get_name(), task.exception())

    # -- requests from the UI ------------------------------------------------------------------
    def wake_outbox(self) -> None:
        self.pusher.wake()

    def retry_now(self) -> None:
        """Skip the current backoff wait (the "retry now" of the status bar)."""
        self.sync.retry_now()
        self.pusher.wake()

    async def async_resume(self, fresh: ApiClient) -> None:
        """The same user logged in again (``fresh`` holds that login): carry on syncing from
        the cursor and send the outbox, with the client every view already holds."""
        self.client.adopt_login(fresh)
        await fresh.close()
        self.sync.credentials_renewed()
        self.pusher.wake()

    def _on_session_ended(self, reason: AuthError) -> None:
        self.sync.session_ended()  # the live link must not go on applying changes
        self.session_ended.emit(reason)

    # -- from the sync parts ------------------------------------------------------------------
    def _on_status(self, status: ConnectionStatus) -> None:
        self._release()  # a pull that failed half-way: show what it applied
        self.state_changed.emit(status)

    def _on_online(self) -> None:
        self.pusher.wake()  # deliver what queued up while we were away

    def _on_progress(self, progress: SyncProgress) -> None:
        if progress.finished:
            self._release()
        elif self._held is None:
            self._held, self._held_since = set(), time.monotonic()
            self.full_collections.pause()
        self.progress.emit(progress)

    def _on_counts(self, counts: OutboxCounts) -> None:
        self.counts = counts
        self.outbox_changed.emit(counts.pending, counts.rejected)

    def _on_pulled(self, page: AppliedPage) -> None:
        if self._held is None:
            self._mark_changed(page.touched)
            return
        self._held |= page.touched
        if time.monotonic() - self._held_since >= self.hold_max_s:
            self._release()
            self._held, self._held_since = set(), time.monotonic()
            self.full_collections.pause()

    def _release(self) -> None:
        """Tell the views what the pull held back."""
        held, self._held = self._held, None
        self.full_collections.resume()
        if held:
            self._mark_changed(frozenset(held))

    def _on_live(self, page: AppliedPage) -> None:
        self._mark_changed(page.touched)
        for alarm in page.alarms:
            self.alarm_received.emit(alarm)

    def _mark_changed(self, entities: frozenset[str]) -> None:
        if not entities:
            return
        self._pending |= entities
        if not self._flush.isActive():
            self._flush.start()

    def _emit_entities(self) -> None:
        if self._pending:
            names, self._pending = frozenset(self._pending), set()
            self.entities_changed.emit(names)

    def flush_now(self) -> None:
        """Emit pending entity changes at once (start-up, tests)."""
        self._emit_entities()
