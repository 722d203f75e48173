"""Named wall arrangements in the console's local database.

Operators build a wall for a purpose (the school canteens of one district, the special rooms
before lunch) and want it back with one click, also after a restart and when the server is
away: an arrangement is the layout (standard or custom merged cells) and the camera in each
cell, stored by camera id in ``saved_layouts`` of the per-login cache, which a resync never
empties. The wall the operator left is kept under a reserved name and comes back at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.sync.store import LocalStore
from db.models import SavedLayout
from domain.clock import utcnow
from videowall.layouts import Layout

log = logging.getLogger("kitchenwatch.console.layouts")

#: The wall as the operator left it; never listed, never chosen as a name.
LAST_WALL = "__last_wall__"
MAX_NAME = 64


class LayoutNameError(ValueError):
    """A name the operator typed cannot be used; ``code`` says why (``empty``, ``too_long``,
    ``reserved``) for the UI's words, the message says it in English for logs."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_name(name: str) -> str:
    """The name with its white space tidied, or ``LayoutNameError``."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LayoutNameError("empty", "the name is empty")
    if len(cleaned) > MAX_NAME:
        raise LayoutNameError("too_long", f"the name is longer than {MAX_NAME} characters")
    if cleaned.startswith("__"):
        raise LayoutNameError("reserved", "names starting with '__' are reserved")
    return cleaned


@dataclass(frozen=True)
class Arrangement:
    """A layout and the camera id shown in each of its cells (``None``: empty)."""

    layout: Layout
    cameras: tuple[str | None, ...]

    def to_spec(self) -> dict[str, Any]:
        return {"layout": self.layout.to_dict(), "cells": list(self.cameras)}

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Arrangement:
        """Raises ``ValueError`` naming what is wrong (a file edited by hand, an old build)."""
        if not isinstance(spec, Mapping):
            raise ValueError("saved layout is not an object")
        raw_layout = spec.get("layout")
        if isinstance(raw_layout, str):  # the shape of the first builds: a standard name
            raw_layout = {"name": raw_layout}
        if not isinstance(raw_layout, Mapping):
            raise ValueError("saved layout has no 'layout'")
        wall_layout = Layout.from_dict(dict(raw_layout))
        cells = spec.get("cells", [])
        if not isinstance(cells, list):
            raise ValueError("saved layout 'cells' is not a list")
        cameras = [str(c) if c not in (None, "") else None for c in cells[:len(wall_layout)]]
        cameras += [None] * (len(wall_layout) - len(cameras))
        return cls(wall_layout, tuple(cameras))

    @classmethod
    def of(cls, wall_layout: Layout, camera_ids: Iterable[str | None]) -> Arrangement:
        return cls(wall_layout, tuple(camera_ids))


class LayoutLibrary:
    """Reads and writes arrangements through the store's threads (never on the UI thread).

    ``screen`` is the wall's place in the ``wall_screens`` setting (0: the main window's
    wall), so each further screen keeps a last wall of its own; named walls are kept under
    the main wall's and opened on any screen."""

    def __init__(self, store: LocalStore, screen: int = 0) -> None:
        self.store = store
        self.screen = screen

    async def names(self) -> list[str]:
        def work(session: Session) -> list[str]:
            rows = session.scalars(select(SavedLayout.name).where(
                SavedLayout.screen == self.screen).order_by(SavedLayout.name))
            return [n for n in rows if n != LAST_WALL]

        return await self.store.read(work)

    async def load(self, name: str) -> Arrangement | None:
        """The arrangement, or ``None`` if there is none or it cannot be read (logged)."""
        def work(session: Session) -> Any:
            return session.scalar(select(SavedLayout.spec).where(
                SavedLayout.name == name, SavedLayout.screen == self.screen))

        spec = await self.store.read(work)
        if spec is None:
            return None
        try:
            return Arrangement.from_spec(spec)
        except ValueError as exc:
            log.warning("saved layout %r cannot be used: %s", name, exc)
            return None

    async def save(self, name: str, arrangement: Arrangement) -> None:
        if name != LAST_WALL:
            name = check_name(name)
        spec = arrangement.to_spec()

        def work(session: Session) -> None:
            row = session.scalar(select(SavedLayout).where(
                SavedLayout.name == name, SavedLayout.screen == self.screen))
            if row is None:
                session.add(SavedLayout(name=name, screen=self.screen, spec=spec))
            else:
                row.spec, row.updated_at = spec, utcnow()

        await self.store.run(work)

    async def delete(self, name: str) -> None:
        await self.store.run(lambda session: session.execute(delete(SavedLayout).where(
            SavedLayout.name == name, SavedLayout.screen == self.screen)))
