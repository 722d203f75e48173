"""Evidence images: stored by content hash, verified on disk, served only within scope.

Names are the SHA-256 of the bytes, so the same snapshot posted twice is one file. A name is
unguessable but not secret (it travels in the change feed and in exported packs), so
``GET /media/<name>`` needs the bearer token and answers only callers whose scope covers the
image (:mod:`central.media_index`), with ``private`` caching. Only JPEG and PNG are accepted,
recognised by their bytes; an AI box's clip of an event (:func:`save_clip`) only as MP4 or
MPEG-TS, also recognised by its bytes (an extension or a declared type proves nothing). An
upload is answered only once the file on disk has been read back and hashes to its name: the
console deletes its own copy when central confirms the hash.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from aiohttp import web

from central import media_index
from central.context import CONFIG, DB, principal_of
from central.database import bind
from central.errors import ApiError, invalid, not_found, read_body
from central.scope import Principal
from domain.roles import Role

log = logging.getLogger("kitchenwatch.central.media")
routes = web.RouteTableDef()
_NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|mp4|ts)")
_CLIP_REFERENCE = re.compile(r"/media/([0-9a-f]{64}\.(?:mp4|ts))")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
                 "ts": "video/mp2t"}
TS_PACKET = 188
_REFERENCE = re.compile(r"/media/([0-9a-f]{64}\.(?:jpg|png))")
CACHE_CONTROL = "private, max-age=3600"  # the caller's own cache only; scope may change


class MediaNotStored(OSError):
    """The bytes on disk are not the bytes received (short write, full disk, a bad medium)."""


def media_reference(url: str) -> str | None:
    """The file name if ``url`` is exactly a reference to central's own stored media.

    ``/media/<64 lowercase hex>.jpg`` or ``.png`` and nothing else: no scheme, host, query,
    fragment, ``..`` or trailing newline. Fields that the console later fetches with its token
    (attachments, evidence) must hold only such references.
    """
    if not isinstance(url, str):
        return None
    match = _REFERENCE.fullmatch(url)
    return match.group(1) if match else None


def image_extension(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def clip_extension(data: bytes) -> str | None:
    """``mp4`` for an ISO media file (its first box is ``ftyp``), ``ts`` for MPEG-TS (three
    packets in a row start with the sync byte 0x47), else None."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "mp4"
    if len(data) >= 3 * TS_PACKET and all(data[i * TS_PACKET] == 0x47 for i in range(3)):
        return "ts"
    return None


def clip_reference(url: str) -> str | None:
    """The file name if ``url`` is exactly ``/media/<sha256>.mp4`` or ``.ts``."""
    if not isinstance(url, str):
        return None
    match = _CLIP_REFERENCE.fullmatch(url)
    return match.group(1) if match else None


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and push it to the disk (the file is evidence)."""
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _sync_dir(directory: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: a rename is durable without it
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_media(media_dir: Path, data: bytes, what: str = "image") -> str:
    """Store an image atomically and return its ``/media/<sha256>.<ext>`` URL.

    The file is read back and hashed before it takes its name, and an existing file of that
    name is trusted only if it still hashes to it (otherwise it is written again). Raises
    :class:`MediaNotStored` if the disk does not hold the same bytes.
    """
    ext = image_extension(data)
    if ext is None:
        raise ApiError(415, "unsupported_media",
                       f"{what}: expected a JPEG or PNG image, got bytes starting with "
                       f"{data[:4].hex() or 'nothing'}")
    return _save(media_dir, data, ext)


def save_clip(media_dir: Path, data: bytes, what: str = "clip") -> str:
    """Store a video clip like an image (hash name, read back); MP4 or MPEG-TS only."""
    ext = clip_extension(data)
    if ext is None:
        raise ApiError(415, "unsupported_media",
                       f"{what}: expected an MP4 or MPEG-TS video clip, got bytes starting "
                       f"with {data[:8].hex() or 'nothing'}")
    return _save(media_dir, data, ext)


def _save(media_dir: Path, data: bytes, ext: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}.{ext}"
    media_dir.mkdir(parents=True, exist_ok=True)
    path = media_dir / name
    if path.is_file() and _sha256_of(path) == digest:
        return f"/media/{name}"
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, prefix=".upload-")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _write_file(tmp, data)
        stored = _sha256_of(tmp)
        if stored != digest:
            raise MediaNotStored(f"{name}: the disk holds {tmp.stat().st_size} bytes hashing "
                                 f"to {stored}, not the {len(data)} bytes received")
        os.replace(tmp, path)
        _sync_dir(media_dir)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return f"/media/{name}"


async def store_media(app: web.Application, principal: Principal, data: bytes,
                      what: str = "image", clip: bool = False) -> str:
    """Save ``data`` (off the event loop) and record who uploaded it; returns its URL.

    Used by ``POST /api/media`` and by AI ingest for snapshots, so that every stored image has
    an uploader on record (a district user may fetch what they uploaded themselves).
    """
    cfg = app[CONFIG]
    url = await asyncio.get_running_loop().run_in_executor(
        None, save_clip if clip else save_media, cfg.media_dir, data, what)
    name = url.rsplit("/", 1)[1]
    await app[DB].write(bind(media_index.record_upload, name, len(data),
                             name.split(".", 1)[0], principal))
    return url


@routes.post("/api/media")
async def post_media(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role == Role.VIEWER:
        raise ApiError(403, "forbidden", "the demonstration account is read-only")
    data = await read_body(request, request.app[CONFIG].max_media_bytes, "image")
    if not data:
        raise invalid("body: expected the bytes of a JPEG or PNG image, got nothing")
    try:
        url = await store_media(request.app, principal, data, "body")
    except MediaNotStored as exc:
        log.error("evidence image not stored intact: %s", exc)
        raise ApiError(500, "not_stored", "the image was not stored intact on central's disk; "
                                          "keep it and send it again") from exc
    return web.json_response({"url": url, "sha256": hashlib.sha256(data).hexdigest(),
                              "bytes": len(data)})


@routes.get("/media/{name}")
async def get_media(request: web.Request) -> web.FileResponse:
    if request.headers.get("Authorization", "")[:7].lower() != "bearer ":
        # Not ?token=: addresses end up in proxy logs, browser history and exported packs.
        raise ApiError(401, "not_logged_in", "evidence images need 'Authorization: Bearer "
                                             "<token>' from /api/login")
    principal = await principal_of(request)
    name = request.match_info["name"]
    if not _NAME.fullmatch(name):
        raise not_found("media", name[:80])
    if principal.district_scope is not None and not await request.app[DB].read(
            bind(media_index.may_fetch, principal, name)):
        raise not_found("media", name)  # out of scope looks exactly like absent
    path = request.app[CONFIG].media_dir / name
    if not path.is_file():
        raise not_found("media", name)
    # The type from the sniffed extension (Python's table calls .ts TypeScript); Range
    # requests are answered by FileResponse, so a player can seek in a clip.
    return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[name.rsplit(".", 1)[1]],
                                           "Cache-Control": CACHE_CONTROL,
                                           "Vary": "Authorization",
                                           "X-Content-Type-Options": "nosniff"})
