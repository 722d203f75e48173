"""Rendered demo clips for the simulator's tests: one day kitchen and one night kitchen, rendered
and encoded once per session (a few CPU seconds each) through the production code path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from simulator.media import SCENES, MediaSet, _render_clip

DAY, NIGHT = 0, 3


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> MediaSet:
    media = MediaSet(Path(tmp_path_factory.mktemp("scenes")))
    for index in (DAY, NIGHT):
        assert SCENES[index].light == ("day" if index == DAY else "night")
        _render_clip(media, index, SCENES[index], date.today())
    return media


def camera_on(clip: int) -> str:
    """A camera id the simulator shows ``clip`` for."""
    from simulator.media import clip_for

    return next(f"cam-{i}" for i in range(1000) if clip_for(f"cam-{i}") == clip)
