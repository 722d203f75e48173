"""The HTTP/WebSocket client for central: one ``aiohttp.ClientSession`` per login, typed errors
that carry the server's own words, timeouts on everything.

Qt-free. Error classes map the protocol's answers (docs/protocol.md, "Errors") to what the
caller must do about them:

- :class:`ServerUnreachable` — no answer (refused, DNS, timeout): try again later.
- :class:`AuthError` — 401: the server no longer accepts this login (expired, logged out
  elsewhere, account disabled, password reset, role changed). The client never keeps the
  password: it forgets the token, refuses every further authenticated call at once and tells
  its listeners (:meth:`ApiClient.on_session_ended`), so the console stops syncing, keeps its
  outbox and asks for a login. Only an unattended screen given a *password source* (a file,
  the environment, the system password store) reads it there again and logs in by itself.
- :class:`Throttled` — 429: wait ``retry_after`` seconds.
- :class:`ServerError` — 5xx: the server failed; try again later with the same request.
- :class:`ServerRejected` — any other 4xx: this request will never succeed as it is.
- :class:`RefusedAddress` — the reference is not a path on this central server (see
  :mod:`console.sync.urls`): refused here, never sent; the token stays home.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import aiohttp
from yarl import URL

from console.sync.urls import RefusedReference, central_media_url, central_url

log = logging.getLogger("kitchenwatch.console.sync.client")
_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s'\"]+")

# An error answer to a download is read only when it is this small (central's JSON error).
_ERROR_BODY_LIMIT = 64 * 1024
# Answers longer than this are decoded on a worker thread: a change-feed page of 2,000 rows
# (about 1.5 MB) took 25-50 ms of the UI thread's time to decode, 350 times in a province's
# initial sync.
OFF_LOOP_DECODE_BYTES = 256 * 1024


def decode_json(raw: bytes) -> Any:
    """The JSON value of an answer's body (``ValueError`` if it is not JSON)."""
    return jsonlib.loads(raw)


async def decode_body(raw: bytes) -> Any:
    """:func:`decode_json`, on a worker thread for a long body (the loop is the UI's)."""
    if len(raw) < OFF_LOOP_DECODE_BYTES:
        return decode_json(raw)
    return await asyncio.get_event_loop().run_in_executor(None, decode_json, raw)

# 401 codes (and reasons of a WebSocket closed with CLOSE_SESSION_ENDED) that a fresh login
# may cure; ``account_disabled`` and ``bad_credentials`` are not among them.
SESSION_CODES = frozenset({"token_expired", "invalid_token", "not_logged_in", "logged_out",
                           "password_changed", "role_changed", "session_ended",
                           "login_needed"})
# Central closes a user's WebSockets with this code (and a short reason) when the session
# ends: logout, expiry, a disabled account, a password reset, a changed role or district.
CLOSE_SESSION_ENDED = 4401
# Words in a close reason → the 401 code they stand for (first match wins).
_REASON_CODES = (("disabled", "account_disabled"), ("expired", "token_expired"),
                 ("logged out", "logged_out"), ("logout", "logged_out"),
                 ("password", "password_changed"), ("role", "role_changed"),
                 ("district", "role_changed"))
# Gives the password of an unattended screen when it must log in again (read from its file,
# the environment or the system password store at that moment; never kept by the client).
PasswordSource = Callable[[], "str | None"]


class SyncError(Exception):
    """Base of everything the sync layer raises; ``message`` is fit to show to a user."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class ServerUnreachable(SyncError):
    """No answer: the server is down, the network is cut, the address is wrong, or it timed
    out."""


class AuthError(SyncError):
    """401: wrong credentials, expired or revoked session, disabled account."""

    @property
    def session_expired(self) -> bool:
        """True when logging in again (with the same or a new password) may cure it."""
        return self.code in SESSION_CODES


def session_closed(reason: str) -> AuthError:
    """The live link was closed with :data:`CLOSE_SESSION_ENDED`: the same as a 401, its code
    taken from the server's reason ("logged out", "expired", "account disabled", …)."""
    text = reason.strip().lower()
    code = next((c for word, c in _REASON_CODES if word in text), "session_ended")
    return AuthError(reason.strip() or "the server ended the session", status=401, code=code)


class Throttled(SyncError):
    """429: too many attempts (failed logins); ``retry_after`` seconds until the next try."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message, status=429, code="throttled")
        self.retry_after = retry_after


class ServerError(SyncError):
    """5xx: the server failed to answer this time; the same request may succeed later."""


class ServerRejected(SyncError):
    """Another 4xx: the request will never succeed as it is; ``body`` is the server's answer
    (for 409 it may hold ``current``, the row as the server has it)."""

    def __init__(self, message: str, *, status: int, code: str,
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(message, status=status, code=code)
        self.body = body or {}


class RefusedAddress(SyncError):
    """A reference (an attachment's or evidence's address, a request path) that is not a
    path on this central server: refused before any connection, so the token is never sent
    elsewhere. ``reference`` is the refused text, safe to log."""

    def __init__(self, refused: RefusedReference) -> None:
        super().__init__(f"the address {refused.reference} is not on this central server "
                         f"({refused.reason}); it was not contacted", code="refused_reference")
        self.reference = refused.reference
        self.reason = refused.reason


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: datetime | None
    user: dict[str, Any]


def normalise_server_url(url: str) -> str:
    """``10.0.0.5:8750`` → ``http://10.0.0.5:8750``; rejects what cannot be a server address."""
    url = url.strip()
    if not url:
        raise ValueError("the server address is empty")
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a server address (expected http://host:port)")
    return url.rstrip("/")


def _classify(status: int, body: dict[str, Any]) -> SyncError:
    code = str(body.get("error") or "")
    message = str(body.get("message") or code or f"HTTP {status}")
    if status == 401:
        return AuthError(message, status=status, code=code)
    if status == 429:
        retry = body.get("retry_after")
        return Throttled(message, float(retry) if isinstance(retry, int | float) else None)
    if status >= 500:
        return ServerError(f"the server failed (HTTP {status}): {message}", status=status,
                           code=code)
    return ServerRejected(message, status=status, code=code, body=body)


class ApiClient:
    """One logged-in connection to central.

    The ``aiohttp.ClientSession`` is created on first use inside the running loop and closed by
    :meth:`close`; everything this console sends to central goes through it.
    """

    # Check the server's HTTPS certificate (the console's settings can turn it off for every
    # client at start-up: ``ApiClient.verify_tls = False``).
    verify_tls: ClassVar[bool] = True

    def __init__(self, base_url: str, *, timeout_s: float = 15.0,
                 connect_timeout_s: float = 5.0) -> None:
        self.base_url = normalise_server_url(base_url)
        self.timeout_s = timeout_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=connect_timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._login_lock: asyncio.Lock | None = None
        # Only for unattended screens: where to read the password again (never the password).
        self.password_source: PasswordSource | None = None
        self.ended: AuthError | None = None  # why the server stopped accepting this login
        self._ended_listeners: list[Callable[[AuthError], None]] = []
        self.token: str | None = None
        self.expires_at: datetime | None = None
        self.user: dict[str, Any] = {}

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # verify_tls=False (settings: a test server's self-signed certificate) skips the
            # HTTPS certificate check for this client's requests and WebSocket.
            connector = None if self.verify_tls else aiohttp.TCPConnector(ssl=False)
            self._session = aiohttp.ClientSession(timeout=self._timeout, connector=connector)
        return self._session

    @property
    def username(self) -> str:
        return str(self.user.get("username", ""))

    @property
    def can_relogin(self) -> bool:
        """True for an unattended screen that may read its password again by itself."""
        return self.password_source is not None and bool(self.username)

    def set_password_source(self, username: str, source: PasswordSource | None) -> None:
        """An unattended screen (``--kiosk``): log in as ``username`` with what ``source()``
        gives at that moment, now (started offline) and whenever the session ends."""
        self.user = self.user or {"username": username}
        self.password_source = source

    def forget_password(self) -> None:
        """Stop logging in again by ourselves."""
        self.password_source = None

    def on_session_ended(self, callback: Callable[[AuthError], None]) -> None:
        """``callback(reason)`` runs (on the loop) once when the server ends this login."""
        self._ended_listeners.append(callback)

    def end_session(self, reason: AuthError) -> AuthError:
        """The server no longer accepts this login: forget the token, refuse every further
        authenticated call without sending it, tell the listeners (once). Returns ``reason``
        for ``raise``."""
        self.token = None
        if self.ended is None:
            self.ended = reason
            log.warning("central ended the session of %s: %s (%s)", self.username or "?",
                        reason.message, reason.code or reason.status)
            for callback in list(self._ended_listeners):
                try:
                    callback(reason)
                except Exception:
                    log.exception("a session-ended listener failed")
        return reason

    def refusal(self) -> AuthError:
        """A fresh copy of why the session ended, to raise (raising one instance again and
        again would keep growing its traceback)."""
        assert self.ended is not None
        return AuthError(self.ended.message, status=401, code=self.ended.code)

    def adopt_login(self, other: ApiClient) -> None:
        """Take the login ``other`` just made (the same user logged in again in the dialog):
        every part of the console holding this client carries on with the new token."""
        self.token, self.expires_at, self.user = other.token, other.expires_at, dict(other.user)
        self.ended = None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _unreachable(self, exc: BaseException) -> ServerUnreachable:
        if isinstance(exc, TimeoutError):
            return ServerUnreachable(f"{self.base_url} did not answer within "
                                     f"{self.timeout_s:.0f} s")
        if isinstance(exc, aiohttp.InvalidURL):
            return ServerUnreachable(f"invalid server address {self.base_url}")
        detail = _TOKEN_IN_URL.sub(r"\1***", str(exc)) or exc.__class__.__name__
        return ServerUnreachable(f"cannot reach {self.base_url}: {detail}")

    def url(self, reference: str, *, media: bool = False) -> URL:
        """The address of ``reference`` on this central server — the only way this client
        builds one. A reference that is not a plain path on central's own origin (with
        ``media``: not ``/media/<sha256>.jpg|png|mp4|ts``) raises :class:`RefusedAddress` and is
        logged (the token is never part of a reference)."""
        try:
            if media:
                return central_media_url(self.base_url, reference)
            return central_url(self.base_url, reference)
        except RefusedReference as exc:
            log.warning("refused to contact %s for %s: %s", self.base_url, exc.reference,
                        exc.reason)
            raise RefusedAddress(exc) from None

    async def _send(self, method: str, path: str, json: Any, auth: bool, *,
                    data: bytes | None = None, content_type: str = "",
                    timeout_s: float | None = None) -> dict[str, Any]:
        url = self.url(path)
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        if content_type:
            headers["Content-Type"] = content_type
        # Only an explicit timeout is passed: aiohttp reads ``timeout=None`` as "no time limit",
        # not "the session's", and every request would then wait for ever on a hung central.
        extra: dict[str, Any] = {}
        if timeout_s:
            extra["timeout"] = aiohttp.ClientTimeout(total=timeout_s)
        try:
            async with self.session.request(method, url, json=json, data=data,
                                            headers=headers, **extra) as resp:
                raw = await resp.read()
                status = resp.status
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise self._unreachable(exc) from exc
        try:
            body = await decode_body(raw) if raw.strip() else None
        except ValueError:  # not JSON (and UnicodeDecodeError is a ValueError)
            body = None
        if not isinstance(body, dict):
            body = {"error": "bad_response",
                    "message": f"the server sent an answer that is not a JSON object "
                               f"(HTTP {status}); is {self.base_url} a Kitchen Watch server?"}
            if status < 400:
                raise ServerError(body["message"], status=status, code="bad_response")
        if status >= 400:
            raise _classify(status, body)
        return body

    async def request(self, method: str, path: str, *, json: Any = None,
                      auth: bool = True) -> dict[str, Any]:
        """One call. After the session ended nothing is sent (raises why it ended); a 401 ends
        it (an unattended screen logs in again from its password source, once)."""
        if auth and self.ended is not None:
            raise self.refusal()
        sent_with = self.token
        try:
            return await self._send(method, path, json, auth)
        except AuthError as exc:
            if not auth:
                raise
            await self.session_refused(exc, stale_token=sent_with)
            return await self._send(method, path, json, auth)

    async def session_refused(self, exc: AuthError, stale_token: str | None) -> None:
        """Central refused ``stale_token`` (a 401, or the live link closed with
        :data:`CLOSE_SESSION_ENDED`). Returns when a newer login is in place (renewed
        meanwhile, or an unattended screen logged in again from its password source);
        otherwise ends the session and raises why."""
        if self.ended is not None:
            raise self.refusal()
        if self.token is not None and self.token != stale_token:
            return  # logged in again while this call was under way: try with the new token
        if exc.session_expired and self.can_relogin:
            await self.relogin(stale_token=stale_token)
            return
        raise self.end_session(exc)

    # -- login --------------------------------------------------------------------------------
    async def login(self, username: str, password: str) -> dict[str, Any]:
        """Log in. The password is used for this call only: the client keeps the token, never
        the password. Returns the user record."""
        body = await self._send("POST", "/api/login",
                                {"username": username, "password": password}, auth=False)
        del password  # not kept: an ended session asks the user (or the screen's source)
        try:
            token, user = str(body["token"]), dict(body["user"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ServerError(f"the login answer lacks {exc}; is {self.base_url} a Kitchen "
                              f"Watch server?", code="bad_response") from exc
        expires = body.get("expires_at")
        try:
            self.expires_at = datetime.fromisoformat(expires) if expires else None
        except (TypeError, ValueError):
            self.expires_at = None
        self.token, self.user = token, user
        self.ended = None
        return user

    async def relogin(self, stale_token: str | None = None) -> None:
        """An unattended screen logs in again with what its password source gives now (once,
        however many callers ask at once). Without a source, or when central refuses it, the
        session has ended: raises :class:`AuthError` (after :meth:`end_session`)."""
        if self._login_lock is None:
            self._login_lock = asyncio.Lock()
        async with self._login_lock:
            if self.token is not None and self.token != stale_token:
                return  # another caller already renewed it
            source = self.password_source
            if source is None or not self.username:
                raise self.end_session(AuthError(
                    "the session has ended; log in again", status=401, code="login_needed"))
            log.info("session ended; %s logs in again from its password source", self.username)
            try:
                password = source()
            except Exception as exc:  # an unreadable file: the screen needs a person
                log.error("could not read the password of %s again: %s", self.username,
                          type(exc).__name__)
                password = None
            if not password:
                raise self.end_session(AuthError(
                    "the password source gave no password", status=401, code="bad_credentials"))
            try:
                await self.login(self.username, password)
            except AuthError as exc:
                raise self.end_session(exc) from None
            finally:
                del password

    async def logout(self) -> None:
        if self.token:
            try:
                await self._send("POST", "/api/logout", None, auth=True)
            except SyncError as exc:
                log.debug("logout not confirmed: %s", exc)
        self.token = None

    # -- calls ----------------------------------------------------------------------------------
    async def health(self) -> dict[str, Any]:
        return await self._send("GET", "/api/health", None, auth=False)

    async def changes(self, since: int, limit: int) -> dict[str, Any]:
        return await self.request("GET", f"/api/changes?since={since}&limit={limit}")

    async def action(self, idem_key: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await self.request("POST", "/api/actions",
                                  json={"idem_key": idem_key, "kind": kind, "payload": payload})

    async def upload(self, path: str, data: bytes, content_type: str, *,
                     timeout_s: float = 600.0) -> dict[str, Any]:
        """POST ``data`` as the body (a ledger file to import); a long timeout, since central
        checks and writes thousands of rows before it answers."""
        if self.ended is not None:
            raise self.refusal()
        sent_with = self.token
        try:
            return await self._send("POST", path, None, True, data=data,
                                    content_type=content_type, timeout_s=timeout_s)
        except AuthError as exc:
            await self.session_refused(exc, stale_token=sent_with)
            return await self._send("POST", path, None, True, data=data,
                                    content_type=content_type, timeout_s=timeout_s)

    async def entity(self, entity: str, entity_id: str) -> dict[str, Any]:
        """One feed row in its current state (404 → :class:`ServerRejected`)."""
        return await self.request("GET", f"/api/entity/{quote(entity, safe='')}/"
                                         f"{quote(entity_id, safe='')}")

    async def fetch_bytes(self, reference: str, max_bytes: int = 10 * 1024 * 1024) -> bytes:
        """An evidence image from central (``/media/<sha256>.jpg|png`` only, with the token),
        read whole: an answer larger than ``max_bytes`` is refused whole (with or without a
        Content-Length), never cut short. A reference that is not central media raises
        :class:`RefusedAddress` without any request."""
        return await self._fetch_whole(self.url(reference, media=True),
                                       reference.rsplit("/", 1)[-1], max_bytes)

    async def download(self, path: str, max_bytes: int = 20 * 1024 * 1024) -> bytes:
        """A document central makes (a bulletin's PDF, a ledger's workbook) at ``path`` on
        central's own origin, read whole with the same limit and refusals as
        :meth:`fetch_bytes` (a report of a large event: raise ``max_bytes``)."""
        return await self._fetch_whole(self.url(path), path.split("?", 1)[0].rsplit("/", 1)[-1],
                                       max_bytes)

    async def _fetch_whole(self, url: URL, name: str, max_bytes: int) -> bytes:
        """``url`` read whole with the token; a 401 ends the session here as on every other
        call, and the request is tried once more after a new login."""
        if self.ended is not None:
            raise self.refusal()
        sent_with = self.token
        try:
            return await self._download(url, name, max_bytes)
        except AuthError as exc:
            await self.session_refused(exc, stale_token=sent_with)
            return await self._download(url, name, max_bytes)

    async def _download(self, url: URL, name: str, max_bytes: int) -> bytes:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            # No redirects: the photo must come from the checked address itself.
            async with self.session.get(url, headers=headers, allow_redirects=False) as resp:
                if resp.status != 200:
                    body = None
                    length = resp.content_length
                    if length is not None and length <= _ERROR_BODY_LIMIT:  # central's words
                        try:
                            body = await resp.json(content_type=None)
                        except ValueError:
                            body = None
                    body = body if isinstance(body, dict) else {}
                    body.setdefault("message", f"media {name}: HTTP {resp.status}")
                    raise _classify(resp.status, body)
                if resp.content_length is not None:
                    if resp.content_length > max_bytes:
                        raise self._too_large(name, max_bytes)
                    data = await resp.read()
                else:  # chunked: count while reading, refuse as soon as it is too much
                    buffer = bytearray()
                    async for chunk in resp.content.iter_any():
                        buffer += chunk
                        if len(buffer) > max_bytes:
                            raise self._too_large(name, max_bytes)
                    data = bytes(buffer)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise self._unreachable(exc) from exc
        if len(data) > max_bytes:
            raise self._too_large(name, max_bytes)
        return data

    @staticmethod
    def _too_large(name: str, max_bytes: int) -> ServerRejected:
        return ServerRejected(f"media {name} is larger than the limit of {max_bytes} bytes; "
                              f"not downloaded", status=413, code="too_large")


    async def _why_refused(self) -> AuthError | None:
        """The handshake's 401 carries no reason we can read: ask ``/api/me`` with the same
        token (expired, logged out, account disabled…). None if it is accepted now."""
        try:
            await self._send("GET", "/api/me", None, auth=True)
        except AuthError as exc:
            return exc
        except SyncError:
            return AuthError("the server refused the live connection: the session has ended",
                             status=401, code="token_expired")
        return None

    def ws_url(self, since: int) -> URL:
        """The live link's address. The token goes in the Authorization header, not here:
        addresses end up in proxies' access logs."""
        return self.url(f"/api/ws?since={int(since)}")

    async def ws_connect(self, since: int, *,
                         heartbeat_s: float = 20.0) -> aiohttp.ClientWebSocketResponse:
        """Open the live WebSocket from ``since``; a refused login ends the session (an
        unattended screen logs in again once)."""
        for attempt in (1, 2):
            if self.ended is not None:
                raise self.refusal()
            sent_with = self.token
            try:
                return await self.session.ws_connect(
                    self.ws_url(since), heartbeat=heartbeat_s, max_msg_size=16 * 1024 * 1024,
                    headers={"Authorization": f"Bearer {self.token or ''}"},
                    timeout=aiohttp.ClientWSTimeout(ws_close=5.0))
            except aiohttp.WSServerHandshakeError as exc:
                if exc.status == 401:
                    refused = await self._why_refused()
                    if refused is None and attempt == 1:
                        continue
                    refused = refused or AuthError("the server refused the live connection",
                                                   status=401, code="token_expired")
                    if attempt == 1:
                        await self.session_refused(refused, stale_token=sent_with)
                        continue
                    raise self.end_session(refused) from exc
                raise _classify(exc.status, {"message": f"live connection refused: "
                                                        f"HTTP {exc.status}"}) from exc
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise self._unreachable(exc) from exc
        raise AssertionError("unreachable")
