"""Sensor physics for simulated kitchens.

Special rooms drift around 18–23 °C with humidity 45–70 %, and now and then warm above the
25 °C limit for a few minutes (an air conditioner failing). Disinfection cabinets idle at room
temperature and run cycles: heat to ~125 °C, hold 15 minutes, cool down; some cycles are cut
short or never get hot enough. Time is simulated (``speed`` × real time) so a demo shows a
whole cycle in minutes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field


@dataclass
class Breach:
    until: float
    value: float


@dataclass
class RoomSensor:
    sensor_id: str
    rng: random.Random
    base: float = 20.0
    breach: Breach | None = None
    phase: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.base = self.rng.uniform(18.5, 22.0)
        self.phase = self.rng.uniform(0, math.tau)

    def force_breach(self, now: float, value: float, seconds: float) -> None:
        self.breach = Breach(now + seconds, value)

    def sample(self, now: float, breach_rate_per_hour: float, dt: float) -> tuple[float, float]:
        if self.breach is None and self.rng.random() < breach_rate_per_hour * dt / 3600:
            self.force_breach(now, self.rng.uniform(26.5, 29.0), self.rng.uniform(240, 600))
        temp = self.base + 1.2 * math.sin(now / 1800 + self.phase) + self.rng.gauss(0, 0.15)
        if self.breach is not None:
            if now >= self.breach.until:
                self.breach = None
            else:
                temp = self.breach.value + self.rng.gauss(0, 0.2)
        humidity = 58 + 8 * math.sin(now / 2400 + self.phase) + self.rng.gauss(0, 1.0)
        return round(temp, 2), round(min(max(humidity, 20), 95), 1)


@dataclass
class CabinetSensor:
    """A cycle every ``period`` simulated seconds: ramp, hold, cool."""

    sensor_id: str
    rng: random.Random
    period: float = 2400.0
    room: float = 24.0
    cycle_start: float | None = None
    peak: float = 125.0
    hold_s: float = 900.0

    def start_cycle(self, now: float, valid: bool = True) -> None:
        self.cycle_start = now
        if valid:
            self.peak, self.hold_s = self.rng.uniform(123, 128), self.rng.uniform(930, 1020)
        elif self.rng.random() < 0.5:
            self.peak, self.hold_s = self.rng.uniform(123, 127), self.rng.uniform(240, 420)
        else:
            self.peak, self.hold_s = self.rng.uniform(95, 112), 900.0

    def sample(self, now: float, invalid_rate: float) -> float:
        if self.cycle_start is None:
            offset = self.rng.uniform(0, self.period)
            self.cycle_start = now - offset
        elapsed = now - self.cycle_start
        ramp, cool = 300.0, 600.0
        if elapsed > self.period:
            self.start_cycle(now, valid=self.rng.random() >= invalid_rate)
            elapsed = 0.0
        if elapsed < ramp:
            temp = self.room + (self.peak - self.room) * elapsed / ramp
        elif elapsed < ramp + self.hold_s:
            temp = self.peak + self.rng.gauss(0, 0.6)
        elif elapsed < ramp + self.hold_s + cool:
            frac = (elapsed - ramp - self.hold_s) / cool
            temp = self.peak - (self.peak - self.room) * frac
        else:
            temp = self.room + self.rng.gauss(0, 0.3)
        return round(temp, 1)
