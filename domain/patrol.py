"""Video patrol (视频巡查) verdicts."""

from __future__ import annotations

import enum


class PatrolVerdict(enum.StrEnum):
    COMPLIANT = "compliant"
    PROBLEM = "problem"
