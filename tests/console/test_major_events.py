"""The Major events window against a real central: the meals past due are listed, a sign-off
goes through the outbox and central records it once, the report is saved as a workbook, and
the event's own tour pages through its reception kitchens only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select

from central.demo_registry import DEMO_PASSWORD
from console.events.install import MajorEvents
from console.events.model import EventsModel
from console.events.window import MajorEventsWindow
from console.settings.model import ConsoleSettings
from console.shell.main_window import MainWindow
from console.sync.client import ApiClient
from console.sync.pusher import Pusher
from console.walls.tours import TourControl
from db.models import Business, EventSignoff, MajorEventRow
from domain.clock import utcnow
from tests.console.conftest import run, wait_until
from tests.console.fakes import FakeEngine, fake_wall

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def event(qloop, qcentral):
    kitchens = run(qloop, qcentral.read(lambda s: list(s.scalars(
        select(Business.id).where(Business.district_id == "D01").order_by(Business.id.desc())
        .limit(2)))))
    client = ApiClient(qcentral.url)
    run(qloop, client.login("admin", DEMO_PASSWORD))
    start = utcnow() - timedelta(days=1)
    reply = run(qloop, client.action(uuid4().hex, "event.save", {
        "name": "国际会议保障", "business_ids": kitchens, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=3)).isoformat(),
        "overrides": {"special_room": {"max_temp": 22}}}))
    yield reply["result"]["event"], client
    run(qloop, client.close())


def test_a_meal_is_signed_off_through_the_outbox_and_the_report_saved(
        qloop, qtbot, qcentral, synced_store, event, tmp_path: Path) -> None:
    info, client = event
    window = MajorEventsWindow(EventsModel(synced_store, client), lambda: {})
    qtbot.addWidget(window)
    run(qloop, window.reload())
    assert window.event_list.count() == 1 and "国际会议保障" in window.event_list.item(0).text()
    before = window.missing.rowCount()
    assert before == len(info["missing_signoffs"]) > 0
    business, day, meal = window.selected_meal()
    assert run(qloop, window.sign("passed"))
    assert window.missing.rowCount() == before - 1
    run(qloop, Pusher(client, synced_store).drain())
    stored = run(qloop, qcentral.read(lambda s: [(r.business_id, r.day.isoformat(), r.meal,
                                                 r.user) for r in s.scalars(
        select(EventSignoff))]))
    assert stored == [(business, day, meal, "admin")]
    run(qloop, window.reload())
    assert window.missing.rowCount() == before - 1  # central no longer lists it
    target = tmp_path / "report.xlsx"
    assert run(qloop, window.save_report(target))
    sheet = load_workbook(target).worksheets[0]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [meal]


def test_the_events_tour_shows_only_its_reception_kitchens(qloop, qtbot, qcentral,
                                                          synced_store, event,
                                                          tmp_path: Path) -> None:
    info, client = event
    window = MainWindow(synced_store, {"username": "admin", "role": "admin"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    window.show()
    window.schedule_reload()
    wait_until(qloop, lambda: window.forest is not None and window.wall.cells()[0], 10,
               "the first wall")
    window.wall.engine = FakeEngine()
    tours = TourControl(window, ConsoleSettings.load(tmp_path / "settings.json"))
    events = MajorEvents(window, synced_store, client, tours)
    view = events.open()
    wait_until(qloop, lambda: view.event_list.count() == 1, 10, "the event listed")
    assert view.tour_kitchens()
    shown = {c.business_id for c in window.wall.cells() if c is not None}
    assert shown and shown <= set(info["business_ids"])
    tours.stop()


def test_an_admin_sets_up_an_event_from_the_dialog_through_the_outbox(
        qloop, qtbot, qcentral, synced_store, event) -> None:
    _info, client = event
    window = MainWindow(synced_store, {"username": "admin", "role": "admin"}, "4",
                        wall_factory=fake_wall)
    qtbot.addWidget(window)
    events = MajorEvents(window, synced_store, client, None)
    dialog = run(qloop, events.open_new())
    dialog.ok_button.click()
    assert dialog.isVisible() and "name" in dialog.problem_label.text()  # refused, says why
    dialog.name.setText("全市运动会保障")
    dialog.ok_button.click()
    assert dialog.isVisible() and "kitchen" in dialog.problem()
    dialog.kitchens.item(0).setCheckState(Qt.CheckState.Checked)
    chosen = dialog.chosen()
    dialog.tighten.setChecked(True)
    dialog.max_temp.setValue(21.0)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    wait_until(qloop, lambda: pending(synced_store), 10, "the event.save queued")
    run(qloop, Pusher(client, synced_store).drain())
    rows = run(qloop, qcentral.read(lambda s: [(r.name, r.business_ids, r.overrides)
                                              for r in s.scalars(select(MajorEventRow))]))
    assert ("全市运动会保障", chosen, {"special_room": {"max_temp": 21.0}}) in rows


async def pending(store) -> bool:  # type: ignore[no-untyped-def]
    from db.models import OutboxAction

    return bool(await store.read(lambda s: s.scalars(select(OutboxAction).where(
        OutboxAction.kind == "event.save")).first()))
