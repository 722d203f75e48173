"""``bench/wall.py`` keeps working: a short run of the real console on a 4-tile wall ends with
the JSON line of the full benchmark. The figures are checked for sanity only: seconds on a
shared machine say nothing about the targets, but every figure must be there and be honest
(a floor measured, a page switch timed until the tiles painted, the console's own memory)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Normally about a minute; more when the simulator's media has to be encoded first.
pytestmark = pytest.mark.timeout(600)


def test_a_short_wall_run_prints_every_figure() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "wall.py"), "--tiles", "4", "--seconds", "3",
         "--businesses", "12", "--dwell", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=580)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert any(line.startswith("console online:") for line in lines)  # the real console

    assert result["tiles"] == 4 and result["decoder"] == "ffmpeg"
    assert result["display"] == "offscreen" and result["tile"] == "320x180"
    assert result["cpu_cores"] > 0 and result["ui_cores"] > 0 and result["worker_cores"] > 0
    assert result["floor_cores"] > 0 and len(result["floor_runs"]) == 2
    assert result["ratio"] == pytest.approx(result["cpu_cores"] / result["floor_cores"],
                                            rel=0.01)
    assert result["floor_sequential_cores"] > 0
    assert result["console_base_pss_mb"] > 50  # Qt, the window, the store: measured
    assert result["console_pss_mb"] > result["console_base_pss_mb"]
    assert 0 < result["rss_mb_per_tile"] < 200 and result["memory_measure"] == "PSS"
    assert 0 < result["delivered_fps_ratio"] <= 1.2
    assert 0 < result["decoded_fps_ratio"] <= 1.2
    assert result["keyframes_only_tiles"] == 0  # the governor is off, like the floor
    for figure in ("page_switch_s", "page_next_s"):
        assert result[figure] is not None and 0 < result[figure] < 60, figure
    assert result["page_switch_first_s"] <= result["page_switch_s"]
    assert 0 <= result["black_tiles_on_switch"] <= 4


def test_the_floor_decodes_what_it_is_asked_to(tmp_path: Path) -> None:
    from simulator.media import prepare

    clip = prepare().clip(0, "sub")
    run = subprocess.run(
        [sys.executable, "-m", "bench.floor", f"{clip}:320:180:40:2", f"{clip}:160:90:10"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["frames"] == 50 and result["cpu_s"] > 0
