"""HTTP client for central (one aiohttp session), with errors that say what went wrong."""

from __future__ import annotations

from typing import Any

import aiohttp


class SyncError(Exception):
    """Base of everything the sync layer raises."""


class ServerUnreachable(SyncError):
    """No answer: the server is down, the network is cut, or the address is wrong."""


class AuthError(SyncError):
    """Wrong credentials, expired session or throttled login (message from the server)."""

    def __init__(self, message: str, code: str = "", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class ServerRejected(SyncError):
    """A 4xx answer: the request will never succeed as it is."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ServerError(SyncError):
    """A 5xx answer: try again later."""


class ApiClient:
    def __init__(self, base_url: str, timeout_s: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=5)
        self.token: str | None = None
        self.user: dict[str, Any] = {}

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def request(self, method: str, path: str, *, json: Any = None,
                      auth: bool = True) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        try:
            async with self.session.request(method, self.base_url + path, json=json,
                                            headers=headers) as resp:
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = {"error": "bad_response",
                            "message": f"the server sent something that is not JSON "
                                       f"(HTTP {resp.status})"}
        except (TimeoutError, aiohttp.ClientConnectionError, OSError) as exc:
            raise ServerUnreachable(f"cannot reach {self.base_url}: "
                                    f"{exc.__class__.__name__} {exc}".strip()) from exc
        except aiohttp.InvalidURL as exc:
            raise ServerUnreachable(f"invalid server address {self.base_url}") from exc
        if not isinstance(body, dict):
            body = {"error": "bad_response", "message": "unexpected answer from the server"}
        message = str(body.get("message", body.get("error", "")))
        if resp.status == 401:
            raise AuthError(message, str(body.get("error", "")))
        if resp.status == 429:
            raise AuthError(message, "throttled", body.get("retry_after"))
        if resp.status >= 500:
            raise ServerError(f"server error {resp.status}: {message}")
        if resp.status >= 400:
            raise ServerRejected(resp.status, str(body.get("error", "")), message)
        return body

    async def login(self, username: str, password: str) -> dict[str, Any]:
        body = await self.request("POST", "/api/login",
                                  json={"username": username, "password": password}, auth=False)
        self.token = body["token"]
        self.user = body["user"]
        return self.user

    async def changes(self, since: int, limit: int = 5000) -> dict[str, Any]:
        return await self.request("GET", f"/api/changes?since={since}&limit={limit}")

    async def action(self, idem_key: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await self.request("POST", "/api/actions",
                                  json={"idem_key": idem_key, "kind": kind, "payload": payload})

    async def fetch_bytes(self, path: str, max_bytes: int = 10 * 1024 * 1024) -> bytes:
        """An evidence image or other media file from central."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with self.session.get(self.base_url + path, headers=headers) as resp:
                if resp.status != 200:
                    raise ServerRejected(resp.status, "media", f"media {path}: HTTP {resp.status}")
                data = await resp.content.read(max_bytes + 1)
        except (aiohttp.ClientConnectionError, TimeoutError, OSError) as exc:
            raise ServerUnreachable(f"cannot fetch {path}: {exc}") from exc
        if len(data) > max_bytes:
            raise ServerRejected(413, "too_large", f"media {path} is larger than {max_bytes}")
        return data

    def ws_url(self, since: int) -> str:
        return f"{self.base_url}/api/ws?since={since}&token={self.token}"
