"""The simulator's client to central: login, feed paging, posting, with retries.

Central may be restarted under a running simulator; every call retries with capped backoff
instead of bringing the simulated kitchens down.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import aiohttp

log = logging.getLogger("kitchenwatch.sim.client")


class CentralError(RuntimeError):
    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else str(body)
        super().__init__(f"central answered {status}: {message}")
        self.status = status
        self.body = body


class CentralClient:
    def __init__(self, session: aiohttp.ClientSession, base: str, username: str,
                 password: str) -> None:
        self.session = session
        self.base = base.rstrip("/")
        self.username = username
        self._password = password
        self._token: str | None = None

    async def _login(self) -> None:
        async with self.session.post(f"{self.base}/api/login", json={
                "username": self.username, "password": self._password}) as resp:
            body = await resp.json(content_type=None)
            if resp.status != 200:
                raise CentralError(resp.status, body)
            self._token = body["token"]

    async def request(self, method: str, path: str, *, json: Any = None, data: bytes | None = None,
                      headers: dict[str, str] | None = None, retries: int = 8) -> Any:
        delay = 0.5
        for attempt in range(retries + 1):
            try:
                if self._token is None:
                    await self._login()
                hdrs = {"Authorization": f"Bearer {self._token}", **(headers or {})}
                async with self.session.request(method, self.base + path, json=json, data=data,
                                                headers=hdrs) as resp:
                    body = await resp.json(content_type=None)
                    if resp.status == 401:
                        self._token = None
                        raise CentralError(401, body)
                    if resp.status >= 500:
                        raise CentralError(resp.status, body)
                    if resp.status >= 400:
                        raise CentralError(resp.status, body)  # not retried below
                    return body
            except CentralError as exc:
                if exc.status not in (401,) and exc.status < 500:
                    raise
                error: Exception = exc
            except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                error = exc
            if attempt == retries:
                raise error
            if attempt == 0:
                log.info("central unreachable (%s); retrying", error)
            await asyncio.sleep(delay + random.uniform(0, delay / 2))
            delay = min(delay * 2, 10.0)
        raise AssertionError("unreachable")

    async def changes(self, since: int) -> tuple[list[dict[str, Any]], int]:
        """All feed rows after ``since`` (paged), and the new cursor."""
        rows: list[dict[str, Any]] = []
        while True:
            page = await self.request("GET", f"/api/changes?since={since}&limit=5000")
            rows.extend(page["changes"])
            since = page["last_seq"]
            if not page["more"]:
                return rows, since
