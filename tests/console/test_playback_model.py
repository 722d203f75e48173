"""The playback window's Qt-free model: click-to-seek arithmetic, zoom that keeps the instant
under the cursor, gaps from the index, speeds, the one clock all cameras follow, and the
external playback addresses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.playback.clock import SPEEDS, PlaybackClock, drifted, faster, slower
from console.playback.sources import external_address
from console.playback.timeline import (
    ZOOM_SPANS,
    DayTrack,
    Span,
    TimelineWindow,
    day_of,
    next_recorded_any,
    parse_ts,
)

DAY = Span(datetime(2026, 12, 6, 16, tzinfo=UTC), datetime(2026, 12, 7, 16, tzinfo=UTC))


def at(h: int, m: int = 0, s: int = 0) -> datetime:
    """An instant of the day shown, in Beijing time (the day starts at 16:00 UTC)."""
    return DAY.start + timedelta(hours=h, minutes=m, seconds=s)


def test_a_click_seeks_to_the_instant_under_it_at_every_zoom() -> None:
    window = TimelineWindow(DAY, width=1440)
    assert window.time_at(window.x_of(at(14, 32))) == at(14, 32)
    assert window.time_at(870) == at(14, 30)  # 1 px = 1 min across a 24 h day
    for _level in ZOOM_SPANS[1:]:
        window.zoom_in(at(14, 32))
        assert abs((window.time_at(window.x_of(at(14, 32))) - at(14, 32)).total_seconds()) < 1
        assert window.start <= at(14, 32) < window.end  # zoom kept it in view
    assert window.span == timedelta(minutes=1)
    assert window.time_at(-50) >= DAY.start and window.time_at(10**6) < DAY.end


def test_zoom_keeps_the_instant_under_the_cursor_in_its_column_and_stays_in_the_day() -> None:
    window = TimelineWindow(DAY, width=1000)
    x = window.x_of(at(6))
    window.zoom_in(at(6))
    assert window.x_of(at(6)) == pytest.approx(x, abs=0.5)
    window.zoom_to(len(ZOOM_SPANS) - 1, at(0, 0, 10))
    window.pan_pixels(10**8)
    assert window.start == DAY.start  # clamped at the day's start, not before it
    window.pan_pixels(-10**8)
    assert window.end == DAY.end
    ticks = window.ticks()
    assert 3 <= len(ticks) <= 13 and all(window.start <= t <= window.end for t in ticks)


def test_centring_puts_an_instant_in_the_middle_and_stays_in_the_day() -> None:
    window = TimelineWindow(DAY, width=1000)
    window.zoom_to(6, at(23, 55))  # late in the day: the anchor keeps its column at the edge
    window.center_on(at(23, 50))
    assert window.x_of(at(23, 50)) == pytest.approx(500, abs=1)
    window.center_on(at(23, 59, 30))  # half the view would pass midnight: the day's end
    assert window.end == DAY.end and window.x_of(at(23, 59, 30)) < 1000


def test_the_index_s_gaps_show_and_playback_jumps_over_a_gap_every_camera_shares() -> None:
    reply = {"ranges": [{"start": "2026-12-07T01:00:00Z", "end": "2026-12-07T01:10:00Z"},
                        {"start": "2026-12-07T01:20:00Z", "end": "2026-12-07T01:30:00Z"}],
             "gaps": [{"start": "2026-12-07T01:10:00Z", "end": "2026-12-07T01:20:00Z"}],
             "locks": []}
    track = DayTrack.from_index("cam1", reply)
    inside, in_gap = parse_ts("2026-12-07T01:05:00Z"), parse_ts("2026-12-07T01:15:00Z")
    assert track.recorded_at(inside) and not track.recorded_at(in_gap)
    assert track.next_recorded(in_gap) == parse_ts("2026-12-07T01:20:00Z")
    other = DayTrack("cam2", [Span(parse_ts("2026-12-07T01:12:00Z"),
                                   parse_ts("2026-12-07T01:13:00Z"))])
    assert next_recorded_any([track, other], in_gap) == parse_ts("2026-12-07T01:20:00Z")
    assert next_recorded_any([track, other], parse_ts("2026-12-07T01:11:00Z")) == \
        parse_ts("2026-12-07T01:12:00Z")
    window = TimelineWindow(Span(parse_ts("2026-12-07T01:00:00Z"),
                                 parse_ts("2026-12-07T02:00:00Z")), width=600)
    window.zoom_to(4)
    assert window.visible(track.gaps) == [(100.0, 200.0)]


def test_speeds_step_from_half_to_sixteen_and_one_clock_drives_everything() -> None:
    assert SPEEDS == (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
    assert faster(16.0) == 16.0 and slower(0.5) == 0.5 and faster(1.0) == 2.0
    clock = PlaybackClock(at(10))
    clock.set_speed(8.0)
    assert clock.advance(2.0) == at(10, 0, 16)
    clock.paused = True
    assert clock.advance(5.0) == at(10, 0, 16)
    assert clock.step_frame(fps=10) == at(10, 0, 16) + timedelta(milliseconds=100)
    with pytest.raises(ValueError):
        clock.set_speed(3.0)
    assert drifted(None, at(10)) and drifted(at(10, 0, 3), at(10))
    assert not drifted(at(10, 0, 1), at(10))


def test_a_platform_playback_address_gets_the_time_range() -> None:
    start, end = parse_ts("2026-12-07T01:02:03Z"), parse_ts("2026-12-07T01:12:03Z")
    rtsp = external_address("rtsp://nvr/Streaming/tracks/101?starttime={start}&endtime={end}",
                            start, end)
    assert rtsp.url == ("rtsp://nvr/Streaming/tracks/101?starttime=20261207T010203Z"
                        "&endtime=20261207T011203Z")
    assert rtsp.external and rtsp.offset_s == 0
    hls = external_address("http://nvr/rec/day.m3u8", start, end)
    assert hls.url == "http://nvr/rec/day.m3u8"


def test_the_day_is_the_local_calendar_day() -> None:
    from zoneinfo import ZoneInfo

    day = day_of(parse_ts("2026-12-07T01:00:00Z"), ZoneInfo("Asia/Shanghai"))
    assert day == DAY
