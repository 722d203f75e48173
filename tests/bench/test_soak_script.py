"""``bench/soak.py`` keeps working: a short run on a small wall with every disturbance (a
central restart, an alarm storm, cameras offline, the tour) ends with the JSON line the
long soak reports. The figures are only checked for sanity, not against the soak's targets:
a few seconds on a shared machine say nothing about leaks."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("console", "worker", "central", "simulator")

# Normally ≈ 50 s; more when the simulator's media has to be encoded first (a fresh machine).
pytestmark = pytest.mark.timeout(600)


def test_a_short_soak_prints_every_figure(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--seconds", "30", "--tiles", "4",
         "--businesses", "12", "--display", "offscreen", "--warmup-minutes", "0.1",
         "--sample-seconds", "2", "--lag-seconds", "3", "--dwell", "5",
         "--restart-minutes", "0.25", "--storm-minutes", "0.2", "--storm-seconds", "2",
         "--workdir", str(tmp_path / "soak")],
        cwd=ROOT, capture_output=True, text=True, timeout=580)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert len(lines) > 5  # human lines before the JSON

    for figure in ("rss_mb_per_hour", "fd_growth", "thread_growth"):
        assert set(result[figure]) == set(KINDS), figure
        for kind in ("console", "worker", "simulator"):
            assert isinstance(result[figure][kind], float), (figure, kind)
    for figure in ("rss_mb_per_hour_second_half", "anon_mb_per_hour_second_half",
                   "anon_floor_mb_per_hour"):
        assert set(result[figure]) == set(KINDS), figure
    assert 0 < result["conditions"]["workers_seen"] <= 8
    assert isinstance(result["shm_segments_growth"], float)
    assert result["shm_segments_left_after_stop"] == 0  # the console cleans up on exit
    assert 0 <= result["ui_lag_ms_p99"] < 60_000 and result["ui_lag_periods"] >= 2
    assert 0 <= result["ui_lag_ms_over_50_fraction"] <= 1

    assert result["errors_logged"] == sum(e["count"] for e in result["errors"])
    assert result["errors_unexplained"] <= result["errors_logged"]
    crashes = [e for e in result["errors"] if e["logger"] == "kitchenwatch.console.crash"]
    assert not crashes, crashes  # an uncaught exception in the console is never "sane"

    for when in ("sizes_start", "sizes_end"):
        sizes = result[when]
        assert sizes["local_db_mb"] > 0 and sizes["console_log_mb"] > 0, when
        assert sizes["central_db_mb"] > 0 and sizes["central_log_mb"] > 0, when
    assert result["sizes_end"]["local_db_mb"] >= result["sizes_start"]["local_db_mb"]
    assert result["sizes_end"]["local_alarms"] >= result["sizes_start"]["local_alarms"] >= 0

    conditions = result["conditions"]
    assert conditions["console_exit"] is None  # it ran to the end
    assert conditions["tour_started"] is True
    assert conditions["tiles"] == 4 and conditions["decoder"] == "ffmpeg"
    assert conditions["dead_cameras"] >= 1 and conditions["flaky_cameras"] >= 1
    assert len(conditions["central_restarts"]) >= 1 and conditions["storms"] >= 1
    assert conditions["storm_posts"] > 0
    assert 0.4 <= conditions["minutes"] < 1.0
    assert not math.isnan(conditions["load_avg_mean"]) and conditions["cores"] >= 1


def test_the_second_half_slope_tells_a_filling_cache_from_a_leak() -> None:
    """A worker whose heap levels off (a cache reaching its bound) and one growing steadily
    can show the same slope over the whole window after warm-up; the later half tells them
    apart."""
    sys.path.insert(0, str(ROOT))
    from bench.soak import Sample, summarise

    samples = []
    for i in range(181):  # 30 minutes, a sample every 10 s
        t = i * 10.0
        filling = 200 + 30 * (1 - math.exp(-t / 600))  # levels off, time constant 10 min
        leaking = 200 + 12 * t / 1800  # 24 MB/h, for ever
        samples += [Sample(t, "worker", "worker-1", filling + 30, filling, 40, 20),
                    Sample(t, "console", "console", leaking + 30, leaking, 60, 24)]
    summary = summarise(samples, [(s.t, 16) for s in samples[::2]], warmup_s=600)

    whole, late = summary["anon_mb_per_hour"], summary["anon_mb_per_hour_second_half"]
    assert late["worker"] < 0.7 * whole["worker"]  # still levelling off: warm-up not over
    assert late["console"] == pytest.approx(whole["console"], rel=0.05)  # a leak
    assert late["console"] == pytest.approx(24, rel=0.05)


def test_the_floor_sees_through_a_touring_sawtooth() -> None:
    """A worker whose memory jumps by 90 MB whenever the tour pre-opens a page, sampled at
    random phases, has a flat floor; one that also keeps 6 MB/h more has a rising one."""
    sys.path.insert(0, str(ROOT))
    import random

    from bench.soak import Sample, summarise

    rng = random.Random(1)
    samples = []
    for i in range(181):
        t = i * 10.0 + rng.uniform(0, 3)
        tooth = 90.0 if rng.random() < 0.3 else 0.0  # pre-opening, caught at random
        samples += [Sample(t, "worker", "worker-1", 0, 200 + tooth, 40, 20),
                    Sample(t, "console", "console", 0, 200 + tooth + 6 * t / 3600, 60, 24)]
    summary = summarise(samples, [], warmup_s=600)
    assert abs(summary["anon_floor_mb_per_hour"]["worker"]) < 0.5
    assert summary["anon_floor_mb_per_hour"]["console"] == pytest.approx(6, abs=1.5)


def test_a_console_segfault_counts_as_an_unexplained_error(tmp_path: Path) -> None:
    """The console's faulthandler trace goes to logs/native-crash.log, not console.log: the
    soak must still count it, and say where it crashed."""
    sys.path.insert(0, str(ROOT))
    from bench.soak import Stack, errors_logged

    logs = tmp_path / "console" / "logs"
    logs.mkdir(parents=True)
    (logs / "console.log").write_text("2026-12-07 19:00:00,000 INFO x: fine\n", "utf-8")
    (logs / "native-crash.log").write_text(
        "Fatal Python error: Segmentation fault\n\nThread 0x1 (most recent call first):\n"
        "  File \"/x/pool.py\", line 160 in _write\n\n"
        "Current thread 0x2 (most recent call first):\n"
        "  File \"/x/widgets/gauges.py\", line 392 in detail_text\n", "utf-8")
    count, errors = errors_logged(Stack(tmp_path, 1))
    assert count == 1
    assert errors[0]["log"] == "console-native-crash" and not errors[0]["explained"]
    assert "gauges.py" in errors[0]["example"]
