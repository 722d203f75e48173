"""Tours: a wall that pages through many cameras (Qt-free model; the driver is ``tour_qt``).

The cameras are split into pages that fit the wall's free (unpinned) cells; pinned cells keep
their camera. Each page stays ``dwell_s`` (at least 3 s). ``preopen_s`` before a switch the
model asks for the next page to be opened in the background, so that at switch time every
tile of the new page already has live pictures — no black tiles, no "connecting…". Pausing
(by the operator, or for an alarm) freezes the current page; resuming starts its dwell anew.

The model only says what to do (:class:`TourStep`); the driver does it, and tests run the model
with a fake clock.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from videowall.source import TileSource

MIN_DWELL_S = 3.0


class TourAction(enum.StrEnum):
    PREOPEN = "preopen"   # open these cells' cameras in the background
    SWITCH = "switch"     # show this page now
    CANCEL = "cancel"     # drop what was pre-opened (paused, or the page list changed)


@dataclass(frozen=True)
class TourStep:
    action: TourAction
    page: int
    cells: dict[int, TileSource | None] = field(default_factory=dict)


class Tour:
    """Pages over ``sources`` for a wall with ``cell_count`` cells, some of them pinned."""

    def __init__(self, sources: list[TileSource], cell_count: int,
                 pinned: set[int] | None = None, dwell_s: float = 10.0,
                 preopen_s: float = 2.0) -> None:
        if dwell_s < MIN_DWELL_S:
            raise ValueError(f"a tour page must stay at least {MIN_DWELL_S:.0f} s")
        self.pinned = {i for i in (pinned or set()) if 0 <= i < cell_count}
        self.slots = [i for i in range(cell_count) if i not in self.pinned]
        if not self.slots:
            raise ValueError("every cell is pinned: nothing left to tour")
        self.sources = list(sources)
        self.dwell_s = dwell_s
        self.preopen_s = min(preopen_s, dwell_s - 1.0)
        size = len(self.slots)
        self.pages = [self.sources[i:i + size] for i in range(0, len(self.sources), size)] or [[]]
        self.page = 0
        self.paused = False
        self.paused_for_alarm = False
        self._switch_at: float | None = None
        self._preopened: int | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def cells(self, page: int) -> dict[int, TileSource | None]:
        """Which camera goes into which unpinned cell on ``page`` (None: empty cell)."""
        sources = self.pages[page % len(self.pages)]
        return {slot: (sources[i] if i < len(sources) else None)
                for i, slot in enumerate(self.slots)}

    @property
    def next_page(self) -> int:
        return (self.page + 1) % len(self.pages)

    @property
    def switch_at(self) -> float | None:
        return self._switch_at

    # -- driving ------------------------------------------------------------------------------
    def start(self, now: float, page: int = 0) -> list[TourStep]:
        """Show ``page`` (a restarted tour resumes where it was) and start its dwell."""
        self.page = page % len(self.pages)
        self.paused = False
        self._preopened = None
        self._switch_at = now + self.dwell_s if len(self.pages) > 1 else None
        return [TourStep(TourAction.SWITCH, self.page, self.cells(self.page))]

    def tick(self, now: float) -> list[TourStep]:
        if self.paused or self._switch_at is None:
            return []
        steps: list[TourStep] = []
        upcoming = self.next_page
        if self._preopened is None and now >= self._switch_at - self.preopen_s:
            self._preopened = upcoming
            steps.append(TourStep(TourAction.PREOPEN, upcoming, self.cells(upcoming)))
        if now >= self._switch_at:
            self.page = upcoming
            self._preopened = None
            self._switch_at = now + self.dwell_s
            steps.append(TourStep(TourAction.SWITCH, upcoming, self.cells(upcoming)))
        return steps

    def pause(self) -> list[TourStep]:
        self.paused = True
        return self._cancel()

    def pause_for_alarm(self) -> list[TourStep]:
        """An alarm needs the operator's eyes on the current page: stop paging."""
        self.paused_for_alarm = True
        return self.pause()

    def resume(self, now: float) -> list[TourStep]:
        self.paused = False
        self.paused_for_alarm = False
        self._switch_at = now + self.dwell_s if len(self.pages) > 1 else None
        return []

    def jump(self, page: int, now: float) -> list[TourStep]:
        """Show ``page`` now (operator's next/previous); its dwell starts anew."""
        self.page = page % len(self.pages)
        steps = self._cancel()
        if not self.paused and len(self.pages) > 1:
            self._switch_at = now + self.dwell_s
        steps.append(TourStep(TourAction.SWITCH, self.page, self.cells(self.page)))
        return steps

    def _cancel(self) -> list[TourStep]:
        if self._preopened is None:
            return []
        page, self._preopened = self._preopened, None
        return [TourStep(TourAction.CANCEL, page)]
