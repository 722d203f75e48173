"""Exporting a clip: a cancelled export leaves no file behind (neither the MP4 nor its .part),
and a finished one is an MP4 with the watermark's frames whose hash is the file's."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.playback.export import ClipExport, ExportCancelled, Watermark
from tests.recorder.conftest import probe
from tests.videowall.conftest import prepare_media

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
START = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def _mark() -> Watermark:
    return Watermark("后厨 热菜间", START, START + timedelta(seconds=6), "kbs")


async def test_a_cancelled_export_leaves_nothing_behind(tmp_path: Path) -> None:
    source = prepare_media() / "clip-live-main.mp4"
    out = tmp_path / "clip.mp4"
    job: ClipExport

    def progress(fraction: float) -> None:
        if 0 < fraction < 1:
            job.cancel()

    job = ClipExport(str(source), 0.0, 6.0, _mark(), out, progress=progress)
    with pytest.raises(ExportCancelled):
        await job.run()
    assert list(tmp_path.iterdir()) == []


async def test_an_export_is_an_mp4_whose_hash_is_the_file_s(tmp_path: Path) -> None:
    source = prepare_media() / "clip-live-main.mp4"
    out = tmp_path / "clip.mp4"
    seen: list[float] = []
    done = await ClipExport(str(source), 1.0, 5.0, _mark(), out, progress=seen.append).run()
    assert done.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    info = await asyncio.to_thread(probe, out)
    assert info["format"]["format_name"].startswith("mov,mp4")
    assert 4.5 <= float(info["format"]["duration"]) <= 5.5
    assert seen and seen[-1] == 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]
