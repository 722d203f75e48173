"""The recorder's files: where segments are written, buffered and kept, and the journal of
kept segments central has not acknowledged yet.

Layout under the store root (``<recordings dir>/<recorder name>``)::

    .partial/<camera>/seg-000000012.ts   FFmpeg writes here; list.csv names the finished ones
    .buffer/<camera>/<start ms>_<end ms>_<codec>.ts   finished, not (yet) kept: the pre-roll
    <camera>/<YYYYMMDD>/<start ms>_<end ms>.ts        kept and indexed (paths in the index
                                                      are relative to the root)
    pending.json                                      kept segments not yet acknowledged

A segment reaches ``.buffer`` and then the kept tree only by ``os.replace`` on one file
system, so a reader never sees half a file under a kept name; a crash leaves at most one
unfinished file in ``.partial``, which is dropped (never indexed). The journal is written to
a temporary file and renamed over, and fsynced, so it is the old or the new list, never half.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("kitchenwatch.recorder.store")


@dataclass(frozen=True)
class Buffered:
    """A finished segment waiting in the buffer."""

    camera_id: str
    path: Path
    start: datetime
    end: datetime
    codec: str

    @property
    def bytes(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Indexed:
    """A kept segment as central indexes it (``POST /api/recordings/segments``)."""

    id: str
    camera_id: str
    start: str
    end: str
    bytes: int
    codec: str
    path: str
    reason: str
    retention_days: int


def _ms(ts: datetime) -> int:
    return round(ts.timestamp() * 1000)


def _from_ms(ms: str) -> datetime:
    return datetime.fromtimestamp(int(ms) / 1000, UTC)


def _iso(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Store:
    """The files of one recorder."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.name = name
        root.mkdir(parents=True, exist_ok=True)
        self.journal_path = root / "pending.json"

    # ------------------------------------------------------------------ places
    def partial_dir(self, camera_id: str) -> Path:
        path = self.root / ".partial" / camera_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def buffer_dir(self, camera_id: str) -> Path:
        path = self.root / ".buffer" / camera_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    # ------------------------------------------------------------------ moves
    def to_buffer(self, camera_id: str, finished: Path, start: datetime, end: datetime,
                  codec: str) -> Buffered:
        target = self.buffer_dir(camera_id) / f"{_ms(start)}_{_ms(end)}_{codec}.ts"
        os.replace(finished, target)
        return Buffered(camera_id, target, start, end, codec)

    def buffered(self) -> Iterator[Buffered]:
        """Every buffered segment (after a restart too: the names carry the times)."""
        base = self.root / ".buffer"
        if not base.is_dir():
            return
        for camera_dir in sorted(base.iterdir()):
            for path in sorted(camera_dir.glob("*.ts")):
                parts = path.stem.split("_", 2)
                if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
                    log.warning("dropping a buffered file with a foreign name: %s", path)
                    path.unlink(missing_ok=True)
                    continue
                yield Buffered(camera_dir.name, path, _from_ms(parts[0]), _from_ms(parts[1]),
                               parts[2])

    def segment_id(self, camera_id: str, start: datetime, end: datetime) -> str:
        # Unique across recorders sharing a city (a camera recorded twice for redundancy).
        return (f"{camera_id}_{_ms(start)}_{_ms(end) - _ms(start)}_"
                f"{zlib.crc32(self.name.encode()):08x}")

    def keep(self, seg: Buffered, reason: str, retention_days: int) -> Indexed:
        """Move a buffered segment into the kept tree (atomically) and describe it."""
        day = seg.start.strftime("%Y%m%d")
        rel = f"{seg.camera_id}/{day}/{_ms(seg.start)}_{_ms(seg.end)}.ts"
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        size = seg.path.stat().st_size
        # link + unlink, not replace: a kept segment is never overwritten (FileExistsError)
        os.link(seg.path, target)
        seg.path.unlink()
        fsync_dir(target.parent)
        return Indexed(self.segment_id(seg.camera_id, seg.start, seg.end), seg.camera_id,
                       _iso(seg.start), _iso(seg.end), size, seg.codec, rel, reason,
                       retention_days)

    def delete(self, rel: str) -> int:
        """Delete a kept file named by the index (never outside the root); bytes freed."""
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root.resolve()):
            log.warning("refusing to delete %s: outside the store", rel)
            return 0
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # an emptied day
        return size

    def kept_bytes(self) -> int:
        total = 0
        for path in self.root.glob("*/*/*.ts"):
            if path.parts[-3].startswith("."):
                continue  # .partial and .buffer are not kept recordings
            with contextlib.suppress(FileNotFoundError):
                total += path.stat().st_size
        return total

    # ------------------------------------------------------------------ journal
    def load_journal(self) -> list[Indexed]:
        try:
            rows = json.loads(self.journal_path.read_text())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("the journal of unacknowledged segments is unreadable (%s); they "
                        "will be found again by the next recovery", exc)
            return []
        return [Indexed(**row) for row in rows]

    def save_journal(self, pending: list[Indexed]) -> None:
        tmp = self.journal_path.with_suffix(".tmp")
        with open(tmp, "w") as fh:
            json.dump([asdict(row) for row in pending], fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.journal_path)
