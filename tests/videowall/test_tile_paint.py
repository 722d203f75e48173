"""A tile's name band is cached between pictures (it is painted ~1000 times a second on a
64-tile wall); whatever the band shows must still be redrawn when it changes."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPainter

from videowall.source import TileSource
from videowall.tile import TileWidget


class NoStreams:
    """An engine with no stream to give (the tile shows its name over the background)."""

    def acquire(self, *_args: object, **_kwargs: object) -> None:
        return None

    def release(self, _stream: object) -> None:
        pass


def painted(tile: TileWidget) -> QImage:
    image = QImage(tile.size(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    tile.paint(painter)
    painter.end()
    return image


def tile_showing(qtbot, title: str) -> TileWidget:
    tile = TileWidget(0, NoStreams())
    qtbot.addWidget(tile)
    tile.resize(320, 180)
    tile.set_source(TileSource("C1", title, "http://127.0.0.1:9/live/C1/sub.ts"))
    return tile


def test_a_renamed_camera_gets_its_new_name_on_the_tile(qtbot) -> None:
    tile = tile_showing(qtbot, "餐馆甲 · 后厨")
    before = painted(tile)

    tile.set_source(TileSource("C1", "餐馆乙 · 后厨", "http://127.0.0.1:9/live/C1/sub.ts"))

    after = painted(tile)
    assert after != before
    assert after == painted(tile_showing(qtbot, "餐馆乙 · 后厨"))
