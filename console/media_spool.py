"""Evidence images waiting to reach central (``POST /api/media``), kept on disk until they do.

Central names every image by the SHA-256 of its bytes (``/media/<sha256>.jpg``, docs/protocol.md),
so the link to an image is known *before* it is uploaded. A patrol record can therefore carry its
snapshot's link and go into the outbox at once, in the same transaction as its local effect,
even with the server away; the image itself waits here (written atomically, one file per
image, in a directory that belongs to this login's cache) and is uploaded whenever central is
reachable. Uploading the same bytes twice is harmless: central stores one file per hash.

Qt-free. A refusal that can never succeed (415 not an image, 413 too large) moves the file to
``refused/`` with the server's reason logged, instead of retrying it for ever.
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

    def __init__(self, directory: Path, client: ApiClient) -> None:
        self.directory = directory
        self.client = client
        self._lock: asyncio.Lock | None = None

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
        (the rest waits for the next call). Returns how many were uploaded."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self._lock.locked():
            return 0  # another flush is on it
        async with self._lock:
            sent = 0
            loop = asyncio.get_event_loop()
            for path in self.pending():
                try:
                    data = await loop.run_in_executor(None, path.read_bytes)
                except FileNotFoundError:
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
                    return sent
                expected = "/media/" + path.name
                if url != expected:
                    log.warning("central stored %s as %s, not %s: records made offline link "
                                "to the name it was expected to get", path.name, url, expected)
                with contextlib.suppress(FileNotFoundError):
                    await loop.run_in_executor(None, path.unlink)
                sent += 1
            if sent:
                log.info("uploaded %d evidence image(s)", sent)
            return sent

    def _set_aside(self, path: Path) -> None:
        target = self.directory / REFUSED_DIR
        target.mkdir(exist_ok=True)
        os.replace(path, target / path.name)

    async def upload(self, data: bytes) -> str:
        """``POST /api/media``; an expired session is renewed once. Returns the stored link."""
        try:
            return await self._post(data)
        except AuthError as exc:
            if not (exc.session_expired and self.client.can_relogin):
                raise
            await self.client.relogin(stale_token=self.client.token)
            return await self._post(data)

    async def _post(self, data: bytes) -> str:
        client = self.client
        content_type = "image/png" if image_extension(data) == "png" else "image/jpeg"
        headers = {"Content-Type": content_type}
        if client.token:
            headers["Authorization"] = f"Bearer {client.token}"
        try:
            async with client.session.post(client.base_url + "/api/media", data=data,
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
