"""The statistics dashboard: computed by central for the user's scope, cached locally so the
last figures stay visible when the server is away."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from console.shell.aio import spawn
from console.shell.docks import add_bottom_panel
from console.sync.client import ApiClient, SyncError
from console.sync.store import LocalStore
from widgets.dashboard import Dashboard

log = logging.getLogger("kitchenwatch.console.stats")
CACHE_KEY = "stats_cache"


class StatisticsView(QObject):
    def __init__(self, window: QMainWindow, store: LocalStore, client: ApiClient,
                 refresh_s: float = 60.0) -> None:
        super().__init__(window)
        self.store = store
        self.client = client
        self.dashboard = Dashboard()
        self.dock = add_bottom_panel(window, self.tr("Statistics"), "statistics",
                                     self.dashboard)
        self._timer = QTimer(self, interval=int(refresh_s * 1000))
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._task: asyncio.Future[Any] | None = None

    def shutdown(self) -> None:
        """Stop refreshing (the session ends; its loop and client go next)."""
        self._timer.stop()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def refresh(self) -> None:
        if not self._timer.isActive():
            return  # shut down
        if self._task is None or self._task.done():
            self._task = spawn(self._refresh(), name="statistics")

    async def load_cached(self) -> None:
        raw = await self.store.state(CACHE_KEY)
        if raw:
            self._show(json.loads(raw))

    async def _refresh(self) -> None:
        try:
            stats = await self.client.request("GET", "/api/stats")
        except SyncError as exc:
            log.info("statistics not refreshed (%s); showing the cached figures", exc)
            return
        self._show(stats)
        await self.store.set_state(CACHE_KEY, json.dumps(stats, ensure_ascii=False))

    def _show(self, stats: dict[str, Any]) -> None:
        try:
            self.dashboard.set_stats(stats)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("statistics from the server could not be shown: %s", exc)
