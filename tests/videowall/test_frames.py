"""Shared-memory frames: the reader never gets a torn picture, segments outlive no one."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from videowall.frames import FrameBuffer, FrameReader, FrameWriter, fit_size, sweep_stale_segments


@pytest.fixture
def buffer():
    frames = FrameBuffer.create(64, 36)
    yield frames
    frames.close()


def _fill(frames: FrameBuffer, slot: int, value: int) -> None:
    view = frames.slot_view(slot)
    view[:] = bytes([value]) * len(view)
    view.release()


def test_reader_sees_the_newest_finished_picture(buffer: FrameBuffer) -> None:
    writer, reader = FrameWriter(buffer), FrameReader(buffer)
    assert reader.latest_number() == 0 and reader.begin() is None
    for value in (10, 20, 30):
        slot = writer.acquire()
        _fill(buffer, slot, value)
        writer.publish(slot, 64, 36, 256)
    picture, data = reader.copy_latest()
    assert picture.number == 3 and data[0] == 30 and (picture.width, picture.height) == (64, 36)


def test_writer_never_overwrites_the_picture_being_painted(buffer: FrameBuffer) -> None:
    writer, reader = FrameWriter(buffer), FrameReader(buffer)
    slot = writer.acquire()
    _fill(buffer, slot, 1)
    writer.publish(slot, 64, 36, 256)
    picture = reader.begin()  # the UI starts painting picture 1
    for value in range(2, 40):  # the decoder races on meanwhile
        slot = writer.acquire()
        assert slot != picture.slot
        _fill(buffer, slot, value)
        writer.publish(slot, 64, 36, 256)
    view = buffer.slot_view(picture.slot)
    assert view[0] == 1  # untouched
    view.release()
    assert reader.end(picture) is True
    assert reader.latest_number() == 39


def test_a_slot_rewritten_during_a_paint_is_reported_torn(buffer: FrameBuffer) -> None:
    writer, reader = FrameWriter(buffer), FrameReader(buffer)
    slot = writer.acquire()
    writer.publish(slot, 64, 36, 256)
    picture = reader.begin()
    # A misbehaving writer that ignores the claim (what the check is there for):
    rogue = FrameWriter(buffer)
    rogue._latest_slot = -1
    buffer_claim = buffer.reader_slot()
    assert buffer_claim == picture.slot
    from videowall import frames as frames_module

    at = frames_module.SLOT_HEADER_AT + picture.slot * frames_module.SLOT_HEADER_BYTES
    seq = frames_module._U64.unpack_from(buffer.buf, at)[0]
    frames_module._U64.pack_into(buffer.buf, at, seq + 2)
    assert reader.end(picture) is False


def test_a_new_writer_continues_the_frame_numbers(buffer: FrameBuffer) -> None:
    writer = FrameWriter(buffer)
    for _ in range(5):
        writer.publish(writer.acquire(), 64, 36, 256)
    again = FrameWriter(FrameBuffer.attach(buffer.name))  # a respawned worker
    again.publish(again.acquire(), 64, 36, 256)
    assert FrameReader(buffer).latest_number() == 6


def test_a_worker_attaching_and_exiting_does_not_unlink_the_segment(buffer: FrameBuffer) -> None:
    code = textwrap.dedent(f"""
        from videowall.frames import FrameBuffer, FrameWriter
        frames = FrameBuffer.attach({buffer.name!r})
        writer = FrameWriter(frames)
        writer.publish(writer.acquire(), 64, 36, 256)
        frames.close()
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert "resource_tracker" not in result.stderr and "leaked" not in result.stderr
    assert Path("/dev/shm", buffer.name).exists()
    assert FrameReader(buffer).latest_number() == 1


def test_segments_of_dead_consoles_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f"kwvw-{dead}-1"
    mine = tmp_path / f"kwvw-{os.getpid()}-1"
    other = tmp_path / "somebody-else"
    for path in (stale, mine, other):
        path.write_bytes(b"x")
    assert sweep_stale_segments(tmp_path) == 1
    assert not stale.exists() and mine.exists() and other.exists()


def test_fit_size_keeps_aspect_and_never_upscales() -> None:
    assert fit_size(640, 360, 320, 180) == (320, 180)
    assert fit_size(640, 480, 320, 180) == (240, 180)
    assert fit_size(640, 360, 1920, 1080) == (640, 360)
    assert fit_size(0, 0, 321, 181) == (320, 180)


def test_a_console_exiting_without_closing_leaves_no_segment() -> None:
    code = ("from videowall.frames import FrameBuffer\n"
            "print(FrameBuffer.create(64, 36).name)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30, cwd=Path(__file__).resolve().parents[2])
    name = result.stdout.strip()
    assert result.returncode == 0 and name.startswith("kwvw-")
    assert not Path("/dev/shm", name).exists()
