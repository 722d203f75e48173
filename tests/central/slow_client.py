"""A raw HTTP/1.1 client on an asyncio socket that sends a body the way a bad network does.

aiohttp's client hands the kernel a whole body at once, which on loopback nearly always lands
in the server's buffer in one piece; a phone on 4G, a gateway behind a congested uplink or a
proxy that forwards as it receives deliver it in pieces with gaps. This client writes each part
with ``TCP_NODELAY`` and pauses between parts, so the server's handler really runs while the
rest of the body is still on its way. It also sends chunked bodies (no Content-Length) and
reads the answer even when the server answers (413) before the body is complete.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawReply:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int = 0  # body bytes the client had written when the answer was complete
    notes: list[str] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body)


def pieces(data: bytes, size: int) -> list[bytes]:
    """``data`` cut into parts of ``size`` bytes (the last may be shorter)."""
    return [data[i:i + size] for i in range(0, len(data), size)]


async def send(base: str, method: str, path: str, parts: Iterable[bytes], *,
               headers: dict[str, str] | None = None, chunked: bool = False,
               content_length: int | None = None, pause: float = 0.02) -> RawReply:
    """Send ``parts`` as the body, ``pause`` seconds apart; returns the server's answer.

    Without ``chunked`` the Content-Length is the sum of the parts unless ``content_length``
    says otherwise.
    """
    parts = list(parts)
    url = urlsplit(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    head = [f"{method} {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
    head += [f"{key}: {value}" for key, value in (headers or {}).items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    else:
        length = sum(map(len, parts)) if content_length is None else content_length
        head.append(f"Content-Length: {length}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    sent = 0

    async def body() -> None:
        nonlocal sent
        try:
            for part in parts:
                writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n" if chunked else part)
                await writer.drain()
                sent += len(part)
                if pause:
                    await asyncio.sleep(pause)
            if chunked:
                writer.write(b"0\r\n\r\n")
                await writer.drain()
        except OSError:
            pass  # the server answered early and closed: the reader has the answer

    sender = asyncio.create_task(body())
    try:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection without an answer")
        status = int(status_line.split()[1])
        reply_headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            reply_headers[key.strip().lower()] = value.strip()
        if "content-length" in reply_headers:
            data = await reader.readexactly(int(reply_headers["content-length"]))
        else:
            data = await reader.read()
        return RawReply(status, reply_headers, data, sent)
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
