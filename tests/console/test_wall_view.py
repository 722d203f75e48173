"""The console's stand-in wall and engine are the real ones' shape: a method renamed, a
parameter added or a default changed on ``VideoWall``/``WallEngine`` (or on the fakes) fails
here, instead of the console's UI tests passing against a wall that no longer exists."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from tests.console.fakes import FakeEngine, FakeWall
from videowall.engine import WallEngine
from videowall.interfaces import TileEngine, WallView
from videowall.wall import VideoWall


def members(protocol: type) -> dict[str, Any]:
    """The protocol's own members (what a caller may rely on), name → its definition."""
    return {name: value for name, value in vars(protocol).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property))}


def shape(function: Any) -> list[tuple[str, Any, Any]]:
    """Parameter names, kinds and defaults: what a caller's arguments bind to."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize(("protocol", "classes"), [
    (WallView, (VideoWall, FakeWall)),
    (TileEngine, (WallEngine, FakeEngine)),
], ids=["WallView", "TileEngine"])
def test_real_and_fake_have_the_protocols_signatures(protocol: type,
                                                    classes: tuple[type, ...]) -> None:
    wanted = members(protocol)
    assert wanted, "the protocol declares nothing?"
    for cls in classes:
        for name, declared in wanted.items():
            actual = inspect.getattr_static(cls, name, None)
            if isinstance(declared, property):
                # A property, or an attribute set in __init__ (``engine``): the instances'
                # isinstance check below sees those.
                assert actual is None or isinstance(actual, property), \
                    f"{cls.__name__}.{name} should be a value, not a method"
                continue
            assert actual is not None, f"{cls.__name__} has no {name}"
            assert shape(actual) == shape(declared), (
                f"{cls.__name__}.{name}{inspect.signature(actual)} differs from "
                f"{protocol.__name__}.{name}{inspect.signature(declared)}")


def test_instances_satisfy_the_runtime_protocols(qapp) -> None:
    engine = WallEngine(workers=1)  # workers start with the first stream: none here
    wall = VideoWall("4", engine=engine)
    fake = FakeWall("4")
    try:
        assert isinstance(wall, WallView)
        assert isinstance(fake, WallView)
        assert isinstance(engine, TileEngine)
        assert isinstance(FakeEngine(), TileEngine)
        # The signals the console connects to, on both.
        for name in ("health_changed", "layout_changed", "cells_changed"):
            assert callable(getattr(wall, name).connect)
            assert callable(getattr(fake, name).connect)
        assert fake.engine is None  # a stand-in decodes nothing until a test gives it an engine
    finally:
        wall.shutdown()
        engine.shutdown()
        wall.deleteLater()
        fake.deleteLater()
