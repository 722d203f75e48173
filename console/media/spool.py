"""Evidence images waiting to reach central (``POST /api/media``), kept on disk until they do.

Central names every image by the SHA-256 of its bytes (``/media/<sha256>.jpg``, docs/protocol.md),
so the link to an image is known *before* it is uploaded. A patrol record can therefore carry its
snapshot's link and go into the outbox at once, in the same transaction as its local effect,
even with the server away; the image itself waits here (written atomically, one file per
image, in a directory that belongs to this login's cache) and is uploaded whenever central is
reachable. Uploading the same bytes twice is harmless: central stores one file per hash.

Qt-free. A refusal that can never succeed (415 not an image, 413 too large) moves the file to
``refused/`` with the server's reason logged, instead of retrying it for ever.

The local copy is the evidence until central holds the same bytes: it is deleted only when
the link central answers names exactly the SHA-256 computed here from the bytes sent. Any other
answer (a body cut short in transit, a proxy's rewrite) keeps the file, is logged and listed in
:attr:`MediaSpool.mismatches`, and the upload is tried again after a growing delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

import aiohttp

from common.backoff import Backoff
from console.sync.client import (
    ApiClient,
    AuthError,
    ServerError,
    ServerRejected,
    ServerUnreachable,
    SyncError,
    Throttled,
)

log = logging.getLogger("kitchenwatch.console.media")
REFUSED_DIR = "refused"


def image_extension(data: bytes) -> str:
    """``jpg`` or ``png`` from the bytes (central's rule); anything else is refused here."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    raise ValueError(f"not a JPEG or PNG image (bytes start with {data[:4].hex() or 'nothing'})")


def media_url(data: bytes) -> str:
    """The link central gives these bytes: ``/media/<sha256>.<ext>``."""
    return f"/media/{hashlib.sha256(data).hexdigest()}.{image_extension(data)}"


class MediaSpool:
    """Images queued for upload; :meth:`add` returns the link they will have on central."""

    def __init__(self, directory: Path, client: ApiClient, *,
                 backoff: Backoff | None = None) -> None:
        self.directory = directory
        self.client = client
        self._lock: asyncio.Lock | None = None
        self._backoff = backoff or Backoff(initial_s=5.0, cap_s=600.0)
        self._retry: asyncio.TimerHandle | None = None
        self._retry_task: asyncio.Future[int] | None = None
        #: file name -> the link central answered instead of the file's own (still kept).
        self.mismatches: dict[str, str] = {}

    # -- queue -----------------------------------------------------------------------------------
    def _write(self, data: bytes) -> str:
        url = media_url(data)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / url.rsplit("/", 1)[-1]
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".spool-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return url

    async def add(self, data: bytes) -> str:
        """Keep ``data`` for upload (durably, off the UI thread); returns its central link."""
        return await asyncio.get_event_loop().run_in_executor(None, self._write, data)

    def pending(self) -> list[Path]:
        """Images not yet uploaded, oldest first."""
        if not self.directory.is_dir():
            return []
        files = [p for p in self.directory.iterdir()
                 if p.is_file() and not p.name.startswith(".") and p.suffix in (".jpg", ".png")]
        return sorted(files, key=lambda p: p.stat().st_mtime)

    # -- upload ----------------------------------------------------------------------------------
    async def flush(self) -> int:
        """Upload what is queued, oldest first; stops at the first failure that may pass
        (the rest waits for the next call, or the retry scheduled with a growing delay).
        Returns how many were uploaded and confirmed (and so removed here)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self._lock.locked():
            return 0  # another flush is on it
        async with self._lock:
            sent, kept = 0, 0
            loop = asyncio.get_event_loop()
            for path in self.pending():
                try:
                    data = await loop.run_in_executor(None, path.read_bytes)
                except FileNotFoundError:
                    continue
                try:
                    expected = media_url(data)  # the SHA-256 of what is sent, computed here
                except ValueError as exc:
                    log.error("evidence file %s is not an image (%s); kept in %s",
                              path.name, exc, REFUSED_DIR)
                    await loop.run_in_executor(None, self._set_aside, path)
                    continue
                if expected != "/media/" + path.name:
                    log.error("evidence file %s no longer holds the bytes it was named after "
                              "(they hash to %s); kept in %s", path.name, expected, REFUSED_DIR)
                    await loop.run_in_executor(None, self._set_aside, path)
                    continue
                try:
                    url = await self.upload(data)
                except ServerRejected as exc:
                    log.error("central refused evidence image %s (%s): %s; kept in %s",
                              path.name, exc.code, exc.message, REFUSED_DIR)
                    await loop.run_in_executor(None, self._set_aside, path)
                    continue
                except SyncError as exc:
                    log.info("evidence upload paused (%d waiting): %s",
                             len(self.pending()), exc.message)
                    if not isinstance(exc, AuthError):  # a new login flushes again itself
                        self._schedule_retry()
                    return sent
                if url != expected:
                    # Central stored other bytes than these: the evidence exists only here.
                    self.mismatches[path.name] = url
                    log.error("central stored evidence image %s as %s instead of %s (the "
                              "upload did not arrive intact); the local copy is kept and "
                              "sent again later", path.name, url, expected)
                    kept += 1
                    continue
                self.mismatches.pop(path.name, None)
                with contextlib.suppress(FileNotFoundError):
                    await loop.run_in_executor(None, path.unlink)
                sent += 1
            if sent:
                log.info("uploaded %d evidence image(s)", sent)
            if kept:
                self._schedule_retry()
            else:
                self._backoff.reset()
            return sent

    def _schedule_retry(self) -> None:
        """Flush again after the next backoff delay (once; a later failure reschedules)."""
        if self._retry is not None and not self._retry.cancelled():
            return
        delay = self._backoff.next_delay()
        log.info("next evidence upload attempt in %.0f s", delay)
        loop = asyncio.get_event_loop()
        self._retry = loop.call_later(delay, self._retry_now)

    def _retry_now(self) -> None:
        self._retry = None
        if not self.client.token:  # logged out meanwhile: the files wait for the next login
            return
        self._retry_task = asyncio.ensure_future(self.flush())

    def close(self) -> None:
        """Cancel a scheduled retry (logout, shutdown); the files stay for the next login."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        if self._retry_task is not None and not self._retry_task.done():
            self._retry_task.cancel()

    def _set_aside(self, path: Path) -> None:
        target = self.directory / REFUSED_DIR
        target.mkdir(exist_ok=True)
        os.replace(path, target / path.name)

    async def upload(self, data: bytes) -> str:
        """``POST /api/media``. A 401 ends the session as on every other call (an unattended
        screen logs in again once from its password source). Returns the stored link."""
        if self.client.ended is not None:
            raise self.client.refusal()
        sent_with = self.client.token
        try:
            return await self._post(data)
        except AuthError as exc:
            await self.client.session_refused(exc, stale_token=sent_with)
            return await self._post(data)

    async def _post(self, data: bytes) -> str:
        client = self.client
        content_type = "image/png" if image_extension(data) == "png" else "image/jpeg"
        headers = {"Content-Type": content_type}
        if client.token:
            headers["Authorization"] = f"Bearer {client.token}"
        try:
            async with client.session.post(client.url("/api/media"), data=data,
                                           headers=headers) as resp:
                status = resp.status
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise ServerUnreachable(f"cannot reach {client.base_url} to upload evidence: "
                                    f"{exc or exc.__class__.__name__}") from exc
        body = body if isinstance(body, dict) else {}
        message = str(body.get("message") or body.get("error") or f"HTTP {status}")
        code = str(body.get("error") or "")
        if status == 401:
            raise AuthError(message, status=401, code=code)
        if status == 429:
            retry = body.get("retry_after")
            raise Throttled(message, float(retry) if isinstance(retry, int | float) else None)
        if status >= 500:
            raise ServerError(f"the server failed (HTTP {status}): {message}", status=status,
                              code=code)
        if status >= 400:
            raise ServerRejected(message, status=status, code=code, body=body)
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith("/media/"):
            raise ServerError(f"the media answer lacks a /media/ link (HTTP {status})",
                              status=status, code="bad_response")
        return url
