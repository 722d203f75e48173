"""The city map: boundaries decoded and checked, kitchens in their district, points grouped
and coloured, district figures, and what a click, a double-click, a drag and an alarm do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy.orm import Session

from central.demo_registry import DISTRICTS, build_city
from console.map.figures import Metric, colour_for, district_figures, scale_bounds
from console.map.panel import read_live, read_snapshot
from console.map.points import Clusterer, MapPoint, PointState, Projection, point_state
from console.settings.model import Settings
from console.sync.store import LocalStore
from db.models import Alarm, Business, Camera, District, Grid, PatrolRecord, Street
from domain.geo import BoundaryError, load_boundaries, parse_boundaries, region_of
from resources.map.build_boundaries import decode, parse_literal, registered_map
from videowall import CAMERAS_MIME, TileSource

TODAY = datetime(2026, 3, 1, tzinfo=UTC).date()


# -- boundaries -----------------------------------------------------------------------------------
def encode_ring(points: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """ECharts' encoding, written from its description: zigzag deltas + 64 as characters."""
    out, prev = [], points[0]
    for x, y in points:
        for d in (x - prev[0], y - prev[1]):
            out.append(chr(((d << 1) ^ (d >> 31)) + 64))
        prev = (x, y)
    return "".join(out), list(points[0])


def test_echarts_encoding_decodes_to_the_points_it_was_made_from() -> None:
    square = [(112640, 40960), (113664, 40960), (113664, 41984), (112640, 41984),
              (112640, 40960)]
    encoded, offset = encode_ring(square)
    script = ('B.registerMap("城",{type:"FeatureCollection",features:[{type:"Feature",id:"1",'
              'properties:{name:"甲区",cp:[110.5,40.5],childNum:1},geometry:{type:"Polygon",'
              f'coordinates:[{json.dumps(encoded)}],encodeOffsets:[{json.dumps(offset)}]}}}}],'
              'UTF8Encoding:!0})')
    literal = registered_map(script, "城")
    assert literal["UTF8Encoding"] is True
    geo = decode(literal)
    ring = geo["features"][0]["geometry"]["coordinates"][0]
    assert ring == [[110.0, 40.0], [111.0, 40.0], [111.0, 41.0], [110.0, 41.0], [110.0, 40.0]]
    (region,) = parse_boundaries(geo)
    assert region.name == "甲区" and region.contains(110.5, 40.5)
    assert not region.contains(111.5, 40.5)
    assert parse_literal('{a:[1,-2.5,"x\\"y"],b:!1}') == {"a": [1, -2.5, 'x"y'], "b": False}


def test_the_committed_demo_boundaries_hold_every_demo_district() -> None:
    regions = {r.name: r for r in load_boundaries()}
    assert {d.name for d in DISTRICTS} <= set(regions)
    # Each district's own town centre lies in it (the decode is not shifted or mirrored).
    assert regions["东胜区"].contains(109.96, 39.82)
    assert regions["康巴什区"].contains(109.79, 39.61)
    assert regions["准格尔旗"].contains(111.24, 39.86)
    assert not regions["东胜区"].contains(111.24, 39.86)


def test_demo_kitchens_lie_inside_their_own_district() -> None:
    regions = load_boundaries()
    names = {d.id: d.name for d in DISTRICTS}
    city = build_city(600, 7, "http://sim", TODAY)
    outside = [b["id"] for b in city["business"]
               if getattr(region_of(regions, b["longitude"], b["latitude"]), "name", None)
               != names[b["district_id"]]]
    assert outside == []


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", ["不是有效的 JSON", "第 1 行"]),
    (json.dumps({"type": "Feature"}), ["FeatureCollection"]),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": None}]}),
     ["第 1 个要素没有名称", "properties.name"]),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "东胜区"},
         "geometry": {"type": "Polygon", "coordinates": [[[39.8, 109.9], [39.9, 109.9],
                                                          [39.9, 110.0], [39.8, 109.9]]]}}]}),
     ["东胜区", "第 1 个坐标点", "超出经纬度范围", "经度在前"]),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "东胜区"},
         "geometry": {"type": "Point", "coordinates": [109.9, 39.8]}}]}),
     ["东胜区", "Polygon 或 MultiPolygon", "Point"]),
])
def test_a_bureaus_boundary_file_is_refused_saying_what_is_wrong(
        tmp_path: Path, content: str, words: list[str]) -> None:
    path = tmp_path / "districts.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BoundaryError) as caught:
        load_boundaries(path)
    for word in words:
        assert word in str(caught.value)
    # The settings dialog refuses the file with the same reason.
    problems = Settings().problems({"map_boundaries": str(path)})
    assert all(word in problems["map_boundaries"] for word in words)
    assert Settings().problems({"map_boundaries": ""}) == {}


# -- points and figures -------------------------------------------------------------------------
def test_a_point_says_the_most_urgent_state_first() -> None:
    assert point_state(2, 2, 1) is PointState.ALARM
    assert point_state(2, 1, 0) is PointState.OFFLINE
    assert point_state(0, 0, 0) is PointState.UNCONNECTED
    assert point_state(2, 2, 0) is PointState.COMPLIANT


def grid_points(n: int) -> list[MapPoint]:
    points = [MapPoint(f"B{i}", f"店{i}", "D01", 109.7 + (i % 50) * 0.002,
                       39.6 + (i // 50) * 0.002) for i in range(n)]
    Projection().place(points)
    return points


def test_points_group_with_counts_when_zoomed_out_and_stand_alone_zoomed_in() -> None:
    points = grid_points(1000)
    points[7].state = PointState.ALARM
    clusterer = Clusterer(cell_px=40)
    clusterer.set_points(points)
    far = clusterer.at(0.5)
    assert 1 <= len(far) < 20
    assert sum(c.count for c in far) == 1000
    holding = next(c for c in far if points[7] in c.members)
    assert holding.worst is PointState.ALARM  # a cluster shows its most urgent kitchen
    near = clusterer.at(100.0)
    assert len(near) == 1000 and all(c.count == 1 for c in near)


def test_district_figures_and_their_colours() -> None:
    districts = [{"id": "D01", "name": "甲"}, {"id": "D02", "name": "乙"}]
    businesses = [{"district_id": "D01"}] * 4 + [{"district_id": "D02"}] * 2
    cameras = [{"district_id": "D01", "online": True}] * 3 + \
        [{"district_id": "D01", "online": False}]
    figures = district_figures(districts, businesses, cameras, ["D01", "D01", "D02"],
                               [("D01", "B1"), ("D01", "B1"), ("D01", "B2")])
    d1, d2 = figures["D01"], figures["D02"]
    assert d1.value(Metric.ONLINE_RATE) == 75.0
    assert d2.value(Metric.ONLINE_RATE) is None  # no cameras: no figure, not 0 %
    assert d1.value(Metric.ALARMS_PER_100) == 50.0 and d2.value(Metric.ALARMS_PER_100) == 50.0
    assert d1.value(Metric.PATROL_COVERAGE) == 50.0  # the same kitchen twice counts once
    bounds = scale_bounds(Metric.ALARMS_PER_100, [10.0, 80.0])
    calm, busy = (colour_for(Metric.ALARMS_PER_100, v, bounds) for v in (10.0, 80.0))
    assert busy[0] > busy[1] and calm[1] > calm[0]  # many alarms red, few green
    low, high = (colour_for(Metric.ONLINE_RATE, v, (0, 100)) for v in (20.0, 99.0))
    assert low[0] > low[1] and high[1] > high[0]


# -- the store's figures ------------------------------------------------------------------------
def fill(store: LocalStore, now: datetime) -> None:
    with Session(store.engine) as s, s.begin():
        for did, name in (("D01", "康巴什区"), ("D02", "东胜区")):
            s.add(District(id=did, name=name))
            s.add(Street(id=f"{did}-S01", district_id=did, name="街道"))
            s.add(Grid(id=f"{did}-G01", district_id=did, street_id=f"{did}-S01", name="社区"))
        for bid, did, lat, lon in (("B1", "D01", 39.61, 109.79), ("B2", "D01", 39.60, 109.78),
                                   ("B3", "D02", 39.82, 109.96), ("B4", "D02", None, None)):
            s.add(Business(id=bid, district_id=did, grid_id=f"{did}-G01", name=f"店{bid}",
                           category="small", latitude=lat, longitude=lon))
        s.add(Camera(id="B1-C1", business_id="B1", district_id="D01", name="后厨",
                     online=True))
        s.add(Camera(id="B2-C1", business_id="B2", district_id="D01", name="后厨",
                     online=False))
        s.add(Camera(id="B3-C1", business_id="B3", district_id="D02", name="后厨",
                     online=True))
        s.add(Alarm(id="A1", kind="ai", district_id="D02", business_id="B3",
                    condition_key="k", opened_at=now - timedelta(days=1)))
        s.add(Alarm(id="A2", kind="ai", district_id="D01", business_id="B1", state="closed",
                    condition_key="k2", opened_at=now - timedelta(days=60)))
        s.add(PatrolRecord(id="P1", district_id="D01", business_id="B1", user="op",
                           verdict="ok", started_at=now - timedelta(days=2)))


def test_the_map_reads_states_and_figures_and_follows_the_users_district(
        tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "local.db")
    try:
        fill(store, datetime.now(UTC))
        with Session(store.engine) as s:
            city = read_snapshot(s, None)
            district = read_snapshot(s, "D01")
    finally:
        store.close()
    states = {p.business_id: p.state for p in city.points}
    assert states == {"B1": PointState.COMPLIANT, "B2": PointState.OFFLINE,
                      "B3": PointState.ALARM}  # B4 has no position: not drawn
    assert city.figures["D02"].kitchens == 2 and city.figures["D02"].alarms == 1
    assert city.figures["D01"].alarms == 0  # the closed alarm is 60 days old
    assert city.figures["D01"].value(Metric.PATROL_COVERAGE) == 50.0
    assert city.figures["D01"].value(Metric.ONLINE_RATE) == 50.0
    assert {p.business_id for p in district.points} == {"B1", "B2"}
    assert set(district.figures) == {"D01"}
    # A new alarm at B1 and B3's handled: the light re-read (alarms and patrols only) says so.
    store = LocalStore(tmp_path / "local.db")
    try:
        with Session(store.engine) as s, s.begin():
            s.add(Alarm(id="A3", kind="ai", district_id="D01", business_id="B1",
                        condition_key="k3", opened_at=datetime.now(UTC)))
            s.get(Alarm, "A1").state = "closed"
        with Session(store.engine) as s:
            states, figures = read_live(s, None, city)
    finally:
        store.close()
    assert dict(zip([p.business_id for p in city.points], states, strict=True)) == {
        "B1": PointState.ALARM, "B2": PointState.OFFLINE, "B3": PointState.COMPLIANT}
    assert figures["D01"].alarms == 1 and figures["D01"].kitchens == 2
    # B3's camera goes offline (a wall's health report): the camera re-read shows it.
    store = LocalStore(tmp_path / "local.db")
    try:
        with Session(store.engine) as s, s.begin():
            s.get(Camera, "B3-C1").online = False
        with Session(store.engine) as s:
            states, figures = read_live(s, None, city, cameras=True)
    finally:
        store.close()
    assert states[[p.business_id for p in city.points].index("B3")] is PointState.OFFLINE
    assert figures["D02"].value(Metric.ONLINE_RATE) == 0.0


# -- the widget ---------------------------------------------------------------------------------
def demo_view(qtbot, points: list[MapPoint]):
    from console.map.view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_regions(load_boundaries(), {d.name: d.id for d in DISTRICTS})
    view.set_points(points)
    return view


def on_screen(view, point: MapPoint) -> QPoint:
    return view.mapFromScene(point.x, point.y)


def test_click_double_click_and_drag_a_kitchen(qtbot) -> None:
    lone = MapPoint("D02-B00001", "草原食堂", "D02", 109.96, 39.82)
    view = demo_view(qtbot, [lone])
    view.sources_for = lambda bid: [TileSource(f"{bid}-C1", "草原食堂 · 后厨",
                                               "http://127.0.0.1:1/s.ts", business_id=bid)]
    with qtbot.waitSignal(view.business_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=on_screen(view, lone))
    assert clicked.args == ["D02-B00001"]
    with qtbot.waitSignal(view.business_activated) as activated:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                          pos=on_screen(view, lone))
    assert activated.args == ["D02-B00001"]
    mime = view.drag_mime("D02-B00001")
    assert mime is not None
    assert [s["camera_id"] for s in json.loads(bytes(mime.data(CAMERAS_MIME)))] \
        == ["D02-B00001-C1"]
    # Beside the point: nothing is clicked.
    with qtbot.assertNotEmitted(view.business_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=on_screen(view, lone) + QPoint(40, 40))


def test_clicking_a_group_zooms_in_until_its_kitchens_stand_alone(qtbot) -> None:
    points = grid_points(200)
    view = demo_view(qtbot, points)
    before = view.scale_factor()
    group = max(view.points.clusters(), key=lambda c: c.count)
    assert group.count > 1
    with qtbot.assertNotEmitted(view.business_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.mapFromScene(group.x, group.y))
    assert view.scale_factor() > before * 1.9


def test_a_new_alarm_makes_its_point_pulse_then_stop(qtbot, monkeypatch) -> None:
    from console.map import view as view_module

    lone = MapPoint("B1", "店", "D01", 109.79, 39.61)
    view = demo_view(qtbot, [lone])
    clock = [1000.0]
    monkeypatch.setattr(view_module.time, "monotonic", lambda: clock[0])
    view.pulse("B1")
    assert "B1" in view.points.pulses and view._pulse_timer.isActive()
    clock[0] += view_module.PULSE_S + 1
    view._pulse_tick()
    assert view.points.pulses == {} and not view._pulse_timer.isActive()


def test_the_big_screen_scales_text_with_the_screen(qtbot) -> None:
    view = demo_view(qtbot, grid_points(50))
    view.set_big_screen(True)
    view.resize(1920, 1080)
    qtbot.waitUntil(lambda: view.font_scale == pytest.approx(1.6))
    small = view.legend.sizeHint().height()
    view.resize(3840, 2160)
    qtbot.waitUntil(lambda: view.font_scale == pytest.approx(3.2))
    assert view.legend.sizeHint().height() > 1.6 * small
    assert view.selector.isHidden()


def test_a_pulse_repaints_only_around_its_kitchen(qtbot, monkeypatch) -> None:
    """During an alarm storm the map must not repaint the whole city a dozen times a second."""
    points = grid_points(300)
    view = demo_view(qtbot, points)
    view.zoom_by(40.0)
    repainted: list[object] = []
    monkeypatch.setattr(view.points, "update", lambda *args: repainted.append(args))
    view.pulse(points[10].business_id)
    view._pulse_tick()
    assert repainted and all(args for args in repainted)  # never update() of everything
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    for (rect,) in repainted:
        assert rect.width() * rect.height() < shown.width() * shown.height() / 20
