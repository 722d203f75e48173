"""Wiring of the Major events window into a session: a menu entry, business names from the
local cache, and the reception kitchens' tour on the wall."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMenu
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.events.model import EventsModel
from console.events.new_event import NewEventDialog
from console.events.window import MajorEventsWindow
from console.shell.aio import spawn
from console.sync.client import ApiClient
from console.sync.store import LocalStore
from db.models import Business

if TYPE_CHECKING:
    from console.shell.main_window import MainWindow
    from console.walls.tours import TourControl


class MajorEvents:
    def __init__(self, window: MainWindow, store: LocalStore, client: ApiClient,
                 tours: TourControl | None) -> None:
        self.window = window
        self.store = store
        self.model = EventsModel(store, client)
        self.tours = tours
        self.names: dict[str, str] = {}
        self.view: MajorEventsWindow | None = None

    def tour(self, business_ids: Sequence[str], title: str) -> bool:
        """The event's own tour: every camera of its reception kitchens."""
        forest = self.window.forest
        if self.tours is None or forest is None:
            return False
        wanted = set(business_ids)
        sources = [s for s in forest.sources if s.business_id in wanted]
        return bool(sources) and self.tours.start(sources, title)

    async def load_names(self) -> None:
        def work(session: Session) -> dict[str, str]:
            return dict(session.execute(select(Business.id, Business.name)).all())

        self.names = await self.store.read(work)

    def new_event(self) -> NewEventDialog:
        """New major event… (administrators): sent through the outbox when accepted."""
        dialog = NewEventDialog(self.names, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: spawn(self.model.save(dialog.payload()),
                                              name="event-save"))
        dialog.show()
        return dialog

    def open(self) -> MajorEventsWindow:
        view = self.view
        if view is None:
            view = self.view = MajorEventsWindow(
                self.model, lambda: self.names, self.tour if self.tours else None, self.window)
            view.destroyed.connect(lambda _o=None: setattr(self, "view", None))
        view.show()
        view.raise_()
        spawn(self._refresh(view), name="major-events")
        return view

    async def open_new(self) -> NewEventDialog:
        await self.load_names()
        return self.new_event()

    async def _refresh(self, view: MajorEventsWindow) -> None:
        await self.load_names()
        await view.reload()


def install(window: MainWindow, store: LocalStore, client: ApiClient,
            tours: TourControl | None, menu: QMenu | None, *, admin: bool = False) -> MajorEvents:
    events = MajorEvents(window, store, client, tours)
    if menu is not None:
        menu.addAction(QCoreApplication.translate("MajorEvents", "Major events…"), events.open)
        if admin:
            menu.addAction(QCoreApplication.translate("MajorEvents", "New major event…"),
                           lambda: spawn(events.open_new(), name="new-event"))
    return events
