"""AI clips fetched from central, kept where only this console's user can read them (Qt-free).

libVLC cannot send the bearer token, so the console downloads a clip with it
(:meth:`ApiClient.fetch_bytes`) and plays the local copy (``file://``). The copy is checked
against its name, which central made from the SHA-256 of the bytes: a clip that does not hash
to its name is refused, never played. Files live in a directory made with mode 0700 for this
process and removed with it (:meth:`ClipCache.close`); a clip fetched twice is read once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

MAX_CLIP_BYTES = 16 * 1024 * 1024  # central's limit (docs/protocol.md)


class ClipMismatch(ValueError):
    """The bytes do not hash to the clip's name."""


class ClipCache:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._made: Path | None = None

    @property
    def root(self) -> Path:
        if self._root is None:
            self._made = Path(tempfile.mkdtemp(prefix="kitchenwatch-clips-"))  # mode 0700
            self._root = self._made
        return self._root

    def path_of(self, reference: str) -> Path | None:
        """The local copy of ``/media/<sha256>.<mp4|ts>`` if it is already here."""
        path = self.root / reference.rsplit("/", 1)[-1]
        return path if path.is_file() else None

    def put(self, reference: str, data: bytes) -> Path:
        """Keep ``data`` as the clip ``reference`` after checking its hash; returns the path."""
        name = reference.rsplit("/", 1)[-1]
        digest = name.split(".", 1)[0]
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise ClipMismatch(f"{name}: the bytes received hash to {actual}")
        path = self.root / name
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        return path

    def close(self) -> None:
        if self._made is not None:
            shutil.rmtree(self._made, ignore_errors=True)
            self._made = None
            self._root = None
