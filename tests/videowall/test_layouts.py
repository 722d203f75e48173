"""Wall layouts are pure geometry: every cell lands on whole units, none overlap, none are lost."""

from __future__ import annotations

import pytest

from videowall.layouts import LAYOUTS, Cell, Layout, layout, merged
from videowall.source import TileSource, mask_url


def _units(lay: Layout) -> list[tuple[int, int]]:
    return [(c.col + dc, c.row + dr) for c in lay.cells for dc in range(c.cols)
            for dr in range(c.rows)]


@pytest.mark.parametrize("name", sorted(LAYOUTS, key=int))
def test_every_standard_layout_covers_its_grid_exactly(name: str) -> None:
    lay = layout(name)
    assert len(lay) == int(name)
    units = _units(lay)
    assert len(units) == len(set(units)) == lay.cols * lay.rows


@pytest.mark.parametrize("name", [*sorted(LAYOUTS, key=int), "custom"])
@pytest.mark.parametrize("size", [(1280, 720), (1921, 1079), (333, 187)])
def test_pixel_rects_tile_the_wall_without_gaps_or_overlaps(name: str,
                                                              size: tuple[int, int]) -> None:
    lay = merged("custom", 5, 4, [Cell(0, 0, 3, 2), Cell(3, 2, 2, 2)]) if name == "custom" \
        else layout(name)
    width, height = size
    covered = 0
    rects = [lay.rect(i, width, height) for i in range(len(lay))]
    for x, y, w, h in rects:
        assert w > 0 and h > 0
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height
        covered += w * h
    assert covered == width * height  # no gap and (with the check below) no overlap
    for i, (ax, ay, aw, ah) in enumerate(rects):
        for bx, by, bw, bh in rects[i + 1:]:
            assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay


def test_big_cells_of_6_8_and_13() -> None:
    assert [c for c in layout("6").cells if c.cols > 1] == [Cell(0, 0, 2, 2)]
    assert [c for c in layout("8").cells if c.cols > 1] == [Cell(0, 0, 3, 3)]
    assert [c for c in layout("13").cells if c.cols > 1] == [Cell(1, 1, 2, 2)]
    # the centre cell of 13 is half the wall each way
    assert layout("13").rect(0, 1280, 720) == (320, 180, 640, 360)


def test_custom_merges_are_validated() -> None:
    lay = merged("custom", 4, 4, [Cell(0, 0, 2, 2), Cell(2, 2, 2, 2)])
    assert len(lay) == 10
    with pytest.raises(ValueError, match="overlaps"):
        merged("bad", 4, 4, [Cell(0, 0, 2, 2), Cell(1, 1, 2, 2)])
    with pytest.raises(ValueError, match="does not fit"):
        merged("bad", 4, 4, [Cell(3, 3, 2, 2)])
    with pytest.raises(ValueError, match="empty"):
        merged("bad", 4, 4, [Cell(0, 0, 0, 1)])
    with pytest.raises(ValueError, match="unknown layout"):
        layout("7")


def test_layout_specs_round_trip() -> None:
    custom = merged("lobby", 6, 3, [Cell(0, 0, 3, 3), Cell(3, 0, 3, 2)])
    assert Layout.from_dict(custom.to_dict()) == custom
    assert layout("36").to_dict() == {"name": "36"}
    assert Layout.from_dict({"name": "16"}) == layout("16")
    with pytest.raises(ValueError):
        Layout.from_dict({"name": "x", "grid": [40, 2]})
    with pytest.raises(ValueError):
        Layout.from_dict({"name": "x", "grid": ["a", 2]})


def test_credentials_are_never_shown() -> None:
    assert mask_url("rtsp://admin:12345@10.1.2.3:554/Streaming/Channels/102") == \
        "rtsp://***@10.1.2.3:554/Streaming/Channels/102"
    assert mask_url("http://h/x.ts") == "http://h/x.ts"
    src = TileSource("c1", "t", "rtsp://a:b@h/sub", "rtsp://a:b@h/main")
    assert src.url(main=True).endswith("/main") and src.url(main=False).endswith("/sub")
    assert TileSource.from_dict(src.to_dict()) == src
