"""The one retry schedule: capped, jittered, and safe however many times a thing fails."""

from __future__ import annotations

import random

import pytest

from common.backoff import Backoff, capped_delay


def test_delays_double_from_the_initial_value_up_to_the_cap() -> None:
    assert [capped_delay(n, 0.5, 15.0) for n in range(8)] == [
        0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 15.0, 15.0]


@pytest.mark.parametrize("attempt", [1_023, 1_024, 1_025, 100_000, 10**18])
def test_an_attempt_beyond_any_float_exponent_gives_the_cap(attempt: int) -> None:
    # 0.5 * 2 ** 1024 overflows a float: the schedule must never compute it.
    assert capped_delay(attempt, 0.5, 15.0) == 15.0
    assert capped_delay(attempt, 1.0, 30.0, factor=10.0) == 30.0


def test_jitter_stays_within_its_band_and_the_cap_may_be_given_per_call() -> None:
    backoff = Backoff(initial_s=1.0, cap_s=30.0, jitter=0.2, rng=random.Random(3))
    delays = [backoff.next_delay() for _ in range(200_000)]
    assert backoff.attempt == 200_000
    assert all(0.8 <= d <= 36.0 for d in delays)
    assert 24.0 <= delays[-1] <= 36.0
    assert 1.2 <= backoff.next_delay(cap_s=1.5) <= 1.8
    backoff.reset()
    assert 0.8 <= backoff.next_delay() <= 1.2


def test_degenerate_settings_never_raise() -> None:
    assert capped_delay(5, 0.0, 10.0) == 0.0
    assert capped_delay(5, 2.0, 1.0) == 1.0
    assert capped_delay(50, 1.0, 10.0, factor=1.0) == 1.0
