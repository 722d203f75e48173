"""Small real HTTP servers on loopback for the console's network tests: one that records every
request it gets (a stand-in for central's media routes, or an "evil" host that must never be
contacted), with routes the test adds."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from tests.console.conftest import free_port

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    method: str
    path_qs: str
    authorization: str
    body: bytes


@dataclass
class Recorder:
    """An aiohttp server on 127.0.0.1 that notes every request (its Authorization header
    included) before answering; unknown paths get 404."""

    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hostport(self) -> str:
        return f"127.0.0.1:{self.port}"

    def tokens(self) -> list[str]:
        return [s.authorization for s in self.seen if s.authorization]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.raw_path,
                              request.headers.get("Authorization", ""), body))
        handler = self.routes.get((request.method, request.path))
        if handler is None:
            return web.json_response({"error": "not_found", "message": "no such thing"},
                                     status=404)
        return await handler(request)

    async def start(self) -> Recorder:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port, reuse_address=True).start()
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()


def media_path(data: bytes, ext: str) -> str:
    return f"/media/{hashlib.sha256(data).hexdigest()}.{ext}"


def png_bytes(width: int = 320, height: int = 180, *, noise: int = 0) -> bytes:
    """A real PNG (Qt encodes it); ``noise`` > 0 makes it large and incompressible."""
    import os

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#5c7cfa"))
    if noise:
        raw = os.urandom(width * height * 4)
        image = QImage(raw, width, height, QImage.Format.Format_RGB32).copy()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def jpeg_bytes(size: int) -> bytes:
    """Bytes that central and the console take for a JPEG (its magic number), ``size`` long."""
    filler = hashlib.sha256(str(size).encode()).digest()
    out = bytearray(b"\xff\xd8\xff\xe0")
    while len(out) < size:
        out += filler
    return bytes(out[:size])


def slow_sender(data: bytes, *, chunk: int, pause_s: float, content_length: bool,
                token: str | None = None) -> Handler:
    """Answer ``data`` in many small writes with pauses between them (a slow link), with a
    Content-Length or chunked; 401 unless the request carries ``Bearer <token>``."""

    async def handler(request: web.Request) -> web.StreamResponse:
        if token is not None and request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"error": "not_logged_in", "message": "log in first"},
                                     status=401)
        resp = web.StreamResponse(headers={"Content-Type": "image/jpeg"})
        if content_length:
            resp.content_length = len(data)
        else:
            resp.enable_chunked_encoding()
        await resp.prepare(request)
        for start in range(0, len(data), chunk):
            await resp.write(data[start:start + chunk])
            await asyncio.sleep(pause_s)
        await resp.write_eof()
        return resp

    return handler
