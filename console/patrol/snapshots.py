"""A patrol verdict's snapshot: the picture the operator saw, as evidence that can wait.

The picture comes from the wall's own decoded frame (the selected tile first, if it shows the
business; else the business's other tiles in order), is made a JPEG (a fifth of the PNG's
size, plenty for evidence) off the UI thread, and is put in the :class:`MediaSpool`, whose
link is known before the upload, so a verdict recorded offline still names its picture. A
verdict without a picture is still recorded, and says why there is none.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtGui import QImage, QImageWriter

from console.media.spool import MediaSpool
from console.patrol.wall_link import PatrolWall

log = logging.getLogger("kitchenwatch.console.patrol.snapshots")
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Snapshot:
    url: str = ""
    jpeg: bytes | None = None
    problem: str = ""  # why there is none


def png_to_jpeg(path: Path, quality: int = JPEG_QUALITY) -> bytes:
    """The wall's PNG snapshot as JPEG bytes. QImage is reentrant: this runs on a worker
    thread."""
    image = QImage(str(path))
    if image.isNull():
        raise OSError(f"the snapshot {path.name} could not be read as an image")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))  # typed, unlike QImage.save's stub
    writer.setQuality(quality)
    if not writer.write(image):
        raise OSError(f"the snapshot could not be encoded as JPEG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


async def capture(wall: PatrolWall, spool: MediaSpool, camera_ids: set[str]) -> Snapshot:
    """A JPEG of one of ``camera_ids`` from the wall, spooled for upload."""
    order = wall.tiles_showing(camera_ids)
    if not order:
        return Snapshot(problem=QCoreApplication.translate(
            "PatrolSnapshots", "the business has no camera on the wall"))
    loop = asyncio.get_running_loop()
    problem = ""
    for index in order:
        path = spool.directory / f".capture-{uuid.uuid4().hex}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            await wall.snapshot(index, path)
            jpeg = await loop.run_in_executor(None, png_to_jpeg, path)
            return Snapshot(await spool.add(jpeg), jpeg)
        except (OSError, TimeoutError, RuntimeError, ValueError) as exc:
            problem = str(exc) or exc.__class__.__name__
            log.info("no snapshot from tile %d: %s", index, problem)
        finally:
            path.unlink(missing_ok=True)
    return Snapshot(problem=problem)
