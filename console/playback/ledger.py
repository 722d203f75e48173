"""The console's list of exported clips (path, camera, range, SHA-256, key frames), Qt-free.

The evidence pack of an alarm lists the clips exported for it with their hashes and shows their
key frames; central's audit holds the same hashes (``recording.export``), this file only tells
the pack which files on this PC belong to which alarm. Written whole to a temporary file and
renamed, so a crash never leaves half a list.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("kitchenwatch")) / "exports" / "clips.json"


@dataclass(frozen=True)
class ExportedClip:
    path: str
    camera_id: str
    camera_name: str
    start: str  # ISO, UTC
    end: str
    sha256: str
    bytes: int
    user: str
    alarm_id: str = ""
    frames: list[str] = field(default_factory=list)


class ExportLedger:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()

    def all(self) -> list[ExportedClip]:
        try:
            rows = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return []
        out = []
        for row in rows if isinstance(rows, list) else []:
            try:
                out.append(ExportedClip(**row))
            except TypeError:
                continue  # a row of another version: skipped, not fatal
        return out

    def add(self, clip: ExportedClip) -> None:
        rows = [asdict(c) for c in self.all()] + [asdict(clip)]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
        os.replace(tmp, self.path)

    def for_alarm(self, alarm_id: str) -> list[ExportedClip]:
        return [c for c in self.all() if c.alarm_id == alarm_id and Path(c.path).is_file()]
