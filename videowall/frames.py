"""Frames between processes: a triple-buffered picture in named shared memory (Qt-free).

A decode worker writes BGRA pictures (``RV32`` in libVLC's words, ``QImage.Format_RGB32`` in
Qt's) at the tile's size into one segment per stream; the UI process paints straight from it
without copying. Layout (little-endian, every field naturally aligned)::

    0    magic "KWFB", u32 version, u32 slots, u32 slot_bytes
    16   i32 reader_slot   -- written by the reader: the slot it is painting (-1: none)
    24   u64 latest        -- (frame number << 8) | slot of the newest finished picture
    32   u64 writer_gen    -- bumped by every new writer (a respawned worker), for logs
    64   per slot, 64 bytes: u64 seq, u32 width, u32 height, u32 pitch, u32 pad, f64 time
    4096 pixel data, slot i at 4096 + i * slot_bytes

Each slot is a seqlock: ``seq`` is odd while the writer fills it, even when finished. The writer
never picks the newest slot nor the one the reader announced, so with three slots a finished
picture stays intact while it is painted; the reader still checks ``seq`` after painting and
repaints if a slow paint raced a fast writer, so a torn frame never stays on screen.

Segments are created and released by the UI process only; the platform's rules for naming,
unlinking and sweeping them live in :mod:`videowall.shm`. Names carry the owner's pid, so
segments left by a crashed console are swept at start-up where the system keeps them (Linux).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import struct
import threading
import time
from multiprocessing import shared_memory
from pathlib import Path
from typing import NamedTuple

from videowall import shm as segments

log = logging.getLogger("kitchenwatch.wall.frames")

MAGIC = b"KWFB"
VERSION = 1
HEADER_BYTES = 4096
SLOT_HEADER_AT = 64
SLOT_HEADER_BYTES = 64
DEFAULT_SLOTS = 3
NAME_PREFIX = "kwvw"
BYTES_PER_PIXEL = 4

_HEAD = struct.Struct("<4sIII")
_I32 = struct.Struct("<i")
_U64 = struct.Struct("<Q")
_SLOT = struct.Struct("<QIIIId")
_counter = itertools.count(1)
_owned: set[str] = set()  # names this process created and has not unlinked yet


@atexit.register
def _unlink_owned() -> None:
    """A console that exits without closing its walls still leaves /dev/shm clean (a crash is
    handled by :func:`sweep_stale_segments` at the next start)."""
    for name in list(_owned):
        with contextlib.suppress(OSError):
            segments.unlink(name)
        _owned.discard(name)


def pitch_for(width: int) -> int:
    """Bytes per line: 64-byte aligned, as libVLC and swscale's SIMD paths like it."""
    return (max(1, width) * BYTES_PER_PIXEL + 63) // 64 * 64


def slot_bytes_for(width: int, height: int) -> int:
    """Bytes of one slot for pictures up to ``width × height``."""
    return pitch_for(width) * max(1, height)


def fit_size(src_w: int, src_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The largest even size inside ``box`` with the source's aspect ratio, never upscaled.

    Decoding at the tile's size is the point (memory and CPU follow the tile), but scaling a
    picture up in the decoder only moves bytes; Qt stretches the last bit more cheaply.
    """
    if src_w <= 0 or src_h <= 0:
        return max(2, box_w - box_w % 2), max(2, box_h - box_h % 2)
    scale = min(box_w / src_w, box_h / src_h, 1.0)
    w = max(2, int(src_w * scale) & ~1)
    h = max(2, int(src_h * scale) & ~1)
    return w, h


class Picture(NamedTuple):
    """A finished picture in a slot, as seen by the reader (a tuple: made ~1000 times/s)."""

    number: int
    slot: int
    width: int
    height: int
    pitch: int
    time: float


class FrameBuffer:
    """One segment: created (and later unlinked) by the UI process, attached by a worker."""

    def __init__(self, shm: shared_memory.SharedMemory, owner: bool) -> None:
        self._shm = shm
        self.owner = owner
        self.name = shm.name
        head = bytes(shm.buf[:_HEAD.size])
        magic, version, slots, slot_bytes = _HEAD.unpack(head)
        if magic != MAGIC or version != VERSION:
            raise ValueError(f"shared memory {shm.name} is not a Kitchen Watch frame buffer")
        self.slots = slots
        self.slot_bytes = slot_bytes
        self.capacity_pixels = slot_bytes // BYTES_PER_PIXEL
        self.buf = shm.buf

    # -- life cycle ---------------------------------------------------------------------------
    @classmethod
    def create(cls, width: int, height: int, slots: int = DEFAULT_SLOTS) -> FrameBuffer:
        """A new segment for pictures up to ``width × height`` (UI process)."""
        if slots < 3:
            raise ValueError("a frame buffer needs at least three slots")
        slot_bytes = slot_bytes_for(width, height)
        size = HEADER_BYTES + slots * slot_bytes
        name = f"{NAME_PREFIX}-{os.getpid()}-{next(_counter)}"
        shm = segments.open_untracked(name, True, size)
        _owned.add(shm.name)
        shm.buf[:HEADER_BYTES] = bytes(HEADER_BYTES)
        _HEAD.pack_into(shm.buf, 0, MAGIC, VERSION, slots, slot_bytes)
        _I32.pack_into(shm.buf, 16, -1)
        return cls(shm, owner=True)

    @classmethod
    def attach(cls, name: str) -> FrameBuffer:
        """Attach to an existing segment by name (worker process)."""
        return cls(segments.open_untracked(name, False, 0), owner=False)

    def close(self) -> None:
        """Unmap; the owner also unlinks. Safe to call twice."""
        shm, self._shm = self._shm, None
        if shm is None:
            return
        self.buf = None  # type: ignore[assignment]
        try:
            shm.close()
        except BufferError:
            # Someone still holds a view (a QImage being painted); the mapping goes with it.
            log.debug("frame buffer %s still exported at close", self.name)
        if self.owner:
            with contextlib.suppress(FileNotFoundError):
                segments.unlink(shm._name)  # type: ignore[attr-defined]
            _owned.discard(self.name)

    @property
    def closed(self) -> bool:
        return self._shm is None

    # -- geometry -----------------------------------------------------------------------------
    def slot_offset(self, slot: int) -> int:
        return HEADER_BYTES + slot * self.slot_bytes

    def slot_view(self, slot: int) -> memoryview:
        start = self.slot_offset(slot)
        return self.buf[start:start + self.slot_bytes]

    def fits(self, width: int, height: int, pitch: int | None = None) -> bool:
        return (pitch or pitch_for(width)) * height <= self.slot_bytes

    # -- header fields ------------------------------------------------------------------------
    def latest_word(self) -> int:
        return _U64.unpack_from(self.buf, 24)[0]

    def reader_slot(self) -> int:
        return _I32.unpack_from(self.buf, 16)[0]

    def slot_seq(self, slot: int) -> int:
        return _U64.unpack_from(self.buf, SLOT_HEADER_AT + slot * SLOT_HEADER_BYTES)[0]


class FrameWriter:
    """The worker's side. ``acquire`` → fill pixels → ``publish`` (or ``abandon``).

    Thread-safe: libVLC may call ``lock`` and ``display`` from different threads, and two
    players may briefly share one buffer while a stream is re-opened in place.
    """

    def __init__(self, frames: FrameBuffer) -> None:
        self.frames = frames
        self._lock = threading.Lock()
        self._inflight: set[int] = set()
        word = frames.latest_word()
        self._number = word >> 8
        self._latest_slot = (word & 0xFF) if self._number else -1
        self._next = 0
        self.published = 0
        gen = _U64.unpack_from(frames.buf, 32)[0] + 1
        _U64.pack_into(frames.buf, 32, gen)

    def acquire(self) -> int:
        """A slot that is neither the newest picture, nor being read, nor being written."""
        frames = self.frames
        with self._lock:
            reader = frames.reader_slot()
            for step in range(frames.slots):
                slot = (self._next + step) % frames.slots
                if slot in self._inflight or slot == self._latest_slot or slot == reader:
                    continue
                break
            else:  # more pictures in flight than slots: reuse the oldest non-newest slot
                slot = next(s for s in range(frames.slots) if s != self._latest_slot)
            self._next = (slot + 1) % frames.slots
            self._inflight.add(slot)
            at = SLOT_HEADER_AT + slot * SLOT_HEADER_BYTES
            seq = _U64.unpack_from(frames.buf, at)[0]
            _U64.pack_into(frames.buf, at, seq | 1)  # odd: being written
            return slot

    def address(self, slot: int, base: int) -> int:
        """Absolute address of ``slot``'s pixels given the mapping's base address."""
        return base + self.frames.slot_offset(slot)

    def publish(self, slot: int, width: int, height: int, pitch: int) -> int:
        """Finish ``slot`` and make it the newest picture; returns its frame number."""
        frames = self.frames
        with self._lock:
            self._inflight.discard(slot)
            at = SLOT_HEADER_AT + slot * SLOT_HEADER_BYTES
            seq = _U64.unpack_from(frames.buf, at)[0]
            _SLOT.pack_into(frames.buf, at, (seq | 1) + 1, width, height, pitch, 0,
                            time.monotonic())
            self._number += 1
            self._latest_slot = slot
            _U64.pack_into(frames.buf, 24, (self._number << 8) | slot)
            self.published += 1
            return self._number

    def abandon(self, slot: int) -> None:
        """Give a slot back without publishing it (e.g. a repeated picture)."""
        frames = self.frames
        with self._lock:
            self._inflight.discard(slot)
            at = SLOT_HEADER_AT + slot * SLOT_HEADER_BYTES
            seq = _U64.unpack_from(frames.buf, at)[0]
            _U64.pack_into(frames.buf, at, (seq | 1) + 1)

    @property
    def latest_slot(self) -> int:
        return self._latest_slot


class FrameReader:
    """The UI's side: which picture is newest, and a claim so the writer leaves it alone."""

    def __init__(self, frames: FrameBuffer) -> None:
        self.frames = frames

    def latest_number(self) -> int:
        """Frame number of the newest picture (0: none yet). Cheap: one 8-byte read."""
        buf = self.frames.buf
        if buf is None:
            return 0
        return _U64.unpack_from(buf, 24)[0] >> 8

    def begin(self) -> Picture | None:
        """Claim the newest finished picture for painting, or None if there is none."""
        frames = self.frames
        if frames.closed:
            return None
        for _ in range(3):
            word = frames.latest_word()
            number, slot = word >> 8, word & 0xFF
            if number == 0 or slot >= frames.slots:
                return None
            _I32.pack_into(frames.buf, 16, slot)
            seq, width, height, pitch, _pad, stamp = _SLOT.unpack_from(
                frames.buf, SLOT_HEADER_AT + slot * SLOT_HEADER_BYTES)
            if seq & 1 == 0 and width and frames.fits(width, height, pitch):
                self._claimed_seq = seq
                return Picture(number, slot, width, height, pitch, stamp)
        _I32.pack_into(frames.buf, 16, -1)
        return None

    def end(self, picture: Picture) -> bool:
        """Release the claim; False when the slot changed while it was read (repaint)."""
        frames = self.frames
        if frames.closed:
            return False
        intact = frames.slot_seq(picture.slot) == self._claimed_seq
        _I32.pack_into(frames.buf, 16, -1)
        return intact

    def copy_latest(self) -> tuple[Picture, bytes] | None:
        """A consistent copy of the newest picture (tests, snapshots from the UI side)."""
        for _ in range(5):
            picture = self.begin()
            if picture is None:
                return None
            view = self.frames.slot_view(picture.slot)
            data = bytes(view[:picture.pitch * picture.height])
            view.release()
            if self.end(picture):
                return picture, data
        return None


def sweep_stale_segments(directory: Path | None = None) -> int:
    """Unlink segments whose owning console process no longer exists; returns how many.

    Only where the system keeps segments of dead processes and lists them (Linux's /dev/shm).
    """
    removed = 0
    directory = directory or segments.leftovers_directory()
    if directory is None or not directory.is_dir():
        return 0
    for entry in directory.glob(f"{NAME_PREFIX}-*-*"):
        try:
            pid = int(entry.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pid == os.getpid() or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    if removed:
        log.info("removed %d frame buffers left by a console that exited uncleanly", removed)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
