"""Pure parts of the wall: layout geometry and the watchdog's verdicts (fake clock)."""

from __future__ import annotations

import random

import pytest

from videowall.layouts import LAYOUTS, Cell, layout, merged
from videowall.source import TileSource, mask_url
from videowall.watchdog import StreamState, Watchdog, WatchdogConfig


@pytest.mark.parametrize("name", sorted(LAYOUTS, key=int))
def test_every_layout_tiles_the_grid_exactly(name: str) -> None:
    lay = layout(name)
    assert len(lay) == int(name)
    units = [(c.col + dc, c.row + dr) for c in lay.cells
             for dc in range(c.cols) for dr in range(c.rows)]
    assert len(units) == len(set(units)) == lay.cols * lay.rows


def test_thirteen_has_a_big_centre_cell() -> None:
    big = [c for c in layout("13").cells if c.cols > 1]
    assert big == [Cell(1, 1, 2, 2)]


def test_custom_merge_rejects_overlap_and_overflow() -> None:
    lay = merged("custom", 4, 4, [Cell(0, 0, 2, 2), Cell(2, 2, 2, 2)])
    assert len(lay) == 10
    with pytest.raises(ValueError, match="overlaps"):
        merged("bad", 4, 4, [Cell(0, 0, 2, 2), Cell(1, 1, 2, 2)])
    with pytest.raises(ValueError, match="does not fit"):
        merged("bad", 4, 4, [Cell(3, 3, 2, 2)])
    with pytest.raises(ValueError, match="unknown layout"):
        layout("7")


def test_credentials_never_shown() -> None:
    assert mask_url("rtsp://admin:12345@10.1.2.3:554/Streaming/Channels/102") == \
        "rtsp://***@10.1.2.3:554/Streaming/Channels/102"
    assert mask_url("http://h/x.ts") == "http://h/x.ts"
    src = TileSource("c1", "t", "rtsp://a:b@h/sub", "rtsp://a:b@h/main")
    assert src.url(main=True).endswith("/main") and src.url(main=False).endswith("/sub")


def _dog() -> Watchdog:
    return Watchdog(WatchdogConfig(stall_s=3, frozen_s=6, black_s=4), rng=random.Random(1))


def test_playing_then_stalled_then_backoff() -> None:
    dog = _dog()
    dog.opened(0.0)
    status, reconnect = dog.tick(1.0, 10, b"a", 100.0)
    assert status.state == StreamState.PLAYING and reconnect is None
    _, reconnect = dog.tick(5.0, 10, b"a", 100.0)
    assert reconnect and "stalled" in reconnect
    delays = []
    for attempt in range(1, 8):
        status = dog.failed(10.0, "refused")
        delays.append(status.next_retry_at - 10.0)
        assert status.attempt == attempt
    assert delays[0] < delays[2] < delays[4]
    assert max(delays) <= 30 * 1.2  # capped
    assert dog.status.state == StreamState.OFFLINE


def test_frozen_and_black_pictures_are_named() -> None:
    dog = _dog()
    dog.opened(0.0)
    for t in range(1, 12):
        status, _ = dog.tick(float(t), t * 15, b"same", 120.0)
        if status:
            last = status
    assert last.state == StreamState.FROZEN
    dog = _dog()
    dog.opened(0.0)
    for t in range(1, 8):
        status, _ = dog.tick(float(t), t * 15, bytes([t]), 3.0)
        if status:
            last = status
    assert last.state == StreamState.BLACK


def test_status_is_published_only_on_change() -> None:
    dog = _dog()
    dog.opened(0.0)
    published = [dog.tick(float(t) / 2, t * 8, bytes([t % 250]), 100.0)[0] for t in range(1, 20)]
    assert sum(1 for s in published if s is not None) == 1
