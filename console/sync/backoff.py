"""Capped exponential backoff with jitter (Qt-free).

Jitter matters for a city deployment: when central restarts, hundreds of consoles must not
reconnect in the same second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """``next_delay()`` gives initial, ×factor, … up to ``cap_s``, each ±``jitter``."""

    initial_s: float = 1.0
    cap_s: float = 30.0
    factor: float = 2.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        base = min(self.cap_s, self.initial_s * self.factor ** min(self.attempt, 32))
        self.attempt += 1
        return base * self.rng.uniform(1.0 - self.jitter, 1.0 + self.jitter)

    def reset(self) -> None:
        self.attempt = 0
