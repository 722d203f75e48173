"""``bench/alarms.py`` keeps working: a short run (two breaches, a small storm) on a console
whose 4-tile wall plays live cameras all along ends with the benchmark's JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(600)


def test_a_short_alarm_run_reports_the_wall_beside_the_storm() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "alarms.py"), "--businesses", "60",
         "--alarms", "2", "--rate", "5", "--seconds", "2", "--layout", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=580)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["details"]["panel_samples"] == 2
    assert 0 < result["panel_latency_ms_p99"] < 60_000
    assert 0 <= result["ui_lag_ms_p99"] < 60_000
    wall = result["wall"]
    assert wall["tiles"] == 4 and wall["decoder"] == "ffmpeg"
    assert 0 < wall["delivered_fps_ratio"] <= 1.2  # the wall painted during the storm
    assert wall["console_cpu_cores"] > 0
    assert result["details"]["storm"]["events_posted"] == 10
