"""The one place a camera of the registry becomes what a tile plays.

Every view that puts a camera on a wall (the channel tree, a business's details, a patrol
stop, an alarm's tile and its panel) builds the :class:`~videowall.source.TileSource` here, so
the title an operator reads on a tile is the same wherever the camera came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from videowall.source import TileSource

__all__ = ["camera_source", "tile_title"]


def tile_title(business_name: str, camera_name: str) -> str:
    """"明厨小馆 · 后厨" — the business first: a wall shows many businesses' kitchens."""
    return f"{business_name} · {camera_name}"


def camera_source(camera: Mapping[str, Any], business_name: str, *,
                  main_only: bool = False) -> TileSource:
    """A tile's source for ``camera`` (a registry payload: ``id``, ``name``, ``sub_url``,
    ``main_url``, ``business_id``): the sub stream on the wall, the main one when maximised.

    ``main_only``: the main stream in every case (an alarm panel's full-rate picture, where
    the operator needs the detail of the main stream even in a small view)."""
    main_url = camera.get("main_url") or ""
    return TileSource(camera_id=camera["id"], title=tile_title(business_name, camera["name"]),
                      sub_url=main_url if main_only else camera.get("sub_url") or "",
                      main_url=main_url, business_id=camera.get("business_id") or "")
