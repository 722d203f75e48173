"""The watchdog's verdicts, on a fake clock: what an operator reads on a tile."""

from __future__ import annotations

import random

from videowall.watchdog import Observation, StreamState, Watchdog, WatchdogConfig


def _dog(**overrides) -> Watchdog:
    config = WatchdogConfig(stall_s=3, frozen_s=6, black_s=4, connect_timeout_s=10, **overrides)
    return Watchdog(config, rng=random.Random(7))


def _playing(dog: Watchdog, until: float, start: float = 0.0, fps: int = 15,
             luma: float = 120.0, moving: bool = True) -> list:
    published = []
    t = start
    while t <= until:
        n = int(t * fps) + 1
        status, reconnect = dog.observe(t, Observation(frames=n, decoded=n,
                                                       changes=n if moving else 1, luma=luma,
                                                       width=640, height=360, codec="h264"))
        assert reconnect is None, (t, reconnect)
        if status is not None:
            published.append(status)
        t = round(t + 0.5, 3)
    return published


def test_connecting_then_playing_is_published_once_each() -> None:
    dog = _dog()
    first = dog.opened(0.0)
    assert first.state == StreamState.CONNECTING
    published = _playing(dog, 20.0, start=0.5)
    assert [s.state for s in published] == [StreamState.PLAYING]
    assert published[0].width == 640 and published[0].codec == "h264"


def test_no_picture_within_the_connect_timeout_asks_for_a_reconnect() -> None:
    dog = _dog()
    dog.opened(0.0)
    assert dog.observe(9.0, Observation()) == (None, None)
    _status, reason = dog.observe(10.5, Observation())
    assert reason and "no picture within 10 s" in reason


def test_stall_is_detected_after_three_seconds_and_retries_back_off() -> None:
    dog = _dog()
    dog.opened(0.0)
    _playing(dog, 5.0)
    last = Observation(frames=76, decoded=76, changes=76, luma=120)
    assert dog.observe(7.5, last)[1] is None
    status, reason = dog.observe(8.6, last)
    assert reason and "stalled" in reason
    delays = []
    now = 9.0
    for attempt in range(1, 7):
        status = dog.failed(now, reason)
        assert status.state == StreamState.RECONNECTING and status.attempt == attempt
        delays.append(status.next_retry_at - now)
        assert dog.opened(status.next_retry_at).state == StreamState.RECONNECTING
        now = status.next_retry_at + 0.1
    assert delays[0] < delays[1] < delays[2]
    assert max(delays) <= 1.5 * 1.2  # a fresh outage is retried often...
    later = dog.failed(now + 120, reason)  # ...one that lasts, less often
    assert 1.8 < later.next_retry_at - (now + 120) <= 15 * 1.2
    assert dog.reconnects_last_hour(now + 121) == 7
    assert dog.reconnects_last_hour(now + 3800) == 0
    assert [text for _when, text in dog.errors][-1] == reason


def test_a_refusing_source_stays_offline_across_retries_and_recovers() -> None:
    dog = _dog()
    dog.opened(0.0)
    reason = "HTTP 503 (camera or service unavailable)"
    news = [dog.failed(0.3, reason, offline=True)]
    assert news[0].state == StreamState.OFFLINE and news[0].reason == reason
    retry = dog.opened(news[0].next_retry_at)
    assert retry.state == StreamState.OFFLINE  # no offline/reconnecting flapping
    dog.failed(retry.next_retry_at or 2.0, reason, offline=True)
    dog.opened(5.0)
    published = _playing(dog, 8.0, start=5.5)
    assert published[-1].state == StreamState.PLAYING and published[-1].attempt == 0
    assert dog.failures == 0


def test_frozen_when_frames_arrive_but_nothing_moves() -> None:
    dog = _dog()
    dog.opened(0.0)
    published = _playing(dog, 12.0, moving=False)
    assert published[-1].state == StreamState.FROZEN
    assert "unchanged" in published[-1].reason


def test_black_picture_is_named_before_frozen() -> None:
    dog = _dog()
    dog.opened(0.0)
    published = _playing(dog, 10.0, luma=4.0, moving=False)
    assert published[-1].state == StreamState.BLACK
    assert "covered" in published[-1].reason


def test_key_frames_only_streams_are_not_called_stalled() -> None:
    dog = _dog()
    dog.opened(0.0)
    t, n = 0.0, 0
    while t < 30:  # one picture every 2 s
        if t % 2 == 0:
            n += 1
        _status, reason = dog.observe(t, Observation(frames=n, decoded=n, changes=n, luma=90,
                                                    keyframes_only=True))
        assert reason is None, t
        t += 0.5
    assert dog.status.keyframes_only and dog.stall_limit() >= 5.5


def test_an_unusable_address_is_offline_for_good() -> None:
    dog = _dog()
    status = dog.invalid(0.0, "unsupported address type (javascript)")
    assert status.state == StreamState.OFFLINE and status.next_retry_at is None
    assert not dog.due_for_retry(1e9)
