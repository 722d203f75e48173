"""Capped exponential backoff with jitter: the one schedule every reconnecting loop uses.

A control-room wall runs for weeks, so a camera (or central, or PostgreSQL) may fail thousands
of times in a row overnight. The delay is therefore computed without ever raising the base to
the attempt's power unbounded: ``0.5 * 2 ** 1024`` is an ``OverflowError``, which once stopped
every stream of the wall after about four hours of one camera being away. Jitter matters for a
city deployment: when central restarts, hundreds of consoles must not reconnect in the same
second.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field


def capped_delay(attempt: int, initial_s: float, cap_s: float, factor: float = 2.0) -> float:
    """The un-jittered delay before retry number ``attempt`` (0 = the first retry).

    ``initial_s × factor ** attempt``, never above ``cap_s``, for any ``attempt`` however large.
    """
    if initial_s <= 0 or cap_s <= 0:
        return 0.0
    if attempt <= 0 or factor <= 1.0 or initial_s >= cap_s:
        return min(initial_s, cap_s)
    # The attempt from which the cap is reached; beyond it the power is never computed.
    saturating = math.ceil(math.log(cap_s / initial_s, factor))
    if attempt >= saturating:
        return cap_s
    return min(cap_s, initial_s * factor ** attempt)


def jittered(delay: float, jitter: float, rng: random.Random) -> float:
    """``delay`` spread uniformly by ±``jitter`` (a fraction, 0.2 = ±20 %)."""
    return delay * rng.uniform(1.0 - jitter, 1.0 + jitter)


@dataclass
class Backoff:
    """``next_delay()`` gives initial, ×factor, … up to ``cap_s``, each ±``jitter``.

    ``cap_s`` may be passed per call where the cap depends on how long an outage has lasted
    (the wall's watchdog retries a fresh outage quickly and a long one gently).
    """

    initial_s: float = 1.0
    cap_s: float = 30.0
    factor: float = 2.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def peek(self, cap_s: float | None = None) -> float:
        """The next delay without jitter and without counting an attempt."""
        return capped_delay(self.attempt, self.initial_s,
                            self.cap_s if cap_s is None else cap_s, self.factor)

    def next_delay(self, cap_s: float | None = None) -> float:
        delay = jittered(self.peek(cap_s), self.jitter, self.rng)
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0
