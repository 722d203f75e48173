"""The CPU governor: small unfocused tiles go to key frames under sustained load, and back."""

from __future__ import annotations

from videowall.governor import CpuMeter, GovernedTile, Governor, GovernorConfig


def _tiles(degraded: set[int] | None = None, protected: set[int] = frozenset()) -> list:
    degraded = degraded or set()
    tiles = [GovernedTile(i, 160 * 90 if i < 12 else 640 * 360, i in protected, i in degraded,
                          1.0) for i in range(16)]
    return tiles


def test_sustained_overload_degrades_the_smallest_unprotected_tiles_first() -> None:
    gov = Governor(GovernorConfig(sustain_s=5, batch=0.25))
    tiles = _tiles(protected={0, 1})
    assert gov.update(0.0, 0.95, 1.0, tiles) is None
    assert gov.update(4.0, 0.95, 1.0, tiles) is None  # a spike is not overload
    decision = gov.update(5.5, 0.95, 1.0, tiles)
    on = {k for k, v in decision.items() if v}
    assert on and not on & {0, 1} and all(k < 12 for k in on)  # small ones, never protected
    assert len(on) == 3  # a quarter of the 10 eligible small tiles, rounded up


def test_hysteresis_no_flapping_between_thresholds() -> None:
    gov = Governor(GovernorConfig(sustain_s=5, recover_s=20))
    tiles = _tiles()
    gov.update(0.0, 0.95, 1.0, tiles)
    decision = gov.update(6.0, 0.95, 1.0, tiles)
    degraded = {k for k, v in decision.items() if v}
    tiles = _tiles(degraded)
    for t in range(7, 60):  # load between the two thresholds: nothing moves
        assert gov.update(float(t), 0.7, 1.0, tiles) is None
    for t in range(60, 79):  # low, but not yet for long enough
        assert gov.update(float(t), 0.3, 1.0, tiles) is None
    decision = gov.update(81.0, 0.3, 1.0, tiles)
    assert {k for k, v in decision.items() if v} < degraded


def test_falling_delivered_fps_counts_as_overload_and_focus_is_restored_at_once() -> None:
    gov = Governor(GovernorConfig(sustain_s=2))
    tiles = _tiles()
    gov.update(0.0, 0.3, 0.5, tiles)
    decision = gov.update(3.0, 0.3, 0.5, tiles)
    degraded = {k for k, v in decision.items() if v}
    assert degraded
    focused = next(iter(degraded))
    tiles = _tiles(degraded, protected={focused})
    decision = gov.update(3.5, 0.3, 0.5, tiles)
    assert decision[focused] is False


def test_cpu_meter_measures_this_process() -> None:
    import os
    import time

    meter = CpuMeter()
    meter.sample([os.getpid()])
    end = time.monotonic() + 0.3
    while time.monotonic() < end:
        sum(range(1000))
    assert meter.sample([os.getpid(), 999999999]) > 0.1 / meter.cores
