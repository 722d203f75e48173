"""Which alarms the alarm list keeps in memory: a bounded window onto the local database.

A control room overnight: storms of alarms arrive and nobody acknowledges them. If the list
kept every live alarm, the console's memory would grow with every storm for as long as the
night lasts (a soak measured about 2 MB of resident memory per 1,000 unacknowledged alarms),
and the list would become a wall of rows nobody can work through anyway.

So the list holds the newest ``live`` alarms still needing action (open, acknowledged,
dispatched) and the newest ``finished`` ones (dismissed, closed); the local database holds all
of them. Nothing is lost: the status bar counts what the database holds, the list says how
many waiting alarms it does not show, and as the operator works through the listed ones the
next-newest move in (the centre's reload reads the newest ``live`` from the database each time).

Qt-free, so the policy is tested directly; :class:`console.alarms.centre.AlarmCentre` applies
it to what the list holds and uses the same limits for its database reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from widgets.models.alarm_filter import ACTIVE_STATES
from widgets.models.rows import AlarmRow, epoch_s

#: Alarms still waiting for the operator (the list's "active" filter).
LIVE_STATES = ACTIVE_STATES


@dataclass(frozen=True)
class AlarmWindow:
    """How many alarms of each kind the list keeps (the newest by last sighting).

    Args:
        live: alarms needing action kept in the list; older ones wait in the database.
        finished: dismissed and closed alarms kept for reference.
    """

    live: int = 2000
    finished: int = 2000

    def __post_init__(self) -> None:
        if self.live < 1 or self.finished < 0:
            raise ValueError("the alarm window needs live ≥ 1 and finished ≥ 0")

    @property
    def total(self) -> int:
        return self.live + self.finished

    def overflow(self, rows: Iterable[AlarmRow]) -> list[str]:
        """The ids to let go of so that ``rows`` fit the window: beyond the newest ``live``
        live alarms and the newest ``finished`` finished ones."""
        live: list[AlarmRow] = []
        finished: list[AlarmRow] = []
        for row in rows:
            (live if row.state in LIVE_STATES else finished).append(row)
        out: list[str] = []
        for kept, limit in ((live, self.live), (finished, self.finished)):
            if len(kept) > limit:
                kept.sort(key=lambda r: (epoch_s(r.last_seen_at), r.id), reverse=True)
                out.extend(r.id for r in kept[limit:])
        return out


def live_total(counts: Mapping[str, int]) -> int:
    """Alarms needing action in a per-state count."""
    return sum(n for state, n in counts.items() if state in LIVE_STATES)
