"""Evidence images: stored by content hash, served read-only.

Names are the SHA-256 of the bytes, so the same snapshot posted twice is one file and a name
cannot be guessed from another; ``GET /media/<name>`` therefore needs no token (reports and
exported PDFs embed the links). Only JPEG and PNG are accepted, recognised by their bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path

from aiohttp import web

from central.context import CONFIG, principal_of
from central.errors import ApiError, invalid, not_found

routes = web.RouteTableDef()
_NAME = re.compile(r"^[0-9a-f]{64}\.(jpg|png)$")


def image_extension(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def save_media(media_dir: Path, data: bytes, what: str = "image") -> str:
    """Store an image atomically and return its ``/media/<sha256>.<ext>`` URL."""
    ext = image_extension(data)
    if ext is None:
        raise ApiError(415, "unsupported_media",
                       f"{what}: expected a JPEG or PNG image, got bytes starting with "
                       f"{data[:4].hex() or 'nothing'}")
    name = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    media_dir.mkdir(parents=True, exist_ok=True)
    path = media_dir / name
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=media_dir, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return f"/media/{name}"


@routes.post("/api/media")
async def post_media(request: web.Request) -> web.Response:
    principal = await principal_of(request)
    if principal.role == "viewer":
        raise ApiError(403, "forbidden", "the demonstration account is read-only")
    cfg = request.app[CONFIG]
    limit = cfg.max_media_bytes
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large",
                       f"image of {request.content_length} bytes exceeds the limit of {limit}")
    data = await request.content.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too_large", f"image exceeds the limit of {limit} bytes")
    if not data:
        raise invalid("body: expected the bytes of a JPEG or PNG image, got nothing")
    url = await asyncio.get_running_loop().run_in_executor(
        None, save_media, cfg.media_dir, data, "body")
    return web.json_response({"url": url})


@routes.get("/media/{name}")
async def get_media(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    if not _NAME.match(name):
        raise not_found("media", name[:80])
    path = request.app[CONFIG].media_dir / name
    if not path.is_file():
        raise not_found("media", name)
    return web.FileResponse(path, headers={"Cache-Control": "public, max-age=31536000, "
                                                            "immutable"})
